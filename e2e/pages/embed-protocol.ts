// What the embedding test pages (embed-element.html, embed-react.html) expose to
// e2e/embed.spec.ts: every event any <tessera-player> on the page dispatched, in order, and any
// Content-Security-Policy violation.
import type { TesseraPlayerEventName } from '../../src/embed/types';

export interface RecordedEvent {
  /** The id of the element that dispatched it. */
  player: string;
  type: TesseraPlayerEventName;
  detail: unknown;
}

export interface EmbedTestPage {
  events: RecordedEvent[];
  /** "directive: blocked URI at source:line after N events" for each CSP violation. */
  violations: string[];
  /** The React page only: changes <TesseraPlayer>'s props (merged into the current ones). */
  setProps?: (props: Record<string, unknown>) => void;
}

declare global {
  interface Window {
    embedTest?: EmbedTestPage;
  }
}
