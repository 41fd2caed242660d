// The StoryPlayer importer against the engine: every fixture must import into a programme the
// validator accepts, and its narrative paths (engine.paths) must follow the story's structure
// under each viewer context, keeping the narrative elements' ids.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jsonLogic from 'json-logic-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TesseraEngine } from '../../engine/engine';
import { loadEngineNode } from '../../engine/load-node';
import type { Programme, Scene } from '../types';
import { generateLargeStory } from './fixtures/generate-large';
import { importStoryPlayer, StoryPlayerImportError, type ImportWarning, type StoryPlayerImportOptions } from './storyplayer';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const FIXTURES = ['linear', 'branching-variable', 'link-choice', 'representations', 'beginnings', 'variable-panel', 'nested'];

let engine: TesseraEngine;
beforeAll(async () => {
  engine = await loadEngineNode();
});
afterAll(() => engine.dispose());

function input(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(fixtures, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

/** Imports a fixture and loads the result into the engine, which must accept it. */
function load(name: string, options?: StoryPlayerImportOptions): { programme: Programme; warnings: ImportWarning[]; doc: Record<string, unknown> } {
  const doc = input(name);
  const { programme, warnings } = importStoryPlayer(doc, options);
  const report = engine.loadProgramme(JSON.stringify(programme));
  expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(report.ok).toBe(true);
  return { programme, warnings, doc };
}

function paths(context: Record<string, unknown> = {}): string[][] {
  return engine.paths(context).paths;
}

function resolvePointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let node = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (node && typeof node === 'object') node = (node as Record<string, unknown>)[key];
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

describe('importStoryPlayer: every fixture', () => {
  it.each(FIXTURES)('%s imports into a valid programme, warnings point into the input', (name) => {
    const { programme, warnings, doc } = load(name);
    expect(programme.format).toBe('tessera-programme');
    expect(programme.source).toEqual({ format: 'storyplayer', id: programme.id, warnings: warnings.length });
    expect(Object.keys(programme.layouts)).toEqual(['portrait', 'landscape']);
    for (const layout of Object.values(programme.layouts)) expect(layout.regions['main']).toBeDefined();
    for (const w of warnings) {
      expect(w.message).not.toBe('');
      expect(resolvePointer(doc, w.path), `${w.path}: ${w.message}`).toBeDefined();
    }
    // Scenes keep their narrative element ids (synthetic scenes excepted).
    const elements = new Set((doc['narrative_elements'] as { id: string }[]).map((n) => n.id));
    const graphs = [programme.scenes, ...Object.values(programme.programmes ?? {}).map((p) => p.scenes)];
    for (const scenes of graphs)
      for (const [id, scene] of Object.entries(scenes) as [string, Scene][]) {
        if (scene.source) {
          expect(scene.source.format).toBe('storyplayer');
          expect(elements.has(scene.source.id)).toBe(true);
          if (!id.includes('~')) expect(id).toBe(scene.source.id);
        } else {
          expect(id).toMatch(/^end-of-story/);
        }
      }
  });
});

describe('importStoryPlayer: linear', () => {
  it('plays the elements in order, keeping subtitles, background music and trims', () => {
    const { programme, warnings, doc } = load('linear');
    const ids = (doc['narrative_elements'] as { id: string }[]).map((n) => n.id);
    expect(paths()).toEqual([ids]);
    expect(programme.title).toBe('Making toast');
    expect(programme.description).toBe('A three-step linear story');
    const [a0, a1, a2, a3] = (doc['asset_collections'] as { id: string }[]).map((a) => a.id);
    expect(programme.assets[a0!]).toEqual({ type: 'video', src: 'media/slice.mp4' });
    expect(programme.assets[`${a0}~captions`]).toEqual({ type: 'captions', src: 'media/slice.en.vtt', format: 'webvtt' });
    expect(programme.assets[`${a1}~captions`]).toEqual({ type: 'captions', src: 'media/toast.en.srt', format: 'srt' });
    expect(programme.assets[a1!]!.trim).toEqual({ in: 2, out: 14.5 });
    expect(programme.assets[a2!]).toEqual({ type: 'image', src: 'media/plate.jpg' });
    expect(programme.assets[a3!]).toEqual({ type: 'audio', src: 'media/theme.mp3', role: 'music' });
    const first = programme.scenes[ids[0]!]!;
    expect(first.title).toBe('Slicing the bread');
    expect(first.objects).toEqual([
      { id: 'foreground', asset: a0, region: 'main', layer: 0 },
      { id: 'captions', asset: `${a0}~captions`, layer: 2, when: { var: 'captions' } },
      { id: 'background-0', asset: a3 },
    ]);
    expect(programme.scenes[ids[2]!]!.objects).toEqual([{ id: 'foreground', asset: a2, region: 'main', layer: 0, end: 5 }]);
    // The only link of the last element is END_STORY: an ending, not a synthetic scene.
    expect(programme.scenes[ids[2]!]!.next).toBeUndefined();
    expect(warnings).toContainEqual({ path: '/asset_collections/3/loop', message: expect.stringContaining('looping') });
    expect(warnings).toContainEqual({ path: '/asset_collections/0/assets', message: expect.stringContaining('no known duration') });
  });

  it('times the scenes when media durations are given', () => {
    const { warnings } = load('linear', {
      durations: { 'c3f2e4a6-0001-4d8e-8f3a-4b5c6d7e8f01': 6, 'media/toast.mp4': 20, 'media/theme.mp3': 30 },
    });
    expect(warnings.some((w) => w.message.includes('no known duration'))).toBe(false);
    const plan = engine.resolve({ captions: true });
    expect(plan.path.map((s) => s.duration)).toEqual([30, 12.5, 5]);
    expect(plan.objects.some((o) => o.type === 'captions')).toBe(true);
    expect(plan.end.kind).toBe('ending');
  });
});

describe('importStoryPlayer: branching by variable', () => {
  it("follows StoryPlayer's ranking of link conditions, not simply the first true one", () => {
    const { programme } = load('branching-variable');
    expect(programme.variables?.['level']).toEqual({ type: 'string', default: 'beginner', values: ['beginner', 'expert'], description: "Viewer's level" });
    expect(programme.variables?.['score']).toEqual({ type: 'number', default: 3, min: 0, max: 10, description: 'Quiz score' });
    // basics → [score → reward-a, 10 - score → reward-b]: the higher score wins; a tie goes first.
    expect(paths()).toEqual([['intro', 'basics', 'reward-b', 'outro']]); // 3 vs 7
    expect(paths({ score: 8 })).toEqual([['intro', 'basics', 'reward-a', 'outro']]); // 8 vs 2
    expect(paths({ score: 5 })).toEqual([['intro', 'basics', 'reward-a', 'outro']]); // tie: the earlier link
    expect(paths({ score: 0 })).toEqual([['intro', 'basics', 'reward-b', 'outro']]); // 0 is not > 0
    expect(paths({ score: 10 })).toEqual([['intro', 'basics', 'reward-a', 'outro']]); // 10 vs 0
  });

  it('maps _day_of_week to the viewer context and _path_history to path', () => {
    const { programme } = load('branching-variable');
    expect(programme.variables?.['dayOfWeek']).toMatchObject({ type: 'number', context: 'dayOfWeek' });
    expect(paths({ level: 'expert' })).toEqual([['intro', 'deep', 'outro']]); // Monday by default
    expect(paths({ level: 'expert', dayOfWeek: 6 })).toEqual([['intro', 'deep', 'weekend', 'outro']]);
    expect(paths({ level: 'expert', dayOfWeek: 0 })).toEqual([['intro', 'deep', 'outro']]);
    expect(JSON.stringify(programme.scenes['reward-a']!.next)).toContain('{"var":"path"}');
  });
});

describe('importStoryPlayer: branching by choice', () => {
  it('turns link-choice behaviours into choices whose options are the valid links', () => {
    const { programme } = load('link-choice');
    expect(paths()).toEqual([
      ['start', 'left', 'cave', 'outro'],
      ['start', 'left', 'river', 'outro'],
      ['start', 'right', 'outro'],
    ]);
    expect(paths({ has_key: true })).toEqual([
      ['start', 'left', 'cave', 'outro'],
      ['start', 'left', 'river', 'outro'],
      ['start', 'right', 'outro'],
      ['start', 'secret', 'outro'],
    ]);
    // A during behaviour: opens at start_time, lasts its duration, defaults to StoryPlayer's pick.
    expect(programme.scenes['start']!.choice).toEqual({
      options: [
        { id: 'start-l0', label: 'Take the left path', scene: 'left' },
        { id: 'start-l1', label: 'Take the right path', scene: 'right' },
        { id: 'start-l2', label: 'Unlock the secret door', scene: 'secret', when: { var: 'has_key' } },
      ],
      at: 4,
      default: 'start-l0',
      timeout: 6,
    });
    // force_choice at the end of the element: no default, no timeout: the viewer must choose.
    expect(programme.scenes['left']!.choice).toEqual({
      options: [
        { id: 'left-l0', label: 'Into the cave', scene: 'cave' },
        { id: 'left-l1', label: 'Down to the river', scene: 'river' },
      ],
    });
    expect(programme.scenes['left']!.next).toBeUndefined();
    const plan = engine.resolve({});
    expect(plan.path.map((s) => s.scene)).toEqual(['start', 'left']);
    expect(plan.path[0]!.choice?.assumed).toBe('start-l0');
    expect(plan.end.kind).toBe('awaiting-choice');
    expect(engine.resolve({ choices: { start: 'start-l1' } }).path.map((s) => s.scene)).toEqual(['start', 'right', 'outro']);
  });
});

describe('importStoryPlayer: conditional representations', () => {
  it('becomes alternatives chosen by the same ranking', () => {
    const { programme, warnings } = load('representations');
    const alternatives = programme.scenes['welcome']!.alternatives!;
    expect(alternatives.map((a) => a.id)).toEqual(['rep-cy', 'rep-audio', 'rep-evening']);
    expect(programme.scenes['welcome']!.objects!.map((o) => o.asset)).toEqual(['ac-welcome-en', 'ac-welcome-en~captions', 'ac-music']);
    const chosen = (context: Record<string, unknown>) => engine.resolve(context).path[0]!.alternative;
    expect(chosen({})).toBeNull(); // the default representation (afternoon)
    expect(chosen({ lang: 'cy' })).toBe('rep-cy');
    expect(chosen({ audio_only: true })).toBe('rep-audio');
    expect(chosen({ timeOfDay: 20 })).toBe('rep-evening');
    expect(chosen({ timeOfDay: 9 })).toBeNull();
    expect(chosen({ lang: 'cy', audio_only: true })).toBe('rep-cy');
    const audio = engine.resolve({ audio_only: true, captions: true });
    expect(audio.objects.filter((o) => o.scene === 'welcome').map((o) => `${o.placement}:${o.type}`)).toEqual(['foreground:audio', 'background-image:image']);
    const welsh = engine.resolve({ lang: 'cy', captions: true });
    expect(welsh.objects.filter((o) => o.scene === 'welcome').map((o) => o.src)).toEqual(['media/welcome-cy.mp4', 'media/welcome-cy.vtt']);
    expect(warnings).toContainEqual({ path: '/representation_collections/1/representations/4', message: expect.stringContaining('never chosen') });
    expect(paths()).toEqual([['welcome', 'goodbye']]);
  });
});

describe('importStoryPlayer: variable beginnings', () => {
  it('keeps conditional beginnings over the viewer context, and CHOOSE_BEGINNING links', () => {
    load('beginnings');
    expect(paths()).toEqual([['first-visit', 'main', 'end-of-story']]); // Monday afternoon
    expect(paths({ dayOfWeek: 0 })).toEqual([['weekend-intro', 'main', 'end-of-story']]);
    expect(paths({ dayOfWeek: 6, timeOfDay: 8 })).toEqual([['weekend-intro', 'main', 'end-of-story']]);
    expect(paths({ timeOfDay: 8 })).toEqual([['morning-intro', 'main', 'end-of-story']]);
    expect(paths({ returning: true })).toEqual([['default-intro', 'main', 'end-of-story']]);
    const replay = engine.paths({ replay: true, returning: true });
    expect(replay.paths).toEqual([['default-intro', 'main']]);
    expect(replay.cycles).toEqual([['default-intro', 'main', 'default-intro']]);
  });
});

describe('importStoryPlayer: variable panel', () => {
  it('becomes a choice that sets the variables, followed by the links that read them', () => {
    const { programme, warnings } = load('variable-panel');
    const choice = programme.scenes['menu']!.choice!;
    expect(choice.prompt).toBe('Your order');
    expect(choice.options.map((o) => [o.label, o.set, o.scene])).toEqual([
      ['How spicy?: mild · Vegetarian?: Yes', { spice: 'mild', veggie: true }, 'menu~after-panel'],
      ['How spicy?: mild · Vegetarian?: No', { spice: 'mild', veggie: false }, 'menu~after-panel'],
      ['How spicy?: hot · Vegetarian?: Yes', { spice: 'hot', veggie: true }, 'menu~after-panel'],
      ['How spicy?: hot · Vegetarian?: No', { spice: 'hot', veggie: false }, 'menu~after-panel'],
    ]);
    expect(choice.default).toBe('panel-1'); // the variables' defaults
    expect(paths()).toEqual([
      ['menu', 'menu~after-panel', 'veg'],
      ['menu', 'menu~after-panel', 'mild'],
      ['menu', 'menu~after-panel', 'hot-veg'],
      ['menu', 'menu~after-panel', 'hot'],
    ]);
    expect(programme.scenes['mild']!.set).toEqual({ spice: 'mild' });
    expect(warnings.map((w) => w.path)).toEqual(
      expect.arrayContaining(['/representations/1/behaviours/completed/0/variables/2', '/representations/2/behaviours/completed/0/operation']),
    );
  });
});

describe('importStoryPlayer: nested story', () => {
  it('maps a story element to a sub-programme, then continues with its links', () => {
    const { programme } = load('nested', { durations: { 'ac-clip': 4 } });
    expect(Object.keys(programme.programmes!)).toEqual(['chapter-story']);
    expect(programme.programmes!['chapter-story']).toMatchObject({ title: 'Chapter one', beginnings: [{ scene: 'part-1' }] });
    expect(programme.scenes['chapter']!.programme).toBe('chapter-story');
    expect(paths()).toEqual([['ep-intro', 'chapter', 'finale', 'end-of-story']]);
    expect(paths({ skip_chapter: true })).toEqual([['ep-intro', 'finale', 'end-of-story']]);
    expect(paths({ bonus: true })).toEqual([['ep-intro', 'chapter', 'bonus', 'finale', 'end-of-story']]);
    expect(paths({ timeOfDay: 20 })).toEqual([['ep-intro', 'chapter', 'finale', 'goodnight']]);
    const plan = engine.resolve({});
    expect(plan.path.map((s) => s.id)).toEqual(['ep-intro', 'chapter', 'part-1', 'part-2', 'finale', 'end-of-story']);
    expect(plan.duration).toBe(16);
  });
});

// StoryPlayer's evaluateConditions (src/logic.ts), restated from its documented behaviour: the
// candidates whose JSONLogic result is > 0, ordered true first, then by descending number, ties
// in declaration order; the reasoner follows the first.
function storyPlayerPick(conditions: unknown[]): number | null {
  const valid = conditions
    .map((c, i) => ({ i, r: jsonLogic.apply(c as jsonLogic.RulesLogic, {}) as unknown }))
    .filter((c) => (c.r as number) > 0);
  valid.sort((a, b) => {
    if (a.r === b.r) return a.i - b.i;
    if (a.r === true) return -1;
    if (b.r === true) return 1;
    return (b.r as number) - (a.r as number) || a.i - b.i;
  });
  return valid.length ? valid[0]!.i : null;
}

describe("importStoryPlayer: StoryPlayer's link-selection rule", () => {
  const pool: unknown[] = [
    true, false, 0, 1, 2, 2.5, -3, '4', '0', 'yes', '', null, [3], [], {}, [1, 2],
    { '==': [1, 1] }, { '==': [1, 2] }, { '+': [1, 1] }, { '-': [5, 5] }, { if: [true, 7, 0] }, { or: [0, 3] },
    { and: [1, '2'] }, { cat: ['1', '0'] }, { '!': [0] }, { '/': [1, 0] }, { max: [1, 4] }, { '*': [2, '1.5'] },
  ];

  it('picks the same link as StoryPlayer on random link lists', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
    for (let trial = 0; trial < 150; trial++) {
      const n = 1 + Math.floor(rnd() * 5);
      const conditions = Array.from({ length: n }, () => pool[Math.floor(rnd() * pool.length)]);
      const doc = {
        stories: [{ id: 's', beginnings: [{ narrative_element_id: 'start', condition: true }], narrative_element_ids: ['start', ...conditions.map((_, i) => `t${i}`)] }],
        narrative_elements: [
          { id: 'start', body: {}, links: conditions.map((condition, i) => ({ link_type: 'NARRATIVE_ELEMENT', target_narrative_element_id: `t${i}`, condition })) },
          ...conditions.map((_, i) => ({ id: `t${i}`, body: {}, links: [] })),
        ],
      };
      const { programme } = importStoryPlayer(doc);
      expect(engine.loadProgramme(JSON.stringify(programme)).ok).toBe(true);
      const expected = storyPlayerPick(conditions);
      const got = paths()[0]!;
      expect(got, JSON.stringify(conditions)).toEqual(expected === null ? ['start'] : ['start', `t${expected}`]);
    }
  });

  it('offers every valid link in a link choice, whatever its rank', () => {
    const doc = input('link-choice');
    const start = (doc['narrative_elements'] as { id: string; links: { condition: unknown }[] }[]).find((n) => n.id === 'start')!;
    start.links[1]!.condition = { '+': [1, 1] }; // a score of 2, outranked by the `true` links
    start.links[2]!.condition = 'yes'; // a string is not > 0: never valid in StoryPlayer
    importAndLoad(doc);
    expect(paths().map((p) => p[1])).toEqual(['left', 'left', 'right']);
  });
});

function importAndLoad(doc: unknown): { programme: Programme; warnings: ImportWarning[] } {
  const result = importStoryPlayer(doc);
  expect(engine.loadProgramme(JSON.stringify(result.programme)).ok).toBe(true);
  return result;
}

describe('importStoryPlayer: what cannot be mapped is reported, never dropped', () => {
  it('rejects input that is not a StoryPlayer experience', () => {
    expect(() => importStoryPlayer([])).toThrow(StoryPlayerImportError);
    expect(() => importStoryPlayer({ format: 'tessera-programme' })).toThrow(/no "stories"/);
    expect(() => importStoryPlayer({ stories: [], narrative_elements: [] })).toThrow(/no stories/);
    expect(() => importStoryPlayer(input('linear'), { storyId: 'nope' })).toThrow(/no story with id "nope"/);
    const noBeginning = input('linear');
    (noBeginning['stories'] as { beginnings: unknown[] }[])[0]!.beginnings = [];
    expect(() => importStoryPlayer(noBeginning)).toThrow(/no usable beginning/);
  });

  it('warns about links without conditions, unknown operations, internal and undeclared variables', () => {
    const doc = input('branching-variable');
    const elements = doc['narrative_elements'] as { id: string; links: Record<string, unknown>[] }[];
    const intro = elements.find((n) => n.id === 'intro')!;
    delete intro.links[0]!['condition'];
    intro.links[1]!['condition'] = { frobnicate: [1] };
    elements.find((n) => n.id === 'deep')!.links[0]!['condition'] = { '>': [{ var: '_random_number' }, { var: 'mood' }] };
    const { warnings } = importAndLoad(doc);
    expect(warnings).toEqual(
      expect.arrayContaining([
        { path: '/narrative_elements/0/links/0', message: expect.stringContaining('no condition') },
        { path: '/narrative_elements/0/links/1/condition/frobnicate', message: expect.stringContaining('unknown JSONLogic operation "frobnicate"') },
        { path: '/narrative_elements/2/links/0/condition/>/0/var', message: expect.stringContaining('randomSeed % 101') },
        { path: '/narrative_elements/2/links/0/condition/>/1/var', message: expect.stringContaining('"mood"') },
      ]),
    );
    expect(paths()).toEqual([['intro']]); // neither link can be taken: a dead end, as in StoryPlayer
  });

  it('renames story variables that clash with Tessera context keys', () => {
    const doc = input('branching-variable');
    const story = (doc['stories'] as { variables: Record<string, unknown> }[])[0]!;
    story.variables['language'] = { variable_type: 'list', values: ['en', 'cy'], default_value: 'en' };
    (doc['narrative_elements'] as { id: string; links: Record<string, unknown>[] }[])[0]!.links[0]!['condition'] = { '==': [{ var: 'language' }, 'cy'] };
    const { programme, warnings } = importAndLoad(doc);
    expect(programme.variables?.['sp_language']).toMatchObject({ type: 'string', default: 'en' });
    expect(programme.scenes['intro']!.next![0]!.when).toEqual({ '==': [{ var: 'sp_language' }, 'cy'] });
    expect(warnings).toContainEqual({ path: '/stories/0/variables/language', message: expect.stringContaining('renamed "sp_language"') });
    expect(paths({ sp_language: 'cy' })[0]!.slice(0, 2)).toEqual(['intro', 'deep']);
  });

  it('accepts collections keyed by id as well as arrays', () => {
    const doc = input('nested');
    for (const key of ['stories', 'narrative_elements', 'representation_collections', 'representations', 'asset_collections'])
      doc[key] = Object.fromEntries((doc[key] as { id: string }[]).map((o) => [o.id, o]));
    importAndLoad(doc);
    expect(paths()).toEqual([['ep-intro', 'chapter', 'finale', 'end-of-story']]);
  });
});

describe('importStoryPlayer: a large story', () => {
  it('imports ~1 MB with 200 narrative elements quickly (measured, not asserted)', () => {
    const text = JSON.stringify(generateLargeStory(200));
    const started = performance.now();
    const doc = JSON.parse(text) as unknown;
    const parsed = performance.now();
    const { programme, warnings } = importStoryPlayer(doc);
    const imported = performance.now();
    const out = JSON.stringify(programme);
    const report = engine.loadProgramme(out);
    const validated = performance.now();
    expect(report.ok).toBe(true);
    expect(Object.keys(programme.scenes)).toHaveLength(200);
    expect(engine.paths({ score: -1 }).paths).toEqual([Object.keys(programme.scenes)]);
    console.log(
      `large StoryPlayer story: ${(text.length / 1e6).toFixed(2)} MB, 200 elements → ${(out.length / 1e6).toFixed(2)} MB programme; ` +
        `JSON.parse ${(parsed - started).toFixed(1)} ms, import ${(imported - parsed).toFixed(1)} ms, engine validation ${(validated - imported).toFixed(1)} ms; ${warnings.length} warnings`,
    );
  });
});
