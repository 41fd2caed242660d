// The typed API over the wasm engine. This module and its two loaders (load-node.ts,
// load-browser.ts) are the only TypeScript that touches the engine's heap: callers get plain
// values, JS-owned copies, or a view that lives only for the duration of a callback.
import type { AudioControls, AudioNeeds, AudioStats } from './audio';
import type { CaptionSettings } from './caption-settings';
import type {
  EngineModule,
  EngineModuleOptions,
  NativeEngine,
} from './generated/tessera-engine.mjs';
import type { Diagnostic, PathsReport, Plan, PlanChanges, ValidationReport } from '../programme/plan';

export type { Diagnostic, PathsReport, Plan, PlanChanges, ValidationReport } from '../programme/plan';
export type { AudioControls, AudioNeeds, AudioStats } from './audio';

export type EngineTier = 'simd' | 'scalar';

export type EngineFactory = (options?: EngineModuleOptions) => Promise<EngineModule>;

/** One error type for everything the engine refuses; `message` is plain language. */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly code:
      | 'engine-disposed'
      | 'font-rejected'
      | 'render-failed'
      | 'load-failed'
      | 'logic-failed'
      | 'no-programme'
      | 'bad-context'
      | 'asset-rejected'
      | 'frame-rejected'
      | 'audio-rejected',
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** A decoded video frame as the media layer hands it over (src/media/decoded-video-frame.ts). */
export interface VideoFrameData {
  timestampUs: number;
  width: number;
  height: number;
  format: 'I420' | 'BGRX' | 'RGBX' | 'BGRA' | 'RGBA';
  colour: { matrix: 'bt601' | 'bt709'; fullRange: boolean };
  planes: Uint8Array;
  layout: { offset: number; stride: number }[];
}

/** A plan object whose media the host decodes (Engine.mediaAt's video, Engine.audioAt's audio). */
export interface PlannedMedia {
  /** The plan object's id: the key its frames or PCM are handed in under. */
  object: string;
  asset: string;
  src: string;
  /** Seconds into the media for `time` (or for the object's start, when it is ahead). */
  mediaTime: number;
  start: number;
  end: number;
  /** Playing at `time` (false: starts within the lookahead). */
  active: boolean;
}

export interface MediaNeeds {
  time: number;
  layout: { width: number; height: number };
  video: PlannedMedia[];
  /** `format`: the asset's format when the programme gives one (e.g. captions "ttml"). */
  assets: { asset: string; type: 'font' | 'image' | 'captions'; src: string; format?: string }[];
  /** Caption fallback fonts the captions handed in need, not yet given with addFont (e.g. "cjk"). */
  fonts?: string[];
}

/** Caption file formats the engine parses itself (TTML goes through imsc). */
export type CaptionFormat = 'vtt' | 'srt';

/** The HTML VTTRegion interface's fields. */
export interface CaptionRegion {
  id: string;
  width: number;
  lines: number;
  regionAnchorX: number;
  regionAnchorY: number;
  viewportAnchorX: number;
  viewportAnchorY: number;
  scroll: '' | 'up';
}

/** The HTML VTTCue interface's fields and value forms. */
export interface CaptionCue {
  id: string;
  startTime: number;
  endTime: number;
  text: string;
  vertical: '' | 'rl' | 'lr';
  snapToLines: boolean;
  line: number | 'auto';
  lineAlign: 'start' | 'center' | 'end';
  position: number | 'auto';
  positionAlign: 'line-left' | 'center' | 'line-right' | 'auto';
  size: number;
  align: 'start' | 'center' | 'end' | 'left' | 'right';
  region: string | null;
}

/** `tessera captions <file> --json` for WebVTT and SRT. */
export interface CaptionsParse {
  cues: CaptionCue[];
  regions: CaptionRegion[];
  errors: { line: number; message: string }[];
}

export interface RenderReport {
  width: number;
  height: number;
  drawn: number;
  /** Video objects on screen with no frame handed in (drawn as nothing). */
  missing: string[];
  /** The text of each caption cue showing, in cue order, without tags (for screen readers). */
  captions: string[];
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

  /**
   * Evaluates a JSONLogic rule against data exactly as json-logic-js 2.0.5 would (see
   * docs/json-logic.md). Both are JSON values; the result is a JSON value, with NaN, Infinity
   * and undefined as null (as JSON.stringify writes them). Errors, including exceeded limits,
   * throw EngineError 'logic-failed' whose message names the JSON pointer of the failing rule node.
   */
  evaluateLogic(rule: unknown, data: unknown): unknown {
    this.#live();
    const reply = JSON.parse(this.#module.evaluateLogic(logicJson(rule, 'rule'), logicJson(data, 'data'))) as
      | { ok: true; value: unknown }
      | { ok: false; error: string; pointer: string };
    if (reply.ok) return reply.value;
    const where = reply.pointer === '' ? '' : ` (at ${reply.pointer} in the rule)`;
    throw new EngineError(`${reply.error}${where}`, 'logic-failed');
  }

  /**
   * Parses a WebVTT or SRT file by the engine's parser: cues and regions with the fields and value
   * forms of the HTML VTTCue and VTTRegion interfaces, and the problems found, by line. A file
   * without a WebVTT signature gives no cues and an error; nothing throws for bad content.
   */
  parseCaptions(bytes: Uint8Array, format: CaptionFormat): CaptionsParse {
    this.#live();
    return JSON.parse(this.#module.captionsJson(bytes, format)) as CaptionsParse;
  }

  /**
   * The viewer's caption settings for every frame drawn from now on (the engine draws captions
   * itself). Invalid fields are the caller's to prevent (see player/caption-settings.ts); the
   * engine clamps what it takes.
   */
  setCaptionSettings(settings: CaptionSettings): void {
    this.#live().setCaptionSettings(JSON.stringify(settings));
  }

  /** Size of the wasm heap in bytes (it grows, never shrinks). */
  heapBytes(): number {
    return this.#module.heapBytes();
  }

  /**
   * Parses and validates programme JSON (format v1). When it has no errors the engine keeps it
   * for resolve/paths; the report carries every diagnostic with pointer, line and column.
   */
  loadProgramme(text: string): ValidationReport {
    return JSON.parse(this.#live().loadProgramme(text)) as ValidationReport;
  }

  /**
   * Validates programme JSON as loadProgramme does, without loading it: the programme in use (its
   * plan, video frames and mix) is untouched. The check runs in a second native engine, made and
   * freed for it (a player keeps playing while a programme it was offered is checked).
   */
  validateProgramme(text: string): ValidationReport {
    this.#live();
    const scratch = new this.#module.Engine();
    try {
      return JSON.parse(scratch.loadProgramme(text)) as ValidationReport;
    } finally {
      scratch.delete();
    }
  }

  get hasProgramme(): boolean {
    return this.#live().hasProgramme();
  }

  /** The plan for this viewer context (the engine keeps it as the base for reresolve). */
  resolve(context: Record<string, unknown> = {}): Plan {
    return this.#programmeCall<{ plan: Plan }>((n) => n.resolve(contextJson(context))).plan;
  }

  /** Re-resolves at `position` seconds after a context change: the new plan and what changed. */
  reresolve(context: Record<string, unknown>, position: number): { plan: Plan; changes: PlanChanges } {
    return this.#programmeCall<{ plan: Plan; changes: PlanChanges }>((n) => n.reresolve(contextJson(context), position));
  }

  /** Narrative paths under a context (bounded), cycles, unreachable scenes and dead ends. */
  paths(context: Record<string, unknown> = {}): PathsReport {
    return this.#programmeCall<PathsReport>((n) => n.paths(contextJson(context)));
  }

  /**
   * What the plan needs at `time` seconds: the video objects active then (and those starting within
   * `lookahead` seconds, to decode ahead of a join), with the media time to show, and the fonts and
   * images not yet handed in.
   */
  mediaAt(time: number, lookahead = 1): MediaNeeds {
    return this.#programmeCall<MediaNeeds>((n) => n.mediaAt(time, lookahead));
  }

  /**
   * Hands in a font, image or captions (WebVTT or SRT) asset of the loaded programme (the engine
   * decodes or parses it and keeps it).
   */
  addAsset(asset: string, bytes: Uint8Array): void {
    const native = this.#live();
    if (!native.addAsset(asset, bytes)) throw new EngineError(native.lastError(), 'asset-rejected');
  }

  /**
   * Hands in the decoded frame a plan object shows now. The planes are copied into the engine at
   * once (the heap view never outlives this call); the caller keeps its frame.
   */
  setVideoFrame(object: string, frame: VideoFrameData): void {
    const native = this.#live();
    const target = native.videoBuffer(object, frame.planes.byteLength);
    if (!target) throw new EngineError(`the frame for ${object} is too large (${frame.planes.byteLength} bytes)`, 'frame-rejected');
    target.set(frame.planes);
    const info = {
      format: frame.format,
      width: frame.width,
      height: frame.height,
      offsets: frame.layout.map((p) => p.offset),
      strides: frame.layout.map((p) => p.stride),
      matrix: frame.colour.matrix,
      fullRange: frame.colour.fullRange,
      mediaTime: frame.timestampUs / 1e6,
    };
    if (!native.commitVideo(object, info)) throw new EngineError(native.lastError() || `the frame for ${object} was refused`, 'frame-rejected');
  }

  /** Drops the frame held for a plan object (it has ended). */
  forgetVideo(object: string): void {
    this.#live().forgetVideo(object);
  }

  /** Composes the plan at `time` seconds into the engine's frame (read it with withFramePixels). */
  renderFrame(time: number): RenderReport {
    return this.#programmeCall<RenderReport>((n) => n.renderFrame(time));
  }

  /**
   * The audio the plan needs at `time` seconds: the audio objects playing then (and those
   * starting within `lookahead` seconds), with the media time to decode from and how far PCM is
   * already queued.
   */
  audioAt(time: number, lookahead = 1): AudioNeeds {
    return this.#programmeCall<AudioNeeds>((n) => n.audioAt(time, lookahead));
  }
  /**
   * Hands in decoded PCM for a plan object: interleaved float, 1, 2 or 6 (5.1) channels at any
   * rate (the engine resamples to 48 kHz), its first frame at `mediaTime` seconds in the media.
   * Pushes that continue the previous one stream on; any other media time (a seek) restarts the
   * object's resampler there. The samples are copied at once; the caller keeps its array.
   */
  pushAudio(object: string, mediaTime: number, interleaved: Float32Array, channels: number, sampleRate: number): void {
    const native = this.#live();
    if (!Number.isInteger(channels) || channels <= 0 || interleaved.length % channels !== 0) {
      throw new EngineError(`${object}: ${interleaved.length} samples are not whole frames of ${channels} channels`, 'audio-rejected');
    }
    if (interleaved.length === 0) return;
    const target = native.audioBuffer(interleaved.length);
    if (!target) throw new EngineError(`${object}: ${interleaved.length} samples at once is too many`, 'audio-rejected');
    target.set(interleaved);
    if (!native.commitAudio(object, mediaTime, interleaved.length / channels, channels, sampleRate)) {
      throw new EngineError(native.lastError(), 'audio-rejected');
    }
  }
  /** The object's media has ended: lets the last resampled frames out. */
  endAudio(object: string): void {
    const native = this.#live();
    if (!native.endAudio(object)) throw new EngineError(native.lastError(), 'audio-rejected');
  }
  /** Changes the viewer's audio controls from the next rendered frame (ramped over 20 ms). */
  setAudioControls(controls: AudioControls): void {
    const native = this.#live();
    if (!native.setAudioControls(JSON.stringify(controls))) throw new EngineError(native.lastError(), 'bad-context');
  }
  /** Changes audio controls from output frame `frame` exactly (frames are 1/48000 s of programme). */
  scheduleAudioControls(frame: number, controls: AudioControls): void {
    const native = this.#live();
    if (!native.scheduleAudioControls(frame, JSON.stringify(controls))) throw new EngineError(native.lastError(), 'bad-context');
  }
  /** The output loudness target in LUFS: -23 (EBU R128, default) or -16 (mobile). */
  setLoudnessTarget(lufs: number): void {
    this.#live().setLoudnessTarget(lufs);
  }
  /**
   * Mixes output frames [frame, frame + frames) and runs `use` with a view of the interleaved
   * stereo samples on the wasm heap; the view must not be kept after `use` returns.
   */
  withRenderedAudio<T>(frame: number, frames: number, use: (samples: Float32Array<ArrayBuffer>) => T): T {
    return use(this.#live().renderAudio(frame, frames));
  }
  /** Mixes [frame, frame + frames) into a JS-owned array of interleaved stereo samples. */
  renderAudio(frame: number, frames: number): Float32Array<ArrayBuffer> {
    return this.withRenderedAudio(frame, frames, (samples) => samples.slice());
  }
  /** The mix's controls, limiter, underruns and per-object gains, for a stats overlay. */
  audioStats(): AudioStats {
    return JSON.parse(this.#live().audioStats()) as AudioStats;
  }
  /** Drops queued PCM and restarts resamplers and limiter: playing resumes at `frame`. */
  audioSeek(frame: number): void {
    this.#live().audioSeek(frame);
  }
  /**
   * SHA-256 (hex) of [frame, frame + frames) rendered in chunks of `chunk` frames, as float32
   * little-endian bytes: the same for every tier, host and chunking (the determinism tests).
   */
  audioSha256(frame: number, frames: number, chunk = 128): string {
    return this.#live().audioSha256(frame, frames, chunk);
  }
  /** SHA-256 of the engine's reference frames (compare with golden.json: every tier and host agree). */
  referenceHashes(font: Uint8Array): { compose: string; graphics: string; captions: string } {
    this.#live();
    return {
      compose: this.#module.composeReferenceSha256(),
      graphics: this.#module.graphicsReferenceSha256(font),
      captions: this.#module.captionsReferenceSha256(font),
    };
  }

  /** Benchmarks only (`npm run bench`): runs a timing loop inside the engine; milliseconds per op. */
  runBenchmark(request: Record<string, unknown>): number[] {
    const reply = JSON.parse(this.#live().runBenchmark(JSON.stringify(request))) as { ok: true; samples: number[] } | { ok: false; error: string };
    if (!reply.ok) throw new EngineError(reply.error, 'bad-context');
    return reply.samples;
  }

  #programmeCall<T>(call: (native: NativeEngine) => string): T {
    const reply = JSON.parse(call(this.#live())) as ({ ok: true } & T) | { ok: false; error: string };
    if (!reply.ok) throw new EngineError(reply.error, reply.error.startsWith('no valid programme') || reply.error.startsWith('resolve a plan') ? 'no-programme' : 'bad-context');
    return reply;
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

// JSON.stringify, except that -0 stays "-0" (JSON.stringify writes "0", and JSONLogic can tell
// them apart, e.g. 1 / -0). Values JSON cannot carry are dropped as JSON.stringify drops them.
function logicJson(value: unknown, what: 'rule' | 'data'): string {
  const seen = new Set<object>();
  const write = (v: unknown, key: string): string | undefined => {
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      v = (v as { toJSON: (key: string) => unknown }).toJSON(key);
    }
    if (Object.is(v, -0)) return '-0';
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'bigint') throw new EngineError(`the ${what} contains a BigInt, which JSON cannot carry`, 'logic-failed');
      return JSON.stringify(v);
    }
    if (seen.has(v)) throw new EngineError(`the ${what} is circular, so it is not JSON`, 'logic-failed');
    seen.add(v);
    let text: string;
    if (Array.isArray(v)) {
      text = `[${v.map((item, i) => write(item, String(i)) ?? 'null').join(',')}]`;
    } else {
      const parts: string[] = [];
      for (const [k, item] of Object.entries(v)) {
        const written = write(item, k);
        if (written !== undefined) parts.push(`${JSON.stringify(k)}:${written}`);
      }
      text = `{${parts.join(',')}}`;
    }
    seen.delete(v);
    return text;
  };
  return write(value, '') ?? 'null';
}

function contextJson(context: Record<string, unknown>): string {
  try {
    return JSON.stringify(context);
  } catch (error) {
    throw new EngineError(`the context is not JSON: ${String(error)}`, 'bad-context');
  }
}
