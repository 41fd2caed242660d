// <tessera-player src="programme.json">: the viewer, embeddable in any page. The element starts a
// player (src/player/start.ts: the engine worker, the store) when it is put in a document, shows
// the app's shell (src/ui/App.tsx) in its shadow root, and reports what the player does as
// CustomEvents (events.ts). Attributes (attributes.ts): src, at, paused, the viewer-context
// presets lang, captions, sign, audio-description, duration, font-base, and audio (off: silent).
//
// Its worker, wasm and fonts are files beside the library (vite.lib.config.ts), found from this
// module's own address, so the library works from whatever folder a site puts it in.
import type { PlayerController, ProgrammeRequest } from '../player/controller';
import { startPlayer } from '../player/start';
import type { PlayerStore } from '../player/store';
import {
  OBSERVED_ATTRIBUTES,
  audioAllowed,
  TAG_NAME,
  contextChange,
  contextFromAttributes,
  isContextAttribute,
  programmeRequest,
} from './attributes';
import { playerEvents, programmeDetail } from './events';
import type { EmbeddedShell } from './shell';
import { playerStyleSheet } from './stylesheet';
import type { TesseraPlaybackState, TesseraPlayerEvent, TesseraPlayerEventMap, TesseraProgrammeDetail } from './types';

/** The fonts' folder in the built library, beside its files (a variable: Vite leaves it alone). */
const LIBRARY_FONTS = 'fonts/';

/** Where the fonts are unless font-base says: beside the library (under the dev server: /fonts/). */
function defaultFontBase(): string {
  return import.meta.env.DEV ? new URL('/fonts/', location.href).href : new URL(LIBRARY_FONTS, import.meta.url).href;
}

type ElementEventMap = Omit<HTMLElementEventMap, keyof TesseraPlayerEventMap> & TesseraPlayerEventMap;

interface Running {
  store: PlayerStore;
  controller: PlayerController;
  unsubscribe: () => void;
  shell: EmbeddedShell | null;
  /** False once stopped: a shell still loading then is not mounted. */
  live: boolean;
}

type Command = (controller: PlayerController) => void;

export class TesseraPlayerElement extends HTMLElement {
  static readonly observedAttributes: readonly string[] = OBSERVED_ATTRIBUTES;

  readonly #container: HTMLDivElement;
  #running: Running | null = null;
  /** A start is queued (a microtask after connecting, so attributes set meanwhile count). */
  #starting = false;
  /** play/pause/seek called before the player started, run once it has. */
  #pending: Command[] = [];
  /** Attributes changed since the player started, applied together (#applyChanges). */
  readonly #changed = new Set<string>();

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: 'open' });
    shadow.adoptedStyleSheets = [playerStyleSheet()];
    this.#container = document.createElement('div');
    this.#container.setAttribute('part', 'shell');
    shadow.append(this.#container);
  }

  // ---- the page's API ---------------------------------------------------------------------

  /** The programme's address (the src attribute). */
  get src(): string {
    return this.getAttribute('src') ?? '';
  }

  set src(value: string) {
    this.setAttribute('src', value);
  }

  /** Seconds: the programme time of the frame on screen (0 before the first). */
  get currentTime(): number {
    return this.#running?.store.getState().playback?.time ?? 0;
  }

  /** Seconds, for this viewer's context (0 before the programme has loaded). */
  get duration(): number {
    return this.#running?.store.getState().programme?.duration ?? 0;
  }

  /** 'playing', 'paused' or 'ended'; null before the programme's first frame. */
  get state(): TesseraPlaybackState | null {
    return this.#running?.store.getState().playback?.state ?? null;
  }

  /** The loaded programme (null before it has loaded, or for the test card). */
  get programme(): TesseraProgrammeDetail | null {
    const programme = this.#running?.store.getState().programme;
    return programme ? programmeDetail(programme) : null;
  }

  play(): void {
    this.#command((c) => c.play());
  }

  pause(): void {
    this.#command((c) => c.pause());
  }

  /** Moves to `time` seconds; playing goes on from there, a paused player shows that frame. */
  seek(time: number): void {
    if (!Number.isFinite(time) || time < 0) throw new RangeError(`seek(${time}): the time must be a number of seconds ≥ 0`);
    this.#command((c) => c.seek(time));
  }

  override addEventListener<K extends keyof ElementEventMap>(
    type: K,
    listener: (this: TesseraPlayerElement, event: ElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void {
    super.addEventListener(type, listener, options);
  }

  override removeEventListener<K extends keyof ElementEventMap>(
    type: K,
    listener: (this: TesseraPlayerElement, event: ElementEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void {
    super.removeEventListener(type, listener, options);
  }

  // ---- lifecycle --------------------------------------------------------------------------

  connectedCallback(): void {
    if (this.#running || this.#starting) return;
    this.#starting = true;
    queueMicrotask(() => {
      this.#starting = false;
      if (this.isConnected && !this.#running) this.#start();
    });
  }

  disconnectedCallback(): void {
    // A move (removed and inserted again in one task) keeps the player.
    queueMicrotask(() => {
      if (!this.isConnected) this.#stop();
    });
  }

  attributeChangedCallback(name: string, oldValue: string | null, value: string | null): void {
    if (!this.#running || oldValue === value) return; // before the start, the start reads them all
    // Applied together a microtask later: a page (or React) setting src, at and a preset in one go
    // gets one load, with the new start time and the new context.
    if (this.#changed.size === 0) queueMicrotask(() => this.#applyChanges());
    this.#changed.add(name);
  }

  // ---- internals --------------------------------------------------------------------------

  #applyChanges(): void {
    const changed = new Set(this.#changed);
    this.#changed.clear();
    const running = this.#running;
    if (!running) return;
    if (changed.has('font-base') || changed.has('audio')) {
      // The engine loads its font once, and the audio output is made (or not) at the start: a new
      // folder or a new audio setting takes a new player (reading every attribute).
      this.#stop();
      this.#start();
      return;
    }
    // The context first, so that a new programme is resolved with it from its first frame.
    const context = [...changed].filter(isContextAttribute).map((name) => contextChange(name, this.getAttribute(name)));
    if (context.length > 0) running.controller.setContext(Object.assign({}, ...context));
    if (changed.has('src')) {
      const programme = this.#programme();
      if (programme) running.controller.load(programme);
      else {
        running.controller.stop();
        running.controller.renderTestCard();
      }
      running.shell?.update(programme);
    }
    // `at` and `paused` alone change nothing: they say how the next programme starts.
  }

  #programme(): ProgrammeRequest | null {
    return programmeRequest((n) => this.getAttribute(n), document.baseURI);
  }

  #fontUrl(): string {
    const base = this.getAttribute('font-base');
    const folder = base ? new URL(base.endsWith('/') ? base : `${base}/`, document.baseURI).href : defaultFontBase();
    return new URL('DejaVuSans.ttf', folder).href;
  }

  #start(): void {
    const programme = this.#programme();
    let started: ReturnType<typeof startPlayer>;
    try {
      started = startPlayer({
        fontUrl: this.#fontUrl(),
        programme,
        context: contextFromAttributes((n) => this.getAttribute(n)),
        audio: audioAllowed((n) => this.getAttribute(n)),
        gestureTarget: this,
      });
    } catch (error) {
      // e.g. the page's CSP refuses the worker.
      this.#dispatch({ type: 'error', detail: { stage: 'load', message: error instanceof Error ? error.message : String(error), fatal: true } });
      return;
    }
    const { store, controller } = started;
    const running: Running = {
      store,
      controller,
      shell: null,
      live: true,
      unsubscribe: store.subscribe((state, prev) => {
        for (const event of playerEvents(prev, state)) this.#dispatch(event);
      }),
    };
    this.#running = running;
    for (const command of this.#pending.splice(0)) command(controller);
    void import('./shell').then(
      ({ mountShell }) => {
        if (!running.live) return;
        running.shell = mountShell(this.#container, store, controller, this.#programme());
      },
      (error: unknown) => {
        this.#dispatch({ type: 'error', detail: { stage: 'load', message: `the player's shell did not load: ${String(error)}`, fatal: true } });
      },
    );
  }

  #stop(): void {
    const running = this.#running;
    if (!running) return;
    this.#running = null;
    running.live = false;
    running.unsubscribe();
    running.shell?.unmount();
    running.controller.dispose();
    this.#container.replaceChildren();
  }

  #command(command: Command): void {
    if (this.#running) command(this.#running.controller);
    else this.#pending.push(command);
  }

  #dispatch(event: TesseraPlayerEvent): void {
    this.dispatchEvent(new CustomEvent(event.type, { detail: event.detail }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tessera-player': TesseraPlayerElement;
  }
}

/** Registers <tessera-player> (once; importing the library does it). */
export function defineTesseraPlayer(): void {
  if (!customElements.get(TAG_NAME)) customElements.define(TAG_NAME, TesseraPlayerElement);
}

defineTesseraPlayer();
