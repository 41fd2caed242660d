// The first real picture, end to end in Chromium and Firefox: the wasm engine in a worker draws
// the test card, the canvas shows exactly those bytes, and they hash to the golden value.
import { expect, test, type Page } from '@playwright/test';

import { DEV_URL } from '../playwright.config';
import { CONTENT_SECURITY_POLICY } from '../vite.config';
import { GOLDEN_TEST_CARD_SHA256, hashMismatch, readFrameState, type FrameState } from './support/engine-page';
import { collectProblems } from './support/problems';

async function frameState(page: Page): Promise<FrameState> {
  const handle = await page.waitForFunction(readFrameState, null, { timeout: 30_000 });
  return (await handle.jsonValue()) as FrameState;
}

for (const tier of ['auto', 'scalar'] as const) {
  test(`test card (${tier} engine) is identical to the golden frame and presented exactly`, async ({ page, browserName }) => {
    const problems = collectProblems(page);
    const response = await page.goto(`/?testcard&verify=1${tier === 'scalar' ? '&engine=scalar' : ''}`);
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);

    const state = await frameState(page);
    expect(state.status, state.text).toBe('ready');
    expect(state.tier).toBe(tier === 'auto' ? 'simd' : 'scalar');
    expect(state.sha256, hashMismatch(`${browserName} (${tier})`, state.sha256)).toBe(GOLDEN_TEST_CARD_SHA256);
    // The canvas read back in the worker holds the same bytes: nothing between engine and screen
    // (colour management, premultiplication, scaling) altered them.
    expect(state.presentedSha256).toBe(GOLDEN_TEST_CARD_SHA256);
    expect(state.crossOriginIsolated).toBe(true);
    expect(problems).toEqual([]);
  });
}

test('the readout shows the engine build and frame time, and re-rendering gives the same frame', async ({ page }) => {
  await page.goto('/?testcard');
  const readout = page.locator('#frame-readout');
  await expect(readout).toContainText('wasm SIMD');
  await expect(readout).toContainText(/frame\s*:?\s*\d+\.\d\d ms/);
  const first = await readout.getAttribute('data-sha256');
  await page.getByRole('button', { name: 'Render again' }).click();
  await expect(readout).toContainText(/median \d+\.\d\d ms/);
  await expect(readout).toHaveAttribute('data-sha256', first ?? 'missing');
  await expect(page.getByRole('img', { name: /Engine test card/ })).toBeVisible();
});

test('the engine runs in a worker, not on the main thread', async ({ page }) => {
  await page.goto('/?testcard');
  await frameState(page);
  // The main thread never loads the wasm module: no .wasm resource is fetched by the document.
  const mainThreadWasm = await page.evaluate(() =>
    performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).length,
  );
  expect(mainThreadWasm).toBe(0);
  expect(page.workers().length).toBeGreaterThanOrEqual(1);
});

test('a broken engine start is reported in plain language', async ({ page }) => {
  await page.route('**/fonts/DejaVuSans.ttf', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto('/?testcard');
  const state = await frameState(page);
  expect(state.status).toBe('error');
  await expect(page.locator('#frame-readout')).toContainText('The engine could not start');
  await expect(page.locator('#frame-readout')).toContainText('HTTP 404');
});

test('the dev server (npm start) serves the same picture', async ({ page, browserName }) => {
  await page.goto(`${DEV_URL}/?testcard&verify=1`);
  const state = await frameState(page);
  expect(state.sha256, hashMismatch(`${browserName} (dev server)`, state.sha256)).toBe(GOLDEN_TEST_CARD_SHA256);
  expect(state.presentedSha256).toBe(GOLDEN_TEST_CARD_SHA256);
});
