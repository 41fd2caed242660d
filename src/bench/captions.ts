// The caption-parse benchmark: a generated 10,000-cue WebVTT file parsed by the engine
// (engine.parseCaptions: the C++ parser in wasm, its JSON and JSON.parse in Node) beside the W3C
// `webvtt-parser` package (WebVTTParser, with the full HTML entity table as the engine has), both in
// the same process and run. Both parse timings, settings and the cue text into its tree.
import { createRequire } from 'node:module';

import type { EngineTier } from '../engine/engine';
import { loadEngineNode } from '../engine/load-node';
import { summarise, type Summary } from './stats';

interface W3cParser {
  parse(input: string, mode?: string): { cues: unknown[]; errors: unknown[] };
}
const require = createRequire(import.meta.url);
const { WebVTTParser } = require('webvtt-parser') as { WebVTTParser: new (entities?: Record<string, string>) => W3cParser };
const HTML_ENTITIES = require('webvtt-parser/html-entities.json') as Record<string, string>;

const SPEAKERS = ['Siân', 'Gareth', 'Dr. Ng', 'Narrator', 'Ffion'];
const LINES = [
  'Croeso i’r rhaglen heno.',
  'We’ve been waiting for hours &amp; nobody came.',
  'Mae’r ŵyn yn y cae, a’r tŷ ar y bryn.',
  '&lt;door slams&gt;',
  'Is this the way to Llanfair&nbsp;PG?',
  'I said <i>never</i> &mdash; not once.',
  'Café, naïve, façade &eacute;&egrave;&ccedil;',
  '♪ Calon lân yn llawn daioni ♪',
];
const SETTINGS = [
  '',
  'line:85%',
  'position:20%,line-left align:start size:60%',
  'line:-2 align:center',
  'region:lower align:start',
  'vertical:rl line:10% position:90%',
  'align:end position:95%,line-right size:40%',
  'line:50%,center size:80%',
];

function timestamp(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/** A deterministic WebVTT file of `cues` cues with regions, styles, comments, identifiers, every
 *  cue setting, voice/class/italic/bold/underline/ruby/lang tags, inner timestamps and entities. */
export function generateWebVtt(cues = 10_000): string {
  const out: string[] = [
    'WEBVTT - generated for the caption-parse benchmark',
    '',
    'REGION\nid:lower\nwidth:80%\nlines:3\nregionanchor:50%,100%\nviewportanchor:50%,90%\nscroll:up',
    '',
    'STYLE\n::cue(.yellow) { color: yellow }\n::cue(v[voice="Narrator"]) { font-style: italic }',
    '',
    'NOTE The cue text below mixes Welsh and English on purpose.',
    '',
  ];
  for (let i = 0; i < cues; i++) {
    const start = i * 2400 + (i % 3) * 100;
    const end = start + 1800 + (i % 5) * 100;
    const settings = SETTINGS[i % SETTINGS.length]!;
    const speaker = SPEAKERS[i % SPEAKERS.length]!;
    const a = LINES[i % LINES.length]!;
    const b = LINES[(i * 7 + 3) % LINES.length]!;
    let text: string;
    switch (i % 6) {
      case 0: text = `<v ${speaker}>${a}</v>\n${b}`; break;
      case 1: text = `<c.yellow.loud>${a}</c>`; break;
      case 2: text = `<v.first ${speaker}><b>${a}</b></v>\n<u>${b}</u>`; break;
      case 3: text = `<ruby>漢字<rt>かんじ</rt></ruby> ${a}`; break;
      case 4: text = `${a} <${timestamp(start + 900)}>${b}`; break;
      default: text = `<lang cy>${a}</lang>\n<i>${b}</i>`;
    }
    if (i % 4 === 0) out.push(`cue-${i}`);
    out.push(`${timestamp(start)} --> ${timestamp(end)}${settings ? ` ${settings}` : ''}`, text, '');
  }
  return out.join('\n');
}

/** Warms up for at least 5 runs and 300 ms (JIT tiers, wasm tier-up, allocation), then times `runs`. */
function time(fn: () => void, runs: number): Summary {
  const warmStart = performance.now();
  for (let i = 0; i < 5 || performance.now() - warmStart < 300; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return summarise(samples);
}

export interface CaptionParseBench {
  webvttParser: Summary;
  engine: Record<EngineTier, Summary>;
  cues: number;
  bytes: number;
}

export async function measureCaptionParse(options: { cues?: number; runs?: number } = {}): Promise<CaptionParseBench> {
  const cues = options.cues ?? 10_000;
  const runs = options.runs ?? 30;
  const text = generateWebVtt(cues);
  const bytes = new TextEncoder().encode(text);

  // Both must agree on the file before their speed means anything.
  const w3c = new WebVTTParser(HTML_ENTITIES);
  const reference = w3c.parse(text);
  if (reference.cues.length !== cues) throw new Error(`webvtt-parser found ${reference.cues.length} of ${cues} cues`);
  const webvttParser = time(() => void new WebVTTParser(HTML_ENTITIES).parse(text), runs);

  const engine = {} as Record<EngineTier, Summary>;
  for (const tier of ['simd', 'scalar'] as const) {
    const instance = await loadEngineNode({ tier });
    try {
      const parsed = instance.parseCaptions(bytes, 'vtt');
      if (parsed.cues.length !== cues) throw new Error(`the engine (${tier}) found ${parsed.cues.length} of ${cues} cues`);
      engine[tier] = time(() => void instance.parseCaptions(bytes, 'vtt'), runs);
    } finally {
      instance.dispose();
    }
  }
  return { webvttParser, engine, cues, bytes: bytes.length };
}
