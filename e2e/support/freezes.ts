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
// Firefox's own audio path stops too, where no page timer sees it: its device callback stops for
// 0.1–15 s (measured: windows with 4,000–728,000 frames of output underrun while neither the page
// nor the worker stalled) and then drains the queue in a burst. The engine worker sees that as
// the output's clock (the context frame the worklet publishes) standing still while it ticks on
// time, and records each stop longer than the queue's 50 ms bound (AudioProducerStats
// outputStalls) and each underrun, with its time. A window is measured again when the device
// stopped for a second or more, or when an underrun came right after a shorter stop (the device
// caught up, taking more than any queue within the bound holds; Firefox here stops for 50–75 ms
// several times a minute). Any other underrun fails the test: a window that is kept has none.
import type { Page } from '@playwright/test';

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

/** The engine worker's record (AudioStatsReport.producer): its stalls, the output's stops, the underruns it saw. */
export interface StallRecord {
  stalls: Array<[number, number]>;
  outputStalls: Array<[number, number]>;
  underruns: Array<[number, number]>;
}

/** An underrun seen this soon after the output's clock moved again came from its catching up. */
export const CATCH_UP_MS = 100;

/**
 * What interrupted a window since `sinceEpochMs`, labelled (none: it measures the player): the
 * page's freezes (main-thread gaps of FREEZE_MS or more), the engine worker's (producer stalls of
 * FREEZE_MS or more), the audio device's stops of FREEZE_MS or more, and its shorter stops (longer
 * than the queue's 50 ms bound) that an underrun followed within CATCH_UP_MS: the device caught
 * up, taking more than any queue within the bound holds. Any other underrun fails the window.
 */
export async function windowFroze(page: Page, sinceEpochMs: number, record: StallRecord | null | undefined): Promise<string[]> {
  const ms = (gaps: number[], what: string) => gaps.map((gap) => `${what} ${gap} ms`);
  const stops = (record?.outputStalls ?? []).filter(([start, length]) => start + length > sinceEpochMs);
  const caughtUp = stops.filter(([start, length]) => length >= FREEZE_MS || (record?.underruns ?? []).some(([at]) => at >= start + length && at <= start + length + CATCH_UP_MS));
  return [
    ...ms(await freezesSince(page, sinceEpochMs), 'page froze'),
    ...ms(gapsIn(record?.stalls ?? [], sinceEpochMs, FREEZE_MS), 'worker froze'),
    ...caughtUp.map(([, length]) => `audio output stopped ${Math.round(length)} ms${length >= FREEZE_MS ? '' : ', then underran catching up'}`),
  ];
}
