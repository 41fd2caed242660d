// The video reader (src/media/video-reader.ts) with the browsers' real WebCodecs decoders, in a
// module worker, on the frame-numbered fixtures: every frame comes out once and in order (read
// from the frame strip burnt into the pictures), seeks are frame-exact, frameAt() plays and jumps
// correctly, prefetching a second clip makes a join instant, queues stay bounded, no VideoFrame
// leaks, colour is decoded as configured, and failures are plain errors naming the file.
// Runs on the dev server: the test page (e2e/pages/video-source.html) is not part of the app build.
import { expect, test, type Page } from '@playwright/test';

import { DEV_URL } from '../playwright.config';
import { readFixtureManifest } from '../src/media/fixture-manifest';
import type { VideoFrameEntry, VideoInfo } from '../src/media/video-demuxer';
import type {
  DecodeAllResult,
  ErrorsResult,
  IdleBoundResult,
  PrefetchJoinResult,
  PresentResult,
  SeeksResult,
  VideoTestRequest,
  VideoTestResult,
} from './pages/video-source-protocol';

const PAGE_URL = `${DEV_URL}/e2e/pages/video-source.html`;
const MAX_QUEUED_FRAMES = 8; // VideoReader's default bound
/** Answered with a 404 (the dev server would answer a missing file with its HTML fallback). */
const MISSING_CLIP = 'missing-clip.webm';
const videos = readFixtureManifest().files.flatMap((f) => (f.video ? [{ name: f.name, video: f.video }] : []));

/**
 * Frame 0 at (600, 300), the flat background, as ffmpeg decodes it (`ffmpeg -i FILE -frames:v 1
 * -pix_fmt yuv420p`): Y, U, V. Decoders that give planes must match exactly.
 */
const BACKGROUND_YUV: Record<string, [number, number, number]> = {
  'count-a-vp9-opus.webm': [70, 168, 108],
  'count-a-h264-aac.mp4': [70, 168, 108],
  'count-b-vp9-opus.webm': [100, 109, 91],
  // The A/V sync clips (issue 6): black between their flashes.
  'audio-sync-vp9-opus.webm': [16, 128, 128],
  'audio-sync-h264-aac.mp4': [16, 128, 128],
};

/**
 * Limited-range Y'CbCr → R'G'B' with the given matrix (the reference formulas, unrounded).
 * `blueCap` limits the U→B coefficient: libyuv, which converts for Firefox, keeps its
 * coefficients in signed 8-bit tables in 1/64 steps, so BT.709's 2.112 becomes 2.0 there.
 */
function yuvToRgb([y, u, v]: [number, number, number], matrix: 'bt601' | 'bt709', blueCap = Infinity): number[] {
  const [kr, kb] = matrix === 'bt709' ? [0.2126, 0.0722] : [0.299, 0.114];
  const kg = 1 - kr - kb;
  const luma = ((y - 16) * 255) / 219;
  const cScale = 255 / 224;
  const rFromV = 2 * (1 - kr) * cScale;
  const gFromU = ((2 * kb * (1 - kb)) / kg) * cScale;
  const gFromV = ((2 * kr * (1 - kr)) / kg) * cScale;
  const bFromU = Math.min(2 * (1 - kb) * cScale, blueCap);
  return [luma + rFromV * (v - 128), luma - gFromU * (u - 128) - gFromV * (v - 128), luma + bFromU * (u - 128)];
}

/** Page errors and console errors, except the browser's note about the deliberately missing clip. */
function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error' || message.location().url.endsWith(`/${MISSING_CLIP}`)) return;
    problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  return problems;
}

async function openTestPage(page: Page): Promise<void> {
  await page.goto(PAGE_URL);
  await page.waitForFunction(() => document.body.dataset.ready === '1');
}

async function run<T extends VideoTestResult>(page: Page, request: VideoTestRequest): Promise<T> {
  return (await page.evaluate((r) => window.videoSourceTest!.run(r), request)) as T;
}

async function frameTable(page: Page, file: string): Promise<{ info: VideoInfo; frames: VideoFrameEntry[] }> {
  return page.evaluate((f) => window.videoSourceTest!.frames(f), file);
}

/** The frame whose presentation interval holds t: the last starting at or before it. */
function coveringFrame(frames: VideoFrameEntry[], endUs: number, t: number): number | null {
  if (t >= endUs) return null;
  let n = 0;
  while (n + 1 < frames.length && frames[n + 1]!.timestampUs <= t) n++;
  return n;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test.describe('VideoReader in a worker', () => {
  let problems: string[] = [];
  test.beforeEach(async ({ page }) => {
    problems = collectProblems(page);
    await openTestPage(page);
  });
  test.afterEach(() => {
    expect(problems).toEqual([]);
  });

  for (const { name, video } of videos) {
    test(`${name}: every frame decodes once and in order, numbered 0..${video.frameCount - 1}`, async ({ page, browserName }) => {
      const { frames: table } = await frameTable(page, name);
      expect(table.length).toBe(video.frameCount);
      for (const via of name.startsWith('count-b') ? (['url', 'bytes'] as const) : (['url'] as const)) {
        const result = await run<DecodeAllResult>(page, { kind: 'decode-all', file: name, via, pauseEvery: 25, pauseMs: 40 });
        expect(result.frames.map((f) => f.number), `${via}: strip numbers`).toEqual(range(video.frameCount));
        expect(result.frames.map((f) => f.timestampUs)).toEqual(table.map((f) => f.timestampUs));

        // Native formats, copied tightly from the visible rectangle.
        const format = browserName === 'firefox' ? 'BGRX' : 'I420';
        for (const f of result.frames) {
          expect(f).toMatchObject({ format, width: video.width, height: video.height });
          expect(f.layout).toEqual(
            format === 'I420'
              ? [
                  { offset: 0, stride: 640 },
                  { offset: 640 * 360, stride: 320 },
                  { offset: 640 * 360 + 320 * 180, stride: 320 },
                ]
              : [{ offset: 0, stride: 640 * 4 }],
          );
          expect(f.byteLength).toBe(format === 'I420' ? 640 * 360 * 1.5 : 640 * 360 * 4);
        }
        // The flash frames, and only they, are pure white below the strip (limited range decoded).
        expect(result.flashFramesWhite).toEqual(video.flashFrames);

        // Colour: planes are the decoder's exact output; RGB was converted with the configured
        // space, BT.709 limited for untagged and tagged clips alike (not Chromium's BT.601 default).
        expect(result.info.colour).toEqual({ matrix: 'bt709', fullRange: false });
        const yuv = BACKGROUND_YUV[name]!;
        if (result.sample.format === 'I420') {
          expect(result.sample.values).toEqual(yuv);
        } else {
          const bt709 = yuvToRgb(yuv, 'bt709', 2);
          result.sample.values.forEach((v, i) => expect(Math.abs(v - bt709[i]!), `RGB ${result.sample.values} vs BT.709 ${bt709}`).toBeLessThanOrEqual(1.5));
          // On a grey (U = V = 128) background every matrix gives the same colour.
          if (video.colour === 'untagged' && !(yuv[1] === 128 && yuv[2] === 128)) {
            // Red tells the matrices apart here (BT.601 would give about 31, BT.709 27).
            const bt601 = yuvToRgb(yuv, 'bt601', 2);
            expect(Math.abs(result.sample.values[0]! - bt601[0]!)).toBeGreaterThan(2.5);
          }
        }

        // Back-pressure and leaks.
        expect(result.stats.maxQueuedFrames).toBeGreaterThan(1);
        expect(result.stats.maxQueuedFrames).toBeLessThanOrEqual(MAX_QUEUED_FRAMES);
        expect(result.stats.maxDecodeQueueSize).toBeLessThanOrEqual(MAX_QUEUED_FRAMES);
        expect(result.stats.stallOverruns).toBe(0);
        expect(result.stats.decoderStarts).toBe(1);
        expect(result.frameStatsAfterClose.open).toBe(0);
        test.info().annotations.push({ type: 'decode', description: `${name} (${via}): ${video.frameCount} frames in ${result.decodeMs.toFixed(0)} ms, at most ${result.stats.maxQueuedFrames} queued, decodeQueueSize at most ${result.stats.maxDecodeQueueSize}, ${result.frameStatsAfterClose.opened} VideoFrames opened in this page, ${result.frameStatsAfterClose.open} open` });
      }
    });

    test(`${name}: a seek lands exactly on the frame covering the target`, async ({ page }) => {
      const { info, frames } = await frameTable(page, name);
      const last = video.frameCount - 1;
      const chosen = [0, 1, 15, 29, 30, 31, 45, 59, 60, 61, 89, last - 1, last, 2, 47].filter((f) => f <= last);
      const targetsUs: number[] = [];
      for (const f of chosen) {
        const start = frames[f]!.timestampUs;
        const end = frames[f + 1]?.timestampUs ?? info.endUs;
        targetsUs.push(start, Math.floor((start + end) / 2), end - 1);
      }
      targetsUs.push(-1_000_000, info.endUs, info.endUs + 1_000_000, 0);
      const result = await run<SeeksResult>(page, { kind: 'seeks', file: name, targetsUs });
      for (const { targetUs, numbers } of result.seeks) {
        const expected = coveringFrame(frames, info.endUs, Math.max(targetUs, 0));
        const following = expected === null || expected >= last ? null : expected + 1;
        expect(numbers, `seek to ${targetUs} µs`).toEqual([expected, following]);
      }
      expect(result.seeks.length).toBe(chosen.length * 3 + 4);
      expect(result.stats.maxQueuedFrames).toBeLessThanOrEqual(MAX_QUEUED_FRAMES);
      expect(result.frameStatsAfterClose.open).toBe(0);
    });
  }

  for (const name of ['count-a-vp9-opus.webm', 'count-a-h264-aac.mp4']) {
    test(`${name}: 100 random seeks with a few reads each are all exact and leak no VideoFrame`, async ({ page }) => {
      const { info, frames } = await frameTable(page, name);
      const result = await run<SeeksResult>(page, { kind: 'random-seeks', file: name, count: 100, seed: 20240611, maxReads: 4 });
      expect(result.seeks.length).toBe(100);
      let checked = 0;
      for (const { targetUs, numbers } of result.seeks) {
        const first = coveringFrame(frames, info.endUs, Math.max(targetUs, 0));
        const expected = numbers.map((_, i) => (first === null || first + i >= frames.length ? null : first + i));
        expect(numbers, `seek to ${targetUs} µs`).toEqual(expected);
        checked += numbers.filter((n) => n !== null).length;
      }
      expect(checked).toBeGreaterThan(150);
      expect(result.stats.maxQueuedFrames).toBeLessThanOrEqual(MAX_QUEUED_FRAMES);
      expect(result.stats.maxDecodeQueueSize).toBeLessThanOrEqual(MAX_QUEUED_FRAMES);
      expect(result.frameStatsAfterClose).toMatchObject({ open: 0 });
      expect(result.frameStatsAfterClose.opened).toBeGreaterThan(checked);
      test.info().annotations.push({
        type: 'seeks',
        description: `${name}: ${checked} frames checked; ${result.frameStatsAfterClose.opened} VideoFrames opened and closed; ${result.stats.decoderStarts} decoder starts, ${result.stats.seeksContinued} seeks continued`,
      });
    });
  }

  test('frameAt at 60 Hz shows each frame until the next is due, and jumps land exactly', async ({ page }) => {
    const name = 'count-a-vp9-opus.webm';
    const { info, frames } = await frameTable(page, name);
    const jumpsUs = [frames[100]!.timestampUs + 5_000, frames[12]!.timestampUs, frames[13]!.timestampUs + 1, frames[140]!.timestampUs, 0, info.endUs + 10_000];
    const result = await run<PresentResult>(page, { kind: 'present', file: name, stepUs: 16_667, jumpsUs });
    const clamp = (t: number) => Math.min(Math.max(t, 0), info.lastFrameTimestampUs);
    expect(result.shown.map((s) => s.number)).toEqual(result.shown.map((s) => coveringFrame(frames, info.endUs, clamp(s.timeUs))));
    expect(result.shown.length).toBeGreaterThan(300);
    expect(result.decoderStartsAfterPlay).toBe(1); // playing forward never restarts the decoder
    expect(result.jumps.map((j) => j.number)).toEqual([100, 12, 13, 140, 0, 149]);
    expect(result.frameStatsAfterClose.open).toBe(0);
  });

  test('a second reader prefetches the next clip while the first plays, so the join is immediate', async ({ page }) => {
    const result = await run<PrefetchJoinResult>(page, { kind: 'prefetch-join', playing: 'count-a-vp9-opus.webm', next: 'count-b-vp9-opus.webm', playFrames: 45 });
    expect(result.playedNumbers).toEqual(range(45));
    expect(result.queuedAfterPrefetch).toBeGreaterThanOrEqual(1);
    expect(result.queuedAfterPrefetch).toBeLessThanOrEqual(MAX_QUEUED_FRAMES);
    expect(result.joinNumber).toBe(0);
    expect(result.nextStats.decoderStarts).toBe(1);
    // Already decoded: taking it costs no decode (generous bound for loaded CI machines).
    expect(result.joinMs).toBeLessThan(50);
    expect(result.frameStatsAfterClose.open).toBe(0);
  });

  for (const file of ['count-a-vp9-opus.webm', 'count-a-h264-aac.mp4']) {
    test(`${file}: an idle reader decodes up to its bound and no further, holding no VideoFrame`, async ({ page }) => {
      const bound = 5;
      const result = await run<IdleBoundResult>(page, { kind: 'idle-bound', file, maxQueuedFrames: bound, waitMs: 400 });
      // Queued frames plus frames inside the decoder make the bound; a decoder may keep one or two
      // back until it gets more input (Chromium's H.264 decoder keeps one).
      expect(result.queuedFrames).toBeGreaterThanOrEqual(bound - 2);
      expect(result.queuedFrames).toBeLessThanOrEqual(bound);
      expect(result.stats.maxQueuedFrames).toBe(result.queuedFrames);
      expect(result.stats.maxDecodeQueueSize).toBeLessThanOrEqual(bound);
      expect(result.stats.framesCopied).toBe(result.queuedFrames);
      expect(result.frameStatsWhileIdle.open).toBe(0);
      expect(result.frameStatsAfterClose.open).toBe(0);
      test.info().annotations.push({ type: 'idle', description: `${file}: ${result.queuedFrames} of ${bound} queued while idle` });
    });
  }

  test('failures are plain errors that name the file', async ({ page }) => {
    await page.route(`**/${MISSING_CLIP}`, (route) => route.fulfill({ status: 404, body: 'gone' }));
    const result = await run<ErrorsResult>(page, { kind: 'errors', file: 'count-b-vp9-opus.webm' });
    expect(result.missing).toMatchObject({ name: 'MediaInputError', code: 'not-found', file: 'missing-clip.webm' });
    expect(result.missing?.message).toBe('missing-clip.webm could not be fetched (HTTP 404 Not Found).');
    expect(result.junk).toMatchObject({ code: 'unsupported-format', file: 'junk.webm' });
    expect(result.junk?.message).toMatch(/^junk\.webm is not a media file Tessera can read/);
    expect(result.audioOnly).toMatchObject({ code: 'no-video-track', message: 'speech-en.webm has no video track.' });
    expect(result.damaged.error).toMatchObject({ code: 'corrupt', file: 'damaged-count-b-vp9-opus.webm' });
    expect(result.damaged.error?.message).toMatch(/^damaged-count-b-vp9-opus\.webm could not be decoded/);
    expect(result.damaged.framesBeforeError).toBeGreaterThanOrEqual(30);
    expect(result.damaged.framesBeforeError).toBeLessThanOrEqual(41);
    expect(result.frameStatsAfterClose.open).toBe(0);
  });
});
