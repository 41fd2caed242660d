// The picture: a canvas the engine worker draws into. The canvas element is created inside the
// effect because control of a canvas can be transferred to a worker only once (StrictMode mounts
// twice in development: each mount attaches a new canvas).
import { useEffect, useRef, type CSSProperties } from 'react';

import type { PlayerController, ProgrammeRequest } from '../player/controller';
import { usePlayer } from './store-context';

export interface StageProps {
  controller: PlayerController;
  /** The programme playing (else the test card is shown). */
  programme: ProgrammeRequest | null;
}

const TEST_CARD_LABEL = 'Engine test card: colour bars, a circle and the word Tessera';

export function Stage({ controller, programme }: StageProps) {
  const host = useRef<HTMLDivElement>(null);
  const title = usePlayer((s) => s.programme?.title ?? null);
  // The frame's shape (a programme's layout may be portrait, 720×1280): the stage takes it, and
  // is never taller than most of the window, so the whole picture shows (styles.css, .stage).
  const width = usePlayer((s) => s.programme?.width ?? 16);
  const height = usePlayer((s) => s.programme?.height ?? 9);

  useEffect(() => {
    const container = host.current;
    if (!container) return;
    const canvas = document.createElement('canvas');
    canvas.className = 'stage-canvas';
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', programme ? 'Programme' : TEST_CARD_LABEL);
    container.appendChild(canvas);
    controller.attachCanvas(canvas);
    return () => {
      controller.detachCanvas();
      canvas.remove();
    };
  }, [controller, programme]);

  // Name the picture after the programme once it is known.
  useEffect(() => {
    const canvas = host.current?.querySelector('canvas');
    if (canvas && programme) canvas.setAttribute('aria-label', title ? `Programme: ${title}` : 'Programme');
  }, [programme, title]);

  const shape = { aspectRatio: `${width} / ${height}`, '--frame-aspect': String(width / height) } as CSSProperties;
  return <div className="stage" ref={host} style={shape} />;
}
