// What the player remembers between visits: preferences (with the first version's keys migrated)
// and, per programme, the resume point and choices — against a fake Storage, including storage
// that refuses, corrupt and oversized data.
import { describe, expect, it } from 'vitest';

import { DEFAULT_CAPTION_SETTINGS } from './caption-settings';
import {
  forgetResumePoint,
  LEGACY_CAPTION_CHOICE_KEY,
  LEGACY_CAPTION_SETTINGS_KEY,
  loadPreferences,
  loadResumePoint,
  MAX_PROGRAMMES,
  PREFERENCES_KEY,
  PROGRAMMES_KEY,
  rememberPreferences,
  saveResumePoint,
  type PreferenceStorage,
} from './preferences';

function fakeStorage(initial: Record<string, string> = {}): PreferenceStorage & { items: Map<string, string> } {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

const refusing: PreferenceStorage = {
  getItem: () => {
    throw new Error('SecurityError');
  },
  setItem: () => {
    throw new Error('QuotaExceededError');
  },
  removeItem: () => {
    throw new Error('SecurityError');
  },
};

describe('preferences', () => {
  it('default to the BBC caption style and an empty context', () => {
    expect(loadPreferences(fakeStorage())).toEqual({ captionSettings: DEFAULT_CAPTION_SETTINGS, context: {} });
    expect(loadPreferences(null)).toEqual({ captionSettings: DEFAULT_CAPTION_SETTINGS, context: {} });
  });

  it('survive a save and a load, keeping only the viewer\'s preference keys', () => {
    const storage = fakeStorage();
    const settings = { ...DEFAULT_CAPTION_SETTINGS, size: 150, edge: 'outline' as const, font: 'serif' as const };
    expect(rememberPreferences(storage, { captionSettings: settings })).toBe(true);
    expect(rememberPreferences(storage, { context: { language: 'cy', captionsLanguage: 'cy', signLanguage: true, dialogueBalance: 0.5 } })).toBe(true);
    // Situational and programme-specific keys are not preferences.
    expect(rememberPreferences(storage, { context: { timeAvailable: 60, timeOfDay: 9, choices: { access: 'audio' }, audioDescription: true } })).toBe(true);
    expect(loadPreferences(storage)).toEqual({
      captionSettings: settings,
      context: { language: 'cy', captionsLanguage: 'cy', signLanguage: true, dialogueBalance: 0.5, audioDescription: true },
    });
    // undefined forgets a key (e.g. the layout back to automatic).
    rememberPreferences(storage, { context: { orientation: 'portrait' } });
    expect(loadPreferences(storage).context.orientation).toBe('portrait');
    rememberPreferences(storage, { context: { orientation: undefined } });
    expect(loadPreferences(storage).context).not.toHaveProperty('orientation');
    expect(JSON.parse(storage.items.get(PREFERENCES_KEY)!)).toMatchObject({ version: 1 });
  });

  it('migrate the first version\'s caption keys once, without losing them', () => {
    const settings = { ...DEFAULT_CAPTION_SETTINGS, size: 175, textColour: '#ffff00' };
    const storage = fakeStorage({
      [LEGACY_CAPTION_SETTINGS_KEY]: JSON.stringify(settings),
      [LEGACY_CAPTION_CHOICE_KEY]: JSON.stringify({ captions: true, captionsLanguage: 'cy' }),
    });
    const expected = { captionSettings: settings, context: { captions: true, captionsLanguage: 'cy' } };
    expect(loadPreferences(storage)).toEqual(expected);
    expect(storage.items.has(LEGACY_CAPTION_SETTINGS_KEY)).toBe(false);
    expect(storage.items.has(LEGACY_CAPTION_CHOICE_KEY)).toBe(false);
    expect(loadPreferences(storage)).toEqual(expected); // now from the new key
    // Only one of the old keys, and a bad value in it.
    const partial = fakeStorage({ [LEGACY_CAPTION_CHOICE_KEY]: JSON.stringify({ captions: 'yes', captionsLanguage: 'en-GB-x-<b>' }) });
    expect(loadPreferences(partial)).toEqual({ captionSettings: DEFAULT_CAPTION_SETTINGS, context: {} });
  });

  it('read corrupt, oversized, other-version or refused storage as the defaults', () => {
    const defaults = { captionSettings: DEFAULT_CAPTION_SETTINGS, context: {} };
    expect(loadPreferences(fakeStorage({ [PREFERENCES_KEY]: '{not json' }))).toEqual(defaults);
    expect(loadPreferences(fakeStorage({ [PREFERENCES_KEY]: JSON.stringify({ version: 1, context: { language: 'x'.repeat(9000) } }) }))).toEqual(defaults);
    expect(loadPreferences(fakeStorage({ [PREFERENCES_KEY]: JSON.stringify({ version: 99, context: { captions: true } }) }))).toEqual(defaults);
    expect(loadPreferences(refusing)).toEqual(defaults);
    expect(rememberPreferences(refusing, { context: { captions: true } })).toBe(false);
    expect(rememberPreferences(null, { context: { captions: true } })).toBe(false);
    // Values of the wrong type are dropped one by one.
    const mixed = fakeStorage({
      [PREFERENCES_KEY]: JSON.stringify({ version: 1, captionSettings: { size: 120, edge: 'glow' }, context: { captions: 'on', signLanguage: true, language: '<img>' } }),
    });
    expect(loadPreferences(mixed)).toEqual({ captionSettings: { ...DEFAULT_CAPTION_SETTINGS, size: 120 }, context: { signLanguage: true } });
  });
});

describe('resume points', () => {
  it('remember the position and choices per programme URL, and forget a finished one', () => {
    const storage = fakeStorage();
    expect(loadResumePoint(storage, '/demo/programme.json')).toBeNull();
    expect(saveResumePoint(storage, '/demo/programme.json', { position: 42.5, choices: { access: 'audio' } }, 1000)).toBe(true);
    expect(saveResumePoint(storage, '/other.json', { position: 3, context: { timeAvailable: 60, language: 'cy' } }, 1001)).toBe(true);
    expect(loadResumePoint(storage, '/demo/programme.json')).toEqual({ position: 42.5, choices: { access: 'audio' } });
    // The viewing's own context (the 1-minute version) is kept with it; preferences are not.
    expect(loadResumePoint(storage, '/other.json')).toEqual({ position: 3, context: { timeAvailable: 60 } });
    expect(saveResumePoint(storage, '/demo/programme.json', { position: 50, choices: { access: 'audio' } }, 1002)).toBe(true);
    expect(loadResumePoint(storage, '/demo/programme.json')?.position).toBe(50);
    expect(forgetResumePoint(storage, '/demo/programme.json')).toBe(true);
    expect(loadResumePoint(storage, '/demo/programme.json')).toBeNull();
    expect(loadResumePoint(storage, '/other.json')).toEqual({ position: 3, context: { timeAvailable: 60 } });
  });

  it('keep only the most recently watched programmes', () => {
    const storage = fakeStorage();
    for (let i = 0; i < MAX_PROGRAMMES + 5; i++) saveResumePoint(storage, `/p${i}.json`, { position: i }, 1000 + i);
    expect(loadResumePoint(storage, '/p0.json')).toBeNull();
    expect(loadResumePoint(storage, '/p4.json')).toBeNull();
    expect(loadResumePoint(storage, '/p5.json')).toEqual({ position: 5 });
    expect(loadResumePoint(storage, `/p${MAX_PROGRAMMES + 4}.json`)).toEqual({ position: MAX_PROGRAMMES + 4 });
    const stored = JSON.parse(storage.items.get(PROGRAMMES_KEY)!) as { programmes: unknown[] };
    expect(stored.programmes).toHaveLength(MAX_PROGRAMMES);
    // Watching an old one again makes it recent: the least recent other one goes instead.
    saveResumePoint(storage, '/p5.json', { position: 6 }, 5000);
    saveResumePoint(storage, '/new.json', { position: 1 }, 5001);
    expect(loadResumePoint(storage, '/p5.json')).toEqual({ position: 6 });
    expect(loadResumePoint(storage, '/p6.json')).toBeNull();
  });

  it('tolerate corrupt entries, bad values and refused storage', () => {
    const storage = fakeStorage({
      [PROGRAMMES_KEY]: JSON.stringify({
        version: 1,
        programmes: [
          { url: '/a.json', position: -1, saved: 1 },
          { url: '/b.json', position: 'x', saved: 1 },
          null,
          { url: '/c.json', position: 7, saved: 1, choices: { access: 'audio', bad: 3, '<x>': 'y' } },
        ],
      }),
    });
    expect(loadResumePoint(storage, '/a.json')).toBeNull();
    expect(loadResumePoint(storage, '/b.json')).toBeNull();
    expect(loadResumePoint(storage, '/c.json')).toEqual({ position: 7, choices: { access: 'audio' } });
    expect(loadResumePoint(fakeStorage({ [PROGRAMMES_KEY]: '[' }), '/c.json')).toBeNull();
    expect(loadResumePoint(fakeStorage({ [PROGRAMMES_KEY]: 'x'.repeat(70_000) }), '/c.json')).toBeNull();
    expect(saveResumePoint(storage, '/d.json', { position: Number.NaN }, 1)).toBe(false);
    expect(saveResumePoint(refusing, '/d.json', { position: 1 }, 1)).toBe(false);
    expect(loadResumePoint(refusing, '/d.json')).toBeNull();
    expect(saveResumePoint(null, '/d.json', { position: 1 }, 1)).toBe(false);
  });
});
