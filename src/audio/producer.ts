// The engine worker's side of the audio output: keeps the queue (shared ring or port) filled to a
// target a little ahead of the listener — 40 ms by default on the ring, 50 ms on the port (whose
// level is an estimate), never more than 50 ms — by calling
// `render(frame, frames)` on a timer and, on the shared ring, as soon as the worklet has read
// (Atomics.waitAsync). `frame` is the output position of the first frame asked for (frames since
// start(), or the frame passed to seek()); render returns interleaved samples (frames × channels),
// which may be a view it reuses (for instance onto the wasm heap): they are copied before render
// is called again. On the port fallback the worklet's level is an estimate (see PortRingWriter),
// so the 50 ms bound holds only approximately there (up to ~80 ms when reports come late).
import { AudioRing, PortRingWriter, type FrameQueueWriter } from './ring';
import type { AudioTransport } from './output';

export type RenderAudio = (frame: number, frames: number) => Float32Array;

export interface AudioProducerOptions {
  /** Fill level aimed for, in milliseconds (default 40; 50 on the port fallback, PORT_TARGET_MS). */
  targetMs?: number;
  /** Hard bound on audio queued ahead of the worklet, in milliseconds (default 50). */
  maxAheadMs?: number;
  /** Timer period in milliseconds (default 5). */
  intervalMs?: number;
  /** Largest render() call, in frames (default 1024); bigger needs are rendered in pieces. */
  maxRenderFrames?: number;
  /** Time source (default performance.now). */
  now?: () => number;
}

export interface AudioProducerStats {
  /** Next output frame render() will be asked for. */
  position: number;
  framesWritten: number;
  renderCalls: number;
  ticks: number;
  /** Fill levels seen at the start of ticks, after the first fill (frames). */
  minQueuedFrames: number;
  maxQueuedFrames: number;
  /** Fill level after the latest tick (frames). */
  queuedFrames: number;
  /** Longest gap between two ticks, in milliseconds (timer lateness shows here). */
  maxTickGapMs: number;
  /**
   * The latest gaps between ticks longer than the queue reaches (MAX_AHEAD_MS: the output surely
   * ran dry), oldest first, at most MAX_STALLS: [when the gap began on the producer's clock, its
   * length], in ms. A stalled thread shows here (a timer that never ran), where maxTickGapMs
   * keeps only the longest.
   */
  stalls: Array<[number, number]>;
  /**
   * The latest stops of the output itself, oldest first, at most MAX_STALLS: [when its context
   * frame last moved, on the producer's clock, how long it then stood still], in ms — gaps
   * longer than OUTPUT_STALL_MS while this producer ticked on time (a gap that a stall of the
   * producer overlaps is the producer's, above). The audio device took nothing then (a stalled
   * audio thread, or a suspended context); when it resumes and catches up, it drains the queue.
   */
  outputStalls: Array<[number, number]>;
  /** The latest output underruns the producer saw, oldest first, at most MAX_STALLS: [when (producer's clock, ms), frames]. */
  underruns: Array<[number, number]>;
  /** Frames render() returned fewer than asked for (a short render is padded with nothing: it is just written short). */
  shortRenders: number;
  /** Ticks run because the worklet read from the shared ring (Atomics.waitAsync), not by the timer. */
  wakeups: number;
  /** Port path: the longest delay of the worklet's level reports beyond the fastest (ms); 0 on the ring. */
  maxReportLagMs: number;
}

export const DEFAULT_TARGET_MS = 40;
/**
 * The port fallback's default: its level is an estimate from reports that come late and in
 * bursts, which in Firefox left the queue dry now and then at 40 ms (128–1152 frames of underrun
 * in about one window in three, the worker on time and the device not stopped); aiming at the
 * bound itself, none in the windows measured since.
 */
export const PORT_TARGET_MS = 50;
export const MAX_AHEAD_MS = 50;
/** Stalls kept in the stats. */
export const MAX_STALLS = 32;
/**
 * The output's clock standing still longer than the queue may hold (MAX_AHEAD_MS) is recorded:
 * a device that then catches up takes more than any queue within the bound holds. (Browsers run
 * the worklet in bursts up to ~35 ms apart, see #followReads; on the port the reports arrive up
 * to ~30 ms late, PortRingWriter, so there a record can be a late report, not a stop.)
 */
export const OUTPUT_STALL_MS = MAX_AHEAD_MS;

/** The writer for a transport: the shared ring, or the producer end of the port fallback. */
export function openTransport(transport: AudioTransport): FrameQueueWriter {
  if (transport.kind === 'shared') return new AudioRing(transport.buffer);
  return new PortRingWriter(transport.port, { channels: transport.channels, capacity: transport.capacityFrames, sampleRate: transport.sampleRate });
}

export class AudioProducer {
  readonly sampleRate: number;
  readonly channels: number;
  readonly writer: FrameQueueWriter;
  readonly targetFrames: number;
  readonly maxAheadFrames: number;
  readonly intervalMs: number;
  readonly #render: RenderAudio;
  readonly #maxRender: number;
  readonly #now: () => number;
  #timer: ReturnType<typeof setInterval> | null = null;
  #lastTickMs: number | null = null;
  #primed = false;
  /** The output's context frame at the last tick, when it last moved (ms), and whether the producer stalled since. */
  #outputFrame = -1;
  #underrunFrames = 0;
  #outputMovedMs: number | null = null;
  #stalledSinceOutputMoved = false;
  /** Bumped by stop(): ends the current read-following loop. */
  #generation = 0;
  readonly #stats: AudioProducerStats = {
    position: 0,
    framesWritten: 0,
    renderCalls: 0,
    ticks: 0,
    minQueuedFrames: Infinity,
    maxQueuedFrames: 0,
    queuedFrames: 0,
    maxTickGapMs: 0,
    stalls: [],
    outputStalls: [],
    underruns: [],
    shortRenders: 0,
    wakeups: 0,
    maxReportLagMs: 0,
  };

  constructor(transport: AudioTransport | FrameQueueWriter, render: RenderAudio, options: AudioProducerOptions & { sampleRate?: number } = {}) {
    if ('kind' in transport) {
      this.writer = openTransport(transport);
      this.sampleRate = transport.sampleRate;
    } else {
      this.writer = transport;
      this.sampleRate = options.sampleRate ?? 48_000;
    }
    this.channels = this.writer.channels;
    this.#render = render;
    const capacity = this.writer.capacity;
    const ms = (v: number) => Math.round((v * this.sampleRate) / 1000);
    this.maxAheadFrames = Math.min(capacity, ms(Math.min(options.maxAheadMs ?? MAX_AHEAD_MS, MAX_AHEAD_MS)));
    this.targetFrames = Math.min(this.maxAheadFrames, ms(options.targetMs ?? (this.writer instanceof PortRingWriter ? PORT_TARGET_MS : DEFAULT_TARGET_MS)));
    this.intervalMs = options.intervalMs ?? 5;
    this.#maxRender = Math.max(1, options.maxRenderFrames ?? 1024);
    this.#now = options.now ?? (() => performance.now());
  }

  /** Starts filling from output frame `fromFrame` (default: where it was). */
  start(fromFrame?: number): void {
    if (fromFrame !== undefined) this.#stats.position = fromFrame;
    if (this.#timer === null) {
      this.#timer = setInterval(() => this.tick(), this.intervalMs);
      if (this.writer instanceof AudioRing) void this.#followReads(this.writer, ++this.#generation);
    }
    this.tick();
  }

  /**
   * Shared ring: tops up as soon as the worklet has read, where Atomics.waitAsync exists.
   * Browsers run the worklet in bursts of up to ~35 ms of quanta (measured: Chromium 1664
   * frames, WebKit 1536, Firefox 1024); refilling right after a burst, not up to a timer period
   * later, is what keeps a 40 ms queue from running dry. The timer stays as the fallback.
   */
  async #followReads(ring: AudioRing, generation: number): Promise<void> {
    while (this.#generation === generation) {
      const woken = ring.waitForRead(50);
      if (!woken) return;
      await woken;
      if (this.#generation !== generation) return;
      this.#stats.wakeups++;
      this.tick();
    }
  }

  /** Stops the timer; what is queued stays queued. */
  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#generation++;
    this.#lastTickMs = null;
    this.#outputMovedMs = null;
  }

  get running(): boolean {
    return this.#timer !== null;
  }

  /**
   * A seek: the worklet drops everything queued, and rendering continues from `frame` at once.
   * (The flush travels with the data, so no old frame is played after the new ones start.)
   */
  seek(frame: number): void {
    this.#stats.position = frame;
    this.#primed = false;
    if (this.writer instanceof AudioRing) {
      // New frames first (behind the old ones), then the flush up to where they begin: the
      // worklet goes straight from old audio to new, with no empty ring in between.
      const mark = this.writer.flushMark();
      if (this.running) this.#fill(0);
      this.writer.requestFlushAt(mark);
    } else {
      // The port carries the flush in order with the chunks.
      this.writer.requestFlush();
      if (this.running) this.#fill(this.writer.queued());
    }
  }

  /** Tops the queue up to the target (the timer calls this; tests may call it directly). */
  tick(): void {
    const stats = this.#stats;
    const now = this.#now();
    if (this.#lastTickMs !== null) {
      const gap = now - this.#lastTickMs;
      stats.maxTickGapMs = Math.max(stats.maxTickGapMs, gap);
      if (gap > MAX_AHEAD_MS) {
        keepLatest(stats.stalls, [this.#lastTickMs, gap]);
        this.#stalledSinceOutputMoved = true;
      }
    }
    this.#lastTickMs = now;
    this.#watchOutput(now);
    stats.ticks++;
    const queued = this.writer.queued();
    if (this.#primed) {
      stats.minQueuedFrames = Math.min(stats.minQueuedFrames, queued);
      stats.maxQueuedFrames = Math.max(stats.maxQueuedFrames, queued);
    }
    this.#fill(queued);
    this.#primed = true;
  }

  /** Records the output's stops (longer than OUTPUT_STALL_MS without its clock moving) and its underruns. */
  #watchOutput(now: number): void {
    const output = this.writer.outputCounters();
    if (output.underrunFrames > this.#underrunFrames && this.#outputMovedMs !== null) keepLatest(this.#stats.underruns, [now, output.underrunFrames - this.#underrunFrames]);
    this.#underrunFrames = output.underrunFrames;
    const frame = output.contextFrame;
    if (frame === this.#outputFrame && this.#outputMovedMs !== null) return;
    const since = this.#outputMovedMs;
    if (since !== null && !this.#stalledSinceOutputMoved && now - since > OUTPUT_STALL_MS) keepLatest(this.#stats.outputStalls, [since, now - since]);
    this.#outputFrame = frame;
    this.#outputMovedMs = now;
    this.#stalledSinceOutputMoved = false;
  }

  /** Renders and writes up to the target, counting `queued` frames as already there. */
  #fill(queued: number): void {
    const stats = this.#stats;
    let want = Math.min(this.targetFrames - queued, this.maxAheadFrames - queued, this.writer.space());
    while (want > 0) {
      const frames = Math.min(want, this.#maxRender);
      const samples = this.#render(stats.position, frames);
      stats.renderCalls++;
      const rendered = Math.min(frames, Math.floor(samples.length / this.channels));
      if (rendered < frames) stats.shortRenders++;
      const written = this.writer.write(samples, rendered);
      stats.position += written;
      stats.framesWritten += written;
      queued += written;
      if (written < frames) break;
      want -= written;
    }
    stats.queuedFrames = queued;
  }

  /** Starts the extremes (min/max queue, longest tick gap) afresh, for per-window diagnostics. */
  resetStats(): void {
    this.#stats.minQueuedFrames = Infinity;
    this.#stats.maxQueuedFrames = 0;
    this.#stats.maxTickGapMs = 0;
    if (this.writer instanceof PortRingWriter) this.writer.maxReportLagMs = 0;
  }

  stats(): AudioProducerStats {
    return {
      ...this.#stats,
      stalls: this.#stats.stalls.slice(),
      outputStalls: this.#stats.outputStalls.slice(),
      underruns: this.#stats.underruns.slice(),
      minQueuedFrames: Number.isFinite(this.#stats.minQueuedFrames) ? this.#stats.minQueuedFrames : 0,
      maxReportLagMs: this.writer instanceof PortRingWriter ? this.writer.maxReportLagMs : 0,
    };
  }

  close(): void {
    this.stop();
    if (this.writer instanceof PortRingWriter) this.writer.close();
  }
}

/** Appends `stall`, keeping the latest MAX_STALLS. */
function keepLatest(stalls: Array<[number, number]>, stall: [number, number]): void {
  stalls.push(stall);
  if (stalls.length > MAX_STALLS) stalls.shift();
}
