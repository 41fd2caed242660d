// Entry point of the viewer app: creates the player store and mounts the React shell.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { launchOptions } from './player/launch';
import { createPlayerStore } from './player/store';
import { App } from './ui/App';
import { PlayerStoreContext } from './ui/store-context';

// ?engine=scalar|simd, ?verify=1, ?programme=<url>&at=<seconds>&paused (src/player/launch.ts).
const { tier, verifyPresentation, programme, problem } = launchOptions(location.search, location.href);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const store = createPlayerStore();
createRoot(root).render(
  <StrictMode>
    <PlayerStoreContext.Provider value={store}>
      <App tier={tier} verifyPresentation={verifyPresentation} programme={programme} problem={problem} />
    </PlayerStoreContext.Provider>
  </StrictMode>,
);
