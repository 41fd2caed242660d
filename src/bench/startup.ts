// The start-up benchmark (`npm run bench -- startup`): how long a viewer waits for the demo
// programme's first picture. The app is built to a temporary folder (`vite build`), served by
// `vite preview`, and opened in Debian's headless Chromium, each run in a fresh browser context
// (cold HTTP cache), at /?programme=/demo/programme.json&paused (no gesture needed). Measured from
// navigation start, in the same run:
//   - a blank page of the same server, to its load event (the anchor: the server and browser's
//     own floor);
//   - the test card's first frame reaching the page (the engine's start-up without a programme);
//   - the demo's first composed frame: the engine worker's stamp of its presentation
//     (stats.firstFrameEpochMs − the page's timeOrigin, as the playback readout shows it).
// The build's initial JS and wasm sizes (gzip, scripts/size-budget.mjs) are reported beside them.
// Numbers are only printed; nothing asserts on them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Browser } from '@playwright/test';

import { measureBuild, type BuildSizes } from '../../scripts/size-budget.mjs';
import { CHROMIUM_ARGS } from '../testing/chromium-args';
import { summarise, type Summary } from './stats';

const root = process.cwd();
export const STARTUP_PROGRAMME = '/demo/programme.json';
const BLANK_PAGE = 'bench-blank.html';

export interface StartupBenchResult {
  chromiumVersion: string;
  blankLoad: Summary;
  testCardFirstFrame: Summary;
  programmeFirstFrame: Summary;
  sizes: BuildSizes;
}

/** Records, in the page, when the frame readout first carries a frame's hash (the test card's). */
function watchFirstFrameReport(): void {
  const marks = window as unknown as { firstFrameReportMs: number | null };
  marks.firstFrameReportMs = null;
  new MutationObserver((_records, observer) => {
    const readout = document.getElementById('frame-readout');
    if (readout?.dataset.sha256) {
      marks.firstFrameReportMs = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-sha256'] });
}

async function measureRuns(browser: Browser, runs: number, measure: (page: import('@playwright/test').Page) => Promise<number>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    try {
      samples.push(await measure(await context.newPage()));
    } finally {
      await context.close();
    }
  }
  return samples;
}

export async function measureStartup(options: { runs: number; chromium: string }): Promise<StartupBenchResult> {
  const { build, preview } = await import('vite');
  const outDir = mkdtempSync(path.join(tmpdir(), 'tessera-startup-'));
  let server: Awaited<ReturnType<typeof preview>> | null = null;
  let browser: Browser | null = null;
  try {
    await build({ root, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const sizes = measureBuild(outDir);
    writeFileSync(path.join(outDir, BLANK_PAGE), '<!doctype html><meta charset="utf-8"><title>blank</title>');
    server = await preview({ root, logLevel: 'silent', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
    const base = server.resolvedUrls?.local[0];
    if (!base) throw new Error('vite preview did not report its address');
    const { chromium } = await import('@playwright/test');
    browser = await chromium.launch({ executablePath: options.chromium, args: CHROMIUM_ARGS });

    // Interleaved would mix caches across kinds; each kind runs its own fresh contexts in turn.
    const blankLoad = await measureRuns(browser, options.runs, async (page) => {
      await page.goto(new URL(BLANK_PAGE, base).href, { waitUntil: 'load' });
      return page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd);
    });
    const testCardFirstFrame = await measureRuns(browser, options.runs, async (page) => {
      await page.addInitScript(watchFirstFrameReport);
      await page.goto(base);
      const handle = await page.waitForFunction(() => (window as unknown as { firstFrameReportMs: number | null }).firstFrameReportMs, null, { timeout: 30_000 });
      return (await handle.jsonValue()) as number;
    });
    const programmeFirstFrame = await measureRuns(browser, options.runs, async (page) => {
      await page.goto(new URL(`/?programme=${encodeURIComponent(STARTUP_PROGRAMME)}&paused`, base).href);
      const handle = await page.waitForFunction(
        () => {
          const stats = document.getElementById('playback-stats')?.dataset;
          const frame = document.getElementById('frame-readout')?.dataset;
          if (frame?.status === 'error') throw new Error(`the demo did not play: ${document.getElementById('frame-readout')?.textContent ?? ''}`);
          return stats?.firstFrameMs ? Number(stats.firstFrameMs) : null;
        },
        null,
        { timeout: 30_000 },
      );
      return (await handle.jsonValue()) as number;
    });
    return {
      chromiumVersion: browser.version(),
      blankLoad: summarise(blankLoad),
      testCardFirstFrame: summarise(testCardFirstFrame),
      programmeFirstFrame: summarise(programmeFirstFrame),
      sizes,
    };
  } finally {
    await browser?.close();
    if (server) {
      const closing = server;
      await new Promise<void>((resolve) => closing.httpServer.close(() => resolve()));
    }
    rmSync(outDir, { recursive: true, force: true });
  }
}
