// The viewer's side of one visit, on the main thread: their context choices (applied mid-play and
// remembered as preferences), the layout following the screen unless they picked one, the
// address's presets checked once the programme is known, and the resume point saved while
// playing. The rules live in pure modules (context-variables.ts, url-presets.ts,
// preferences.ts); this file connects them to the controller, the store and the window.
import { createStore, type StoreApi } from 'zustand/vanilla';

import type { CaptionSettings } from './caption-settings';
import { withFollowingCaptions } from './context-variables';
import type { PlayerController, ProgrammeRequest } from './controller';
import {
  forgetResumePoint,
  loadPreferences,
  loadResumePoint,
  REMEMBERED_CONTEXT_KEYS,
  rememberPreferences,
  saveResumePoint,
  type PreferenceStorage,
  type ResumePoint,
} from './preferences';
import type { ViewerContext } from './protocol';
import type { PlayerState, PlayerStore } from './store';
import { checkUrlPresets, readUrlPresets, type UrlPresets } from './url-presets';

/** How often the resume point is saved while playing. */
export const RESUME_SAVE_INTERVAL_MS = 3000;
/** Closer than this to the end, the viewing counts as finished: the resume point is forgotten. */
export const RESUME_END_MARGIN_S = 5;
/** Resizes settle for this long before the layout follows (a rotation fires several). */
export const LAYOUT_DEBOUNCE_MS = 150;
/** Context keys that belong to the player, not kept with a viewing. */
const NOT_VIEWING_KEYS = new Set([...REMEMBERED_CONTEXT_KEYS, 'choices']);

/** The layout the screen asks for: portrait when it is taller than wide. */
export function viewportOrientation(width: number, height: number): 'portrait' | 'landscape' {
  return height > width ? 'portrait' : 'landscape';
}

/** The session's own state, for the settings panel and the notices. */
export interface SessionState {
  /** Plain-language notices for the viewer (address presets that could not be used). */
  notices: string[];
  /** The layout the viewer (or the address) picked; null: it follows the screen. */
  layout: string | null;
}

/** What the page starts the player with (computed before the player starts, so the first plan has it). */
export interface LaunchContext {
  context: ViewerContext;
  captionSettings: CaptionSettings;
  /** The programme, moved to the resume point when there is one and the address gave no time. */
  programme: ProgrammeRequest | null;
  presets: UrlPresets;
  /** The context before the address's presets (what a refused preset falls back to). */
  base: ViewerContext;
  /** Where this programme's viewing was resumed from, if it was. */
  resumed: ResumePoint | null;
}

/**
 * The context to start with: stored preferences, then the viewing being resumed, then the
 * address's presets (they win for this visit), then the screen's orientation unless one was set.
 */
export function launchContext(
  storage: PreferenceStorage | null,
  search: string,
  programme: ProgrammeRequest | null,
  viewport: { width: number; height: number },
): LaunchContext {
  const preferences = loadPreferences(storage);
  const presets = readUrlPresets(search);
  const explicitStart = new URLSearchParams(search).has('at');
  const resumed = programme && !explicitStart ? loadResumePoint(storage, programme.url) : null;
  const base: ViewerContext = { ...preferences.context, ...resumed?.context };
  const context: ViewerContext = { ...base, ...presets.context };
  if (resumed?.choices) context.choices = { ...resumed.choices };
  if (context.orientation === undefined) context.orientation = viewportOrientation(viewport.width, viewport.height);
  return {
    context,
    captionSettings: preferences.captionSettings,
    programme: programme && resumed ? { ...programme, at: resumed.position } : programme,
    presets,
    base,
    resumed,
  };
}

export class ViewerSession {
  readonly state: StoreApi<SessionState>;
  readonly #controller: PlayerController;
  readonly #store: PlayerStore;
  readonly #storage: PreferenceStorage | null;
  readonly #programmeUrl: string | null;
  readonly #presets: UrlPresets;
  readonly #base: ViewerContext;
  readonly #viewport: () => { width: number; height: number };
  readonly #stops: (() => void)[] = [];

  constructor(options: {
    controller: PlayerController;
    store: PlayerStore;
    storage: PreferenceStorage | null;
    programme: ProgrammeRequest | null;
    launch: LaunchContext;
    /** The window's size (the layout when the viewer has not picked one). */
    viewport: () => { width: number; height: number };
  }) {
    this.#viewport = options.viewport;
    this.#controller = options.controller;
    this.#store = options.store;
    this.#storage = options.storage;
    this.#programmeUrl = options.programme?.url ?? null;
    this.#presets = options.launch.presets;
    this.#base = options.launch.base;
    const chosenLayout = options.launch.presets.context.orientation ?? options.launch.base.orientation;
    this.state = createStore<SessionState>()(() => ({
      notices: [...options.launch.presets.problems],
      layout: typeof chosenLayout === 'string' ? chosenLayout : null,
    }));
    // Once the programme's declarations arrive, the address's presets are checked against them.
    const unsubscribe = this.#store.subscribe((s) => {
      if (!s.programme) return;
      unsubscribe();
      this.#checkPresets();
    });
    this.#stops.push(unsubscribe);
  }

  /**
   * The viewer changed their context in the settings: applied at once (the programme re-resolves
   * where it is) and remembered when it is a preference.
   */
  choose(change: ViewerContext): void {
    const { programme, context } = this.#store.getState();
    const effective: ViewerContext = { ...programme?.context };
    for (const [key, value] of Object.entries(context)) if (value !== undefined) effective[key] = value;
    const applied = withFollowingCaptions(change, effective, programme?.captionLanguages ?? []);
    this.#controller.setContext(applied);
    rememberPreferences(this.#storage, { context: applied });
  }

  /** New caption settings: applied from the next frame and remembered. */
  chooseCaptionSettings(settings: CaptionSettings): void {
    this.#controller.setCaptionSettings(settings);
    rememberPreferences(this.#storage, { captionSettings: settings });
  }

  /** A layout the viewer picked, or null to follow the screen again. */
  chooseLayout(orientation: string | null): void {
    this.state.setState({ layout: orientation });
    rememberPreferences(this.#storage, { context: { orientation: orientation ?? undefined } });
    this.#controller.setContext({ orientation: orientation ?? this.#screenOrientation() });
  }

  /** Follows the window's shape (rotation, resize) while the viewer has not picked a layout. */
  followScreen(win: Window): void {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const update = () => {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        if (this.state.getState().layout !== null) return;
        const orientation = this.#screenOrientation();
        if (this.#store.getState().context.orientation !== orientation) this.#controller.setContext({ orientation });
      }, LAYOUT_DEBOUNCE_MS);
    };
    const query = win.matchMedia?.('(orientation: portrait)');
    query?.addEventListener('change', update);
    win.addEventListener('resize', update);
    this.#stops.push(() => {
      query?.removeEventListener('change', update);
      win.removeEventListener('resize', update);
      if (timer !== null) clearTimeout(timer);
    });
  }

  /** Saves the resume point every few seconds while playing, and when the page is hidden or left. */
  rememberPosition(win: Window): void {
    if (this.#programmeUrl === null) return;
    const interval = win.setInterval(() => {
      if (this.#store.getState().playback?.state === 'playing') this.saveResumePoint();
    }, RESUME_SAVE_INTERVAL_MS);
    const onHide = () => this.saveResumePoint();
    const onVisibility = () => {
      if (win.document.visibilityState === 'hidden') this.saveResumePoint();
    };
    win.addEventListener('pagehide', onHide);
    win.document.addEventListener('visibilitychange', onVisibility);
    // The end of the programme forgets the viewing (the next one starts afresh).
    const unsubscribe = this.#store.subscribe((s, previous) => {
      if (s.playback?.state === 'ended' && previous.playback?.state !== 'ended') this.saveResumePoint();
    });
    this.#stops.push(() => {
      win.clearInterval(interval);
      win.removeEventListener('pagehide', onHide);
      win.document.removeEventListener('visibilitychange', onVisibility);
      unsubscribe();
    });
  }

  /** Saves where the viewer is now (or forgets the programme when they are at its end). */
  saveResumePoint(): void {
    const url = this.#programmeUrl;
    const { playback, programme, context } = this.#store.getState();
    if (url === null || !programme || !playback || playback.presented === 0) return; // nothing shown yet
    if (programme.local) return; // a programme the viewer opened from their files is not the address's
    if (playback.state === 'ended' || playback.time >= programme.duration - RESUME_END_MARGIN_S) {
      forgetResumePoint(this.#storage, url);
      return;
    }
    const viewing: ViewerContext = {};
    for (const [key, value] of Object.entries(context)) {
      if (!NOT_VIEWING_KEYS.has(key) && value !== undefined && typeof value !== 'object') viewing[key] = value;
    }
    saveResumePoint(
      this.#storage,
      url,
      {
        position: playback.time,
        ...(context.choices ? { choices: context.choices } : {}),
        ...(Object.keys(viewing).length > 0 ? { context: viewing } : {}),
      },
      Date.now(),
    );
  }

  /** The player's state now (tests and the console read it through window.tesseraSession). */
  playerState(): PlayerState {
    return this.#store.getState();
  }

  dismissNotice(index: number): void {
    this.state.setState((s) => ({ notices: s.notices.filter((_, i) => i !== index) }));
  }

  dispose(): void {
    for (const stop of this.#stops.splice(0)) stop();
  }

  #screenOrientation(): 'portrait' | 'landscape' {
    const { width, height } = this.#viewport();
    return viewportOrientation(width, height);
  }

  #checkPresets(): void {
    const programme = this.#store.getState().programme;
    if (!programme) return;
    const check = checkUrlPresets(this.#presets.presets, programme.variables, programme.captionLanguages);
    // A refused value falls back to what the viewer had without the address (their preference).
    for (const [key, value] of Object.entries(check.change)) {
      if (value === undefined && this.#base[key] !== undefined) check.change[key] = this.#base[key];
    }
    if ('orientation' in check.change && check.change.orientation === undefined) {
      // The address's layout was refused and the viewer has none of their own: follow the screen.
      this.state.setState({ layout: null });
      check.change.orientation = this.#screenOrientation();
    }
    if (Object.keys(check.change).length > 0) this.#controller.setContext(check.change);
    if (check.problems.length > 0) this.state.setState((s) => ({ notices: [...s.notices, ...check.problems] }));
  }
}

declare global {
  interface Window {
    /** The visit's viewer session (context choices, presets, resume point), for tests and the console. */
    tesseraSession?: ViewerSession;
  }
}
