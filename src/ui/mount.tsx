// Mounts the React shell for a running player (src/main.ts starts the player first).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import type { PlayerController, ProgrammeRequest } from '../player/controller';
import type { PlayerStore } from '../player/store';
import type { ViewerSession } from '../player/viewer-session';
import { App } from './App';
import { PlayerStoreContext } from './store-context';

export interface ShellProps {
  store: PlayerStore;
  controller: PlayerController;
  /** The viewer's context choices, presets and resume point for this visit. */
  session?: ViewerSession;
  programme: ProgrammeRequest | null;
  /** Why the address's programme was refused (the test card is shown instead). */
  problem: string | null;
}

export function mount(root: HTMLElement, { store, controller, session, programme, problem }: ShellProps): void {
  createRoot(root).render(
    <StrictMode>
      <PlayerStoreContext.Provider value={store}>
        <App controller={controller} programme={programme} problem={problem} {...(session ? { session } : {})} />
      </PlayerStoreContext.Provider>
    </StrictMode>,
  );
}
