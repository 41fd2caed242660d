// TesseraEngine.evaluateLogic: the TypeScript side of JSONLogic (values in and out, -0 kept on the
// way in, EngineError 'logic-failed' with the rule pointer, limits). Semantics are covered by the
// native table tests and by json-logic.diff.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { EngineError, type TesseraEngine } from './engine';
import { loadEngineNode } from './load-node';

describe('TesseraEngine.evaluateLogic', () => {
  let engine: TesseraEngine;
  beforeAll(async () => {
    engine = await loadEngineNode();
  });
  afterAll(() => engine.dispose());

  const logicError = (rule: unknown, data: unknown = {}): EngineError => {
    try {
      engine.evaluateLogic(rule, data);
    } catch (error) {
      if (error instanceof EngineError) return error;
      throw error;
    }
    throw new Error('expected an EngineError');
  };

  it('evaluates rules against data and returns plain values', () => {
    expect(engine.evaluateLogic({ if: [{ '<': [{ var: 'age' }, 18] }, 'minor', 'adult'] }, { age: 21 })).toBe('adult');
    expect(engine.evaluateLogic({ map: [{ var: 'xs' }, { '*': [{ var: '' }, 2] }] }, { xs: [1, 2, 3] })).toEqual([2, 4, 6]);
    expect(engine.evaluateLogic({ var: '' }, { b: 1, 2: 'x', a: [null] })).toEqual({ 2: 'x', b: 1, a: [null] });
    expect(engine.evaluateLogic({ cat: ['pi ', 3.14159, ' ', 1e21] }, null)).toBe('pi 3.14159 1e+21');
    expect(engine.evaluateLogic(42, undefined)).toBe(42);
  });

  it('writes NaN, Infinity and undefined as null, like JSON.stringify', () => {
    expect(engine.evaluateLogic({ '/': [0, 0] }, {})).toBeNull();
    expect(engine.evaluateLogic({ '/': [1, 0] }, {})).toBeNull();
    expect(engine.evaluateLogic({ and: [] }, {})).toBeNull();
    expect(engine.evaluateLogic({ map: [[1], { and: [] }] }, {})).toEqual([null]);
  });

  it('passes -0 through (JSON.stringify would turn it into 0)', () => {
    expect(engine.evaluateLogic({ '<': [{ '/': [1, { var: 'z' }] }, 0] }, { z: -0 })).toBe(true);
    expect(engine.evaluateLogic({ '<': [{ '/': [1, -0] }, 0] }, {})).toBe(true);
    expect(engine.evaluateLogic({ '<': [{ '/': [1, 0] }, 0] }, {})).toBe(false);
  });

  it("throws EngineError 'logic-failed' with json-logic-js's message and the rule pointer", () => {
    const unknown = logicError({ and: [true, { or: [false, { nope: [1] }] }] });
    expect(unknown.code).toBe('logic-failed');
    expect(unknown.message).toBe('Unrecognized operation nope (at /and/1/or/1 in the rule)');
    expect(logicError({ bogus: 1 }).message).toBe('Unrecognized operation bogus');
    expect(logicError({ '*': [] }).message).toBe('Reduce of empty array with no initial value');
    expect(logicError({ cat: [{ var: 'o' }] }, { o: { toString: 1 } }).message).toBe('Cannot convert object to primitive value');
    expect(logicError({ if: [1, { 'a/b~c': 1 }] }).message).toContain('(at /if/1 in the rule)');
  });

  it('stops hostile rules with an error instead of hanging or crashing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = { '!': deep };
    expect(logicError(deep).message).toMatch(/^rule nesting deeper than 256 levels \(at \/!\/!/);

    const xs = Array.from({ length: 5000 }, (_, i) => i);
    const quadratic = { map: [{ var: 'xs' }, { reduce: [xs, { '+': [{ var: 'accumulator' }, 1] }, 0] }] };
    expect(logicError(quadratic, { xs }).message).toMatch(/^evaluation exceeded 1000000 steps \(at \/map\/1\/reduce\/1\/\+\/\d in the rule\)$/);
    expect(logicError(1, { big: 'x'.repeat(5 << 20) }).message).toBe('data: JSON text larger than 4194304 bytes');

    const doubling = { reduce: [{ var: 'xs' }, { cat: [{ var: 'accumulator' }, { var: 'accumulator' }] }, 'ab'] };
    expect(logicError(doubling, { xs }).message).toMatch(/^a string would be longer than 1000000 code units/);

    let nested: unknown = [];
    for (let i = 0; i < 600; i++) nested = [nested];
    expect(logicError(1, nested).message).toBe('data: JSON nested deeper than 512 levels');
  });

  it('refuses inputs that are not JSON', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(logicError({ var: 'x' }, circular).message).toBe('the data is circular, so it is not JSON');
    expect(logicError({ var: [10n] }).message).toBe('the rule contains a BigInt, which JSON cannot carry');
    expect(engine.evaluateLogic({ var: '' }, { f: () => 1, d: new Date(0) })).toEqual({ d: '1970-01-01T00:00:00.000Z' });
  });

  it('throws after dispose', async () => {
    const other = await loadEngineNode();
    other.dispose();
    expect(() => other.evaluateLogic(1, {})).toThrowError(/disposed/);
  });
});
