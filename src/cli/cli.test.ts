// The `tessera` command as users run it: a real process through bin/tessera.mjs.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { TESSERA_BIN, tessera } from './test-support';

import golden from '../engine/golden.json';

const bin = TESSERA_BIN;

describe('tessera render-test-card', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tessera-cli-'));

  it('writes a PNG of the test card and reports the golden frame hash', async () => {
    const output = path.join(dir, 'card.png');
    const result = await tessera('render-test-card', '-o', output, '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toEqual({ output, format: 'png', width: 1280, height: 720, sha256: golden.testCard.sha256 });
    const png = readFileSync(output);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBe(720);
  });

  it('writes raw RGBA that hashes to the golden value, from the scalar build too', async () => {
    const output = path.join(dir, 'card.rgba');
    const result = await tessera('render-test-card', '-o', output, '--engine', 'scalar');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(golden.testCard.sha256);
    expect(readFileSync(output).length).toBe(1280 * 720 * 4);
  });

  it('exits 2 with usage for command-line mistakes', async () => {
    expect((await tessera()).code).toBe(2);
    const unknown = await tessera('paint');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'paint'");
    const missing = await tessera('render-test-card');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing -o');
    expect((await tessera('render-test-card', '-o', 'x.png', '--width', 'wide')).code).toBe(2);
    expect((await tessera('render-test-card', '-o', 'x.png', '--bogus')).code).toBe(2);
  });

  it('exits 1 for invalid input: an unreadable or broken font, an impossible size', async () => {
    const noFont = await tessera('render-test-card', '-o', path.join(dir, 'a.png'), '--font', path.join(dir, 'none.ttf'));
    expect(noFont.code).toBe(1);
    expect(noFont.stderr).toContain('cannot read font');
    const notAFont = await tessera('render-test-card', '-o', path.join(dir, 'b.png'), '--font', bin);
    expect(notAFont.code).toBe(1);
    expect(notAFont.stderr).toMatch(/font 'sans'/);
    const huge = await tessera('render-test-card', '-o', path.join(dir, 'c.png'), '--width', '9000');
    expect(huge.code).toBe(1);
    expect(huge.stderr).toContain('outside');
  });
});
