// The player's state (zustand, framework-neutral vanilla store). The controller writes it from
// worker messages; React components only read it.
import { createStore } from 'zustand/vanilla';

import type { EngineTier } from '../engine/engine';
import { DEFAULT_AUDIO_SETTINGS, type AudioSettings } from './audio-settings';
import { DEFAULT_CAPTION_SETTINGS, type CaptionSettings } from './caption-settings';
import type { Diagnostic } from '../programme/plan';
import { withoutChoices } from './choices';
import type { ErrorStage, FrameReport, FromWorker, PlaybackStats, ProgrammeInfo, ViewerContext } from './protocol';

export { median } from './playback';

/** A file the programme names that could not be used (playback goes on without it). */
export interface MediaError {
  stage: Extract<ErrorStage, 'media' | 'asset'>;
  file: string;
  message: string;
  /** The asset's id, type and role in the programme, when known. */
  asset?: string;
  assetType?: string;
  role?: string;
}

/** A programme the engine refused: which file, why, and the validator's errors. */
export interface ProgrammeProblem {
  stage: string;
  message: string;
  file?: string;
  diagnostics?: Diagnostic[];
}

export interface PlayerState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  tier: EngineTier | null;
  loadMs: number | null;
  heapBytes: number | null;
  frame: FrameReport | null;
  /** Rolling engine render times, most recent last (for the readout's median). */
  renderTimes: number[];
  /** A failure that stopped the engine or the programme. */
  error: ProgrammeProblem | null;
  /**
   * A programme the viewer opened from their files that the engine refused: nothing was replaced,
   * what was on screen goes on. Cleared by the next open, and by a programme that loads.
   */
  rejected: ProgrammeProblem | null;
  /** The programme playing, once loaded (null: the test card). */
  programme: ProgrammeInfo | null;
  /** The latest playback report from the worker. */
  playback: PlaybackStats | null;
  /** Files that could not be used, oldest first (at most MEDIA_ERROR_LIMIT). */
  mediaErrors: MediaError[];
  /** The text of the caption cues on screen (mirrored for screen readers and braille displays). */
  captions: string[];
  /** The viewer's caption settings in force. */
  captionSettings: CaptionSettings;
  /** The viewer's context the programme is resolved with. */
  context: ViewerContext;
  /** The viewer's audio settings in force. */
  audioSettings: AudioSettings;
  /** The page's audio output: made (available), resumed by a gesture (running), its transport. */
  audio: { available: boolean | null; running: boolean; transport: 'shared' | 'port' | null; problem?: string };
  /** When the last context change was first on screen (the worker's 'context-applied'). */
  contextApplied: { epochMs: number; time: number } | null;
}

export const initialPlayerState: PlayerState = {
  status: 'idle',
  tier: null,
  loadMs: null,
  heapBytes: null,
  frame: null,
  renderTimes: [],
  error: null,
  rejected: null,
  programme: null,
  playback: null,
  mediaErrors: [],
  captions: [],
  captionSettings: { ...DEFAULT_CAPTION_SETTINGS },
  context: {},
  audioSettings: { ...DEFAULT_AUDIO_SETTINGS },
  audio: { available: null, running: false, transport: null },
  contextApplied: null,
};

const RENDER_TIME_WINDOW = 30;
export const MEDIA_ERROR_LIMIT = 20;

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
    case 'programme': {
      const next = { ...state, programme: message.programme, playback: null, mediaErrors: [], error: null, rejected: null, captions: [] };
      // The viewer's answers to another programme's choices mean nothing in one they opened.
      return message.programme.local ? { ...next, context: withoutChoices(state.context) } : next;
    }
    case 'programme-changed':
      return { ...state, programme: message.programme };
    case 'captions':
      return { ...state, captions: message.text };
    case 'context-applied':
      return { ...state, contextApplied: { epochMs: message.epochMs, time: message.time } };
    case 'stats':
      return { ...state, playback: message.stats };
    case 'error':
      if (message.stage === 'media' || message.stage === 'asset') {
        // Not fatal: the player goes on with what is valid, and the readout lists the file.
        const entry: MediaError = { stage: message.stage, file: message.file ?? '', message: message.message };
        if (message.asset !== undefined) entry.asset = message.asset;
        if (message.assetType !== undefined) entry.assetType = message.assetType;
        if (message.role !== undefined) entry.role = message.role;
        return { ...state, mediaErrors: [...state.mediaErrors, entry].slice(-MEDIA_ERROR_LIMIT) };
      }
      {
        const problem: ProgrammeProblem = { stage: message.stage, message: message.message };
        if (message.file !== undefined) problem.file = message.file;
        if (message.diagnostics !== undefined) problem.diagnostics = message.diagnostics;
        // Refused before anything was replaced: the player goes on as it was.
        if (message.kept) return { ...state, rejected: problem };
        return { ...state, status: 'error', error: problem };
      }
    case 'pixels':
    case 'capture':
    case 'audio-probe':
      return state; // handled by the controller
  }
}

export function createPlayerStore() {
  return createStore<PlayerState>()(() => ({ ...initialPlayerState }));
}

export type PlayerStore = ReturnType<typeof createPlayerStore>;
