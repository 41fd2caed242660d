// The engine's programme API through the wasm boundary: load/validate, resolve, re-resolve, paths.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { EngineError, type TesseraEngine } from './engine';
import { loadEngineNode } from './load-node';

const sample = readFileSync(path.resolve(process.cwd(), 'docs/examples/sample-programme.json'), 'utf8');

describe('programmes in the wasm engine', () => {
  let engine: TesseraEngine;
  beforeAll(async () => {
    engine = await loadEngineNode();
  });
  afterAll(() => engine.dispose());

  it('refuses to resolve before a valid programme is loaded', () => {
    expect(() => engine.resolve()).toThrowError(EngineError);
    expect(() => engine.resolve()).toThrowError(/no valid programme/);
    const bad = engine.loadProgramme('{"format": "tessera-programme",\n "version": 1,\n "id": 5}');
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'error', pointer: '/id', message: 'expected a string', line: 3, column: 8 }),
    );
    expect(engine.hasProgramme).toBe(false);
  });

  it('loads the sample and resolves a plan with reasons', () => {
    const report = engine.loadProgramme(sample);
    expect(report.ok).toBe(true);
    expect(report.errors).toBe(0);
    const plan = engine.resolve({ language: 'cy', orientation: 'portrait', signLanguage: true });
    expect(plan.layout.id).toBe('portrait');
    expect(plan.path.map((s) => s.scene)).toEqual(['greeting-day', 'intro', 'summary', 'credits']);
    const intro = plan.path[1]!;
    expect(intro.alternative).toBe('welsh');
    const signer = plan.objects.find((o) => o.id === 'intro/signer');
    expect(signer?.region).toMatchObject({ name: 'pip', x: 420, y: 900 });
    expect(signer?.reason).toMatchObject({ result: true, values: { signLanguage: true } });
  });

  it('validates a programme without replacing the one loaded', () => {
    engine.loadProgramme(sample);
    const before = engine.resolve({});
    const bad = engine.validateProgramme('{"format": "tessera-programme",\n "version": 1,\n "id": 5}');
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', pointer: '/id', message: 'expected a string', line: 3 }));
    expect(engine.validateProgramme(sample).ok).toBe(true);
    expect(engine.hasProgramme).toBe(true);
    expect(engine.resolve({}).path).toEqual(before.path);
  });

  it('re-resolves mid-play, reporting only the change', () => {
    engine.loadProgramme(sample);
    engine.resolve({});
    const { plan, changes } = engine.reresolve({ audioDescription: true }, 4);
    expect(changes.pathChanged).toBe(false);
    expect(changes.added.map((o) => o.id)).toEqual(['intro/ad']);
    expect(changes.removed).toEqual([]);
    expect(plan.objects.find((o) => o.id === 'intro/ad')?.start).toBe(4);
  });

  it('enumerates paths with the contract fields', () => {
    engine.loadProgramme(sample);
    const r = engine.paths({ deviceClass: 'phone' });
    expect(Object.keys(r).sort()).toEqual(['cycles', 'deadEnds', 'ok', 'paths', 'truncated', 'unreachable']);
    expect(r.paths).toHaveLength(3);
    expect(r.truncated).toBe(false);
  });

  it('fits the programme to the time available and reports the resulting duration', () => {
    engine.loadProgramme(sample);
    const full = engine.resolve({ choices: { intro: 'detail' }, dayOfWeek: 6 });
    const fitted = engine.resolve({ choices: { intro: 'detail' }, dayOfWeek: 6, timeAvailable: full.duration - 5 });
    expect(fitted.fit.applied).toBe(true);
    expect(fitted.duration).toBeLessThanOrEqual(full.duration - 5);
    expect(fitted.fit.decisions.map((d) => [d.scene, d.action])).toEqual([
      ['weekend-bonus', 'dropped'],
      ['extra', 'dropped'],
    ]);
  });
});
