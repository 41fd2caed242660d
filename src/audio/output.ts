// The audio output on the main thread: an AudioContext at 48 kHz with the 'tessera-output'
// worklet (worklet.ts), the queue the engine worker fills (a SharedArrayBuffer ring when the page
// is cross-origin isolated, else a MessagePort), and the audio clock read from the worklet's
// counters. The worker side is producer.ts: hand it `transport` (transfer `transferables`).
//
//   const output = await AudioOutput.create();          // any time; the context may be suspended
//   worker.postMessage({ audio: output.transport }, output.transferables);
//   button.onclick = () => output.start();               // resume needs a user gesture
import { AudioRing, emptyCounters, type PlayoutCounters } from './ring';
// The worklet as its own bundled module (see the note at addModule below).
import workletUrl from './worklet.ts?worker&url';
import { OUTPUT_PROCESSOR_NAME, type FromOutputWorklet, type ToOutputWorklet } from './worklet-protocol';

export const OUTPUT_SAMPLE_RATE = 48_000;
export const OUTPUT_CHANNELS = 2;
/**
 * Ring capacity: room for the producer's 50 ms bound plus slack, so a late-waking producer can
 * still write its full target. The producer, not the ring, keeps audio within 50 ms of the ear.
 */
export const DEFAULT_RING_CAPACITY_FRAMES = 4096;

/** What the engine worker needs to feed the output (see producer.ts). */
export type AudioTransport =
  | { kind: 'shared'; buffer: SharedArrayBuffer; sampleRate: number; channels: number }
  | { kind: 'port'; port: MessagePort; sampleRate: number; channels: number; capacityFrames: number };

/** The audio clock: what has actually been played, read from the worklet. */
export interface AudioClock {
  readonly sampleRate: number;
  /** Frames taken from the queue and played since the output was created. */
  framesPlayed(): number;
  /** Frames of silence played because the queue ran short (after playback had begun). */
  underruns(): number;
  /**
   * Seconds between a frame being played by the worklet and being heard: the context's
   * baseLatency plus outputLatency, where the browser reports them (0 where it does not).
   */
  latencySeconds(): number;
  /**
   * One reading of how far the worklet's position (context.currentTime) runs ahead of the frame
   * the device outputs now (getOutputTimestamp), in seconds: the real output latency, including
   * the browser's render-ahead bursts that outputLatency leaves out. It moves in steps as the
   * worklet renders in bursts, so average several. Null where the browser gives no timestamp yet.
   */
  leadSeconds(): number | null;
  /** All counters at once (consistent with each other); fills `into` if given. */
  snapshot(into?: PlayoutCounters): PlayoutCounters;
}

export interface AudioOutputOptions {
  /** Force the MessagePort path even when SharedArrayBuffer is usable (tests). */
  transport?: 'auto' | 'shared' | 'port';
  capacityFrames?: number;
  /** An existing context to use (it must run at 48 kHz); by default a new one is made. */
  context?: AudioContext;
  latencyHint?: AudioContextLatencyCategory | number;
}

/** Whether this page can share memory with its workers and worklets. */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated === true;
}

export class AudioOutput {
  readonly context: AudioContext;
  readonly node: AudioWorkletNode;
  readonly transport: AudioTransport;
  /** Objects to list in postMessage's transfer argument when sending `transport`. */
  readonly transferables: Transferable[];
  readonly clock: AudioClock;
  readonly #ring: AudioRing | null;
  /** Port path: the counters the worklet last posted. */
  readonly #posted: PlayoutCounters = emptyCounters();
  readonly #ownsContext: boolean;
  #closed = false;

  private constructor(context: AudioContext, ownsContext: boolean, node: AudioWorkletNode, ring: AudioRing | null, transport: AudioTransport) {
    this.context = context;
    this.#ownsContext = ownsContext;
    this.node = node;
    this.#ring = ring;
    this.transport = transport;
    this.transferables = transport.kind === 'port' ? [transport.port] : [];
    node.port.onmessage = (event: MessageEvent<FromOutputWorklet>) => {
      if (event.data.type === 'counters') Object.assign(this.#posted, event.data.counters);
    };
    const scratch = emptyCounters();
    const snapshot = (into: PlayoutCounters = emptyCounters()): PlayoutCounters =>
      this.#ring ? this.#ring.readCounters(into) : Object.assign(into, this.#posted);
    this.clock = {
      sampleRate: context.sampleRate,
      framesPlayed: () => snapshot(scratch).framesPlayed,
      underruns: () => snapshot(scratch).underrunFrames,
      latencySeconds: () => (context.baseLatency || 0) + (context.outputLatency || 0),
      leadSeconds: () => {
        const stamp = typeof context.getOutputTimestamp === 'function' ? context.getOutputTimestamp() : null;
        if (!stamp || !(stamp.contextTime && stamp.contextTime > 0) || !(stamp.performanceTime && stamp.performanceTime > 0)) return null;
        const device = stamp.contextTime + (performance.now() - stamp.performanceTime) / 1000;
        const lead = context.currentTime - device;
        return Number.isFinite(lead) && lead >= 0 && lead < 1 ? lead : null;
      },
      snapshot,
    };
  }

  /**
   * Creates the context (suspended until start() where autoplay is blocked), loads the worklet and
   * makes the queue. Throws if the browser has no AudioWorklet.
   */
  static async create(options: AudioOutputOptions = {}): Promise<AudioOutput> {
    const ownsContext = !options.context;
    const context = options.context ?? new AudioContext({ sampleRate: OUTPUT_SAMPLE_RATE, latencyHint: options.latencyHint ?? 'interactive' });
    try {
      if (context.sampleRate !== OUTPUT_SAMPLE_RATE) throw new Error(`the audio output needs a ${OUTPUT_SAMPLE_RATE} Hz context, not ${context.sampleRate} Hz`);
      if (!context.audioWorklet) throw new Error('this browser has no AudioWorklet (or the page is not a secure context)');
      // A separate module, served from our origin: allowed by script-src 'self'. Not
      // `new URL('./worklet.ts', import.meta.url)`: Vite 8 copies that file as a raw .ts asset in
      // `vite build` (no TypeScript transform, imports unresolved); `?worker&url` bundles it like
      // a module worker (one self-contained ES module) in build and serves it transformed in dev.
      await context.audioWorklet.addModule(workletUrl);
      const node = new AudioWorkletNode(context, OUTPUT_PROCESSOR_NAME, {
        numberOfInputs: 0,
        numberOfOutputs: 1,
        outputChannelCount: [OUTPUT_CHANNELS],
      });
      node.connect(context.destination);
      const capacity = options.capacityFrames ?? DEFAULT_RING_CAPACITY_FRAMES;
      const wanted = options.transport ?? 'auto';
      if (wanted === 'shared' && !canShareMemory()) throw new Error('shared audio transport asked for, but the page is not cross-origin isolated');
      if (wanted !== 'port' && canShareMemory()) {
        const ring = AudioRing.create(capacity, OUTPUT_CHANNELS);
        node.port.postMessage({ type: 'connect-ring', buffer: ring.buffer } satisfies ToOutputWorklet);
        return new AudioOutput(context, ownsContext, node, ring, { kind: 'shared', buffer: ring.buffer, sampleRate: context.sampleRate, channels: OUTPUT_CHANNELS });
      }
      const channel = new MessageChannel();
      node.port.postMessage({ type: 'connect-port', port: channel.port1, channels: OUTPUT_CHANNELS } satisfies ToOutputWorklet, [channel.port1]);
      return new AudioOutput(context, ownsContext, node, null, {
        kind: 'port',
        port: channel.port2,
        sampleRate: context.sampleRate,
        channels: OUTPUT_CHANNELS,
        capacityFrames: capacity,
      });
    } catch (error) {
      if (ownsContext) void context.close();
      throw error;
    }
  }

  /** Resumes the context (call it from a user gesture: a click, a key press) and starts playout. */
  async start(): Promise<void> {
    this.#post({ type: 'start' });
    if (this.context.state !== 'running') await this.context.resume();
  }

  /** Plays silence; the queue is kept (start() carries on from it). The context keeps running. */
  stop(): void {
    this.#post({ type: 'stop' });
  }

  /** Drops what is queued in the worklet now. Seeks should flush through the producer instead. */
  flush(): void {
    this.#post({ type: 'flush' });
  }

  /** Whether the context is running (false until a user gesture where autoplay is blocked). */
  get running(): boolean {
    return this.context.state === 'running';
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#post({ type: 'stop' });
    this.node.port.onmessage = null;
    this.node.disconnect();
    if (this.#ownsContext) await this.context.close();
  }

  #post(message: ToOutputWorklet): void {
    if (!this.#closed || message.type === 'stop') this.node.port.postMessage(message);
  }
}
