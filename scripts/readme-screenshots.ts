// The README's screenshots of the player, landscape and portrait, on the demo programme:
//   npx vite build --outDir build/shots && npx vite preview --outDir build/shots --port 4180 &
//   npx tsx scripts/readme-screenshots.ts http://127.0.0.1:4180
// Chromium (Debian's) at a desktop window and a phone's; the demo paused in the "objects" scene
// with captions on (English), settings open in portrait.
import { chromium } from '@playwright/test';

import { CHROMIUM_ARGS } from '../src/testing/chromium-args';

const base = process.argv[2] ?? 'http://127.0.0.1:4173';
const shots = [
  { file: 'docs/screenshots/player-landscape.png', viewport: { width: 1280, height: 1000 }, query: '?at=40&paused&captions=on&lang=en' },
  { file: 'docs/screenshots/player-portrait.png', viewport: { width: 390, height: 844 }, query: '?at=40&paused&captions=on&lang=cy' },
];

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  for (const shot of shots) {
    const page = await browser.newPage({ viewport: shot.viewport, deviceScaleFactor: 1 });
    await page.goto(`${base}/${shot.query}`);
    // The paused frame has been composed and drawn once the worker reports it.
    await page.waitForFunction(() => document.querySelector('.stage-canvas') !== null);
    await page.waitForFunction(async () => (await window.tesseraPlayer?.capture().catch(() => null)) != null, undefined, { timeout: 60_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: shot.file, fullPage: false });
    console.log(`wrote ${shot.file}`);
    await page.close();
  }
} finally {
  await browser.close();
}
