// An offline render of a programme's mix with a script of control changes, hashed: the same
// procedure in Node (src/engine/offline-mix.test.ts) and in every browser (e2e/audio-mix.spec.ts),
// so equal hashes prove the engine's mix is the same bytes everywhere for the same input PCM.
// The PCM comes from AudioReader (Mediabunny), which decodes PCM WAV itself on every platform.
import { AudioReader, type AudioInput } from '../media/audio-reader';
import { AUDIO_QUANTUM, AUDIO_SAMPLE_RATE, type AudioControls } from './audio';
import type { TesseraEngine } from './engine';

/** Control changes at exact output frames (48 kHz): slider moves, a volume change, AD off. */
export const MIX_SCRIPT: readonly { frame: number; controls: AudioControls }[] = [
  { frame: 36_000, controls: { dialogueBalance: 0.7 } },
  { frame: 96_011, controls: { volumeDb: -6 } },
  { frame: 120_000, controls: { loudnessTarget: -16 } },
  { frame: 204_000, controls: { audioDescription: false } },
];

export interface OfflineMix {
  /** SHA-256 of the rendered float32 little-endian interleaved stereo. */
  sha256: string;
  frames: number;
}

/**
 * Loads `programmeText`, decodes every audio object of the plan in full (`media` turns an asset's
 * src into what AudioReader opens: a URL in a browser, the file's bytes in Node), pushes the PCM
 * in the reader's chunks, schedules MIX_SCRIPT and renders the whole plan in 128-frame quanta.
 */
export async function offlineMix(
  engine: TesseraEngine,
  programmeText: string,
  media: (src: string) => AudioInput | Promise<AudioInput>,
): Promise<OfflineMix> {
  const loaded = engine.loadProgramme(programmeText);
  if (!loaded.ok) throw new Error(`the mix programme does not load: ${JSON.stringify(loaded.diagnostics ?? loaded)}`);
  const plan = engine.resolve({});
  const needs = engine.audioAt(0, plan.duration);
  for (const need of needs.audio) {
    const reader = await AudioReader.open(await media(need.src), { name: need.src });
    try {
      reader.seek(Math.round(need.mediaTime * 1e6));
      for (let chunk = await reader.read(); chunk; chunk = await reader.read())
        engine.pushAudio(need.object, chunk.startFrame / chunk.sampleRate, chunk.samples, chunk.channels, chunk.sampleRate);
      engine.endAudio(need.object);
    } finally {
      reader.close();
    }
  }
  for (const step of MIX_SCRIPT) engine.scheduleAudioControls(step.frame, step.controls);
  const frames = Math.round(plan.duration * AUDIO_SAMPLE_RATE);
  // Rendered in the quanta the AudioWorklet asks for.
  return { sha256: engine.audioSha256(0, frames, AUDIO_QUANTUM), frames };
}
