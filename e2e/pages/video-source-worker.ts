// The module worker behind the video-reader test page: runs VideoReader (src/media/video-reader.ts)
// on the fixtures exactly as the engine worker will, reads each decoded frame's number from its
// frame strip (in the worker, from the Y plane or the BGRX pixels) and reports plain results.
// Every scenario closes its readers and reports videoFrameStats() afterwards, so leaks show.
/// <reference lib="webworker" />
import { videoFrameStats, type DecodedVideoFrame } from '../../src/media/decoded-video-frame';
import { readDecodedFrameStrip } from '../../src/media/frame-strip';
import { MediaInputError } from '../../src/media/media-input-error';
import { VideoDemuxer } from '../../src/media/video-demuxer';
import { VideoReader } from '../../src/media/video-reader';
import {
  FIXTURE_URL_PREFIX,
  type DecodeAllResult,
  type ErrorSummary,
  type ErrorsResult,
  type FrameSummary,
  type FromVideoTestWorker,
  type IdleBoundResult,
  type PrefetchJoinResult,
  type PresentResult,
  type SeeksResult,
  type ToVideoTestWorker,
  type VideoTestRequest,
  type VideoTestResult,
} from './video-source-protocol';
import { seededRandom as rng } from '../../src/testing/seeded-random';

declare const self: DedicatedWorkerGlobalScope;

const url = (file: string): string => FIXTURE_URL_PREFIX + file;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function stripNumber(frame: DecodedVideoFrame | null): number | string | null {
  if (!frame) return null;
  const result = readDecodedFrameStrip(frame);
  return 'frame' in result ? result.frame : result.error;
}

function summarise(frame: DecodedVideoFrame): FrameSummary {
  return {
    number: stripNumber(frame)!,
    timestampUs: frame.timestampUs,
    format: frame.format,
    width: frame.width,
    height: frame.height,
    layout: frame.layout,
    byteLength: frame.planes.byteLength,
  };
}

/** The pixel at (x, y): [Y, U, V] from I420 planes, [R, G, B] from packed RGB. */
function pixel(frame: DecodedVideoFrame, x: number, y: number): number[] {
  const p = frame.planes;
  if (frame.format === 'I420') {
    const [yl, ul, vl] = frame.layout;
    const cx = x >> 1;
    const cy = y >> 1;
    return [p[yl!.offset + y * yl!.stride + x]!, p[ul!.offset + cy * ul!.stride + cx]!, p[vl!.offset + cy * vl!.stride + cx]!];
  }
  const o = frame.layout[0]!.offset + y * frame.layout[0]!.stride + x * 4;
  const bgr = frame.format.startsWith('BGR');
  return bgr ? [p[o + 2]!, p[o + 1]!, p[o]!] : [p[o]!, p[o + 1]!, p[o + 2]!];
}

/** The picture below the strip is the flash's pure white at a few points. */
function isFlash(frame: DecodedVideoFrame): boolean {
  const white = frame.format === 'I420' ? [235, 128, 128] : [255, 255, 255];
  const points: [number, number][] = [[20, 340], [320, 200], [600, 300], [100, 60]];
  return points.every(([x, y]) => pixel(frame, x, y).every((v, i) => v === white[i]));
}

function errorSummary(error: unknown): ErrorSummary {
  if (error instanceof MediaInputError) return { name: error.name, code: error.code, file: error.file, message: error.message };
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, code: null, file: null, message: e.message };
}

async function fetchBytes(file: string): Promise<ArrayBuffer> {
  const response = await fetch(url(file));
  if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

/** Deterministic PRNG (mulberry32). */

async function decodeAll(request: Extract<VideoTestRequest, { kind: 'decode-all' }>): Promise<DecodeAllResult> {
  const source = request.via === 'url' ? url(request.file) : await fetchBytes(request.file);
  const reader = await VideoReader.open(source, { name: request.file });
  try {
    const started = performance.now();
    const frames: FrameSummary[] = [];
    const flashFramesWhite: number[] = [];
    let sample = { format: '', values: [] as number[] };
    for (let frame = await reader.read(); frame; frame = await reader.read()) {
      const summary = summarise(frame);
      if (frames.length === 0) sample = { format: frame.format, values: pixel(frame, 600, 300) };
      if (isFlash(frame) && typeof summary.number === 'number') flashFramesWhite.push(summary.number);
      frames.push(summary);
      reader.release(frame);
      if (request.pauseEvery > 0 && frames.length % request.pauseEvery === 0) await sleep(request.pauseMs);
    }
    const decodeMs = performance.now() - started;
    return { info: reader.info, frames, sample, flashFramesWhite, stats: reader.stats, frameStatsAfterClose: closeAndCount(reader), decodeMs };
  } finally {
    reader.close();
  }
}

function closeAndCount(...readers: VideoReader[]) {
  for (const reader of readers) reader.close();
  return videoFrameStats();
}

async function seeks(request: Extract<VideoTestRequest, { kind: 'seeks' }>): Promise<SeeksResult> {
  const reader = await VideoReader.open(url(request.file));
  try {
    const out: SeeksResult['seeks'] = [];
    for (const targetUs of request.targetsUs) {
      await reader.seek(targetUs);
      const numbers: (number | string | null)[] = [];
      for (let i = 0; i < 2; i++) {
        const frame = await reader.read();
        numbers.push(stripNumber(frame));
        if (frame) reader.release(frame);
      }
      out.push({ targetUs, numbers });
    }
    return { seeks: out, stats: reader.stats, frameStatsAfterClose: closeAndCount(reader) };
  } finally {
    reader.close();
  }
}

async function randomSeeks(request: Extract<VideoTestRequest, { kind: 'random-seeks' }>): Promise<SeeksResult> {
  const reader = await VideoReader.open(url(request.file));
  try {
    const random = rng(request.seed);
    const span = reader.info.endUs;
    const out: SeeksResult['seeks'] = [];
    for (let i = 0; i < request.count; i++) {
      const targetUs = Math.floor(random() * (span + 200_000)) - 100_000;
      const reads = 1 + Math.floor(random() * request.maxReads);
      await reader.seek(targetUs);
      const numbers: (number | string | null)[] = [];
      for (let r = 0; r < reads; r++) {
        const frame = await reader.read();
        numbers.push(stripNumber(frame));
        if (!frame) break;
        reader.release(frame);
      }
      out.push({ targetUs, numbers });
    }
    return { seeks: out, stats: reader.stats, frameStatsAfterClose: closeAndCount(reader) };
  } finally {
    reader.close();
  }
}

async function present(request: Extract<VideoTestRequest, { kind: 'present' }>): Promise<PresentResult> {
  const reader = await VideoReader.open(url(request.file));
  try {
    const shown: PresentResult['shown'] = [];
    for (let timeUs = 0; timeUs < reader.info.endUs + 100_000; timeUs += request.stepUs) {
      shown.push({ timeUs, number: stripNumber(await reader.frameAt(timeUs)) });
    }
    const decoderStartsAfterPlay = reader.stats.decoderStarts;
    const jumps: PresentResult['jumps'] = [];
    for (const timeUs of request.jumpsUs) jumps.push({ timeUs, number: stripNumber(await reader.frameAt(timeUs)) });
    return { shown, jumps, decoderStartsAfterPlay, stats: reader.stats, frameStatsAfterClose: closeAndCount(reader) };
  } finally {
    reader.close();
  }
}

async function prefetchJoin(request: Extract<VideoTestRequest, { kind: 'prefetch-join' }>): Promise<PrefetchJoinResult> {
  const playing = await VideoReader.open(url(request.playing));
  const next = await VideoReader.open(url(request.next));
  try {
    const prefetched = next.prefetch(0);
    const playedNumbers: (number | string | null)[] = [];
    const frameUs = 1e6 / playing.info.frameRate;
    for (let i = 0; i < request.playFrames; i++) {
      playedNumbers.push(stripNumber(await playing.frameAt(Math.round((i + 0.5) * frameUs))));
    }
    await prefetched;
    const queuedAfterPrefetch = next.queuedFrames;
    const started = performance.now();
    const join = await next.frameAt(0);
    const joinMs = performance.now() - started;
    return {
      playedNumbers,
      queuedAfterPrefetch,
      joinNumber: stripNumber(join),
      joinMs,
      nextStats: next.stats,
      frameStatsAfterClose: closeAndCount(playing, next),
    };
  } finally {
    playing.close();
    next.close();
  }
}

async function idleBound(request: Extract<VideoTestRequest, { kind: 'idle-bound' }>): Promise<IdleBoundResult> {
  const reader = await VideoReader.open(url(request.file), { maxQueuedFrames: request.maxQueuedFrames });
  try {
    await reader.prefetch(0);
    await sleep(request.waitMs);
    const frameStatsWhileIdle = videoFrameStats();
    return { queuedFrames: reader.queuedFrames, stats: reader.stats, frameStatsWhileIdle, frameStatsAfterClose: closeAndCount(reader) };
  } finally {
    reader.close();
  }
}

/** Overwrites the middle of packets from `fromFrame` on with noise (the container stays intact). */
async function damage(bytes: Uint8Array<ArrayBuffer>, fromFrame: number): Promise<Uint8Array<ArrayBuffer>> {
  const demuxer = await VideoDemuxer.open(bytes.slice());
  const damaged = bytes.slice();
  const random = rng(7);
  let index = 0;
  for await (const packet of demuxer.packets()) {
    if (index++ < fromFrame) continue;
    const head = packet.data.subarray(0, 24);
    const at = indexOf(damaged, head);
    if (at < 0) continue;
    // Keep the first bytes (frame header), scramble the rest of the payload.
    for (let i = at + 8; i < at + packet.data.byteLength; i++) damaged[i] = Math.floor(random() * 256);
  }
  demuxer.close();
  return damaged;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

async function errors(request: Extract<VideoTestRequest, { kind: 'errors' }>): Promise<ErrorsResult> {
  const attempt = async (open: () => Promise<VideoReader>): Promise<ErrorSummary | null> => {
    try {
      (await open()).close();
      return null;
    } catch (error) {
      return errorSummary(error);
    }
  };
  const missing = await attempt(() => VideoReader.open(url('missing-clip.webm')));
  const junk = await attempt(() => VideoReader.open(new Uint8Array(8192).fill(0x5a).buffer, { name: 'junk.webm' }));
  const audioOnly = await attempt(() => VideoReader.open(url('speech-en.webm')));

  const damagedBytes = await damage(new Uint8Array(await fetchBytes(request.file)), 40);
  const reader = await VideoReader.open(damagedBytes.buffer, { name: `damaged-${request.file}` });
  let framesBeforeError = 0;
  let error: ErrorSummary | null = null;
  try {
    for (let frame = await reader.read(); frame; frame = await reader.read()) {
      framesBeforeError++;
      reader.release(frame);
    }
  } catch (e) {
    error = errorSummary(e);
  } finally {
    reader.close();
  }
  return { missing, junk, audioOnly, damaged: { framesBeforeError, error }, frameStatsAfterClose: videoFrameStats() };
}

async function run(request: VideoTestRequest): Promise<VideoTestResult> {
  switch (request.kind) {
    case 'decode-all':
      return decodeAll(request);
    case 'seeks':
      return seeks(request);
    case 'random-seeks':
      return randomSeeks(request);
    case 'present':
      return present(request);
    case 'prefetch-join':
      return prefetchJoin(request);
    case 'idle-bound':
      return idleBound(request);
    case 'errors':
      return errors(request);
  }
}

self.onmessage = (event: MessageEvent<ToVideoTestWorker>) => {
  const { id, request } = event.data;
  run(request).then(
    (result) => self.postMessage({ id, ok: true, result } satisfies FromVideoTestWorker),
    (error: unknown) => self.postMessage({ id, ok: false, error: errorSummary(error) } satisfies FromVideoTestWorker),
  );
};
