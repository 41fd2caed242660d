// Reads one video asset as a sequence of decoded frames, in a worker: Mediabunny demuxes
// (video-demuxer.ts), WebCodecs' VideoDecoder decodes, and every frame is copied out as plain data
// (decoded-video-frame.ts) and its VideoFrame closed at once. Seeks are frame-exact; decoding runs
// ahead of the consumer only by a small, fixed number of frames (back-pressure).
//
// Named VideoReader, not VideoSource: Mediabunny's VideoSource is an encoder input, and both are
// imported side by side.
/// <reference lib="webworker" />
import type { EncodedPacket } from 'mediabunny';

import {
  FrameBufferPool,
  closeVideoFrame,
  copyVideoFrame,
  countVideoFrameOpened,
  type DecodedVideoFrame,
} from './decoded-video-frame';
import { MediaInputError, describeError } from './media-input-error';
import { VideoDemuxer, type VideoInfo, type VideoInput } from './video-demuxer';

export type { DecodedVideoFrame } from './decoded-video-frame';
export { videoFrameStats } from './decoded-video-frame';

/** Default bound on frames decoded ahead of the consumer (queued plus inside the decoder). */
export const DEFAULT_MAX_QUEUED_FRAMES = 8;
/**
 * A decoder that holds more frames than the bound before emitting any would stall the reader:
 * when it has taken every chunk (decodeQueueSize 0) and gives nothing for this long while the
 * consumer waits, it is allowed one more frame in flight. Long enough not to mistake a slow,
 * loaded machine for a decoder that wants more input.
 */
const STALL_MS = 500;

export interface VideoReaderOptions {
  /** Name used in messages (default: the URL's last segment). */
  name?: string;
  /** Bound on decoded-but-unconsumed frames plus frames inside the decoder (default 8, min 2). */
  maxQueuedFrames?: number;
}

/** What a reader has done, for tests and diagnostics. */
export interface VideoReaderStats {
  /** Largest number of decoded frames waiting for the consumer at any time. */
  maxQueuedFrames: number;
  /** Largest VideoDecoder.decodeQueueSize seen right after a decode() call. */
  maxDecodeQueueSize: number;
  /** Frames copied out of the decoder. */
  framesCopied: number;
  /** Frames decoded only to reach a seek target and dropped (most without ever being copied). */
  framesSkipped: number;
  /** Decoders started (one per seek that had to go back to a key frame). */
  decoderStarts: number;
  /** Seeks served by decoding on from where the reader already was. */
  seeksContinued: number;
  /**
   * Times the decoder held back every frame in flight while the consumer waited, so the bound on
   * frames in flight was raised by one for that decoder (0 with the browsers' software decoders).
   */
  stallOverruns: number;
}

/**
 * One decoder working forward from one key frame. A seek either continues the current run (the
 * target is ahead, and its key frame has already been fed) or replaces it with a new one.
 */
interface DecodeRun {
  readonly decoder: VideoDecoder;
  readonly packets: AsyncGenerator<EncodedPacket, void, undefined>;
  /** Copied frames waiting for the consumer, in presentation order. */
  readonly ready: DecodedVideoFrame[];
  /** Every VideoFrame this run holds (waiting to be copied, or the seek candidate). */
  readonly held: Set<VideoFrame>;
  /** Container durations by timestamp: browsers do not all carry chunk durations through. */
  readonly durations: Map<number, number>;
  /**
   * While set, frames up to the one covering this time are skipped: a frame at or before it is
   * kept only until a later one at or before it arrives. Cleared by the first frame after it.
   */
  targetUs: number | null;
  /** The newest frame at or before targetUs, not yet copied (it may still be superseded). */
  candidate: VideoFrame | null;
  /** Packets fed whose frames are neither queued nor discarded yet. */
  inFlight: number;
  /** Timestamp of the newest key packet fed, and the largest timestamp fed. */
  lastFedKeyUs: number;
  lastFedUs: number;
  /** Timestamp of the last frame handed to the consumer (read or frameAt), or null. */
  consumedUs: number | null;
  demuxDone: boolean;
  /** The decoder has been flushed after the last packet: nothing more will come. */
  drained: boolean;
  feeding: boolean;
  dead: boolean;
  error: MediaInputError | null;
  /** Serialises frame handling: copies finish in output order. */
  chain: Promise<void>;
  /** Frames delivered by the decoder (to notice a stall). */
  outputs: number;
  /** Frames in flight allowed beyond the bound: what this decoder was seen to hold back. */
  extraInFlight: number;
  stallTimer: ReturnType<typeof setTimeout> | null;
  /** Resolvers of everyone waiting for this run to change. */
  waiters: Array<() => void>;
}

export class VideoReader {
  readonly info: VideoInfo;
  readonly maxQueuedFrames: number;
  readonly #demuxer: VideoDemuxer;
  readonly #config: VideoDecoderConfig;
  readonly #pool: FrameBufferPool;
  readonly #stats: VideoReaderStats = {
    maxQueuedFrames: 0,
    maxDecodeQueueSize: 0,
    framesCopied: 0,
    framesSkipped: 0,
    decoderStarts: 0,
    seeksContinued: 0,
    stallOverruns: 0,
  };
  #run: DecodeRun | null = null;
  /** Frames handed out by read() and not yet released. */
  readonly #lent = new WeakSet<DecodedVideoFrame>();
  /** The frame frameAt() last returned; the reader owns it. */
  #shown: DecodedVideoFrame | null = null;
  /** Public operations run one at a time, in call order. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(demuxer: VideoDemuxer, config: VideoDecoderConfig, maxQueuedFrames: number) {
    this.#demuxer = demuxer;
    this.#config = config;
    this.info = demuxer.info;
    this.maxQueuedFrames = maxQueuedFrames;
    this.#pool = new FrameBufferPool(maxQueuedFrames + 4);
  }

  /**
   * Opens a video (bytes or URL) and checks that this browser can decode it. Decoding starts with
   * the first seek, read, frameAt or prefetch. Throws MediaInputError.
   */
  static async open(source: VideoInput, options: VideoReaderOptions = {}): Promise<VideoReader> {
    const maxQueuedFrames = Math.max(2, Math.floor(options.maxQueuedFrames ?? DEFAULT_MAX_QUEUED_FRAMES));
    const demuxer = await VideoDemuxer.open(source, options.name === undefined ? {} : { name: options.name });
    const name = demuxer.info.name;
    try {
      if (typeof VideoDecoder === 'undefined') {
        throw new MediaInputError(name, 'no-decoder', `${name} cannot be decoded here: this environment has no WebCodecs VideoDecoder.`);
      }
      // Software decoders give I420 planes (or, in Firefox, RGB) that are bit-exact everywhere;
      // take whatever the browser has when it offers no software decoder for the codec.
      const candidates: VideoDecoderConfig[] = [
        { ...demuxer.decoderConfig, hardwareAcceleration: 'prefer-software' },
        demuxer.decoderConfig,
      ];
      for (const config of candidates) {
        let support: VideoDecoderSupport;
        try {
          support = await VideoDecoder.isConfigSupported(config);
        } catch (error) {
          throw new MediaInputError(name, 'unsupported-codec', `${name}: the decoder rejected its configuration (${describeError(error)}).`, { cause: error });
        }
        if (support.supported) return new VideoReader(demuxer, config, maxQueuedFrames);
      }
      throw new MediaInputError(
        name,
        'unsupported-codec',
        `${name} uses video codec ${demuxer.info.codec}, which this browser cannot decode.`,
      );
    } catch (error) {
      demuxer.close();
      throw error;
    }
  }

  /** Frames decoded and waiting for the consumer. */
  get queuedFrames(): number {
    return this.#run?.ready.length ?? 0;
  }

  get stats(): Readonly<VideoReaderStats> {
    return { ...this.#stats };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Positions the reader so that the next read() returns the frame whose presentation interval
   * contains `timeUs` (the first frame when the time is before it; null when it is at or after
   * the end). Decodes from the nearest key frame at or before the target and discards the frames
   * before it without copying them. Resolves once positioned, before the frame is decoded.
   * Releases the frame frameAt() returned.
   */
  seek(timeUs: number): Promise<void> {
    return this.#exclusive(undefined, async () => {
      this.#dropShown();
      await this.#seek(timeUs, false);
    });
  }

  /**
   * The next frame in presentation order, or null after the last. The caller owns it and must
   * hand it back with release() (its buffer is reused).
   */
  read(): Promise<DecodedVideoFrame | null> {
    return this.#exclusive(null, async () => {
      const run = this.#run ?? (await this.#startAtBeginning());
      const frame = await this.#next(run);
      if (!frame) return null;
      this.#take(run);
      this.#lent.add(frame);
      return frame;
    });
  }

  /** Gives a frame from read() back; its buffer will be reused, so stop using it. */
  release(frame: DecodedVideoFrame): void {
    if (frame === this.#shown) throw new Error('release(): frames returned by frameAt() belong to the reader');
    if (!this.#lent.delete(frame)) return; // already released, or not from this reader
    if (!this.#closed) this.#pool.give(frame.planes);
  }

  /**
   * The frame to show at `timeUs` (clamped to the video's first and last frame): the newest frame
   * whose timestamp is at or before it. The previous frame stays current until the next one is
   * due. Playing forward reads on; a jump back, or far ahead past the next key frame, seeks.
   * The reader owns the returned frame: it stays valid until the next frameAt, seek, prefetch or
   * close, and must not be released. Use either frameAt() or read() on one reader, not both.
   */
  frameAt(timeUs: number): Promise<DecodedVideoFrame | null> {
    return this.#exclusive(null, async () => {
      const t = Math.min(Math.max(timeUs, this.info.firstTimestampUs), this.info.lastFrameTimestampUs);
      const shown = this.#shown;
      if (!shown || !this.#run || t < shown.timestampUs) {
        await this.#seek(t, false);
        return this.#show(await this.#next(this.#run!));
      }
      let run = this.#run;
      const head = run.ready[0];
      if (head && head.timestampUs > t) return shown; // the next frame is not due yet
      if (t > run.lastFedUs && !run.demuxDone) {
        // Beyond what has been fed: a new decoder if the target's key frame comes after it.
        await this.#seek(t, true);
        run = this.#run!;
      } else {
        this.#aim(run, t);
      }
      const next = await this.#next(run);
      if (!next || next.timestampUs > t) return shown;
      return this.#show(next);
    });
  }

  /**
   * Seeks to `fromUs` and resolves once the first frame there is decoded (and the queue is
   * filling), so that a scene join does not wait for the decoder. Use a second reader to prefetch
   * the next scene while the first plays.
   */
  prefetch(fromUs: number): Promise<void> {
    return this.#exclusive(undefined, async () => {
      this.#dropShown();
      await this.#seek(fromUs, false);
      await this.#next(this.#run!);
    });
  }

  /** Stops decoding and frees every frame the reader holds. Frames lent by read() stay valid. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#run) this.#endRun(this.#run);
    this.#run = null;
    this.#shown = null;
    this.#pool.clear();
    this.#demuxer.close();
  }

  // ---- Positioning ---------------------------------------------------------------------------

  /**
   * Makes the next frame of the current run the one covering `t`. Continues the current run
   * when the target is not behind what it can still deliver and the target's key frame has
   * already been fed; otherwise starts a new run at that key frame. `fromShown`: the consumer
   * still shows the last consumed frame, so a target inside it may continue too.
   */
  async #seek(t: number, fromShown: boolean): Promise<void> {
    const run = this.#run;
    if (run && !run.error && !run.dead) {
      // The earliest frame the run can still deliver: the queue's head, the seek candidate, the
      // pending target (nothing before it will come), or the frame on screen.
      const earliest =
        run.ready[0]?.timestampUs ?? run.candidate?.timestamp ?? run.targetUs ?? (fromShown ? run.consumedUs : null);
      if (earliest !== null && t >= earliest) {
        if (t <= run.lastFedUs) {
          this.#aim(run, t);
          this.#stats.seeksContinued++;
          return;
        }
        const key = await this.#demuxer.keyPacketFor(t);
        if (key.microsecondTimestamp <= run.lastFedKeyUs && this.#run === run && !run.dead) {
          this.#aim(run, t);
          this.#stats.seeksContinued++;
          return;
        }
        this.#startRun(key, t);
        return;
      }
    }
    this.#startRun(await this.#demuxer.keyPacketFor(t), t);
  }

  /**
   * Continues `run` towards `t`: drops queued frames that end before it and makes the run skip
   * frames until the one covering `t`.
   */
  #aim(run: DecodeRun, t: number): void {
    let last = -1;
    for (let i = 0; i < run.ready.length && run.ready[i]!.timestampUs <= t; i++) last = i;
    if (last > 0) this.#discardFirst(run, last);
    if (run.ready.some((f) => f.timestampUs > t)) {
      run.targetUs = null; // the covering frame is queued; nothing to skip
      return;
    }
    if (run.drained) {
      // Nothing more will come: the queued frame covers t unless t lies past its end.
      this.#dropTailEndingBy(run, t);
      return;
    }
    // Lowering a pending target is safe: frames already skipped lie before the candidate, which
    // lies at or before t (callers never aim behind what the run can still deliver).
    run.targetUs = t;
    this.#feed(run);
  }

  async #startAtBeginning(): Promise<DecodeRun> {
    this.#startRun(await this.#demuxer.keyPacketFor(this.info.firstTimestampUs), null);
    return this.#run!;
  }

  #startRun(key: EncodedPacket, targetUs: number | null): void {
    if (this.#closed) throw this.#closedError();
    if (this.#run) this.#endRun(this.#run);
    const name = this.info.name;
    let run: DecodeRun; // assigned below; the callbacks only run after that
    const decoder = new VideoDecoder({
      output: (frame) => this.#onOutput(run, frame),
      error: (error) =>
        this.#fail(
          run,
          new MediaInputError(
            name,
            'corrupt',
            `${name} could not be decoded near ${(run.lastFedUs / 1e6).toFixed(3)} s: ${describeError(error)}`,
            { cause: error },
          ),
        ),
    });
    run = {
      decoder,
      packets: this.#demuxer.packets(key),
      ready: [],
      held: new Set(),
      durations: new Map(),
      targetUs,
      candidate: null,
      inFlight: 0,
      lastFedKeyUs: key.microsecondTimestamp,
      lastFedUs: key.microsecondTimestamp,
      consumedUs: null,
      demuxDone: false,
      drained: false,
      feeding: false,
      dead: false,
      error: null,
      chain: Promise.resolve(),
      outputs: 0,
      extraInFlight: 0,
      stallTimer: null,
      waiters: [],
    };
    this.#run = run;
    this.#stats.decoderStarts++;
    decoder.configure(this.#config);
    decoder.addEventListener('dequeue', () => this.#feed(run));
    this.#feed(run);
  }

  #endRun(run: DecodeRun): void {
    if (run.dead) return;
    run.dead = true;
    if (run.stallTimer !== null) clearTimeout(run.stallTimer);
    if (run.decoder.state !== 'closed') run.decoder.close();
    for (const frame of run.held) closeVideoFrame(frame);
    run.held.clear();
    run.candidate = null;
    for (const frame of run.ready) this.#pool.give(frame.planes);
    run.ready.length = 0;
    void run.packets.return().catch(() => undefined);
    this.#wake(run);
  }

  // ---- Feeding (back-pressure) ---------------------------------------------------------------

  /** Feeds packets while the queue plus the frames inside the decoder stay under the bound. */
  #feed(run: DecodeRun): void {
    if (run.feeding || run.demuxDone || run.dead || run.error) return;
    run.feeding = true;
    void this.#feedLoop(run).finally(() => {
      run.feeding = false;
      if (run.waiters.length > 0) this.#watchForStall(run);
    });
  }

  async #feedLoop(run: DecodeRun): Promise<void> {
    try {
      while (!run.dead && !run.error && !run.demuxDone && this.#hasRoom(run)) {
        const next = await run.packets.next();
        if (run.dead) return;
        if (next.done) {
          run.demuxDone = true;
          this.#drain(run);
          return;
        }
        const packet = next.value;
        const ts = packet.microsecondTimestamp;
        run.durations.set(ts, packet.microsecondDuration);
        if (packet.type === 'key') run.lastFedKeyUs = Math.max(run.lastFedKeyUs, ts);
        run.lastFedUs = Math.max(run.lastFedUs, ts);
        run.inFlight++;
        run.decoder.decode(packet.toEncodedVideoChunk());
        this.#stats.maxDecodeQueueSize = Math.max(this.#stats.maxDecodeQueueSize, run.decoder.decodeQueueSize);
      }
    } catch (error) {
      if (!run.dead) this.#fail(run, error instanceof MediaInputError ? error : this.#corrupt(error));
    }
  }

  #hasRoom(run: DecodeRun): boolean {
    return run.ready.length + run.inFlight < this.maxQueuedFrames + run.extraInFlight;
  }

  #drain(run: DecodeRun): void {
    run.decoder.flush().then(
      () => {
        run.chain = run.chain.then(() => this.#finish(run));
      },
      (error: unknown) => {
        if (!run.dead && !run.error) this.#fail(run, this.#corrupt(error));
      },
    );
  }

  /** After the last frame: settle a pending seek target, then report the end. */
  async #finish(run: DecodeRun): Promise<void> {
    if (run.dead) return;
    const target = run.targetUs;
    if (target !== null) {
      run.targetUs = null;
      const candidate = run.candidate;
      run.candidate = null;
      if (candidate) {
        const end = candidate.timestamp + this.#durationOf(run, candidate);
        if (target < end) await this.#enqueue(run, candidate);
        else this.#skip(run, candidate);
      } else {
        this.#dropTailEndingBy(run, target);
      }
    }
    run.drained = true;
    run.inFlight = 0;
    this.#wake(run);
  }

  // ---- Decoder output ------------------------------------------------------------------------

  #onOutput(run: DecodeRun, frame: VideoFrame): void {
    countVideoFrameOpened();
    if (run.dead) {
      closeVideoFrame(frame);
      return;
    }
    run.held.add(frame);
    run.outputs++;
    run.chain = run.chain.then(() => this.#handle(run, frame));
  }

  /** Runs in output order: skip, hold as the seek candidate, or copy into the queue. */
  async #handle(run: DecodeRun, frame: VideoFrame): Promise<void> {
    if (run.dead) return; // endRun closed it
    const target = run.targetUs;
    if (target !== null) {
      if (frame.timestamp <= target) {
        // This frame supersedes every earlier frame at or before the target.
        if (run.candidate) this.#skip(run, run.candidate);
        const tail = run.ready[run.ready.length - 1];
        if (tail && tail.timestampUs <= target) this.#discardLast(run);
        run.candidate = frame;
        this.#feed(run);
        return;
      }
      run.targetUs = null;
      const candidate = run.candidate;
      run.candidate = null;
      if (candidate) await this.#enqueue(run, candidate);
      if (run.dead) return;
    }
    await this.#enqueue(run, frame);
  }

  async #enqueue(run: DecodeRun, frame: VideoFrame): Promise<void> {
    const timestampUs = frame.timestamp;
    const durationUs = this.#durationOf(run, frame);
    try {
      const copied = await copyVideoFrame(frame, this.#pool, { timestampUs, durationUs }, this.info.colour);
      if (run.dead) {
        this.#pool.give(copied.planes);
        return;
      }
      run.ready.push(copied);
      this.#stats.framesCopied++;
      this.#stats.maxQueuedFrames = Math.max(this.#stats.maxQueuedFrames, run.ready.length);
    } catch (error) {
      if (!run.dead) this.#fail(run, this.#corrupt(error));
    } finally {
      if (run.held.delete(frame)) closeVideoFrame(frame);
      run.durations.delete(timestampUs);
      run.inFlight = Math.max(0, run.inFlight - 1);
      this.#wake(run);
      this.#feed(run);
    }
  }

  /** Closes a frame that was decoded only to reach a seek target. */
  #skip(run: DecodeRun, frame: VideoFrame): void {
    if (run.held.delete(frame)) closeVideoFrame(frame);
    run.durations.delete(frame.timestamp);
    run.inFlight = Math.max(0, run.inFlight - 1);
    this.#stats.framesSkipped++;
  }

  #durationOf(run: DecodeRun, frame: VideoFrame): number {
    return frame.duration ?? run.durations.get(frame.timestamp) ?? 0;
  }

  /** Drops the first `count` queued frames (they end before the seek target). */
  #discardFirst(run: DecodeRun, count: number): void {
    for (const frame of run.ready.splice(0, count)) this.#pool.give(frame.planes);
    this.#stats.framesSkipped += count;
  }

  /** At the end of the stream: drops the last frame if `t` lies past its end. */
  #dropTailEndingBy(run: DecodeRun, t: number): void {
    const tail = run.ready[run.ready.length - 1];
    if (tail && tail.timestampUs <= t && t >= tail.timestampUs + tail.durationUs) this.#discardLast(run);
  }

  /** Drops the newest queued frame (a later frame at or before the target replaces it). */
  #discardLast(run: DecodeRun): void {
    const frame = run.ready.pop();
    if (!frame) return;
    this.#pool.give(frame.planes);
    this.#stats.framesSkipped++;
  }

  // ---- Consuming -----------------------------------------------------------------------------

  /**
   * The next frame of `run` once it is final (not a seek candidate that a later frame may still
   * replace), or null at the end. Does not remove it.
   */
  async #next(run: DecodeRun): Promise<DecodedVideoFrame | null> {
    while (true) {
      if (this.#closed) return null;
      if (run.dead) throw new Error('VideoReader: a decode run was replaced while waiting on it');
      const head = run.ready[0];
      const tentative =
        run.targetUs !== null && !run.drained && head !== undefined && run.ready.length === 1 && head.timestampUs <= run.targetUs;
      if (head && !tentative) return head;
      if (run.error) throw run.error;
      if (run.drained && !head) return null;
      this.#feed(run);
      this.#watchForStall(run);
      await new Promise<void>((resolve) => run.waiters.push(resolve));
    }
  }

  #take(run: DecodeRun): DecodedVideoFrame {
    const frame = run.ready.shift()!;
    run.consumedUs = frame.timestampUs;
    this.#feed(run);
    return frame;
  }

  #show(frame: DecodedVideoFrame | null): DecodedVideoFrame | null {
    if (!frame) return this.#shown;
    this.#take(this.#run!);
    this.#dropShown();
    this.#shown = frame;
    return frame;
  }

  #dropShown(): void {
    if (this.#shown) this.#pool.give(this.#shown.planes);
    this.#shown = null;
  }

  #wake(run: DecodeRun): void {
    const waiters = run.waiters.splice(0);
    for (const resolve of waiters) resolve();
  }

  /**
   * If the decoder holds every in-flight frame back while the consumer waits, allow it one more
   * frame in flight (for the rest of this run) instead of waiting forever.
   */
  #watchForStall(run: DecodeRun): void {
    if (run.stallTimer !== null || run.demuxDone || run.dead) return;
    if (this.#hasRoom(run)) return;
    const outputs = run.outputs;
    run.stallTimer = setTimeout(() => {
      run.stallTimer = null;
      if (run.dead || run.outputs !== outputs || run.waiters.length === 0) return;
      if (run.decoder.decodeQueueSize > 0) {
        this.#watchForStall(run); // still working through its input
        return;
      }
      // The frames are inside the decoder, which wants more input before it lets any go.
      run.extraInFlight++;
      this.#stats.stallOverruns++;
      this.#feed(run);
      this.#watchForStall(run);
    }, STALL_MS);
  }

  #fail(run: DecodeRun, error: MediaInputError): void {
    if (run.error || run.dead) return;
    run.error = error;
    this.#wake(run);
  }

  #corrupt(error: unknown): MediaInputError {
    const name = this.info.name;
    return new MediaInputError(name, 'corrupt', `${name} could not be decoded: ${describeError(error)}`, { cause: error });
  }

  #closedError(): MediaInputError {
    return new MediaInputError(this.info.name, 'closed', `${this.info.name}: the video reader is closed.`);
  }

  /**
   * Runs public operations one at a time. Calls made after close() are refused; a call made
   * before it but overtaken by it settles with `whenClosed`.
   */
  #exclusive<T>(whenClosed: T, operation: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closedError());
    const result = this.#queue.then(async () => {
      if (this.#closed) return whenClosed;
      try {
        return await operation();
      } catch (error) {
        if (this.#closed && error instanceof MediaInputError && error.code === 'closed') return whenClosed;
        throw error;
      }
    });
    this.#queue = result.catch(() => undefined);
    return result;
  }
}
