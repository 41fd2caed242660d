// `tessera captions`: WebVTT and SRT through the engine (the VTTCue / VTTRegion JSON contract),
// TTML through imsc (text events), the format found from the content, as a real process.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { detectCaptionFormat } from './captions';
import { tessera } from './test-support';

const fixture = (name: string) => path.resolve(process.cwd(), 'fixtures/captions', name);
const dir = mkdtempSync(path.join(tmpdir(), 'tessera-captions-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('detectCaptionFormat', () => {
  it('finds the format from the content, not the name', () => {
    expect(detectCaptionFormat('WEBVTT\n\n')).toBe('vtt');
    expect(detectCaptionFormat('\uFEFFWEBVTT - title\n')).toBe('vtt');
    expect(detectCaptionFormat('WEBVTT')).toBe('vtt');
    expect(detectCaptionFormat('WEBVTTX\n')).toBe(null);
    expect(detectCaptionFormat('<?xml version="1.0"?>\n<tt xmlns="http://www.w3.org/ns/ttml"/>')).toBe('ttml');
    expect(detectCaptionFormat('\r\n1\r\n00:00:01,000 --> 00:00:02,000\r\nhi\r\n')).toBe('srt');
    expect(detectCaptionFormat('00:00:01.000 --> 00:00:02.000\nno number\n')).toBe('srt');
    expect(detectCaptionFormat('{"format": "tessera-programme"}')).toBe(null);
    expect(detectCaptionFormat('<html><body/></html>')).toBe(null);
  });
});

describe('tessera captions', () => {
  it('prints WebVTT as the VTTCue / VTTRegion contract, errors by line', async () => {
    const result = await tessera('captions', fixture('sample.vtt'), '--json');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout) as { cues: unknown[]; regions: unknown[]; errors: { line: number; message: string }[] };
    expect(Object.keys(json)).toEqual(['cues', 'regions', 'errors']);
    expect(json.regions).toEqual([
      { id: 'fred', width: 40, lines: 3, regionAnchorX: 0, regionAnchorY: 100, viewportAnchorX: 10, viewportAnchorY: 90, scroll: 'up' },
    ]);
    expect(json.cues).toEqual([
      {
        id: 'one', startTime: 1, endTime: 2.5, text: '<v Siân>Hello &amp; croeso</v>', vertical: '', snapToLines: false, line: 10,
        lineAlign: 'start', position: 20, positionAlign: 'line-left', size: 50, align: 'start', region: null,
      },
      {
        id: '', startTime: 3, endTime: 4, text: 'In a region\nsecond line', vertical: '', snapToLines: true, line: 'auto',
        lineAlign: 'start', position: 'auto', positionAlign: 'auto', size: 100, align: 'center', region: 'fred',
      },
    ]);
    expect(json.errors.map((e) => e.line)).toEqual([19]);
  });

  it('prints SRT in the same contract, and lists cues for people without --json', async () => {
    const json = await tessera('captions', fixture('sample.srt'), '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      cues: [
        { id: '1', startTime: 1, endTime: 2, text: '<i>Two</i>\nlines' },
        { id: '2', startTime: 3.25, endTime: 4, text: 'next' },
      ],
      regions: [],
      errors: [],
    });
    const human = await tessera('captions', fixture('sample.vtt'));
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`${fixture('sample.vtt')}: WebVTT, 2 cues, 1 region, 1 problem`);
    expect(human.stdout).toContain('  00:00:01.000 --> 00:00:02.500  [one]  line:10% position:20%,line-left size:50% align:start\n    <v Siân>Hello &amp; croeso</v>');
    expect(human.stderr).toMatch(new RegExp(`^${fixture('sample.vtt').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:19: error: `));
  });

  it('prints TTML as text events, one per interval of constant text', async () => {
    const result = await tessera('captions', fixture('ebu-tt-d-iplayer.xml'), '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      events: [
        { begin: 0, end: 1, text: '' },
        { begin: 1, end: 3.5, text: "Croeso i Gymru.\nMae'r môr yn ŵyllt heddiw." },
        { begin: 3.5, end: 5, text: "Who's there?" },
        { begin: 5, end: 6, text: 'Hold on!\n[THUNDER]' },
        { begin: 6, end: 8, text: '' },
        { begin: 8, end: 10, text: 'Hold on!' },
      ],
    });
    const human = await tessera('captions', fixture('imsc11-text.xml'));
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('imsc11-text.xml: TTML, 5 intervals with text, 0 problems');
    expect(human.stdout).toContain('  00:00:04.400 --> 00:00:05.480\n    Half red\n');
  });

  it('adds imsc’s errors to the TTML JSON only when there are some', async () => {
    const file = write(
      'odd.ttml',
      '<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="1s" end="zz">x</p><p begin="1s" end="2s">y</p></div></body></tt>',
    );
    const result = await tessera('captions', file, '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      events: [
        { begin: 0, end: 1, text: '' },
        { begin: 1, end: 2, text: 'x\ny' },
        { begin: 2, end: null, text: 'x' },
      ],
      errors: [{ message: 'warning: Malformed end value (ignoring)' }],
    });
  });

  it('takes --format over the content', async () => {
    // An SRT file read as WebVTT has no signature: no cues, and the parser says why.
    const result = await tessera('captions', fixture('sample.srt'), '--format', 'vtt', '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { cues: unknown[]; errors: unknown[] };
    expect(json.cues).toEqual([]);
    expect(json.errors.length).toBeGreaterThan(0);
  });

  it('exits 1 naming the file when it cannot be read or is not a caption file', async () => {
    const missing = path.join(dir, 'missing.vtt');
    const unreadable = await tessera('captions', missing);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toContain(`cannot read ${missing}`);

    const json = write('programme.json', '{"format": "tessera-programme"}');
    const notCaptions = await tessera('captions', json, '--json');
    expect(notCaptions.code).toBe(1);
    expect(notCaptions.stdout).toBe('');
    expect(notCaptions.stderr).toBe(`tessera captions: ${json}: not a caption file (expected WebVTT, SRT or TTML)\n`);

    const broken = write('broken.ttml', '<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p>x</div></body></tt>');
    const brokenRun = await tessera('captions', broken);
    expect(brokenRun.code).toBe(1);
    expect(brokenRun.stderr).toContain(`${broken}: not a usable TTML document: Unexpected close tag`);
  });

  it('exits 2 for command-line mistakes and prints help', async () => {
    const none = await tessera('captions');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('missing <file>');
    expect(none.stderr).toContain('usage: tessera captions <file>');
    const format = await tessera('captions', fixture('sample.vtt'), '--format', 'ass');
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("--format must be vtt, srt or ttml (got 'ass')");
    expect((await tessera('captions', 'a.vtt', 'b.vtt')).code).toBe(2);
    expect((await tessera('captions', 'a.vtt', '--bogus')).code).toBe(2);
    const help = await tessera('captions', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('tessera captions <file> [--format vtt|srt|ttml] [--json]');
  });
});
