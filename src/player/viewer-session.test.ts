// The context a visit starts with: preferences, then the resumed viewing, then the address, then
// the screen's orientation.
import { describe, expect, it } from 'vitest';

import { PREFERENCES_KEY, saveResumePoint, type PreferenceStorage } from './preferences';
import { launchContext, viewportOrientation } from './viewer-session';

function fakeStorage(initial: Record<string, string> = {}): PreferenceStorage {
  const items = new Map(Object.entries(initial));
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

const PROGRAMME = { url: '/demo/programme.json', at: 0, paused: false };
const LANDSCAPE = { width: 1280, height: 720 };

describe('launchContext', () => {
  it('takes the orientation from the screen unless it was set', () => {
    expect(viewportOrientation(390, 844)).toBe('portrait');
    expect(viewportOrientation(844, 390)).toBe('landscape');
    expect(viewportOrientation(500, 500)).toBe('landscape');
    expect(launchContext(null, '', PROGRAMME, { width: 390, height: 844 }).context).toEqual({ orientation: 'portrait' });
    expect(launchContext(null, '?orientation=landscape', PROGRAMME, { width: 390, height: 844 }).context).toEqual({ orientation: 'landscape' });
  });

  it('layers preferences, the resumed viewing and the address (the address wins)', () => {
    const storage = fakeStorage({
      [PREFERENCES_KEY]: JSON.stringify({ version: 1, context: { language: 'cy', signLanguage: true, orientation: 'portrait' } }),
    });
    saveResumePoint(storage, PROGRAMME.url, { position: 42, choices: { access: 'audio' }, context: { timeAvailable: 120 } }, 1);
    const launch = launchContext(storage, '?programme=/demo/programme.json&lang=en&duration=60', PROGRAMME, LANDSCAPE);
    expect(launch.context).toEqual({
      language: 'en',
      captionsLanguage: 'en',
      signLanguage: true,
      orientation: 'portrait',
      timeAvailable: 60,
      choices: { access: 'audio' },
    });
    expect(launch.base).toMatchObject({ language: 'cy', timeAvailable: 120 });
    expect(launch.programme).toEqual({ ...PROGRAMME, at: 42 });
    expect(launch.resumed?.position).toBe(42);
  });

  it('does not resume when the address names a time, or for another programme', () => {
    const storage = fakeStorage();
    saveResumePoint(storage, PROGRAMME.url, { position: 42, choices: { access: 'audio' } }, 1);
    const timed = launchContext(storage, '?at=5', { ...PROGRAMME, at: 5 }, LANDSCAPE);
    expect(timed.programme?.at).toBe(5);
    expect(timed.context.choices).toBeUndefined();
    expect(launchContext(storage, '', { ...PROGRAMME, url: '/other.json' }, LANDSCAPE).resumed).toBeNull();
    expect(launchContext(storage, '', null, LANDSCAPE).programme).toBeNull();
  });
});
