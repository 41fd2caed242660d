// Viewer-context presets in the page's address, e.g. ?lang=cy&captions=on&duration=60, or
// ?ctx.<variable>=<value> for any variable the programme declares. Read in two steps: at launch,
// before the programme is known, each value is typed by the viewer-context key's type (so the
// first plan already has it); once the programme's declarations arrive, each preset is checked
// against them, and a value that does not fit is dropped with a plain-language notice naming the
// parameter (the others still apply). Pure: unit-tested without a browser.
import { expectedValue, fitsVariable, KNOWN_CONTEXT_KEYS, parseTypedValue } from './context-variables';
import type { ContextValue, ContextVariable, ViewerContext } from './protocol';

/** One context value the address asked for. */
export interface UrlPreset {
  /** The parameter as written (`lang`, `ctx.timeOfDay`): what notices name. */
  param: string;
  /** The text after `=`. */
  text: string;
  /** The viewer-context key it sets (for ctx.<name>, the name until the programme says otherwise). */
  key: string;
  /** For ctx.<name>: the variable name the programme must declare. */
  variable?: string;
  value: ContextValue;
}

export interface UrlPresets {
  presets: UrlPreset[];
  /** What the presets set, to resolve the first plan with. */
  context: ViewerContext;
  /** Parameters that could not be read at all (each a sentence for the viewer). */
  problems: string[];
}

/** A short alias: the context keys it sets, how its value is read, and what it expects. */
interface Alias {
  keys: string[];
  type: ContextVariable['type'];
  min?: number;
  max?: number;
  /** Shown in notices when the value is unreadable. */
  expected: string;
}

const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$/;

export const URL_ALIASES: Readonly<Record<string, Alias>> = Object.freeze({
  lang: { keys: ['language', 'captionsLanguage'], type: 'string', expected: 'a language code such as en or cy' },
  captions: { keys: ['captions'], type: 'boolean', expected: 'on or off' },
  duration: { keys: ['timeAvailable'], type: 'number', min: 0, expected: 'a number of seconds (0 for the full programme)' },
  sign: { keys: ['signLanguage'], type: 'boolean', expected: 'on or off' },
  ad: { keys: ['audioDescription'], type: 'boolean', expected: 'on or off' },
  balance: { keys: ['dialogueBalance'], type: 'number', min: 0, max: 1, expected: 'a number from 0 to 1' },
  orientation: { keys: ['orientation'], type: 'string', expected: 'landscape, portrait or square' },
  timeOfDay: { keys: ['timeOfDay'], type: 'number', min: 0, max: 24, expected: 'an hour from 0 to 24' },
});

const CTX_PREFIX = 'ctx.';
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
/** More presets than this is not a viewer's link. */
const MAX_PRESETS = 64;

function notice(param: string, text: string, expected: string): string {
  return `The address's ${param}=${text} was not used: ${param} expects ${expected}.`;
}

/** A value of unknown type (ctx.<name> for a key the format does not define): on/off, number, else text. */
function guessValue(text: string): ContextValue | undefined {
  return parseTypedValue('boolean', text) ?? parseTypedValue('number', text) ?? parseTypedValue('string', text);
}

/** Reads the presets of an address's query string (before the programme is known). */
export function readUrlPresets(search: string): UrlPresets {
  const params = new URLSearchParams(search);
  const out: UrlPresets = { presets: [], context: {}, problems: [] };
  for (const [param, text] of params) {
    if (out.presets.length >= MAX_PRESETS) break;
    const alias = Object.hasOwn(URL_ALIASES, param) ? URL_ALIASES[param] : undefined;
    if (alias) {
      const value = parseTypedValue(alias.type, text);
      const inRange =
        value !== undefined &&
        (typeof value !== 'number' || ((alias.min === undefined || value >= alias.min) && (alias.max === undefined || value <= alias.max))) &&
        (param !== 'lang' || LANGUAGE_TAG.test(String(value)));
      if (!inRange) {
        out.problems.push(notice(param, text, alias.expected));
        continue;
      }
      for (const key of alias.keys) {
        out.presets.push({ param, text, key, value });
        out.context[key] = value;
      }
      continue;
    }
    if (!param.startsWith(CTX_PREFIX)) continue; // other parameters (programme, at, engine…) are not context
    const name = param.slice(CTX_PREFIX.length);
    if (!NAME.test(name) || name === 'choices') {
      out.problems.push(`The address's ${param} was not used: there is no setting of that name.`);
      continue;
    }
    const type = Object.hasOwn(KNOWN_CONTEXT_KEYS, name) ? KNOWN_CONTEXT_KEYS[name] : undefined;
    const value = type ? parseTypedValue(type, text) : guessValue(text);
    if (value === undefined) {
      out.problems.push(notice(param, text, type === 'boolean' ? 'on or off' : type === 'number' ? 'a number' : 'a value'));
      continue;
    }
    out.presets.push({ param, text, key: name, variable: name, value });
    out.context[name] = value;
  }
  return out;
}

/** The outcome of checking the presets against a loaded programme. */
export interface PresetCheck {
  /**
   * What to change in the viewer's context: corrected values, and `undefined` for keys to take
   * out again (a value the programme cannot use: its default applies). Empty when all was well.
   */
  change: ViewerContext;
  /** Keys the presets hold after the check (the settings they decided for this visit). */
  keys: string[];
  problems: string[];
}

/**
 * Checks the presets against the programme's declared context variables: each value is read again
 * by the declared type and must fit the declared values and range. A ctx.<name> must name a
 * declared variable (or a viewer-context key the format defines); a caption language must be one
 * the programme has captions in.
 */
export function checkUrlPresets(presets: readonly UrlPreset[], variables: readonly ContextVariable[], captionLanguages: readonly string[]): PresetCheck {
  const check: PresetCheck = { change: {}, keys: [], problems: [] };
  const refused = new Set<string>();
  const keep = (key: string, value: ContextValue, preset: UrlPreset) => {
    if (value !== preset.value || key !== preset.key) check.change[key] = value;
    if (key !== preset.key) check.change[preset.key] = undefined;
    check.keys.push(key);
  };
  const drop = (preset: UrlPreset, problem: string) => {
    check.change[preset.key] = undefined;
    if (!refused.has(preset.param)) check.problems.push(problem);
    refused.add(preset.param);
  };
  for (const preset of presets) {
    const declared = preset.variable
      ? (variables.find((v) => v.name === preset.variable) ?? variables.find((v) => v.key === preset.variable))
      : variables.find((v) => v.key === preset.key);
    if (declared) {
      const value = parseTypedValue(declared.type, preset.text);
      if (value !== undefined && fitsVariable(declared, value)) keep(declared.key, value, preset);
      else drop(preset, notice(preset.param, preset.text, expectedValue(declared)));
      continue;
    }
    if (preset.key === 'captionsLanguage') {
      // Not a variable: the engine picks the caption track by it. `lang` sets it too; a language
      // without captions simply leaves the programme's default track.
      if (captionLanguages.includes(String(preset.value))) check.keys.push(preset.key);
      else check.change[preset.key] = undefined;
      continue;
    }
    if (preset.variable && !Object.hasOwn(KNOWN_CONTEXT_KEYS, preset.variable)) {
      drop(preset, `The address's ${preset.param} was not used: this programme has no setting called ${preset.variable}.`);
      continue;
    }
    // A viewer-context key the programme does not bind: harmless (conditions may still read it).
    check.keys.push(preset.key);
  }
  return check;
}
