// The viewer's caption settings kept across reloads in localStorage (the settings themselves and
// their validation: src/engine/caption-settings.ts). What storage gives back is untrusted.
import { DEFAULT_CAPTION_SETTINGS, sanitiseCaptionSettings, type CaptionSettings } from '../engine/caption-settings';

export * from '../engine/caption-settings';

export const CAPTION_SETTINGS_STORAGE_KEY = 'tessera.captionSettings.v1';

/** The minimal storage this module needs (window.localStorage, or a stand-in in tests). */
export interface SettingsStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The saved settings, or the defaults when nothing (or nothing readable) was saved. */
export function loadCaptionSettings(storage: SettingsStorage | null): CaptionSettings {
  if (!storage) return { ...DEFAULT_CAPTION_SETTINGS };
  let text: string | null = null;
  try {
    text = storage.getItem(CAPTION_SETTINGS_STORAGE_KEY);
  } catch {
    return { ...DEFAULT_CAPTION_SETTINGS }; // storage denied (privacy settings): defaults
  }
  if (text === null || text.length > 4096) return { ...DEFAULT_CAPTION_SETTINGS };
  try {
    return sanitiseCaptionSettings(JSON.parse(text));
  } catch {
    return { ...DEFAULT_CAPTION_SETTINGS };
  }
}

/** Saves the settings; false when storage refused them (they still apply for this visit). */
export function saveCaptionSettings(storage: SettingsStorage | null, settings: CaptionSettings): boolean {
  if (!storage) return false;
  try {
    storage.setItem(CAPTION_SETTINGS_STORAGE_KEY, JSON.stringify(sanitiseCaptionSettings(settings)));
    return true;
  } catch {
    return false;
  }
}
