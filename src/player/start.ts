// Starting a player: the store, the viewer's saved caption settings and choice, and the
// controller (which starts the engine worker at once). Shared by the viewer app (src/main.ts) and
// the <tessera-player> element (src/embed/element.ts), so both start the same way.
import type { TierRequest } from '../engine/simd';
import { loadCaptionChoice, loadCaptionSettings } from './caption-settings';
import { PlayerController, type ProgrammeRequest } from './controller';
import type { ViewerContext } from './protocol';
import { createPlayerStore, type PlayerStore } from './store';

/** The frame size until a programme sets its own (the test card's). */
export const INITIAL_FRAME = { width: 1280, height: 720 };

export interface StartOptions {
  /** The player's font (its directory also holds the caption fonts). */
  fontUrl: string;
  tier?: TierRequest;
  verifyPresentation?: boolean;
  /** Play this programme; without it the test card is drawn. */
  programme?: ProgrammeRequest | null;
  /** Viewer-context values set by the page, over the viewer's saved caption choice. */
  context?: ViewerContext;
}

export interface StartedPlayer {
  store: PlayerStore;
  controller: PlayerController;
}

/** The page's localStorage, or null where the browser's privacy settings deny it. */
function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // the default caption settings
  }
}

export function startPlayer({ fontUrl, tier, verifyPresentation, programme, context }: StartOptions): StartedPlayer {
  const store = createPlayerStore();
  const storage = browserStorage();
  const controller = new PlayerController(store, {
    fontUrl,
    ...INITIAL_FRAME,
    ...(tier ? { tier } : {}),
    ...(verifyPresentation ? { verifyPresentation } : {}),
    ...(programme ? { programme } : {}),
    captionSettings: loadCaptionSettings(storage),
    context: { ...loadCaptionChoice(storage), ...context },
  });
  return { store, controller };
}
