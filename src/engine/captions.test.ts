// TesseraEngine.parseCaptions: the engine's WebVTT and SRT parsers through the wasm binding, in the
// value forms of the HTML VTTCue and VTTRegion interfaces (the `tessera captions --json` contract).
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TesseraEngine } from './engine';
import { loadEngineNode } from './load-node';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('TesseraEngine.parseCaptions', () => {
  let engine: TesseraEngine;
  beforeAll(async () => {
    engine = await loadEngineNode();
  });
  afterAll(() => engine.dispose());

  it('gives WebVTT cues and regions the VTTCue and VTTRegion fields', () => {
    const parsed = engine.parseCaptions(
      bytes(
        'WEBVTT\n\nREGION\nid:fred\nwidth:40%\nlines:3\nregionanchor:0%,100%\nviewportanchor:10%,90%\nscroll:up\n\n' +
          'one\n00:00:01.000 --> 00:00:02.500 line:10% position:20%,line-left size:50% align:start\n<v Siân>Hello &amp; croeso</v>\n\n' +
          '00:00:03.000 --> 00:00:04.000 region:fred\nIn a region\n',
      ),
      'vtt',
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.regions).toEqual([
      { id: 'fred', width: 40, lines: 3, regionAnchorX: 0, regionAnchorY: 100, viewportAnchorX: 10, viewportAnchorY: 90, scroll: 'up' },
    ]);
    expect(parsed.cues).toEqual([
      {
        id: 'one', startTime: 1, endTime: 2.5, text: '<v Siân>Hello &amp; croeso</v>', vertical: '', snapToLines: false, line: 10,
        lineAlign: 'start', position: 20, positionAlign: 'line-left', size: 50, align: 'start', region: null,
      },
      {
        id: '', startTime: 3, endTime: 4, text: 'In a region', vertical: '', snapToLines: true, line: 'auto',
        lineAlign: 'start', position: 'auto', positionAlign: 'auto', size: 100, align: 'center', region: 'fred',
      },
    ]);
  });

  it('reports what the parser drops, by line, and refuses a file without the signature', () => {
    const dropped = engine.parseCaptions(bytes('WEBVTT\n\n00:00:01.000 --> 00:00:00.5x\nbad timing\n'), 'vtt');
    expect(dropped.cues).toEqual([]);
    expect(dropped.errors.map((e) => e.line)).toEqual([3]);
    const unsigned = engine.parseCaptions(bytes('1\n00:00:01,000 --> 00:00:02,000\nan SRT file\n'), 'vtt');
    expect(unsigned.cues).toEqual([]);
    expect(unsigned.errors.length).toBeGreaterThan(0);
  });

  it('parses SRT into the same cue fields', () => {
    const parsed = engine.parseCaptions(bytes('1\r\n00:00:01,000 --> 00:00:02,000\r\n<i>Two</i>\r\nlines\r\n\r\n2\r\n00:00:03,250 --> 00:00:04,000\r\nnext\r\n'), 'srt');
    expect(parsed.cues.map((c) => [c.id, c.startTime, c.endTime, c.text])).toEqual([
      ['1', 1, 2, '<i>Two</i>\nlines'],
      ['2', 3.25, 4, 'next'],
    ]);
  });
});

describe('captions as programme objects', () => {
  const programmePath = path.resolve('fixtures/programmes/captions.json');
  let engine: TesseraEngine;
  beforeAll(async () => {
    engine = await loadEngineNode();
    expect(engine.loadProgramme(readFileSync(programmePath, 'utf8')).ok).toBe(true);
  });
  afterAll(() => engine.dispose());

  const showing = (context: Record<string, unknown>, time: number): string[] => {
    engine.resolve(context);
    for (const a of engine.mediaAt(time, 0).assets) engine.addAsset(a.asset, readFileSync(path.resolve(path.dirname(programmePath), a.src)));
    return engine.renderFrame(time).captions;
  };

  it('shows the track of the viewer\'s caption language, and the speaker labels with it', () => {
    expect(showing({}, 1)).toEqual(['This is clip A, frame by frame.', '[Narrator]']);
    expect(showing({ captionsLanguage: 'cy' }, 1)).toEqual(['Dyma glip A, ffrâm wrth ffrâm.', '[Narrator]']);
    expect(showing({ captionsLanguage: 'cy' }, 4.5)).toEqual(["Mae'r ŵyn yn yfed dŵr\nwrth y tŷ.", '[Narrator, quietly]']);
    expect(showing({ captionsLanguage: 'en' }, 2.5)).toEqual(['Top left: the frame strip.', '[Narrator]']);
  });

  it('shows no track when the viewer turns captions off', () => {
    expect(showing({ captions: false }, 1)).toEqual([]);
    const plan = engine.resolve({ captions: false });
    expect(plan.objects.some((o) => o.asset.startsWith('captions') || o.asset === 'speaker-labels')).toBe(false);
  });
});
