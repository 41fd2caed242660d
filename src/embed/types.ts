// The public types of the embedding API: what <tessera-player> and <TesseraPlayer> tell the page.
// Kept free of the player's internals so that the emitted declarations stay small and stable.
import type { EngineTier } from '../engine/engine';
import type { ErrorStage } from '../player/protocol';

/** The engine is loaded and the font is in: the player can compose. */
export interface TesseraReadyDetail {
  /** The engine build the browser runs ('simd' or 'scalar'). */
  tier: EngineTier;
  /** Milliseconds the engine took to load. */
  loadMs: number;
}

export interface TesseraScene {
  id: string;
  title?: string;
  /** Seconds from the start of the programme. */
  start: number;
  end: number;
}

/** A programme was loaded, or its plan changed (a viewer-context change can change its length). */
export interface TesseraProgrammeDetail {
  /** The programme's address, absolute. */
  url: string;
  title: string;
  /** Seconds, for this viewer's context. */
  duration: number;
  width: number;
  height: number;
  scenes: TesseraScene[];
}

/** The position moved (a few times a second while playing, and after every seek). */
export interface TesseraTimeUpdateDetail {
  /** Seconds: the programme time of the frame on screen. */
  time: number;
  duration: number;
}

export type TesseraPlaybackState = 'playing' | 'paused' | 'ended';

export interface TesseraStateChangeDetail {
  state: TesseraPlaybackState;
}

export interface TesseraErrorDetail {
  /** Where it failed: 'load' (engine), 'font', 'programme', 'render', 'media' or 'asset' (a file). */
  stage: ErrorStage;
  message: string;
  /** The file that could not be used ('media' and 'asset' errors). */
  file?: string;
  /** True: the engine or the programme stopped. False: playback goes on without the file. */
  fatal: boolean;
}

/** The element's events, by name: each a CustomEvent with a typed detail. */
export interface TesseraPlayerEventMap {
  ready: CustomEvent<TesseraReadyDetail>;
  programme: CustomEvent<TesseraProgrammeDetail>;
  timeupdate: CustomEvent<TesseraTimeUpdateDetail>;
  statechange: CustomEvent<TesseraStateChangeDetail>;
  error: CustomEvent<TesseraErrorDetail>;
}

export type TesseraPlayerEventName = keyof TesseraPlayerEventMap;

/** One event to dispatch: its name and detail, kept together so the pair is type-checked. */
export type TesseraPlayerEvent = {
  [K in TesseraPlayerEventName]: { type: K; detail: TesseraPlayerEventMap[K]['detail'] };
}[TesseraPlayerEventName];
