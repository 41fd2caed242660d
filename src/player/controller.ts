// The player controller: owns the engine worker, sends it typed commands and folds its messages
// into the store. DOM use is limited to handing over (or drawing into) the canvas it is given.
import type { TierRequest } from '../engine/simd';
import type { FromWorker, ToWorker } from './protocol';
import { applyWorkerMessage, type PlayerStore } from './store';

export interface ControllerOptions {
  canvas: HTMLCanvasElement;
  fontUrl: string;
  width: number;
  height: number;
  tier?: TierRequest;
  verifyPresentation?: boolean;
}

export class PlayerController {
  readonly #worker: Worker;
  readonly #store: PlayerStore;
  #fallbackContext: CanvasRenderingContext2D | null = null;

  constructor(store: PlayerStore, options: ControllerOptions) {
    this.#store = store;
    this.#worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name: 'tessera-engine' });
    this.#worker.onmessage = (event: MessageEvent<FromWorker>) => this.#receive(event.data);
    this.#worker.onerror = (event) => {
      event.preventDefault();
      this.#receive({ type: 'error', stage: 'load', message: event.message || 'the engine worker failed to start' });
    };
    store.setState({ status: 'loading' });

    const { canvas, fontUrl, width, height } = options;
    canvas.width = width;
    canvas.height = height;
    const base = {
      type: 'init',
      fontUrl,
      width,
      height,
      tier: options.tier ?? 'auto',
      verifyPresentation: options.verifyPresentation ?? false,
    } as const;
    if (typeof canvas.transferControlToOffscreen === 'function') {
      const offscreen = canvas.transferControlToOffscreen();
      this.#post({ ...base, canvas: offscreen }, [offscreen]);
    } else {
      // Older engines (some smart-TV browsers): the worker sends pixels back and we draw them here.
      this.#fallbackContext = canvas.getContext('2d', { alpha: false });
      this.#post(base);
    }
  }

  renderTestCard(): void {
    this.#post({ type: 'render-test-card' });
  }

  dispose(): void {
    this.#worker.terminate();
  }

  #post(message: ToWorker, transfer: Transferable[] = []): void {
    this.#worker.postMessage(message, transfer);
  }

  #receive(message: FromWorker): void {
    if (message.type === 'pixels' && this.#fallbackContext) {
      const pixels = new Uint8ClampedArray(message.pixels);
      this.#fallbackContext.putImageData(new ImageData(pixels, message.width, message.height), 0, 0);
    }
    this.#store.setState((state) => applyWorkerMessage(state, message));
  }
}
