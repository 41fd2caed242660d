// The picture: a canvas the engine worker draws into. The canvas element is created inside the
// effect because control of a canvas can be transferred to a worker only once.
import { useContext, useEffect, useRef } from 'react';

import { PlayerController } from '../player/controller';
import type { TierRequest } from '../engine/simd';
import { PlayerStoreContext } from './store-context';

export const PROGRAMME_WIDTH = 1280;
export const PROGRAMME_HEIGHT = 720;

export interface StageProps {
  tier: TierRequest;
  verifyPresentation: boolean;
  onController: (controller: PlayerController | null) => void;
}

export function Stage({ tier, verifyPresentation, onController }: StageProps) {
  const host = useRef<HTMLDivElement>(null);
  const store = useContext(PlayerStoreContext);

  useEffect(() => {
    const container = host.current;
    if (!container || !store) return;
    const canvas = document.createElement('canvas');
    canvas.className = 'stage-canvas';
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', 'Engine test card: colour bars, a circle and the word Tessera');
    container.appendChild(canvas);
    const controller = new PlayerController(store, {
      canvas,
      fontUrl: `${import.meta.env.BASE_URL}fonts/DejaVuSans.ttf`,
      width: PROGRAMME_WIDTH,
      height: PROGRAMME_HEIGHT,
      tier,
      verifyPresentation,
    });
    onController(controller);
    return () => {
      onController(null);
      controller.dispose();
      canvas.remove();
    };
  }, [store, tier, verifyPresentation, onController]);

  return <div className="stage" ref={host} />;
}
