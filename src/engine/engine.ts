// The typed API over the wasm engine. This module and its two loaders (load-node.ts,
// load-browser.ts) are the only TypeScript that touches the engine's heap: callers get plain
// values, JS-owned copies, or a view that lives only for the duration of a callback.
import type {
  EngineModule,
  EngineModuleOptions,
  NativeEngine,
} from './generated/tessera-engine.mjs';

export type EngineTier = 'simd' | 'scalar';

export type EngineFactory = (options?: EngineModuleOptions) => Promise<EngineModule>;

/** One error type for everything the engine refuses; `message` is plain language. */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly code: 'engine-disposed' | 'font-rejected' | 'render-failed' | 'load-failed',
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export interface Frame {
  width: number;
  height: number;
  /** RGBA, premultiplied (identical to straight RGBA for the opaque frames drawn so far). */
  pixels: Uint8ClampedArray<ArrayBuffer>;
}

// Backstop only: engines should be disposed explicitly. If one is garbage-collected first, free
// its native memory and say so, so the leak is found and fixed rather than hidden.
const leakRegistry =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<NativeEngine>((native) => {
        if (!native.isDeleted()) {
          console.warn('tessera: an engine was garbage-collected without dispose(); freeing it');
          native.delete();
        }
      })
    : undefined;

export class TesseraEngine {
  #native: NativeEngine | null;
  readonly #module: EngineModule;

  private constructor(
    module: EngineModule,
    readonly tier: EngineTier,
    /** Milliseconds from starting to load the module to having a ready engine. */
    readonly loadMs: number,
  ) {
    this.#module = module;
    this.#native = new module.Engine();
    leakRegistry?.register(this, this.#native, this);
  }

  /** Instantiates the glue with the given wasm source; used by the Node and browser loaders. */
  static async create(factory: EngineFactory, options: EngineModuleOptions, tier: EngineTier): Promise<TesseraEngine> {
    const started = performance.now();
    let module: EngineModule;
    try {
      module = await factory({
        ...options,
        print: (text) => console.log(`[engine] ${text}`),
        printErr: (text) => console.warn(`[engine] ${text}`),
      });
    } catch (error) {
      throw new EngineError(`the engine (${tier} build) could not be loaded: ${String(error)}`, 'load-failed');
    }
    return new TesseraEngine(module, tier, performance.now() - started);
  }

  get disposed(): boolean {
    return this.#native === null;
  }

  /** Registers a TrueType/OpenType font under `name` (the engine keeps its own copy). */
  addFont(name: string, bytes: Uint8Array): void {
    const native = this.#live();
    if (!native.addFont(name, bytes)) throw new EngineError(native.lastError(), 'font-rejected');
  }

  hasFont(name: string): boolean {
    return this.#live().hasFont(name);
  }

  /** Draws the test card into the engine's frame. */
  renderTestCard(width: number, height: number, fontName = 'sans'): void {
    const native = this.#live();
    if (!native.renderTestCard(width, height, fontName)) throw new EngineError(native.lastError(), 'render-failed');
  }

  get frameWidth(): number {
    return this.#live().frameWidth();
  }

  get frameHeight(): number {
    return this.#live().frameHeight();
  }

  /**
   * Runs `use` with a view of the current frame on the wasm heap. The view is created fresh for
   * this call (so it is never stale after memory growth) and must not be kept after `use` returns.
   */
  withFramePixels<T>(use: (pixels: Uint8ClampedArray<ArrayBuffer>, width: number, height: number) => T): T {
    const native = this.#live();
    const view = native.frameView();
    const pixels = new Uint8ClampedArray(view.buffer, view.byteOffset, view.byteLength);
    return use(pixels, native.frameWidth(), native.frameHeight());
  }

  /** A JS-owned copy of the current frame. */
  copyFrame(): Frame {
    return this.withFramePixels((pixels, width, height) => ({ width, height, pixels: pixels.slice() }));
  }

  /** The current frame encoded as PNG by the engine. */
  framePng(): Uint8Array<ArrayBuffer> {
    return this.#live().framePng();
  }

  /** Size of the wasm heap in bytes (it grows, never shrinks). */
  heapBytes(): number {
    return this.#module.heapBytes();
  }

  /** Frees the native engine. Safe to call twice; any later use throws. */
  dispose(): void {
    if (!this.#native) return;
    leakRegistry?.unregister(this);
    this.#native.delete();
    this.#native = null;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #live(): NativeEngine {
    if (!this.#native) throw new EngineError('the engine has been disposed', 'engine-disposed');
    return this.#native;
  }
}
