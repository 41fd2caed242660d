// Types of the engine's programme audio (native/audio/programme_audio.h): what the host must
// decode, the viewer's audio controls and the stats overlay's numbers. The methods that carry
// them are on TesseraEngine (engine.ts); the engine mixes at 48 kHz, interleaved stereo float.
import type { PlannedMedia } from './engine';

/** The engine's output rate: frame f of the mix is programme time f / 48000 s. */
export const AUDIO_SAMPLE_RATE = 48000;
/** The engine's output channels (interleaved L R). */
export const AUDIO_CHANNELS = 2;
/** The AudioWorklet's render quantum. */
export const AUDIO_QUANTUM = 128;

/** EBU R128 broadcast level (the default) and the louder level for mobile listening. */
export type LoudnessTarget = -23 | -16;

/** What the audio of a moment needs from the host (Engine.audioAt). */
export interface AudioNeeds {
  time: number;
  audio: (PlannedMedia & {
    /** Programme time up to which PCM is already queued (`time` or the start, when none is). */
    queuedEnd: number;
  })[];
}

/** A change to the viewer's audio controls; fields left out keep their value. */
export interface AudioControls {
  /** 0 broadcast mix … 1 clearest dialogue: lowers less important sounds, never dialogue. */
  dialogueBalance?: number;
  /** Audio description audible, and ducking the rest while it speaks. */
  audioDescription?: boolean;
  /** Master volume in dB (null: silent). Give this or `volume`. */
  volumeDb?: number | null;
  /** Master volume as a linear gain (1 = unchanged). */
  volume?: number;
  muted?: boolean;
  /** Output loudness target in LUFS (clamped to -31…-10). */
  loudnessTarget?: number;
  /** Selects among language-tagged objects ("" none). */
  language?: string;
}

/** The mix's state for a stats overlay (Engine.audioStats). */
export interface AudioStats {
  /** The next frame to render. */
  frame: number;
  dialogueBalance: number;
  audioDescription: boolean;
  volumeDb: number | null;
  muted: boolean;
  loudnessTarget: number;
  /** Volume plus the loudness target's offset from -23 LUFS (null when silent). */
  masterGainDb: number | null;
  /** The audio description's duck at the last rendered frame (0: none). */
  duckGainDb: number;
  /** The true-peak limiter's current gain reduction, positive dB. */
  limiterReductionDb: number;
  /** Frames that needed PCM and had none, all objects. */
  underrunFrames: number;
  activeObjects: number;
  /** The limiter's look-ahead, frames (already compensated: render(f) is the programme at f). */
  latencyFrames: number;
  objects: { object: string; gainDb: number; underrunFrames: number; droppedFrames: number; queuedFrames: number }[];
}
