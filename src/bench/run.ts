// `npm run bench`: runs the named benchmarks, prints a table of medians (with min/max) beside the
// anchor measured in the same run, and writes bench-results.json. Timings are only ever printed
// and recorded here; no test asserts on them.
//   npm run bench                 all benchmarks
//   npm run bench -- test-card    those whose name contains "test-card"
//   npm run bench -- compose      the compose-frame benchmarks (src/bench/compose.ts; Chromium too)
//   npm run bench -- playback     end to end in Chromium from the preview build (src/bench/playback.ts)
//   npm run bench -- audio        the programme mix per render quantum and R128 metering (src/bench/audio.ts)
//   npm run bench -- startup      navigation to the demo's first frame, and the build's sizes (src/bench/startup.ts)
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { loadEngineNode } from '../engine/load-node';
import type { EngineTier } from '../engine/engine';
import jsonLogic from 'json-logic-js';

import { measureAudio, MIX_OBJECTS, type AudioRun } from './audio';
import { measureCaptionParse } from './captions';
import { CHROMIUM, measureCompose, measureComposeParts, type ComposeRun, type VideoSize } from './compose';
import { measurePlayback, type PlaybackBenchResult } from './playback';
import { STARTUP_PROGRAMME, measureStartup, type StartupBenchResult } from './startup';
import { formatKb } from '../../scripts/size-budget.mjs';
import { generateLargeStory } from '../programme/import/fixtures/generate-large';
import { importStoryPlayer } from '../programme/import/storyplayer';
import { largeProgramme } from './large-programme';
import { summarise, type Summary } from './stats';

const run = promisify(execFile);
const root = process.cwd();
const nativeTool = path.join(root, 'build/native/tessera-native');
const fontPath = path.join(root, 'public/fonts/DejaVuSans.ttf');

interface Measurement {
  variant: string;
  summary: Summary;
  /** This row's goal, when it differs from the benchmark's. */
  target?: string;
}

interface Benchmark {
  name: string;
  unit: string;
  /** The variant every other is compared with (measured in the same run). */
  anchor: string;
  /** The goal, in words, printed beside the numbers. */
  target?: string;
  /** No measurements: the benchmark was skipped (the reason is in `notes`). */
  measure(): Promise<Measurement[]>;
}

/** Lines printed under the table (how anchors were derived, what was skipped). */
const notes: string[] = [];

export interface BenchResult {
  name: string;
  variant: string;
  value: number;
  unit: string;
  min: number;
  max: number;
  runs: number;
  anchor: string;
  anchorValue: number;
  ratio: number;
  target?: string;
}

const RUNS = 40;

async function wasmTestCard(tier: EngineTier, width: number, height: number): Promise<Summary> {
  const engine = await loadEngineNode({ tier });
  try {
    engine.addFont('sans', await readFile(fontPath));
    for (let i = 0; i < 5; i++) engine.renderTestCard(width, height); // warm-up: tier-up, allocation
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      engine.renderTestCard(width, height);
      samples.push(performance.now() - t0);
    }
    return summarise(samples);
  } finally {
    engine.dispose();
  }
}

async function nativeTestCard(width: number, height: number): Promise<Summary> {
  const { stdout } = await run(nativeTool, ['bench', 'test-card', '--runs', String(RUNS), '--width', String(width), '--height', String(height)]);
  const parsed = JSON.parse(stdout) as { samples: number[] };
  return summarise(parsed.samples);
}

function testCardBenchmark(width: number, height: number): Benchmark {
  return {
    name: `test-card ${width}x${height}`,
    unit: 'ms',
    anchor: 'native',
    async measure() {
      return [
        { variant: 'native', summary: await nativeTestCard(width, height) },
        { variant: 'wasm-simd', summary: await wasmTestCard('simd', width, height) },
        { variant: 'wasm-scalar', summary: await wasmTestCard('scalar', width, height) },
      ];
    },
  };
}

// ---- engine timing loops (native/engine/benchmarks.cpp), native and wasm ---------------------

async function nativeRequest(name: string, request: Record<string, unknown>): Promise<Summary> {
  const dir = path.join(root, 'build/bench');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.json`);
  await writeFile(file, JSON.stringify(request));
  const { stdout } = await run(nativeTool, ['bench', 'request', file], { maxBuffer: 64 << 20 });
  return summarise((JSON.parse(stdout) as { samples: number[] }).samples);
}

async function wasmRequest(request: Record<string, unknown>): Promise<Summary> {
  const engine = await loadEngineNode({ tier: 'simd' });
  try {
    return summarise(engine.runBenchmark(request));
  } finally {
    engine.dispose();
  }
}

function engineBenchmark(name: string, request: Record<string, unknown>, target?: string): Benchmark {
  return {
    name,
    unit: 'ms',
    anchor: 'native',
    target,
    async measure() {
      return [
        { variant: 'native', summary: await nativeRequest(name, request) },
        { variant: 'wasm-simd', summary: await wasmRequest(request) },
      ];
    },
  };
}

const LARGE = JSON.stringify(largeProgramme());
const programmeRequest = { programme: LARGE, context: { signLanguage: false }, runs: 15 };
// Mid-play context change: at 100 s the viewer turns sign language on, which changes the rest of
// the path (about 900 objects added and 800 removed).
const RERESOLVE = { then: { signLanguage: true }, position: 100 };

// A typical programme rule: nested vars, comparison, membership and a conditional.
const LOGIC_RULE: Parameters<typeof jsonLogic.apply>[0] = {
  and: [
    { '==': [{ var: 'viewer.language' }, 'cy'] },
    { '>=': [{ var: 'viewer.age' }, 16] },
    { in: [{ var: 'device' }, ['tv', 'desktop', 'tablet']] },
    { if: [{ var: 'captions' }, { '!': { var: 'audioDescription' } }, true] },
    { '<': [0, { var: 'timeOfDay' }, 24] },
  ],
};
const LOGIC_DATA = { viewer: { language: 'cy', age: 30 }, device: 'tv', captions: true, audioDescription: false, timeOfDay: 20 };

const logicBenchmark: Benchmark = {
  name: 'JSONLogic evaluation (µs each)',
  unit: 'µs',
  anchor: 'json-logic-js',
  target: 'engine ≥ 3× json-logic-js (ratio ≤ 0.33)',
  async measure() {
    const batch = 20000;
    const samples: number[] = [];
    for (let i = 0; i < 2000; i++) jsonLogic.apply(LOGIC_RULE, LOGIC_DATA); // warm-up / JIT
    for (let r = 0; r < 15; r++) {
      const t0 = performance.now();
      for (let i = 0; i < batch; i++) jsonLogic.apply(LOGIC_RULE, LOGIC_DATA);
      samples.push(((performance.now() - t0) / batch) * 1000);
    }
    const request = { kind: 'logic', rule: LOGIC_RULE, data: LOGIC_DATA, batch, runs: 15 };
    const toMicro = (s: Summary): Summary => ({ median: s.median * 1000, min: s.min * 1000, max: s.max * 1000, runs: s.runs });
    return [
      { variant: 'json-logic-js', summary: summarise(samples) },
      { variant: 'engine native', summary: toMicro(await nativeRequest('logic', request)) },
      { variant: 'engine wasm', summary: toMicro(await wasmRequest(request)) },
    ];
  },
};

// A StoryPlayer production of ~1 MB with 200 narrative elements: JSON.parse of the story (the
// anchor), then the import to programme v1, then the engine's validation and analyses of the
// result. The issue's target: the whole import well under a second.
const storyPlayerBenchmark: Benchmark = {
  name: 'StoryPlayer import (1.2 MB story, 200 narrative elements)',
  unit: 'ms',
  anchor: 'JSON.parse of the story',
  target: 'import + engine load well under 1 s',
  async measure() {
    const text = JSON.stringify(generateLargeStory(200));
    const engine = await loadEngineNode({ tier: 'simd' });
    try {
      const parse: number[] = [], convert: number[] = [], load: number[] = [], total: number[] = [];
      for (let r = 0; r < 8; r++) {
        const t0 = performance.now();
        const doc = JSON.parse(text) as unknown;
        const t1 = performance.now();
        const { programme } = importStoryPlayer(doc);
        const t2 = performance.now();
        const report = engine.loadProgramme(JSON.stringify(programme));
        const t3 = performance.now();
        if (!report.ok) throw new Error('the imported large story does not validate');
        parse.push(t1 - t0);
        convert.push(t2 - t1);
        load.push(t3 - t2);
        total.push(t3 - t0);
      }
      return [
        { variant: 'JSON.parse of the story', summary: summarise(parse) },
        { variant: 'import to programme v1', summary: summarise(convert) },
        { variant: 'engine validation + analyses (wasm)', summary: summarise(load) },
        { variant: 'all of it', summary: summarise(total) },
      ];
    } finally {
      engine.dispose();
    }
  },
};

// ---- captions: WebVTT parse, the engine beside the W3C parser (src/bench/captions.ts) ----------

const captionParseBenchmark: Benchmark = {
  name: 'captions parse (10,000-cue WebVTT)',
  unit: 'ms',
  anchor: 'webvtt-parser',
  target: 'faster than webvtt-parser',
  async measure() {
    const r = await measureCaptionParse({ cues: 10_000, runs: 30 });
    notes.push(
      `captions parse: ${r.cues} cues, ${(r.bytes / 1e6).toFixed(2)} MB generated WebVTT (regions, styles, every cue setting, tags, entities);` +
        ' webvtt-parser = new WebVTTParser(its full HTML entity table).parse(text) on the decoded string;' +
        ' engine = engine.parseCaptions(bytes, "vtt"): UTF-8 bytes in, the C++ parse, its JSON and JSON.parse in Node, i.e. what a caller gets',
    );
    return [
      { variant: 'webvtt-parser', summary: r.webvttParser },
      { variant: 'engine wasm-simd', summary: r.engine.simd },
      { variant: 'engine wasm-scalar', summary: r.engine.scalar },
    ];
  },
};

// Two caption lines (one cue) laid out by the WebVTT rules and drawn with the default caption
// settings, per frame (native/engine/benchmarks.cpp kind "captions-draw").
const CAPTION_FONT = (await readFile(fontPath)).toString('base64');
const captionDrawBenchmarks: Benchmark[] = [
  engineBenchmark('captions: lay out and draw two caption lines at 1920×1080', { kind: 'captions-draw', width: 1920, height: 1080, font: CAPTION_FONT, runs: 40 }, '≤ 1 ms (wasm)'),
  engineBenchmark('captions: the same, outlined', { kind: 'captions-draw', width: 1920, height: 1080, font: CAPTION_FONT, edge: 'outline', runs: 40 }, '≤ 1 ms (wasm)'),
];

// ---- compose frame: native, wasm (Node and Chromium), Canvas 2D, memory floor -----------------

const composeRuns = new Map<string, Promise<ComposeRun>>();
function composeRunFor(width: number, height: number, video: VideoSize): Promise<ComposeRun> {
  const key = `${width}x${height} from ${video.width}x${video.height}`;
  let pending = composeRuns.get(key);
  if (!pending) {
    pending = measureCompose(width, height, { runs: RUNS, nativeTool, fontPath, video }).then((r) => {
      const mb = (r.bytesTouched / 1e6).toFixed(1);
      notes.push(`compose ${width}×${height} (${video.width}×${video.height} video): memory floor = ${mb} MB read+written ÷ (2 × ${r.copyGbps.toFixed(2)} GB/s memcpy, native) = ${r.floorMs.toFixed(3)} ms`);
      if (r.chromium) {
        notes.push(`compose ${width}×${height} (${video.width}×${video.height} video): "chromium …" rows measured in one page of Chromium ${r.chromium.version} (headless, --disable-gpu: Canvas 2D rasterises in software)` +
          `${r.chromium.isolated ? ', cross-origin isolated' : ', not cross-origin isolated (coarse timer)'}; other rows in Node/native`);
      } else {
        notes.push(`compose ${width}×${height} (${video.width}×${video.height} video): Chromium anchor skipped: ${r.chromiumSkipped}`);
      }
      return r;
    });
    composeRuns.set(key, pending);
  }
  return pending;
}

const floorSummary = (ms: number): Summary => ({ median: ms, min: ms, max: ms, runs: 1 });

// The issue's scene puts a full-frame video of the output's size under the picture-in-picture,
// the graphic and the captions. The stress variant scales a 1080p video down to 720p instead:
// every source pixel is converted (libyuv's arithmetic, for Firefox's sake, before any scaling)
// and filtered, so it is compute-bound, and only its time target applies.
function composeBenchmarks(width: number, height: number, targetMs: number, video: VideoSize = { width, height }): Benchmark[] {
  const stress = video.width !== width || video.height !== height;
  const size = `${width}×${height}${stress ? ` (${video.width}×${video.height} video scaled down)` : ''}`;
  const wasmTarget = `≤ ${targetMs} ms and ≤ 1.5× native`;
  const composeRun = (w: number, h: number): Promise<ComposeRun> => composeRunFor(w, h, video);
  return [
    {
      name: `compose frame ${size}`,
      unit: 'ms',
      anchor: 'native',
      target: wasmTarget,
      async measure() {
        const r = await composeRun(width, height);
        const rows: Measurement[] = [
          { variant: 'native', summary: r.native },
          { variant: 'wasm-simd', summary: r.wasmSimd },
          { variant: 'wasm-scalar', summary: r.wasmScalar },
        ];
        if (r.chromium) {
          rows.push(
            { variant: 'chromium wasm-simd', summary: r.chromium.simd },
            { variant: 'chromium wasm-scalar', summary: r.chromium.scalar },
            { variant: 'chromium canvas2d', summary: r.chromium.canvas2d, target: '(the browser anchor)' },
          );
        }
        return rows;
      },
    },
    {
      name: `compose frame ${size} vs memory floor`,
      unit: 'ms',
      anchor: 'memory floor',
      ...(stress ? {} : { target: 'within 3× of the floor' }),
      async measure() {
        const r = await composeRun(width, height);
        const rows: Measurement[] = [
          { variant: 'memory floor', summary: floorSummary(r.floorMs) },
          { variant: 'native', summary: r.native },
          { variant: 'wasm-simd', summary: r.wasmSimd },
        ];
        if (r.chromium) rows.push({ variant: 'chromium wasm-simd', summary: r.chromium.simd });
        return rows;
      },
    },
    {
      name: `compose frame ${size} vs Canvas 2D (same Chromium page)`,
      unit: 'ms',
      anchor: 'chromium canvas2d',
      async measure() {
        const r = await composeRun(width, height);
        if (!r.chromium) return [];
        return [
          { variant: 'chromium canvas2d', summary: r.chromium.canvas2d },
          { variant: 'chromium wasm-simd', summary: r.chromium.simd },
          { variant: 'chromium wasm-scalar', summary: r.chromium.scalar },
        ];
      },
    },
    {
      name: `compose frame ${size} by part`,
      unit: 'ms',
      anchor: 'whole frame native',
      async measure() {
        const whole = await composeRun(width, height);
        const { parts } = await measureComposeParts(width, height, { runs: RUNS, nativeTool, fontPath, video });
        return [
          { variant: 'whole frame native', summary: whole.native },
          ...parts.flatMap((p) => [
            { variant: `${p.name} native`, summary: p.native },
            { variant: `${p.name} wasm-simd`, summary: p.wasmSimd },
          ]),
        ];
      },
    },
  ];
}

// ---- audio: the programme mix per 128-frame quantum, R128 metering (src/bench/audio.ts) --------

let audioRun: Promise<AudioRun> | null = null;
function audioResult(): Promise<AudioRun> {
  audioRun ??= measureAudio({ runs: RUNS, nativeTool }).then((r) => {
    notes.push(
      `audio mix: ${MIX_OBJECTS} stereo objects (4 dialogue, 4 keyed audio descriptions, 24 music/effects/ambience of importance 0–2, a third at 44.1 kHz), balance 0.3↔0.6 and volume ±1 dB every 100 ms, ` +
        `true-peak limiter; each sample is one second rendered as 375 quanta (pushing PCM untimed, between samples); native run: ${r.activeObjects} objects active, ${r.underrunFrames} underrun frames`,
    );
    if (r.mix.chromiumWebAudio) {
      notes.push(
        `audio mix: "chromium web audio" = Chromium ${r.chromiumVersion} (headless) OfflineAudioContext rendering 2 s of the same job with its own nodes (AudioBufferSourceNode → automated GainNode → ducking GainNode → DynamicsCompressorNode as limiter), per quantum; not bit-exact, not true-peak, no importance law: a yardstick for the browser's native cost`,
      );
    } else {
      notes.push(`audio mix: Chromium Web Audio anchor skipped: ${r.chromiumSkipped}`);
    }
    return r;
  });
  return audioRun;
}

const audioBenchmarks: Benchmark[] = [
  {
    name: `audio mix: ${MIX_OBJECTS} stereo objects at 48 kHz, per 128-frame quantum (balance, ducking, automation, limiter)`,
    unit: 'ms',
    anchor: 'native',
    target: '≤ 0.27 ms (a tenth of the 2.67 ms quantum)',
    async measure() {
      const r = await audioResult();
      const rows: Measurement[] = [
        { variant: 'native', summary: r.mix.native },
        { variant: 'wasm-simd', summary: r.mix.wasmSimd },
        { variant: 'wasm-scalar', summary: r.mix.wasmScalar },
      ];
      if (r.mix.chromiumWebAudio) rows.push({ variant: 'chromium web audio', summary: r.mix.chromiumWebAudio, target: '(the browser anchor)' });
      return rows;
    },
  },
  {
    name: 'audio R128 measurement (BS.1770 integrated, momentary, short-term, range, true peak; stereo 48 kHz)',
    unit: 's/s',
    anchor: 'native',
    target: '≥ 100 s of audio per second (wasm)',
    async measure() {
      const r = await audioResult();
      return [
        { variant: 'native', summary: r.r128.native },
        { variant: 'wasm-simd', summary: r.r128.wasmSimd },
        { variant: 'wasm-scalar', summary: r.r128.wasmScalar },
      ];
    },
  },
];

// ---- playback end to end: the preview build in Chromium ---------------------------------------

const PLAYBACK_RUNS = 9;
let playbackRun: Promise<PlaybackBenchResult | null> | null = null;
function playbackResult(): Promise<PlaybackBenchResult | null> {
  playbackRun ??= (async () => {
    if (!existsSync(CHROMIUM)) {
      notes.push(`playback: skipped, ${CHROMIUM} not found (apt-get install chromium)`);
      return null;
    }
    const r = await measurePlayback({ runs: PLAYBACK_RUNS, chromium: CHROMIUM });
    notes.push(
      `playback: Chromium ${r.chromiumVersion} (headless, --disable-gpu), preview build (vite build + vite preview), ${PLAYBACK_RUNS} navigations each in a fresh context;` +
        ` the anchor is a page with one <video> element of the fixture's main clip (its first frame by requestVideoFrameCallback)`,
      `playback: the 1280×720 composition played ${r.play.seconds.toFixed(2)} s of programme: ${r.play.presented} frames presented, ${r.play.dropped} display ticks dropped (${(100 * r.play.droppedShare).toFixed(2)} %), ${r.play.late} frames late;` +
        ` the <video> element over ${r.videoPlay.seconds.toFixed(2)} s of its clip: ${r.videoPlay.frames} frames, ${r.videoPlay.dropped} dropped (${(100 * r.videoPlay.droppedShare).toFixed(2)} %)`,
    );
    return r;
  })();
  return playbackRun;
}

const count = (n: number): Summary => ({ median: n, min: n, max: n, runs: 1 });

const playbackBenchmarks: Benchmark[] = [
  {
    name: 'playback: first composed frame after navigation (preview build, Chromium)',
    unit: 'ms',
    anchor: '<video> first frame',
    target: '≤ 600 ms',
    async measure() {
      const r = await playbackResult();
      if (!r) return [];
      return [
        { variant: '<video> first frame', summary: r.videoFirstFrame },
        { variant: 'tessera first frame', summary: r.firstFrame },
      ];
    },
  },
  {
    name: 'playback: 720p30 composition in real time, dropped display ticks (Chromium)',
    unit: '%',
    anchor: '<video> dropped',
    target: '≤ 1 %',
    async measure() {
      const r = await playbackResult();
      if (!r) return [];
      // A ratio of percentages means little when the anchor drops nothing: the rows are the point.
      return [
        { variant: '<video> dropped', summary: count(100 * r.videoPlay.droppedShare) },
        { variant: 'tessera dropped', summary: count(100 * r.play.droppedShare) },
      ];
    },
  },
];

// ---- start-up: navigation to the demo's first composed frame (src/bench/startup.ts) ------------

const STARTUP_RUNS = 9;
let startupRun: Promise<StartupBenchResult | null> | null = null;
function startupResult(): Promise<StartupBenchResult | null> {
  startupRun ??= (async () => {
    if (!existsSync(CHROMIUM)) {
      notes.push(`startup: skipped, ${CHROMIUM} not found (apt-get install chromium)`);
      return null;
    }
    const r = await measureStartup({ runs: STARTUP_RUNS, chromium: CHROMIUM });
    const wasm = r.sizes.wasm.map((w) => `${path.basename(w.file)} ${formatKb(w.gzip)}`).join(', ');
    notes.push(
      `startup: Chromium ${r.chromiumVersion} (headless, --disable-gpu), a fresh build (vite build) served by vite preview, ${STARTUP_RUNS} navigations of each kind, each in a fresh context;` +
        ` the demo opened at /?programme=${STARTUP_PROGRAMME}&paused (its first frame: every video of it decoded and composed); the anchor is a blank page of the same server to its load event`,
      `startup: sizes of that build, gzip -9: initial JS ${formatKb(r.sizes.initialJs.gzip)} (${r.sizes.initialJs.files.map((f) => path.basename(f.file)).join(' + ')}),` +
        ` then on demand ${formatKb(r.sizes.initialOnDemandJs.gzip)} (${r.sizes.initialOnDemandJs.files.map((f) => path.basename(f.file)).join(' + ')}: the React shell), wasm ${wasm}` +
        ` (budget: 200 KB initial JS, 400 KB each wasm; scripts/size-budget.mjs)`,
    );
    return r;
  })();
  return startupRun;
}

const startupBenchmarks: Benchmark[] = [
  {
    name: 'startup: navigation to the first composed frame of the demo (preview build, Chromium)',
    unit: 'ms',
    anchor: 'blank page load',
    async measure() {
      const r = await startupResult();
      if (!r) return [];
      return [
        { variant: 'blank page load', summary: r.blankLoad },
        { variant: 'test card first frame', summary: r.testCardFirstFrame },
        { variant: 'demo first frame', summary: r.programmeFirstFrame },
      ];
    },
  },
];

const BENCHMARKS: Benchmark[] = [
  testCardBenchmark(1280, 720),
  testCardBenchmark(1920, 1080),
  engineBenchmark('programme parse + validate (2,000 objects, 200 scenes, 500 conditions)', { ...programmeRequest, kind: 'parse' }, '≤ 10 ms (wasm)'),
  engineBenchmark('programme parse + validate + producer analyses', { ...programmeRequest, kind: 'validate' }),
  engineBenchmark('programme resolve (the plan, as data)', { ...programmeRequest, kind: 'resolve' }, '≤ 1 ms (wasm)'),
  engineBenchmark('programme plan written as JSON text (~350 KB)', { ...programmeRequest, kind: 'plan-json' }),
  engineBenchmark('programme re-resolve at 100 s, sign language on (path changes)', { ...programmeRequest, kind: 'reresolve', ...RERESOLVE }, '≤ 0.5 ms (wasm)'),
  engineBenchmark('programme re-resolution changes written as JSON text', { ...programmeRequest, kind: 'changes-json', ...RERESOLVE }),
  logicBenchmark,
  storyPlayerBenchmark,
  captionParseBenchmark,
  ...captionDrawBenchmarks,
  ...composeBenchmarks(1280, 720, 4),
  ...composeBenchmarks(1920, 1080, 9),
  ...composeBenchmarks(1280, 720, 4, { width: 1920, height: 1080 }),
  ...playbackBenchmarks,
  ...audioBenchmarks,
  ...startupBenchmarks,
];

function formatTable(results: BenchResult[]): string {
  const header = ['benchmark', 'variant', 'median', 'min', 'max', 'anchor', 'ratio', 'target'];
  const rows = results.map((r) => [
    r.name,
    r.variant,
    `${r.value.toFixed(3)} ${r.unit}`,
    r.min.toFixed(3),
    r.max.toFixed(3),
    `${r.anchor} ${r.anchorValue.toFixed(3)} ${r.unit}`,
    Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}×` : '—',
    r.variant === r.anchor ? '' : (r.target ?? ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const filter = process.argv.slice(2).join(' ');
  const selected = BENCHMARKS.filter((b) => b.name.includes(filter));
  if (selected.length === 0) {
    console.error(`bench: no benchmark matches '${filter}'. Known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
  const results: BenchResult[] = [];
  for (const benchmark of selected) {
    process.stderr.write(`running ${benchmark.name}…\n`);
    const measurements = await benchmark.measure();
    if (measurements.length === 0) {
      notes.push(`${benchmark.name}: skipped`);
      continue;
    }
    const anchor = measurements.find((m) => m.variant === benchmark.anchor);
    if (!anchor) throw new Error(`${benchmark.name}: anchor ${benchmark.anchor} was not measured`);
    for (const m of measurements) {
      results.push({
        name: benchmark.name,
        variant: m.variant,
        value: m.summary.median,
        unit: benchmark.unit,
        min: m.summary.min,
        max: m.summary.max,
        runs: m.summary.runs,
        anchor: benchmark.anchor,
        anchorValue: anchor.summary.median,
        ratio: m.summary.median / anchor.summary.median,
        ...((m.target ?? benchmark.target) ? { target: m.target ?? benchmark.target } : {}),
      });
    }
  }
  console.log(formatTable(results));
  if (notes.length) console.log(`\n${notes.join('\n')}`);
  console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(2)).join(', ')} (${cpus().length} cores; other work on the machine inflates medians)`);
  const file = path.join(root, 'bench-results.json');
  await writeFile(file, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(root, file)}`);
}

await main();
