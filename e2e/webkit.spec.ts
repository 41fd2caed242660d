// WebKit leg of the determinism test: Playwright cannot drive WebKitGTK here, so this spec drives
// MiniBrowser through WebKitWebDriver (under Xvfb) with plain W3C WebDriver calls.
import { expect, test } from '@playwright/test';

import { PREVIEW_URL } from '../playwright.config';
import { GOLDEN_TEST_CARD_SHA256, hashMismatch, readFrameState, type FrameState } from './support/engine-page';
import { WebKitSession, webkitAvailable } from './support/webkit-webdriver';

test.describe.configure({ mode: 'serial' });

for (const tier of ['auto', 'scalar'] as const) {
  test(`WebKit: test card (${tier} engine) is identical to the golden frame`, async () => {
    test.skip(!webkitAvailable(), 'WebKitWebDriver, Xvfb or MiniBrowser not installed (npm test installs them on Debian)');
    const session = await WebKitSession.start();
    try {
      await session.navigate(`${PREVIEW_URL}/?testcard&verify=1${tier === 'scalar' ? '&engine=scalar' : ''}`);
      const state = await session.waitFor<FrameState>(`return (${readFrameState.toString()})();`, { timeoutMs: 45_000 });
      expect(state.status, state.text).toBe('ready');
      expect(state.tier).toBe(tier === 'auto' ? 'simd' : 'scalar');
      expect(state.sha256, hashMismatch(`WebKit (${tier})`, state.sha256)).toBe(GOLDEN_TEST_CARD_SHA256);
      expect(state.crossOriginIsolated).toBe(true);
      expect(state.presentedSha256, 'WebKit canvas read-back differs from the engine frame').toBe(GOLDEN_TEST_CARD_SHA256);
    } finally {
      await session.close();
    }
  });
}
