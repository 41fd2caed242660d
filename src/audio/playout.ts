// What the output worklet does each render quantum, apart from the AudioWorklet plumbing (so it
// runs, and is tested, in Node too): take frames from the queue (shared ring or port queue), fill
// any shortfall with silence, and keep the audio clock's counters.
//
// Underruns are counted only once playback has actually begun: after start() or a flush, the
// silence before the first frame arrives is the producer catching up, not a glitch.
import { emptyCounters, type FrameQueueReader, type PlayoutCounters } from './ring';

export type PlayoutState = 'stopped' | 'waiting' | 'playing';

export class Playout {
  readonly counters: PlayoutCounters = emptyCounters();
  #source: FrameQueueReader | null;
  #state: PlayoutState = 'stopped';

  constructor(source: FrameQueueReader | null = null) {
    this.#source = source;
  }

  get state(): PlayoutState {
    return this.#state;
  }

  get source(): FrameQueueReader | null {
    return this.#source;
  }

  /** Connects (or replaces) the queue; playback state is kept. */
  connect(source: FrameQueueReader): void {
    this.#source = source;
  }

  start(): void {
    if (this.#state === 'stopped') this.#state = 'waiting';
  }

  /** Plays silence and leaves the queue alone until start(). */
  stop(): void {
    this.#state = 'stopped';
  }

  /** Drops what is queued (a seek); underruns are not counted again until new frames arrive. */
  flush(): void {
    if (this.#source) this.#source.discardAll();
    if (this.#state === 'playing') this.#state = 'waiting';
    this.#collectDiscarded();
  }

  #collectDiscarded(): void {
    if (this.#source) this.counters.framesDiscarded += this.#source.takeDiscarded();
  }

  /**
   * Fills `out` (planar channels, each `frames` long) for one quantum and publishes the counters.
   * `contextFrame` is the context's frame at the start of this quantum. Allocates nothing.
   */
  process(out: ArrayLike<Float32Array>, frames: number, contextFrame: number): void {
    const source = this.#source;
    let read = 0;
    if (source && this.#state !== 'stopped') {
      // A flush requested through the ring shows up as frames discarded during this read.
      const discardedBefore = this.counters.framesDiscarded;
      if (source.available() > 0) {
        this.#collectDiscarded();
        if (this.counters.framesDiscarded !== discardedBefore && this.#state === 'playing') this.#state = 'waiting';
        read = source.readPlanar(out, frames, 0);
        this.#state = 'playing';
      } else {
        this.#collectDiscarded();
        if (this.counters.framesDiscarded !== discardedBefore) this.#state = 'waiting';
      }
      this.counters.framesPlayed += read;
      if (this.#state === 'playing') this.counters.underrunFrames += frames - read;
    }
    for (let c = 0; c < out.length; c++) out[c]!.fill(0, read, frames);
    this.counters.contextFrame = contextFrame + frames;
    if (source) source.publish(this.counters, this.#state === 'playing');
  }
}
