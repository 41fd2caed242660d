// Entry point of the viewer app: creates the player store and mounts the React shell.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import type { TierRequest } from './engine/simd';
import { createPlayerStore } from './player/store';
import { App } from './ui/App';
import { PlayerStoreContext } from './ui/store-context';

// ?engine=scalar forces the non-SIMD build (for testing the fallback older TVs get).
const params = new URLSearchParams(location.search);
const requested = params.get('engine');
const tier: TierRequest = requested === 'simd' || requested === 'scalar' ? requested : 'auto';
// ?verify=1 makes the worker read the canvas back and hash it (used by the e2e tests).
const verifyPresentation = params.get('verify') === '1';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const store = createPlayerStore();
createRoot(root).render(
  <StrictMode>
    <PlayerStoreContext.Provider value={store}>
      <App tier={tier} verifyPresentation={verifyPresentation} />
    </PlayerStoreContext.Provider>
  </StrictMode>,
);
