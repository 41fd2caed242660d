// Playing a programme end to end in Chromium and Firefox, against the production build: the
// engine worker decodes the compose fixture (fixtures/programmes/compose.json), the engine
// composes every pixel, and the worker presents it. Checked here:
//   (a) the same pixels: the engine's frame hashes identically in every browser and run, however
//       the time was reached (src/engine/golden.json composeFixture holds the expected hashes);
//   (b) frame-exact joins and seeks, read from the frame strip in the composed picture;
//   (c) real-time play: frames advance, at most 1 % of display ticks dropped (in one of up to
//       three windows: this machine is shared; each window reports the CPU others took);
//   (d) time to the first composed frame (reported, never asserted);
//   (e) no VideoFrame leaks after play and 20 seeks;
//   and that a missing media file is reported by name while the rest plays.
// The tests take turns with the other browser's (e2e/support/exclusive.ts), so that (c) measures
// the player and not two browsers competing for the machine's cores.
import { expect, test, type Page } from '@playwright/test';

import {
  CHECKPOINTS,
  COMPOSE_PROGRAMME,
  GOLDEN_FRAMES,
  captureArgs,
  captureInPage,
  goldenMismatch,
  pausedAt,
  programmeUrl,
  readPlaybackState,
  readStrips,
  stripValue,
  type CapturedFrame,
  type PlaybackState,
} from './support/playback-page';
import { cpuUsage, sampleCpu } from './support/cpu-usage';
import { acquireLock, setTimeoutAfterLock } from './support/exclusive';
import { collectProblems } from './support/problems';

const FRAME = 1 / 30;
/** (c): 5.5 s windows of play measured at most; one within the limit passes. */
const MEASUREMENT_WINDOWS = 3;

// No trace recording in this file: its screenshots cost the browsers frames, and (c) measures
// dropped frames. Failures carry their numbers in their messages and annotations instead.
test.use({ trace: 'off' });

// One browser playing at a time (e2e/support/exclusive.ts); the lock is held for each test.
let releaseLock: (() => void) | null = null;
test.beforeEach(async () => {
  releaseLock = await acquireLock('video-playback');
});
test.afterEach(() => {
  releaseLock?.();
  releaseLock = null;
});

async function openPaused(page: Page, at: number, programme = COMPOSE_PROGRAMME, verify = false): Promise<void> {
  await page.goto(programmeUrl(programme, at, true, verify));
  await page.waitForFunction(pausedAt, at, { timeout: 30_000 });
  const state = await playbackState(page);
  expect(state.state, state.errorText).toBe('paused');
}

async function playbackState(page: Page): Promise<PlaybackState> {
  const handle = await page.waitForFunction(readPlaybackState, null, { timeout: 30_000 });
  return (await handle.jsonValue()) as PlaybackState;
}

/** Seeks (unless null) and returns the engine's frame once the seek has settled. */
async function capture(page: Page, seekTo: number | null = null): Promise<CapturedFrame> {
  const frame = await page.evaluate(captureInPage, captureArgs(seekTo));
  if (seekTo !== null) expect(frame.time).toBe(seekTo);
  return frame;
}

/**
 * The frame of its clip the main picture shows at programme time t (compose.json: clip A 0-4 s,
 * clip B from 3 s crossfading in until 4 s, clip A again from 6 s trimmed in at 1.5 s), or null
 * inside the crossfade where the strip is a blend of both.
 */
function expectedMain(t: number): number | null {
  const frameOf = (seconds: number) => Math.floor(seconds * 30 + 1e-6);
  if (t < 3) return frameOf(t);
  if (t < 4) {
    if (t - 3 < 0.2) return frameOf(t); // clip B still under 20 % opacity: A's strip reads
    if (t - 3 > 0.8) return frameOf(t - 3); // clip B over 80 %
    return null;
  }
  if (t < 6) return frameOf(t - 3);
  return 45 + frameOf(t - 6);
}

/** The picture-in-picture (clip B from 0.5 s), until the crossfade starts to cover it. */
function expectedPip(t: number): number | null {
  return t >= 0.5 && t < 3.15 ? Math.floor((t - 0.5) * 30 + 1e-6) : null;
}

/** Mid-frame times (the middle of each 30 fps frame) from `from` to `to` seconds. */
function midFrames(from: number, to: number): number[] {
  const times: number[] = [];
  for (let k = Math.ceil(from * 30 - 0.5); (k + 0.5) / 30 <= to; k++) times.push((k + 0.5) / 30);
  return times;
}

test.describe('programme playback', () => {
  test('(a) the engine composes the same bytes in every browser and run, however a time is reached', async ({ page, browserName }) => {
    const problems = collectProblems(page);
    // Run 1: load paused at 0.5 s, then seek paused: into the crossfade, just after the cut, and
    // back (via the end) to 2 s and one frame on.
    await openPaused(page, 0.5);
    const viaSeeks: Record<string, string> = {};
    viaSeeks['0.5'] = (await capture(page)).sha256;
    for (const [label, time] of Object.entries(CHECKPOINTS)) {
      if (label === '0.5') continue;
      if (label === '2+1/30') {
        await capture(page, 7.5);
        await capture(page, 2);
      }
      viaSeeks[label] = (await capture(page, time)).sha256;
    }
    expect(await playbackState(page)).toMatchObject({ late: 0, mediaErrors: 0 });

    // Run 2: a fresh page loaded paused at each of those times, also reading the canvas back:
    // the frames are opaque, so the canvas must hold exactly the engine's bytes.
    const direct: Record<string, string> = {};
    for (const [label, time] of Object.entries(CHECKPOINTS)) {
      await openPaused(page, time, COMPOSE_PROGRAMME, true);
      direct[label] = (await capture(page)).sha256;
      const state = await playbackState(page);
      expect(state.sha256, 'the readout shows the settled frame\'s hash').toBe(direct[label]);
      expect(state.presentedSha256, 'the canvas holds the engine\'s frame').toBe(direct[label]);
    }
    test.info().annotations.push({ type: 'hashes', description: `${browserName}: ${JSON.stringify(viaSeeks)}` });
    expect(direct, 'loading at a time and seeking to it give the same frame').toEqual(viaSeeks);
    expect(viaSeeks, goldenMismatch(browserName, viaSeeks)).toEqual(GOLDEN_FRAMES);
    expect(problems).toEqual([]);
  });

  test('(b) joins and seeks are frame-exact: no frame missing or repeated', async ({ page }) => {
    setTimeoutAfterLock(120_000);
    const problems = collectProblems(page);
    await openPaused(page, 0);
    const seen: { time: number; main: number | string; pip: number | string }[] = [];
    const check = async (time: number) => {
      const strips = readStrips(await capture(page, time));
      const main = stripValue(strips.main);
      const pip = stripValue(strips.pip);
      seen.push({ time, main, pip });
      const wantMain = expectedMain(time);
      const wantPip = expectedPip(time);
      if (wantMain !== null) expect(main, `main picture at ${time.toFixed(4)} s`).toBe(wantMain);
      if (wantPip !== null) expect(pip, `picture-in-picture at ${time.toFixed(4)} s`).toBe(wantPip);
      return main;
    };

    // The picture-in-picture joins at 0.5 s on its first frame.
    await check(0.5);
    await check(0.5 + FRAME);
    // Frame by frame across the crossfade's start (clip A goes on under B) and end (B alone),
    // then across the cut at 6 s, with the exact join times too.
    const runs = [midFrames(2.8, 3.15), midFrames(3.85, 4.2), midFrames(5.8, 6.2)];
    for (const run of runs) {
      const numbers: (number | string)[] = [];
      for (const time of run) numbers.push(await check(time));
      // Consecutive source frames, except where one clip hands over to the next.
      for (let i = 1; i < numbers.length; i++) {
        const [a, b] = [numbers[i - 1] as number, numbers[i] as number];
        if (run[i]! >= 6 && run[i - 1]! < 6) expect([a, b], 'the cut: B\'s last frame, then clip A at 1.5 s').toEqual([89, 45]);
        else expect(b - a, `frames at ${run[i - 1]!.toFixed(4)} and ${run[i]!.toFixed(4)} s`).toBe(1);
      }
    }
    for (const join of [3, 4, 6]) await check(join);
    // Seeks: far ahead, back, one frame on, into the middle, to the start.
    for (const time of [7.5, 1, 1 + FRAME, 4.5, 2.25, 0]) await check(time);
    test.info().annotations.push({ type: 'strips', description: JSON.stringify(seen.map((s) => [Number(s.time.toFixed(4)), s.main, s.pip])) });
    expect(await playbackState(page)).toMatchObject({ late: 0, mediaErrors: 0 });
    expect(problems).toEqual([]);
  });

  test('(c) playing for 5 s advances frame by frame and drops at most 1 % of display ticks', async ({ page, browserName }) => {
    setTimeoutAfterLock(120_000);
    const problems = collectProblems(page);
    const windows: string[] = [];
    for (let attempt = 1; attempt <= MEASUREMENT_WINDOWS; attempt++) {
      await page.goto(programmeUrl(COMPOSE_PROGRAMME, 0, false));
      await page.waitForFunction(() => document.getElementById('playback-stats')?.dataset.state === 'playing', null, { timeout: 30_000 });
      // Frames advance: the picture's own frame number, read before and after the measurement
      // (copying a frame out costs a tick or two, so not during it).
      const before = readStrips(await capture(page));
      // Measure 5.5 s of steady playback, from 1 s (past start-up: Firefox runs the engine's
      // baseline-compiled wasm for its first few hundred milliseconds) to 6.5 s, across the
      // crossfade and the cut. The start-up's own drops are reported, not asserted.
      const at = (t: number) => page.waitForFunction((time) => Number(document.getElementById('playback-stats')?.dataset.time) >= time, t, { timeout: 15_000, polling: 50 });
      await at(1);
      const [start, cpuBefore] = [await playbackState(page), sampleCpu()];
      await at(6.5);
      const [end, cpuAfter] = [await playbackState(page), sampleCpu()];
      const after = readStrips(await capture(page));
      await page.evaluate(() => window.tesseraPlayer?.pause());

      const presented = end.presented - start.presented;
      const dropped = end.dropped - start.dropped;
      const late = end.late - start.late;
      const seconds = end.time - start.time;
      const droppedShare = dropped / (presented + dropped);
      const cpu = cpuUsage(cpuBefore, cpuAfter);
      const cpuText = cpu ? `; CPU: this test ${(100 * cpu.ours).toFixed(0)} %, other processes ${(100 * cpu.others).toFixed(0)} % of ${cpu.cores} cores` : '';
      const summary = `${browserName}: ${presented} frames presented in ${seconds.toFixed(2)} s of programme (${end.cadence}), ${late} late, ${dropped} dropped (${(100 * droppedShare).toFixed(2)} % of display ticks); in the first ${start.time.toFixed(2)} s: ${start.presented} presented, ${start.late} late, ${start.dropped} dropped${cpuText}`;
      test.info().annotations.push({ type: 'play', description: `attempt ${attempt}: ${summary}` });

      expect(end.state).toBe('playing');
      expect(presented).toBeGreaterThan(seconds * 20); // about one frame per display tick
      const [first, second] = [stripValue(before.main), stripValue(after.main)];
      expect(typeof first === 'number' && typeof second === 'number' && second > first, `strip ${first} then ${second}`).toBe(true);
      expect(end.mediaErrors).toBe(0);
      expect(problems).toEqual([]);
      windows.push(summary);
      if (droppedShare <= 0.01) return;
      // Over the limit: measure again. A sporadic disturbance (a build on the same cores) does
      // not repeat in every window; a player too slow for real time does.
    }
    expect(windows, `more than 1 % of display ticks dropped in each of ${MEASUREMENT_WINDOWS} windows:\n${windows.join('\n')}`).toEqual([]);
  });

  test('(d) the first composed frame arrives (time from navigation reported)', async ({ page, browserName }) => {
    const problems = collectProblems(page);
    await page.goto(programmeUrl(COMPOSE_PROGRAMME, 0, false));
    await page.waitForFunction(() => !!document.getElementById('playback-stats')?.dataset.firstFrameMs, null, { timeout: 30_000 });
    const state = await playbackState(page);
    const navigation = await page.evaluate(() => {
      const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return entry ? { responseEnd: entry.responseEnd, domContentLoaded: entry.domContentLoadedEventEnd } : null;
    });
    test.info().annotations.push({
      type: 'first frame',
      description: `${browserName}: first programme frame ${state.firstFrameMs?.toFixed(1)} ms after navigation (document loaded at ${navigation?.responseEnd.toFixed(1)} ms, DOMContentLoaded ${navigation?.domContentLoaded.toFixed(1)} ms)`,
    });
    expect(state.firstFrameMs).not.toBeNull();
    expect(state.firstFrameMs!).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  test('(e) play and 20 seeks leave no VideoFrame open once paused and the readers are closed', async ({ page }) => {
    const problems = collectProblems(page);
    await page.goto(programmeUrl(COMPOSE_PROGRAMME, 0, false));
    await page.waitForFunction(() => Number(document.getElementById('playback-stats')?.dataset.time) >= 1, null, { timeout: 30_000 });
    // Seeks while playing: ahead, back, across joins, into the crossfade; then capture, which
    // waits for them all to settle.
    const targets = [5.2, 0.3, 3.4, 7.1, 2.95, 6.0, 1.7, 4.4, 0, 3.99, 6.5, 2.2, 5.9, 0.75, 7.9, 3.1, 4.05, 1.2, 6.2, 2.6];
    expect(targets).toHaveLength(20);
    for (const time of targets) {
      await page.evaluate((t) => window.tesseraPlayer?.seek(t), time);
      await page.waitForTimeout(60);
    }
    await capture(page);
    await page.evaluate(() => {
      window.tesseraPlayer?.pause();
      window.tesseraPlayer?.stop();
    });
    await page.waitForFunction(() => {
      const d = document.getElementById('playback-stats')?.dataset;
      return d?.state === 'paused' && d.readers === '0';
    });
    const state = await playbackState(page);
    expect(state.videoFramesOpened).toBeGreaterThan(100);
    expect(state.videoFramesOpen).toBe(0);
    expect(state.mediaErrors).toBe(0);
    test.info().annotations.push({ type: 'leaks', description: `${state.videoFramesOpened} VideoFrames opened and closed, ${state.presented} frames presented, ${state.late} late` });
    expect(problems).toEqual([]);
  });

  test('a missing media file is reported by name and the rest of the programme plays', async ({ page }) => {
    const problems = collectProblems(page, 'no-such-clip.webm');
    await openPaused(page, 1, '/fixtures/programmes/missing-media.json');
    await expect(page.locator('#playback-stats .media-errors')).toContainText('no-such-clip.webm');
    const state = await playbackState(page);
    expect(state).toMatchObject({ state: 'paused', mediaErrors: 1 });
    // Clip A is composed as usual.
    expect(stripValue(readStrips(await capture(page, 1 + FRAME / 2)).main)).toBe(30);
    expect(problems).toEqual([]);
  });
});
