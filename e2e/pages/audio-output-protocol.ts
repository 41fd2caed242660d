// What e2e/audio-output.spec.ts asks the audio test page (audio-output.html) to do, and what comes
// back. The page owns the AudioOutput (src/audio/output.ts); its module worker
// (audio-output-worker.ts) runs the producer (src/audio/producer.ts) with a 440 Hz tone, and the
// AudioReader (src/media/audio-reader.ts) on the fixtures. Types only, plus the page's global.
import type { AudioTransport } from '../../src/audio/output';
import type { AudioInfo } from '../../src/media/audio-reader';
import type { AudioProducerStats } from '../../src/audio/producer';
import type { PlayoutCounters } from '../../src/audio/ring';

export const FIXTURE_URL_PREFIX = '/fixtures/media/';
export const TONE_HZ = 440;
export const TONE_AMPLITUDE = 0.1;

/** Page → worker. */
export type ToAudioTestWorker =
  | { id: number; kind: 'connect'; transport: AudioTransport; targetMs: number | null }
  | { id: number; kind: 'start' }
  | { id: number; kind: 'seek'; frame: number }
  | { id: number; kind: 'stats'; reset: boolean }
  | { id: number; kind: 'decode'; file: string; seekUs: number };

export type FromAudioTestWorker = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export interface OutputSetup {
  transport: 'shared' | 'port';
  crossOriginIsolated: boolean;
  contextState: string;
}

export interface Measurement {
  transport: 'shared' | 'port';
  elapsedMs: number;
  /** Frames played during the measurement, and the rate they imply. */
  framesPlayed: number;
  framesPerSecond: number;
  /** AudioContext.currentTime advance over the same interval, in frames per second. */
  contextFramesPerSecond: number;
  underrunFramesDuring: number;
  underrunFramesTotal: number;
  before: PlayoutCounters;
  after: PlayoutCounters;
  baseLatency: number | null;
  outputLatency: number | null;
  latencySeconds: number;
  producer: AudioProducerStats;
}

export interface DecodeSummary {
  info: AudioInfo;
  chunks: number;
  frames: number;
  sampleRates: number[];
  channels: number[];
  firstStartFrame: number;
  /** Chunks whose startFrame did not follow on from the previous chunk's end. */
  discontinuities: number;
  /** Tone frequencies from zero crossings over 0.1–0.9 s of the decoded audio (left, right). */
  frequencyLeft: number;
  frequencyRight: number;
  /** Peak of |left| over 0.1–0.9 s (the tone alone). */
  tonePeak: number;
  /** Times (s) where |left| first exceeds 0.4 in each second's click window. */
  clickTimes: number[];
  /** After seekUs: the first chunk's startFrame, and how far its first 4800 frames differ from the full decode. */
  seek: { startFrame: number; maxDifference: number; frames: number } | null;
  decodeMs: number;
  maxBufferedFrames: number;
}

export interface AudioOutputTestPage {
  /** Set once the output exists (the context may still be suspended). */
  setup: OutputSetup | null;
  setupError: string | null;
  /** Waits until the context runs and frames are being played. */
  waitPlaying(timeoutMs: number): Promise<{ waitedMs: number; contextState: string; framesPlayed: number }>;
  /**
   * Waits until audio plays in real time: frames played advance by at least 90% of the elapsed
   * time over `windowMs` (audio devices can stall for a second or two after starting).
   */
  waitSteady(windowMs: number, timeoutMs: number): Promise<{ waitedMs: number; steady: boolean; lastRate: number }>;
  measure(ms: number): Promise<Measurement>;
  /**
   * How the browser runs the worklet: polls the shared counters for `ms` (main thread busy) and
   * reports the most frames played within 3 ms (one burst of back-to-back quanta) and the longest
   * pause between bursts. Shared transport only (the port path's counters come every ~21 ms).
   */
  bursts(ms: number): { maxBurstFrames: number; maxPauseMs: number; bursts: number };
  /** Seek the producer (flush + render from frame); returns the counters after `settleMs`. */
  seek(frame: number, settleMs: number): Promise<{ before: PlayoutCounters; after: PlayoutCounters }>;
  decode(file: string, seekUs: number): Promise<DecodeSummary>;
}

declare global {
  interface Window {
    audioOutputTest?: AudioOutputTestPage;
  }
}
