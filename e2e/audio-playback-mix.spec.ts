// Programme audio in the player, end to end in Chromium and Firefox: fixtures/programmes/audio.json
// (dialogue, music, effects, audio description) plays with the engine's mix going out through the
// AudioWorklet, over the SharedArrayBuffer ring (the app is cross-origin isolated) and over the
// MessagePort fallback (?audio=port). Mid-play the dialogue balance slider is moved to "clearest
// dialogue" with the keyboard, and audio description is switched on; the worker's rendered mix
// (10 ms block levels, with the programme frame being heard when each change arrived) must show
// the music drop and the description appear within 80 ms of heard time beyond the device's
// output latency, with no output underruns. The video clock must follow the heard audio within
// ±20 ms. The time from each control's input event to the worker applying it is reported.
// Firefox needs an audio device to run an AudioContext: e2e/support/audio-sink.ts.
import { expect, test, type Page } from '@playwright/test';

import type { AudioProbe } from '../src/player/protocol';
import { ensureAudioSink, type AudioSinkStatus } from './support/audio-sink';
import { audioStarts, heardNow, warmUpAudio } from './support/audio-warmup';
import { acquireLock } from './support/exclusive';
import { gapsIn, gapsSince, pageEpochMs, watchFreezes, windowFroze } from './support/freezes';
import { collectProblems } from './support/problems';

const PROGRAMME = '/fixtures/programmes/audio.json';
const RATE = 48_000;
/**
 * A control change must show in the heard mix within the engine's queue (≤ 50 ms ahead) plus the
 * mixer's 20 ms control ramp and one 10 ms level block — beyond the device's own output latency
 * (AudioContext.outputLatency + baseLatency), which no player can shorten and which is reported.
 */
const LATENCY_LIMIT_MS = 80;

// A test caught in a stall of the machine runs again (the report counts it as flaky).
test.describe.configure({ retries: 2 });

// Firefox ESR here can freeze a page for ~10 s while it plays, and its audio device can stop for
// up to ~15 s (e2e/support/freezes.ts): a window a freeze or a stop of the output interrupted is
// measured again, and what interrupted it is reported.

let sink: AudioSinkStatus = { available: false, started: false, reason: 'not checked' };
test.beforeAll(async () => {
  sink = await ensureAudioSink();
});

function probe(page: Page): Promise<AudioProbe | null> {
  return page.evaluate(() => window.tesseraPlayer!.audioProbe());
}

/** Waits until the programme time heard reaches `time` seconds (polled from here: the probe is a promise). */
async function heardAt(page: Page, time: number): Promise<void> {
  await expect.poll(async () => (await heardNow(page)) ?? -1, { intervals: [10], timeout: 20_000, message: `heard time reaches ${time} s` }).toBeGreaterThanOrEqual(time);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? NaN;
}

/**
 * How long after the change the level first moved by `dB` (negative: a drop), in milliseconds of
 * heard audio, from the levels of the 200 ms before it; and the level before and 200–400 ms after.
 */
function levelChange(result: AudioProbe, what: RegExp, dB: number) {
  const change = result.changes.find((c) => what.test(c.what));
  expect(change, `a change matching ${what} was recorded`).toBeTruthy();
  const at = change!.heardFrame!;
  expect(at, 'the change arrived while audio was heard').not.toBeNull();
  // Levels below -60 dBFS count as silence (a quiet tail must not pass for the change).
  const before = Math.max(-60, median(result.levels.filter(([f]) => f >= at - 0.2 * RATE && f < at).map(([, l]) => l)));
  const first = result.levels.find(([f, l]) => f >= at && (dB < 0 ? l < before + dB : l > before + dB));
  const after = median(result.levels.filter(([f]) => f >= at + 0.1 * RATE && f < at + 0.3 * RATE).map(([, l]) => l));
  return { before, after, latencyMs: first ? ((first[0] - at) / RATE) * 1000 : Infinity, renderAheadMs: ((change!.renderFrame - at) / RATE) * 1000 };
}

/** Windows measured at most, when browser freezes interrupt them. */
const MAX_WINDOWS = 3;
/** Where (seconds heard) the balance change must land: in the music alone (2.7–3.4 s), with 0.3 s after it. */
const BALANCE_AT = [2.75, 3.1] as const;
/** Where the description switch must land: in its first words (from 4.314 s). */
const DESCRIPTION_AT = [4.32, 4.7] as const;

/**
 * One window, from 2 s in the broadcast mix without description (set back with the keyboard if a
 * window before changed them): the balance slider moved to "clearest dialogue" while the music
 * plays alone, description switched on just after it begins, to 5 s heard.
 */
async function measureWindow(page: Page) {
  const balance = page.getByRole('slider', { name: 'Dialogue balance' });
  const description = page.getByRole('checkbox', { name: 'Audio description' });
  if ((await balance.inputValue()) !== '0') {
    await balance.focus();
    await page.keyboard.press('Home');
    await expect(balance).toHaveValue('0');
  }
  if (await description.isChecked()) {
    await description.focus();
    await page.keyboard.press('Space');
    await expect(description).not.toBeChecked();
  }
  // From 2 s: time to get ready before the music plays alone.
  // Playing again if the programme ended since the last window (a freeze can outlast its end).
  await page.evaluate(() => {
    window.tesseraPlayer!.seek(2);
    window.tesseraPlayer!.play();
  });
  await expect.poll(async () => (await heardNow(page)) ?? 99, { intervals: [20] }).toBeLessThan(2.4);
  const from = await pageEpochMs(page);
  const warm = (await probe(page))!;

  // Music alone (2.7–3.4 s): "clearest dialogue" lowers it.
  await balance.focus();
  await heardAt(page, 2.85);
  await page.keyboard.press('End');
  await expect(balance).toHaveValue('1');
  // The description speaks from 4.314 s ("The door opens." first).
  await description.focus();
  await heardAt(page, 4.34);
  await page.keyboard.press('Space');
  await expect(description).toBeChecked();
  await heardAt(page, 5.0);

  const probed = (await probe(page))!;
  const inputs = await page.evaluate(() => (window as unknown as { tesseraInputs: number[] }).tesseraInputs.slice());
  // The A/V offsets of this window: one per frame presented in it (the arrays keep the last 2,000).
  const framesInWindow = probed.presented.filter(([, epochMs]) => epochMs > from).length;
  const result = {
    ...probed,
    levels: probed.levels.slice(warm.levels.length),
    changes: probed.changes.slice(warm.changes.length),
    avOffsets: probed.avOffsets.slice(-Math.max(1, framesInWindow)),
  };
  // Where each change landed in the programme (seconds heard), to check it met what it was aimed at.
  const landed = (what: RegExp) => (result.changes.find((c) => what.test(c.what))?.heardFrame ?? NaN) / RATE;
  // From the page's input event to the worker applying the change, in ms.
  // (The nearest input event: the worker's clock and the page's can differ by a millisecond or two.)
  const inputToWorkerMs = result.changes.map((c) => {
    const input = inputs.reduce((best, t) => (Math.abs(t - c.epochMs) < Math.abs(best - c.epochMs) ? t : best), -Infinity);
    return +(c.epochMs - input).toFixed(1);
  });
  return {
    from,
    underrunsFrom: warm.stats.underrunFrames,
    result,
    inputToWorkerMs,
    balanceAt: landed(/dialogueBalance 1/),
    descriptionAt: landed(/audioDescription true/),
  };
}

for (const transport of ['shared', 'port'] as const) {
  test(`plays the programme's mix (${transport} queue); balance and description are heard within ${LATENCY_LIMIT_MS} ms of the device`, async ({ page, browserName }) => {
    test.setTimeout(240_000);
    const release = await acquireLock('video-playback');
    const problems = collectProblems(page);
    try {
      await watchFreezes(page);
      // When the page saw each control's input event (epoch ms), to time its way to the worker.
      await page.addInitScript(() => {
        const inputs: number[] = [];
        (window as unknown as { tesseraInputs: number[] }).tesseraInputs = inputs;
        addEventListener('input', () => inputs.push(performance.timeOrigin + performance.now()), true);
      });
      await page.goto(`/?programme=${encodeURIComponent(PROGRAMME)}&at=2.5&paused${transport === 'port' ? '&audio=port' : ''}`);
      await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
      await page.waitForFunction(() => window.tesseraPlayer !== undefined);

      await page.getByRole('button', { name: 'Play' }).click(); // the gesture that resumes the AudioContext
      const started = await audioStarts(page);
      if (!started && browserName === 'firefox' && !sink.available) test.skip(true, `Firefox cannot start an AudioContext without an audio device: ${sink.reason}`);
      expect(started, 'the audio output plays').toBe(true);
      expect((await probe(page))!.stats.transport).toBe(transport);
      // Steady audio first; then each window goes back to 2 s and is measured from there. A
      // window a browser freeze interrupted is measured again (e2e/support/freezes.ts).
      await warmUpAudio(page);
      await page.locator('#viewer-settings summary').click();
      let measured: Awaited<ReturnType<typeof measureWindow>> | null = null;
      const retried: string[] = [];
      for (let attempt = 1; attempt <= MAX_WINDOWS && !measured; attempt++) {
        const measurement = await measureWindow(page);
        const frozen = await windowFroze(page, measurement.from, measurement.result.stats.producer);
        // A key press the test driver delivered too late for the passage it aims at (the music
        // alone, the description's first words) measures nothing either.
        const onTarget = measurement.balanceAt >= BALANCE_AT[0] && measurement.balanceAt <= BALANCE_AT[1] && measurement.descriptionAt >= DESCRIPTION_AT[0] && measurement.descriptionAt <= DESCRIPTION_AT[1];
        if (frozen.length === 0 && onTarget) measured = measurement;
        else retried.push(frozen.length > 0 ? frozen.join(', ') : `changes landed at ${measurement.balanceAt.toFixed(2)} s and ${measurement.descriptionAt.toFixed(2)} s`);
      }
      if (retried.length > 0) test.info().annotations.push({ type: 'windows measured again', description: retried.join('; ') });
      expect(measured, `a window without a browser freeze and with the changes on target in ${MAX_WINDOWS} tries (${retried.join('; ')})`).not.toBeNull();
      const { result, underrunsFrom, inputToWorkerMs, from } = measured!;
      // Shorter stalls of the page in the measured window (none is a freeze), for the record.
      const pageStallsMs = await gapsSince(page, from);
      const workerStallsMs = gapsIn(result.stats.producer?.stalls ?? [], from);
      const music = levelChange(result, /dialogueBalance 1/, -3);
      const described = levelChange(result, /audioDescription true/, 20);
      const offsets = result.avOffsets.slice(Math.floor(result.avOffsets.length / 4));
      const avMedianMs = median(offsets) * 1000;
      const avWorstMs = Math.max(...offsets.map((o) => Math.abs(o))) * 1000;
      const s = result.stats;
      test.info().annotations.push({
        type: 'measured',
        description: JSON.stringify({
          browser: browserName,
          transport,
          musicDropDb: +(music.before - music.after).toFixed(1),
          balanceLatencyMs: +music.latencyMs.toFixed(1),
          descriptionRiseDb: +(described.after - described.before).toFixed(1),
          descriptionLatencyMs: +described.latencyMs.toFixed(1),
          renderAheadMs: +music.renderAheadMs.toFixed(1),
          inputToWorkerMs,
          pageStallsMs,
          workerStallsMs,
          underrunFrames: s.underrunFrames,
          totalUnderrunFrames: s.totalUnderrunFrames,
          objects: s.objects,
          objectUnderrunFrames: s.objectUnderrunFrames,
          latencySeconds: s.latencySeconds,
          avMedianMs: +avMedianMs.toFixed(1),
          avWorstMs: +avWorstMs.toFixed(1),
          producer: s.producer,
        }),
      });
      console.log(test.info().annotations.at(-1)!.description);
      for (const c of result.changes) {
        const at = c.heardFrame ?? 0;
        console.log(c.what, at / RATE, JSON.stringify(result.levels.filter(([f]) => f >= at - 0.3 * RATE && f < at + 0.5 * RATE).map(([f, l]) => `${((f - at) / 48).toFixed(0)}:${l.toFixed(0)}`)));
      }

      expect(music.before - music.after, 'clearest dialogue lowers the music bed').toBeGreaterThan(3);
      const deviceMs = s.latencySeconds * 1000;
      expect(music.latencyMs - deviceMs, 'the balance is heard within the queue and ramp').toBeLessThanOrEqual(LATENCY_LIMIT_MS);
      expect(described.after - described.before, 'the description is heard').toBeGreaterThan(20);
      expect(described.latencyMs - deviceMs, 'the description is heard within the queue and ramp').toBeLessThanOrEqual(LATENCY_LIMIT_MS);
      expect(s.underrunFrames - underrunsFrom, 'no output underruns').toBe(0);
      expect(Math.abs(avMedianMs), 'the picture follows the heard audio').toBeLessThanOrEqual(20);

      // Pause: the mix goes silent and the picture stops at the heard time.
      await page.getByRole('button', { name: 'Pause' }).click();
      await expect.poll(async () => (await probe(page))?.stats.audible).toBe(false);
      // Up to the pause the same rule as in the window: no underrun, unless the browser froze or
      // its audio device stopped and caught up (Firefox, e2e/support/freezes.ts), which is reported.
      const paused = (await probe(page))!.stats;
      const underranToPause = paused.underrunFrames - underrunsFrom;
      if (underranToPause > 0) {
        const interrupted = await windowFroze(page, from, paused.producer);
        expect(interrupted, `no output underruns up to the pause (${underranToPause} frames) without a freeze or a stop of the output`).not.toEqual([]);
        test.info().annotations.push({ type: 'underrun before the pause', description: `${underranToPause} frames after ${interrupted.join(', ')}` });
      }
      // The settings were kept for the next visit.
      const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('tessera.preferences') ?? 'null') as { context?: unknown } | null);
      expect(saved?.context).toMatchObject({ dialogueBalance: 1, audioDescription: true });
    } finally {
      release();
    }
    expect(problems).toEqual([]);
  });
}
