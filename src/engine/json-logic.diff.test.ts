// Differential test: random JSONLogic rules and data, evaluated by json-logic-js 2.0.5 (the
// reference) and by the wasm engine, must give the same JSON (or the same error message).
// Seeded, so a failure names a seed and case index that reproduce it.
//
// Left out, because they cannot be compared (docs/json-logic.md lists them):
// - var paths naming inherited JS properties ("toString", "constructor", string/array methods):
//   json-logic-js returns functions there, which JSON cannot carry; the engine returns undefined.
// - unpaired surrogates *in the input* (the engine's JSON parser rejects "\ud800"); results that
//   cut a surrogate pair (substr over emoji) are generated and compared.
// - rules deeper than the engine's limits (json-logic-js would recurse until its stack overflows).
// - log's console output: console.log is silenced; log's return value is compared.
import jsonLogic from 'json-logic-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { EngineError, type TesseraEngine } from './engine';
import { loadEngineNode } from './load-node';
import { seededRandom } from '../testing/seeded-random';

/** mulberry32: small, fast, and the same sequence on every platform. */
class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const NUMBERS = [0, -0, 1, -1, 2, 3, 7, 10, 100, 0.5, -2.5, 0.1, 0.2, 1 / 3, 1e21, 1e-7, 123e-20, 2 ** 53, 2 ** 53 + 2, 1e300, -1e-300, 5e-324, 1.7976931348623157e308, 123456.789];
const STRINGS = ['', ' ', '0', '1', '2', '-1', ' 12 ', '0x1f', '0b11', '1e3', '1.5', '.5', 'abc', 'a', 'b', 'ab', 'a.b', 'Infinity', '-0', '\u00a0 5 \n', 'é', '😀x', 'x😀y', '1,2', 'true', 'null', 'undefined', '[object Object]', 'Spring', 'field', 'NaN', '  ', '\t3', 'B', 'aB'];
const KEYS = ['a', 'b', 'c', 'x', 'y', '0', '1', '2', 's', 'n', 'arr', 'obj', 'current', 'accumulator', 'length', '', 'a.b'];
const RARE_KEYS = ['toString', 'valueOf', 'indexOf'];
const PATHS: Json[] = ['', 'a', 'b', 'c', 'x', 'a.b', 'a.b.c', 'arr', 'arr.0', 'arr.1', 'arr.length', 's', 's.length', 's.0', 's.1', 'obj', 'obj.x', 'obj.a', 'n', '0', '1', '1.a', 0, 1, 2, null, 'current', 'accumulator', 'current.a', 'accumulator.0', 'nope', 'a.', '.a', 'length', '0.0'];

function number(rng: Rng): number {
  if (rng.chance(0.6)) return rng.pick(NUMBERS);
  const scale = rng.pick([1, 10, 1000, 1e-3, 1e6]);
  const n = (rng.next() * 200 - 100) * scale;
  return rng.chance(0.5) ? Math.round(n) : Number(n.toPrecision(1 + rng.int(17)));
}

function string(rng: Rng): string {
  if (rng.chance(0.75)) return rng.pick(STRINGS);
  if (rng.chance(0.3)) return String(number(rng));
  let s = '';
  for (let i = rng.int(6); i > 0; i--) s += rng.pick(['a', 'b', 'c', '1', '.', ' ', '-', 'é', '😀', 'Z']);
  return s;
}

function data(rng: Rng, depth: number): Json {
  const r = rng.next();
  if (depth <= 0 || r < 0.45) {
    const k = rng.int(10);
    if (k < 4) return number(rng);
    if (k < 8) return string(rng);
    if (k < 9) return rng.chance(0.5);
    return null;
  }
  if (r < 0.7) {
    const items: Json[] = [];
    for (let i = rng.int(5); i > 0; i--) items.push(data(rng, depth - 1));
    return items;
  }
  const obj: { [key: string]: Json } = {};
  for (let i = rng.int(5); i > 0; i--) {
    const key = rng.chance(0.03) ? rng.pick(RARE_KEYS) : rng.pick(KEYS);
    obj[key] = data(rng, depth - 1);
  }
  return obj;
}

function topData(rng: Rng): Json {
  if (rng.chance(0.1)) return data(rng, 3);
  const obj: { [key: string]: Json } = {};
  for (const key of ['a', 'b', 'c', 'x', 's', 'n', 'arr', 'obj']) {
    if (rng.chance(0.75)) obj[key] = data(rng, 3);
  }
  if (rng.chance(0.5)) obj.arr = [data(rng, 1), data(rng, 1), data(rng, 1)];
  if (rng.chance(0.5)) obj.s = string(rng);
  if (rng.chance(0.5)) obj.a = { b: data(rng, 2), c: data(rng, 1) };
  return obj;
}

const OPS = ['var', 'missing', 'missing_some', 'if', '?:', '==', '===', '!=', '!==', '!', '!!', 'or', 'and', '>', '>=', '<', '<=', 'max', 'min', '+', '-', '*', '/', '%', 'map', 'filter', 'reduce', 'all', 'none', 'some', 'merge', 'in', 'cat', 'substr', 'log'] as const;
const UNKNOWN_OPS = ['nope', 'a.b', 'var.x', 'if.x', 'var.length', 'cat.name.length', 'max.prototype.constructor', '.x', 'x.', 'missing.name.0', 'var.name.q'];

function args(rng: Rng, depth: number, min: number, max: number): Json[] {
  const out: Json[] = [];
  for (let n = min + rng.int(max - min + 1); n > 0; n--) out.push(rule(rng, depth - 1));
  return out;
}

/** A rule that usually yields an array (for map, filter, reduce, all, none, some, merge). */
function arrayish(rng: Rng, depth: number): Json {
  switch (rng.int(6)) {
    case 0: return { var: rng.pick(['arr', 'obj', 's', 'a', '', 'x']) };
    case 1: return args(rng, depth, 0, 4).map((x) => x);
    case 2: return { merge: args(rng, depth, 0, 3) };
    case 3: return [number(rng), number(rng), string(rng)];
    case 4: return rule(rng, depth - 1);
    default: return { var: 'arr' };
  }
}

function operation(rng: Rng, depth: number, op: (typeof OPS)[number]): Json {
  const unary = (): Json => (rng.chance(0.3) ? rule(rng, depth - 1) : args(rng, depth, 0, 2));
  switch (op) {
    case 'var': {
      const path = rng.chance(0.15) ? rule(rng, depth - 1) : rng.pick(PATHS);
      const form = rng.int(4);
      if (form === 0) return { var: path };
      if (form === 1) return { var: [path] };
      if (form === 2) return { var: [path, rule(rng, depth - 1)] };
      return { var: [] };
    }
    case 'missing': {
      const keys: Json[] = [];
      for (let i = rng.int(4); i > 0; i--) keys.push(rng.chance(0.85) ? rng.pick(PATHS) : rule(rng, depth - 1));
      return { missing: rng.chance(0.3) ? [keys] : rng.chance(0.2) ? rule(rng, depth - 1) : keys };
    }
    case 'missing_some': {
      const keys: Json[] = [];
      for (let i = rng.int(4); i > 0; i--) keys.push(rng.pick(PATHS));
      const need = rng.chance(0.8) ? rng.int(4) : rule(rng, depth - 1);
      return { missing_some: rng.chance(0.8) ? [need, keys] : [need, rule(rng, depth - 1)] };
    }
    case 'if':
    case '?:':
      return { [op]: rng.chance(0.1) ? rule(rng, depth - 1) : args(rng, depth, 0, 6) };
    case '!':
    case '!!':
    case 'log':
      return { [op]: unary() };
    case '<':
    case '<=':
      return { [op]: args(rng, depth, rng.chance(0.1) ? 0 : 2, 3) };
    case '==': case '===': case '!=': case '!==': case '>': case '>=': case '/': case '%':
      return { [op]: args(rng, depth, rng.chance(0.1) ? 0 : 2, rng.chance(0.1) ? 3 : 2) };
    case '-':
      return { [op]: rng.chance(0.2) ? rule(rng, depth - 1) : args(rng, depth, 0, 2) };
    case '+': case '*': case 'max': case 'min': case 'cat': case 'merge': case 'or': case 'and':
      return { [op]: rng.chance(0.15) ? rule(rng, depth - 1) : args(rng, depth, 0, 4) };
    case 'in':
      return { in: [rule(rng, depth - 1), rng.chance(0.5) ? arrayish(rng, depth) : rule(rng, depth - 1)] };
    case 'substr': {
      const a: Json[] = [rng.chance(0.6) ? string(rng) : rule(rng, depth - 1)];
      for (let i = rng.int(3); i > 0; i--) a.push(rng.chance(0.7) ? rng.pick([0, 1, 2, -1, -2, -5, 10, '1', '-1', 1.5, -0]) : rule(rng, depth - 1));
      return { substr: a };
    }
    case 'map': case 'filter': case 'all': case 'none': case 'some':
      return { [op]: rng.chance(0.05) ? [arrayish(rng, depth)] : [arrayish(rng, depth), rule(rng, depth - 1)] };
    case 'reduce': {
      const body = rng.chance(0.6)
        ? { [rng.pick(['+', 'cat', 'max', 'merge', 'if', 'and', '*'])]: [{ var: rng.pick(['current', 'accumulator', 'current.a', '']) }, { var: rng.pick(['accumulator', 'current']) }] }
        : rule(rng, depth - 1);
      const a: Json[] = [arrayish(rng, depth), body];
      if (rng.chance(0.7)) a.push(rule(rng, depth - 1));
      return { reduce: a };
    }
  }
}

function rule(rng: Rng, depth: number): Json {
  const r = rng.next();
  if (depth <= 0 || r < 0.25) {
    if (rng.chance(0.4)) return { var: rng.pick(PATHS) };
    return data(rng, 1);
  }
  if (r < 0.28) return [rule(rng, depth - 1), rule(rng, depth - 1)];
  if (r < 0.29) return { a: rule(rng, depth - 1), b: 1 };
  if (r < 0.295) return { [rng.pick(UNKNOWN_OPS)]: args(rng, depth, 0, 2) };
  return operation(rng, depth, rng.pick(OPS));
}

type Outcome = { ok: true; json: string } | { ok: false; error: string };

function reference(logic: Json, input: Json): Outcome {
  try {
    const result: unknown = jsonLogic.apply(logic as never, input);
    return { ok: true, json: JSON.stringify(result === undefined ? null : result) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

function engineOutcome(engine: TesseraEngine, logic: Json, input: Json): Outcome {
  try {
    return { ok: true, json: JSON.stringify(engine.evaluateLogic(logic, input)) };
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    return { ok: false, error: error.message.replace(/ \(at \/.* in the rule\)$/, '') };
  }
}

/** JSON for the failure report that shows -0 (JSON.stringify would print 0). */
const show = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (Object.is(x, -0) ? '«-0»' : x));

describe('JSONLogic: engine vs json-logic-js on random rules', () => {
  let engine: TesseraEngine;
  beforeAll(async () => {
    engine = await loadEngineNode();
    vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterAll(() => {
    vi.restoreAllMocks();
    engine.dispose();
  });

  const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
  const PER_SEED = 1000;

  it(`agrees on ${SEEDS.length * PER_SEED} rule/data pairs`, () => {
    let compared = 0;
    let errors = 0;
    const used = new Map<string, number>();
    const count = (logic: Json) => {
      if (Array.isArray(logic)) logic.forEach(count);
      else if (logic !== null && typeof logic === 'object') {
        const keys = Object.keys(logic);
        if (keys.length === 1) used.set(keys[0]!, (used.get(keys[0]!) ?? 0) + 1);
        Object.values(logic).forEach(count);
      }
    };
    for (const seed of SEEDS) {
      const rng = new Rng(seed);
      for (let i = 0; i < PER_SEED; i++) {
        const logic = rule(rng, 1 + rng.int(5));
        const input = topData(rng);
        const expected = reference(logic, input);
        const actual = engineOutcome(engine, logic, input);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          expect.fail(
            `seed ${seed} case ${i}: engine and json-logic-js disagree\n` +
              `  rule:           ${show(logic)}\n  data:           ${show(input)}\n` +
              `  json-logic-js:  ${JSON.stringify(expected)}\n  engine:         ${JSON.stringify(actual)}`,
          );
        }
        compared += 1;
        if (!expected.ok) errors += 1;
        count(logic);
      }
    }
    expect(compared).toBe(SEEDS.length * PER_SEED);
    // The generator must exercise every operation and mostly produce values, not errors.
    for (const op of OPS) expect(used.get(op) ?? 0, `operation ${op} generated`).toBeGreaterThan(200);
    expect(errors / compared).toBeLessThan(0.2);
  });
});
