// Messages between the main thread (player controller) and the engine worker. Every message is a
// member of one of these two unions; nothing else crosses the boundary.
import type { EngineTier } from '../engine/engine';
import type { TierRequest } from '../engine/simd';
import type { CaptionSettings } from './caption-settings';
import type { VideoFrameStats } from '../media/decoded-video-frame';
import type { AudioTransport } from '../audio/output';
import type { AudioStatsReport } from './audio-session';
import type { PlaybackCounters } from './playback';
import type { ChoiceInfo } from './choices';
import type { Diagnostic } from '../programme/plan';

export interface FrameReport {
  width: number;
  height: number;
  /** Engine time to compose the frame, in milliseconds. */
  renderMs: number;
  /** Time to hand the frame to the canvas, in milliseconds. */
  presentMs: number;
  /** SHA-256 (hex) of the engine's RGBA output, for determinism checks. */
  sha256: string;
  /** With `verifyPresentation`: SHA-256 of the pixels read back from the canvas after drawing. */
  presentedSha256?: string;
  heapBytes: number;
  /** Programme time of the frame in seconds (absent for the test card). */
  time?: number;
}

/** What the worker reports about playback, a few times a second and on every change of state. */
export interface PlaybackStats extends PlaybackCounters {
  /** VideoFrames received from decoders and not yet closed in the worker (leak check: 0 when idle). */
  videoFrames: VideoFrameStats;
  /**
   * When the first frame of the programme was presented, as an epoch time in milliseconds
   * (performance.timeOrigin + performance.now() in the worker), or null before it. Subtract the
   * page's performance.timeOrigin for the time since navigation.
   */
  firstFrameEpochMs: number | null;
  /** The audio output's state (null: no audio output attached). */
  audio?: AudioStatsReport | null;
}

/** A copy of the engine's frame, for tests (the same bytes the canvas was given). */
export interface FrameCapture {
  /** Programme time of the frame in seconds. */
  time: number;
  width: number;
  height: number;
  /** SHA-256 (hex) of `pixels`. */
  sha256: string;
  /** RGBA, premultiplied (transferred). */
  pixels: ArrayBuffer;
}

export interface ProgrammeInfo {
  /** Where the programme came from: its URL, or its path among the viewer's files (`local`). */
  url: string;
  /** Opened from the viewer's own files (dropped or picked), not from the site. */
  local?: boolean;
  title: string;
  /** Seconds. */
  duration: number;
  width: number;
  height: number;
  scenes: { id: string; title?: string; start: number; end: number }[];
  /** The languages of the programme's caption tracks (its captions assets), sorted. */
  captionLanguages: string[];
  /**
   * The viewer-context values the plan was resolved with (the viewer's, else the programme's
   * defaults): every context key of the plan, plus the viewer's `choices`.
   */
  context: ViewerContext;
  /** The choices on the plan's path the viewer can make (src/player/choices.ts), in path order. */
  choices?: ChoiceInfo[];
  /** The programme's variables bound to a viewer-context key (what the settings panel offers). */
  variables: ContextVariable[];
}

/** A value of a viewer-context key (docs/programme-format.md, "Viewer-context keys"). */
export type ContextValue = boolean | number | string;

/**
 * The viewer's context: any viewer-context key (docs/programme-format.md), plus `choices` (scene
 * id → option id taken). The keys the player itself reads are typed.
 */
export interface ViewerContext {
  captions?: boolean;
  captionsLanguage?: string;
  /** 0 broadcast mix … 1 clearest dialogue (programmes declare it as a context variable). */
  dialogueBalance?: number;
  /** The audio description on. */
  audioDescription?: boolean;
  language?: string;
  orientation?: string;
  /** The viewer's choices: scene id → option id taken (docs/programme-format.md, Choices). */
  choices?: Record<string, string>;
  [key: string]: ContextValue | Record<string, string> | undefined;
}

/** A programme variable bound to a viewer-context key (its declaration, from untrusted data, checked). */
export interface ContextVariable {
  /** The variable's name in the programme. */
  name: string;
  /** The viewer-context key it is bound to (`context`). */
  key: string;
  type: 'boolean' | 'number' | 'string';
  /** Allowed values, when the programme lists them. */
  values?: (string | number)[];
  min?: number;
  max?: number;
  default?: ContextValue;
  description?: string;
}

/** A programme from the viewer's own files: its text, and the files its assets resolve against. */
export interface LocalProgramme {
  /** Where the programme is among the files ("show/programme.json"); assets resolve from its folder. */
  path: string;
  /** The programme's JSON (a StoryPlayer story is converted before it is sent). */
  text: string;
  /** Every opened file by its path (src/player/local-files.ts). Files are sent by reference. */
  files: Map<string, Blob>;
}

export type ToWorker =
  | {
      type: 'init';
      /**
       * 'offscreen': frames are drawn on an OffscreenCanvas sent later ({ type: 'canvas' }), once
       * the page has one; 'pixels' (no OffscreenCanvas: some smart-TV browsers): every presented
       * frame's pixels come back to be drawn on the main thread.
       */
      presentation: 'offscreen' | 'pixels';
      fontUrl: string;
      width: number;
      height: number;
      tier: TierRequest;
      /** Read the canvas back after each settled frame and hash it (tests; costs a readback). */
      verifyPresentation?: boolean;
      /** Draw the test card once ready (default true; false when a programme will be loaded). */
      testCard?: boolean;
      /** The viewer's caption settings, applied from the first frame. */
      captionSettings?: CaptionSettings;
      /** The viewer's context for resolving programmes. */
      context?: ViewerContext;
    }
  /** The viewer's context changed (e.g. captions turned on): the programme is re-resolved where it is. */
  | { type: 'context'; context: ViewerContext }
  /** New caption settings: applied to the next frame (a paused frame is composed again). */
  | { type: 'caption-settings'; settings: CaptionSettings }
  /**
   * The canvas to draw on from now on (null: none for now). Handled at once, not after queued
   * commands: the player starts loading before the page has a canvas, and the frame composed in
   * the meantime is drawn as soon as one arrives.
   */
  | { type: 'canvas'; canvas: OffscreenCanvas | null }
  | { type: 'render-test-card' }
  /** Loads a programme (a same-origin URL), shows the frame at `at` seconds and plays unless `paused`. */
  | { type: 'load'; url: string; at: number; paused: boolean }
  /**
   * Opens a programme from the viewer's files. It replaces the one playing only if it is valid;
   * otherwise what is on screen stays and the error carries the validator's diagnostics.
   */
  | { type: 'open-files'; programme: LocalProgramme; at: number; paused: boolean }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'seek'; time: number }
  | { type: 'rate'; rate: number }
  /** Pauses and closes every video reader (they reopen on the next play or seek). */
  | { type: 'stop' }
  /** Asks for a copy of the frame on screen once any seek or pause has settled. */
  | { type: 'capture'; id: number }
  /**
   * The audio output's queue (shared ring, or a port: transfer it). Sent once the page has made
   * its AudioContext; the worker renders the programme's mix into it from then on.
   */
  | { type: 'audio-output'; transport: AudioTransport; latencySeconds: number }
  /** The AudioContext runs (a user gesture resumed it): the clock may follow the audio from now. */
  | { type: 'audio-running'; running: boolean; latencySeconds: number }
  /** Volume (linear 0…1) and mute, applied through the engine within a render quantum. */
  | { type: 'audio-controls'; volume: number; muted: boolean }
  /** Tests: the rendered mix's levels and the audio counters. */
  | { type: 'audio-probe'; id: number };

export type ErrorStage = 'load' | 'font' | 'render' | 'programme' | 'media' | 'asset';

export type FromWorker =
  | { type: 'ready'; tier: EngineTier; loadMs: number; heapBytes: number }
  | { type: 'frame'; report: FrameReport }
  /** Fallback presentation: the frame's RGBA bytes, transferred (not shared) to the main thread. */
  | { type: 'pixels'; width: number; height: number; pixels: ArrayBuffer }
  | { type: 'programme'; programme: ProgrammeInfo }
  /** The loaded programme's plan changed (a context change): its new facts, playback going on. */
  | { type: 'programme-changed'; programme: ProgrammeInfo }
  | { type: 'stats'; stats: PlaybackStats }
  /** The caption text on screen changed: each cue's text, in cue order (empty: none showing). */
  | { type: 'captions'; text: string[] }
  | { type: 'capture'; id: number; capture: FrameCapture | null; error?: string }
  | { type: 'audio-probe'; id: number; probe: AudioProbe | null }
  /**
   * The first frame composed with a new viewer context was presented: when (epoch milliseconds,
   * as firstFrameEpochMs) and at which programme time (tests measure how fast a change shows).
   */
  | { type: 'context-applied'; epochMs: number; time: number }
  /**
   * Something failed. 'media' and 'asset' errors name the file and playback goes on without it;
   * the other stages stop the engine or the programme.
   */
  | {
      type: 'error';
      stage: ErrorStage;
      message: string;
      file?: string;
      /** For 'media' and 'asset' errors: the asset's id, type and role, for a plain-language message. */
      asset?: string;
      assetType?: string;
      role?: string;
      /** For an invalid programme: the validator's errors (pointer, line, message). */
      diagnostics?: Diagnostic[];
      /** The programme was refused before anything was replaced: what was playing goes on. */
      kept?: boolean;
    };

/** What the worker knows of the audio for tests (audio-probe). */
export interface AudioProbe {
  stats: AudioStatsReport;
  /** [first programme frame, dBFS] of each rendered 10 ms block, oldest first. */
  levels: Array<[number, number]>;
  /**
   * Every control change: when the worker applied it, as programme frames heard and rendered next,
   * and as epoch ms (performance.timeOrigin + now) — against the page's input event, how long the
   * change took to reach the worker.
   */
  changes: Array<{ what: string; heardFrame: number | null; renderFrame: number; epochMs: number }>;
  /** Presented video frames against the audio heard at that moment (seconds: video time − heard time). */
  avOffsets: number[];
  /** Frames presented while playing: [programme time, epoch ms (performance.timeOrigin + now) when drawn]. */
  presented: Array<[number, number]>;
}
