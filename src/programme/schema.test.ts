// The format's three descriptions agree: the JSON Schema, the engine's validator and the doc.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TesseraEngine } from '../engine/engine';
import { loadEngineNode } from '../engine/load-node';
import type { Programme } from './types';

const root = process.cwd();
const schema = JSON.parse(readFileSync(path.resolve(root, 'src/programme/programme.schema.json'), 'utf8')) as Record<string, unknown>;
const sampleText = readFileSync(path.resolve(root, 'docs/examples/sample-programme.json'), 'utf8');
const doc = readFileSync(path.resolve(root, 'docs/programme-format.md'), 'utf8');

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validateSchema = ajv.compile(schema);

function mutate(change: (p: Programme) => void): string {
  const p = JSON.parse(sampleText) as Programme;
  change(p);
  return JSON.stringify(p);
}

describe('programme format v1', () => {
  let engine: TesseraEngine;
  beforeAll(async () => {
    engine = await loadEngineNode();
  });
  afterAll(() => engine.dispose());

  it('the sample is valid for the schema and the engine', () => {
    expect(validateSchema(JSON.parse(sampleText)), JSON.stringify(validateSchema.errors)).toBe(true);
    expect(engine.loadProgramme(sampleText).ok).toBe(true);
  });

  const broken: [string, (p: Programme) => void][] = [
    ['wrong format', (p) => ((p as { format: string }).format = 'other')],
    ['missing title', (p) => delete (p as Partial<Programme>).title],
    ['unknown asset type', (p) => ((p.assets['clip-a'] as { type: string }).type = 'hologram')],
    ['importance out of range', (p) => ((p.assets['tone'] as { importance: number }).importance = 7)],
    ['loudness above 0 LUFS', (p) => (p.assets['tone']!.loudness = 3)],
    ['duck depth below -40 dB', (p) => (p.assets['tone']!.duck = { depth: -41 })],
    ['duck attack above 2 s', (p) => (p.assets['tone']!.duck = { attack: 2.5 })],
    ['negative start', (p) => (p.scenes['credits']!.objects![0]!.start = -1)],
    ['choice without options', (p) => (p.scenes['intro']!.choice!.options = [])],
    ['layout too large', (p) => (p.layouts['landscape']!.width = 100000)],
    ['no beginnings', (p) => (p.beginnings = [])],
  ];
  for (const [name, change] of broken) {
    it(`schema and engine both reject: ${name}`, () => {
      const text = mutate(change);
      expect(validateSchema(JSON.parse(text))).toBe(false);
      expect(engine.loadProgramme(text).ok).toBe(false);
    });
  }

  it('schema and engine both accept audio loudness and an audio description duck at their bounds', () => {
    const text = mutate((p) => {
      p.assets['tone']!.loudness = -70;
      p.assets['tone']!.role = 'description';
      p.assets['tone']!.duck = { depth: -40, attack: 0, release: 5 };
    });
    expect(validateSchema(JSON.parse(text)), JSON.stringify(validateSchema.errors)).toBe(true);
    const report = engine.loadProgramme(text);
    expect(report.ok).toBe(true);
    expect(report.diagnostics.filter((d) => d.pointer.startsWith('/assets/tone'))).toEqual([]);
  });

  it('the doc describes every property the schema defines', () => {
    const names = new Set<string>();
    const walk = (node: unknown) => {
      if (!node || typeof node !== 'object') return;
      const props = (node as { properties?: Record<string, unknown> }).properties;
      if (props) for (const [k, v] of Object.entries(props)) { names.add(k); walk(v); }
      for (const v of Object.values(node as Record<string, unknown>)) if (typeof v === 'object') walk(v);
    };
    walk(schema);
    names.delete('$schema');
    const undocumented = [...names].filter((n) => !doc.includes(`\`${n}\``) && !doc.includes(`"${n}"`));
    expect(undocumented).toEqual([]);
  });
});
