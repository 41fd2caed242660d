// The playback clock: where in the programme we are, in seconds. Playback reads it once per
// display tick; nothing else keeps time. PlaybackClock is the contract, so that an audio clock
// (position from the AudioContext's output, which the picture must then follow) can replace the
// performance.now() clock below without the scheduler noticing.

export interface PlaybackClock {
  /** Programme time in seconds now. */
  now(): number;
  readonly playing: boolean;
  /** Playback speed (1 = real time). */
  readonly rate: number;
  play(): void;
  pause(): void;
  /** Moves to `time` seconds, playing or not. */
  seek(time: number): void;
  setRate(rate: number): void;
}

/**
 * A clock driven by a monotonic millisecond source (performance.now by default; tests pass their
 * own). Programme time is kept as an anchor (time at a wall-clock instant) plus elapsed wall time
 * times the rate, so a pause, seek or rate change only moves the anchor and no error accumulates.
 */
export class WallClock implements PlaybackClock {
  readonly #wallMs: () => number;
  /** Programme time at #anchorWallMs. */
  #anchorTime = 0;
  #anchorWallMs: number;
  #playing = false;
  #rate = 1;

  constructor(wallMs: () => number = () => performance.now()) {
    this.#wallMs = wallMs;
    this.#anchorWallMs = wallMs();
  }

  get playing(): boolean {
    return this.#playing;
  }

  get rate(): number {
    return this.#rate;
  }

  now(): number {
    if (!this.#playing) return this.#anchorTime;
    return this.#anchorTime + ((this.#wallMs() - this.#anchorWallMs) / 1000) * this.#rate;
  }

  play(): void {
    if (this.#playing) return;
    this.#reanchor();
    this.#playing = true;
  }

  pause(): void {
    if (!this.#playing) return;
    this.#reanchor();
    this.#playing = false;
  }

  seek(time: number): void {
    if (!Number.isFinite(time)) throw new RangeError(`cannot seek to ${time}`);
    this.#anchorTime = time;
    this.#anchorWallMs = this.#wallMs();
  }

  setRate(rate: number): void {
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`the playback rate must be a positive number, not ${rate}`);
    this.#reanchor();
    this.#rate = rate;
  }

  /** Moves the anchor to now, keeping the current programme time. */
  #reanchor(): void {
    const time = this.now();
    this.#anchorWallMs = this.#wallMs();
    this.#anchorTime = time;
  }
}
