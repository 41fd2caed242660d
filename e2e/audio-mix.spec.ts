// The engine's mix is the same bytes in every browser: the offline render of the PCM fixture with
// scripted control changes (src/engine/offline-mix.ts) hashes, in Chromium and Firefox and in both
// engine tiers, to the value Node gives (src/engine/golden.json audioMix; WebKit:
// e2e/audio-mix-webkit.spec.ts).
import { expect, test } from '@playwright/test';

import golden from '../src/engine/golden.json' with { type: 'json' };
import { DEV_URL } from '../playwright.config';

const PAGE_URL = `${DEV_URL}/e2e/pages/audio-mix.html`;

for (const tier of ['simd', 'scalar'] as const) {
  test(`the offline mix of the PCM fixture hashes as in Node (${tier} tier)`, async ({ page, browserName }) => {
    await page.goto(tier === 'scalar' ? `${PAGE_URL}?engine=scalar` : PAGE_URL);
    await page.waitForFunction(() => document.body.dataset.sha256 ?? document.body.dataset.error, null, { timeout: 60_000 });
    const result = await page.evaluate(() => ({ ...document.body.dataset }));
    expect(result.error, 'the mix failed in the page').toBeUndefined();
    expect(result.tier).toBe(tier);
    expect(result.frames).toBe(String(5 * 48_000));
    test.info().annotations.push({ type: 'hash', description: `${browserName} ${tier}: ${result.sha256}` });
    expect(result.sha256, `${browserName}: the mix differs from src/engine/golden.json audioMix`).toBe(golden.audioMix.sha256);
  });
}
