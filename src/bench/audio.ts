// The audio benchmarks (`npm run bench -- audio`):
//   - the programme mix: 32 stereo objects at 48 kHz (dialogue, music, effects, ambience and audio
//     descriptions), importance balance, keyed AD ducking, balance and volume automated every
//     100 ms, the -1 dBTP true-peak limiter — engine time per 128-frame render quantum (what an
//     AudioWorklet asks for, 2.67 ms of audio), natively and in both wasm tiers in Node: the same
//     loop, native/engine/benchmarks.cpp kind "audio-mix";
//   - the browser anchor: Chromium's own Web Audio graph for the same job, rendered with an
//     OfflineAudioContext (32 AudioBufferSourceNodes through automated GainNodes, a ducking
//     GainNode on the bed, a DynamicsCompressorNode as the limiter), time per quantum;
//   - R128 metering speed (integrated, momentary, short-term, range and true peak of 10 s of
//     stereo noise), as seconds of audio measured per second.
// Numbers are only printed; nothing asserts on them.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

import type { EngineTier } from '../engine/engine';
import { loadEngineNode } from '../engine/load-node';
import { CHROMIUM_ARGS } from '../testing/chromium-args';
import { CHROMIUM } from './compose';
import { summarise, type Summary } from './stats';

const run = promisify(execFile);
const root = process.cwd();

export const MIX_OBJECTS = 32;

export interface AudioBenchOptions {
  runs: number;
  nativeTool: string;
}

export interface AudioRun {
  /** ms per 128-frame quantum. */
  mix: { native: Summary; wasmSimd: Summary; wasmScalar: Summary; chromiumWebAudio?: Summary };
  /** Seconds of audio metered per second. */
  r128: { native: Summary; wasmSimd: Summary; wasmScalar: Summary };
  chromiumVersion?: string;
  chromiumSkipped?: string;
  /** From the native mix run: the mix really played (no underruns) and was limited. */
  underrunFrames: number;
  activeObjects: number;
}

const R128_SECONDS = 10;

async function nativeRequest(tool: string, name: string, request: Record<string, unknown>): Promise<Record<string, unknown> & { samples: number[] }> {
  const dir = path.join(root, 'build/bench');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(request));
  const { stdout } = await run(tool, ['bench', 'request', file], { maxBuffer: 64 << 20 });
  const reply = JSON.parse(stdout) as { ok: boolean; error?: string; samples: number[] };
  if (!reply.ok) throw new Error(`${name}: ${reply.error}`);
  return reply;
}

async function wasmRequest(tier: EngineTier, request: Record<string, unknown>): Promise<number[]> {
  const engine = await loadEngineNode({ tier });
  try {
    return engine.runBenchmark(request);
  } finally {
    engine.dispose();
  }
}

// ms to meter R128_SECONDS of audio → seconds of audio per second.
const perSecond = (samples: number[]): Summary => summarise(samples.map((ms) => R128_SECONDS / (ms / 1000)));

interface WebAudioParams {
  objects: number;
  seconds: number;
  runs: number;
}

// Runs in the page: the Web Audio equivalent of the engine's mix, rendered offline; returns ms
// per 128-frame quantum for each run.
async function webAudioMix(p: WebAudioParams): Promise<number[]> {
  const rate = 48000;
  const frames = rate * p.seconds;
  let seed = 12345;
  const buffers: AudioBuffer[] = [];
  for (let i = 0; i < p.objects; i++) {
    const b = new AudioBuffer({ length: frames, numberOfChannels: 2, sampleRate: i % 3 === 1 ? 44100 : rate });
    const l = b.getChannelData(0), r = b.getChannelData(1);
    for (let k = 0; k < b.length; k++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      const n = ((seed | 0) >> 8) / 8388608;
      const silent = i % 8 === 4 && k % b.sampleRate >= b.sampleRate / 2;
      l[k] = silent ? 0 : 0.2 * n;
      r[k] = silent ? 0 : 0.1 * n;
    }
    buffers.push(b);
  }
  const samples: number[] = [];
  for (let run = 0; run < p.runs + 2; run++) {
    const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: frames, sampleRate: rate });
    const limiter = new DynamicsCompressorNode(ctx, { threshold: -1, knee: 0, ratio: 20, attack: 0.0015, release: 0.1 });
    limiter.connect(ctx.destination);
    const master = new GainNode(ctx);
    master.connect(limiter);
    const duck = new GainNode(ctx);  // the bed under the descriptions
    duck.connect(master);
    for (let i = 0; i < p.objects; i++) {
      const src = new AudioBufferSourceNode(ctx, { buffer: buffers[i]! });
      const gain = new GainNode(ctx, { gain: 10 ** (-(i % 5) / 20) });
      src.connect(gain);
      const importance = i % 8 === 0 ? 3 : i % 3;
      if (i % 8 === 4 || importance === 3) gain.connect(master);
      else {
        gain.connect(duck);
        // Balance automation every 100 ms on the non-dialogue objects, 20 ms ramps.
        for (let k = 0; k < p.seconds * 10; k++) {
          const t = k / 10;
          const b = k % 2 ? 0.3 : 0.6;
          const g = importance === 2 ? 10 ** ((-18 * b * b) / 20) : 10 ** ((-60 * Math.min(1, (b / 0.75) ** 2)) / 20);
          gain.gain.setValueAtTime(gain.gain.value, t);
          gain.gain.linearRampToValueAtTime(g, t + 0.02);
        }
      }
      src.start(0);
    }
    // Ducking for the descriptions' speech (the first half of every second), 0.2 s attack ahead.
    for (let s = 0; s < p.seconds; s++) {
      duck.gain.setValueAtTime(1, Math.max(0, s - 0.2));
      duck.gain.linearRampToValueAtTime(10 ** (-15 / 20), s);
      duck.gain.setValueAtTime(10 ** (-15 / 20), s + 0.5);
      duck.gain.linearRampToValueAtTime(1, s + 0.9);
    }
    for (let k = 0; k < p.seconds * 10; k++) {  // volume automation
      master.gain.setValueAtTime(master.gain.value, k / 10);
      master.gain.linearRampToValueAtTime(10 ** ((k % 3 ? -1 : 1) / 20), k / 10 + 0.02);
    }
    const t0 = performance.now();
    await ctx.startRendering();
    const ms = performance.now() - t0;
    if (run >= 2) samples.push(ms / ((frames / 128) | 0));
  }
  return samples;
}

async function chromiumWebAudio(runs: number): Promise<{ summary: Summary; version: string }> {
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto('about:blank');
    // Passed as source so the bundler's helpers never end up inside the page's function.
    const samples = (await page.evaluate(
      `(${webAudioMix.toString()})(${JSON.stringify({ objects: MIX_OBJECTS, seconds: 2, runs })})`,
    )) as number[];
    return { summary: summarise(samples), version: browser.version() };
  } finally {
    await browser.close();
  }
}

export async function measureAudio(options: AudioBenchOptions): Promise<AudioRun> {
  const mixRequest = { kind: 'audio-mix', objects: MIX_OBJECTS, runs: options.runs };
  const r128Request = { kind: 'r128', seconds: R128_SECONDS, runs: Math.max(5, Math.round(options.runs / 4)) };
  const nativeMix = await nativeRequest(options.nativeTool, 'audio-mix', mixRequest);
  const result: AudioRun = {
    mix: {
      native: summarise(nativeMix.samples),
      wasmSimd: summarise(await wasmRequest('simd', mixRequest)),
      wasmScalar: summarise(await wasmRequest('scalar', mixRequest)),
    },
    r128: {
      native: perSecond((await nativeRequest(options.nativeTool, 'r128', r128Request)).samples),
      wasmSimd: perSecond(await wasmRequest('simd', r128Request)),
      wasmScalar: perSecond(await wasmRequest('scalar', r128Request)),
    },
    underrunFrames: Number(nativeMix.underrunFrames),
    activeObjects: Number(nativeMix.activeObjects),
  };
  if (!existsSync(CHROMIUM)) {
    result.chromiumSkipped = `${CHROMIUM} not found (apt-get install chromium)`;
  } else {
    try {
      const web = await chromiumWebAudio(Math.max(5, Math.round(options.runs / 4)));
      result.mix.chromiumWebAudio = web.summary;
      result.chromiumVersion = web.version;
    } catch (error) {
      result.chromiumSkipped = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    }
  }
  return result;
}
