// parseTtml and ttmlEvents: TTML (EBU-TT-D as BBC iPlayer delivers it, IMSC 1.1 text profile)
// through imsc into timed snapshots with every length resolved to root-container fractions, and
// into the plain-text intervals of `tessera captions --json`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import type { CaptionSnapshot, SnapshotParagraph, SnapshotRuby, SnapshotSpan } from './snapshot';
import { eventsFromSnapshots, looksLikeTtml, parseTtml, snapshotText, ttmlEvents } from './ttml';

const fixture = (name: string) => readFileSync(path.resolve(process.cwd(), 'fixtures/captions', name), 'utf8');
const EBU = fixture('ebu-tt-d-iplayer.xml');
const IMSC = fixture('imsc11-text.xml');

const at = (snapshots: CaptionSnapshot[], t: number) => snapshots.find((s) => s.begin <= t && (s.end === null || t < s.end));
const spans = (p: SnapshotParagraph) => p.inlines.filter((i): i is SnapshotSpan => i.kind === 'span');

const tt = (body: string, attributes = '') =>
  `<tt xmlns="http://www.w3.org/ns/ttml" xmlns:tts="http://www.w3.org/ns/ttml#styling" xmlns:ttp="http://www.w3.org/ns/ttml#parameter" ${attributes}>${body}</tt>`;

describe('parseTtml: EBU-TT-D as BBC iPlayer delivers it', () => {
  const { snapshots, errors } = parseTtml(EBU);

  it('parses without messages into the intervals between changes', () => {
    expect(errors).toEqual([]);
    expect(snapshots.map((s) => [s.begin, s.end])).toEqual([[0, 1], [1, 3.5], [3.5, 5], [5, 6], [6, 8], [8, 9], [9, 10]]);
    expect(snapshots[0]!.regions).toEqual([]);
  });

  it('gives the root container: cell resolution from the document, the assumed 16:9 aspect', () => {
    expect(snapshots[1]!.root).toEqual({ aspectRatio: 16 / 9, aspectRatioFromDocument: false, cellResolution: { columns: 32, rows: 15 } });
  });

  it('resolves the region: origin and extent in %, padding in cells, displayAlign after', () => {
    const region = at(snapshots, 2)!.regions[0]!;
    expect(region).toMatchObject({
      id: 'bottom', x: 0.1, y: 0.1, width: 0.8, height: 0.8, displayAlign: 'after', writingMode: 'lrtb',
      showBackground: 'always', backgroundColor: [0, 0, 0, 0], opacity: 1, overflow: 'hidden', zIndex: null,
    });
    // tts:padding="0.5c 1c": before/after half a row (1/15 of the height), start/end one column (1/32 of the width).
    expect(region.padding).toEqual({ top: 0.033333333, right: 0.03125, bottom: 0.033333333, left: 0.03125 });
  });

  it('resolves paragraph styles by reference: lineHeight, linePadding in cells, multiRowAlign', () => {
    const p = at(snapshots, 2)!.regions[0]!.paragraphs[0]!;
    expect(p).toMatchObject({
      fontSize: 0.066666667, textAlign: 'center', direction: 'ltr', lineHeight: 1.2, multiRowAlign: 'center',
      linePadding: 0.015625, fillLineGap: false, lang: 'en-GB',
    });
  });

  it('gives spans their colours with alpha, font families, styles, and the explicit line break', () => {
    const p = at(snapshots, 2)!.regions[0]!.paragraphs[0]!;
    expect(p.inlines.map((i) => (i.kind === 'span' ? i.text : i.kind))).toEqual(['Croeso i Gymru.', 'br', "Mae'r môr yn ", 'ŵyllt', ' heddiw.']);
    const [first, , italic] = spans(p);
    expect(first).toEqual({
      kind: 'span', text: 'Croeso i Gymru.', color: [255, 255, 255, 255], backgroundColor: [0, 0, 0, 0xc2],
      fontFamily: ['ReithSans', 'Arial', 'Roboto', 'proportionalSansSerif', 'monospaceSerif'], fontSize: 0.066666667,
      fontStyle: 'normal', fontWeight: 'normal', underline: false, lineThrough: false, overline: false, textOutline: null, visible: true,
    });
    expect(italic).toMatchObject({ text: 'ŵyllt', fontStyle: 'italic', color: [255, 255, 255, 255] });
    expect(spans(at(snapshots, 4)!.regions[0]!.paragraphs[0]!)[0]!.color).toEqual([255, 255, 0, 255]);
  });

  it('puts two regions on screen at once, each with its own content and font size', () => {
    const both = at(snapshots, 5.5)!;
    expect(both.regions.map((r) => [r.id, r.displayAlign, snapshotText({ regions: [r] })])).toEqual([
      ['bottom', 'after', 'Hold on!'],
      ['top', 'before', '[THUNDER]'],
    ]);
    // tts:fontSize="150%" of the 1c default: 1.5 rows of 15.
    expect(spans(both.regions[1]!.paragraphs[0]!)[0]!.fontSize).toBe(0.1);
  });

  it('gives the text events, paragraphs joined and equal neighbours merged', () => {
    expect(ttmlEvents(EBU)).toEqual([
      { begin: 0, end: 1, text: '' },
      { begin: 1, end: 3.5, text: "Croeso i Gymru.\nMae'r môr yn ŵyllt heddiw." },
      { begin: 3.5, end: 5, text: "Who's there?" },
      { begin: 5, end: 6, text: 'Hold on!\n[THUNDER]' },
      { begin: 6, end: 8, text: '' },
      { begin: 8, end: 10, text: 'Hold on!' },
    ]);
  });
});

describe('parseTtml: IMSC 1.1 text profile', () => {
  const { snapshots, errors } = parseTtml(IMSC);

  it('takes the aspect ratio from the root extent in px and times from seconds, ticks and frames', () => {
    expect(errors).toEqual([]);
    expect(snapshots[1]!.root).toEqual({ aspectRatio: 16 / 9, aspectRatioFromDocument: true, cellResolution: { columns: 40, rows: 20 } });
    // body begin 1 s; p dur 2 s; p at 20000000 ticks of 10 MHz to 00:00:03:10 at 25 fps; p 3 s to
    // 00:00:04:12; the div of the side region from 5 s, its p for 1 s; the lower div ends at 8 s.
    expect(ttmlEvents(IMSC)).toEqual([
      { begin: 0, end: 1, text: '' },
      { begin: 1, end: 3, text: 'First line\nsecond line' },
      { begin: 3, end: 4, text: '漢字です' },
      { begin: 4, end: 4.4, text: '漢字です\nHalf red' },
      { begin: 4.4, end: 5.48, text: 'Half red' },
      { begin: 5.48, end: 6, text: '' },
      { begin: 6, end: 7, text: '縦書き' },
      { begin: 7, end: 9, text: '' },
    ]);
  });

  it('resolves a region in px of a 1920×1080 root, with background, opacity and showBackground', () => {
    const region = at(snapshots, 2)!.regions[0]!;
    expect(region).toMatchObject({
      id: 'lower', x: 0.1, y: 0.7, width: 0.8, height: 0.2, displayAlign: 'after', showBackground: 'whenActive',
      backgroundColor: [0, 0, 0, 128], opacity: 0.9,
    });
    expect(region.padding).toEqual({ top: 0.009259259, right: 0.005208333, bottom: 0.009259259, left: 0.005208333 });
  });

  it('resolves rw, %, and cells, and normalises a vertical writing mode', () => {
    const side = at(snapshots, 6.5)!.regions.find((r) => r.id === 'side')!;
    expect(side).toMatchObject({ x: 0.8, y: 0.1, width: 0.1, height: 0.5, writingMode: 'tbrl', displayAlign: 'center' });
    expect(side.paragraphs[0]!.fontSize).toBe(0.075); // 1.5c of 20 rows
  });

  it('resolves px font sizes, line height, outline thickness, fillLineGap, weight and underline', () => {
    const p = at(snapshots, 2)!.regions[0]!.paragraphs[0]!;
    expect(p).toMatchObject({ fontSize: 0.05, lineHeight: 1.25, fillLineGap: true, textAlign: 'center', lang: 'ja' });
    expect(p.inlines.map((i) => i.kind)).toEqual(['span', 'br', 'span', 'span']);
    const line = spans(p)[2]!;
    expect(line).toMatchObject({
      text: 'line', fontWeight: 'bold', underline: true, color: [0xee, 0xee, 0xee, 255], fontFamily: ['proportionalSansSerif'],
      textOutline: { color: [0, 0, 0, 255], thickness: 0.0025 }, // 5% of 54 px of 1080
    });
  });

  it('keeps ruby as base and annotation, the annotation at half size, after the base', () => {
    const p = at(snapshots, 3.5)!.regions[0]!.paragraphs[0]!;
    expect(p.textAlign).toBe('end'); // tts:textAlign="right" as imsc computes it
    const ruby = p.inlines[0] as SnapshotRuby;
    expect(ruby.kind).toBe('ruby');
    expect(ruby.base.map((s) => s.text)).toEqual(['漢字']);
    expect(ruby.annotation.map((s) => [s.text, s.fontSize])).toEqual([['かんじ', 0.025]]);
    expect(ruby.position).toBe('after');
    expect((p.inlines[1] as SnapshotSpan).text).toBe('です');
  });

  it('keeps hidden spans (they take space) and colours with alpha from #rrggbbaa', () => {
    const p = at(snapshots, 4.5)!.regions[0]!.paragraphs[0]!;
    const [red, , ghost] = spans(p);
    expect(red).toMatchObject({ text: 'Half red', color: [255, 0, 0, 128], backgroundColor: [0, 0, 0, 255], visible: true });
    expect(ghost).toMatchObject({ text: 'ghost', visible: false });
  });

  it('is plain JSON: it survives a round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(snapshots))).toEqual(snapshots);
  });
});

describe('parseTtml: timing', () => {
  it('nests begin, end and dur, and leaves an open end open', () => {
    const doc = tt(
      '<body><div begin="10s"><p begin="1s" dur="2s">a</p><p begin="00:00:02.5" end="4s">b</p>' +
        '<p begin="5s"><span begin="1s" end="2s">x</span><span>y</span></p></div></body>',
    );
    expect(ttmlEvents(doc)).toEqual([
      { begin: 0, end: 11, text: '' },
      { begin: 11, end: 12.5, text: 'a' },
      { begin: 12.5, end: 13, text: 'a\nb' },
      { begin: 13, end: 14, text: 'b' },
      { begin: 14, end: 15, text: '' },
      { begin: 15, end: 16, text: 'y' },
      { begin: 16, end: 17, text: 'xy' },
      { begin: 17, end: null, text: 'y' },
    ]);
    const last = parseTtml(doc).snapshots.at(-1)!;
    expect([last.begin, last.end]).toEqual([17, null]);
  });

  it('gives the default region (the whole root) when the document has none', () => {
    const { snapshots } = parseTtml(tt('<body><div><p begin="1s" end="2s">hi</p></div></body>'));
    expect(at(snapshots, 1.5)!.regions.map((r) => [r.id, r.x, r.y, r.width, r.height])).toEqual([['', 0, 0, 1, 1]]);
    expect(eventsFromSnapshots(snapshots)).toEqual([{ begin: 0, end: 1, text: '' }, { begin: 1, end: 2, text: 'hi' }]);
  });
});

describe('parseTtml: untrusted input', () => {
  it('surfaces imsc’s messages and goes on', () => {
    const { snapshots, errors } = parseTtml(
      tt('<head><layout><region xml:id="r" tts:origin="nowhere"/></layout></head><body region="r"><div><p begin="1s" end="zz">x</p></div></body>'),
    );
    expect(errors.map((e) => e.message)).toEqual([
      'error: Cannot parse styling attribute http://www.w3.org/ns/ttml#styling origin --> nowhere',
      'warning: Malformed end value (ignoring)',
    ]);
    expect(snapshots.some((s) => snapshotText(s) === 'x')).toBe(true);
  });

  it('reports broken XML, an unsupported time base and a non-TTML text as fatal, with no snapshots', () => {
    expect(parseTtml(tt('<body><div><p>x</div></body>'))).toEqual({ snapshots: [], errors: [{ message: expect.stringMatching(/^fatal: Unexpected close tag/) }] });
    expect(parseTtml(tt('<body/>', 'ttp:timeBase="smpte"')).errors).toEqual([{ message: 'fatal: Unsupported time base' }]);
    expect(parseTtml('WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n')).toEqual({ snapshots: [], errors: [{ message: 'fatal: not a TTML document (its root element is not <tt>)' }] });
    expect(parseTtml('<tt><body/></tt>').errors).toEqual([{ message: 'fatal: not a TTML document (no element in the TTML namespace http://www.w3.org/ns/ttml)' }]);
  });

  it('does not expand entities declared in a DOCTYPE (no entity bombs)', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE tt [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>${tt('<body><div><p begin="0s" end="1s">&b;</p></div></body>')}`;
    const { snapshots, errors } = parseTtml(bomb);
    expect(snapshots).toEqual([]);
    expect(errors[0]!.message).toMatch(/^fatal: Invalid character entity/);
  });

  it('caps the document size and the number of intervals', () => {
    expect(parseTtml(tt('<body/>'), { maxLength: 50 }).errors[0]!.message).toMatch(/^fatal: the document is \d+ characters long; the limit is 50$/);
    const many = tt(`<body><div>${Array.from({ length: 30 }, (_, i) => `<p begin="${i}s" end="${i + 0.5}s">${i}</p>`).join('')}</div></body>`);
    const { snapshots, errors } = parseTtml(many, { maxSnapshots: 10 });
    expect(snapshots).toHaveLength(10);
    expect(errors).toEqual([{ message: 'error: the document changes 60 times; only the first 10 intervals are given' }]);
  });

  it('recognises a TTML root behind a BOM, declaration, comment or prefix', () => {
    expect(looksLikeTtml('\uFEFF<?xml version="1.0"?>\n<!-- c -->\n<tt xmlns="http://www.w3.org/ns/ttml"/>')).toBe(true);
    expect(looksLikeTtml('<tt:tt xmlns:tt="http://www.w3.org/ns/ttml">')).toBe(true);
    expect(looksLikeTtml('<ttml>')).toBe(false);
    expect(looksLikeTtml('<html><tt>x</tt></html>')).toBe(false);
  });
});
