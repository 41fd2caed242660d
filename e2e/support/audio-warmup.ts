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
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    const played = await page.evaluate(async () => (await window.tesseraPlayer!.audioProbe())?.stats.framesPlayed ?? 0);
    if (played > 0) return true;
    await page.waitForTimeout(50);
  }
  return false;
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
