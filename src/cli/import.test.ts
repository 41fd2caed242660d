// `tessera import storyplayer` as users run it: a real process, real files, and `tessera paths`
// on the result.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { TESSERA_BIN, tessera } from './test-support';

const bin = TESSERA_BIN;
const fixtures = path.resolve(process.cwd(), 'src/programme/import/fixtures');
const dir = mkdtempSync(path.join(tmpdir(), 'tessera-import-'));

interface PathsJson {
  paths: string[][];
  cycles: string[][];
  deadEnds: string[];
}

describe('tessera import storyplayer', () => {
  it('imports a branching story; `tessera paths` follows its structure and keeps the element ids', async () => {
    const output = path.join(dir, 'choices.json');
    const r = await tessera('import', 'storyplayer', path.join(fixtures, 'link-choice.json'), '-o', output, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { output: string; warnings: { path: string; message: string }[]; scenes: number };
    expect(report.output).toBe(output);
    expect(report.scenes).toBe(7);
    expect(report.warnings.length).toBeGreaterThan(0);
    for (const w of report.warnings) expect(w.path).toMatch(/^\//);
    const programme = JSON.parse(readFileSync(output, 'utf8')) as { source: unknown; scenes: Record<string, { source?: { id: string } }> };
    expect(programme.source).toEqual({ format: 'storyplayer', id: 'choices', warnings: report.warnings.length });
    expect(programme.scenes['start']!.source).toEqual({ format: 'storyplayer', id: 'start' });

    const paths = await tessera('paths', output, '--json');
    expect(paths.code).toBe(0);
    expect((JSON.parse(paths.stdout) as PathsJson).paths).toEqual([
      ['start', 'left', 'cave', 'outro'],
      ['start', 'left', 'river', 'outro'],
      ['start', 'right', 'outro'],
    ]);
    const withKey = await tessera('paths', output, '--context', 'has_key=true');
    expect(withKey.code).toBe(0);
    expect(withKey.stdout).toContain('start → secret → outro');
    expect(withKey.stdout).toContain('4 paths');
  });

  it('keeps UUID element ids through a linear import and a nested story', async () => {
    const linear = path.join(dir, 'linear.json');
    expect((await tessera('import', 'storyplayer', path.join(fixtures, 'linear.json'), '-o', linear)).code).toBe(0);
    const story = JSON.parse(readFileSync(path.join(fixtures, 'linear.json'), 'utf8')) as { narrative_elements: { id: string }[] };
    const p = JSON.parse((await tessera('paths', linear, '--json')).stdout) as PathsJson;
    expect(p.paths).toEqual([story.narrative_elements.map((n) => n.id)]);

    const nested = path.join(dir, 'nested.json');
    expect((await tessera('import', 'storyplayer', path.join(fixtures, 'nested.json'), '-o', nested)).code).toBe(0);
    const q = JSON.parse((await tessera('paths', nested, '--json', '--context', 'timeOfDay=20')).stdout) as PathsJson;
    expect(q.paths).toEqual([['ep-intro', 'chapter', 'finale', 'goodnight']]);
    // Valid apart from the media files, which the fixtures only name.
    const v = JSON.parse((await tessera('validate', nested, '--json')).stdout) as { diagnostics: { severity: string; message: string }[] };
    const errors = v.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.message).toMatch(/^asset file not found: media\//);
  });

  it('writes the programme to stdout and warnings to stderr without -o', async () => {
    const r = await tessera('import', 'storyplayer', path.join(fixtures, 'variable-panel.json'));
    expect(r.code).toBe(0);
    const programme = JSON.parse(r.stdout) as { format: string; scenes: Record<string, unknown> };
    expect(programme.format).toBe('tessera-programme');
    expect(Object.keys(programme.scenes)).toContain('menu~after-panel');
    expect(r.stderr).toMatch(/variable-panel\.json: warning: .* \(at \/representations\/1\/behaviours\/completed\/0\/variables\/2\)/);
  });

  it('reports the output file and counts in human form', async () => {
    const output = path.join(dir, 'reps.json');
    const r = await tessera('import', 'storyplayer', path.join(fixtures, 'representations.json'), '-o', output);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${output}: imported 2 scenes from ${path.join(fixtures, 'representations.json')} (${r.stderr.trim().split('\n').length} warnings)\n`);
  });

  it('uses a durations file to time the scenes', async () => {
    const durations = path.join(dir, 'durations.json');
    writeFileSync(durations, JSON.stringify({ 'ac-clip': 4 }));
    const output = path.join(dir, 'timed.json');
    const r = await tessera('import', 'storyplayer', path.join(fixtures, 'nested.json'), '-o', output, '--durations', durations, '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { warnings: unknown[] }).warnings).toEqual([]);
    const plan = JSON.parse((await tessera('resolve', output, '--json')).stdout) as { duration: number };
    expect(plan.duration).toBe(16);
  });

  it('exits 1 for input that is not JSON or not a StoryPlayer experience', async () => {
    const notJson = path.join(dir, 'not.json');
    writeFileSync(notJson, '{ stories: ');
    const a = await tessera('import', 'storyplayer', notJson);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain('is not JSON');
    const programme = path.resolve(process.cwd(), 'docs/examples/sample-programme.json');
    const b = await tessera('import', 'storyplayer', programme);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain('not a StoryPlayer experience');
    const c = await tessera('import', 'storyplayer', path.join(dir, 'missing.json'));
    expect(c.code).toBe(1);
    const d = await tessera('import', 'storyplayer', path.join(fixtures, 'linear.json'), '--story', 'nope');
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('no story with id "nope"');
  });

  it('exits 2 for command-line mistakes', async () => {
    expect((await tessera('import')).code).toBe(2);
    const unknown = await tessera('import', 'twine', 'x.json');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown source format 'twine'");
    expect((await tessera('import', 'storyplayer')).code).toBe(2);
    expect((await tessera('import', 'storyplayer', 'a.json', 'b.json')).code).toBe(2);
    expect((await tessera('import', 'storyplayer', 'a.json', '--bogus')).code).toBe(2);
  });
});
