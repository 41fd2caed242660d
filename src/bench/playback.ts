// The end-to-end playback benchmarks (`npm run bench -- playback`), in Debian's headless Chromium
// against the preview build (`vite build` + `vite preview`, as a viewer gets it):
//   - time from navigation to the first composed programme frame on the canvas, each run in a fresh
//     browser context (cold HTTP cache), beside the browser's own <video> element showing its
//     first frame of the fixture's main clip from the same kind of navigation (the anchor);
//   - a 720p30 composition (fixtures/programmes/compose.json: 1280×720, two video layers, a PiP, a
//     name strap, a crossfade and a cut) played in real time: display ticks dropped, frames late,
//     beside the same <video> element's own dropped-frame count over the same span.
// Numbers are only printed; nothing asserts on them (e2e/playback.spec.ts checks behaviour).
import { createReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import type { Browser, Page } from '@playwright/test';

import { CHROMIUM_ARGS } from '../testing/chromium-args';
import { summarise, type Summary } from './stats';

const root = process.cwd();
const PROGRAMME = '/fixtures/programmes/compose.json';
const CLIP = 'fixtures/media/count-a-vp9-opus.webm';
/** Steady-state window of the play measurement, in programme seconds (past start-up). */
const PLAY_FROM = 1;
const PLAY_TO = 6.5;

export interface PlaybackBenchResult {
  chromiumVersion: string;
  firstFrame: Summary;
  /** The same navigation to a page with one <video> element: its first frame (requestVideoFrameCallback). */
  videoFirstFrame: Summary;
  play: { seconds: number; presented: number; dropped: number; late: number; droppedShare: number };
  /** The <video> element over the same span of the clip (getVideoPlaybackQuality). */
  videoPlay: { seconds: number; frames: number; dropped: number; droppedShare: number };
}

async function buildPreview(outDir: string): Promise<void> {
  const { build } = await import('vite');
  await mkdir(outDir, { recursive: true });
  await build({ root, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
}

async function startPreview(outDir: string): Promise<{ url: string; close(): Promise<void> }> {
  const { preview } = await import('vite');
  const server = await preview({ root, logLevel: 'silent', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its address');
  return { url, close: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())) };
}

/** A page with only a <video> element of the clip, and the clip: the browser's own player. */
async function startVideoPage(): Promise<{ url: string; server: Server }> {
  const page = `<!doctype html><meta charset="utf-8"><title>video anchor</title><video id="v" muted playsinline src="/clip.webm"></video><script src="/anchor.js"></script>`;
  // Records the first frame's time and exposes play measurements; no inline script.
  const script = `
    const v = document.getElementById('v');
    window.firstFrameMs = null;
    v.requestVideoFrameCallback((now) => { window.firstFrameMs = now; });
    v.play();`;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (url === '/') return void res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' }).end(page);
    if (url === '/anchor.js') return void res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' }).end(script);
    if (url === '/clip.webm') {
      res.writeHead(200, { 'Content-Type': 'video/webm', 'Cache-Control': 'no-store' });
      return void createReadStream(path.join(root, CLIP)).pipe(res);
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

function stat(page: Page, name: string): Promise<number> {
  return page.evaluate((n) => Number(document.getElementById('playback-stats')?.dataset[n]), name);
}

async function firstFrames(browser: Browser, url: string, runs: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}?programme=${PROGRAMME}&paused`);
    await page.waitForFunction(() => !!document.getElementById('playback-stats')?.dataset.firstFrameMs, null, { timeout: 30_000 });
    samples.push(await stat(page, 'firstFrameMs'));
    await context.close();
  }
  return samples;
}

async function videoFirstFrames(browser: Browser, url: string, runs: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { firstFrameMs: number | null }).firstFrameMs !== null, null, { timeout: 30_000 });
    samples.push(await page.evaluate(() => (window as unknown as { firstFrameMs: number }).firstFrameMs));
    await context.close();
  }
  return samples;
}

async function play(browser: Browser, url: string): Promise<PlaybackBenchResult['play']> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}?programme=${PROGRAMME}&at=0`);
  const at = (t: number) => page.waitForFunction((time) => Number(document.getElementById('playback-stats')?.dataset.time) >= time, t, { timeout: 30_000, polling: 50 });
  const read = async () => ({ time: await stat(page, 'time'), presented: await stat(page, 'presented'), dropped: await stat(page, 'dropped'), late: await stat(page, 'late') });
  await at(PLAY_FROM);
  const start = await read();
  await at(PLAY_TO);
  const end = await read();
  await context.close();
  const presented = end.presented - start.presented;
  const dropped = end.dropped - start.dropped;
  return { seconds: end.time - start.time, presented, dropped, late: end.late - start.late, droppedShare: dropped / Math.max(1, presented + dropped) };
}

async function videoPlay(browser: Browser, url: string): Promise<PlaybackBenchResult['videoPlay']> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  const at = (t: number) => page.waitForFunction((time) => (document.getElementById('v') as HTMLVideoElement).currentTime >= time, t, { timeout: 30_000, polling: 50 });
  const read = () =>
    page.evaluate(() => {
      const v = document.getElementById('v') as HTMLVideoElement;
      const q = v.getVideoPlaybackQuality();
      return { time: v.currentTime, frames: q.totalVideoFrames, dropped: q.droppedVideoFrames };
    });
  // The clip is 5 s long: the same 1 s start-up allowance, then as much of the span as it has.
  await at(PLAY_FROM);
  const start = await read();
  await at(4.5);
  const end = await read();
  await context.close();
  const frames = end.frames - start.frames;
  const dropped = end.dropped - start.dropped;
  return { seconds: end.time - start.time, frames, dropped, droppedShare: dropped / Math.max(1, frames) };
}

export async function measurePlayback(options: { runs: number; chromium: string }): Promise<PlaybackBenchResult> {
  const outDir = path.join(root, 'build/bench/preview');
  await buildPreview(outDir);
  const preview = await startPreview(outDir);
  const anchor = await startVideoPage();
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({ executablePath: options.chromium, args: [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required'] });
  try {
    const firstFrame = await firstFrames(browser, preview.url, options.runs);
    const videoFirstFrame = await videoFirstFrames(browser, anchor.url, options.runs);
    const playResult = await play(browser, preview.url);
    const videoResult = await videoPlay(browser, anchor.url);
    return {
      chromiumVersion: browser.version(),
      firstFrame: summarise(firstFrame),
      videoFirstFrame: summarise(videoFirstFrame),
      play: playResult,
      videoPlay: videoResult,
    };
  } finally {
    await browser.close();
    await preview.close();
    await new Promise((resolve) => anchor.server.close(resolve));
  }
}
