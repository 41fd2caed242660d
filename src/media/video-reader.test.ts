// The video reader's logic in Node, over the real fixtures (real Mediabunny demuxing) and a fake
// WebCodecs VideoDecoder that "decodes" a packet into a frame carrying the fixture's frame-number
// strip, at the packet's timestamp, with a padded coded size. It checks what the browser tests
// check (every frame once and in order, frame-exact seeks, no VideoFrame leaks, bounded queues)
// plus what real decoders rarely do on demand: holding frames back, failing mid-stream.
// The same reader against real decoders runs in e2e/video-source.spec.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';

import { FIXTURE_MEDIA_DIR, readFixtureManifest } from './fixture-manifest';
import { FRAME_STRIP_CELLS, FRAME_STRIP_HEIGHT_DIVISOR, frameStripCells, readDecodedFrameStrip } from './frame-strip';
import { MediaInputError } from './media-input-error';
import { VideoDemuxer, type VideoFrameEntry } from './video-demuxer';
import { DEFAULT_MAX_QUEUED_FRAMES, VideoReader, videoFrameStats, type DecodedVideoFrame } from './video-reader';
import { seededRandom as rng } from '../testing/seeded-random';

// ---- Fake WebCodecs ------------------------------------------------------------------------------

interface FakeBehaviour {
  /** Frames the decoder keeps back before emitting (like a reordering decoder). */
  holdBack: number;
  format: 'I420' | 'BGRX';
  /** Report a decode error for the packet at this timestamp. */
  failAtUs: number | null;
  supported: boolean;
}

const behaviour: FakeBehaviour = { holdBack: 0, format: 'I420', failAtUs: null, supported: true };
/** Frame number of each timestamp of the clip being decoded. */
let frameNumbers = new Map<number, number>();
let fakeFramesAlive = 0;
let maxFakeFramesAlive = 0;
let maxFakeDecodeQueue = 0;

/** Padding the fake decoder adds to the coded size (the reader must copy only visibleRect). */
const PAD = 16;

class FakeVideoFrame {
  format: 'I420' | 'BGRX' | null;
  visibleRect: { x: number; y: number; width: number; height: number } | null;
  readonly codedWidth: number;
  readonly codedHeight: number;

  constructor(
    readonly number: number,
    readonly timestamp: number,
    readonly duration: number | null,
    width: number,
    height: number,
  ) {
    this.format = behaviour.format;
    this.visibleRect = { x: 0, y: 0, width, height };
    this.codedWidth = width + PAD;
    this.codedHeight = height + PAD;
    fakeFramesAlive++;
    maxFakeFramesAlive = Math.max(maxFakeFramesAlive, fakeFramesAlive);
  }

  /** Paints the strip (white/black cells) over a flat picture, honouring rect and layout. */
  async copyTo(
    dest: Uint8Array,
    options: { rect: { x: number; y: number; width: number; height: number }; layout: { offset: number; stride: number }[] },
  ): Promise<{ offset: number; stride: number }[]> {
    if (!this.format || !this.visibleRect) throw new DOMException('closed', 'InvalidStateError');
    const { rect, layout } = options;
    expect(rect).toEqual(this.visibleRect);
    const cells = frameStripCells(this.number);
    const stripHeight = rect.height / FRAME_STRIP_HEIGHT_DIVISOR;
    const cellWidth = rect.width / FRAME_STRIP_CELLS;
    const white = (x: number, y: number): boolean | null => (y < stripHeight ? cells[Math.floor(x / cellWidth)]! : null);
    if (this.format === 'I420') {
      const [yPlane, uPlane, vPlane] = layout as [{ offset: number; stride: number }, { offset: number; stride: number }, { offset: number; stride: number }];
      for (let y = 0; y < rect.height; y++) {
        for (let x = 0; x < rect.width; x++) {
          const w = white(x, y);
          dest[yPlane.offset + y * yPlane.stride + x] = w === null ? 70 : w ? 235 : 16;
        }
      }
      for (const plane of [uPlane, vPlane]) {
        for (let y = 0; y < Math.ceil(rect.height / 2); y++) dest.fill(128, plane.offset + y * plane.stride, plane.offset + y * plane.stride + Math.ceil(rect.width / 2));
      }
    } else {
      const plane = layout[0]!;
      for (let y = 0; y < rect.height; y++) {
        for (let x = 0; x < rect.width; x++) {
          const w = white(x, y);
          const o = plane.offset + y * plane.stride + x * 4;
          dest[o] = w === null ? 140 : w ? 255 : 0;
          dest[o + 1] = w === null ? 60 : w ? 255 : 0;
          dest[o + 2] = w === null ? 30 : w ? 255 : 0;
          dest[o + 3] = 255;
        }
      }
    }
    return layout.map((p) => ({ ...p }));
  }

  close(): void {
    if (this.format === null) return;
    this.format = null;
    this.visibleRect = null;
    fakeFramesAlive--;
  }
}

/** Mediabunny's packet.toEncodedVideoChunk() constructs one; only these fields are read. */
class FakeEncodedVideoChunk {
  readonly type: 'key' | 'delta';
  readonly timestamp: number;
  readonly duration: number | null;
  constructor(init: { type: 'key' | 'delta'; timestamp: number; duration?: number }) {
    this.type = init.type;
    this.timestamp = init.timestamp;
    this.duration = init.duration ?? null;
  }
}

class FakeVideoDecoder extends EventTarget {
  static async isConfigSupported(config: VideoDecoderConfig): Promise<VideoDecoderSupport> {
    return { supported: behaviour.supported, config };
  }

  state: CodecState = 'unconfigured';
  decodeQueueSize = 0;
  readonly #output: (frame: FakeVideoFrame) => void;
  readonly #error: (error: DOMException) => void;
  readonly #held: FakeVideoFrame[] = [];
  #size = { width: 0, height: 0 };
  #keyRequired = true;
  #work: Promise<void> = Promise.resolve();

  constructor(init: { output: (frame: FakeVideoFrame) => void; error: (error: DOMException) => void }) {
    super();
    this.#output = init.output;
    this.#error = init.error;
  }

  configure(config: VideoDecoderConfig): void {
    expect(config.colorSpace).toMatchObject({ matrix: 'bt709', fullRange: false });
    expect(config.hardwareAcceleration).toBe('prefer-software');
    this.#size = { width: config.codedWidth!, height: config.codedHeight! };
    this.state = 'configured';
  }

  decode(chunk: EncodedVideoChunk): void {
    if (this.state !== 'configured') throw new DOMException('not configured', 'InvalidStateError');
    if (this.#keyRequired && chunk.type !== 'key') throw new DOMException('key frame required', 'DataError');
    this.#keyRequired = false;
    this.decodeQueueSize++;
    maxFakeDecodeQueue = Math.max(maxFakeDecodeQueue, this.decodeQueueSize);
    const { timestamp, duration } = chunk;
    this.#work = this.#work.then(
      () =>
        new Promise<void>((resolve) =>
          setImmediate(() => {
            resolve();
            if (this.state === 'closed') return;
            this.decodeQueueSize--;
            this.dispatchEvent(new Event('dequeue'));
            if (timestamp === behaviour.failAtUs) {
              this.state = 'closed';
              this.#error(new DOMException('Decoding error.', 'EncodingError'));
              return;
            }
            const number = frameNumbers.get(timestamp);
            if (number === undefined) throw new Error(`fake decoder: no frame at ${timestamp}`);
            this.#held.push(new FakeVideoFrame(number, timestamp, duration, this.#size.width, this.#size.height));
            while (this.#held.length > behaviour.holdBack) this.#output(this.#held.shift()!);
          }),
        ),
    );
  }

  async flush(): Promise<void> {
    await this.#work;
    if (this.state === 'closed') throw new DOMException('closed', 'AbortError');
    while (this.#held.length > 0) this.#output(this.#held.shift()!);
    this.#keyRequired = true;
  }

  close(): void {
    this.state = 'closed';
    for (const frame of this.#held.splice(0)) frame.close();
  }
}

// ---- Fixtures ------------------------------------------------------------------------------------

const manifest = readFixtureManifest();
const videos = manifest.files.flatMap((f) => (f.video ? [{ name: f.name, video: f.video }] : []));
const fileBytes = (name: string) => new Uint8Array(fs.readFileSync(path.join(FIXTURE_MEDIA_DIR, name)));

/** The clip's frames in presentation order; also tells the fake decoder what to paint. */
async function frameTable(name: string): Promise<VideoFrameEntry[]> {
  const demuxer = await VideoDemuxer.open(fileBytes(name), { name });
  const frames = await demuxer.listFrames();
  demuxer.close();
  frameNumbers = new Map(frames.map((f, i) => [f.timestampUs, i]));
  return frames;
}

/** The frame that covers time t: the last whose timestamp is at or before it. */
function coveringFrame(frames: VideoFrameEntry[], t: number): number {
  let n = 0;
  while (n + 1 < frames.length && frames[n + 1]!.timestampUs <= t) n++;
  return n;
}

function stripNumber(frame: DecodedVideoFrame): number {
  const result = readDecodedFrameStrip(frame);
  if ('error' in result) throw new Error(`frame at ${frame.timestampUs}: ${result.error}`);
  return result.frame;
}

/** Deterministic PRNG (mulberry32). */

async function open(name: string, options: { maxQueuedFrames?: number } = {}): Promise<VideoReader> {
  return VideoReader.open(fileBytes(name), { name, ...options });
}

beforeEach(() => {
  Object.assign(behaviour, { holdBack: 0, format: 'I420', failAtUs: null, supported: true });
  fakeFramesAlive = 0;
  maxFakeFramesAlive = 0;
  maxFakeDecodeQueue = 0;
  vi.stubGlobal('VideoDecoder', FakeVideoDecoder);
  vi.stubGlobal('EncodedVideoChunk', FakeEncodedVideoChunk);
});

afterEach(() => {
  vi.unstubAllGlobals();
  // Whatever a test did, every VideoFrame the readers received has been closed.
  expect(videoFrameStats().open).toBe(0);
  expect(fakeFramesAlive).toBe(0);
});

// ---- Tests ---------------------------------------------------------------------------------------

describe('VideoReader: reading', () => {
  for (const { name, video } of videos) {
    it(`${name}: every frame once, in order, tight I420 from the visible rect`, async () => {
      const frames = await frameTable(name);
      const before = videoFrameStats();
      const reader = await open(name);
      const numbers: number[] = [];
      for (let frame = await reader.read(); frame; frame = await reader.read()) {
        expect(frame).toMatchObject({ width: video.width, height: video.height, format: 'I420', colour: { matrix: 'bt709', fullRange: false } });
        expect(frame.layout).toEqual([
          { offset: 0, stride: 640 },
          { offset: 640 * 360, stride: 320 },
          { offset: 640 * 360 + 320 * 180, stride: 320 },
        ]);
        expect(frame.planes.byteLength).toBe(640 * 360 * 1.5);
        expect(frame.timestampUs).toBe(frames[numbers.length]!.timestampUs);
        expect(frame.durationUs).toBe(frames[numbers.length]!.durationUs);
        numbers.push(stripNumber(frame));
        reader.release(frame);
      }
      expect(numbers).toEqual(frames.map((_, i) => i));
      expect(await reader.read()).toBeNull();
      expect(reader.stats.maxQueuedFrames).toBeLessThanOrEqual(DEFAULT_MAX_QUEUED_FRAMES);
      expect(maxFakeDecodeQueue).toBeLessThanOrEqual(DEFAULT_MAX_QUEUED_FRAMES);
      expect(maxFakeFramesAlive).toBeLessThanOrEqual(DEFAULT_MAX_QUEUED_FRAMES);
      expect(reader.stats.decoderStarts).toBe(1);
      reader.close();
      const after = videoFrameStats();
      expect(after.opened - before.opened).toBe(video.frameCount);
      expect(after.closed - before.closed).toBe(video.frameCount);
    });
  }

  it('hands out BGRX as one tightly packed plane', async () => {
    behaviour.format = 'BGRX';
    const frames = await frameTable('count-b-vp9-opus.webm');
    const reader = await open('count-b-vp9-opus.webm');
    const numbers: number[] = [];
    for (let frame = await reader.read(); frame; frame = await reader.read()) {
      expect(frame.format).toBe('BGRX');
      expect(frame.layout).toEqual([{ offset: 0, stride: 640 * 4 }]);
      numbers.push(stripNumber(frame));
      reader.release(frame);
    }
    expect(numbers).toEqual(frames.map((_, i) => i));
    reader.close();
  });

  it('reuses released buffers and keeps unreleased frames intact', async () => {
    await frameTable('count-b-vp9-opus.webm');
    const reader = await open('count-b-vp9-opus.webm');
    const kept = (await reader.read())!;
    const seen = new Set<ArrayBuffer>();
    let reused = 0;
    for (let i = 0; i < 40; i++) {
      const frame = (await reader.read())!;
      if (seen.has(frame.planes.buffer)) reused++;
      seen.add(frame.planes.buffer);
      expect(frame.planes.buffer).not.toBe(kept.planes.buffer);
      reader.release(frame);
    }
    expect(reused).toBeGreaterThan(30);
    expect(seen.size).toBeLessThanOrEqual(DEFAULT_MAX_QUEUED_FRAMES + 4);
    expect(stripNumber(kept)).toBe(0);
    reader.release(kept);
    reader.release(kept); // a second release is ignored
    reader.close();
  });
});

describe('VideoReader: frame-exact seeking', () => {
  for (const { name, video } of videos) {
    it(`${name}: the next frame after seek(t) is the one covering t`, async () => {
      const frames = await frameTable(name);
      const reader = await open(name);
      const last = video.frameCount - 1;
      const targets = [0, 1, 15, 29, 30, 31, 45, 59, 60, 61, last - 1, last, 2, 89 % video.frameCount];
      for (const target of targets) {
        const start = frames[target]!.timestampUs;
        const end = frames[target + 1]?.timestampUs ?? reader.info.endUs;
        for (const t of [start, Math.floor((start + end) / 2), end - 1]) {
          await reader.seek(t);
          const frame = (await reader.read())!;
          expect(stripNumber(frame), `seek to ${t} µs (frame ${target})`).toBe(target);
          reader.release(frame);
        }
        // Reading on continues from there.
        const next = await reader.read();
        if (target < last) expect(stripNumber(next!)).toBe(target + 1);
        else expect(next).toBeNull();
        if (next) reader.release(next);
      }
      await reader.seek(-5_000_000);
      const first = (await reader.read())!;
      expect(stripNumber(first)).toBe(0);
      reader.release(first);
      await reader.seek(reader.info.endUs);
      expect(await reader.read()).toBeNull();
      reader.close();
    });
  }

  it('a seek ahead inside what has been fed continues the same decoder, skipping without copying', async () => {
    await frameTable('count-a-vp9-opus.webm');
    const reader = await open('count-a-vp9-opus.webm');
    await reader.prefetch(0);
    const copiedBefore = reader.stats.framesCopied;
    await reader.seek(5 * 33_400);
    const frame = (await reader.read())!;
    expect(stripNumber(frame)).toBe(5);
    reader.release(frame);
    expect(reader.stats.decoderStarts).toBe(1);
    expect(reader.stats.seeksContinued).toBe(1);
    // Beyond what was fed but in the same group of pictures: still the same decoder.
    await reader.seek(25 * 33_400);
    const later = (await reader.read())!;
    expect(stripNumber(later)).toBe(25);
    reader.release(later);
    expect(reader.stats.decoderStarts).toBe(1);
    // Frames 9..24 (fed after the prefetch) were decoded only to be skipped: never copied.
    expect(reader.stats.framesCopied - copiedBefore).toBeLessThan(25);
    // Into the next group of pictures: a new decoder at its key frame.
    await reader.seek(95 * 33_400);
    const jump = (await reader.read())!;
    expect(stripNumber(jump)).toBe(95);
    reader.release(jump);
    expect(reader.stats.decoderStarts).toBe(2);
    reader.close();
  });

  it('100 random seeks with a few reads each land exactly and leak nothing', async () => {
    const name = 'count-a-h264-aac.mp4';
    const frames = await frameTable(name);
    const reader = await open(name);
    const random = rng(42);
    let checked = 0;
    for (let i = 0; i < 100; i++) {
      const t = Math.floor(random() * (reader.info.endUs + 200_000)) - 100_000;
      await reader.seek(t);
      const reads = 1 + Math.floor(random() * 4);
      let expected = t >= reader.info.endUs ? null : coveringFrame(frames, t);
      for (let r = 0; r < reads; r++) {
        const frame = await reader.read();
        if (expected === null || expected >= frames.length) {
          expect(frame).toBeNull();
          break;
        }
        expect(stripNumber(frame!), `seek ${i} to ${t}, read ${r}`).toBe(expected);
        reader.release(frame!);
        expected++;
        checked++;
      }
      expect(reader.queuedFrames).toBeLessThanOrEqual(DEFAULT_MAX_QUEUED_FRAMES);
    }
    expect(checked).toBeGreaterThan(150);
    expect(reader.stats.maxQueuedFrames).toBeLessThanOrEqual(DEFAULT_MAX_QUEUED_FRAMES);
    reader.close();
  });
});

describe('VideoReader: frameAt (the presenter)', () => {
  it('at 60 Hz shows each frame until the next is due, with one decoder for the whole clip', async () => {
    const name = 'count-a-vp9-opus.webm';
    const frames = await frameTable(name);
    const reader = await open(name);
    const shown: number[] = [];
    const expected: number[] = [];
    for (let k = 0; k * 16_667 < reader.info.endUs + 100_000; k++) {
      const t = k * 16_667;
      const frame = (await reader.frameAt(t))!;
      shown.push(stripNumber(frame));
      expected.push(coveringFrame(frames, t));
    }
    expect(shown).toEqual(expected);
    expect(reader.stats.decoderStarts).toBe(1);
    // Back in time: a seek; far ahead (another group): a seek; the frame is the reader's.
    const back = (await reader.frameAt(40 * 33_400))!;
    expect(stripNumber(back)).toBe(40);
    expect(() => reader.release(back)).toThrow(/belong to the reader/);
    expect(stripNumber((await reader.frameAt(41 * 33_400))!)).toBe(41);
    expect(stripNumber((await reader.frameAt(130 * 33_400))!)).toBe(130);
    expect(reader.stats.decoderStarts).toBe(3);
    reader.close();
  });

  it('prefetch decodes the next scene ahead, on a second reader, while the first plays', async () => {
    await frameTable('count-a-vp9-opus.webm');
    const a = await open('count-a-vp9-opus.webm');
    for (let k = 0; k < 10; k++) await a.frameAt(k * 33_400);
    const b = await open('count-a-vp9-opus.webm');
    await b.prefetch(0);
    expect(b.queuedFrames).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(b.queuedFrames).toBe(DEFAULT_MAX_QUEUED_FRAMES); // filled up to the bound, no further
    expect(stripNumber((await a.frameAt(10 * 33_400))!)).toBe(10);
    const join = (await b.frameAt(0))!;
    expect(stripNumber(join)).toBe(0);
    expect(b.stats.decoderStarts).toBe(1);
    a.close();
    b.close();
  });
});

describe('VideoReader: back-pressure', () => {
  it('an idle reader stops at the bound', async () => {
    await frameTable('count-a-vp9-opus.webm');
    const reader = await open('count-a-vp9-opus.webm', { maxQueuedFrames: 4 });
    await reader.prefetch(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reader.queuedFrames).toBe(4);
    expect(maxFakeDecodeQueue).toBeLessThanOrEqual(4);
    expect(videoFrameStats().open).toBe(0); // nothing held as a VideoFrame while idle
    reader.close();
  });

  it('a decoder that holds frames back still delivers every frame within the bound', async () => {
    behaviour.holdBack = 3;
    const frames = await frameTable('count-b-vp9-opus.webm');
    const reader = await open('count-b-vp9-opus.webm');
    const numbers: number[] = [];
    for (let frame = await reader.read(); frame; frame = await reader.read()) {
      numbers.push(stripNumber(frame));
      reader.release(frame);
    }
    expect(numbers).toEqual(frames.map((_, i) => i));
    expect(reader.stats.maxQueuedFrames).toBeLessThanOrEqual(DEFAULT_MAX_QUEUED_FRAMES);
    expect(reader.stats.stallOverruns).toBe(0);
    reader.close();
  });

  it('a decoder that holds back more than the bound is fed past it instead of stalling', async () => {
    behaviour.holdBack = 6;
    const frames = await frameTable('count-b-vp9-opus.webm');
    const reader = await open('count-b-vp9-opus.webm', { maxQueuedFrames: 4 });
    const numbers: number[] = [];
    for (let frame = await reader.read(); frame; frame = await reader.read()) {
      numbers.push(stripNumber(frame));
      reader.release(frame);
    }
    expect(numbers).toEqual(frames.map((_, i) => i));
    expect(reader.stats.stallOverruns).toBeGreaterThan(0);
    reader.close();
  });
});

describe('VideoReader: errors and closing', () => {
  it('a decode error mid-stream delivers the frames before it, then a plain error naming the file', async () => {
    const frames = await frameTable('count-b-vp9-opus.webm');
    behaviour.failAtUs = frames[40]!.timestampUs;
    const reader = await open('count-b-vp9-opus.webm');
    const numbers: number[] = [];
    let failure: unknown = null;
    try {
      for (let frame = await reader.read(); frame; frame = await reader.read()) {
        numbers.push(stripNumber(frame));
        reader.release(frame);
      }
    } catch (error) {
      failure = error;
    }
    expect(numbers).toEqual(frames.slice(0, 40).map((_, i) => i));
    expect(failure).toBeInstanceOf(MediaInputError);
    expect(failure).toMatchObject({ code: 'corrupt', file: 'count-b-vp9-opus.webm' });
    expect((failure as Error).message).toMatch(/^count-b-vp9-opus\.webm could not be decoded near 1\.\d+ s: Decoding error\./);
    // A seek starts a fresh decoder: the frames before the damage stay reachable.
    behaviour.failAtUs = null;
    await reader.seek(frames[10]!.timestampUs);
    const again = (await reader.read())!;
    expect(stripNumber(again)).toBe(10);
    reader.release(again);
    reader.close();
  });

  it('refuses a codec the browser cannot decode, and environments without WebCodecs', async () => {
    behaviour.supported = false;
    await expect(open('count-a-h264-aac.mp4')).rejects.toMatchObject({
      code: 'unsupported-codec',
      message: 'count-a-h264-aac.mp4 uses video codec avc1.64001e, which this browser cannot decode.',
    });
    vi.unstubAllGlobals();
    await expect(open('count-a-h264-aac.mp4')).rejects.toMatchObject({ code: 'no-decoder' });
  });

  it('close() frees everything at once; a read in progress ends with null, later calls are refused', async () => {
    await frameTable('count-a-vp9-opus.webm');
    const reader = await open('count-a-vp9-opus.webm');
    const lent = (await reader.read())!;
    await reader.seek(3_000_000);
    const pending = reader.read();
    reader.close();
    expect(videoFrameStats().open).toBe(0);
    expect(await pending).toBeNull();
    await expect(reader.read()).rejects.toMatchObject({ code: 'closed' });
    await expect(reader.frameAt(0)).rejects.toMatchObject({ code: 'closed' });
    expect(stripNumber(lent)).toBe(0); // lent frames stay valid after close
    reader.release(lent);
  });
});
