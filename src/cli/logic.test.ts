// `tessera logic` as users run it: a real process through bin/tessera.mjs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { TESSERA_BIN, tessera } from './test-support';

const bin = TESSERA_BIN;

describe('tessera logic', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tessera-logic-'));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const rule = file('rule.json', JSON.stringify({ filter: [{ var: 'people' }, { '>=': [{ var: 'age' }, 18] }] }));
  const data = file('data.json', JSON.stringify({ people: [{ name: 'Ann', age: 17 }, { name: 'Bo', age: 40 }] }));

  it('prints the result pretty-printed, or as { "result": … } with --json', async () => {
    const human = await tessera('logic', rule, data);
    expect(human.stderr).toBe('');
    expect(human.code).toBe(0);
    expect(human.stdout).toBe(`${JSON.stringify([{ name: 'Bo', age: 40 }], null, 2)}\n`);
    const json = await tessera('logic', rule, data, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ result: [{ name: 'Bo', age: 40 }] });
    const nan = await tessera('logic', file('nan.json', '{"/":[0,0]}'), data, '--json');
    expect(nan.stdout).toBe('{"result":null}\n');
  });

  it('exits 1 naming the file and the rule pointer when evaluation fails', async () => {
    const bad = file('bad-op.json', JSON.stringify({ if: [true, { and: [1, { frobnicate: 2 }] }] }));
    const result = await tessera('logic', bad, data);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`tessera logic: ${bad}: Unrecognized operation frobnicate (at /if/1/and/1 in the rule)\n`);
  });

  it('exits 1 for unreadable or invalid JSON files, naming the file', async () => {
    const broken = file('broken.json', '{"var": ');
    const parse = await tessera('logic', rule, broken);
    expect(parse.code).toBe(1);
    expect(parse.stderr).toContain(`${broken}: invalid JSON`);
    const missing = await tessera('logic', path.join(dir, 'none.json'), data);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read rule file');
    let deep = '1';
    for (let i = 0; i < 600; i++) deep = `[${deep}]`;
    const tooDeep = await tessera('logic', rule, file('deep.json', deep));
    expect(tooDeep.code).toBe(1);
    expect(tooDeep.stderr).toContain('deep.json: JSON nested deeper than 512 levels');
  });

  it('exits 2 with usage for command-line mistakes', async () => {
    const none = await tessera('logic');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('missing <rule.json> and <data.json>');
    expect(none.stderr).toContain('usage: tessera logic <rule.json> <data.json> [--json]');
    expect((await tessera('logic', rule)).code).toBe(2);
    expect((await tessera('logic', rule, data, 'extra')).code).toBe(2);
    expect((await tessera('logic', rule, data, '--pretty')).code).toBe(2);
    expect((await tessera('logic', '--help')).code).toBe(0);
  });
});
