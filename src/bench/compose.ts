// The compose-frame benchmark (`npm run bench -- compose`): one programme frame of a fixed
// synthetic scene — full-frame I420 video converted and scaled to the output, a picture-in-picture
// I420 video at opacity, a name-strap graphic and two caption-like text lines — timed
//   - natively (tessera-native bench request) and in both wasm tiers in Node: the same loop,
//     native/engine/benchmarks.cpp kind "compose";
//   - in Debian's Chromium (through Playwright), in one page: the engine's wasm tiers and the same
//     scene drawn with Canvas 2D from VideoFrames of the same I420 bytes (src/bench/compose-page.js);
//   - against the memory-bandwidth floor: the bytes the composition must read and write, moved at
//     the machine's measured memcpy rate.
// Numbers are only printed; nothing asserts on them.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

import type { EngineTier } from '../engine/engine';
import { generatedDir, loadEngineNode } from '../engine/load-node';
import { summarise, type Summary } from './stats';
import { CHROMIUM_ARGS } from '../testing/chromium-args';

const run = promisify(execFile);
const root = process.cwd();

export const CHROMIUM = process.env.TESSERA_BENCH_CHROMIUM ?? '/usr/bin/chromium';

export interface VideoSize {
  width: number;
  height: number;
}

export interface ComposeOptions {
  runs: number;
  nativeTool: string;
  fontPath: string;
  /** The main (full-frame) video's size; the output's own size when absent. */
  video?: VideoSize;
}

export interface ComposeRun {
  width: number;
  height: number;
  video: VideoSize;
  native: Summary;
  wasmSimd: Summary;
  wasmScalar: Summary;
  /** Bytes the composition reads and writes at least (both videos' planes, output, overdraw). */
  bytesTouched: number;
  /** memcpy bandwidth measured natively in the same run (bytes copied per second / 1e9). */
  copyGbps: number;
  /** bytesTouched moved at memcpy's rate: a copy reads and writes each byte it copies. */
  floorMs: number;
  chromium?: { simd: Summary; scalar: Summary; canvas2d: Summary; version: string; isolated: boolean };
  /** Why the Chromium rows are missing. */
  chromiumSkipped?: string;
}

function request(width: number, height: number, video: VideoSize, runs: number, font: string, memoryFloor = false, parts = 15): Record<string, unknown> {
  return { kind: 'compose', width, height, videoWidth: video.width, videoHeight: video.height, runs, font, memoryFloor, parts };
}

async function nativeCompose(tool: string, req: Record<string, unknown>): Promise<{ summary: Summary; bytesTouched: number; copyGbps: number }> {
  const dir = path.join(root, 'build/bench');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `compose-${String(req.width)}x${String(req.height)}-from-${String(req.videoWidth)}x${String(req.videoHeight)}-${String(req.parts)}.json`);
  await writeFile(file, JSON.stringify(req));
  const { stdout } = await run(tool, ['bench', 'request', file], { maxBuffer: 64 << 20 });
  const reply = JSON.parse(stdout) as { samples: number[]; bytesTouched: number; copyGbps: number };
  return { summary: summarise(reply.samples), bytesTouched: reply.bytesTouched, copyGbps: reply.copyGbps };
}

async function wasmCompose(tier: EngineTier, req: Record<string, unknown>): Promise<Summary> {
  const engine = await loadEngineNode({ tier });
  try {
    return summarise(engine.runBenchmark(req));
  } finally {
    engine.dispose();
  }
}

// ---- the page: a tiny localhost server, cross-origin isolated (finer performance.now()) -------

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.ttf': 'font/ttf' };

async function startServer(fontPath: string): Promise<{ server: Server; url: string }> {
  const files: Record<string, string> = {
    '/compose-page.js': path.join(root, 'src/bench/compose-page.js'),
    '/engine/tessera-engine.mjs': path.join(generatedDir(), 'tessera-engine.mjs'),
    '/engine/tessera-engine.wasm': path.join(generatedDir(), 'tessera-engine.wasm'),
    '/engine/tessera-engine-scalar.wasm': path.join(generatedDir(), 'tessera-engine-scalar.wasm'),
    '/font.ttf': fontPath,
  };
  const page = '<!doctype html><meta charset="utf-8"><title>compose bench</title><script type="module" src="/compose-page.js"></script>';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost').pathname;
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    if (url === '/') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(page);
      return;
    }
    const file = files[url];
    if (!file) {
      res.writeHead(404, headers).end();
      return;
    }
    readFile(file).then(
      (bytes) => res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(bytes),
      () => res.writeHead(404, headers).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

interface PageBench {
  engine(tier: EngineTier, requestJson: string): Promise<string>;
  canvas(p: { width: number; height: number; videoWidth: number; videoHeight: number; runs: number }): { samples: number[] };
  crossOriginIsolated: boolean;
}

async function chromiumCompose(width: number, height: number, video: VideoSize, options: ComposeOptions, font: string): Promise<NonNullable<ComposeRun['chromium']>> {
  const { chromium } = await import('@playwright/test');
  const { server, url } = await startServer(options.fontPath);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { composeBenchReady?: unknown }).composeBenchReady !== undefined, undefined, { timeout: 20_000 });
    await page.evaluate(() => (window as unknown as { composeBenchReady: Promise<boolean> }).composeBenchReady);
    if (errors.length) throw new Error(errors.join('; '));
    const isolated = await page.evaluate(() => (window as unknown as { composeBench: PageBench }).composeBench.crossOriginIsolated);
    const engineIn = async (tier: EngineTier): Promise<Summary> => {
      const text = await page.evaluate(
        ([t, json]) => (window as unknown as { composeBench: PageBench }).composeBench.engine(t, json),
        [tier, JSON.stringify(request(width, height, video, options.runs, font))] as [EngineTier, string],
      );
      const reply = JSON.parse(text) as { ok: boolean; samples: number[]; error?: string };
      if (!reply.ok) throw new Error(`engine (${tier}) in Chromium: ${reply.error}`);
      return summarise(reply.samples);
    };
    const simd = await engineIn('simd');
    const scalar = await engineIn('scalar');
    const { samples } = await page.evaluate(
      (p) => (window as unknown as { composeBench: PageBench }).composeBench.canvas(p),
      { width, height, videoWidth: video.width, videoHeight: video.height, runs: options.runs },
    );
    return { simd, scalar, canvas2d: summarise(samples), version: browser.version(), isolated };
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

export async function measureCompose(width: number, height: number, options: ComposeOptions): Promise<ComposeRun> {
  const font = (await readFile(options.fontPath)).toString('base64');
  const video = options.video ?? { width, height };
  const native = await nativeCompose(options.nativeTool, request(width, height, video, options.runs, font, true));
  const wasmSimd = await wasmCompose('simd', request(width, height, video, options.runs, font));
  const wasmScalar = await wasmCompose('scalar', request(width, height, video, options.runs, font));
  const floorMs = native.bytesTouched / (2 * native.copyGbps * 1e9) * 1e3;
  const result: ComposeRun = { width, height, video, native: native.summary, wasmSimd, wasmScalar, bytesTouched: native.bytesTouched, copyGbps: native.copyGbps, floorMs };
  if (!existsSync(CHROMIUM)) {
    result.chromiumSkipped = `${CHROMIUM} not found (apt-get install chromium)`;
  } else {
    try {
      result.chromium = await chromiumCompose(width, height, video, options, font);
    } catch (error) {
      result.chromiumSkipped = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    }
  }
  return result;
}

/** The scene's parts, each timed alone (ComposeScene::compose's mask in benchmarks.cpp). */
export const COMPOSE_PARTS = [
  { name: 'main video', mask: 1 },
  { name: 'picture-in-picture', mask: 2 },
  { name: 'name strap graphic', mask: 4 },
  { name: 'two caption lines', mask: 8 },
] as const;

export interface ComposePartsRun {
  parts: { name: string; native: Summary; wasmSimd: Summary }[];
}

/** Each part of the scene alone, natively and in the SIMD wasm tier (Node): where the time goes. */
export async function measureComposeParts(width: number, height: number, options: ComposeOptions): Promise<ComposePartsRun> {
  const font = (await readFile(options.fontPath)).toString('base64');
  const video = options.video ?? { width, height };
  const engine = await loadEngineNode({ tier: 'simd' });
  try {
    const parts: ComposePartsRun['parts'] = [];
    for (const part of COMPOSE_PARTS) {
      const req = request(width, height, video, options.runs, font, false, part.mask);
      parts.push({ name: part.name, native: (await nativeCompose(options.nativeTool, req)).summary, wasmSimd: summarise(engine.runBenchmark(req)) });
    }
    return { parts };
  } finally {
    engine.dispose();
  }
}
