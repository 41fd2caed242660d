// The player's state (zustand, framework-neutral vanilla store). The controller writes it from
// worker messages; React components only read it.
import { createStore } from 'zustand/vanilla';

import type { EngineTier } from '../engine/engine';
import type { FrameReport, FromWorker } from './protocol';

export interface PlayerState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  tier: EngineTier | null;
  loadMs: number | null;
  heapBytes: number | null;
  frame: FrameReport | null;
  /** Rolling engine render times, most recent last (for the readout's median). */
  renderTimes: number[];
  error: { stage: string; message: string } | null;
}

export const initialPlayerState: PlayerState = {
  status: 'idle',
  tier: null,
  loadMs: null,
  heapBytes: null,
  frame: null,
  renderTimes: [],
  error: null,
};

const RENDER_TIME_WINDOW = 30;

/** Pure state transition for one worker message (unit-tested without a worker or DOM). */
export function applyWorkerMessage(state: PlayerState, message: FromWorker): PlayerState {
  switch (message.type) {
    case 'ready':
      return { ...state, status: 'ready', tier: message.tier, loadMs: message.loadMs, heapBytes: message.heapBytes };
    case 'frame':
      return {
        ...state,
        frame: message.report,
        heapBytes: message.report.heapBytes,
        renderTimes: [...state.renderTimes, message.report.renderMs].slice(-RENDER_TIME_WINDOW),
      };
    case 'error':
      return { ...state, status: 'error', error: { stage: message.stage, message: message.message } };
    case 'pixels':
      return state; // presentation only; handled by the controller
  }
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function createPlayerStore() {
  return createStore<PlayerState>()(() => ({ ...initialPlayerState }));
}

export type PlayerStore = ReturnType<typeof createPlayerStore>;
