// The hand-off of rendered audio from the engine worker (producer) to the AudioWorklet that plays
// it (consumer): interleaved float frames, one producer and one consumer.
//
// - AudioRing: a ring in a SharedArrayBuffer with Atomics indices (cross-origin isolated pages).
//   Both sides construct an AudioRing over the same buffer; the producer only writes frames and
//   asks for flushes, the consumer only reads frames and publishes the playout counters.
// - PortRingWriter / PortRingReader: the fallback without SharedArrayBuffer. The producer posts
//   chunks over a MessagePort; the worklet queues them and reports its level back now and then.
//
// Nothing here allocates per call on the shared path (the worklet calls it 375 times a second).
// The port path allocates one array per chunk posted and one small message per report: the price
// of having no shared memory.

/** Consumer side, as the playout (playout.ts) sees it: the ring or the port queue. */
export interface FrameQueueReader {
  readonly channels: number;
  /** Frames ready to read. Applies pending flush requests first. */
  available(): number;
  /**
   * Reads up to `frames` frames into planar outputs (one array per channel) starting at
   * `outOffset`, and returns how many were read. Output channels beyond the queue's are zeroed;
   * queue channels beyond the outputs' are dropped.
   */
  readPlanar(out: ArrayLike<Float32Array>, frames: number, outOffset: number): number;
  /** Drops every frame queued now; returns how many. */
  discardAll(): number;
  /** Frames dropped (by discardAll or by flush requests) since the last call. */
  takeDiscarded(): number;
  /**
   * Makes the counters visible to the other threads (the shared header, or a port message);
   * `playing`: the consumer is taking frames (not stopped, not waiting for the first).
   */
  publish(counters: PlayoutCounters, playing: boolean): void;
}

/** Producer side: the ring or the port writer. */
export interface FrameQueueWriter {
  readonly channels: number;
  /** Most frames that can be queued. */
  readonly capacity: number;
  /** Frames the writer may add now without overfilling (for the port: an estimate). */
  space(): number;
  /** Frames queued and not yet played (for the port: an estimate). */
  queued(): number;
  /**
   * Appends up to `frames` frames of interleaved `src` (from frame `srcOffset`) and returns how
   * many were taken (fewer when the ring is full).
   */
  write(src: Float32Array, frames: number, srcOffset?: number): number;
  /**
   * Asks the consumer to drop every frame written before this call (a seek): frames written
   * afterwards are kept. Takes effect at the consumer's next read.
   */
  requestFlush(): void;
  /**
   * The consumer's counters as it last published them (for the port: last reported), read-only
   * and possibly reused: how far the audio device's clock has run (contextFrame, which stands
   * still while the device takes nothing), and what it played and lacked.
   */
  outputCounters(): Readonly<PlayoutCounters>;
}

/** What the worklet counts: the audio clock. Totals since the output was created. */
export interface PlayoutCounters {
  /** Frames taken from the queue and played. */
  framesPlayed: number;
  /** Frames of silence played while started because the queue was short. */
  underrunFrames: number;
  /** The AudioContext's frame (AudioWorkletGlobalScope.currentFrame) at the end of the last quantum. */
  contextFrame: number;
  /** Frames dropped by flushes. */
  framesDiscarded: number;
}

export function emptyCounters(): PlayoutCounters {
  return { framesPlayed: 0, underrunFrames: 0, contextFrame: 0, framesDiscarded: 0 };
}

// ---------------------------------------------------------------------------------------------
// The shared ring

/** Int32 slots of the header, before the sample data. */
const Slot = {
  /** Next frame the producer writes, as an index in [0, 2 × capacity). */
  Write: 0,
  /** Next frame the consumer reads, likewise. Equal indices: empty; capacity apart: full. */
  Read: 1,
  Capacity: 2,
  Channels: 3,
  /** Seqlock over the counters: odd while the consumer updates them. */
  Sequence: 4,
  PlayedLow: 5,
  PlayedHigh: 6,
  UnderrunLow: 7,
  UnderrunHigh: 8,
  ContextFrameLow: 9,
  ContextFrameHigh: 10,
  DiscardedLow: 11,
  DiscardedHigh: 12,
  /** Incremented by each requestFlush(); the consumer compares it with the last one it applied. */
  FlushEpoch: 13,
  /** The write index at the latest requestFlush(): the consumer skips up to it. */
  FlushAt: 14,
  Magic: 15,
  /** The flush epoch the consumer has applied: while it lags FlushEpoch, a flush is pending. */
  AppliedFlushEpoch: 16,
} as const;
const HEADER_SLOTS = 20;
const HEADER_BYTES = HEADER_SLOTS * 4;
const MAGIC = 0x54_41_52_31; // "TAR1"
const TWO_32 = 4_294_967_296;
/** Indices live in [0, 2 × capacity), so capacity must stay well inside int32. */
export const MAX_RING_CAPACITY = 1 << 28;

type WaitAsync = (array: Int32Array, index: number, value: number, timeoutMs?: number) => { async: false; value: string } | { async: true; value: Promise<string> };
/** Atomics.waitAsync where the engine has it (not yet in TypeScript's ES2023 library). */
const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync?.bind(Atomics) ?? null;

/** Bytes of SharedArrayBuffer an AudioRing of this size needs. */
export function audioRingByteLength(capacityFrames: number, channels: number): number {
  return HEADER_BYTES + capacityFrames * channels * 4;
}

export class AudioRing implements FrameQueueReader, FrameQueueWriter {
  readonly buffer: SharedArrayBuffer;
  readonly capacity: number;
  readonly channels: number;
  readonly #header: Int32Array;
  readonly #data: Float32Array;
  /** 2 × capacity: the index range. */
  readonly #span: number;
  /** Consumer only: the flush epoch it last applied. */
  #appliedFlushEpoch: number;

  /** Creates a ring in a new SharedArrayBuffer (the main thread does this, then shares `buffer`). */
  static create(capacityFrames: number, channels = 2): AudioRing {
    const capacity = Math.floor(capacityFrames);
    if (!(capacity >= 1 && capacity <= MAX_RING_CAPACITY)) throw new RangeError(`ring capacity must be 1..${MAX_RING_CAPACITY} frames, not ${capacityFrames}`);
    if (!(Number.isInteger(channels) && channels >= 1 && channels <= 32)) throw new RangeError(`ring channels must be 1..32, not ${channels}`);
    const buffer = new SharedArrayBuffer(audioRingByteLength(capacity, channels));
    const header = new Int32Array(buffer, 0, HEADER_SLOTS);
    header[Slot.Capacity] = capacity;
    header[Slot.Channels] = channels;
    Atomics.store(header, Slot.Magic, MAGIC);
    return new AudioRing(buffer);
  }

  /** Attaches to a ring made by create() (in another thread, or the same). */
  constructor(buffer: SharedArrayBuffer) {
    if (buffer.byteLength < HEADER_BYTES) throw new RangeError('not an audio ring: buffer too small');
    this.buffer = buffer;
    this.#header = new Int32Array(buffer, 0, HEADER_SLOTS);
    if (Atomics.load(this.#header, Slot.Magic) !== MAGIC) throw new RangeError('not an audio ring: bad header');
    this.capacity = this.#header[Slot.Capacity]!;
    this.channels = this.#header[Slot.Channels]!;
    if (buffer.byteLength < audioRingByteLength(this.capacity, this.channels)) throw new RangeError('not an audio ring: buffer shorter than its header says');
    this.#data = new Float32Array(buffer, HEADER_BYTES, this.capacity * this.channels);
    this.#span = 2 * this.capacity;
    this.#appliedFlushEpoch = Atomics.load(this.#header, Slot.AppliedFlushEpoch);
  }

  #distance(from: number, to: number): number {
    const d = to - from;
    return d < 0 ? d + this.#span : d;
  }

  #advance(index: number, frames: number): number {
    const next = index + frames;
    return next >= this.#span ? next - this.#span : next;
  }

  /**
   * Frames queued that will be played: while a flush is pending, only those written after it
   * (so a producer refills at once after a seek). Either side may ask.
   */
  queued(): number {
    const h = this.#header;
    const w = Atomics.load(h, Slot.Write);
    if (Atomics.load(h, Slot.AppliedFlushEpoch) !== Atomics.load(h, Slot.FlushEpoch)) {
      // Pending: the consumer has not passed FlushAt (it applies a flush before any read).
      return this.#distance(Atomics.load(h, Slot.FlushAt), w);
    }
    return this.#distance(Atomics.load(h, Slot.Read), w);
  }

  // --- producer -------------------------------------------------------------------------------

  space(): number {
    return this.capacity - this.#distance(Atomics.load(this.#header, Slot.Read), Atomics.load(this.#header, Slot.Write));
  }

  write(src: Float32Array, frames: number, srcOffset = 0): number {
    const channels = this.channels;
    const w = Atomics.load(this.#header, Slot.Write);
    const r = Atomics.load(this.#header, Slot.Read);
    const free = this.capacity - this.#distance(r, w);
    const available = Math.floor(src.length / channels) - srcOffset;
    const n = Math.max(0, Math.min(frames, free, available));
    if (n === 0) return 0;
    copyAround(this.#data, w < this.capacity ? w : w - this.capacity, this.capacity, src, srcOffset, n, channels, true);
    Atomics.store(this.#header, Slot.Write, this.#advance(w, n));
    return n;
  }

  requestFlush(): void {
    this.requestFlushAt(this.flushMark());
  }

  /** Producer: the point a later requestFlushAt() would drop frames up to (the write index now). */
  flushMark(): number {
    return Atomics.load(this.#header, Slot.Write);
  }

  /**
   * Producer: drops the frames written before `mark` (from flushMark()), keeping those written
   * since. A seek writes the new position's first frames and only then flushes, so the consumer
   * never finds the ring empty in between.
   */
  requestFlushAt(mark: number): void {
    Atomics.store(this.#header, Slot.FlushAt, mark);
    Atomics.add(this.#header, Slot.FlushEpoch, 1);
  }

  // --- consumer -------------------------------------------------------------------------------

  /** Moves the read index and wakes a producer waiting in waitForRead(). */
  #storeRead(index: number): void {
    Atomics.store(this.#header, Slot.Read, index);
    Atomics.notify(this.#header, Slot.Read);
  }

  /**
   * Producer: resolves when the consumer next takes frames (or after `timeoutMs`), so a refill
   * can follow a burst of quanta at once rather than at the next timer tick. Null where the
   * engine has no Atomics.waitAsync.
   */
  waitForRead(timeoutMs: number): Promise<unknown> | null {
    if (!waitAsync) return null;
    const result = waitAsync(this.#header, Slot.Read, Atomics.load(this.#header, Slot.Read), timeoutMs);
    return result.async ? result.value : Promise.resolve(result.value);
  }

  /** Applies a pending flush request: skips to the write index recorded with it. */
  #applyFlush(): void {
    const h = this.#header;
    const epoch = Atomics.load(h, Slot.FlushEpoch);
    if (epoch === this.#appliedFlushEpoch) return;
    this.#appliedFlushEpoch = epoch;
    // FlushAt is stored before the epoch moves, so it is at least as new as `epoch`.
    const flushAt = Atomics.load(h, Slot.FlushAt);
    const r = Atomics.load(h, Slot.Read);
    const w = Atomics.load(h, Slot.Write);
    // Skip to flushAt only if it lies between read and write (it always should; be defensive).
    const skip = this.#distance(r, flushAt);
    if (skip > 0 && skip <= this.#distance(r, w)) {
      this.#storeRead(flushAt);
      this.#pendingDiscarded += skip;
    }
    // Only now: until here the producer counts from FlushAt, not from the old read index.
    Atomics.store(h, Slot.AppliedFlushEpoch, epoch);
  }
  /** Frames dropped by flushes since the last publish() (the consumer adds them to its counters). */
  #pendingDiscarded = 0;

  available(): number {
    this.#applyFlush();
    return this.queued();
  }

  readPlanar(out: ArrayLike<Float32Array>, frames: number, outOffset: number): number {
    this.#applyFlush();
    const channels = this.channels;
    const r = Atomics.load(this.#header, Slot.Read);
    const w = Atomics.load(this.#header, Slot.Write);
    const n = Math.max(0, Math.min(frames, this.#distance(r, w)));
    if (n === 0) return 0;
    const data = this.#data;
    const outChannels = out.length;
    const start = r < this.capacity ? r : r - this.capacity;
    for (let c = 0; c < outChannels; c++) {
      const dest = out[c]!;
      if (c >= channels) {
        dest.fill(0, outOffset, outOffset + n);
        continue;
      }
      let position = start;
      let o = outOffset;
      const end = outOffset + n;
      while (o < end) {
        dest[o++] = data[position * channels + c]!;
        if (++position === this.capacity) position = 0;
      }
    }
    this.#storeRead(this.#advance(r, n));
    return n;
  }

  /** Reads up to `frames` interleaved frames into `dest` (tests and tools; the worklet reads planar). */
  read(dest: Float32Array, frames: number, destOffset = 0): number {
    this.#applyFlush();
    const channels = this.channels;
    const r = Atomics.load(this.#header, Slot.Read);
    const w = Atomics.load(this.#header, Slot.Write);
    const n = Math.max(0, Math.min(frames, this.#distance(r, w), Math.floor(dest.length / channels) - destOffset));
    if (n === 0) return 0;
    copyAround(this.#data, r < this.capacity ? r : r - this.capacity, this.capacity, dest, destOffset, n, channels, false);
    this.#storeRead(this.#advance(r, n));
    return n;
  }

  discardAll(): number {
    this.#applyFlush();
    const r = Atomics.load(this.#header, Slot.Read);
    const w = Atomics.load(this.#header, Slot.Write);
    this.#storeRead(w);
    const n = this.#distance(r, w);
    this.#pendingDiscarded += n;
    return n;
  }

  /**
   * Frames dropped by flush requests and discardAll() since the last call, for the consumer's
   * counters (requested flushes happen inside reads, so the consumer learns of them here).
   */
  takeDiscarded(): number {
    const n = this.#pendingDiscarded;
    this.#pendingDiscarded = 0;
    return n;
  }

  publish(counters: PlayoutCounters, _playing = true): void {
    const h = this.#header;
    Atomics.add(h, Slot.Sequence, 1); // odd: update in progress
    storePair(h, Slot.PlayedLow, counters.framesPlayed);
    storePair(h, Slot.UnderrunLow, counters.underrunFrames);
    storePair(h, Slot.ContextFrameLow, counters.contextFrame);
    storePair(h, Slot.DiscardedLow, counters.framesDiscarded);
    Atomics.add(h, Slot.Sequence, 1); // even: consistent
  }

  // --- observers (main thread, worker) --------------------------------------------------------

  readonly #observed = emptyCounters();

  outputCounters(): Readonly<PlayoutCounters> {
    return this.readCounters(this.#observed);
  }

  /** Copies the latest published counters into `into` (a consistent set; no allocation). */
  readCounters(into: PlayoutCounters): PlayoutCounters {
    const h = this.#header;
    for (;;) {
      const before = Atomics.load(h, Slot.Sequence);
      if ((before & 1) === 0) {
        into.framesPlayed = loadPair(h, Slot.PlayedLow);
        into.underrunFrames = loadPair(h, Slot.UnderrunLow);
        into.contextFrame = loadPair(h, Slot.ContextFrameLow);
        into.framesDiscarded = loadPair(h, Slot.DiscardedLow);
        if (Atomics.load(h, Slot.Sequence) === before) return into;
      }
    }
  }
}

/** A non-negative integer below 2^53 as two int32 words (Atomics has no Float64). */
function storePair(h: Int32Array, low: number, value: number): void {
  const high = Math.floor(value / TWO_32);
  Atomics.store(h, low, (value - high * TWO_32) | 0);
  Atomics.store(h, low + 1, high | 0);
}

function loadPair(h: Int32Array, low: number): number {
  return (Atomics.load(h, low + 1) >>> 0) * TWO_32 + (Atomics.load(h, low) >>> 0);
}

// ---------------------------------------------------------------------------------------------
// The MessagePort fallback

/** Producer → worklet messages on the data port. */
export type PortRingMessage = { type: 'frames'; samples: Float32Array } | { type: 'flush' };

/** Worklet → producer: the queue's level, every few quanta. */
export interface PortRingReport {
  type: 'level';
  /** The worklet is taking frames: the producer may assume it goes on doing so until the next report. */
  playing: boolean;
  /** Frames queued in the worklet when it reported. */
  queued: number;
  /** Frames received in total (flushed ones included). */
  received: number;
  /** Flush messages applied so far: reports older than the producer's last flush are ignored. */
  flushes: number;
  counters: PlayoutCounters;
}

/** The smallest part of MessagePort both ends use (Node's and the browsers' ports fit). */
export interface PortLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
  start?(): void;
  close?(): void;
}

/** Level reports over which PortRingWriter.maxReportLagMs finds the fastest delivery (~0.7 s). */
const REPORT_WINDOW = 64;

/** Clock for the producer's estimate (performance.now in browsers and Node). */
export type MillisecondClock = () => number;

/**
 * Producer end of the fallback: posts each written chunk (a fresh, transferred copy) and keeps an
 * estimate of the worklet's level from its reports: the reported level, plus frames posted since
 * the worklet counted them, minus what it has played since the report at the sample rate (only
 * if it said it was playing) — since it was made: a report later than the fastest of those before
 * it (by its context time) is taken to have been made that much before it arrived. That
 * extrapolation stops at `maxExtrapolationFrames` (default 1536, 32 ms): reports arrive up to
 * ~30 ms late (measured: Chromium 22 ms, WebKit 31 ms), and a worklet that stops reporting
 * (context suspended) must not be assumed to drain for ever. While it is suspended, or while its
 * clock runs behind after the device stalled, the queue can therefore exceed the 50 ms bound by
 * up to that much.
 */
export class PortRingWriter implements FrameQueueWriter {
  readonly channels: number;
  readonly capacity: number;
  readonly sampleRate: number;
  readonly #port: PortLike;
  readonly #now: MillisecondClock;
  #written = 0;
  #flushes = 0;
  /** From the latest report (or the latest flush, which resets the estimate). */
  #reportQueued = 0;
  #reportReceived = 0;
  #reportAtMs = 0;
  #reported = false;
  /** The last report said the worklet was playing. */
  #draining = false;
  /** The worklet's counters as last reported. */
  readonly counters: PlayoutCounters = emptyCounters();

  readonly maxExtrapolationFrames: number;

  constructor(port: PortLike, options: { channels: number; capacity: number; sampleRate: number; now?: MillisecondClock; maxExtrapolationFrames?: number }) {
    this.#port = port;
    this.maxExtrapolationFrames = options.maxExtrapolationFrames ?? 1536;
    this.channels = options.channels;
    this.capacity = options.capacity;
    this.sampleRate = options.sampleRate;
    this.#now = options.now ?? (() => performance.now());
    port.onmessage = (event: MessageEvent) => this.#onReport(event.data as PortRingReport);
    port.start?.();
  }

  /** (arrival time − report's context time) of the latest REPORT_WINDOW reports. */
  readonly #offsets = new Float64Array(REPORT_WINDOW).fill(Infinity);
  #reports = 0;
  /**
   * Longest a report took beyond the fastest of the REPORT_WINDOW before it, in milliseconds
   * (the report's context time against this thread's clock; a window, because the two clocks
   * drift and the context's stops while the device stalls): how stale the level estimate gets.
   * The producer resets it.
   */
  maxReportLagMs = 0;

  #onReport(report: PortRingReport): void {
    if (report?.type !== 'level') return;
    const offset = this.#now() - (report.counters.contextFrame * 1000) / this.sampleRate;
    this.#offsets[this.#reports++ % REPORT_WINDOW] = offset;
    let fastest = Infinity;
    for (let i = 0; i < REPORT_WINDOW; i++) fastest = Math.min(fastest, this.#offsets[i]!);
    const lateMs = offset - fastest;
    this.maxReportLagMs = Math.max(this.maxReportLagMs, lateMs);
    if (report.flushes < this.#flushes) return;
    this.#reportQueued = report.queued;
    this.#reportReceived = report.received;
    // The level is the worklet's when it reported, which a late report (a busy worker's message
    // queue) shows as a later arrival than the fastest: the estimate drains from then, not from
    // the arrival (within the extrapolation's bound), or it would count frames already played.
    this.#reportAtMs = this.#now() - Math.min(lateMs, (this.maxExtrapolationFrames * 1000) / this.sampleRate);
    this.#reported = true;
    this.#draining = report.playing;
    Object.assign(this.counters, report.counters);
  }

  /** Frames written in total. */
  get framesWritten(): number {
    return this.#written;
  }

  queued(): number {
    const inFlight = this.#written - this.#reportReceived;
    // Until the worklet has reported, nothing is known to have been played.
    const playedSince = this.#reported && this.#draining ? Math.min(this.maxExtrapolationFrames, ((this.#now() - this.#reportAtMs) * this.sampleRate) / 1000) : 0;
    return Math.max(0, Math.min(this.#written, Math.round(this.#reportQueued + inFlight - playedSince)));
  }

  space(): number {
    return Math.max(0, this.capacity - this.queued());
  }

  outputCounters(): Readonly<PlayoutCounters> {
    return this.counters;
  }

  write(src: Float32Array, frames: number, srcOffset = 0): number {
    const channels = this.channels;
    const n = Math.max(0, Math.min(frames, this.space(), Math.floor(src.length / channels) - srcOffset));
    if (n === 0) return 0;
    const samples = src.slice(srcOffset * channels, (srcOffset + n) * channels);
    this.#port.postMessage({ type: 'frames', samples } satisfies PortRingMessage, [samples.buffer]);
    this.#written += n;
    return n;
  }

  requestFlush(): void {
    this.#port.postMessage({ type: 'flush' } satisfies PortRingMessage);
    this.#flushes++;
    // Everything posted so far is gone once the worklet reads the flush.
    this.#reportQueued = 0;
    this.#reportReceived = this.#written;
    this.#reportAtMs = this.#now();
  }

  close(): void {
    this.#port.onmessage = null;
    this.#port.close?.();
  }
}

/**
 * Worklet end of the fallback: queues the chunks the producer posts (a small ring of references,
 * grown in the message handler if ever needed, never in a read) and reports its level on the same
 * port every `reportEvery` publish() calls.
 */
export class PortRingReader implements FrameQueueReader {
  readonly channels: number;
  readonly #port: PortLike;
  readonly #reportEvery: number;
  #chunks: (Float32Array | null)[] = new Array<Float32Array | null>(64).fill(null);
  #head = 0;
  #count = 0;
  /** Frames already read from the head chunk. */
  #headOffset = 0;
  #queued = 0;
  #received = 0;
  #flushes = 0;
  #pendingDiscarded = 0;
  #publishes = 0;

  constructor(port: PortLike, options: { channels: number; reportEvery?: number }) {
    this.#port = port;
    this.channels = options.channels;
    this.#reportEvery = Math.max(1, options.reportEvery ?? 4);
    port.onmessage = (event: MessageEvent) => this.#onMessage(event.data as PortRingMessage);
    port.start?.();
  }

  #onMessage(message: PortRingMessage): void {
    if (message?.type === 'frames') {
      const frames = Math.floor(message.samples.length / this.channels);
      if (frames === 0) return;
      // Whole frames only (a stray partial frame would never be used up).
      const samples = message.samples.length === frames * this.channels ? message.samples : message.samples.subarray(0, frames * this.channels);
      if (this.#count === this.#chunks.length) this.#grow();
      this.#chunks[(this.#head + this.#count) % this.#chunks.length] = samples;
      this.#count++;
      this.#queued += frames;
      this.#received += frames;
    } else if (message?.type === 'flush') {
      this.#flushes++;
      this.discardAll();
    }
  }

  #grow(): void {
    const bigger = new Array<Float32Array | null>(this.#chunks.length * 2).fill(null);
    for (let i = 0; i < this.#count; i++) bigger[i] = this.#chunks[(this.#head + i) % this.#chunks.length]!;
    this.#chunks = bigger;
    this.#head = 0;
  }

  available(): number {
    return this.#queued;
  }

  readPlanar(out: ArrayLike<Float32Array>, frames: number, outOffset: number): number {
    const channels = this.channels;
    const outChannels = out.length;
    let done = 0;
    while (done < frames && this.#count > 0) {
      const chunk = this.#chunks[this.#head]!;
      const chunkFrames = chunk.length / channels;
      const n = Math.min(frames - done, chunkFrames - this.#headOffset);
      for (let c = 0; c < outChannels; c++) {
        const dest = out[c]!;
        let o = outOffset + done;
        const end = o + n;
        if (c >= channels) {
          dest.fill(0, o, end);
          continue;
        }
        let s = this.#headOffset * channels + c;
        while (o < end) {
          dest[o++] = chunk[s]!;
          s += channels;
        }
      }
      done += n;
      this.#headOffset += n;
      if (this.#headOffset === chunkFrames) this.#dropHead();
    }
    this.#queued -= done;
    return done;
  }

  #dropHead(): void {
    this.#chunks[this.#head] = null;
    this.#head = (this.#head + 1) % this.#chunks.length;
    this.#count--;
    this.#headOffset = 0;
  }

  discardAll(): number {
    const n = this.#queued;
    while (this.#count > 0) this.#dropHead();
    this.#queued = 0;
    this.#pendingDiscarded += n;
    return n;
  }

  takeDiscarded(): number {
    const n = this.#pendingDiscarded;
    this.#pendingDiscarded = 0;
    return n;
  }

  publish(counters: PlayoutCounters, playing: boolean): void {
    if (++this.#publishes % this.#reportEvery !== 0) return;
    this.reportNow(counters, playing);
  }

  /** Posts a level report at once (also after start/stop, so the producer sees changes quickly). */
  reportNow(counters: PlayoutCounters, playing: boolean): void {
    const report: PortRingReport = {
      type: 'level',
      playing,
      queued: this.#queued,
      received: this.#received,
      flushes: this.#flushes,
      counters: { ...counters },
    };
    this.#port.postMessage(report);
  }
}

/**
 * Copies `frames` interleaved frames between the ring's data (from frame `position`, wrapping at
 * `capacity`) and a linear buffer (from frame `offset`): into the ring when `toRing`, else out.
 * No allocation: it runs on the audio thread.
 */
function copyAround(
  data: Float32Array,
  position: number,
  capacity: number,
  linear: Float32Array,
  offset: number,
  frames: number,
  channels: number,
  toRing: boolean,
): void {
  let at = position;
  let l = offset * channels;
  let left = frames;
  while (left > 0) {
    const run = Math.min(left, capacity - at);
    let d = at * channels;
    const end = l + run * channels;
    if (toRing) while (l < end) data[d++] = linear[l++]!;
    else while (l < end) linear[l++] = data[d++]!;
    left -= run;
    at = 0;
  }
}

