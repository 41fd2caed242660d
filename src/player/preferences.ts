// What the player remembers between visits, in localStorage:
//
// - the viewer's preferences (tessera.preferences): caption settings, and the context choices that
//   describe the viewer rather than one viewing — language, captions and their language, sign
//   language, audio description, dialogue balance, and a layout they picked themselves. Not kept:
//   timeAvailable (how long they have today), timeOfDay and the like (the moment), choices and
//   programme-specific variables (they belong to one programme).
// - per programme (tessera.programmes, keyed by the programme's URL): where the viewer was and the
//   choices they made, so a reload resumes the same viewing. The most recently used
//   MAX_PROGRAMMES are kept; a programme watched to its end is forgotten (the next viewing starts
//   afresh and asks its questions again).
//
// Each value is versioned JSON. Everything read back is untrusted: missing, corrupt, oversized or
// other-version data reads as nothing, and storage that refuses (privacy modes) makes the
// functions return defaults / false — the settings then last for the visit. The keys of the
// first version (caption settings and caption choice) are migrated on first load.
import { DEFAULT_CAPTION_SETTINGS, sanitiseCaptionSettings, type CaptionSettings } from '../engine/caption-settings';
import { sanitiseChoices, sanitiseViewerContext } from './context-variables';
import type { ViewerContext } from './protocol';

/** The minimal storage these functions need (window.localStorage, or a stand-in in tests). */
export interface PreferenceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const PREFERENCES_KEY = 'tessera.preferences';
export const PROGRAMMES_KEY = 'tessera.programmes';
/** The version written in each value; a value of another version is ignored. */
export const STORAGE_VERSION = 1;
/** The keys written by earlier versions of the player (migrated into PREFERENCES_KEY). */
export const LEGACY_CAPTION_SETTINGS_KEY = 'tessera.captionSettings.v1';
export const LEGACY_CAPTION_CHOICE_KEY = 'tessera.captionChoice.v1';

/** The context keys that are the viewer's preferences (see above). */
export const REMEMBERED_CONTEXT_KEYS: readonly string[] = Object.freeze([
  'language',
  'captions',
  'captionsLanguage',
  'signLanguage',
  'audioDescription',
  'dialogueBalance',
  'orientation',
]);

export const MAX_PROGRAMMES = 20;
const MAX_PREFERENCES_CHARS = 8 * 1024;
const MAX_PROGRAMMES_CHARS = 64 * 1024;
const MAX_URL_CHARS = 2048;

export interface Preferences {
  captionSettings: CaptionSettings;
  /** Only REMEMBERED_CONTEXT_KEYS. */
  context: ViewerContext;
}

/** Where a viewing of a programme had got to. */
export interface ResumePoint {
  /** Programme seconds. */
  position: number;
  /** Scene id → option id taken. */
  choices?: Record<string, string>;
  /** The viewing's own context values (timeAvailable, programme-specific variables): not preferences. */
  context?: ViewerContext;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function readJson(storage: PreferenceStorage | null, key: string, maxChars: number): unknown {
  if (!storage) return null;
  try {
    const text = storage.getItem(key);
    return text !== null && text.length <= maxChars ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null; // refused, or not JSON
  }
}

function writeJson(storage: PreferenceStorage | null, key: string, value: unknown): boolean {
  if (!storage) return false;
  try {
    storage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false; // refused, or full
  }
}

function rememberedContext(context: unknown): ViewerContext {
  const clean = sanitiseViewerContext(context);
  const out: ViewerContext = {};
  for (const key of REMEMBERED_CONTEXT_KEYS) if (clean[key] !== undefined) out[key] = clean[key];
  return out;
}

function defaults(): Preferences {
  return { captionSettings: { ...DEFAULT_CAPTION_SETTINGS }, context: {} };
}

/** The first version's keys, if any were saved: their settings in this version's shape. */
function legacyPreferences(storage: PreferenceStorage): Preferences | null {
  const settings = readJson(storage, LEGACY_CAPTION_SETTINGS_KEY, 4096);
  const choice = readJson(storage, LEGACY_CAPTION_CHOICE_KEY, 4096);
  if (settings === null && choice === null) return null;
  const out = defaults();
  if (isRecord(settings)) out.captionSettings = sanitiseCaptionSettings(settings);
  if (isRecord(choice)) {
    const context = rememberedContext(choice);
    if (context.captions !== undefined) out.context.captions = context.captions;
    if (context.captionsLanguage !== undefined) out.context.captionsLanguage = context.captionsLanguage;
  }
  return out;
}

/**
 * The viewer's saved preferences, or the defaults. The first time it runs after an update, the
 * old keys' settings are moved into the new key (and the old keys removed once that is written).
 */
export function loadPreferences(storage: PreferenceStorage | null): Preferences {
  if (!storage) return defaults();
  const saved = readJson(storage, PREFERENCES_KEY, MAX_PREFERENCES_CHARS);
  if (isRecord(saved) && saved.version === STORAGE_VERSION) {
    return { captionSettings: sanitiseCaptionSettings(saved.captionSettings ?? {}), context: rememberedContext(saved.context) };
  }
  const legacy = legacyPreferences(storage);
  if (!legacy) return defaults();
  if (savePreferences(storage, legacy)) {
    try {
      storage.removeItem(LEGACY_CAPTION_SETTINGS_KEY);
      storage.removeItem(LEGACY_CAPTION_CHOICE_KEY);
    } catch {
      // they are ignored from now on anyway
    }
  }
  return legacy;
}

export function savePreferences(storage: PreferenceStorage | null, preferences: Preferences): boolean {
  return writeJson(storage, PREFERENCES_KEY, {
    version: STORAGE_VERSION,
    captionSettings: sanitiseCaptionSettings(preferences.captionSettings),
    context: rememberedContext(preferences.context),
  });
}

/**
 * Remembers a change the viewer made: new caption settings, and/or context values (only the
 * preference keys are kept; a key set to undefined is forgotten). Returns false when storage
 * refused (the change still applies for this visit).
 */
export function rememberPreferences(storage: PreferenceStorage | null, change: { captionSettings?: CaptionSettings; context?: ViewerContext }): boolean {
  if (!storage) return false;
  const current = loadPreferences(storage);
  const context: ViewerContext = { ...current.context };
  for (const [key, value] of Object.entries(change.context ?? {})) {
    if (!REMEMBERED_CONTEXT_KEYS.includes(key)) continue;
    if (value === undefined) delete context[key];
    else context[key] = value;
  }
  return savePreferences(storage, { captionSettings: change.captionSettings ?? current.captionSettings, context });
}

// ---- Per programme ---------------------------------------------------------------------------

interface ProgrammeEntry extends ResumePoint {
  url: string;
  /** When it was last saved (epoch ms): the least recent is forgotten first. */
  saved: number;
}

function readEntries(storage: PreferenceStorage | null): ProgrammeEntry[] {
  const saved = readJson(storage, PROGRAMMES_KEY, MAX_PROGRAMMES_CHARS);
  if (!isRecord(saved) || saved.version !== STORAGE_VERSION || !Array.isArray(saved.programmes)) return [];
  const out: ProgrammeEntry[] = [];
  for (const entry of saved.programmes as unknown[]) {
    if (!isRecord(entry)) continue;
    const { url, position, saved: when } = entry;
    if (typeof url !== 'string' || url === '' || url.length > MAX_URL_CHARS) continue;
    if (typeof position !== 'number' || !Number.isFinite(position) || position < 0) continue;
    if (typeof when !== 'number' || !Number.isFinite(when)) continue;
    if (out.some((e) => e.url === url)) continue;
    out.push({ url, saved: when, ...resumePoint(position, entry.choices, entry.context) });
  }
  return out;
}

function writeEntries(storage: PreferenceStorage | null, entries: ProgrammeEntry[]): boolean {
  const kept = [...entries].sort((a, b) => b.saved - a.saved).slice(0, MAX_PROGRAMMES);
  return writeJson(storage, PROGRAMMES_KEY, { version: STORAGE_VERSION, programmes: kept });
}

/** A resume point from untrusted parts: choices and the viewing's context checked, preferences left out. */
function resumePoint(position: number, choices: unknown, context: unknown): ResumePoint {
  const point: ResumePoint = { position };
  const cleanChoices = sanitiseChoices(choices);
  if (cleanChoices) point.choices = cleanChoices;
  const viewing = sanitiseViewerContext(context);
  delete viewing.choices;
  for (const key of REMEMBERED_CONTEXT_KEYS) delete viewing[key];
  if (Object.keys(viewing).length > 0) point.context = viewing;
  return point;
}

/** Where the viewer was in this programme (its URL), or null. */
export function loadResumePoint(storage: PreferenceStorage | null, url: string): ResumePoint | null {
  const entry = readEntries(storage).find((e) => e.url === url);
  if (!entry) return null;
  return resumePoint(entry.position, entry.choices, entry.context);
}

/** Saves where the viewer is in a programme; the least recently saved beyond MAX_PROGRAMMES are dropped. */
export function saveResumePoint(storage: PreferenceStorage | null, url: string, point: ResumePoint, nowMs: number): boolean {
  if (!storage || url === '' || url.length > MAX_URL_CHARS || !Number.isFinite(point.position) || point.position < 0) return false;
  const entry: ProgrammeEntry = { url, saved: nowMs, ...resumePoint(point.position, point.choices, point.context) };
  return writeEntries(storage, [entry, ...readEntries(storage).filter((e) => e.url !== url)]);
}

/** Forgets a programme's resume point and choices (it was watched to its end). */
export function forgetResumePoint(storage: PreferenceStorage | null, url: string): boolean {
  const entries = readEntries(storage);
  if (!entries.some((e) => e.url === url)) return true;
  return writeEntries(
    storage,
    entries.filter((e) => e.url !== url),
  );
}
