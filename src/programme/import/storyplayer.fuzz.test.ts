// Untrusted input: seeded random mutations of the fixture stories must either import (into a
// programme the engine accepts or rejects with diagnostics, never crashes on) or be refused with
// a StoryPlayerImportError — never another exception, never a hang. Plus deep-nesting bounds.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TesseraEngine } from '../../engine/engine';
import { loadEngineNode } from '../../engine/load-node';
import { MAX_INPUT_NESTING, MAX_NESTED_STORIES, StoryPlayerImportError, importStoryPlayer } from './storyplayer';
import { seededRandom as random } from '../../testing/seeded-random';

const dir = path.resolve(process.cwd(), 'src/programme/import/fixtures');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as unknown);


const WEIRD: unknown[] = [null, 0, -1, 1e308, '', 'x', 'END_STORY', true, [], {}, [null], { '==': [1] }, { var: '_path_history' }];

// One random edit somewhere in a deep copy: delete, replace with a weird value, or duplicate a sibling.
function mutate(doc: unknown, rnd: () => number): unknown {
  const copy = structuredClone(doc);
  const containers: (Record<string, unknown> | unknown[])[] = [];
  const walk = (v: unknown) => {
    if (typeof v !== 'object' || v === null) return;
    containers.push(v as Record<string, unknown> | unknown[]);
    for (const c of Array.isArray(v) ? v : Object.values(v)) walk(c);
  };
  walk(copy);
  for (let edits = 1 + Math.floor(rnd() * 3); edits > 0; edits--) {
    const target = containers[Math.floor(rnd() * containers.length)]!;
    const keys = Array.isArray(target) ? target.map((_, i) => i) : Object.keys(target);
    if (keys.length === 0) continue;
    const key = keys[Math.floor(rnd() * keys.length)]!;
    const r = rnd();
    const t = target as Record<string | number, unknown>;
    if (r < 0.3) {
      if (Array.isArray(target)) target.splice(key as number, 1);
      else delete t[key];
    } else if (r < 0.8) {
      t[key] = WEIRD[Math.floor(rnd() * WEIRD.length)];
    } else {
      const other = keys[Math.floor(rnd() * keys.length)]!;
      t[key] = structuredClone(t[other]);
    }
  }
  return copy;
}

describe('StoryPlayer import under hostile input', () => {
  let engine: TesseraEngine;
  beforeAll(async () => {
    engine = await loadEngineNode();
  });
  afterAll(() => engine.dispose());

  it('1,500 random mutations of the fixtures import or are refused cleanly', () => {
    const rnd = random(20261123);
    let imported = 0;
    let refused = 0;
    for (let i = 0; i < 1500; i++) {
      const input = mutate(fixtures[i % fixtures.length], rnd);
      try {
        const { programme, warnings } = importStoryPlayer(input);
        for (const w of warnings) expect(typeof w.path).toBe('string');
        const report = engine.loadProgramme(JSON.stringify(programme)); // must not crash the engine
        expect(typeof report.ok).toBe('boolean');
        imported++;
      } catch (error) {
        if (!(error instanceof StoryPlayerImportError)) {
          throw new Error(`mutation ${i} threw ${String(error)} for ${JSON.stringify(input).slice(0, 400)}`);
        }
        refused++;
      }
    }
    expect(imported + refused).toBe(1500);
    expect(imported).toBeGreaterThan(300); // the mutations mostly keep a usable story
  });

  it('refuses documents nested deeper than the limit instead of overflowing the stack', () => {
    let deep: unknown = true;
    for (let i = 0; i < 100_000; i++) deep = { '!': deep };
    const story = structuredClone(fixtures[0]) as { narrative_elements: { links: { condition: unknown }[] }[] };
    story.narrative_elements[0]!.links[0]!.condition = deep;
    expect(() => importStoryPlayer(story)).toThrowError(new RegExp(`deeper than ${MAX_INPUT_NESTING}`));
  });

  it('stops importing stories nested in stories past the limit, with a warning', () => {
    const count = MAX_NESTED_STORIES + 10;
    const stories = [];
    const elements = [];
    for (let i = 0; i < count; i++) {
      stories.push({ id: `s${i}`, name: `S${i}`, beginnings: [{ narrative_element_id: `n${i}`, condition: true }], narrative_element_ids: [`n${i}`] });
      elements.push({
        id: `n${i}`,
        name: `N${i}`,
        body: i + 1 < count ? { type: 'STORY_ELEMENT', story_target_id: `s${i + 1}` } : {},
        links: [{ link_type: 'END_STORY', condition: true }],
      });
    }
    const { programme, warnings } = importStoryPlayer({ stories, narrative_elements: elements });
    expect(Object.keys(programme.programmes ?? {}).length).toBeLessThanOrEqual(MAX_NESTED_STORIES);
    expect(warnings.some((w) => w.message.includes(`deeper than ${MAX_NESTED_STORIES}`))).toBe(true);
  });
});
