// The audio output end to end in Chromium and Firefox: the 'tessera-output' worklet fed by a tone
// producer in a worker through the SharedArrayBuffer ring (the page is cross-origin isolated) and
// through the MessagePort fallback (forced), started by a real click. Frames played must advance
// at the sample rate with no underruns, and a producer seek must flush without an underrun. Then
// the AudioReader decodes the Opus and AAC fixtures in a worker with the browsers' WebCodecs:
// duration, rate, channels, tone frequencies, click times and seek accuracy.
// Runs on the dev server: the test page (e2e/pages/audio-output.html) is not part of the app build.
// Firefox needs an audio device to run an AudioContext at all: e2e/support/audio-sink.ts.
import { expect, test, type Page } from '@playwright/test';

import { DEV_URL } from '../playwright.config';
import { readFixtureManifest } from '../src/media/fixture-manifest';
import type { DecodeSummary, Measurement } from './pages/audio-output-protocol';
import { ensureAudioSink, type AudioSinkStatus } from './support/audio-sink';
import { cpuUsage, sampleCpu } from './support/cpu-usage';
import { acquireLock, setTimeoutAfterLock } from './support/exclusive';
import { collectProblems } from './support/problems';

const PAGE_URL = `${DEV_URL}/e2e/pages/audio-output.html`;
const SAMPLE_RATE = 48_000;
/** The producer's bound: 50 ms at 48 kHz. */
const MAX_AHEAD_FRAMES = 2400;
const MEASUREMENT_WINDOWS = 4;
/** PortRingWriter's default bound on assumed draining between reports (1536 frames, 32 ms). */
const PORT_EXTRAPOLATION_FRAMES = 1536;

let sink: AudioSinkStatus = { available: false, started: false, reason: 'not checked' };
test.beforeAll(async () => {
  sink = await ensureAudioSink();
});

async function openPlaying(page: Page, transport: 'auto' | 'port', browserName: string): Promise<void> {
  await page.goto(transport === 'port' ? `${PAGE_URL}?transport=port` : PAGE_URL);
  await page.waitForFunction(() => document.body.dataset.ready !== undefined);
  expect(await page.evaluate(() => window.audioOutputTest!.setupError)).toBeNull();
  await page.click('#start'); // a real user gesture: resume() is allowed from it
  const playing = await page.evaluate(() => window.audioOutputTest!.waitPlaying(15_000));
  if (playing.framesPlayed === 0 && browserName === 'firefox' && !sink.available) {
    test.skip(true, `Firefox cannot start an AudioContext without an audio device: ${sink.reason}`);
  }
  expect(playing, 'the context runs and the worklet plays frames').toMatchObject({ contextState: 'running' });
  expect(playing.framesPlayed).toBeGreaterThan(0);
  test.info().annotations.push({ type: 'start', description: `playing ${playing.waitedMs.toFixed(0)} ms after the click` });
}

test.describe('audio output', () => {
  let problems: string[] = [];
  // Real-time measurements take turns across the parallel workers (e2e/support/exclusive.ts): two
  // browsers playing at once on a small machine starve each other's audio threads.
  let releaseLock: (() => void) | null = null;
  test.beforeEach(async ({ page }) => {
    releaseLock = await acquireLock('video-playback');
    problems = collectProblems(page);
  });
  test.afterEach(async ({ page }) => {
    await page.close();
    releaseLock?.();
    releaseLock = null;
    expect(problems).toEqual([]);
  });

  for (const transport of ['auto', 'port'] as const) {
    const expected = transport === 'auto' ? 'shared' : 'port';
    test(`${expected} transport: frames played advance at 48 kHz, with no underrun, and a seek flushes cleanly`, async ({ page, browserName }) => {
      setTimeoutAfterLock(90_000);
      await openPlaying(page, transport, browserName);
      const setup = await page.evaluate(() => window.audioOutputTest!.setup!);
      expect(setup).toMatchObject({ transport: expected, crossOriginIsolated: true });

      // Past the start-up: Chromium's PulseAudio output, for one, reports 'running' and then
      // stalls for up to ~2 s before it pulls audio steadily.
      const steady = await page.evaluate(() => window.audioOutputTest!.waitSteady(300, 15_000));
      expect(steady, 'audio reaches real-time playout').toMatchObject({ steady: true });
      test.info().annotations.push({ type: 'steady', description: `steady ${steady.waitedMs.toFixed(0)} ms after playing started` });
      // Measured in windows of 2 s (the port path's counters come every ~21 ms: ±1 % over 2 s),
      // each followed by a seek. The design keeps only 40–50 ms queued, so another process taking
      // the cores for longer than that makes any output underrun: as in playback.spec.ts, a
      // window spoilt by a sporadic disturbance is measured again, and the test fails only when
      // every window fails (an output that cannot keep up fails them all).
      const spoilt: string[] = [];
      for (let attempt = 1; attempt <= MEASUREMENT_WINDOWS; attempt++) {
        const cpuBefore = sampleCpu();
        const m: Measurement = await page.evaluate(() => window.audioOutputTest!.measure(2000));
        // A seek: the queued tone is dropped and the new position's plays on without a gap.
        const seek = await page.evaluate((frame) => window.audioOutputTest!.seek(frame, 300), 96_000 * attempt);
        const cpu = cpuUsage(cpuBefore, sampleCpu());
        const seekUnderruns = seek.after.underrunFrames - seek.before.underrunFrames;
        const summary =
          `${expected}, window ${attempt}: ${m.framesPerSecond.toFixed(0)} frames/s over ${m.elapsedMs.toFixed(0)} ms (context ${m.contextFramesPerSecond.toFixed(0)}/s); ` +
          `underrun frames ${m.underrunFramesDuring}, ${seekUnderruns} around the seek (total ${seek.after.underrunFrames}); ` +
          `baseLatency ${m.baseLatency}, outputLatency ${m.outputLatency}, clock latency ${(m.latencySeconds * 1000).toFixed(1)} ms; ` +
          `producer queue ${m.producer.minQueuedFrames}..${m.producer.maxQueuedFrames} frames, ${m.producer.wakeups} refills on read, max tick gap ${m.producer.maxTickGapMs.toFixed(1)} ms` +
          (expected === 'port' ? `, level reports up to ${m.producer.maxReportLagMs.toFixed(1)} ms late; ` : '; ') +
          `seek dropped ${seek.after.framesDiscarded - seek.before.framesDiscarded} frames` +
          (cpu ? `; CPU: this test ${(100 * cpu.ours).toFixed(0)} %, other processes ${(100 * cpu.others).toFixed(0)} % of ${cpu.cores} cores` : '');
        test.info().annotations.push({ type: 'measured', description: summary });

        // What holds however busy the machine is.
        expect(m.transport).toBe(expected);
        expect(m.after.framesDiscarded).toBe(m.before.framesDiscarded);
        // The producer kept the queue within 50 ms of the worklet. On the port path that is an
        // estimate: it assumes the worklet drains at the sample rate between its (late, bursty)
        // reports, so the real queue can reach 50 ms plus PortRingWriter's extrapolation (32 ms).
        expect(m.producer.maxQueuedFrames).toBeLessThanOrEqual(MAX_AHEAD_FRAMES + (expected === 'port' ? PORT_EXTRAPOLATION_FRAMES : 0));
        expect(m.latencySeconds).toBeGreaterThanOrEqual(0);
        expect(m.latencySeconds).toBeLessThan(0.5);
        expect(seek.after.framesDiscarded).toBeGreaterThan(seek.before.framesDiscarded);
        expect(seek.after.framesDiscarded - seek.before.framesDiscarded).toBeLessThanOrEqual(MAX_AHEAD_FRAMES + (expected === 'port' ? PORT_EXTRAPOLATION_FRAMES : 0));
        expect(seek.after.framesPlayed - seek.before.framesPlayed).toBeGreaterThan(0.2 * SAMPLE_RATE);

        // Real time: frames played advance at the sample rate, with no underrun, seek included.
        const onRate = Math.abs(m.framesPerSecond - SAMPLE_RATE) <= SAMPLE_RATE * 0.05;
        if (onRate && m.underrunFramesDuring === 0 && seekUnderruns === 0) return;
        spoilt.push(summary);
      }
      expect(spoilt, `off rate or underruns in each of ${MEASUREMENT_WINDOWS} windows`).toEqual([]);
    });
  }
});

test.describe('AudioReader with WebCodecs', () => {
  let problems: string[] = [];
  test.beforeEach(async ({ page }) => {
    problems = collectProblems(page);
    await page.goto(PAGE_URL);
    await page.waitForFunction(() => document.body.dataset.ready !== undefined);
  });
  test.afterEach(() => {
    expect(problems).toEqual([]);
  });

  const manifest = readFixtureManifest();
  for (const name of ['count-a-vp9-opus.webm', 'count-a-h264-aac.mp4']) {
    const audio = manifest.files.find((f) => f.name === name)!.audio!;
    test(`${name}: ${audio.codec} decodes to ${audio.durationSeconds} s of ${audio.sampleRate} Hz stereo, on time, and seeks exactly`, async ({ page }) => {
      const d: DecodeSummary = await page.evaluate((f) => window.audioOutputTest!.decode(f, 2_500_000), name);
      expect(d.info).toMatchObject({ codecString: audio.codec, sampleRate: audio.sampleRate, channels: audio.channels, endUs: audio.durationSeconds * 1e6 });
      expect(d.info.firstTimestampUs).toBe(Math.round(audio.firstPacketTimestampSeconds * 1e6));
      expect(d.sampleRates).toEqual([audio.sampleRate]);
      expect(d.channels).toEqual([audio.channels]);
      // Media time 0 on: no priming (AAC) or pre-skip (Opus) before it, no padding after the end.
      expect(d.firstStartFrame).toBe(0);
      expect(d.discontinuities).toBe(0);
      expect(d.frames).toBe(audio.durationSeconds * audio.sampleRate);
      // 440 Hz left, 660 Hz right (zero crossings over 0.8 s: ±1.25 Hz resolution), at -20 dBFS.
      expect(Math.abs(d.frequencyLeft - 440)).toBeLessThanOrEqual(2);
      expect(Math.abs(d.frequencyRight - 660)).toBeLessThanOrEqual(2);
      expect(Math.abs(d.tonePeak - 0.1)).toBeLessThan(0.015);
      // Each click (3 kHz burst from phase 0, amplitude 0.8) crosses 0.4 within a frame or two of
      // its start: timestamps are right to the sample, not just to the packet.
      expect(d.clickTimes.length).toBe(audio.clickTimesSeconds.length);
      d.clickTimes.forEach((t, i) => expect(Math.abs(t - audio.clickTimesSeconds[i]!), `click ${i + 1} at ${t}`).toBeLessThan(0.0002));
      // A seek to 2.5 s starts on frame 120 000 with the same samples as decoding straight through.
      expect(d.seek).not.toBeNull();
      expect(d.seek!.startFrame).toBe(120_000);
      expect(d.seek!.frames).toBe(4800);
      expect(d.seek!.maxDifference).toBeLessThan(1e-3);
      test.info().annotations.push({
        type: 'decode',
        description: `${name}: ${d.frames} frames in ${d.chunks} chunks, ${d.decodeMs.toFixed(0)} ms; clicks at ${d.clickTimes.map((t) => t.toFixed(6)).join(', ')} s; seek max difference ${d.seek!.maxDifference.toExponential(2)}`,
      });
    });
  }
});
