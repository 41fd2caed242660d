// The viewer-context variables a programme declares (docs/programme-format.md, "Variables"), and
// the checks every value from outside (the address, storage, the settings panel) goes through
// before the player hands it to the engine. Pure: unit-tested without a worker or DOM. Programme
// data and stored data are untrusted.
import type { ContextValue, ContextVariable, ViewerContext } from './protocol';

/** The types of the viewer-context keys the format defines (docs/programme-format.md). */
export const KNOWN_CONTEXT_KEYS: Readonly<Record<string, ContextVariable['type']>> = Object.freeze({
  deviceClass: 'string',
  orientation: 'string',
  aspectRatio: 'number',
  language: 'string',
  captions: 'boolean',
  captionsLanguage: 'string',
  signLanguage: 'boolean',
  audioDescription: 'boolean',
  dialogueBalance: 'number',
  timeAvailable: 'number',
  timeOfDay: 'number',
  dayOfWeek: 'number',
  randomSeed: 'number',
});

/** Limits on what is taken from a programme: a settings panel, not a database. */
const MAX_VARIABLES = 64;
const MAX_VALUES = 64;
const MAX_TEXT = 200;
/** Context keys and variable names: identifiers, nothing that could be a path or markup. */
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isPlainText(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_TEXT;
}

/**
 * The variables of a programme document that are bound to a viewer-context key, in declaration
 * order. Entries that are malformed are left out (the engine's validation reports them).
 */
export function declaredContextVariables(doc: unknown): ContextVariable[] {
  if (!isRecord(doc) || !isRecord(doc.variables)) return [];
  const out: ContextVariable[] = [];
  for (const [name, declaration] of Object.entries(doc.variables)) {
    if (out.length >= MAX_VARIABLES) break;
    if (!NAME.test(name) || !isRecord(declaration)) continue;
    const { type, context: key } = declaration;
    if (typeof key !== 'string' || !NAME.test(key)) continue;
    if (type !== 'boolean' && type !== 'number' && type !== 'string') continue; // lists are not context values
    const variable: ContextVariable = { name, key, type };
    if (Array.isArray(declaration.values)) {
      const values = declaration.values
        .filter((v): v is string | number => (type === 'number' ? Number.isFinite(v) : isPlainText(v)))
        .slice(0, MAX_VALUES);
      if (values.length > 0) variable.values = values;
    }
    if (type === 'number') {
      if (Number.isFinite(declaration.min)) variable.min = declaration.min as number;
      if (Number.isFinite(declaration.max)) variable.max = declaration.max as number;
    }
    if (declaration.default !== undefined && typeof declaration.default === type) {
      const fallback = declaration.default as ContextValue;
      if (type !== 'string' || isPlainText(fallback)) variable.default = fallback;
    }
    if (isPlainText(declaration.description)) variable.description = declaration.description;
    out.push(variable);
  }
  return out;
}

/** Why a value does not fit a variable, in plain words ("on or off", "a number from 0 to 1"). */
export function expectedValue(variable: Pick<ContextVariable, 'type' | 'values' | 'min' | 'max'>): string {
  if (variable.values && variable.values.length > 0) return `one of ${variable.values.join(', ')}`;
  if (variable.type === 'boolean') return 'on or off';
  if (variable.type === 'number') {
    if (variable.min !== undefined && variable.max !== undefined) return `a number from ${variable.min} to ${variable.max}`;
    if (variable.min !== undefined) return `a number of at least ${variable.min}`;
    if (variable.max !== undefined) return `a number of at most ${variable.max}`;
    return 'a number';
  }
  return 'a word';
}

/** Whether a value fits a variable's declaration (type, listed values, range). */
export function fitsVariable(variable: ContextVariable, value: unknown): value is ContextValue {
  if (variable.type === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return false;
    if (variable.min !== undefined && value < variable.min) return false;
    if (variable.max !== undefined && value > variable.max) return false;
  } else if (typeof value !== variable.type) {
    return false;
  }
  if (variable.type === 'string' && !isPlainText(value)) return false;
  return !variable.values || variable.values.includes(value as string | number);
}

const TRUE_WORDS = new Set(['on', 'true', '1', 'yes']);
const FALSE_WORDS = new Set(['off', 'false', '0', 'no']);

/** A value written as text (an address parameter) read as `type`; undefined when it is not one. */
export function parseTypedValue(type: ContextVariable['type'], text: string): ContextValue | undefined {
  const word = text.trim();
  if (type === 'boolean') {
    const lower = word.toLowerCase();
    if (TRUE_WORDS.has(lower)) return true;
    if (FALSE_WORDS.has(lower)) return false;
    return undefined;
  }
  if (type === 'number') {
    if (word === '') return undefined;
    const n = Number(word);
    return Number.isFinite(n) ? n : undefined;
  }
  return word !== '' && word.length <= MAX_TEXT ? word : undefined;
}

/**
 * The keys of a viewer context taken from untrusted data (storage): known keys of the right
 * type, languages shaped like language tags, choices as scene → option strings. Unknown keys are
 * kept only when they are primitive and named like identifiers (programme-specific variables).
 */
export function sanitiseViewerContext(value: unknown): ViewerContext {
  if (!isRecord(value)) return {};
  const out: ViewerContext = {};
  for (const [key, v] of Object.entries(value)) {
    if (!NAME.test(key)) continue;
    if (key === 'choices') {
      const choices = sanitiseChoices(v);
      if (choices) out.choices = choices;
      continue;
    }
    const type = KNOWN_CONTEXT_KEYS[key];
    if (type !== undefined && typeof v !== type) continue;
    if (typeof v === 'number' && !Number.isFinite(v)) continue;
    if (typeof v === 'string' && !isPlainText(v)) continue;
    if ((key === 'language' || key === 'captionsLanguage') && !LANGUAGE_TAG.test(v as string)) continue;
    if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') out[key] = v;
  }
  return out;
}

/** Scene → option ids taken, from untrusted data; undefined when there is nothing usable. */
export function sanitiseChoices(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, string> = {};
  let count = 0;
  for (const [scene, option] of Object.entries(value)) {
    if (count >= MAX_VARIABLES) break;
    if (NAME.test(scene) && typeof option === 'string' && NAME.test(option)) {
      out[scene] = option;
      count++;
    }
  }
  return count > 0 ? out : undefined;
}

/**
 * What a change of context should set. Changing `language` also moves the caption language with
 * it, unless the viewer had picked a caption language of their own (one other than the language
 * they are leaving), and only to a language the programme has captions in.
 */
export function withFollowingCaptions(
  change: ViewerContext,
  current: { language?: ContextValue | undefined; captionsLanguage?: ContextValue | undefined },
  captionLanguages: readonly string[],
): ViewerContext {
  const language = change.language;
  if (typeof language !== 'string' || change.captionsLanguage !== undefined) return change;
  const ownCaptionLanguage = current.captionsLanguage !== undefined && current.captionsLanguage !== current.language;
  if (ownCaptionLanguage || !captionLanguages.includes(language)) return change;
  return { ...change, captionsLanguage: language };
}
