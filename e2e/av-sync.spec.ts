// A/V sync end to end in Chromium and Firefox: fixtures/programmes/av-sync.json plays the sync clip
// (a white flash frame with a coincident 10 ms click at 1, 2 and 3 s) twice, its picture composed
// by the engine and its sound mixed by the engine and played by the AudioWorklet. Each click is
// timed where it leaves the audio graph for the device: an onset detector ('tessera-onsets') on the
// output node gives its context frame, which the context's own output timestamp
// (getOutputTimestamp: when the frame at a context time reaches the device) turns into page time.
// Each flash is timed by the frame the player drew for it: the first frame at or after the flash's
// programme time, when it was handed to the canvas, less how far past the flash that frame's time
// is (frames are drawn at the display's cadence, so a frame for t ≥ flash stands for the clock
// passing the flash at its own presentation time minus the difference). Every flash must be within
// ±20 ms of its click.
import { expect, test, type Page } from '@playwright/test';

import type { AudioProbe } from '../src/player/protocol';
import { ensureAudioSink, type AudioSinkStatus } from './support/audio-sink';
import { answersWithin, audioStarts, heardNow, warmUpAudio } from './support/audio-warmup';
import { acquireLock } from './support/exclusive';
import { gapsIn, gapsSince, watchFreezes, windowFroze } from './support/freezes';
import { collectProblems } from './support/problems';

const PROGRAMME = '/fixtures/programmes/av-sync.json';
const FLASHES = [1, 2, 3, 5, 6, 7];
const SYNC_LIMIT_MS = 20;

// A test caught in a stall of the machine runs again (the report counts it as flaky).
test.describe.configure({ retries: 2 });

// Firefox ESR here can freeze a page for ~10 s while it plays, and its audio device can stop for
// up to ~15 s (e2e/support/freezes.ts): a window a freeze or a stop of the output interrupted is
// measured again, and what interrupted it is reported.

let sink: AudioSinkStatus = { available: false, started: false, reason: 'not checked' };
test.beforeAll(async () => {
  sink = await ensureAudioSink();
});

declare global {
  interface Window {
    /** Clicks heard: page-epoch milliseconds at the device, from the onset detector. */
    avSyncOnsets?: { contextFrame: number; epochMs: number }[];
  }
}

/** Windows measured at most, when browser freezes interrupt them. */
const MAX_WINDOWS = 3;

/** From the start, until the last flash has been drawn and heard: what was presented and heard. */
async function measureWindow(page: Page) {
  // Playing again if the programme ended since the last window (a freeze can outlast its end).
  await page.evaluate(() => {
    window.tesseraPlayer!.seek(0);
    window.tesseraPlayer!.play();
  });
  // Measured from when the start is heard again (the last window's clicks can still play while
  // the seek settles): onsets and frames before that are not counted.
  await expect
    .poll(async () => (await heardNow(page)) ?? 99, { intervals: [20], timeout: 20_000 })
    .toBeLessThan(0.7);
  const from = await page.evaluate(() => {
    window.avSyncOnsets!.length = 0;
    return performance.timeOrigin + performance.now();
  });
  const underrunsFrom = (await page.evaluate(() => window.tesseraPlayer!.audioProbe()))!.stats.underrunFrames;
  // Until the last flash has been drawn and heard (the programme may have ended by the look).
  await expect
    .poll(
      async () => {
        const probe = await page.evaluate(() => window.tesseraPlayer!.audioProbe());
        const last = probe?.presented.at(-1);
        return Math.min(last && last[1] > from ? last[0] : 0, (await page.evaluate(() => window.avSyncOnsets?.length ?? 0)) >= FLASHES.length ? Infinity : 0);
      },
      { intervals: [100], timeout: 30_000 },
    )
    .toBeGreaterThan(7.1);
  const probed = (await page.evaluate(() => window.tesseraPlayer!.audioProbe())) as AudioProbe;
  const probe = { ...probed, presented: probed.presented.filter(([, epochMs]) => epochMs > from) };
  const onsets = (await page.evaluate(() => window.avSyncOnsets ?? [])).filter((onset) => onset.epochMs > from);
  return { from, underrunsFrom, probe, onsets };
}

test('each flash is on screen within ±20 ms of its click at the audio device', async ({ page, browserName }) => {
  test.setTimeout(240_000);
  const release = await acquireLock('video-playback');
  const problems = collectProblems(page);
  try {
    await watchFreezes(page);
    await page.goto(`/?programme=${encodeURIComponent(PROGRAMME)}&paused`);
    await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
    await page.getByRole('button', { name: 'Play' }).click(); // the gesture that makes the AudioContext

    const tapped = await answersWithin(page.evaluate(async () => {
      const output = await window.tesseraPlayer!.audioOutput();
      if (!output) return false;
      const { context } = output;
      const detector = new AudioWorkletNode(context, 'tessera-onsets', {
        numberOfInputs: 1,
        numberOfOutputs: 1,
        outputChannelCount: [2],
        processorOptions: { threshold: 0.05, quietFrames: 0.5 * context.sampleRate },
      });
      const onsets: { contextFrame: number; epochMs: number }[] = [];
      window.avSyncOnsets = onsets;
      detector.port.onmessage = (event: MessageEvent<{ contextFrame: number }>) => {
        // When the onset's frame reaches the device: by the context's output timestamp, but never
        // sooner than currentTime plus the latency the context reports (Firefox's timestamps
        // place the device at currentTime and give the latency as outputLatency instead).
        const now = performance.now();
        const stamp = context.getOutputTimestamp();
        const contextTime = event.data.contextFrame / context.sampleRate;
        const byStamp = (stamp.performanceTime ?? 0) + (contextTime - (stamp.contextTime ?? 0)) * 1000;
        const byLatency = now + (contextTime - context.currentTime + context.baseLatency + (context.outputLatency || 0)) * 1000;
        const pageMs = Math.max(byStamp, byLatency);
        onsets.push({ contextFrame: event.data.contextFrame, epochMs: performance.timeOrigin + pageMs });
      };
      output.node.connect(detector);
      detector.connect(context.destination); // pulled by the graph; it outputs silence
      return true;
    }), 30_000, 'the onset detector on the audio output');
    expect(tapped, 'the audio output was made').toBe(true);

    const started = await audioStarts(page);
    if (!started && browserName === 'firefox' && !sink.available) test.skip(true, `Firefox cannot start an AudioContext without an audio device: ${sink.reason}`);
    expect(started, 'the audio output plays').toBe(true);
    // Steady audio first, then from the start again: only what follows is measured. A window a
    // browser freeze interrupted is measured again (e2e/support/freezes.ts).
    await warmUpAudio(page);
    let measured: Awaited<ReturnType<typeof measureWindow>> | null = null;
    const freezes: string[][] = [];
    for (let attempt = 1; attempt <= MAX_WINDOWS && !measured; attempt++) {
      const measurement = await measureWindow(page);
      const frozen = await windowFroze(page, measurement.from, measurement.probe.stats.producer);
      if (frozen.length === 0) measured = measurement;
      else freezes.push(frozen);
    }
    if (freezes.length > 0) test.info().annotations.push({ type: 'browser freezes', description: `windows measured again: ${JSON.stringify(freezes)}` });
    expect(measured, `a window without a browser freeze in ${MAX_WINDOWS} tries (${JSON.stringify(freezes)})`).not.toBeNull();
    const { probe, onsets, underrunsFrom, from } = measured!;
    // Shorter stalls of the page in the measured window (none is a freeze), for the record.
    const pageStallsMs = await gapsSince(page, from);
    const workerStallsMs = gapsIn(probe.stats.producer?.stalls ?? [], from);

    // Each flash's click: the onset nearest to it (a missing or extra onset fails below).
    const rows = FLASHES.map((flash) => {
      const frame = probe.presented.find(([time]) => time >= flash - 1e-6);
      const flashEpoch = frame ? frame[1] - (frame[0] - flash) * 1000 : NaN;
      const click = [...onsets].sort((a, b) => Math.abs(a.epochMs - flashEpoch) - Math.abs(b.epochMs - flashEpoch))[0];
      if (!frame || !click) return { flash, click: -1, offsetMs: NaN, drawnLateMs: NaN };
      return { flash, click: onsets.indexOf(click), offsetMs: +(flashEpoch - click.epochMs).toFixed(1), drawnLateMs: +((frame[0] - flash) * 1000).toFixed(1) };
    });
    test.info().annotations.push({
      type: 'measured',
      description: JSON.stringify({ browser: browserName, rows, producer: probe.stats.producer, onsets: onsets.map((o) => Math.round(o.epochMs - (probe.presented[0]?.[1] ?? 0))), firstFrame: probe.presented[0], latencySeconds: probe.stats.latencySeconds, underrunFrames: probe.stats.underrunFrames - underrunsFrom, freezes, pageStallsMs, workerStallsMs }),
    });
    console.log(test.info().annotations.at(-1)!.description);

    expect(onsets.length, 'one click heard per flash, nothing else').toBe(FLASHES.length);
    expect(new Set(rows.map((row) => row.click)).size, 'each flash has a click of its own').toBe(FLASHES.length);
    for (const row of rows) expect(Math.abs(row.offsetMs), `flash at ${row.flash} s against its click`).toBeLessThanOrEqual(SYNC_LIMIT_MS);
    expect(probe.stats.underrunFrames - underrunsFrom, 'no output underruns').toBe(0);
  } finally {
    release();
  }
  expect(problems).toEqual([]);
});
