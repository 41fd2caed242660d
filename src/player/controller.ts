// The player controller: owns the engine worker, sends it typed commands and folds its messages
// into the store. DOM use is limited to handing over (or drawing into) the canvas it is given.
import type { TierRequest } from '../engine/simd';
import type { CaptionSettings } from './caption-settings';
import type { FrameCapture, FromWorker, ToWorker, ViewerContext } from './protocol';
import { applyWorkerMessage, type PlayerStore } from './store';

/** A programme to play instead of the test card. */
export interface ProgrammeRequest {
  /** Same-origin URL of the programme JSON. */
  url: string;
  /** Seconds to start at (default 0). */
  at?: number;
  /** Show the frame at `at` and wait (default: play). */
  paused?: boolean;
}

export interface ControllerOptions {
  /** Where to draw; attachCanvas gives one later (the player starts loading before the page has it). */
  canvas?: HTMLCanvasElement;
  fontUrl: string;
  width: number;
  height: number;
  tier?: TierRequest;
  verifyPresentation?: boolean;
  /** Play this programme; without it the worker draws the test card. */
  programme?: ProgrammeRequest;
  /** The viewer's caption settings (e.g. loaded from storage), applied from the first frame. */
  captionSettings?: CaptionSettings;
  /** The viewer's context (e.g. captions on, their language) to resolve programmes with. */
  context?: ViewerContext;
}

export class PlayerController {
  readonly #worker: Worker;
  readonly #store: PlayerStore;
  /** The frame size before a programme sets its own (the test card's). */
  readonly #size: { width: number; height: number };
  /** Frames come back as pixels (no OffscreenCanvas): drawn here, on the attached canvas. */
  readonly #pixelsPresentation: boolean;
  #fallbackContext: CanvasRenderingContext2D | null = null;
  /** The last frame sent back as pixels, drawn when a canvas is attached after it arrived. */
  #lastPixels: Extract<FromWorker, { type: 'pixels' }> | null = null;
  readonly #captures = new Map<number, { resolve: (capture: FrameCapture) => void; reject: (error: Error) => void }>();
  #nextCaptureId = 1;

  constructor(store: PlayerStore, options: ControllerOptions) {
    this.#store = store;
    this.#worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name: 'tessera-engine' });
    this.#worker.onmessage = (event: MessageEvent<FromWorker>) => this.#receive(event.data);
    this.#worker.onerror = (event) => {
      event.preventDefault();
      this.#receive({ type: 'error', stage: 'load', message: event.message || 'the engine worker failed to start' });
    };
    store.setState({ status: 'loading' });

    const { fontUrl, width, height } = options;
    this.#size = { width, height };
    this.#pixelsPresentation = typeof HTMLCanvasElement.prototype.transferControlToOffscreen !== 'function';
    this.#post({
      type: 'init',
      presentation: this.#pixelsPresentation ? 'pixels' : 'offscreen',
      fontUrl,
      width,
      height,
      tier: options.tier ?? 'auto',
      verifyPresentation: options.verifyPresentation ?? false,
      testCard: !options.programme,
      ...(options.captionSettings ? { captionSettings: options.captionSettings } : {}),
      ...(options.context ? { context: options.context } : {}),
    });
    if (options.captionSettings) store.setState({ captionSettings: options.captionSettings });
    if (options.context) store.setState({ context: options.context });
    if (options.programme) this.load(options.programme);
    if (options.canvas) this.attachCanvas(options.canvas);
  }

  /**
   * Draws on `canvas` from now on (the frame already composed at once). Control of a canvas can be
   * handed to the worker only once: attach a new canvas element after detachCanvas.
   */
  attachCanvas(canvas: HTMLCanvasElement): void {
    canvas.width = this.#size.width;
    canvas.height = this.#size.height;
    if (this.#pixelsPresentation) {
      this.#fallbackContext = canvas.getContext('2d', { alpha: false });
      if (this.#lastPixels) this.#drawPixels(this.#lastPixels);
      return;
    }
    const offscreen = canvas.transferControlToOffscreen();
    this.#post({ type: 'canvas', canvas: offscreen }, [offscreen]);
  }

  /** Stops drawing on the attached canvas (the player goes on; attach another to see it). */
  detachCanvas(): void {
    if (this.#pixelsPresentation) this.#fallbackContext = null;
    else this.#post({ type: 'canvas', canvas: null });
  }

  renderTestCard(): void {
    this.#post({ type: 'render-test-card' });
  }

  /** Loads a programme and shows its frame at `at`; plays unless `paused`. */
  load({ url, at = 0, paused = false }: ProgrammeRequest): void {
    this.#post({ type: 'load', url, at, paused });
  }

  play(): void {
    this.#post({ type: 'play' });
  }

  pause(): void {
    this.#post({ type: 'pause' });
  }

  /** Changes the viewer's context (merged into the current one); the programme re-resolves in place. */
  setContext(context: ViewerContext): void {
    const merged = { ...this.#store.getState().context, ...context };
    this.#store.setState({ context: merged });
    this.#post({ type: 'context', context: merged });
  }

  /**
   * Takes `option` at the choice of scene `scene`: merged into the context's choices, so the
   * programme re-resolves where it is (no restart) and its path follows the option.
   */
  choose(scene: string, option: string): void {
    const choices = { ...(this.#store.getState().context.choices ?? {}), [scene]: option };
    this.setContext({ choices });
  }

  /** Applies caption settings from the next frame on (the store keeps them for the UI). */
  setCaptionSettings(settings: CaptionSettings): void {
    this.#store.setState({ captionSettings: settings });
    this.#post({ type: 'caption-settings', settings });
  }

  /** Moves to `time` seconds; the frame there is shown once decoded, and playing goes on from it. */
  seek(time: number): void {
    this.#post({ type: 'seek', time });
  }

  setRate(rate: number): void {
    this.#post({ type: 'rate', rate });
  }

  /** Pauses and closes every video reader (releasing decoders); play or seek reopens them. */
  stop(): void {
    this.#post({ type: 'stop' });
  }

  /**
   * A copy of the engine's frame on screen, taken after every command sent before it (a seek's
   * frame, once decoded). For tests and diagnostics.
   */
  capture(): Promise<FrameCapture> {
    const id = this.#nextCaptureId++;
    return new Promise((resolve, reject) => {
      this.#captures.set(id, { resolve, reject });
      this.#post({ type: 'capture', id });
    });
  }

  dispose(): void {
    this.#worker.terminate();
    for (const pending of this.#captures.values()) pending.reject(new Error('the player was disposed'));
    this.#captures.clear();
  }

  #post(message: ToWorker, transfer: Transferable[] = []): void {
    this.#worker.postMessage(message, transfer);
  }

  #drawPixels(message: Extract<FromWorker, { type: 'pixels' }>): void {
    const context = this.#fallbackContext;
    if (!context) return;
    const target = context.canvas;
    if (target.width !== message.width || target.height !== message.height) {
      target.width = message.width; // a programme's layout may differ from the initial size
      target.height = message.height;
    }
    context.putImageData(new ImageData(new Uint8ClampedArray(message.pixels), message.width, message.height), 0, 0);
  }

  #receive(message: FromWorker): void {
    if (message.type === 'pixels') {
      this.#lastPixels = message;
      this.#drawPixels(message);
    }
    if (message.type === 'capture') {
      const pending = this.#captures.get(message.id);
      this.#captures.delete(message.id);
      if (pending && message.capture) pending.resolve(message.capture);
      else pending?.reject(new Error(message.error ?? 'no frame to capture'));
    }
    this.#store.setState((state) => applyWorkerMessage(state, message));
  }
}
