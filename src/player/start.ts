// Starting a player: the store, what the viewer chose before (preferences, the viewing being
// resumed), the address's presets, the audio settings, and the controller (which starts the engine
// worker at once). Shared by the viewer app (src/main.ts) and the <tessera-player> element
// (src/embed/element.ts), so both start the same way.
import type { TierRequest } from '../engine/simd';
import { loadAudioSettings } from './audio-settings';
import { PlayerController, type ProgrammeRequest } from './controller';
import type { ViewerContext } from './protocol';
import { createPlayerStore, type PlayerStore } from './store';
import { launchContext, ViewerSession } from './viewer-session';

/** The frame size until a programme sets its own (the test card's). */
export const INITIAL_FRAME = { width: 1280, height: 720 };

export interface StartOptions {
  /** The player's font (its directory also holds the caption fonts). */
  fontUrl: string;
  tier?: TierRequest;
  verifyPresentation?: boolean;
  /** Play this programme; without it the test card is drawn. */
  programme?: ProgrammeRequest | null;
  /**
   * The page address's query: viewer-context presets (?lang=cy&duration=60…,
   * src/player/url-presets.ts) and ?audio=port|off. None by default.
   */
  search?: string;
  /** Viewer-context values set by the page (an element's attributes), over the viewer's own. */
  context?: ViewerContext;
  /**
   * The window the player belongs to. With it, a viewer session follows its screen shape, keeps
   * the resume point and remembers settings (the app); without, none (an embedded element).
   */
  session?: Window;
  /** Where a first key or pointer press lets the sound start (the AudioContext needs a gesture). */
  gestureTarget?: EventTarget;
  /** false: no sound output, and no AudioContext is ever made (as ?audio=off). Default true. */
  audio?: boolean;
}

export interface StartedPlayer {
  store: PlayerStore;
  controller: PlayerController;
  /** The programme as started (at a resume point, if there was one). */
  programme: ProgrammeRequest | null;
  session: ViewerSession | null;
}

/** The page's localStorage, or null where the browser's privacy settings deny it. */
function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // the defaults, and nothing remembered
  }
}

export function startPlayer(options: StartOptions): StartedPlayer {
  const store = createPlayerStore();
  const storage = browserStorage();
  const search = options.search ?? '';
  const win = options.session;
  const viewport = () => (win ? { width: win.innerWidth, height: win.innerHeight } : INITIAL_FRAME);
  // Stored preferences, the viewing being resumed, the presets and the screen's orientation: the
  // first plan is resolved with them.
  const launch = launchContext(win ? storage : null, search, options.programme ?? null, viewport());
  const programme = launch.programme;
  const audioParam = new URLSearchParams(search).get('audio');
  const controller = new PlayerController(store, {
    fontUrl: options.fontUrl,
    ...INITIAL_FRAME,
    ...(options.tier ? { tier: options.tier } : {}),
    ...(options.verifyPresentation ? { verifyPresentation: true } : {}),
    ...(programme ? { programme } : {}),
    captionSettings: launch.captionSettings,
    context: { ...launch.context, ...options.context },
    audioSettings: loadAudioSettings(storage),
    // ?audio=port forces the audio queue's MessagePort fallback (tests); ?audio=off makes no output.
    audio: options.audio !== false && audioParam !== 'off',
    audioTransport: audioParam === 'port' ? 'port' : 'auto',
  });
  let session: ViewerSession | null = null;
  if (win) {
    session = new ViewerSession({ controller, store, storage, programme, launch, viewport });
    session.followScreen(win);
    session.rememberPosition(win);
  }
  if (options.gestureTarget) unlockOnFirstGesture(options.gestureTarget, controller, store);
  return { store, controller, programme, session };
}

/**
 * The AudioContext may only start from a user gesture: Play (controller.play) or the first key or
 * pointer press on `target` makes and resumes it (the picture plays silently until then).
 */
function unlockOnFirstGesture(target: EventTarget, controller: PlayerController, store: PlayerStore): void {
  const unlock = () => {
    controller.unlockAudio();
    const { audio } = store.getState();
    if (audio.running || audio.available === false) {
      target.removeEventListener('keydown', unlock, true);
      target.removeEventListener('pointerdown', unlock, true);
    }
  };
  target.addEventListener('keydown', unlock, true);
  target.addEventListener('pointerdown', unlock, true);
}
