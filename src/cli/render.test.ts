// `tessera render` as users run it: a real process renders the sample programme's frames, and
// the PNG and pixels equal what the TypeScript API gives for the same moment in this process.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { captionFontFile } from '../captions/caption-fonts';
import { assetBytesForEngine } from '../engine/asset-bytes';
import { loadEngineNode } from '../engine/load-node';
import type { RenderSummary } from './render';
import { tessera } from './test-support';

const sample = path.resolve(process.cwd(), 'docs/examples/sample-programme.json');
const dir = mkdtempSync(path.join(tmpdir(), 'tessera-render-'));

/** The same moment through the TS API in this process: the engine's PNG and its pixels' hash. */
async function renderInProcess(context: Record<string, unknown>, time: number): Promise<{ png: Uint8Array; sha256: string; missing: string[] }> {
  const engine = await loadEngineNode();
  try {
    expect(engine.loadProgramme(readFileSync(sample, 'utf8')).ok).toBe(true);
    engine.resolve(context);
    for (const a of engine.mediaAt(time, 0).assets) engine.addAsset(a.asset, readFileSync(path.resolve(path.dirname(sample), a.src)));
    const report = engine.renderFrame(time);
    const sha256 = engine.withFramePixels((p) => createHash('sha256').update(p).digest('hex'));
    return { png: engine.framePng(), sha256, missing: report.missing };
  } finally {
    engine.dispose();
  }
}

function pngSize(png: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(png);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(b.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('tessera render', () => {
  it('renders a graphics-only moment completely (exit 0, nothing on stderr)', async () => {
    const output = path.join(dir, 'logo.png');
    const r = await tessera('render', sample, '--at', '8.5', '-o', output, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as RenderSummary;
    expect(summary).toEqual({ file: sample, time: 8.5, width: 1280, height: 720, output, drawn: 1, missingVideo: [], captions: [], sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const png = readFileSync(output);
    expect(pngSize(png)).toEqual({ width: 1280, height: 720 });
    const expected = await renderInProcess({}, 8.5);
    expect(expected.missing).toEqual([]);
    expect(summary.sha256).toBe(expected.sha256);
    expect(Buffer.compare(png, Buffer.from(expected.png))).toBe(0);
  });

  it('draws the captions showing, in the default style or with --caption-settings', { timeout: 60_000 }, async () => {
    const programme = path.resolve(process.cwd(), 'fixtures/programmes/captions.json');
    const plain = path.join(dir, 'captions.png');
    const r = await tessera('render', programme, '--at', '4.5', '-o', plain, '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as RenderSummary;
    expect(summary.captions).toEqual(['Two lines of captions,\nthe second under the first.', '[Narrator, quietly]']);
    // The same frame through the API, with the player's caption font.
    const engine = await loadEngineNode();
    try {
      engine.addFont('sans', readFileSync(path.resolve(process.cwd(), 'public/fonts/DejaVuSans.ttf')));
      expect(engine.loadProgramme(readFileSync(programme, 'utf8')).ok).toBe(true);
      engine.resolve({});
      for (const a of engine.mediaAt(4.5, 0).assets) engine.addAsset(a.asset, readFileSync(path.resolve(path.dirname(programme), a.src)));
      engine.renderFrame(4.5);
      expect(summary.sha256).toBe(engine.withFramePixels((p) => createHash('sha256').update(p).digest('hex')));
    } finally {
      engine.dispose();
    }
    const settings = path.join(dir, 'caption-settings.json');
    writeFileSync(settings, JSON.stringify({ size: 150, textColour: '#ffff00', font: 'serif', position: 'top' }));
    const styled = await tessera('render', programme, '--at', '4.5', '-o', path.join(dir, 'captions-styled.png'), '--caption-settings', settings, '--json');
    expect(styled.code).toBe(0);
    const styledSummary = JSON.parse(styled.stdout) as RenderSummary;
    expect(styledSummary.captions).toEqual(summary.captions);
    expect(styledSummary.sha256).not.toBe(summary.sha256);
    const off = await tessera('render', programme, '--context', 'captions=false', '--at', '4.5', '-o', path.join(dir, 'captions-off.png'), '--json');
    expect((JSON.parse(off.stdout) as RenderSummary).captions).toEqual([]);
    const bad = await tessera('render', programme, '--at', '4.5', '-o', path.join(dir, 'x.png'), '--caption-settings', path.join(dir, 'missing.json'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot read caption settings .*missing\.json/);
  });

  it('draws TTML captions (imsc snapshots laid out by the engine) with the fonts they need', { timeout: 60_000 }, async () => {
    const programme = path.resolve(process.cwd(), 'fixtures/programmes/captions-ttml.json');
    const engine = await loadEngineNode();
    let withoutCjk: string;
    let withCjk: string;
    try {
      engine.addFont('sans', readFileSync(path.resolve(process.cwd(), 'public/fonts/DejaVuSans.ttf')));
      expect(engine.loadProgramme(readFileSync(programme, 'utf8')).ok).toBe(true);
      engine.resolve({});
      const needs = engine.mediaAt(8.2, 0);
      const ttml = needs.assets.find((a) => a.asset === 'captions-imsc');
      expect(ttml).toMatchObject({ type: 'captions', format: 'ttml' });
      expect(needs.fonts ?? []).toEqual([]);
      const xml = readFileSync(path.resolve(path.dirname(programme), ttml!.src));
      engine.addAsset(ttml!.asset, await assetBytesForEngine(ttml!, xml, 16 / 9));
      // Japanese text: the engine now asks for the CJK fallback font.
      expect(engine.mediaAt(8.2, 0).fonts).toEqual(['cjk']);
      const hash = () => engine.withFramePixels((p) => createHash('sha256').update(p).digest('hex'));
      expect(engine.renderFrame(8.2).captions).toEqual(['漢字です']);
      withoutCjk = hash();
      engine.addFont('cjk', readFileSync(captionFontFile('cjk').file));
      expect(engine.mediaAt(8.2, 0).fonts ?? []).toEqual([]);
      expect(engine.renderFrame(8.2).captions).toEqual(['漢字です']);
      withCjk = hash();
      expect(withCjk).not.toBe(withoutCjk); // glyphs instead of .notdef boxes
    } finally {
      engine.dispose();
    }

    // The CLI does the same: imsc, the engine's layout, the fonts asked for.
    const r = await tessera('render', programme, '--at', '8.2', '-o', path.join(dir, 'ttml.png'), '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as RenderSummary;
    expect(summary.captions).toEqual(['漢字です']);
    expect(summary.sha256).toBe(withCjk);
    const ebu = JSON.parse((await tessera('render', programme, '--at', '1.5', '-o', path.join(dir, 'ebu.png'), '--json')).stdout) as RenderSummary;
    expect(ebu.captions).toEqual(["Croeso i Gymru.\nMae'r môr yn ŵyllt heddiw."]);
  });

  it('draws graphics over missing video, names the video on stderr and still exits 0', async () => {
    const output = path.join(dir, 'strap.png');
    const r = await tessera('render', sample, '--context', 'viewerName=Siân', '--context', 'timeOfDay=14', '--at', '1.5', '-o', output, '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("tessera render: frame at 1.5 s shows video object greeting-day/picture that Node cannot decode; it is left black\n");
    const summary = JSON.parse(r.stdout) as RenderSummary;
    expect(summary.missingVideo).toEqual(['greeting-day/picture']);
    expect(summary.drawn).toBe(1);  // the name strap (text in the programme's font, read from disk)
    const expected = await renderInProcess({ viewerName: 'Siân', timeOfDay: 14 }, 1.5);
    expect(expected.missing).toEqual(['greeting-day/picture']);
    expect(summary.sha256).toBe(expected.sha256);
    expect(Buffer.compare(readFileSync(output), Buffer.from(expected.png))).toBe(0);
  });

  it('lists every video object of a moment; --require-complete makes that exit 1 (the PNG is still written)', { timeout: 60_000 }, async () => {
    const output = path.join(dir, 'intro.png');
    const r = await tessera('render', sample, 'signLanguage=true', '--at', '4', '-o', output);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('frame at 4 s shows video objects intro/picture, intro/signer that Node cannot decode; they are left black');
    expect(r.stdout).toMatch(/^wrote .*intro\.png \(1280×720, frame at 4 s, 1 object drawn; 2 video objects left black; frame SHA-256 [0-9a-f]{64}\)\n$/);

    const strict = path.join(dir, 'strict.png');
    const s = await tessera('render', sample, '--context', 'signLanguage=true', '--at', '4', '-o', strict, '--require-complete', '--json');
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('--require-complete');
    expect((JSON.parse(s.stdout) as RenderSummary).missingVideo).toEqual(['intro/picture', 'intro/signer']);
    expect(pngSize(readFileSync(strict))).toEqual({ width: 1280, height: 720 });
    const complete = await tessera('render', sample, '--at', '8.5', '-o', path.join(dir, 'complete.png'), '--require-complete');
    expect(complete.code).toBe(0);
  });

  it('exits 2 with usage for command-line mistakes', { timeout: 60_000 }, async () => {
    const out = path.join(dir, 'x.png');
    const cases: string[][] = [
      ['render'],
      ['render', sample, '-o', out],
      ['render', sample, '--at', 'soon', '-o', out],
      ['render', sample, '--at', '-1', '-o', out],
      ['render', sample, '--at', '', '-o', out],
      ['render', sample, '--at', '1'],
      ['render', sample, '--at', '1', '-o', path.join(dir, 'x.jpg')],
      ['render', sample, '--at', '1', '-o', out, '--bogus'],
      ['render', sample, '--at', '1', '-o', out, '--context', 'novalue'],
    ];
    for (const args of cases) {
      const r = await tessera(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain('usage: tessera render');
    }
    const help = await tessera('render', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--at <seconds>');
  });

  it("exits 1 for invalid input, with the validator's diagnostics", { timeout: 60_000 }, async () => {
    const syntax = path.join(dir, 'syntax.json');
    writeFileSync(syntax, '{\n  "format": "tessera-programme",\n  oops\n}');
    const broken = await tessera('render', syntax, '--at', '1', '-o', path.join(dir, 'y.png'));
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/syntax\.json:3:\d+: error: invalid JSON/);
    expect(broken.stderr).toContain('is not a valid programme');

    expect((await tessera('render', path.join(dir, 'absent.json'), '--at', '1', '-o', path.join(dir, 'y.png'))).code).toBe(1);

    const late = await tessera('render', sample, '--at', '99', '-o', path.join(dir, 'y.png'));
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('not before the end of the plan (15.53 s');

    // Asset paths are relative to the programme: a copy in a temporary directory finds none of them.
    const copy = path.join(dir, 'programme.json');
    writeFileSync(copy, readFileSync(sample));
    const elsewhere = await tessera('render', copy, '--at', '8.5', '-o', path.join(dir, 'y.png'));
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/cannot read (font ui-font|image logo)/);
  });
});
