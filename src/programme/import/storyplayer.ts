// Imports a BBC R&D StoryPlayer experience (the object-based-media-schema: stories, narrative
// elements, representation collections, representations, asset collections) into a Tessera
// programme, format v1. Pure: no I/O and no dependencies, so it runs in Node and the browser.
//
// docs/storyplayer-import.md describes the mapping. The central rule it honours is StoryPlayer's
// own (src/logic.ts, src/StoryReasoner.ts): a candidate (link, beginning, representation) is
// valid when its JSONLogic result is `> 0`, and among valid candidates `true` beats any number,
// a higher number beats a lower one, and ties go to the earlier candidate. Tessera follows the
// first link whose condition is truthy, so conditions that can return something other than a
// boolean are rewritten with guards that reproduce the ranking.
//
// Every warning carries a JSON pointer into the INPUT document.
import type {
  Alternative,
  Asset,
  Beginning,
  Choice,
  ChoiceOption,
  Condition,
  Layout,
  Link,
  Placement,
  Programme,
  Scene,
  SubProgramme,
  Variable,
} from '../types';

export interface ImportWarning {
  /** JSON pointer into the StoryPlayer input ("" = the whole document). */
  path: string;
  message: string;
}

export interface StoryPlayerImportOptions {
  /** The story to import as the programme (default: the story no other story nests). */
  storyId?: string;
  /**
   * Media durations in seconds, keyed by asset-collection id or by media URL. StoryPlayer reads
   * durations from the media itself; Tessera needs them to time scenes and choices.
   */
  durations?: Record<string, number>;
}

export interface StoryPlayerImportResult {
  programme: Programme;
  warnings: ImportWarning[];
}

/** The input is not a StoryPlayer experience at all (as opposed to a mappable one with warnings). */
export class StoryPlayerImportError extends Error {
  constructor(
    message: string,
    readonly path = '',
  ) {
    super(message);
    this.name = 'StoryPlayerImportError';
  }
}

type Json = Record<string, unknown>;
interface Located {
  id: string;
  value: Json;
  ptr: string;
}

const URN_BEHAVIOUR = 'urn:x-object-based-media:representation-behaviour:';
const B = {
  linkChoice: 'showlinkchoices',
  variablePanel: 'showvariablepanel',
  manipulate: 'manipulatevariable',
  pause: 'pause',
  mapOverlay: 'mapoverlay',
  fadeAudioIn: 'fadeaudioin',
  fadeAudioOut: 'fadeaudioout',
} as const;

const CONTEXT_KEYS = [
  'deviceClass',
  'orientation',
  'aspectRatio',
  'language',
  'captions',
  'captionsLanguage',
  'signLanguage',
  'audioDescription',
  'dialogueBalance',
  'timeAvailable',
  'timeOfDay',
  'dayOfWeek',
  'randomSeed',
] as const;
/** Names a story variable must not take in Tessera: context keys and the built-in data. */
const RESERVED = new Set<string>([...CONTEXT_KEYS, 'choices', 'path']);

const LOGIC_OPS = new Set([
  'var', 'missing', 'missing_some', 'if', '?:', '==', '===', '!=', '!==', '!', '!!', 'or', 'and', '>', '>=', '<', '<=',
  'max', 'min', '+', '-', '*', '/', '%', 'map', 'filter', 'reduce', 'all', 'none', 'some', 'merge', 'in', 'cat',
  'substr', 'log',
]);
const SCOPED_OPS = new Set(['map', 'filter', 'reduce', 'all', 'none', 'some']);
/** Operations whose result is always true or false. */
const BOOLEAN_OPS = new Set(['==', '===', '!=', '!==', '!', '!!', '<', '<=', '>', '>=', 'in', 'all', 'none', 'some']);

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

// StoryPlayer internal variables (src/InternalVariables.ts) and what they become.
const DAY_OF_WEEK: Condition = {
  if: [...WEEKDAYS.flatMap((day, i) => [{ '==': [{ var: 'dayOfWeek' }, i] }, day]), null],
};
// Morning before 12:00, Afternoon before 17:00, Evening after (StoryPlayer's getSegmentOfDay).
const PORTION_OF_DAY: Condition = {
  if: [{ '<': [{ var: 'timeOfDay' }, 12] }, 'Morning', { '<': [{ var: 'timeOfDay' }, 17] }, 'Afternoon', 'Evening'],
};
const RANDOM_NUMBER: Condition = { '%': [{ var: 'randomSeed' }, 101] };

const SUPPORT_VARIABLES: Record<'dayOfWeek' | 'timeOfDay' | 'randomSeed', Variable> = {
  dayOfWeek: {
    type: 'number', default: 1, min: 0, max: 6, context: 'dayOfWeek',
    description: "Viewer's day (0 = Sunday); StoryPlayer's _day_of_week is derived from it",
  },
  timeOfDay: {
    type: 'number', default: 12, min: 0, max: 24, context: 'timeOfDay',
    description: "Viewer's hour; StoryPlayer's _portion_of_day is derived from it",
  },
  randomSeed: {
    type: 'number', default: 0, context: 'randomSeed',
    description: "Fixed per viewing; StoryPlayer's _random_number becomes randomSeed % 101",
  },
};

const LAYOUTS: Record<string, Layout> = {
  portrait: {
    when: { '==': [{ var: 'orientation' }, 'portrait'] },
    width: 720,
    height: 1280,
    regions: { main: { x: 0, y: 0, width: 720, height: 1280, fit: 'contain' } },
  },
  landscape: {
    width: 1280,
    height: 720,
    regions: { main: { x: 0, y: 0, width: 1280, height: 720, fit: 'contain' } },
  },
};

// ---------------------------------------------------------------------------------------------

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function esc(key: string | number): string {
  return String(key).replaceAll('~', '~0').replaceAll('/', '~1');
}

function join(ptr: string, ...keys: (string | number)[]): string {
  return ptr + keys.map((k) => `/${esc(k)}`).join('');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function isOperation(v: unknown): v is Json {
  return isObject(v) && Object.keys(v).length === 1;
}

/** `true`, or an equality of two identical literals such as StoryFormer's {"==": [1, 1]}. */
function triviallyTrue(rule: unknown): boolean {
  if (rule === true) return true;
  if (!isOperation(rule)) return false;
  const [op, args] = Object.entries(rule)[0]!;
  if ((op === '==' || op === '===') && Array.isArray(args) && args.length === 2) {
    const [a, b] = args;
    return (a === null || typeof a !== 'object') && a === b;
  }
  return false;
}

/** Literal values JSONLogic returns as they are and that are never `> 0`. */
function neverValid(rule: unknown): boolean {
  return rule === false || rule === null || rule === 0 || rule === '' || (isObject(rule) && Object.keys(rule).length === 0);
}

/** What a condition can return: always true, always a boolean, or anything (a score). */
type Kind = 'true' | 'bool' | 'score' | 'never';
function kindOf(rule: unknown, booleanVariables: ReadonlySet<string>): Kind {
  if (triviallyTrue(rule)) return 'true';
  if (neverValid(rule)) return 'never';
  if (typeof rule === 'boolean') return 'bool';
  if (!isOperation(rule)) return 'score';
  const [op, args] = Object.entries(rule)[0]!;
  if (BOOLEAN_OPS.has(op)) return 'bool';
  // A declared boolean variable read on its own (Tessera keeps its value a boolean).
  if (op === 'var' && typeof args === 'string' && booleanVariables.has(args)) return 'bool';
  return 'score';
}

/** A candidate after ranking: `valid` offers it (choices), `guarded` follows it (first-true lists). */
interface Ranked {
  valid?: Condition;
  guarded?: Condition;
  kind: Kind;
}

/**
 * StoryPlayer's ranking as Tessera conditions. `valid` holds when StoryPlayer would count the
 * candidate valid (result > 0); `guarded` holds when it is valid and no other candidate outranks
 * it, so that "first that holds" in declaration order picks StoryPlayer's candidate.
 */
function rank(rules: unknown[], booleanVariables: ReadonlySet<string> = new Set()): Ranked[] {
  const kinds = rules.map((r) => kindOf(r, booleanVariables));
  const valid = rules.map((r, i): Condition | undefined => {
    switch (kinds[i]) {
      case 'true':
        return undefined;
      case 'never':
        return false;
      case 'bool':
        return r;
      default:
        return { '>': [r, 0] };
    }
  });
  const isTrue = (r: unknown): Condition => ({ '===': [r, true] });
  const asNumber = (r: unknown): Condition => ({ '-': [r, 0] });
  return rules.map((rule, i) => {
    const kind = kinds[i]!;
    if (kind !== 'score') return { valid: valid[i], guarded: valid[i], kind };
    // A score: it wins only if nothing valid ranks above it. `true` outranks every number; between
    // numbers the higher wins; equal ranks go to the earlier candidate, which Tessera's order does.
    const others: Condition[] = [];
    let beatenByAlwaysTrue = false;
    rules.forEach((other, j) => {
      if (j === i || kinds[j] === 'never') return;
      if (kinds[j] === 'true') beatenByAlwaysTrue = true;
      else if (kinds[j] === 'bool') others.push({ '!': [other] });
      else others.push({ '!': [{ or: [isTrue(other), { '>': [asNumber(other), asNumber(rule)] }] }] });
    });
    if (beatenByAlwaysTrue) return { valid: valid[i], guarded: isTrue(rule), kind };
    if (others.length === 0) return { valid: valid[i], guarded: valid[i], kind };
    return { valid: valid[i], guarded: { and: [valid[i], { or: [isTrue(rule), { and: others }] }] }, kind };
  });
}

function and(a: Condition | undefined, b: Condition | undefined): Condition | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return { and: [a, b] };
}

function behaviourName(type: unknown): string {
  if (typeof type !== 'string') return '';
  const m = /representation-behaviour:([^/]+)/.exec(type) ?? /asset-mixin:([^/]+)/.exec(type);
  return m ? m[1]! : type;
}

function representationType(type: unknown): string {
  if (typeof type !== 'string') return '';
  const m = /representation-types:([^/]+)/.exec(type);
  return m ? m[1]! : type;
}

function captionsFormat(src: string): Asset['format'] | undefined {
  const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(src)?.[1]?.toLowerCase();
  if (ext === 'vtt') return 'webvtt';
  if (ext === 'srt') return 'srt';
  if (ext === 'ttml' || ext === 'dfxp' || ext === 'xml') return 'ttml';
  return undefined;
}

function label(value: unknown): string {
  if (value === true) return 'Yes';
  if (value === false) return 'No';
  return String(value);
}

// ---------------------------------------------------------------------------------------------

interface Behaviour {
  value: Json;
  ptr: string;
  phase: 'started' | 'during' | 'completed';
  startTime?: number;
  duration?: number;
}

interface RepresentationResult {
  objects: Placement[];
  /** Seconds the representation lasts when StoryPlayer knows it (images, or given durations). */
  duration?: number;
  behaviours: Behaviour[];
  set: Record<string, boolean | number | string | unknown[]>;
}

interface LinkEntry {
  scene: string;
  id: string;
  label: string;
  valid?: Condition;
  guarded?: Condition;
  kind: Kind;
  ptr: string;
  target?: string;
  /** An END_STORY link. */
  end?: boolean;
}

interface Graph {
  storyId: string;
  storyPtr: string;
  beginnings: Beginning[];
  scenes: Record<string, Scene>;
  /** Each beginning's scene and ranked condition, for CHOOSE_BEGINNING links. */
  rankedBeginnings: { scene: string; guarded?: Condition }[];
  members: Set<string>;
  endScene?: string;
}

class Importer {
  readonly warnings: ImportWarning[] = [];
  readonly stories = new Map<string, Located>();
  readonly elements = new Map<string, Located>();
  readonly collections = new Map<string, Located>();
  readonly representations = new Map<string, Located>();
  readonly assetCollections = new Map<string, Located>();
  readonly variables: Record<string, Variable> = {};
  /** StoryPlayer variable name → Tessera variable name. */
  readonly renames = new Map<string, string>();
  readonly assets: Record<string, Asset> = {};
  readonly programmes: Record<string, SubProgramme> = {};
  readonly support = new Set<keyof typeof SUPPORT_VARIABLES>();
  readonly location = new Set<string>();
  readonly building = new Set<string>();
  readonly loopWarned = new Set<string>();
  readonly unknownDurations: string[] = [];
  urnWarned = false;

  constructor(
    readonly input: Json,
    readonly options: StoryPlayerImportOptions,
  ) {}

  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }

  // -- reading the experience --

  collect(key: string, into: Map<string, Located>, required: boolean): void {
    const list = this.input[key];
    if (list === undefined) {
      if (required) throw new StoryPlayerImportError(`not a StoryPlayer experience: no "${key}"`, '');
      return;
    }
    const add = (value: unknown, ptr: string, fallbackId?: string) => {
      if (!isObject(value)) return this.warn(ptr, `expected an object in "${key}"; ignored`);
      const id = str(value.id) ?? fallbackId;
      if (!id) return this.warn(ptr, `an entry of "${key}" has no id; ignored`);
      if (into.has(id)) return this.warn(ptr, `duplicate id "${id}" in "${key}"; the first is used`);
      into.set(id, { id, value, ptr });
    };
    if (Array.isArray(list)) list.forEach((v, i) => add(v, join('', key, i)));
    else if (isObject(list)) for (const [k, v] of Object.entries(list)) add(v, join('', key, k), k);
    else throw new StoryPlayerImportError(`not a StoryPlayer experience: "${key}" must be an array or an object`, join('', key));
  }

  read(): void {
    if (!isObject(this.input)) throw new StoryPlayerImportError('not a StoryPlayer experience: expected a JSON object');
    this.collect('stories', this.stories, true);
    this.collect('narrative_elements', this.elements, true);
    this.collect('representation_collections', this.collections, false);
    this.collect('representations', this.representations, false);
    this.collect('asset_collections', this.assetCollections, false);
    if (this.stories.size === 0) throw new StoryPlayerImportError('the experience has no stories', '/stories');
  }

  /** The stories a story nests (STORY_ELEMENT bodies), in order. */
  nestedStories(story: Located): string[] {
    const out: string[] = [];
    for (const id of this.memberIds(story, false)) {
      const ne = this.elements.get(id);
      const target = ne && isObject(ne.value.body) ? str(ne.value.body.story_target_id) : undefined;
      if (target) out.push(target);
    }
    return out;
  }

  rootStory(): Located {
    if (this.options.storyId !== undefined) {
      const s = this.stories.get(this.options.storyId);
      if (!s) throw new StoryPlayerImportError(`no story with id "${this.options.storyId}"`, '/stories');
      return s;
    }
    const nested = new Set<string>();
    for (const s of this.stories.values()) for (const t of this.nestedStories(s)) nested.add(t);
    const roots = [...this.stories.values()].filter((s) => !nested.has(s.id));
    const root = roots[0] ?? [...this.stories.values()][0]!;
    if (roots.length > 1)
      this.warn(roots[1]!.ptr, `${roots.length} stories are not nested in another; "${root.id}" is imported (choose another with the storyId option)`);
    return root;
  }

  /** A story's narrative elements: its narrative_element_ids, plus any its links reach. */
  memberIds(story: Located, warn: boolean): string[] {
    const ids: string[] = [];
    const seen = new Set<string>();
    const add = (id: string) => {
      if (!seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    };
    const listed = story.value.narrative_element_ids;
    if (Array.isArray(listed)) {
      listed.forEach((id, i) => {
        if (typeof id !== 'string') return;
        if (this.elements.has(id)) add(id);
        else if (warn) this.warn(join(story.ptr, 'narrative_element_ids', i), `no narrative element "${id}"; ignored`);
      });
    }
    const stack: string[] = [];
    if (Array.isArray(story.value.beginnings))
      for (const b of story.value.beginnings) if (isObject(b) && typeof b.narrative_element_id === 'string') stack.push(b.narrative_element_id);
    stack.push(...ids);
    while (stack.length) {
      const id = stack.pop()!;
      const ne = this.elements.get(id);
      if (!ne) continue;
      if (!seen.has(id)) add(id);
      if (Array.isArray(ne.value.links))
        for (const l of ne.value.links)
          if (isObject(l) && typeof l.target_narrative_element_id === 'string' && !seen.has(l.target_narrative_element_id))
            stack.push(l.target_narrative_element_id);
    }
    return ids;
  }

  // -- variables --

  declareVariables(stories: Located[]): void {
    // Story variables are global in StoryPlayer (one DataResolver for the story and its sub-stories).
    const used = new Set<string>(Object.keys(SUPPORT_VARIABLES));
    for (const story of stories) {
      const vars = story.value.variables;
      if (vars === undefined) continue;
      if (!isObject(vars)) {
        this.warn(join(story.ptr, 'variables'), 'expected an object of variables; ignored');
        continue;
      }
      for (const [name, def] of Object.entries(vars)) {
        const ptr = join(story.ptr, 'variables', name);
        if (this.renames.has(name)) {
          this.warn(ptr, `variable "${name}" is declared by more than one story; the first declaration is used`);
          continue;
        }
        if (!isObject(def)) {
          this.warn(ptr, 'expected a variable definition object; ignored');
          continue;
        }
        let tname = name;
        if (RESERVED.has(name) || name.startsWith('_')) {
          let n = 1;
          tname = `sp_${name.replace(/^_+/, '')}`;
          while (used.has(tname) || RESERVED.has(tname)) tname = `sp_${name.replace(/^_+/, '')}_${++n}`;
          this.warn(ptr, `variable "${name}" ${RESERVED.has(name) ? 'is a Tessera context key or built-in' : 'uses a StoryPlayer internal prefix'}; renamed "${tname}" (conditions are rewritten)`);
        }
        used.add(tname);
        this.renames.set(name, tname);
        const v = this.variable(def, ptr);
        if (v) this.variables[tname] = v;
      }
    }
  }

  variable(def: Json, ptr: string): Variable | undefined {
    let type = def.variable_type;
    const d = def.default_value;
    if (type !== 'boolean' && type !== 'number' && type !== 'list' && type !== 'string') {
      const inferred = typeof d === 'boolean' ? 'boolean' : typeof d === 'number' ? 'number' : 'string';
      this.warn(join(ptr, 'variable_type'), `unknown variable_type ${JSON.stringify(type)}; treated as ${inferred} (from the default)`);
      type = inferred;
    }
    const description = str(def.description);
    const base = description ? { description } : {};
    if (type === 'boolean') {
      let value: boolean;
      if (typeof d === 'boolean') value = d;
      else if (d === 'true' || d === 'false') value = d === 'true';
      else {
        this.warn(join(ptr, 'default_value'), `default ${JSON.stringify(d)} is not a boolean; false is used`);
        value = false;
      }
      return { type: 'boolean', default: value, ...base };
    }
    if (type === 'number') {
      const range = isObject(def.range) ? def.range : undefined;
      const min = num(range?.min_val);
      const max = num(range?.max_val);
      let value = num(d);
      if (value === undefined) {
        value = min ?? 0;
        this.warn(join(ptr, 'default_value'), `default ${JSON.stringify(d)} is not a number; ${value} is used`);
      }
      const v: Variable = { type: 'number', default: value, ...base };
      if (min !== undefined && max !== undefined && min > max) {
        this.warn(join(ptr, 'range'), 'min_val is greater than max_val; the range is dropped');
      } else {
        if (min !== undefined) v.min = min;
        if (max !== undefined) v.max = max;
        if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
          this.warn(join(ptr, 'default_value'), `default ${value} is outside the range; the range is dropped`);
          delete v.min;
          delete v.max;
        }
      }
      return v;
    }
    if (type === 'list') {
      // StoryPlayer's "list" is one value out of a set (a Tessera string with `values`).
      const values = Array.isArray(def.values) ? def.values.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number') : [];
      const value = typeof d === 'string' || typeof d === 'number' ? d : values[0] ?? '';
      const numeric = typeof value === 'number' && values.length > 0 && values.every((x) => typeof x === 'number');
      const v: Variable = { type: numeric ? 'number' : 'string', default: numeric ? value : String(value), ...base };
      if (values.length === 0) this.warn(join(ptr, 'values'), 'a list variable without values; imported as a free string');
      else if (!values.some((x) => x === v.default)) this.warn(join(ptr, 'default_value'), `default ${JSON.stringify(d)} is not one of the values; the values are not enforced`);
      else v.values = v.type === 'string' ? values.map(String) : values;
      return v;
    }
    return { type: 'string', default: typeof d === 'string' ? d : d === undefined || d === null ? '' : String(d), ...base };
  }

  // -- conditions --

  /** Rewrites StoryPlayer variable reads into Tessera's. Returns undefined when it cannot be mapped. */
  condition(rule: unknown, ptr: string): { rule: unknown } | undefined {
    try {
      return { rule: this.rewrite(rule, ptr, false) };
    } catch (e) {
      if (e instanceof UnmappableCondition) {
        this.warn(e.ptr, `${e.message}; the condition is imported as false`);
        return undefined;
      }
      throw e;
    }
  }

  rewrite(node: unknown, ptr: string, scoped: boolean): unknown {
    if (Array.isArray(node)) return node.map((x, i) => this.rewrite(x, join(ptr, i), scoped));
    if (!isOperation(node)) return node;
    const [op, args] = Object.entries(node)[0]!;
    const opPtr = join(ptr, op);
    if (!LOGIC_OPS.has(op)) throw new UnmappableCondition(`unknown JSONLogic operation "${op}"`, opPtr);
    if (op === 'var' && !scoped) return this.rewriteVar(args, opPtr);
    if ((op === 'missing' || op === 'missing_some') && !scoped) return { [op]: this.rewriteMissing(op, args, opPtr) };
    if (SCOPED_OPS.has(op) && Array.isArray(args))
      return { [op]: args.map((a, i) => this.rewrite(a, join(opPtr, i), scoped || i > 0)) };
    return { [op]: this.rewrite(args, opPtr, scoped) };
  }

  rewriteVar(args: unknown, ptr: string): unknown {
    const path = Array.isArray(args) ? args[0] : args;
    const rest = Array.isArray(args) ? args.slice(1).map((a, i) => this.rewrite(a, join(ptr, i + 1), false)) : [];
    if (typeof path !== 'string') {
      if (typeof path === 'number') return { var: Array.isArray(args) ? [path, ...rest] : path };
      this.warn(ptr, 'a computed variable name cannot be translated; kept as it is');
      return { var: Array.isArray(args) ? [this.rewrite(path, join(ptr, 0), false), ...rest] : this.rewrite(path, ptr, false) };
    }
    if (path === '') {
      this.warn(ptr, 'reads the whole data object, whose shape differs in Tessera');
      return { var: args };
    }
    const dot = path.indexOf('.');
    const head = dot < 0 ? path : path.slice(0, dot);
    const tail = dot < 0 ? '' : path.slice(dot);
    const rebuilt = (name: string) => ({ var: Array.isArray(args) ? [name + tail, ...rest] : name + tail });
    switch (head) {
      case '_path_history':
        return rebuilt('path');
      case '_day_of_week':
      case '_portion_of_day':
      case '_random_number': {
        if (tail) throw new UnmappableCondition(`"${path}" reads inside an internal variable`, ptr);
        if (head === '_day_of_week') {
          this.support.add('dayOfWeek');
          return DAY_OF_WEEK;
        }
        if (head === '_portion_of_day') {
          this.support.add('timeOfDay');
          return PORTION_OF_DAY;
        }
        this.support.add('randomSeed');
        this.warn(ptr, '_random_number is a fresh number 0–100 at every evaluation in StoryPlayer; Tessera uses randomSeed % 101, fixed for the viewing');
        return RANDOM_NUMBER;
      }
      case '_location_longitude':
      case '_location_latitude':
        this.location.add(head);
        this.warn(ptr, `${head} (the 360° view direction) has no Tessera equivalent; declared as a number variable the player must set`);
        return rebuilt(head);
      default: {
        const renamed = this.renames.get(head);
        if (renamed !== undefined) return rebuilt(renamed);
        this.warn(ptr, `reads "${head}", which no story declares (it is null unless the viewer's context sets it)`);
        return rebuilt(head);
      }
    }
  }

  rewriteMissing(op: string, args: unknown, ptr: string): unknown {
    const renameName = (name: unknown, p: string): unknown => {
      if (typeof name !== 'string') return this.rewrite(name, p, false);
      const dot = name.indexOf('.');
      const head = dot < 0 ? name : name.slice(0, dot);
      if (head === '_path_history') return 'path' + name.slice(head.length);
      if (head === '_day_of_week' || head === '_portion_of_day' || head === '_random_number')
        throw new UnmappableCondition(`"${op}" of the computed internal variable ${head}`, p);
      const renamed = this.renames.get(head);
      return renamed ? renamed + name.slice(head.length) : name;
    };
    if (op === 'missing') {
      if (Array.isArray(args)) return args.map((a, i) => renameName(a, join(ptr, i)));
      return renameName(args, ptr);
    }
    if (Array.isArray(args) && Array.isArray(args[1]))
      return [this.rewrite(args[0], join(ptr, 0), false), (args[1] as unknown[]).map((a, i) => renameName(a, join(ptr, 1, i)))];
    return this.rewrite(args, ptr, false);
  }

  /**
   * The conditions of an ordered candidate list (links, beginnings, representations), rewritten
   * and ranked the way StoryPlayer's evaluateConditions ranks them.
   */
  rankConditions(items: { condition: unknown; present: boolean; ptr: string; what: string }[]): Ranked[] {
    const rules = items.map((it) => {
      if (!it.present) {
        this.warn(it.ptr, `${it.what} has no condition: StoryPlayer never takes it (JSONLogic returns undefined, which is not > 0)`);
        return false;
      }
      const r = this.condition(it.condition, join(it.ptr, 'condition'));
      return r ? r.rule : false;
    });
    const booleans = new Set(Object.entries(this.variables).filter(([, v]) => v.type === 'boolean').map(([name]) => name));
    return rank(rules, booleans);
  }

  // -- media --

  duration(acId: string, src?: string): number | undefined {
    const d = this.options.durations?.[acId] ?? (src ? this.options.durations?.[src] : undefined);
    return d !== undefined && Number.isFinite(d) && d > 0 ? d : undefined;
  }

  /** Registers a Tessera asset for one medium of an asset collection; returns its id. */
  asset(ac: Located, key: string, asset: Asset): string {
    let id = key === '' ? ac.id : `${ac.id}~${key}`;
    const existing = this.assets[id];
    if (existing && (existing.type !== asset.type || existing.src !== asset.src)) id = `${ac.id}~${asset.type}`;
    const found = this.assets[id];
    if (!found) {
      if (asset.src && /^urn:/i.test(asset.src) && !this.urnWarned) {
        this.urnWarned = true;
        this.warn(join(ac.ptr, 'assets'), `media identifiers such as "${asset.src}" are not URLs; the player must resolve them (StoryPlayer's media fetcher did)`);
      }
      if ((asset.type === 'video' || asset.type === 'audio') && asset.duration === undefined) this.unknownDurations.push(join(ac.ptr, 'assets'));
      this.assets[id] = asset;
    } else if (asset.role && !found.role) {
      found.role = asset.role;
    }
    return id;
  }

  assetCollection(id: unknown, ptr: string): Located | undefined {
    if (typeof id !== 'string') return undefined;
    const ac = this.assetCollections.get(id);
    if (!ac) this.warn(ptr, `no asset collection "${id}"; its media are missing`);
    else if (ac.value.loop === true && !this.loopWarned.has(ac.id)) {
      this.loopWarned.add(ac.id);
      this.warn(join(ac.ptr, 'loop'), 'looping media are not supported by Tessera; it plays once');
    }
    return ac;
  }
  trim(ac: Located): Asset['trim'] | undefined {
    const meta = isObject(ac.value.meta) && isObject(ac.value.meta.romper) ? ac.value.meta.romper : undefined;
    if (!meta) return undefined;
    const tIn = num(meta.in);
    const tOut = num(meta.out);
    if (tIn === undefined && tOut === undefined) return undefined;
    if (tIn !== undefined && tOut !== undefined && tOut <= tIn) {
      this.warn(join(ac.ptr, 'meta', 'romper'), 'out is not after in; the trim is ignored');
      return undefined;
    }
    return { ...(tIn !== undefined ? { in: tIn } : {}), ...(tOut !== undefined ? { out: tOut } : {}) };
  }

  /** A timed medium (av or audio) as an asset, with duration and trim when known. */
  timed(ac: Located, src: string, type: 'video' | 'audio', key: string, role?: Asset['role']): string {
    const asset: Asset = { type, src };
    const d = this.duration(ac.id, src);
    if (d !== undefined) asset.duration = d;
    const trim = this.trim(ac);
    if (trim) {
      if (d !== undefined && trim.out !== undefined && trim.out > d) this.warn(join(ac.ptr, 'meta', 'romper', 'out'), 'trims past the given duration; the trim is ignored');
      else asset.trim = trim;
    }
    if (role) asset.role = role;
    return this.asset(ac, key, asset);
  }

  captions(ac: Located, placements: Placement[]): void {
    const sub = str(ac.value.assets && isObject(ac.value.assets) ? ac.value.assets.sub_src : undefined);
    if (!sub) return;
    const asset: Asset = { type: 'captions', src: sub };
    const format = captionsFormat(sub);
    if (format) asset.format = format;
    placements.push({ id: 'captions', asset: this.asset(ac, 'captions', asset), layer: 2, when: { var: 'captions' } });
  }

  representation(id: string, ptr: string, depth = 0): RepresentationResult {
    const result: RepresentationResult = { objects: [], behaviours: [], set: {} };
    const rep = this.representations.get(id);
    if (!rep) {
      this.warn(ptr, `no representation "${id}"; the scene has no media`);
      return result;
    }
    const r = rep.value;
    const type = representationType(r.representation_type);
    const acs = isObject(r.asset_collections) ? r.asset_collections : {};
    const acsPtr = join(rep.ptr, 'asset_collections');
    const objects = result.objects;
    const fg = this.assetCollection(acs.foreground_id, join(acsPtr, 'foreground_id'));
    const assets = fg && isObject(fg.value.assets) ? fg.value.assets : {};
    const repDuration = num(r.duration);
    const imageDuration = repDuration !== undefined && repDuration > 0 ? repDuration : undefined;

    switch (type) {
      case 'simple-av':
      case 'immersive': {
        if (type === 'immersive') this.warn(join(rep.ptr, 'representation_type'), '360° video is played flat (Tessera has no immersive renderer)');
        if (fg) {
          const av = str(assets.av_src);
          const audio = str(assets.audio_src);
          if (av) objects.push({ id: 'foreground', asset: this.timed(fg, av, 'video', ''), region: 'main', layer: 0 });
          else if (audio) objects.push({ id: 'foreground', asset: this.timed(fg, audio, 'audio', '') });
          else this.warn(join(fg.ptr, 'assets'), 'no av_src for an audio/video representation');
          this.captions(fg, objects);
          result.duration = this.duration(fg.id, av ?? audio);
        }
        break;
      }
      case 'simple-audio': {
        if (fg) {
          const audio = str(assets.audio_src) ?? str(assets.av_src);
          if (audio) objects.push({ id: 'foreground', asset: this.timed(fg, audio, 'audio', '') });
          else this.warn(join(fg.ptr, 'assets'), 'no audio_src for an audio representation');
          this.captions(fg, objects);
          result.duration = this.duration(fg.id, audio);
        }
        const bg = this.assetCollection(acs.background_image, join(acsPtr, 'background_image'));
        const image = bg && isObject(bg.value.assets) ? str(bg.value.assets.image_src) : undefined;
        if (bg && image) objects.push({ id: 'background-image', asset: this.asset(bg, '', { type: 'image', src: image }), region: 'main', layer: 0 });
        break;
      }
      case 'image':
      case 'image360': {
        if (type === 'image360') this.warn(join(rep.ptr, 'representation_type'), '360° image is shown flat (Tessera has no immersive renderer)');
        const image = str(assets.image_src);
        if (fg && image) {
          const p: Placement = { id: 'foreground', asset: this.asset(fg, '', { type: 'image', src: image }), region: 'main', layer: 0 };
          if (imageDuration !== undefined) p.end = imageDuration;
          objects.push(p);
        } else if (fg) this.warn(join(fg.ptr, 'assets'), 'no image_src for an image representation');
        if (imageDuration !== undefined) result.duration = imageDuration;
        else this.warn(join(rep.ptr, 'duration'), 'an image shown until the viewer moves on (no positive duration): Tessera shows it for no set time');
        break;
      }
      case 'switchable': {
        const choices = Array.isArray(r.choices) ? r.choices : [];
        const first = choices.find((c): c is Json => isObject(c) && typeof c.choice_representation_id === 'string');
        this.warn(join(rep.ptr, 'choices'), 'a switchable representation (viewer-switched synchronised views) is not supported; its first view is used');
        if (first && depth < 4) {
          const inner = this.representation(first.choice_representation_id as string, join(rep.ptr, 'choices', choices.indexOf(first)), depth + 1);
          result.objects.push(...inner.objects);
          result.duration = inner.duration;
          result.behaviours.push(...inner.behaviours);
          Object.assign(result.set, inner.set);
        }
        break;
      }
      default:
        this.warn(join(rep.ptr, 'representation_type'), `representation type ${JSON.stringify(r.representation_type)} has no Tessera equivalent; the scene has no media from it`);
        if (imageDuration !== undefined) result.duration = imageDuration;
    }

    const bgIds = Array.isArray(acs.background_audio_ids) ? acs.background_audio_ids : Array.isArray(acs.background_ids) ? acs.background_ids : [];
    const bgKey = Array.isArray(acs.background_audio_ids) ? 'background_audio_ids' : 'background_ids';
    bgIds.forEach((bid, i) => {
      const bg = this.assetCollection(bid, join(acsPtr, bgKey, i));
      if (!bg) return;
      const bgAssets = isObject(bg.value.assets) ? bg.value.assets : {};
      const src = str(bgAssets.audio_src) ?? str(bgAssets.av_src);
      if (!src) return this.warn(join(bg.ptr, 'assets'), 'background media without audio_src; ignored');
      objects.push({ id: `background-${i}`, asset: this.timed(bg, src, 'audio', '', 'music') });
    });
    if (acs.icon !== undefined) this.warn(join(acsPtr, 'icon'), 'chapter-navigation icons are not mapped');

    this.behaviours(rep, result);
    return result;
  }

  behaviours(rep: Located, result: RepresentationResult): void {
    const all = isObject(rep.value.behaviours) ? rep.value.behaviours : undefined;
    if (!all) return;
    for (const [key, list] of Object.entries(all)) {
      const phase = key.toLowerCase();
      const ptr = join(rep.ptr, 'behaviours', key);
      if (phase !== 'started' && phase !== 'during' && phase !== 'completed') {
        this.warn(ptr, `unknown behaviour phase "${key}"; ignored`);
        continue;
      }
      if (!Array.isArray(list)) continue;
      list.forEach((item, i) => {
        const ip = join(ptr, i);
        if (!isObject(item)) return;
        if (phase === 'during') {
          if (!isObject(item.behaviour)) return this.warn(ip, 'a during behaviour without "behaviour"; ignored');
          const b: Behaviour = { value: item.behaviour, ptr: join(ip, 'behaviour'), phase };
          const st = num(item.start_time);
          const du = num(item.duration);
          if (st !== undefined) b.startTime = st;
          if (du !== undefined) b.duration = du;
          result.behaviours.push(b);
        } else {
          result.behaviours.push({ value: item, ptr: ip, phase });
        }
      });
    }
    // Behaviours that change media or state; navigation behaviours are handled by the scene.
    for (const b of result.behaviours) {
      const name = behaviourName(b.value.type);
      if (name === B.linkChoice || name === B.variablePanel || name === B.mapOverlay || name === B.pause) continue;
      if (name === B.fadeAudioIn || name === B.fadeAudioOut) {
        const d = num(b.value.duration);
        const target = result.objects.find((o) => o.id === 'foreground');
        if (d === undefined || d <= 0 || !target) {
          this.warn(b.ptr, `${name} without a duration or foreground media; ignored`);
          continue;
        }
        if (name === B.fadeAudioIn) target.fadeIn = d;
        else target.fadeOut = d;
        if (b.phase === 'during' && name === B.fadeAudioIn && (b.startTime ?? 0) > 0)
          this.warn(b.ptr, 'the fade starts later in StoryPlayer; Tessera fades in from the start');
        continue;
      }
      if (name === B.manipulate) {
        const variable = str(b.value.target_variable);
        const tname = variable ? this.renames.get(variable) : undefined;
        const op = b.value.operation;
        if (!variable || !tname || !this.variables[tname]) {
          this.warn(b.ptr, `manipulatevariable of an undeclared variable ${JSON.stringify(variable)}; ignored`);
          continue;
        }
        const constant = !isOperation(op) && (typeof op === 'boolean' || typeof op === 'number' || typeof op === 'string');
        const v = this.variables[tname]!;
        if (!constant) {
          this.warn(join(b.ptr, 'operation'), `a computed change of "${variable}" cannot be expressed (Tessera sets constants only); ignored`);
          continue;
        }
        const fits = (v.type === 'boolean' && typeof op === 'boolean') || (v.type === 'number' && typeof op === 'number') || (v.type === 'string' && typeof op === 'string');
        if (!fits || (v.values && !v.values.includes(op as string | number))) {
          this.warn(join(b.ptr, 'operation'), `${JSON.stringify(op)} does not fit variable "${variable}"; ignored`);
          continue;
        }
        result.set[tname] = op as boolean | number | string;
        continue;
      }
      this.warn(b.ptr, `behaviour ${JSON.stringify(b.value.type ?? null)} is not mapped (Tessera has no equivalent)`);
    }
  }

  // -- stories, narrative elements, scenes --

  graph(story: Located): Graph {
    const members = this.memberIds(story, true);
    const graph: Graph = {
      storyId: story.id,
      storyPtr: story.ptr,
      beginnings: [],
      scenes: {},
      rankedBeginnings: [],
      members: new Set(members),
    };
    const beginnings = Array.isArray(story.value.beginnings) ? story.value.beginnings : [];
    const valid: { b: Json; ptr: string }[] = [];
    beginnings.forEach((b, i) => {
      const ptr = join(story.ptr, 'beginnings', i);
      if (!isObject(b) || typeof b.narrative_element_id !== 'string') return this.warn(ptr, 'a beginning without narrative_element_id; ignored');
      if (!this.elements.has(b.narrative_element_id)) return this.warn(join(ptr, 'narrative_element_id'), `no narrative element "${b.narrative_element_id}"; ignored`);
      valid.push({ b, ptr });
    });
    if (valid.length === 0) throw new StoryPlayerImportError(`story "${story.id}" has no usable beginning`, join(story.ptr, 'beginnings'));
    const ranked = this.rankConditions(valid.map(({ b, ptr }) => ({ condition: b.condition, present: 'condition' in b, ptr, what: 'the beginning' })));
    valid.forEach(({ b }, i) => {
      const scene = b.narrative_element_id as string;
      const guarded = ranked[i]!.guarded;
      graph.rankedBeginnings.push({ scene, guarded });
      graph.beginnings.push(guarded === undefined ? { scene } : { scene, when: guarded });
    });
    if (isObject(story.value.meta) && isObject(story.value.meta.romper) && story.value.meta.romper.requirements !== undefined)
      this.warn(join(story.ptr, 'meta', 'romper', 'requirements'), "StoryPlayer's browser requirements are not checked by Tessera");
    for (const id of members) this.scene(this.elements.get(id)!, graph);
    return graph;
  }

  endScene(graph: Graph): string {
    if (graph.endScene) return graph.endScene;
    let id = 'end-of-story';
    for (let n = 2; graph.members.has(id) || graph.scenes[id]; n++) id = `end-of-story-${n}`;
    graph.endScene = id;
    graph.scenes[id] = { title: 'End of story', duration: 0 };
    return id;
  }

  /** The links of a narrative element as Tessera targets, ranked by StoryPlayer's rule. */
  links(ne: Located, graph: Graph): LinkEntry[] {
    const raw = Array.isArray(ne.value.links) ? ne.value.links : [];
    const usable: { link: Json; ptr: string; type: string }[] = [];
    raw.forEach((link, i) => {
      const ptr = join(ne.ptr, 'links', i);
      if (!isObject(link)) return this.warn(ptr, 'a link that is not an object; ignored');
      const type = str(link.link_type) ?? (typeof link.target_narrative_element_id === 'string' ? 'NARRATIVE_ELEMENT' : '');
      if (type === 'NARRATIVE_ELEMENT') {
        const target = link.target_narrative_element_id;
        if (typeof target !== 'string' || !this.elements.has(target))
          return this.warn(join(ptr, 'target_narrative_element_id'), `no narrative element ${JSON.stringify(target ?? null)}; the link is dropped`);
        if (!graph.members.has(target))
          return this.warn(join(ptr, 'target_narrative_element_id'), `"${target}" belongs to another story; the link is dropped`);
      } else if (type !== 'END_STORY' && type !== 'CHOOSE_BEGINNING') {
        return this.warn(join(ptr, 'link_type'), `unknown link_type ${JSON.stringify(link.link_type ?? null)}; the link is dropped`);
      }
      usable.push({ link, ptr, type });
    });
    const ranked = this.rankConditions(usable.map(({ link, ptr }) => ({ condition: link.condition, present: 'condition' in link, ptr, what: 'the link' })));
    const entries: LinkEntry[] = [];
    const ids = new Set<string>();
    usable.forEach(({ link, ptr, type }, i) => {
      const r = ranked[i]!;
      let id = str(link.id) ?? `link-${i}`;
      if (ids.has(id)) id = `${id}-${i}`;
      ids.add(id);
      const base = { kind: r.kind, ptr };
      if (type === 'NARRATIVE_ELEMENT') {
        const target = link.target_narrative_element_id as string;
        const name = str(this.elements.get(target)!.value.name);
        entries.push({ ...base, id, scene: target, target, label: str(link.description) ?? name ?? target, valid: r.valid, guarded: r.guarded });
      } else if (type === 'END_STORY') {
        // The only link, always valid: the element is simply an ending.
        if (usable.length === 1 && r.kind === 'true') return;
        entries.push({ ...base, id, scene: this.endScene(graph), end: true, label: str(link.description) ?? 'End', valid: r.valid, guarded: r.guarded });
      } else {
        // CHOOSE_BEGINNING: back to the story's beginnings, chosen by their own ranked conditions.
        graph.rankedBeginnings.forEach((b, k) => {
          const name = str(this.elements.get(b.scene)?.value.name);
          entries.push({
            ...base,
            id: graph.rankedBeginnings.length > 1 ? `${id}-${k}` : id,
            scene: b.scene,
            target: b.scene,
            label: str(link.description) ?? name ?? 'Start again',
            valid: and(r.valid, b.guarded),
            guarded: and(r.guarded, b.guarded),
          });
        });
      }
    });
    return entries;
  }

  scene(ne: Located, graph: Graph): void {
    const scene: Scene = {};
    const name = str(ne.value.name);
    if (name) scene.title = name;
    scene.source = { format: 'storyplayer', id: ne.id };
    graph.scenes[ne.id] = scene;

    const body = isObject(ne.value.body) ? ne.value.body : {};
    const bodyPtr = join(ne.ptr, 'body');
    const behaviourSources: { rep: string; behaviours: Behaviour[]; duration?: number }[] = [];
    if (typeof body.story_target_id === 'string' || body.type === 'STORY_ELEMENT') {
      const target = str(body.story_target_id);
      if (!target || !this.stories.has(target)) this.warn(join(bodyPtr, 'story_target_id'), `no story ${JSON.stringify(target ?? null)}; the scene is empty`);
      else if (this.building.has(target)) this.warn(join(bodyPtr, 'story_target_id'), `story "${target}" nests itself; the nesting is not imported`);
      else if (this.building.size >= MAX_NESTED_STORIES)
        this.warn(join(bodyPtr, 'story_target_id'), `stories nested deeper than ${MAX_NESTED_STORIES} levels are not imported`);
      else {
        this.subProgramme(this.stories.get(target)!);
        scene.programme = target;
      }
      if (!scene.programme) scene.duration = 0;
    } else {
      const rcId = body.representation_collection_target_id;
      const rc = typeof rcId === 'string' ? this.collections.get(rcId) : undefined;
      if (!rc) {
        this.warn(join(bodyPtr, 'representation_collection_target_id'), `no representation collection ${JSON.stringify(rcId ?? null)}; the scene is empty`);
        scene.duration = 0;
      } else {
        this.representationsOf(rc, scene, behaviourSources);
      }
    }

    // Navigation: links, then the behaviours that let the viewer choose.
    const entries = this.links(ne, graph);
    const nav = this.navigation(ne, entries, behaviourSources, scene);
    const panel = this.panel(behaviourSources);
    if (!panel) {
      Object.assign(scene, nav);
      return;
    }
    // The variable panel is a choice that sets variables; the links (which may read them) are
    // decided afterwards, in a zero-length scene, unless there is only one unconditional link.
    const direct = !nav.choice && nav.next && nav.next.length === 1 && nav.next[0]!.when === undefined ? nav.next[0]!.scene : undefined;
    let after = direct;
    if (!after) {
      if (nav.next || nav.choice) {
        after = `${ne.id}~after-panel`;
        graph.scenes[after] = { title: `${name ?? ne.id} (after the variable panel)`, duration: 0, source: { format: 'storyplayer', id: ne.id }, ...nav };
        if (nav.choice) this.warn(panel.ptr, 'this element has a variable panel and link choices; Tessera asks the panel first, then offers the links');
      } else {
        after = this.endScene(graph);
      }
    }
    scene.choice = { ...panel.choice, options: panel.choice.options.map((o) => ({ ...o, scene: after })) };
  }

  representationsOf(rc: Located, scene: Scene, sources: { rep: string; behaviours: Behaviour[]; duration?: number }[]): void {
    const list = Array.isArray(rc.value.representations) ? rc.value.representations : [];
    const usable: { rep: string; ptr: string; item: Json }[] = [];
    list.forEach((item, i) => {
      const ptr = join(rc.ptr, 'representations', i);
      if (!isObject(item)) return;
      // The schema documents representation_id as {"id": …}; exports use the bare id.
      const rid = isObject(item.representation_id) ? item.representation_id.id : item.representation_id;
      if (typeof rid !== 'string') return this.warn(ptr, 'a representation entry without representation_id; ignored');
      usable.push({ rep: rid, ptr, item });
    });
    if (usable.length === 0) {
      this.warn(join(rc.ptr, 'representations'), 'no representations; the scene is empty');
      scene.duration = 0;
      return;
    }
    const ranked = this.rankConditions(usable.map(({ item, ptr }) => ({ condition: item.condition, present: 'condition' in item, ptr, what: 'the representation' })));
    // A representation that always holds outranks every later one.
    const cut = ranked.findIndex((r) => r.kind === 'true');
    if (cut >= 0 && cut < usable.length - 1)
      for (let i = cut + 1; i < usable.length; i++) this.warn(usable[i]!.ptr, 'never chosen: an earlier representation always holds');
    const kept = cut >= 0 ? usable.slice(0, cut + 1) : usable;
    const results = kept.map(({ rep, ptr }) => ({ rep, result: this.representation(rep, join(ptr, 'representation_id')) }));
    for (const { rep, result } of results) sources.push({ rep, behaviours: result.behaviours, duration: result.duration });

    const setOf = (r: RepresentationResult) => (Object.keys(r.set).length ? r.set : undefined);
    const last = results[results.length - 1]!;
    if (results.length === 1 && ranked[0]!.kind === 'true') {
      scene.objects = last.result.objects;
      if (setOf(last.result)) scene.set = last.result.set;
      if (last.result.objects.length === 0) scene.duration = last.result.duration ?? 0;
      return;
    }
    // Several: alternatives, tried in order. When the last always holds it is the scene's own
    // objects; otherwise nothing plays when no representation holds (StoryPlayer stops there).
    const alternatives: Alternative[] = [];
    const ids = new Set<string>();
    results.forEach(({ rep, result }, i) => {
      if (i === results.length - 1 && ranked[i]!.kind === 'true') return;
      let id = rep;
      if (ids.has(id)) id = `${rep}-${i}`;
      ids.add(id);
      const alt: Alternative = { id, objects: result.objects };
      const when = ranked[i]!.guarded;
      if (when !== undefined) alt.when = when;
      alternatives.push(alt);
    });
    scene.alternatives = alternatives;
    if (ranked[results.length - 1]!.kind === 'true') scene.objects = last.result.objects;
    else scene.objects = [];
    const sets = results.map((r) => JSON.stringify(r.result.set));
    if (sets.some((s) => s !== sets[0])) this.warn(join(rc.ptr, 'representations'), 'representations change variables differently; Tessera sets them per scene, so the first representation\'s changes are used');
    if (setOf(results[0]!.result)) scene.set = results[0]!.result.set;
    if (results.every((r) => r.result.objects.length === 0)) scene.duration = 0;
  }

  /** next links, or a choice from a link-choice (or map-overlay) behaviour. */
  navigation(ne: Located, entries: LinkEntry[], sources: { rep: string; behaviours: Behaviour[]; duration?: number }[], scene: Scene): Pick<Scene, 'next' | 'choice'> {
    const next: Link[] = entries.map((e) => (e.guarded === undefined ? { scene: e.scene } : { scene: e.scene, when: e.guarded }));
    const plain = (): Pick<Scene, 'next' | 'choice'> => (next.length ? { next } : {});
    const navBehaviours = sources.map((s) => ({ ...s, nav: s.behaviours.filter((b) => [B.linkChoice, B.mapOverlay].includes(behaviourName(b.value.type) as never)) }));
    const source = navBehaviours.find((s) => s.nav.length > 0);
    if (!source) return plain();
    const behaviour = source.nav[0]!;
    for (const extra of source.nav.slice(1)) this.warn(extra.ptr, 'a second link-choice behaviour on the same representation; only the first is used');
    for (const s of navBehaviours)
      if (s !== source && JSON.stringify(s.nav.map((b) => b.value)) !== JSON.stringify(source.nav.map((b) => b.value)))
        this.warn(s.nav[0]?.ptr ?? join(ne.ptr, 'body'), `representations of this element differ in their link choices; the scene uses those of "${source.rep}"`);

    const b = behaviour.value;
    const name = behaviourName(b.type);
    if (name === B.mapOverlay) return this.mapOverlay(behaviour, entries, plain());

    const showIfOne = b.show_if_one_choice === true;
    if (entries.length === 0) {
      this.warn(behaviour.ptr, 'link choices on an element without links; ignored');
      return {};
    }
    if (entries.length === 1 && !showIfOne) return plain(); // StoryPlayer hides a choice of one.
    if (!showIfOne && entries.filter((e) => e.kind === 'true').length < 2)
      this.warn(behaviour.ptr, 'when only one link is valid StoryPlayer hides the choice and follows it; Tessera offers that single option');

    const icons = Array.isArray(b.link_icons) ? b.link_icons.filter(isObject) : undefined;
    const unmapped = ['one_shot', 'disable_controls', 'show_time_remaining', 'overlay_class'].filter((k) => b[k] !== undefined && b[k] !== false);
    if (b.show_ne_to_end === false) unmapped.push('show_ne_to_end');
    if (unmapped.length) this.warn(behaviour.ptr, `presentation options not mapped: ${unmapped.join(', ')}`);

    const options: ChoiceOption[] = entries.map((e) => {
      const icon = icons?.find((ic) => ic.target_narrative_element_id === e.target);
      let text = icon ? str(icon.text) : undefined;
      if (icon && icon.image !== undefined && !text) this.warn(join(behaviour.ptr, 'link_icons', icons!.indexOf(icon)), 'an icon image is not mapped; the option is labelled with text instead');
      if (icons && icons.length && !icon && e.target) this.warn(e.ptr, 'StoryPlayer shows no icon for this link (it is only followed by default); Tessera offers it as an option');
      text ??= e.label;
      const o: ChoiceOption = { id: e.id, label: text, scene: e.scene };
      if (e.valid !== undefined) o.when = e.valid;
      return o;
    });
    const choice: Choice = { options };
    if (behaviour.phase === 'during' || behaviour.phase === 'started') choice.at = behaviour.phase === 'during' ? behaviour.startTime ?? 0 : 0;
    const force = b.force_choice === true;
    if (!force) {
      // StoryPlayer's default is the best-ranked valid link at the time; Tessera's is fixed.
      const exact = entries[0]!.kind === 'true'; // always valid and first: always the best
      const fallback = entries.find((e) => e.kind === 'true') ?? entries[0]!;
      choice.default = (exact ? entries[0]! : fallback).id;
      if (!exact)
        this.warn(behaviour.ptr, `StoryPlayer's default is the best valid link when the choice closes; Tessera's default is fixed to "${choice.default}" (if that option is not offered, the path waits)`);
      const timeout = this.choiceTimeout(behaviour, source, scene);
      if (timeout !== undefined) choice.timeout = timeout;
    }
    return { choice };
  }

  choiceTimeout(behaviour: Behaviour, source: { behaviours: Behaviour[]; duration?: number }, scene: Scene): number | undefined {
    if (behaviour.phase === 'during' || behaviour.phase === 'started') {
      if (behaviour.duration !== undefined && behaviour.duration > 0) return behaviour.duration;
      const start = behaviour.phase === 'during' ? behaviour.startTime ?? 0 : 0;
      const length = scene.duration ?? source.duration;
      if (length !== undefined && length > start) return length - start;
      this.warn(behaviour.ptr, "StoryPlayer follows the default when the element ends; its length is unknown (give durations), so Tessera's choice has no timeout");
      return undefined;
    }
    const pause = source.behaviours.find((x) => x.phase === 'completed' && behaviourName(x.value.type) === B.pause);
    const time = pause ? num(pause.value.pauseTime) ?? num(pause.value.time) : undefined;
    if (time !== undefined && time > 0) return time;
    if (time === undefined) this.warn(behaviour.ptr, 'StoryPlayer follows the default at once when nothing pauses or forces the choice; Tessera waits for the viewer (the plan assumes the default)');
    return undefined;
  }

  mapOverlay(behaviour: Behaviour, entries: LinkEntry[], fallback: Pick<Scene, 'next' | 'choice'>): Pick<Scene, 'next' | 'choice'> {
    const links = Array.isArray(behaviour.value.links) ? behaviour.value.links : [];
    const options: ChoiceOption[] = [];
    const ids = new Set<string>();
    links.forEach((l, i) => {
      const target = isObject(l) ? str(l.narrative_element_id) : undefined;
      const entry = entries.find((e) => e.target === target);
      if (!target || !this.elements.has(target)) return this.warn(join(behaviour.ptr, 'links', i), 'a map link without a known narrative_element_id; ignored');
      let id = `map-${i}`;
      if (ids.has(id)) id = `map-${i}-${i}`;
      ids.add(id);
      options.push({ id, label: str(this.elements.get(target)!.value.name) ?? target, scene: entry?.scene ?? target });
    });
    if (options.length === 0) return fallback;
    this.warn(behaviour.ptr, 'map overlay: clickable regions become choice options (positions are not mapped); link conditions are not evaluated, as in StoryPlayer');
    return { choice: { options } };
  }

  /** A variable panel as a choice of every combination of finite-valued variables. */
  panel(sources: { behaviours: Behaviour[] }[]): { choice: Omit<Choice, 'options'> & { options: Omit<ChoiceOption, 'scene'>[] }; ptr: string } | undefined {
    const all = sources.flatMap((s) => s.behaviours.filter((b) => behaviourName(b.value.type) === B.variablePanel));
    if (all.length === 0) return undefined;
    const panel = all[0]!;
    for (const extra of all.slice(1)) if (JSON.stringify(extra.value) !== JSON.stringify(panel.value)) this.warn(extra.ptr, 'another variable panel on this element; only the first is used');
    const questions: { name: string; label: string; values: (boolean | number | string)[]; default: unknown }[] = [];
    const vars = Array.isArray(panel.value.variables) ? panel.value.variables : [];
    vars.forEach((q, i) => {
      const qp = join(panel.ptr, 'variables', i);
      const vname = isObject(q) ? str(q.variable_name) : undefined;
      const tname = vname ? this.renames.get(vname) : undefined;
      const v = tname ? this.variables[tname] : undefined;
      if (!vname || !tname || !v) return this.warn(qp, `the panel sets an undeclared variable ${JSON.stringify(vname ?? null)}; ignored`);
      let values: (boolean | number | string)[] | undefined;
      if (v.type === 'boolean') values = [true, false];
      else if (v.values && v.values.length) values = v.values;
      if (!values) return this.warn(qp, `"${vname}" is a free ${v.type} (a slider or text box in StoryPlayer); Tessera choices offer fixed values, so the viewer cannot set it`);
      questions.push({ name: tname, label: str((q as Json).label) ?? vname, values, default: v.default });
    });
    if (questions.length === 0) return undefined;
    const combos = questions.reduce((n, q) => n * q.values.length, 1);
    if (combos > 64) {
      this.warn(panel.ptr, `the panel has ${combos} combinations of answers; more than 64 are not mapped to a choice`);
      return undefined;
    }
    let rows: { set: Record<string, boolean | number | string>; parts: string[] }[] = [{ set: {}, parts: [] }];
    for (const q of questions)
      rows = rows.flatMap((r) => q.values.map((value) => ({ set: { ...r.set, [q.name]: value }, parts: [...r.parts, questions.length > 1 ? `${q.label}: ${label(value)}` : label(value)] })));
    const options = rows.map((r, i) => ({ id: `panel-${i}`, label: r.parts.join(' · '), set: r.set }));
    const def = rows.findIndex((r) => questions.every((q) => r.set[q.name] === q.default));
    const prompt = [str(panel.value.panel_label), questions.length === 1 ? questions[0]!.label : undefined].filter(Boolean).join(' — ');
    const choice: Omit<Choice, 'options'> & { options: Omit<ChoiceOption, 'scene'>[] } = { options };
    if (prompt) choice.prompt = prompt;
    if (panel.phase === 'during') choice.at = panel.startTime ?? 0;
    else if (panel.phase === 'started') choice.at = 0;
    choice.default = options[def >= 0 ? def : 0]!.id;
    return { choice, ptr: panel.ptr };
  }

  subProgramme(story: Located): void {
    if (this.programmes[story.id] || this.building.has(story.id)) return;
    this.building.add(story.id);
    const g = this.graph(story);
    this.building.delete(story.id);
    const sub: SubProgramme = { beginnings: g.beginnings, scenes: g.scenes };
    const title = str(story.value.name);
    if (title) sub.title = title;
    this.programmes[story.id] = sub;
  }

  run(): StoryPlayerImportResult {
    this.read();
    const root = this.rootStory();
    // Every story the root nests, directly or not, shares its variables.
    const reach: Located[] = [];
    const seen = new Set<string>();
    const visit = (s: Located) => {
      if (seen.has(s.id)) return;
      seen.add(s.id);
      reach.push(s);
      for (const t of this.nestedStories(s)) {
        const n = this.stories.get(t);
        if (n) visit(n);
      }
    };
    visit(root);
    for (const s of this.stories.values()) if (!seen.has(s.id)) this.warn(s.ptr, `story "${s.id}" is not part of "${root.id}"; not imported`);
    this.declareVariables(reach);

    this.building.add(root.id);
    const main = this.graph(root);
    this.building.delete(root.id);

    if (this.unknownDurations.length)
      this.warn(this.unknownDurations[0]!, `${this.unknownDurations.length} audio/video media have no known duration (StoryPlayer reads it from the media); pass durations so Tessera can time scenes and choices`);
    for (const key of this.support) if (!this.variables[key]) this.variables[key] = { ...SUPPORT_VARIABLES[key] };
    for (const name of this.location)
      if (!this.variables[name])
        this.variables[name] = name === '_location_longitude'
          ? { type: 'number', default: 0, min: 0, max: 359, description: "StoryPlayer's 360° view direction (left-right, degrees)" }
          : { type: 'number', default: 0, min: -90, max: 90, description: "StoryPlayer's 360° view direction (up-down, degrees)" };

    const description = str(root.value.description);
    const programme: Programme = {
      format: 'tessera-programme',
      version: 1,
      id: root.id,
      title: str(root.value.name) ?? root.id,
      ...(description ? { description } : {}),
      ...(Object.keys(this.variables).length ? { variables: this.variables } : {}),
      assets: this.assets,
      layouts: structuredClone(LAYOUTS),
      beginnings: main.beginnings,
      scenes: main.scenes,
      ...(Object.keys(this.programmes).length ? { programmes: this.programmes } : {}),
      source: { format: 'storyplayer', id: root.id, warnings: this.warnings.length },
    };
    return { programme, warnings: this.warnings };
  }
}

class UnmappableCondition extends Error {
  constructor(
    message: string,
    readonly ptr: string,
  ) {
    super(message);
  }
}

/**
 * Imports a StoryPlayer experience: `{ stories, narrative_elements, representation_collections,
 * representations, asset_collections }`, each an array of objects with `id` or an object keyed by
 * id. Throws StoryPlayerImportError when the input is not a StoryPlayer experience; everything
 * that is imported imperfectly is reported in `warnings` with its JSON pointer in the input.
 */
export function importStoryPlayer(input: unknown, options: StoryPlayerImportOptions = {}): StoryPlayerImportResult {
  if (!isObject(input)) throw new StoryPlayerImportError('not a StoryPlayer experience: expected a JSON object');
  // Untrusted input: the importer recurses into conditions and nested stories, so bound the depth
  // before it starts (measured without recursion).
  const depth = nestingDepth(input, MAX_INPUT_NESTING);
  if (depth > MAX_INPUT_NESTING) {
    throw new StoryPlayerImportError(`the experience is nested deeper than ${MAX_INPUT_NESTING} levels`, '');
  }
  return new Importer(input, options).run();
}

/** Deepest JSON nesting allowed in an experience, and of stories nested in stories. */
export const MAX_INPUT_NESTING = 256;
export const MAX_NESTED_STORIES = 32;

function nestingDepth(root: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}
