// Browser freezes during real-time measurements.
//
// Firefox ESR here (headless, no GPU, PulseAudio null sink) sometimes stops a page's content
// process — main thread and workers alike — for about 10 s (measured: 10,001–10,039 ms, 1 to 4
// times in 4 test pages on a loaded machine, 1 in 6 on a quiet one). It happens with the player's
// sound off too, a second or more into playing a programme with video, never on the engine's test
// card; its audio thread keeps running, so the output underruns for the whole freeze. No page
// code runs during it, so no player can play through it. A real-time measurement that a freeze
// interrupted says nothing about the player: the tests notice it (a gap in the page's own timer,
// or in the engine worker's audio ticks) and measure that window again, up to a bound, reporting
// every freeze they saw, and the shorter stalls of the page and of the worker's audio in the
// window they kept.
//
// Firefox's own audio path freezes too, where no page timer sees it: windows with 4,000–728,000
// frames of output underrun (0.1–15 s) while neither the page's main thread (no gap ≥ 200 ms) nor
// the worker's audio producer (no tick gap > 50 ms) stopped — the device's callback stopped and
// then drained the queue in a burst. Headed under Xvfb it is the same. So the real-time
// measurements with sound (av-sync, audio-playback-mix) fail in Firefox here on about half their
// tries, and a run with retries still fails often; they pass when no freeze comes (A/V offsets
// −16…14 ms, balance and description heard 53–95 ms after the change, 36–52 ms of it the
// device's). They run in Firefox only when TESSERA_E2E_FIREFOX_REALTIME=1; Firefox plays the same
// output path in e2e/audio-output.spec.ts, and renders the same mix bit for bit offline.
import type { Page } from '@playwright/test';

/** Run the real-time sound measurements in Firefox too (see above). */
export const FIREFOX_REALTIME = process.env.TESSERA_E2E_FIREFOX_REALTIME === '1';
export const FIREFOX_REALTIME_SKIPPED =
  "Firefox ESR's audio output freezes for up to ~15 s on this machine (e2e/support/freezes.ts); set TESSERA_E2E_FIREFOX_REALTIME=1 to measure it";

/** A gap this long in a 50 ms timer is a freeze of the page, not scheduling jitter. */
export const FREEZE_MS = 1000;
/** Shorter gaps are recorded from this length, to be reported beside a measurement. */
export const STALL_MS = 200;

declare global {
  interface Window {
    /** Gaps of STALL_MS or more in a 50 ms timer: [epoch ms when the gap began, its length in ms]. */
    tesseraFreezes?: [number, number][];
  }
}

/** Starts watching the page's main thread (call before page.goto: it runs in every document). */
export async function watchFreezes(page: Page): Promise<void> {
  await page.addInitScript((threshold: number) => {
    const gaps: [number, number][] = [];
    window.tesseraFreezes = gaps;
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      if (now - last >= threshold) gaps.push([performance.timeOrigin + last, now - last]);
      last = now;
    }, 50);
  }, STALL_MS);
}

/** The page's epoch time now (the clock the freeze records use). */
export function pageEpochMs(page: Page): Promise<number> {
  return page.evaluate(() => performance.timeOrigin + performance.now());
}

/** The main thread's gaps of at least `minMs` that ended after `sinceEpochMs`, in ms. */
export async function gapsSince(page: Page, sinceEpochMs: number, minMs = STALL_MS): Promise<number[]> {
  return gapsIn(await page.evaluate(() => window.tesseraFreezes ?? []), sinceEpochMs, minMs);
}

/** The freezes of the main thread that ended after `sinceEpochMs`, in ms. */
export function freezesSince(page: Page, sinceEpochMs: number): Promise<number[]> {
  return gapsSince(page, sinceEpochMs, FREEZE_MS);
}

/** Gaps ([epoch ms when each began, ms]) of at least `minMs` that ended after `sinceEpochMs`, in ms. */
export function gapsIn(gaps: Array<[number, number]>, sinceEpochMs: number, minMs = STALL_MS): number[] {
  return gaps.filter(([start, length]) => start + length > sinceEpochMs && length >= minMs).map(([, length]) => Math.round(length));
}

/**
 * Whether a freeze interrupted a window: the main thread's gaps since `sinceEpochMs`, and the
 * engine worker's audio producer stalls (AudioStatsReport.producer.stalls) of FREEZE_MS or more.
 */
export async function windowFroze(page: Page, sinceEpochMs: number, workerStalls: Array<[number, number]>): Promise<number[]> {
  return [...(await freezesSince(page, sinceEpochMs)), ...gapsIn(workerStalls, sinceEpochMs, FREEZE_MS)];
}
