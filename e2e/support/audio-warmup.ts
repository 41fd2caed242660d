// Real-time audio tests measure steady playback, not the audio device's start: Firefox's audio
// backend can stall a content process for up to ~10 s the first time a browser opens a stream
// (measured on this machine, PulseAudio null sink: 479,104 frames of silence in the first test of
// a run, none after). warmUpAudio plays until the heard time runs in real time, and the test then
// seeks to where it measures from.
import { expect, type Page } from '@playwright/test';

/**
 * The programme time heard now (null: no audio). Only the number crosses to the test: a whole
 * probe (levels, frames) takes Firefox's driver long enough to serialise that a key pressed on
 * its answer came 0.2–0.4 s after the time it aimed at.
 */
export function heardNow(page: Page): Promise<number | null> {
  return page.evaluate(async () => (await window.tesseraPlayer!.audioProbe())?.stats.heardTime ?? null);
}

/**
 * Waits until the audio output has played a frame (after the gesture that resumes it): whether it
 * did within `timeoutMs`. Firefox's first stream can take over 10 s (above).
 */
export async function audioStarts(page: Page, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const started = async () => {
    while (Date.now() < deadline) {
      const played = await page.evaluate(async () => (await window.tesseraPlayer!.audioProbe())?.stats.framesPlayed ?? 0);
      if (played > 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  };
  return answersWithin(started(), timeoutMs + 1000, 'the audio output starting').catch(() => false);
}

/**
 * `work`, or an error naming `what` if it has not settled in `timeoutMs`. Firefox's content
 * process has hung for minutes as its audio output started (a page.evaluate that never answered,
 * a 50 ms wait that never ended): bounded, such a test fails in seconds and runs again in a fresh
 * page instead of waiting out its own timeout.
 */
export async function answersWithin<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  work.catch(() => {}); // once abandoned, its failure (the page closed) is nobody's to report
  const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer from the page in ${timeoutMs} ms (the browser hung)`)), timeoutMs)));
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until the heard programme time has advanced ≥ 1 s within 1.25 s of wall time. */
export async function warmUpAudio(page: Page, timeoutMs = 40_000): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const read = async () => (await window.tesseraPlayer!.audioProbe())?.stats.heardTime ?? null;
          const first = await read();
          // Not heard (the programme ended while the device stalled): play it again.
          if (first === null) window.tesseraPlayer!.play();
          const started = performance.now();
          await new Promise((resolve) => setTimeout(resolve, 1000));
          const last = await read();
          const wall = (performance.now() - started) / 1000;
          if (first === null || last === null) return false;
          return last - first >= 0.95 && last - first <= wall * 1.05 + 0.05;
        }),
      { intervals: [0], timeout: timeoutMs, message: 'the audio plays steadily in real time' },
    )
    .toBe(true);
}
