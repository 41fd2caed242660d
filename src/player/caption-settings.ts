// The viewer's caption settings kept across reloads in localStorage (the settings themselves and
// their validation: src/engine/caption-settings.ts). What storage gives back is untrusted.
import { DEFAULT_CAPTION_SETTINGS, sanitiseCaptionSettings, type CaptionSettings } from '../engine/caption-settings';
import type { ViewerContext } from './protocol';

export * from '../engine/caption-settings';

export const CAPTION_SETTINGS_STORAGE_KEY = 'tessera.captionSettings.v1';
/** Captions on or off and their language, as the viewer last chose (the rest of the context is not stored). */
export const CAPTION_CHOICE_STORAGE_KEY = 'tessera.captionChoice.v1';

const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$/;

/** The caption keys of a viewer context from untrusted data: a boolean and a BCP 47-shaped tag. */
export function sanitiseCaptionChoice(value: unknown): ViewerContext {
  const v = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const out: ViewerContext = {};
  if (typeof v.captions === 'boolean') out.captions = v.captions;
  if (typeof v.captionsLanguage === 'string' && LANGUAGE_TAG.test(v.captionsLanguage)) out.captionsLanguage = v.captionsLanguage;
  return out;
}

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

function readJson(storage: SettingsStorage | null, key: string): unknown {
  if (!storage) return null;
  try {
    const text = storage.getItem(key);
    return text !== null && text.length <= 4096 ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

/** The viewer's last caption choice (on or off, language); {} when none was saved. */
export function loadCaptionChoice(storage: SettingsStorage | null): ViewerContext {
  return sanitiseCaptionChoice(readJson(storage, CAPTION_CHOICE_STORAGE_KEY));
}

export function saveCaptionChoice(storage: SettingsStorage | null, choice: ViewerContext): boolean {
  if (!storage) return false;
  try {
    storage.setItem(CAPTION_CHOICE_STORAGE_KEY, JSON.stringify(sanitiseCaptionChoice(choice)));
    return true;
  } catch {
    return false;
  }
}
