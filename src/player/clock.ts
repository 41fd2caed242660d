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

/** Where the audio output is, as the programme time being heard now (null: no audio running). */
export type HeardTime = () => number | null;

/** Beyond this the followed clock jumps to the audio instead of slewing towards it. */
export const AUDIO_RESYNC_SECONDS = 0.08;
/** Fraction of the error towards the audio corrected on each reading (a gentle slew). */
export const AUDIO_SLEW = 0.1;
/**
 * Longest the picture holds its first frame for the sound to start (decoders priming, the
 * output's first burst); after it the picture plays on, and the audio catches up.
 */
export const AUDIO_START_HOLD_MS = 1500;

/**
 * The playback clock when audio may be running: a wall clock (WallClock) that, while playing and
 * while `heard()` gives a time, follows the audio being heard. The heard position moves in steps
 * (the worklet reads its queue in bursts of up to ~35 ms), so the clock is not set to it: each
 * reading slews the wall clock a tenth of the way towards it, and a larger error (a start, a seek,
 * a stall in the audio) makes it jump. It never runs backwards while playing and never goes
 * before the time play() started from. When sound is expected (`expectsAudio`: an output is
 * running and a programme has audio) the first frame holds until that sound is heard, for at most
 * AUDIO_START_HOLD_MS. Without audio (no user gesture yet, no output) it is the wall clock.
 */
export class AudioFollowingClock implements PlaybackClock {
  readonly #wall: WallClock;
  readonly #wallMs: () => number;
  #heard: HeardTime;
  #expectsAudio: () => boolean;
  /** The time play() started from (the clock holds there until the audio gets to it). */
  #floor = 0;
  #last = 0;
  /** Wall time of the latest play() or seek while playing: the start hold counts from it. */
  #startedWallMs = 0;
  /** Largest error seen since the last reset (seconds, signed: wall minus heard). */
  lastError = 0;

  constructor(heard: HeardTime = () => null, wallMs: () => number = () => performance.now(), expectsAudio: () => boolean = () => false) {
    this.#wallMs = wallMs;
    this.#wall = new WallClock(wallMs);
    this.#heard = heard;
    this.#expectsAudio = expectsAudio;
  }

  /** Changes where the heard time comes from, and whether sound is to be waited for. */
  follow(heard: HeardTime, expectsAudio: () => boolean = () => false): void {
    this.#heard = heard;
    this.#expectsAudio = expectsAudio;
  }

  get playing(): boolean {
    return this.#wall.playing;
  }

  get rate(): number {
    return this.#wall.rate;
  }

  now(): number {
    let time = this.#wall.now();
    if (!this.#wall.playing) return time;
    const heard = this.#wall.rate === 1 ? this.#heard() : null;
    if (heard === null && this.#wall.rate === 1 && this.#wallMs() - this.#startedWallMs < AUDIO_START_HOLD_MS && this.#expectsAudio()) {
      // The sound is about to start: hold the first frame for it.
      this.#wall.seek(this.#floor);
      this.#last = this.#floor;
      return this.#floor;
    }
    if (heard !== null && Number.isFinite(heard)) {
      const error = time - heard;
      this.lastError = error;
      if (Math.abs(error) > AUDIO_RESYNC_SECONDS) time = Math.max(heard, this.#floor);
      else time -= error * AUDIO_SLEW;
      this.#wall.seek(time);
    }
    time = Math.max(time, this.#last, this.#floor);
    this.#last = time;
    return time;
  }

  play(): void {
    if (this.#wall.playing) return;
    this.#floor = this.#wall.now();
    this.#last = this.#floor;
    this.#startedWallMs = this.#wallMs();
    this.#wall.play();
  }

  pause(): void {
    if (!this.#wall.playing) return;
    const time = this.now();
    this.#wall.pause();
    this.#wall.seek(time);
  }

  seek(time: number): void {
    this.#wall.seek(time);
    this.#floor = time;
    this.#last = time;
    this.#startedWallMs = this.#wallMs();
  }

  setRate(rate: number): void {
    this.#wall.setRate(rate);
  }
}
