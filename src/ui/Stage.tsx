// The picture: a canvas the engine worker draws into. The canvas element is created inside the
// effect because control of a canvas can be transferred to a worker only once.
import { useContext, useEffect, useRef } from 'react';

import { PlayerController, type ProgrammeRequest } from '../player/controller';
import type { TierRequest } from '../engine/simd';
import { PlayerStoreContext, usePlayer } from './store-context';

export const PROGRAMME_WIDTH = 1280;
export const PROGRAMME_HEIGHT = 720;

export interface StageProps {
  tier: TierRequest;
  verifyPresentation: boolean;
  /** Play this programme instead of drawing the test card. */
  programme: ProgrammeRequest | null;
  onController: (controller: PlayerController | null) => void;
}

const TEST_CARD_LABEL = 'Engine test card: colour bars, a circle and the word Tessera';

export function Stage({ tier, verifyPresentation, programme, onController }: StageProps) {
  const host = useRef<HTMLDivElement>(null);
  const store = useContext(PlayerStoreContext);
  const title = usePlayer((s) => s.programme?.title ?? null);

  useEffect(() => {
    const container = host.current;
    if (!container || !store) return;
    const canvas = document.createElement('canvas');
    canvas.className = 'stage-canvas';
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', programme ? 'Programme' : TEST_CARD_LABEL);
    container.appendChild(canvas);
    const controller = new PlayerController(store, {
      canvas,
      fontUrl: `${import.meta.env.BASE_URL}fonts/DejaVuSans.ttf`,
      width: PROGRAMME_WIDTH,
      height: PROGRAMME_HEIGHT,
      tier,
      verifyPresentation,
      ...(programme ? { programme } : {}),
    });
    onController(controller);
    return () => {
      onController(null);
      controller.dispose();
      canvas.remove();
    };
  }, [store, tier, verifyPresentation, programme, onController]);

  // Name the picture after the programme once it is known.
  useEffect(() => {
    const canvas = host.current?.querySelector('canvas');
    if (canvas && programme) canvas.setAttribute('aria-label', title ? `Programme: ${title}` : 'Programme');
  }, [programme, title]);

  return <div className="stage" ref={host} />;
}
