// Captions in the browser (fixtures/programmes/captions.json): the engine draws them, so each
// frame hashes the same in every browser (src/engine/golden.json captionsFixture); the live
// region gives their text to screen readers; the viewer's caption settings apply to the next
// frame and survive a reload.
import { expect, test, type Page } from '@playwright/test';

import golden from '../src/engine/golden.json' with { type: 'json' };
import { captureArgs, captureInPage, pausedAt, programmeUrl, readPlaybackState, type PlaybackState } from './support/playback-page';
import { collectProblems } from './support/problems';

const PROGRAMME = '/fixtures/programmes/captions.json';
const FRAMES = golden.captionsFixture.frames as Record<string, string>;
const TTML_PROGRAMME = '/fixtures/programmes/captions-ttml.json';
const TTML_FRAMES = golden.ttmlFixture.frames as Record<string, string>;

async function openPaused(page: Page, at: number): Promise<void> {
  await page.goto(programmeUrl(PROGRAMME, at));
  await page.waitForFunction(pausedAt, at, { timeout: 30_000 });
}

async function state(page: Page): Promise<PlaybackState> {
  return (await (await page.waitForFunction(readPlaybackState, null, { timeout: 30_000 })).jsonValue()) as PlaybackState;
}

async function frameAt(page: Page, time: number): Promise<string> {
  const frame = await page.evaluate(captureInPage, captureArgs(time));
  expect(frame.time).toBe(time);
  return frame.sha256;
}

/** The hash of the last settled frame, as the frame readout shows it. */
function readoutHash(page: Page): Promise<string | undefined> {
  return page.evaluate(() => document.getElementById('frame-readout')?.dataset.sha256);
}

/** Waits until the live region's paragraphs are exactly `expected`. */
async function expectLiveText(page: Page, expected: string[]): Promise<void> {
  const region = page.locator('#captions-live');
  await expect(region).toHaveAttribute('aria-live', 'polite');
  await expect.poll(() => region.locator('p').allTextContents(), { timeout: 10_000 }).toEqual(expected);
}

test.describe('captions', () => {
  // Each test has a fresh browser context: no caption settings stored yet.

  test('the engine draws the same caption pixels in every browser, and the live region reads them', async ({ page, browserName }) => {
    const problems = collectProblems(page);
    await openPaused(page, 1);
    await expectLiveText(page, ['This is clip A, frame by frame.', '[Narrator]']);
    const seen: Record<string, string> = { '1': (await state(page)).sha256 };
    for (const time of [2.5, 4.5]) seen[String(time)] = await frameAt(page, time);
    await expectLiveText(page, ['Two lines of captions,\nthe second under the first.', '[Narrator, quietly]']);
    test.info().annotations.push({ type: 'hashes', description: `${browserName}: ${JSON.stringify(seen)}` });
    const expected = { '1': FRAMES['1'], '2.5': FRAMES['2.5'], '4.5': FRAMES['4.5'] };
    expect(seen, `${browserName}: caption frames differ from src/engine/golden.json captionsFixture`).toEqual(expected);
    expect(problems).toEqual([]);
  });

  test('TTML (EBU-TT-D, IMSC 1.1) and WebVTT vertical, ruby and bidi drawn by the engine: the same pixels in every browser', async ({ page, browserName }) => {
    const problems = collectProblems(page);
    await page.goto(programmeUrl(TTML_PROGRAMME, 1.5));
    await page.waitForFunction(pausedAt, 1.5, { timeout: 30_000 });
    await expectLiveText(page, ["Croeso i Gymru.\nMae'r môr yn ŵyllt heddiw."]);
    const seen: Record<string, string> = { '1.5': (await state(page)).sha256 };
    // 8.2 shows Japanese with ruby: the engine asks for the CJK fallback font before drawing it;
    // 11.5 a vertical (tbrl) region; 13.2 and 15.6 WebVTT vertical cues, ruby and bidi.
    for (const time of [3.6, 6.5, 8.2, 9.2, 11.5, 13.2, 15.6]) seen[String(time)] = await frameAt(page, time);
    await expectLiveText(page, [
      '縦書きの字幕 and Latin',
      'Sideways, from the left',
      '漢字かんじ and Tesseramosaic',
      'שלום (1) עולם, hello 2026!',
      'Sut mae?',
      'Da iawn, diolch.',
      'Percent line',
    ]);
    test.info().annotations.push({ type: 'hashes', description: `${browserName}: ${JSON.stringify(seen)}` });
    expect(seen, `${browserName}: TTML frames differ from src/engine/golden.json ttmlFixture`).toEqual(TTML_FRAMES);
    expect(problems).toEqual([]);
  });

  test('caption settings apply to the next frame and are kept across a reload', async ({ page }) => {
    const problems = collectProblems(page);
    await page.goto(programmeUrl(PROGRAMME, 1));
    await page.waitForFunction(pausedAt, 1, { timeout: 30_000 });
    const before = (await state(page)).sha256;
    expect(before).toBe(FRAMES['1']);

    await page.locator('#caption-settings summary').click();
    await page.getByLabel('Text size').fill('150');
    await page.getByLabel('Text edge').selectOption('outline');
    await page.getByLabel('Caption position').selectOption('top');
    // The paused frame is composed again with the new settings.
    await expect.poll(() => readoutHash(page), { timeout: 10_000 }).toBe(FRAMES['1 with settings']);

    // A reload keeps them: the panel shows them and the first frame is drawn with them.
    await page.reload();
    await page.waitForFunction(pausedAt, 1, { timeout: 30_000 });
    expect((await state(page)).sha256).toBe(FRAMES['1 with settings']);
    await page.locator('#caption-settings summary').click();
    await expect(page.getByLabel('Text size')).toHaveValue('150');
    await expect(page.getByLabel('Text edge')).toHaveValue('outline');
    await expect(page.getByLabel('Caption position')).toHaveValue('top');

    // Reset gives the defaults (and their frame) back.
    await page.getByRole('button', { name: 'Reset caption settings' }).click();
    await expect.poll(() => readoutHash(page), { timeout: 10_000 }).toBe(FRAMES['1']);
    expect(problems).toEqual([]);
  });

  test('the viewer picks the caption language and turns captions off; the choice is kept', async ({ page }) => {
    const problems = collectProblems(page);
    await openPaused(page, 1);
    await expectLiveText(page, ['This is clip A, frame by frame.', '[Narrator]']);
    await page.getByLabel('Caption language').selectOption('cy');
    await expectLiveText(page, ['Dyma glip A, ffrâm wrth ffrâm.', '[Narrator]']);
    await page.reload();
    await page.waitForFunction(pausedAt, 1, { timeout: 30_000 });
    await expectLiveText(page, ['Dyma glip A, ffrâm wrth ffrâm.', '[Narrator]']);
    await expect(page.getByLabel('Caption language')).toHaveValue('cy');
    await page.getByLabel('Captions', { exact: true }).uncheck();
    await expectLiveText(page, []);
    await page.reload();
    await page.waitForFunction(pausedAt, 1, { timeout: 30_000 });
    await expect(page.getByLabel('Captions', { exact: true })).not.toBeChecked();
    await expectLiveText(page, []);
    expect(problems).toEqual([]);
  });
});
