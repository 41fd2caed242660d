// The viewer shell: the engine's picture and a readout. React renders state; the controller and
// the worker own it.
import { useState } from 'react';

import type { TierRequest } from '../engine/simd';
import type { PlayerController } from '../player/controller';
import { FrameReadout } from './FrameReadout';
import { Stage } from './Stage';
import { usePlayer } from './store-context';

export function App({ tier, verifyPresentation = false }: { tier: TierRequest; verifyPresentation?: boolean }) {
  const [controller, setController] = useState<PlayerController | null>(null);
  const ready = usePlayer((s) => s.status === 'ready');
  return (
    <main className="app">
      <header className="app-header">
        <h1>Tessera</h1>
        <p>Object-based media, composed for you.</p>
      </header>
      <Stage tier={tier} verifyPresentation={verifyPresentation} onController={setController} />
      <footer className="app-footer">
        <FrameReadout />
        <button type="button" disabled={!ready || !controller} onClick={() => controller?.renderTestCard()}>
          Render again
        </button>
      </footer>
    </main>
  );
}
