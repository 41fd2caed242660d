// WebKit leg of the playback determinism test (e2e/playback.spec.ts (a) and a few strip checks,
// and the caption frames of e2e/captions.spec.ts):
// Playwright cannot drive WebKitGTK here, so MiniBrowser is driven through WebKitWebDriver with
// plain W3C WebDriver calls (e2e/support/webkit-webdriver.ts). The engine's frames must hash to
// the same golden values as in Chromium and Firefox. WebKitGTK decodes VP9 and H.264 through
// GStreamer, which needs gstreamer1.0-libav and gstreamer1.0-plugins-bad (scripts/setup.sh).
import { existsSync } from 'node:fs';
import { arch } from 'node:os';

import { expect, test } from '@playwright/test';

import { PREVIEW_URL } from '../playwright.config';
import golden from '../src/engine/golden.json' with { type: 'json' };
import {
  CHECKPOINTS,
  COMPOSE_PROGRAMME,
  GOLDEN_FRAMES,
  captureArgs,
  captureInPage,
  goldenMismatch,
  programmeUrl,
  readPlaybackState,
  readStrips,
  stripValue,
  type CapturedFrame,
  type PlaybackState,
} from './support/playback-page';
import { WebKitSession, webkitAvailable } from './support/webkit-webdriver';

test.describe.configure({ mode: 'serial' });

const GSTREAMER_DIR = `/usr/lib/${arch() === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/gstreamer-1.0`;
const gstreamerDecoders = () =>
  existsSync(`${GSTREAMER_DIR}/libgstlibav.so`) && existsSync(`${GSTREAMER_DIR}/libgstvideoparsersbad.so`);

test('WebKit: the compose fixture composes the golden bytes, and joins are frame-exact', async () => {
  test.skip(!webkitAvailable(), 'WebKitWebDriver, Xvfb or MiniBrowser not installed (npm test installs them on Debian)');
  test.skip(!gstreamerDecoders(), 'WebKit needs gstreamer1.0-libav and gstreamer1.0-plugins-bad to decode video (npm test installs them on Debian)');
  test.setTimeout(120_000);
  const session = await WebKitSession.start();
  const open = async (at: number): Promise<PlaybackState> => {
    await session.navigate(`${PREVIEW_URL}${programmeUrl(COMPOSE_PROGRAMME, at)}`);
    return session.waitFor<PlaybackState>(
      `const s = (${readPlaybackState.toString()})(); return s && (s.state === 'error' || (s.state === 'paused' && s.time === arguments[0] && s.sha256)) ? s : null;`,
      { timeoutMs: 45_000, args: [at] },
    );
  };
  const capture = (seekTo: number | null = null) =>
    session.execute<CapturedFrame>(`return (${captureInPage.toString()})(arguments[0]);`, [captureArgs(seekTo)]);
  try {
    const first = await open(0.5);
    expect(first.state, first.errorText).toBe('paused');

    // Run 1: seeks, as in playback.spec.ts (a); strips read on the way.
    const viaSeeks: Record<string, string> = {};
    for (const [label, time] of Object.entries(CHECKPOINTS)) {
      if (label === '2+1/30') {
        expect(stripValue(readStrips(await capture(7.5)).main)).toBe(90);
        expect(stripValue(readStrips(await capture(2)).main)).toBe(60);
      }
      const frame = await capture(label === '0.5' ? null : time);
      viaSeeks[label] = frame.sha256;
      const strips = readStrips(frame);
      if (label === '0.5') expect([stripValue(strips.main), stripValue(strips.pip)]).toEqual([15, 0]);
      if (label === '6+1/60') expect(stripValue(strips.main)).toBe(45); // the cut, on its first frame
      if (label === '2+1/30') expect([stripValue(strips.main), stripValue(strips.pip)]).toEqual([61, 46]);
    }
    const afterSeeks = await session.execute<PlaybackState>(`return (${readPlaybackState.toString()})();`);
    expect(afterSeeks).toMatchObject({ late: 0, mediaErrors: 0 });

    // Run 2: a fresh load at each time.
    const direct: Record<string, string> = {};
    for (const [label, time] of Object.entries(CHECKPOINTS)) {
      const state = await open(time);
      expect(state.state, state.errorText).toBe('paused');
      direct[label] = state.sha256;
    }
    test.info().annotations.push({ type: 'hashes', description: `WebKit ${session.browserVersion}: ${JSON.stringify(viaSeeks)}; first frame ${first.firstFrameMs} ms after navigation (${first.cadence})` });
    expect(direct, 'loading at a time and seeking to it give the same frame').toEqual(viaSeeks);
    expect(viaSeeks, goldenMismatch('WebKit', viaSeeks)).toEqual(GOLDEN_FRAMES);
  } finally {
    await session.close();
  }
});

test('WebKit: the captions fixture draws the golden caption frames, and the live region reads them', async () => {
  test.skip(!webkitAvailable(), 'WebKitWebDriver, Xvfb or MiniBrowser not installed (npm test installs them on Debian)');
  test.skip(!gstreamerDecoders(), 'WebKit needs gstreamer1.0-libav and gstreamer1.0-plugins-bad to decode video (npm test installs them on Debian)');
  test.setTimeout(120_000);
  const frames = golden.captionsFixture.frames as Record<string, string>;
  const session = await WebKitSession.start();
  try {
    const seen: Record<string, string> = {};
    for (const at of [1, 2.5, 4.5]) {
      await session.navigate(`${PREVIEW_URL}${programmeUrl('/fixtures/programmes/captions.json', at)}`);
      const state = await session.waitFor<PlaybackState>(
        `const s = (${readPlaybackState.toString()})(); return s && (s.state === 'error' || (s.state === 'paused' && s.time === arguments[0] && s.sha256)) ? s : null;`,
        { timeoutMs: 45_000, args: [at] },
      );
      expect(state.state, state.errorText).toBe('paused');
      seen[String(at)] = state.sha256;
      if (at === 1) {
        const live = await session.waitFor<string[]>(
          `const p = [...document.querySelectorAll('#captions-live p')].map((e) => e.textContent); return p.length === 2 ? p : null;`,
          { timeoutMs: 10_000 },
        );
        expect(live).toEqual(['This is clip A, frame by frame.', '[Narrator]']);
      }
    }
    test.info().annotations.push({ type: 'hashes', description: `WebKit captions: ${JSON.stringify(seen)}` });
    expect(seen).toEqual({ '1': frames['1'], '2.5': frames['2.5'], '4.5': frames['4.5'] });
  } finally {
    await session.close();
  }
});

test('WebKit: the captions features fixture (TTML, CJK, vertical, ruby, bidi) draws the golden frames', async () => {
  test.skip(!webkitAvailable(), 'WebKitWebDriver, Xvfb or MiniBrowser not installed (npm test installs them on Debian)');
  test.skip(!gstreamerDecoders(), 'WebKit needs gstreamer1.0-libav and gstreamer1.0-plugins-bad to decode video (npm test installs them on Debian)');
  test.setTimeout(180_000);
  const frames = golden.ttmlFixture.frames as Record<string, string>;
  const session = await WebKitSession.start();
  try {
    const seen: Record<string, string> = {};
    for (const at of [1.5, 3.6, 6.5, 8.2, 9.2, 11.5, 13.2, 15.6]) {
      await session.navigate(`${PREVIEW_URL}${programmeUrl('/fixtures/programmes/captions-ttml.json', at)}`);
      const state = await session.waitFor<PlaybackState>(
        `const s = (${readPlaybackState.toString()})(); return s && (s.state === 'error' || (s.state === 'paused' && s.time === arguments[0] && s.sha256)) ? s : null;`,
        { timeoutMs: 45_000, args: [at] },
      );
      expect(state.state, state.errorText).toBe('paused');
      seen[String(at)] = state.sha256;
    }
    test.info().annotations.push({ type: 'hashes', description: `WebKit TTML: ${JSON.stringify(seen)}` });
    expect(seen).toEqual(frames);
  } finally {
    await session.close();
  }
});
