// `tessera validate`, `paths` and `resolve` as users run them: real processes, real files.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { tessera } from './test-support';

import { parseContext } from './programme-input';

const sample = path.resolve(process.cwd(), 'docs/examples/sample-programme.json');


const dir = mkdtempSync(path.join(tmpdir(), 'tessera-programme-'));
function writeBroken(): string {
  const p = JSON.parse(readFileSync(sample, 'utf8')) as { scenes: Record<string, { next?: { scene: string }[] }>; assets: Record<string, { src?: string }> };
  p.scenes['summary']!.next = [{ scene: 'nowhere' }];
  p.assets['logo']!.src = 'images/missing.png';
  const file = path.join(dir, 'broken.json');
  writeFileSync(file, JSON.stringify(p, null, 2));
  return file;
}

describe('tessera validate', () => {
  it('passes the sample (exit 0) and reports warnings with file:line:column', async () => {
    const r = await tessera('validate', sample);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sample-programme\.json:\d+:\d+: warning: .* \(at \/scenes\/intro\/objects\/6\)/);
    expect(r.stdout).toContain('valid (0 errors');
  });

  it('exits 1 and names every problem with its pointer, including missing asset files', async () => {
    const file = writeBroken();
    const r = await tessera('validate', file, '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { ok: boolean; errors: number; diagnostics: { severity: string; pointer: string; message: string; line: number }[] };
    expect(report.ok).toBe(false);
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', pointer: '/scenes/summary/next/0/scene', message: 'no scene named "nowhere"' }));
    expect(report.diagnostics.find((d) => d.pointer === '/scenes/summary/next/0/scene')!.line).toBeGreaterThan(1);
  });

  it('reports asset files that do not exist', async () => {
    const p = JSON.parse(readFileSync(sample, 'utf8')) as { assets: Record<string, { src?: string }> };
    p.assets['logo']!.src = 'images/missing.png';
    const file = path.join(dir, 'missing-file.json');
    writeFileSync(file, JSON.stringify(p));
    const r = await tessera('validate', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('asset file not found: images/missing.png (at /assets/logo/src)');
  });

  it('exits 1 on invalid JSON with the line, and 2 on usage errors', async () => {
    const file = path.join(dir, 'syntax.json');
    writeFileSync(file, '{\n  "format": "tessera-programme",\n  oops\n}');
    const r = await tessera('validate', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/syntax\.json:3:\d+: error: invalid JSON/);
    expect((await tessera('validate')).code).toBe(2);
    expect((await tessera('validate', path.join(dir, 'absent.json'))).code).toBe(1);
  });
});

describe('tessera paths', () => {
  it('prints the paths contract as JSON', async () => {
    const r = await tessera('paths', sample, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      paths: [
        ['greeting-day', 'intro', 'detail', 'extra', 'summary', 'credits'],
        ['greeting-day', 'intro', 'summary', 'credits'],
      ],
      truncated: false,
      cycles: [],
      unreachable: [],
      deadEnds: [],
    });
  });

  it('follows the context given on the command line', async () => {
    const r = await tessera('paths', sample, '--context', 'timeOfDay=9', 'deviceClass=phone');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('greeting-morning → intro');
    expect(r.stdout).toContain('3 paths');
  });

  it('refuses an invalid programme with exit 1', async () => {
    const r = await tessera('paths', writeBroken());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no scene named "nowhere"');
  });
});

describe('tessera resolve', () => {
  it('prints the plan as JSON with reasons', async () => {
    const r = await tessera('resolve', sample, '--context', 'language=cy', '--context', 'choices.intro=detail', '--json');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { path: { scene: string; alternative: string | null }[]; objects: { id: string; asset: string }[] };
    expect(plan.path[1]).toMatchObject({ scene: 'intro', alternative: 'welsh' });
    expect(plan.path[2]!.scene).toBe('detail');
    expect(plan.objects.find((o) => o.id === 'intro/narration')!.asset).toBe('narration-cy');
  });

  it('prints a readable plan, and what changes when the context changes mid-play', async () => {
    const human = await tessera('resolve', sample, 'timeAvailable=12');
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('layout landscape (1280×720)');
    expect(human.stdout).toMatch(/intro\/picture \(video clip-a\) @main/);
    const changed = await tessera('resolve', sample, '--at', '5', '--then', 'signLanguage=true');
    expect(changed.code).toBe(0);
    expect(changed.stdout).toContain('at 5 s: 1 added, 0 removed, 0 changed');
    expect(changed.stdout).toContain('+ intro/signer (signer)');
  });

  it('usage errors exit 2', async () => {
    expect((await tessera('resolve', sample, '--at', 'soon', '--then', 'a=1')).code).toBe(2);
    expect((await tessera('resolve', sample, '--at', '3')).code).toBe(2);
    expect((await tessera('resolve', sample, 'notapair')).code).toBe(2);
  });
});

describe('context arguments', () => {
  it('parse JSON values, strings and dotted keys, and refuse prototype keys', () => {
    expect(parseContext(['a=1', 'b=true', 'c=cy', 'd.e=x', 'f=[1,2]'])).toEqual({ a: 1, b: true, c: 'cy', d: { e: 'x' }, f: [1, 2] });
    expect(() => parseContext(['__proto__.x=1'])).toThrow(/invalid context key/);
    expect(() => parseContext(['novalue'])).toThrow(/key=value/);
  });
});
