// Messages between the main thread (output.ts) and the output worklet (worklet.ts) on the
// AudioWorkletNode's port. Types and constants only: both sides import this file.
import type { PlayoutCounters } from './ring';

/** The name the worklet registers its processor under. */
export const OUTPUT_PROCESSOR_NAME = 'tessera-output';
/**
 * A transient detector for measurements (A/V sync, latency): connect the output node to it; it
 * posts the context frame of every onset — the first sample whose magnitude reaches `threshold`
 * after at least `quietFrames` below it.
 */
export const ONSET_PROCESSOR_NAME = 'tessera-onsets';

export interface OnsetOptions {
  threshold: number;
  quietFrames: number;
}

/** An onset heard: the context frame of its first loud sample, and that sample's magnitude. */
export interface OnsetMessage {
  type: 'onset';
  contextFrame: number;
  magnitude: number;
}

export type ToOutputWorklet =
  /** Play from this shared ring (cross-origin isolated pages). */
  | { type: 'connect-ring'; buffer: SharedArrayBuffer }
  /** Play chunks posted on this port (the fallback); the worklet reports its level back on it. */
  | { type: 'connect-port'; port: MessagePort; channels: number }
  | { type: 'start' }
  | { type: 'stop' }
  /** Drop everything queued now. (A seek goes through the producer: its flush is in-band.) */
  | { type: 'flush' };

export type FromOutputWorklet =
  /** Counters, every few quanta, when there is no shared ring to read them from. */
  { type: 'counters'; counters: PlayoutCounters };

/** Quanta between counter messages to the main thread on the port path (8 × 128 frames ≈ 21 ms). */
export const PORT_COUNTER_QUANTA = 8;
/** Quanta between level reports to the producer on the port path (4 × 128 frames ≈ 11 ms). */
export const PORT_LEVEL_QUANTA = 4;
