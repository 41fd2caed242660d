import { describe, expect, it } from 'vitest';

import {
  CAPTION_CHOICE_STORAGE_KEY,
  CAPTION_SETTINGS_STORAGE_KEY,
  loadCaptionChoice,
  saveCaptionChoice,
  DEFAULT_CAPTION_SETTINGS,
  loadCaptionSettings,
  sanitiseCaptionSettings,
  saveCaptionSettings,
  type SettingsStorage,
} from './caption-settings';

function memoryStorage(initial: Record<string, string> = {}): SettingsStorage & { items: Map<string, string> } {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
  };
}

describe('caption settings', () => {
  it('default to BBC guidance: white on a 75 % black backing box', () => {
    expect(loadCaptionSettings(memoryStorage())).toEqual(DEFAULT_CAPTION_SETTINGS);
    expect(DEFAULT_CAPTION_SETTINGS).toMatchObject({ textColour: '#ffffff', backgroundColour: '#000000', backgroundOpacity: 0.75, size: 100 });
  });

  it('survive a save and a load', () => {
    const storage = memoryStorage();
    const chosen = { ...DEFAULT_CAPTION_SETTINGS, size: 150, textColour: '#ffff00', edge: 'outline' as const, font: 'serif' as const, position: 'top' as const, windowOpacity: 0.5 };
    expect(saveCaptionSettings(storage, chosen)).toBe(true);
    expect(loadCaptionSettings(storage)).toEqual(chosen);
  });

  it('keep each valid stored field and default each invalid one', () => {
    const stored = {
      size: 1000, // clamped to 200
      textColour: '#FF0000', // case folded
      textOpacity: 2, // out of range: default
      backgroundColour: 'red', // not #rrggbb: default
      backgroundOpacity: 0.5,
      windowColour: '#00ff00',
      windowOpacity: -1,
      edge: 'glow', // unknown: default
      font: 'mono',
      position: 'top',
      extra: '<script>',
    };
    expect(sanitiseCaptionSettings(stored)).toEqual({
      size: 200, textColour: '#ff0000', textOpacity: 1, backgroundColour: '#000000', backgroundOpacity: 0.5,
      windowColour: '#00ff00', windowOpacity: 0, edge: 'none', font: 'mono', position: 'top',
    });
    expect(sanitiseCaptionSettings({ size: 10 }).size).toBe(50);
    expect(sanitiseCaptionSettings({ size: 112.4 }).size).toBe(112);
    expect(sanitiseCaptionSettings(null)).toEqual(DEFAULT_CAPTION_SETTINGS);
    expect(sanitiseCaptionSettings([1, 2])).toEqual(DEFAULT_CAPTION_SETTINGS);
  });

  it('fall back to the defaults for unreadable, oversized or refused storage', () => {
    expect(loadCaptionSettings(memoryStorage({ [CAPTION_SETTINGS_STORAGE_KEY]: '{not json' }))).toEqual(DEFAULT_CAPTION_SETTINGS);
    expect(loadCaptionSettings(memoryStorage({ [CAPTION_SETTINGS_STORAGE_KEY]: `{"size":150${' '.repeat(5000)}}` }))).toEqual(DEFAULT_CAPTION_SETTINGS);
    const denied: SettingsStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(loadCaptionSettings(denied)).toEqual(DEFAULT_CAPTION_SETTINGS);
    expect(saveCaptionSettings(denied, DEFAULT_CAPTION_SETTINGS)).toBe(false);
    expect(loadCaptionSettings(null)).toEqual(DEFAULT_CAPTION_SETTINGS);
  });

  it('keep the viewer\'s caption choice (on or off, language), checked like the settings', () => {
    const storage = memoryStorage();
    expect(loadCaptionChoice(storage)).toEqual({});
    expect(saveCaptionChoice(storage, { captions: true, captionsLanguage: 'cy' })).toBe(true);
    expect(loadCaptionChoice(storage)).toEqual({ captions: true, captionsLanguage: 'cy' });
    storage.items.set(CAPTION_CHOICE_STORAGE_KEY, JSON.stringify({ captions: 'yes', captionsLanguage: 'en-GB-x-<b>' }));
    expect(loadCaptionChoice(storage)).toEqual({});
    storage.items.set(CAPTION_CHOICE_STORAGE_KEY, JSON.stringify({ captions: false, captionsLanguage: 'pt-BR' }));
    expect(loadCaptionChoice(storage)).toEqual({ captions: false, captionsLanguage: 'pt-BR' });
  });
});
