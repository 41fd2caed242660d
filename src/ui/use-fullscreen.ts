// Full screen for one element (the player area) through the Fullscreen API; `active` follows the
// document, so leaving full screen with Esc or the browser's own control is reflected too.
import { useCallback, useEffect, useState, type RefObject } from 'react';

export interface Fullscreen {
  supported: boolean;
  active: boolean;
  toggle: () => void;
}

export function useFullscreen(target: RefObject<HTMLElement | null>): Fullscreen {
  const [active, setActive] = useState(false);
  const supported = typeof document !== 'undefined' && document.fullscreenEnabled === true;

  useEffect(() => {
    const update = () => setActive(document.fullscreenElement !== null && document.fullscreenElement === target.current);
    document.addEventListener('fullscreenchange', update);
    update();
    return () => document.removeEventListener('fullscreenchange', update);
  }, [target]);

  const toggle = useCallback(() => {
    const element = target.current;
    if (!element) return;
    // Refusals (no user gesture, a policy) leave the state as it is; the button shows the truth.
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
    else void element.requestFullscreen().catch(() => {});
  }, [target]);

  return { supported, active, toggle };
}
