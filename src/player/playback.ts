// Playback: the clock, the display cadence and the scheduler put together. On every display tick
// it reads the clock, has the scheduler compose the frame for that time and presents it; it
// counts frames presented, late (a video frame was not ready: the previous one was shown) and
// dropped (display ticks missed because a tick overran, or the thread was busy). Pause and seek
// compose the exact frame for the new time and wait for it ("settle"), so a paused picture is
// always complete.
//
// DOM-free like the scheduler: the cadence and presentation are passed in (tests use fakes).
import type { PlaybackClock } from './clock';
import type { TickMode, TickResult } from './scheduler';

/** Calls back once per display refresh (or at a fixed rate where there is no display signal). */
export interface Cadence {
  readonly kind: 'animation-frame' | 'timer';
  /** The refresh interval if known in advance (timers); null: measured from the callbacks. */
  readonly nominalIntervalMs: number | null;
  /** Starts calling `onTick` with a monotonic timestamp in milliseconds. */
  start(onTick: (timestampMs: number) => void): void;
  stop(): void;
}

/** requestAnimationFrame in the worker: ticks with the display (Chromium and Firefox workers). */
export class AnimationFrameCadence implements Cadence {
  readonly kind = 'animation-frame';
  readonly nominalIntervalMs = null;
  readonly #scope: AnimationFrameProvider;
  #handle: number | null = null;

  constructor(scope: AnimationFrameProvider) {
    this.#scope = scope;
  }

  start(onTick: (timestampMs: number) => void): void {
    this.stop();
    const loop = (timestamp: number) => {
      this.#handle = this.#scope.requestAnimationFrame(loop);
      onTick(timestamp);
    };
    this.#handle = this.#scope.requestAnimationFrame(loop);
  }

  stop(): void {
    if (this.#handle !== null) this.#scope.cancelAnimationFrame(this.#handle);
    this.#handle = null;
  }
}

/**
 * A timer at a fixed rate, for workers without requestAnimationFrame. Ticks are scheduled on a
 * grid from the start (no drift); when the thread was busy past a grid point, that tick is
 * skipped, which the playback counts as dropped.
 */
export class TimerCadence implements Cadence {
  readonly kind = 'timer';
  readonly nominalIntervalMs: number;
  readonly #nowMs: () => number;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(hz = 60, nowMs: () => number = () => performance.now()) {
    this.nominalIntervalMs = 1000 / hz;
    this.#nowMs = nowMs;
  }

  start(onTick: (timestampMs: number) => void): void {
    this.stop();
    const interval = this.nominalIntervalMs;
    const origin = this.#nowMs();
    let n = 0;
    const schedule = () => {
      const now = this.#nowMs();
      n = Math.max(n + 1, Math.ceil((now - origin) / interval));
      this.#timer = setTimeout(() => {
        schedule();
        onTick(this.#nowMs());
      }, Math.max(0, origin + n * interval - now));
    };
    schedule();
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

/** The display's cadence where the scope offers one, else a 60 Hz timer. */
export function displayCadence(scope: object): Cadence {
  const provider = scope as Partial<AnimationFrameProvider>;
  if (typeof provider.requestAnimationFrame === 'function' && typeof provider.cancelAnimationFrame === 'function') {
    return new AnimationFrameCadence(provider as AnimationFrameProvider);
  }
  return new TimerCadence(60);
}

/** The part of PlaybackScheduler that playback drives. */
export interface TickScheduler {
  tick(time: number, mode: TickMode): Promise<TickResult>;
  closeAll(): void;
  readonly readers: number;
  readonly decodeQueue: number;
}

export type PlaybackState = 'paused' | 'playing' | 'ended';

export interface PlaybackCounters {
  state: PlaybackState;
  /** Programme time of the last presented frame, in seconds. */
  time: number;
  duration: number;
  rate: number;
  /** Frames composed and presented since the programme was loaded. */
  presented: number;
  /** Presented frames that showed an older video frame because the right one was not ready. */
  late: number;
  /** Display ticks that presented nothing because the previous tick overran or the thread was busy. */
  dropped: number;
  /** Frames decoded ahead and waiting, over all open readers. */
  decodeQueue: number;
  readers: number;
  /** Engine composition time of the last frame, and the median over the last ones (ms). */
  composeMs: number | null;
  composeMedianMs: number | null;
  cadence: Cadence['kind'];
}

export interface PlaybackOptions {
  scheduler: TickScheduler;
  clock: PlaybackClock;
  cadence: Cadence;
  duration: number;
  /** Shows the engine's current frame (composed for `result.time`). */
  present: (result: TickResult, settled: boolean) => void | Promise<void>;
  /** Counters, at most every STATS_INTERVAL_MS while playing and at once on every change of state. */
  onStats: (counters: PlaybackCounters) => void;
  /** A tick failed (the engine refused to compose): playback has paused. */
  onError?: (error: unknown) => void;
  nowMs?: () => number;
}

/** How often counters are reported while playing. */
export const STATS_INTERVAL_MS = 250;
/**
 * How far before its end the programme's last frame is: at the end itself every object has
 * ended and nothing is on screen, so seeks there show the frame just before.
 */
export const LAST_FRAME_BEFORE_END = 1e-6;
/** Compose times kept for the median. */
const COMPOSE_WINDOW = 60;
/** Display intervals kept to estimate the refresh interval of an animation-frame cadence. */
const INTERVAL_WINDOW = 30;
/** A gap longer than this many refresh intervals between ticks means ticks were missed. */
const GAP_FACTOR = 1.5;
/**
 * Readings of the clock this far apart while playing mean the thread was frozen (a browser stall,
 * a suspended machine, a hidden page whose worker got no display ticks): playback picks up from
 * the last frame shown instead of jumping ahead by the frozen time, which in a short programme
 * went straight past its end. A clock following heard sound goes to the sound on its next reading.
 */
export const FROZEN_GAP_MS = 2000;

export class Playback {
  readonly #scheduler: TickScheduler;
  readonly #clock: PlaybackClock;
  readonly #cadence: Cadence;
  readonly #present: PlaybackOptions['present'];
  readonly #onStats: PlaybackOptions['onStats'];
  readonly #onError: PlaybackOptions['onError'];
  readonly #nowMs: () => number;
  /** Seconds; changes when the programme is re-resolved (setDuration). */
  duration: number;

  #state: PlaybackState = 'paused';
  #time = 0;
  #presented = 0;
  #late = 0;
  #dropped = 0;
  readonly #composeTimes: number[] = [];
  readonly #intervals: number[] = [];
  #lastTickMs: number | null = null;
  /** Wall time of the last reading of the clock by a tick (null: none since ticking started). */
  #lastReadMs: number | null = null;
  #lastStatsMs = -Infinity;
  /** The tick or settle running now; ticks never overlap. */
  #busy: Promise<void> | null = null;
  /** Bumped by every pause, seek and play: a settle superseded by a later one is skipped. */
  #generation = 0;
  #disposed = false;

  constructor(options: PlaybackOptions) {
    this.#scheduler = options.scheduler;
    this.#clock = options.clock;
    this.#cadence = options.cadence;
    this.#present = options.present;
    this.#onStats = options.onStats;
    this.#onError = options.onError;
    this.#nowMs = options.nowMs ?? (() => performance.now());
    this.duration = options.duration;
    this.#time = this.#clock.now();
  }

  get state(): PlaybackState {
    return this.#state;
  }

  counters(): PlaybackCounters {
    return {
      state: this.#state,
      time: this.#time,
      duration: this.duration,
      rate: this.#clock.rate,
      presented: this.#presented,
      late: this.#late,
      dropped: this.#dropped,
      decodeQueue: this.#scheduler.decodeQueue,
      readers: this.#scheduler.readers,
      composeMs: this.#composeTimes.at(-1) ?? null,
      composeMedianMs: median(this.#composeTimes),
      cadence: this.#cadence.kind,
    };
  }

  play(): void {
    if (this.#disposed || this.#state === 'playing') return;
    if (this.#clock.now() >= this.duration) this.#clock.seek(0); // play again from the start
    this.#generation++;
    this.#state = 'playing';
    this.#clock.play();
    this.#startTicking();
    this.#report(true);
  }

  /** Stops the clock and composes the exact frame for where it stopped. */
  async pause(): Promise<void> {
    if (this.#disposed || this.#state === 'ended') return; // the last frame stays on screen
    const generation = ++this.#generation;
    this.#stopTicking();
    this.#clock.pause();
    if (this.#state === 'playing') this.#state = 'paused';
    await this.#settle(this.#clock.now(), generation);
  }

  /**
   * Moves to `time` (clamped to the programme, its end to its last frame) and composes that
   * frame once every video frame for it is decoded. Playing resumes afterwards, from there.
   */
  async seek(time: number): Promise<void> {
    if (this.#disposed) return;
    const target = Math.min(Math.max(time, 0), Math.max(0, this.duration - LAST_FRAME_BEFORE_END));
    const generation = ++this.#generation;
    const wasPlaying = this.#state === 'playing';
    this.#stopTicking();
    this.#clock.pause();
    this.#clock.seek(target);
    if (this.#state === 'ended') this.#state = 'paused';
    await this.#settle(target, generation);
    if (wasPlaying && generation === this.#generation && !this.#disposed) {
      this.#clock.play();
      this.#startTicking();
    }
  }

  setRate(rate: number): void {
    this.#clock.setRate(rate);
    this.#report(true);
  }

  /** Pauses and closes every reader (they reopen on the next seek or play). */
  async stop(): Promise<void> {
    await this.pause();
    await this.idle();
    this.#scheduler.closeAll();
    this.#report(true);
  }

  /** Resolves once no tick or settle is running. */
  async idle(): Promise<void> {
    while (this.#busy) await this.#busy;
  }

  dispose(): void {
    this.#disposed = true;
    this.#generation++;
    this.#stopTicking();
    this.#clock.pause();
    this.#scheduler.closeAll();
  }

  // ---- Ticking ---------------------------------------------------------------------------------

  #startTicking(): void {
    this.#lastTickMs = null;
    this.#lastReadMs = null;
    this.#cadence.start((timestamp) => this.#onTick(timestamp));
  }

  #stopTicking(): void {
    this.#cadence.stop();
    this.#lastTickMs = null;
  }

  #onTick(timestamp: number): void {
    this.#countMissedTicks(timestamp);
    if (this.#busy) {
      this.#dropped++; // the previous tick is still composing: this display refresh shows nothing new
      return;
    }
    const now = this.#nowMs();
    if (this.#lastReadMs !== null && now - this.#lastReadMs > FROZEN_GAP_MS) this.#clock.seek(this.#time);
    this.#lastReadMs = now;
    const time = this.#clock.now();
    if (time >= this.duration) {
      this.#end();
      return;
    }
    this.#busy = this.#run(time, 'play')
      .catch((error: unknown) => this.#fail(error))
      .finally(() => {
        this.#busy = null;
      });
  }

  /** A tick that throws would throw on every tick: pause and say so once. */
  #fail(error: unknown): void {
    this.#generation++;
    this.#stopTicking();
    this.#clock.pause();
    this.#state = 'paused';
    this.#report(true);
    this.#onError?.(error);
  }

  /** Display refreshes with no callback at all (the thread was blocked) are dropped too. */
  #countMissedTicks(timestamp: number): void {
    const last = this.#lastTickMs;
    this.#lastTickMs = timestamp;
    if (last === null) return;
    const gap = timestamp - last;
    if (this.#cadence.nominalIntervalMs === null) {
      this.#intervals.push(gap);
      if (this.#intervals.length > INTERVAL_WINDOW) this.#intervals.shift();
    }
    const interval = this.#cadence.nominalIntervalMs ?? median(this.#intervals) ?? gap;
    if (interval > 0 && gap > interval * GAP_FACTOR) this.#dropped += Math.round(gap / interval) - 1;
  }

  #end(): void {
    this.#stopTicking();
    this.#clock.pause();
    this.#clock.seek(this.duration);
    this.#state = 'ended';
    this.#generation++;
    this.#scheduler.closeAll(); // nothing is on screen after the end; the last frame stays presented
    this.#report(true);
  }

  /** Runs a settle once the running tick is done, unless a later pause or seek supersedes it. */
  async #settle(time: number, generation: number): Promise<void> {
    await this.idle();
    if (generation !== this.#generation || this.#disposed) return;
    this.#busy = this.#run(time, 'settle').finally(() => {
      this.#busy = null;
    });
    await this.#busy;
  }

  async #run(time: number, mode: TickMode): Promise<void> {
    const result = await this.#scheduler.tick(time, mode);
    if (this.#disposed) return;
    await this.#present(result, mode === 'settle');
    this.#time = time;
    this.#presented++;
    if (result.late.length > 0) this.#late++;
    this.#composeTimes.push(result.composeMs);
    if (this.#composeTimes.length > COMPOSE_WINDOW) this.#composeTimes.shift();
    this.#report(mode === 'settle');
  }

  #report(force: boolean): void {
    const now = this.#nowMs();
    if (!force && now - this.#lastStatsMs < STATS_INTERVAL_MS) return;
    this.#lastStatsMs = now;
    this.#onStats(this.counters());
  }
}

/** The middle value (mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
