// The viewer shell inside <tessera-player>: the app's own React tree (src/ui/App.tsx, as
// src/ui/mount.tsx renders it), on a root the element keeps, so that a new src re-renders it and
// removing the element unmounts it. Loaded on demand, like the app's shell: React downloads while
// the engine worker starts.
import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';

import type { PlayerController, ProgrammeRequest } from '../player/controller';
import type { PlayerStore } from '../player/store';
import { App } from '../ui/App';
import { PlayerStoreContext } from '../ui/store-context';

export interface EmbeddedShell {
  /** Shows another programme (null: the test card). */
  update(programme: ProgrammeRequest | null): void;
  unmount(): void;
}

export function mountShell(container: HTMLElement, store: PlayerStore, controller: PlayerController, programme: ProgrammeRequest | null): EmbeddedShell {
  const root: Root = createRoot(container);
  const render = (current: ProgrammeRequest | null) =>
    root.render(
      <StrictMode>
        <PlayerStoreContext.Provider value={store}>
          <App controller={controller} programme={current} />
        </PlayerStoreContext.Provider>
      </StrictMode>,
    );
  render(programme);
  return { update: render, unmount: () => root.unmount() };
}
