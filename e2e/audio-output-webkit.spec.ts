// The audio output and the AudioReader in WebKit (WebKitGTK through WebKitWebDriver: Playwright
// cannot drive WebKit here), on the same test page as e2e/audio-output.spec.ts. Run by the
// 'webkit' project (its testMatch is /webkit\.spec\.ts/).
//
// What differs in WebKitGTK 2.50.6 (measured here, and what these tests hold it to):
// - A script's click() is no user gesture: the AudioContext stays suspended. A WebDriver element
//   click is (e2e/support/audio-webkit.ts).
// - Its worklet is run in long bursts (see the 'bursts' annotation), so a 40 ms queue can run dry
//   between two refills even when the producer is on time: underruns are reported, not failed.
// - Its Opus decoder ignores the stream's pre-skip (312 frames): everything comes 6.5 ms late, and
//   samples are 16-bit values. Its AAC decoder returns scrambled timestamps (see the AAC test).
import { expect, test } from '@playwright/test';

import { DEV_URL } from '../playwright.config';
import { readFixtureManifest } from '../src/media/fixture-manifest';
import type { PlayoutCounters } from '../src/audio/ring';
import type { DecodeSummary, Measurement } from './pages/audio-output-protocol';
import { ensureAudioSink } from './support/audio-sink';
import { clickElement } from './support/audio-webkit';
import { acquireLock } from './support/exclusive';
import { WebKitSession, webkitAvailable } from './support/webkit-webdriver';

const PAGE_URL = `${DEV_URL}/e2e/pages/audio-output.html`;
const SAMPLE_RATE = 48_000;
const OPUS_PRE_SKIP_SECONDS = 312 / 48_000;

test.describe.configure({ mode: 'serial' });

async function openPage(session: WebKitSession, query = ''): Promise<void> {
  await session.navigate(`${PAGE_URL}${query}`);
  await session.waitFor('return document.body.dataset.ready', { timeoutMs: 30_000, message: 'the audio test page did not get ready' });
  expect(await session.execute('return window.audioOutputTest.setupError')).toBeNull();
}

for (const transport of ['shared', 'port'] as const) {
  test(`WebKit: ${transport} transport plays frames at 48 kHz after a real click, and a seek flushes`, async () => {
    test.skip(!webkitAvailable(), 'WebKitWebDriver, Xvfb or MiniBrowser not installed (npm test installs them on Debian)');
    test.setTimeout(90_000);
    const sink = await ensureAudioSink();
    test.skip(!sink.available, `WebKit needs an audio device: ${sink.reason}`);
    const release = await acquireLock('video-playback');
    const session = await WebKitSession.start();
    try {
      await openPage(session, transport === 'port' ? '?transport=port' : '');
      expect(await session.execute('return window.audioOutputTest.setup')).toMatchObject({ transport, crossOriginIsolated: true });
      await clickElement(session, '#start');
      const playing = await session.execute<{ framesPlayed: number; contextState: string }>('return window.audioOutputTest.waitPlaying(15000)', [], { timeoutMs: 30_000 });
      expect(playing.contextState).toBe('running');
      expect(playing.framesPlayed).toBeGreaterThan(0);
      const steady = await session.execute<{ steady: boolean }>('return window.audioOutputTest.waitSteady(300, 15000)', [], { timeoutMs: 30_000 });
      expect(steady.steady, 'audio reaches real-time playout').toBe(true);
      if (transport === 'shared') {
        const bursts = await session.execute<{ maxBurstFrames: number; maxPauseMs: number }>('return window.audioOutputTest.bursts(1000)');
        test.info().annotations.push({ type: 'bursts', description: `worklet runs up to ${bursts.maxBurstFrames} frames at once, pauses up to ${bursts.maxPauseMs.toFixed(1)} ms` });
      }
      // Windows of 2 s, as in audio-output.spec.ts; here only the rate must hold (see the header).
      const spoilt: string[] = [];
      for (let attempt = 1; attempt <= 4; attempt++) {
        const m = await session.execute<Measurement>('return window.audioOutputTest.measure(2000)', [], { timeoutMs: 30_000 });
        const seek = await session.execute<{ before: PlayoutCounters; after: PlayoutCounters }>('return window.audioOutputTest.seek(arguments[0], 300)', [96_000 * attempt]);
        const summary =
          `${transport}, window ${attempt}: ${m.framesPerSecond.toFixed(0)} frames/s over ${m.elapsedMs.toFixed(0)} ms (context ${m.contextFramesPerSecond.toFixed(0)}/s); ` +
          `underrun frames ${m.underrunFramesDuring}, ${seek.after.underrunFrames - seek.before.underrunFrames} around the seek (total ${seek.after.underrunFrames}); ` +
          `baseLatency ${m.baseLatency}, outputLatency ${m.outputLatency}; producer queue ${m.producer.minQueuedFrames}..${m.producer.maxQueuedFrames}, ` +
          `${m.producer.wakeups} refills on read, max tick gap ${m.producer.maxTickGapMs.toFixed(1)} ms, level reports up to ${m.producer.maxReportLagMs.toFixed(1)} ms late`;
        test.info().annotations.push({ type: 'measured', description: summary });
        expect(m.transport).toBe(transport);
        // On the port path the level is an estimate (see audio-output.spec.ts): 50 ms + 32 ms.
        expect(m.producer.maxQueuedFrames).toBeLessThanOrEqual(transport === 'port' ? 2400 + 1536 : 2400);
        expect(seek.after.framesDiscarded).toBeGreaterThan(seek.before.framesDiscarded);
        expect(seek.after.framesPlayed - seek.before.framesPlayed).toBeGreaterThan(0.2 * SAMPLE_RATE);
        if (Math.abs(m.framesPerSecond - SAMPLE_RATE) <= SAMPLE_RATE * 0.05) break;
        spoilt.push(summary);
        expect(spoilt.length, `off rate in every window:\n${spoilt.join('\n')}`).toBeLessThan(4);
      }
    } finally {
      await session.close();
      release();
    }
  });
}

test('WebKit: Opus decodes to 5 s of 48 kHz stereo (6.5 ms late: its decoder ignores the pre-skip)', async () => {
  test.skip(!webkitAvailable(), 'WebKitWebDriver, Xvfb or MiniBrowser not installed (npm test installs them on Debian)');
  test.setTimeout(90_000);
  const name = 'count-a-vp9-opus.webm';
  const audio = readFixtureManifest().files.find((f) => f.name === name)!.audio!;
  const session = await WebKitSession.start();
  try {
    await openPage(session);
    const d = await session.execute<DecodeSummary>('return window.audioOutputTest.decode(arguments[0], 2500000)', [name], { timeoutMs: 60_000 });
    test.info().annotations.push({ type: 'decode', description: `${d.frames} frames in ${d.chunks} chunks; clicks at ${d.clickTimes.join(', ')}; seek max difference ${d.seek?.maxDifference}` });
    expect(d.info).toMatchObject({ codecString: 'opus', sampleRate: 48_000, channels: 2, endUs: 5_000_000 });
    expect(d.sampleRates).toEqual([48_000]);
    expect(d.channels).toEqual([2]);
    expect(d.firstStartFrame).toBe(0);
    expect(d.discontinuities).toBe(0);
    expect(d.frames).toBe(audio.durationSeconds * SAMPLE_RATE);
    expect(Math.abs(d.frequencyLeft - 440)).toBeLessThanOrEqual(2);
    expect(Math.abs(d.frequencyRight - 660)).toBeLessThanOrEqual(2);
    expect(d.clickTimes.length).toBe(audio.clickTimesSeconds.length);
    d.clickTimes.forEach((t, i) => expect(Math.abs(t - audio.clickTimesSeconds[i]! - OPUS_PRE_SKIP_SECONDS)).toBeLessThan(0.0002));
    expect(d.seek!.startFrame).toBe(120_000);
    expect(d.seek!.maxDifference).toBeLessThan(1e-3);
  } finally {
    await session.close();
  }
});
