// The scheduler's and the playback loop's decisions, with a fake engine (a three-object plan that
// answers mediaAt like the real one), fake readers (30 fps, frames on demand or held back) and a
// hand-driven display cadence: which readers open ahead and when they close, which frames reach
// the engine, and how late and dropped frames are counted.
import { describe, expect, it } from 'vitest';

import type { MediaNeeds, RenderReport, VideoFrameData } from '../engine/engine';
import { WallClock } from './clock';
import { LAST_FRAME_BEFORE_END, Playback, TimerCadence, type Cadence, type PlaybackCounters, type TickScheduler } from './playback';
import {
  LOOKAHEAD_SECONDS,
  PlaybackScheduler,
  TIMESTAMP_TOLERANCE_US,
  mediaTimeToUs,
  type FrameSource,
  type MediaProblem,
  type SchedulerEngine,
  type SchedulerHost,
  type SourceFrame,
  type TickMode,
  type TickResult,
} from './scheduler';

// ---- Fakes ---------------------------------------------------------------------------------------

interface FakeObject {
  object: string;
  asset: string;
  src: string;
  start: number;
  end: number;
  mediaIn: number;
}

/** Like the compose fixture: A then B crossfading in at 3 (overlap 1), then C (trimmed) at 6. */
const PLAN: FakeObject[] = [
  { object: 'one/main', asset: 'a', src: '../media/a.webm', start: 0, end: 4, mediaIn: 0 },
  { object: 'two/main', asset: 'b', src: '../media/b.webm', start: 3, end: 6, mediaIn: 0 },
  { object: 'three/main', asset: 'c', src: '../media/c.mp4', start: 6, end: 8, mediaIn: 1.5 },
];

class FakeEngine implements SchedulerEngine {
  readonly assets = new Map<string, Uint8Array>();
  /** The frame timestamp held per object. */
  readonly frames = new Map<string, number>();
  readonly handedIn: { object: string; timestampUs: number }[] = [];
  readonly forgotten: string[] = [];
  readonly renders: { time: number; frames: Record<string, number | undefined> }[] = [];

  constructor(
    readonly objects: FakeObject[] = PLAN,
    readonly needs: MediaNeeds['assets'] = [{ asset: 'font', type: 'font', src: '../fonts/f.ttf' }],
  ) {}

  mediaAt(time: number, lookahead: number): MediaNeeds {
    const video = this.objects
      .filter((o) => o.start <= time + lookahead && o.end > time)
      .map((o) => ({
        object: o.object,
        asset: o.asset,
        src: o.src,
        mediaTime: o.mediaIn + (Math.max(time, o.start) - o.start),
        start: o.start,
        end: o.end,
        active: o.start <= time,
      }));
    const fonts = this.wantedFonts.filter((f) => !this.fonts.has(f));
    return { time, layout: { width: 1280, height: 720 }, video, assets: this.needs.filter((a) => !this.assets.has(a.asset)), fonts };
  }

  addAsset(asset: string, bytes: Uint8Array): void {
    this.assets.set(asset, bytes);
  }

  /** Fallback fonts the engine asks for until they are added (MediaNeeds.fonts). */
  wantedFonts: string[] = [];
  readonly fonts = new Map<string, Uint8Array>();
  addFont(name: string, bytes: Uint8Array): void {
    this.fonts.set(name, bytes);
  }

  setVideoFrame(object: string, frame: VideoFrameData): void {
    this.frames.set(object, frame.timestampUs);
    this.handedIn.push({ object, timestampUs: frame.timestampUs });
  }

  forgetVideo(object: string): void {
    this.frames.delete(object);
    this.forgotten.push(object);
  }

  renderFrame(time: number): RenderReport {
    const active = this.objects.filter((o) => o.start <= time && o.end > time).map((o) => o.object);
    this.renders.push({ time, frames: Object.fromEntries(active.map((o) => [o, this.frames.get(o)])) });
    return { width: 1280, height: 720, drawn: active.length, missing: active.filter((o) => !this.frames.has(o)), captions: [] };
  }
}

const FRAME_US = 1e6 / 30;
/** WebM-like timestamps: frame n at n/30 s rounded to the millisecond. */
const timestampOf = (n: number) => Math.round((n * 1000) / 30) * 1000;
/** The frame a 30 fps, 10 s source shows at `us` (the last frame starting at or before it). */
function frameNumberAt(us: number): number {
  let n = Math.max(0, Math.min(299, Math.floor(us / FRAME_US)));
  while (n < 299 && timestampOf(n + 1) <= us) n++;
  while (n > 0 && timestampOf(n) > us) n--;
  return n;
}

class FakeSource implements FrameSource {
  readonly calls: string[] = [];
  closed = false;
  queuedFrames = 4;
  /** While set, frameAt answers only when release() is called. */
  holding = false;
  readonly #held: (() => void)[] = [];

  constructor(readonly url: string) {}

  frameAt(timeUs: number): Promise<SourceFrame | null> {
    this.calls.push(`frameAt ${timeUs}`);
    const n = frameNumberAt(timeUs);
    const frame: SourceFrame = {
      timestampUs: timestampOf(n),
      durationUs: timestampOf(n + 1) - timestampOf(n),
      width: 2,
      height: 2,
      format: 'RGBA',
      colour: { matrix: 'bt709', fullRange: false },
      planes: new Uint8Array(16),
      layout: [{ offset: 0, stride: 8 }],
    };
    if (!this.holding) return Promise.resolve(frame);
    return new Promise((resolve) => this.#held.push(() => resolve(frame)));
  }

  /** Answers every held frameAt. */
  release(): void {
    this.holding = false;
    for (const answer of this.#held.splice(0)) answer();
  }

  prefetch(fromUs: number): Promise<void> {
    this.calls.push(`prefetch ${fromUs}`);
    return Promise.resolve();
  }

  close(): void {
    this.calls.push('close');
    this.closed = true;
  }
}

class FakeHost implements SchedulerHost {
  readonly sources: FakeSource[] = [];
  readonly fetched: string[] = [];
  readonly problems: MediaProblem[] = [];
  readonly missing = new Set<string>();
  /** Sources opened from now on hold their frames back. */
  holdNewSources = false;

  resolveUrl(src: string): string {
    return new URL(src, 'https://tessera.test/fixtures/programmes/p.json').href;
  }

  openVideo(url: string): Promise<FrameSource> {
    if ([...this.missing].some((m) => url.endsWith(m))) return Promise.reject(new Error(`${url.split('/').pop()}: HTTP 404`));
    const source = new FakeSource(url);
    source.holding = this.holdNewSources;
    this.sources.push(source);
    return Promise.resolve(source);
  }

  async fetchAsset(url: string): Promise<Uint8Array> {
    this.fetched.push(url);
    if ([...this.missing].some((m) => url.endsWith(m))) throw new Error('HTTP 404');
    return new Uint8Array([1, 2, 3]);
  }

  readonly fontsFetched: string[] = [];
  async fetchFont(name: string): Promise<Uint8Array> {
    this.fontsFetched.push(name);
    if (this.missing.has(`font:${name}`)) throw new Error('HTTP 404');
    return new Uint8Array([4, 5, 6]);
  }

  error(problem: MediaProblem): void {
    this.problems.push(problem);
  }

  nowMs(): number {
    return performance.now();
  }

  /** A macrotask: frames that are ready (microtasks) always beat the deadline, held ones never do. */
  sleep(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
  }

  source(name: string): FakeSource[] {
    return this.sources.filter((s) => s.url.endsWith(name));
  }
}

function setup(objects: FakeObject[] = PLAN) {
  const engine = new FakeEngine(objects);
  const host = new FakeHost();
  const scheduler = new PlaybackScheduler(engine, host);
  return { engine, host, scheduler };
}

const us = (seconds: number) => mediaTimeToUs(seconds);

// ---- Scheduler -------------------------------------------------------------------------------------

describe('PlaybackScheduler: readers', () => {
  it('opens a reader for what is on screen, and ahead for what starts within the lookahead', async () => {
    const { host, scheduler } = setup();
    await scheduler.tick(0, 'settle');
    expect(host.sources.map((s) => s.url.split('/').pop())).toEqual(['a.webm']);
    expect(scheduler.objects).toEqual(['one/main']);

    // B starts at 3: just outside the lookahead at 1.4, inside it at 1.6.
    await scheduler.tick(3 - LOOKAHEAD_SECONDS - 0.1, 'settle');
    expect(host.source('b.webm')).toHaveLength(0);
    await scheduler.tick(3 - LOOKAHEAD_SECONDS + 0.1, 'settle');
    const [b] = host.source('b.webm');
    await Promise.resolve();
    expect(b?.calls).toEqual([`prefetch ${us(0)}`]); // decoding from its first media time
    await scheduler.tick(2, 'settle');
    expect(b?.calls).toEqual([`prefetch ${us(0)}`]); // once, not every tick
  });

  it('prefetches a trimmed object at its first media time, not at 0', async () => {
    const { host, scheduler } = setup();
    await scheduler.tick(5, 'settle');
    const [c] = host.source('c.mp4');
    await Promise.resolve();
    expect(c?.calls).toEqual([`prefetch ${us(1.5)}`]);
  });

  it('joins on the prefetched frame: the first frame of B is in the engine at its start', async () => {
    const { engine, host, scheduler } = setup();
    await scheduler.tick(2, 'play');
    const result = await scheduler.tick(3, 'play');
    expect(result.late).toEqual([]);
    expect(engine.renders.at(-1)?.frames['two/main']).toBe(0);
    expect(host.source('b.webm')[0]?.calls).toEqual([`prefetch ${us(0)}`, `frameAt ${us(0)}`]);
  });

  it('closes a reader when its object ends, and the engine forgets its frame', async () => {
    const { engine, host, scheduler } = setup();
    await scheduler.tick(3.5, 'settle');
    const [a] = host.source('a.webm');
    expect(a?.closed).toBe(false);
    await scheduler.tick(4, 'settle'); // A ends at 4
    expect(a?.closed).toBe(true);
    expect(engine.forgotten).toContain('one/main');
    expect(scheduler.objects).toEqual(['two/main']);
  });

  it('after a seek back, closes readers now out of reach and reopens what is on screen', async () => {
    const { host, scheduler } = setup();
    await scheduler.tick(5, 'settle'); // B on screen, C prefetching
    await scheduler.tick(0.5, 'settle');
    expect(host.source('b.webm').every((s) => s.closed)).toBe(true);
    expect(host.source('c.mp4').every((s) => s.closed)).toBe(true);
    expect(host.source('a.webm').filter((s) => !s.closed)).toHaveLength(1);
    expect(scheduler.objects).toEqual(['one/main']);
  });

  it('prefetches again when a seek back makes a played object upcoming again', async () => {
    const { host, scheduler } = setup();
    await scheduler.tick(3.5, 'settle'); // B on screen at 0.5 s of its media
    await scheduler.tick(2, 'settle'); // B starts within the lookahead again
    const [b] = host.source('b.webm');
    await Promise.resolve();
    expect(b?.calls).toEqual([`frameAt ${us(0.5)}`, `prefetch ${us(0)}`]);
  });

  it('closes every reader on closeAll, and reopens on the next tick', async () => {
    const { host, scheduler } = setup();
    await scheduler.tick(3.5, 'settle');
    scheduler.closeAll();
    expect(host.sources.every((s) => s.closed)).toBe(true);
    expect(scheduler.readers).toBe(0);
    await scheduler.tick(3.5, 'settle');
    expect(scheduler.readers).toBe(2);
  });
});

describe('PlaybackScheduler: frames', () => {
  it('hands the engine the frame covering each on-screen media time, boundaries included', async () => {
    const { engine, scheduler } = setup();
    for (const [time, frame] of [
      [0, 0],
      [0.5, 15],
      [2 / 30, 2], // stamped 67 ms in WebM, due at 66.67 ms: the tolerance takes it
      [0.5 + 1 / 60, 15],
      [3.99, 119],
    ] as const) {
      await scheduler.tick(time, 'settle');
      expect(engine.renders.at(-1)?.frames['one/main'], `at ${time} s`).toBe(timestampOf(frame));
    }
    await scheduler.tick(6, 'settle');
    expect(engine.renders.at(-1)?.frames['three/main']).toBe(timestampOf(45)); // trimmed in at 1.5 s
  });

  it('does not copy the same frame again on a 60 Hz tick of 30 fps video', async () => {
    const { engine, scheduler } = setup();
    for (let i = 0; i < 12; i++) await scheduler.tick(i / 60, 'play');
    const forA = engine.handedIn.filter((h) => h.object === 'one/main').map((h) => h.timestampUs);
    expect(forA).toEqual([0, 1, 2, 3, 4, 5].map(timestampOf));
  });

  it('presents with the previous frame when the next is not decoded in time, and says it was late', async () => {
    const { engine, host, scheduler } = setup();
    await scheduler.tick(1, 'play');
    const [a] = host.source('a.webm');
    a!.holding = true;
    const late = await scheduler.tick(1.1, 'play');
    expect(late.late).toEqual(['one/main']);
    expect(engine.renders.at(-1)?.frames['one/main']).toBe(timestampOf(30)); // the previous frame
    a!.release();
    const onTime = await scheduler.tick(1.1, 'play');
    expect(onTime.late).toEqual([]);
    expect(engine.renders.at(-1)?.frames['one/main']).toBe(timestampOf(33));
  });

  it('keeps at most two requests queued on a reader that is behind', async () => {
    const { host, scheduler } = setup();
    await scheduler.tick(1, 'play');
    const [a] = host.source('a.webm');
    a!.holding = true;
    for (let i = 1; i <= 5; i++) await scheduler.tick(1 + i / 30, 'play');
    expect(a!.calls.filter((c) => c.startsWith('frameAt'))).toHaveLength(3); // 1 s, then two more
    a!.release();
  });

  it('settling waits for the frame instead of presenting late', async () => {
    const { engine, host, scheduler } = setup();
    host.holdNewSources = true;
    const settling = scheduler.tick(2.5, 'settle');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(engine.renders).toHaveLength(0);
    host.sources.forEach((s) => s.release());
    const result = await settling;
    expect(result.late).toEqual([]);
    expect(engine.renders.at(-1)?.frames['one/main']).toBe(timestampOf(75));
  });
});

describe('PlaybackScheduler: assets and errors', () => {
  it('fetches each font or image once, relative to the programme, before the first frame', async () => {
    const { engine, host, scheduler } = setup();
    await scheduler.loadAssets(0);
    expect(host.fetched).toEqual(['https://tessera.test/fixtures/fonts/f.ttf']);
    expect(engine.assets.has('font')).toBe(true);
    await scheduler.tick(0, 'settle');
    await scheduler.tick(1, 'play');
    expect(host.fetched).toHaveLength(1);
  });

  it('reports a missing asset once, naming the file, and goes on', async () => {
    const { host, scheduler } = setup();
    host.missing.add('f.ttf');
    await scheduler.loadAssets(0);
    await scheduler.tick(0, 'settle');
    await scheduler.tick(1, 'play');
    expect(host.fetched).toHaveLength(1);
    expect(host.problems).toEqual([{ kind: 'asset', file: '../fonts/f.ttf', asset: 'font', message: 'HTTP 404' }]);
  });

  it('fetches the fonts a captions asset needs before the settled frame that shows it, once', async () => {
    const engine = new FakeEngine(PLAN, [{ asset: 'subs', type: 'captions', src: '../captions/s.vtt' }]);
    const host = new FakeHost();
    const scheduler = new PlaybackScheduler(engine, host);
    const addAsset = engine.addAsset.bind(engine);
    // As the engine does: a caption file with CJK text makes it ask for the "cjk" font.
    engine.addAsset = (asset, bytes) => {
      addAsset(asset, bytes);
      engine.wantedFonts = ['cjk'];
    };
    const result = await scheduler.tick(0, 'settle');
    expect(result.report).toBeDefined();
    expect(engine.fonts.get('cjk')).toEqual(new Uint8Array([4, 5, 6]));
    await scheduler.tick(1, 'play');
    expect(host.fontsFetched).toEqual(['cjk']);
  });

  it('reports a font that cannot be fetched once, and goes on', async () => {
    const { engine, host, scheduler } = setup();
    engine.wantedFonts = ['cjk'];
    host.missing.add('font:cjk');
    await scheduler.loadAssets(0);
    await scheduler.tick(0, 'settle');
    expect(host.fontsFetched).toEqual(['cjk']);
    expect(host.problems).toEqual([{ kind: 'asset', file: 'cjk font', asset: 'font:cjk', message: 'HTTP 404' }]);
  });

  it('reports a video that cannot be opened once, plays the others, and does not retry it', async () => {
    const { engine, host, scheduler } = setup();
    host.missing.add('b.webm');
    await scheduler.tick(2, 'settle');
    const result = await scheduler.tick(3.5, 'settle');
    expect(result.late).toEqual([]); // a failed file is not "late"
    expect(engine.renders.at(-1)?.frames).toEqual({ 'one/main': timestampOf(105), 'two/main': undefined });
    await scheduler.tick(4.5, 'play');
    expect(host.problems).toEqual([{ kind: 'video', file: '../media/b.webm', asset: 'b', message: 'b.webm: HTTP 404' }]);
  });

  it('a decode failure stops only that object, and the engine draws nothing for it', async () => {
    const { engine, host, scheduler } = setup();
    await scheduler.tick(3.5, 'settle');
    const [b] = host.source('b.webm');
    b!.frameAt = () => Promise.reject(new Error('b.webm could not be decoded near 0.600 s'));
    await scheduler.tick(3.6, 'settle');
    expect(host.problems.map((p) => p.message)).toEqual(['b.webm could not be decoded near 0.600 s']);
    expect(engine.frames.has('two/main')).toBe(false);
    expect(engine.renders.at(-1)?.frames['one/main']).toBe(timestampOf(108));
  });
});

// ---- Playback loop -------------------------------------------------------------------------------

class HandCadence implements Cadence {
  readonly kind = 'animation-frame';
  readonly nominalIntervalMs = null;
  onTick: ((timestampMs: number) => void) | null = null;
  start(onTick: (timestampMs: number) => void): void {
    this.onTick = onTick;
  }
  stop(): void {
    this.onTick = null;
  }
  fire(timestampMs: number): void {
    this.onTick?.(timestampMs);
  }
}

/** A scheduler whose ticks finish when the test says so (or at once). */
class HandScheduler implements TickScheduler {
  readonly ticks: { time: number; mode: TickMode }[] = [];
  readers = 1;
  decodeQueue = 3;
  closed = 0;
  lateNext = false;
  #pending: (() => void)[] = [];
  holding = false;

  tick(time: number, mode: TickMode): Promise<TickResult> {
    this.ticks.push({ time, mode });
    const result: TickResult = { time, report: { width: 1, height: 1, drawn: 1, missing: [], captions: [] }, late: this.lateNext ? ['x'] : [], composeMs: 2 };
    this.lateNext = false;
    if (!this.holding) return Promise.resolve(result);
    return new Promise((resolve) => this.#pending.push(() => resolve(result)));
  }

  finish(): void {
    this.holding = false;
    for (const done of this.#pending.splice(0)) done();
  }

  closeAll(): void {
    this.closed++;
    this.readers = 0;
  }
}

function playbackSetup(duration = 8) {
  let wallMs = 0;
  const clock = new WallClock(() => wallMs);
  const cadence = new HandCadence();
  const scheduler = new HandScheduler();
  const presented: { time: number; settled: boolean }[] = [];
  const stats: PlaybackCounters[] = [];
  const playback = new Playback({
    scheduler,
    clock,
    cadence,
    duration,
    present: (result, settled) => void presented.push({ time: result.time, settled }),
    onStats: (s) => void stats.push(s),
    nowMs: () => wallMs,
  });
  /** Advances the wall clock to `ms` and fires a display tick there. */
  const refresh = async (ms: number) => {
    wallMs = ms;
    cadence.fire(ms);
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { playback, clock, cadence, scheduler, presented, stats, refresh, setWall: (ms: number) => (wallMs = ms) };
}

describe('Playback', () => {
  it('presents one frame per display tick at the clock time', async () => {
    const { playback, presented, refresh } = playbackSetup();
    playback.play();
    for (let i = 1; i <= 4; i++) await refresh(i * 16);
    expect(presented.map((p) => p.time)).toEqual([0.016, 0.032, 0.048, 0.064]);
    expect(playback.counters()).toMatchObject({ state: 'playing', presented: 4, late: 0, dropped: 0 });
  });

  it('counts a display tick that comes while the previous frame is still composing as dropped', async () => {
    const { playback, scheduler, refresh } = playbackSetup();
    playback.play();
    await refresh(16);
    scheduler.holding = true;
    await refresh(32); // starts composing, does not finish
    await refresh(48); // busy: dropped
    await refresh(64); // busy: dropped
    scheduler.finish();
    await new Promise((resolve) => setTimeout(resolve, 0)); // the held frame is presented
    await refresh(80);
    expect(playback.counters()).toMatchObject({ presented: 3, dropped: 2 });
  });

  it('counts display refreshes that never got a tick (the thread was blocked) as dropped', async () => {
    const { playback, refresh } = playbackSetup();
    playback.play();
    for (let i = 1; i <= 10; i++) await refresh(i * 16);
    await refresh(160 + 4 * 16); // three refreshes missed
    expect(playback.counters()).toMatchObject({ presented: 11, dropped: 3 });
  });

  it('after a frozen thread, goes on from the last frame shown instead of jumping (or ending)', async () => {
    const { playback, presented, refresh } = playbackSetup(8);
    playback.play();
    await refresh(16);
    await refresh(32);
    await refresh(32 + 10_000); // ten seconds without a tick: past the programme's 8 s end
    await refresh(32 + 10_016);
    expect(presented.map((p) => p.time)).toEqual([0.016, 0.032, 0.032, 0.048]);
    expect(playback.counters().state).toBe('playing');
    // Shorter gaps are playback falling behind, not a freeze: the clock keeps real time.
    await refresh(32 + 10_016 + 1000);
    expect(presented.at(-1)?.time).toBeCloseTo(1.048, 9);
  });

  it('counts late frames', async () => {
    const { playback, scheduler, refresh } = playbackSetup();
    playback.play();
    await refresh(16);
    scheduler.lateNext = true;
    await refresh(32);
    await refresh(48);
    expect(playback.counters()).toMatchObject({ presented: 3, late: 1 });
  });

  it('pauses on the exact frame, settled', async () => {
    const { playback, scheduler, presented, refresh, setWall } = playbackSetup();
    playback.play();
    await refresh(16);
    setWall(500);
    await playback.pause();
    expect(presented.at(-1)).toEqual({ time: 0.5, settled: true });
    expect(scheduler.ticks.at(-1)).toEqual({ time: 0.5, mode: 'settle' });
    expect(playback.state).toBe('paused');
    await refresh(600); // no ticks while paused
    expect(presented).toHaveLength(2);
  });

  it('seeks while paused to a settled frame at exactly the sought time', async () => {
    const { playback, presented } = playbackSetup();
    await playback.seek(3.25);
    await playback.seek(-1);
    await playback.seek(99);
    expect(presented).toEqual([
      { time: 3.25, settled: true },
      { time: 0, settled: true },
      { time: 8 - LAST_FRAME_BEFORE_END, settled: true }, // the last frame, not the empty end
    ]);
  });

  it('a seek while playing settles first, then plays on from the new time', async () => {
    const { playback, presented, refresh } = playbackSetup();
    playback.play();
    await refresh(16);
    await playback.seek(5);
    expect(presented.at(-1)).toEqual({ time: 5, settled: true });
    expect(playback.state).toBe('playing');
    await refresh(116);
    expect(presented.at(-1)?.time).toBeCloseTo(5.1, 9);
  });

  it('a seek waits for the tick in progress, and a superseded seek is skipped', async () => {
    const { playback, scheduler, presented, refresh } = playbackSetup();
    playback.play();
    scheduler.holding = true;
    await refresh(16);
    const first = playback.seek(2);
    const second = playback.seek(3);
    scheduler.finish();
    await Promise.all([first, second]);
    expect(presented.map((p) => p.time)).toEqual([0.016, 3]);
  });

  it('stops at the end, closing the readers, and plays again from the start', async () => {
    const { playback, scheduler, presented, refresh } = playbackSetup(1);
    playback.play();
    await refresh(500);
    await refresh(1000);
    expect(playback.state).toBe('ended');
    expect(scheduler.closed).toBe(1);
    expect(presented.map((p) => p.time)).toEqual([0.5]);
    await playback.pause(); // paused at the end: the last frame stays, nothing is composed
    expect(presented).toHaveLength(1);
    playback.play();
    await refresh(1016);
    expect(presented.at(-1)?.time).toBeCloseTo(0.016, 9);
  });

  it('pauses and reports a tick that throws, once', async () => {
    const cadence = new HandCadence();
    const errors: unknown[] = [];
    const failing = new Playback({
      scheduler: { readers: 0, decodeQueue: 0, closeAll: () => {}, tick: () => Promise.reject(new Error('render failed')) },
      clock: new WallClock(() => 0),
      cadence,
      duration: 8,
      present: () => {},
      onStats: () => {},
      onError: (e) => void errors.push(e),
    });
    failing.play();
    cadence.fire(16);
    await new Promise((resolve) => setTimeout(resolve, 0));
    cadence.fire(32); // no longer ticking
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(failing.state).toBe('paused');
    expect(errors.map(String)).toEqual(['Error: render failed']);
  });

  it('stop() pauses and closes every reader', async () => {
    const { playback, scheduler, stats, refresh } = playbackSetup();
    playback.play();
    await refresh(16);
    await playback.stop();
    expect(scheduler.closed).toBe(1);
    expect(stats.at(-1)).toMatchObject({ state: 'paused', readers: 0 });
  });

  it('reports its counters at most every 250 ms while playing, and at once on a change', async () => {
    const { playback, stats, refresh } = playbackSetup();
    playback.play();
    expect(stats).toHaveLength(1);
    for (let i = 1; i <= 30; i++) await refresh(i * 16); // 480 ms
    expect(stats.length).toBeGreaterThanOrEqual(2);
    expect(stats.length).toBeLessThanOrEqual(3);
    await playback.pause();
    expect(stats.at(-1)).toMatchObject({ state: 'paused', decodeQueue: 3, readers: 1, composeMs: 2, cadence: 'animation-frame' });
  });
});

it('the timestamp tolerance is below half a 30 fps frame', () => {
  expect(TIMESTAMP_TOLERANCE_US).toBeLessThan(FRAME_US / 2);
});

describe('TimerCadence', () => {
  it('ticks on a 60 Hz grid without drifting, skipping grid points it missed', async () => {
    let now = 0;
    const ticks: number[] = [];
    const timers: { at: number; run: () => void }[] = [];
    const realSetTimeout = globalThis.setTimeout;
    // A hand-driven timer: each setTimeout is recorded with the time it is due.
    globalThis.setTimeout = ((run: () => void, ms: number) => {
      timers.push({ at: now + ms, run });
      return timers.length as unknown as ReturnType<typeof setTimeout>;
    }) as typeof setTimeout;
    try {
      const cadence = new TimerCadence(60, () => now);
      cadence.start((t) => ticks.push(t));
      const step = (to: number) => {
        const next = timers.shift()!;
        now = Math.max(to, next.at);
        next.run();
      };
      step(0); // due at 16.67
      step(0); // 33.33
      step(60); // late: the thread was busy until 60 ms
      step(0); // the next grid point after 60 is 66.67
      cadence.stop();
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    expect(ticks.map((t) => Number(t.toFixed(2)))).toEqual([16.67, 33.33, 60, 66.67]);
  });
});

