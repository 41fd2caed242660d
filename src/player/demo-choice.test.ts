// The demo programme's choice (public/demo/programme.json, scene "access") in the real wasm
// engine, in Node: what the page is told of it, and that taking an option by the viewer context's
// `choices` and re-resolving in place (what controller.choose makes the worker do) sends the path
// down the chosen branch without moving what has already started.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TesseraEngine } from '../engine/engine';
import { loadEngineNode } from '../engine/load-node';
import { choicesOfPlan, openChoiceAt } from './choices';

const demoText = readFileSync(path.resolve(process.cwd(), 'public/demo/programme.json'), 'utf8');

describe('the demo programme’s choice', () => {
  let engine: TesseraEngine;
  beforeAll(async () => {
    engine = await loadEngineNode();
    expect(engine.loadProgramme(demoText).ok).toBe(true);
  });
  afterAll(() => engine.dispose());

  it('is listed with its prompt, options, opening time, timeout and default', () => {
    const plan = engine.resolve({ timeOfDay: 14 });
    const choices = choicesOfPlan(plan.path);
    expect(choices).toHaveLength(1);
    const [access] = choices;
    expect(access).toMatchObject({ scene: 'access', timeout: 6, default: 'captions', taken: null });
    expect(access!.options.map((o) => o.id)).toEqual(['captions', 'audio']);
    const scene = plan.path.find((s) => s.id === 'access')!;
    expect(access!.opensAt).toBe(scene.start + 4);
    expect(openChoiceAt(choices, access!.opensAt + 0.5)?.secondsLeft).toBe(6);
    // The path assumes the default until the viewer chooses.
    const after = plan.path[plan.path.indexOf(scene) + 1];
    expect(after?.id).toBe('captions');
  });

  it('follows the option the viewer takes, re-resolved where playback is', () => {
    const plan = engine.resolve({ timeOfDay: 14 });
    const access = choicesOfPlan(plan.path)[0]!;
    const { plan: chosen } = engine.reresolve({ timeOfDay: 14, choices: { access: 'audio' } }, access.opensAt + 1);
    const ids = chosen.path.map((s) => s.id);
    expect(ids[ids.indexOf('access') + 1]).toBe('audio');
    // Scenes already started keep their timing; the choice is now taken, so it no longer opens.
    expect(chosen.path.find((s) => s.id === 'access')?.start).toBe(plan.path.find((s) => s.id === 'access')?.start);
    expect(choicesOfPlan(chosen.path)[0]?.taken).toBe('audio');
    expect(openChoiceAt(choicesOfPlan(chosen.path), access.opensAt + 1)).toBeNull();
  });
});
