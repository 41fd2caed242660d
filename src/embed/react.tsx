// <TesseraPlayer>: the <tessera-player> element for React pages. Props become the element's
// attributes (attributes.ts: the same names and rules), its events call the on* props with
// their typed detail, and a ref gives the element itself (play, pause, seek, currentTime).
// React stays the page's own: the library keeps it external for this entry (vite.lib.config.ts).
//
// This module does not contain the element: the page loads tessera-player.js from where the site
// hosts the library (docs/embedding.md). A bundler cannot re-bundle the element's worker and
// wasm from the built library, so the React entry stays a thin wrapper any bundler can take, and
// the element, its worker and its assets stay together as built. Until the element is defined,
// React renders an undefined <tessera-player> with its attributes and listeners; it upgrades in
// place when the library has loaded.
import { createElement, useEffect, useImperativeHandle, useLayoutEffect, useRef, type CSSProperties, type Ref } from 'react';

import { TAG_NAME, attributesFromProps, type PlayerAttributeProps } from './attributes';
import type { TesseraPlayerElement } from './element';
import type {
  TesseraErrorDetail,
  TesseraPlayerEventMap,
  TesseraProgrammeDetail,
  TesseraReadyDetail,
  TesseraStateChangeDetail,
  TesseraTimeUpdateDetail,
} from './types';

export interface TesseraPlayerProps extends PlayerAttributeProps {
  onReady?: (detail: TesseraReadyDetail) => void;
  onProgramme?: (detail: TesseraProgrammeDetail) => void;
  onTimeUpdate?: (detail: TesseraTimeUpdateDetail) => void;
  onStateChange?: (detail: TesseraStateChangeDetail) => void;
  onError?: (detail: TesseraErrorDetail) => void;
  /** The element: play(), pause(), seek(t), currentTime, duration, state. */
  ref?: Ref<TesseraPlayerElement | null>;
  id?: string;
  className?: string;
  style?: CSSProperties;
}

type Handlers = Pick<TesseraPlayerProps, 'onReady' | 'onProgramme' | 'onTimeUpdate' | 'onStateChange' | 'onError'>;

/** Which prop each event calls. */
const HANDLER_PROPS: { [K in keyof TesseraPlayerEventMap]: keyof Handlers } = {
  ready: 'onReady',
  programme: 'onProgramme',
  timeupdate: 'onTimeUpdate',
  statechange: 'onStateChange',
  error: 'onError',
};

export function TesseraPlayer(props: TesseraPlayerProps) {
  const { ref, id, className, style, onReady, onProgramme, onTimeUpdate, onStateChange, onError } = props;
  const element = useRef<TesseraPlayerElement>(null);
  useImperativeHandle<TesseraPlayerElement | null, TesseraPlayerElement | null>(ref, () => element.current, []);

  // The latest handlers, read when an event comes (listeners are added once per element).
  const handlers = useRef<Handlers>({});
  useLayoutEffect(() => {
    handlers.current = { onReady, onProgramme, onTimeUpdate, onStateChange, onError };
  });

  // Attributes before the element starts its player: it starts a microtask after being put in
  // the page, and layout effects run before that.
  const attributes = attributesFromProps(props);
  const attributeKey = JSON.stringify(attributes);
  useLayoutEffect(() => {
    const target = element.current;
    if (!target) return;
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null) target.removeAttribute(name);
      else if (target.getAttribute(name) !== value) target.setAttribute(name, value);
    }
  }, [attributeKey]); // attributeKey: the attributes' content (a new object every render)

  useEffect(() => {
    const target = element.current;
    if (!target) return;
    const listeners = Object.entries(HANDLER_PROPS).map(([type, prop]) => {
      const listener = (event: Event) => {
        const handler = handlers.current[prop] as ((detail: unknown) => void) | undefined;
        handler?.((event as CustomEvent<unknown>).detail);
      };
      target.addEventListener(type, listener);
      return () => target.removeEventListener(type, listener);
    });
    return () => listeners.forEach((remove) => remove());
  }, []);

  return createElement(TAG_NAME, { ref: element, id, className, style });
}

