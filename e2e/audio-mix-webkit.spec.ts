// The offline mix of the PCM fixture in WebKit (WebKitGTK through WebKitWebDriver), on the page
// e2e/audio-mix.spec.ts uses: the same hash as Node and the other browsers.
import { expect, test } from '@playwright/test';

import golden from '../src/engine/golden.json' with { type: 'json' };
import { DEV_URL } from '../playwright.config';
import { WebKitSession, webkitAvailable } from './support/webkit-webdriver';

test('WebKit: the offline mix of the PCM fixture hashes as in Node', async () => {
  test.skip(!webkitAvailable(), 'WebKitWebDriver, Xvfb or MiniBrowser not installed (npm test installs them on Debian)');
  test.setTimeout(120_000);
  const session = await WebKitSession.start();
  try {
    await session.navigate(`${DEV_URL}/e2e/pages/audio-mix.html`);
    const result = await session.waitFor<Record<string, string>>(
      'const d = document.body.dataset; return d.sha256 || d.error ? { ...d } : null;',
      { timeoutMs: 90_000, message: 'the offline mix did not finish' },
    );
    expect(result.error, 'the mix failed in the page').toBeUndefined();
    test.info().annotations.push({ type: 'hash', description: `WebKit ${result.tier}: ${result.sha256}` });
    expect(result.sha256).toBe(golden.audioMix.sha256);
  } finally {
    await session.close();
  }
});
