// The module worker behind the audio test page: the engine worker's audio side in miniature. It
// runs AudioProducer (src/audio/producer.ts) over the transport the page sends (shared ring or
// MessagePort) with a 440 Hz tone as the "mix", and decodes fixtures with AudioReader
// (src/media/audio-reader.ts), summarising what came out.
/// <reference lib="webworker" />
import { AudioProducer } from '../../src/audio/producer';
import { AudioReader, type AudioChunk } from '../../src/media/audio-reader';
import { FIXTURE_URL_PREFIX, TONE_AMPLITUDE, TONE_HZ, type DecodeSummary, type FromAudioTestWorker, type ToAudioTestWorker } from './audio-output-protocol';

declare const self: DedicatedWorkerGlobalScope;

let producer: AudioProducer | null = null;
let scratch = new Float32Array(0);

/** The tone as a function of the output frame, so a seek's audio is the tone at that frame. */
function renderTone(frame: number, frames: number): Float32Array {
  if (scratch.length < frames * 2) scratch = new Float32Array(frames * 2);
  const step = (2 * Math.PI * TONE_HZ) / 48_000;
  for (let i = 0; i < frames; i++) {
    const v = TONE_AMPLITUDE * Math.sin(step * ((frame + i) % 48_000));
    scratch[2 * i] = v;
    scratch[2 * i + 1] = v;
  }
  return scratch.subarray(0, frames * 2);
}

function zeroCrossingFrequency(all: Float32Array, channel: number, from: number, to: number, sampleRate: number): number {
  let crossings = 0;
  for (let i = from + 1; i < to; i++) {
    if (all[2 * (i - 1) + channel]! < 0 !== all[2 * i + channel]! < 0) crossings++;
  }
  return crossings / 2 / ((to - from) / sampleRate);
}

async function decode(file: string, seekUs: number): Promise<DecodeSummary> {
  const t0 = performance.now();
  const reader = await AudioReader.open(FIXTURE_URL_PREFIX + file);
  try {
    const chunks: AudioChunk[] = [];
    for (let c = await reader.read(); c; c = await reader.read()) chunks.push(c);
    const decodeMs = performance.now() - t0;
    const frames = chunks.reduce((n, c) => n + c.frames, 0);
    const first = chunks[0]?.startFrame ?? 0;
    const rate = chunks[0]?.sampleRate ?? reader.info.sampleRate;
    // Placed by startFrame (2 channels assumed: the fixtures are stereo; checked by the spec).
    const all = new Float32Array((first + frames) * 2);
    let discontinuities = 0;
    let expected = first;
    for (const c of chunks) {
      if (c.startFrame !== expected) discontinuities++;
      expected = c.startFrame + c.frames;
      if (c.channels === 2 && (c.startFrame + c.frames) * 2 <= all.length) all.set(c.samples, c.startFrame * 2);
    }
    const from = Math.round(0.1 * rate);
    const to = Math.round(0.9 * rate);
    let tonePeak = 0;
    for (let i = from; i < to; i++) tonePeak = Math.max(tonePeak, Math.abs(all[2 * i]!));
    const clickTimes: number[] = [];
    for (let second = 1; (second + 0.2) * rate < first + frames; second++) {
      for (let i = Math.round((second - 0.2) * rate); i < Math.round((second + 0.2) * rate); i++) {
        if (Math.abs(all[2 * i]!) > 0.4) {
          clickTimes.push(i / rate);
          break;
        }
      }
    }
    let seek: DecodeSummary['seek'] = null;
    if (seekUs >= 0) {
      reader.seek(seekUs);
      const after: AudioChunk[] = [];
      let got = 0;
      for (let c = await reader.read(); c && got < 4800; c = await reader.read()) {
        after.push(c);
        got += c.frames;
      }
      let maxDifference = 0;
      let at = after[0]?.startFrame ?? 0;
      let compared = 0;
      for (const c of after) {
        for (let i = 0; i < c.frames * 2 && compared < 4800 * 2; i++, compared++) {
          maxDifference = Math.max(maxDifference, Math.abs(c.samples[i]! - all[at * 2 + i]!));
        }
        at += c.frames;
      }
      seek = { startFrame: after[0]?.startFrame ?? -1, maxDifference, frames: compared / 2 };
    }
    return {
      info: reader.info,
      chunks: chunks.length,
      frames,
      sampleRates: [...new Set(chunks.map((c) => c.sampleRate))],
      channels: [...new Set(chunks.map((c) => c.channels))],
      firstStartFrame: first,
      discontinuities,
      frequencyLeft: zeroCrossingFrequency(all, 0, from, to, rate),
      frequencyRight: zeroCrossingFrequency(all, 1, from, to, rate),
      tonePeak,
      clickTimes,
      seek,
      decodeMs,
      maxBufferedFrames: reader.stats.maxBufferedFrames,
    };
  } finally {
    reader.close();
  }
}

async function handle(message: ToAudioTestWorker): Promise<unknown> {
  switch (message.kind) {
    case 'connect':
      producer = new AudioProducer(message.transport, renderTone, message.targetMs === null ? {} : { targetMs: message.targetMs });
      return null;
    case 'start':
      producer!.start(0);
      return null;
    case 'seek':
      producer!.seek(message.frame);
      return producer!.stats();
    case 'stats': {
      const stats = producer!.stats();
      if (message.reset) producer!.resetStats();
      return stats;
    }
    case 'decode':
      return decode(message.file, message.seekUs);
  }
}

self.onmessage = (event: MessageEvent<ToAudioTestWorker>) => {
  const message = event.data;
  handle(message).then(
    (result) => self.postMessage({ id: message.id, ok: true, result } satisfies FromAudioTestWorker),
    (error: unknown) => self.postMessage({ id: message.id, ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } satisfies FromAudioTestWorker),
  );
};
