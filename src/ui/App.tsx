// The viewer shell: the engine's picture and a readout. React renders state; the controller and
// the worker own it. With ?programme=… it plays that programme, else it shows the test card.
import { useEffect, useState } from 'react';

import type { TierRequest } from '../engine/simd';
import type { PlayerController, ProgrammeRequest } from '../player/controller';
import { FrameReadout } from './FrameReadout';
import { PlaybackStats } from './PlaybackStats';
import { Stage } from './Stage';
import { Transport } from './Transport';
import { usePlayer } from './store-context';

declare global {
  interface Window {
    /** The page's player, for tests and the console (commands only; state is in the store). */
    tesseraPlayer?: PlayerController;
  }
}

export interface AppProps {
  tier: TierRequest;
  verifyPresentation?: boolean;
  programme?: ProgrammeRequest | null;
  /** Why the address's programme was refused (the test card is shown instead). */
  problem?: string | null;
}

export function App({ tier, verifyPresentation = false, programme = null, problem = null }: AppProps) {
  const [controller, setController] = useState<PlayerController | null>(null);
  const ready = usePlayer((s) => s.status === 'ready');
  useEffect(() => {
    window.tesseraPlayer = controller ?? undefined;
  }, [controller]);
  return (
    <main className="app">
      <header className="app-header">
        <h1>Tessera</h1>
        <p>Object-based media, composed for you.</p>
      </header>
      {problem && (
        <p className="readout-error" role="alert">
          The programme was not loaded: {problem}
        </p>
      )}
      <Stage tier={tier} verifyPresentation={verifyPresentation} programme={programme} onController={setController} />
      <footer className="app-footer">
        {programme && <Transport controller={controller} />}
        <FrameReadout />
        {programme ? (
          <PlaybackStats />
        ) : (
          <button type="button" disabled={!ready || !controller} onClick={() => controller?.renderTestCard()}>
            Render again
          </button>
        )}
      </footer>
    </main>
  );
}
