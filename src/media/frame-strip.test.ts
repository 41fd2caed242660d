// Unit tests for the frame-strip reader: synthetic strips drawn into RGBA buffers, full size and
// scaled into a larger buffer with noise, plus the failure cases (parity, flat pictures); and the
// same strips read from a luma plane, from BGRX, and from decoded frames (I420 and BGRX).
import { describe, it, expect } from 'vitest';
import {
  FRAME_STRIP_CELLS,
  FRAME_STRIP_HEIGHT_DIVISOR,
  FRAME_STRIP_MAX_FRAME,
  FRAME_STRIP_PARITY_CELL,
  frameStripCells,
  readDecodedFrameStrip,
  readFrameStrip,
  readFrameStripLuma,
  readFrameStripPacked,
  type FrameStripRect,
} from './frame-strip';
import { seededRandom as rng } from '../testing/seeded-random';

/** Cell values written out independently of the module under test. */
function expectedCells(frame: number): boolean[] {
  const bits = frame.toString(2).padStart(16, '0').split('').map((b) => b === '1');
  const ones = bits.filter(Boolean).length;
  return [true, false, ...bits, ones % 2 === 1, false];
}

/** Deterministic PRNG (mulberry32). */

interface DrawOptions {
  /** Background of the buffer outside the picture. */
  outside?: [number, number, number];
  /** Picture colour below the strip. */
  below?: [number, number, number];
  /** Luma levels used for white and black (e.g. a dimmed picture). */
  white?: number;
  black?: number;
  /** Uniform noise amplitude added to every channel. */
  noise?: number;
  seed?: number;
}

/**
 * Renders a picture carrying `cells` into rect of a width×height RGBA buffer, area-averaging
 * 4×4 sub-samples per pixel, as a scaler would.
 */
function draw(
  cells: boolean[],
  width: number,
  height: number,
  rect: FrameStripRect = { x: 0, y: 0, width, height },
  opts: DrawOptions = {},
): Uint8ClampedArray {
  const { outside = [40, 40, 40], below = [31, 63, 143], white = 255, black = 0, noise = 0, seed = 1 } = opts;
  const rand = rng(seed);
  const buf = new Uint8ClampedArray(width * height * 4);
  const stripH = rect.height / FRAME_STRIP_HEIGHT_DIVISOR;
  const cellW = rect.width / FRAME_STRIP_CELLS;
  const colourAt = (sx: number, sy: number): [number, number, number] => {
    if (sx < rect.x || sy < rect.y || sx >= rect.x + rect.width || sy >= rect.y + rect.height) return outside;
    if (sy - rect.y >= stripH) return below;
    const v = cells[Math.min(FRAME_STRIP_CELLS - 1, Math.floor((sx - rect.x) / cellW))] ? white : black;
    return [v, v, v];
  };
  const S = 4;
  // Only pixels touching the picture need sub-sampling.
  const bx0 = Math.floor(rect.x), bx1 = Math.ceil(rect.x + rect.width);
  const by0 = Math.floor(rect.y), by1 = Math.ceil(rect.y + rect.height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x < bx0 || x >= bx1 || y < by0 || y >= by1) {
        const o = (y * width + x) * 4;
        buf[o] = outside[0]; buf[o + 1] = outside[1]; buf[o + 2] = outside[2]; buf[o + 3] = 255;
        continue;
      }
      let r = 0, g = 0, b = 0;
      for (let j = 0; j < S; j++) {
        for (let i = 0; i < S; i++) {
          const c = colourAt(x + (i + 0.5) / S, y + (j + 0.5) / S);
          r += c[0]; g += c[1]; b += c[2];
        }
      }
      const o = (y * width + x) * 4;
      const n = () => (noise ? (rand() * 2 - 1) * noise : 0);
      buf[o] = r / (S * S) + n();
      buf[o + 1] = g / (S * S) + n();
      buf[o + 2] = b / (S * S) + n();
      buf[o + 3] = 255;
    }
  }
  return buf;
}

const SAMPLE_FRAMES = [0, 1, 2, 29, 30, 31, 77, 89, 149, 255, 256, 1000, 4660, 21845, 43690, 65534, FRAME_STRIP_MAX_FRAME];

describe('frameStripCells', () => {
  it('matches the documented layout', () => {
    for (const f of SAMPLE_FRAMES) expect(frameStripCells(f)).toEqual(expectedCells(f));
    // Frame 29 = 0b11101: four ones, so parity is black; frame 1: one 1, parity white.
    expect(frameStripCells(29)[FRAME_STRIP_PARITY_CELL]).toBe(false);
    expect(frameStripCells(1)[FRAME_STRIP_PARITY_CELL]).toBe(true);
  });
  it('rejects numbers that do not fit', () => {
    expect(() => frameStripCells(-1)).toThrow(RangeError);
    expect(() => frameStripCells(65536)).toThrow(RangeError);
    expect(() => frameStripCells(1.5)).toThrow(RangeError);
  });
});

describe('readFrameStrip', () => {
  it('decodes a full-size 640x360 picture exactly', () => {
    for (const f of SAMPLE_FRAMES) {
      expect(readFrameStrip(draw(expectedCells(f), 640, 360), 640, 360)).toEqual({ frame: f });
    }
  });

  it('decodes every frame number of a short clip', () => {
    for (let f = 0; f < 300; f++) {
      expect(readFrameStrip(draw(expectedCells(f), 160, 90), 160, 90)).toEqual({ frame: f });
    }
  });

  it('decodes a scaled-down picture-in-picture with noise inside a larger buffer', () => {
    // 640x360 scaled by 0.37 to 236.8x133.2, placed at a fractional offset in a 1280x720 buffer.
    const rect = { x: 913.3, y: 551.6, width: 236.8, height: 133.2 };
    for (const [k, f] of SAMPLE_FRAMES.entries()) {
      const buf = draw(expectedCells(f), 1280, 720, rect, { noise: 12, seed: 100 + k, outside: [200, 200, 200] });
      expect(readFrameStrip(buf, 1280, 720, rect)).toEqual({ frame: f });
    }
  });

  it('decodes a dim, low-contrast picture (limited range seen as full range)', () => {
    for (const f of [5, 150, 40000]) {
      const buf = draw(expectedCells(f), 320, 180, undefined, { white: 235, black: 16, noise: 6, seed: f });
      expect(readFrameStrip(buf, 320, 180)).toEqual({ frame: f });
    }
  });

  it('decodes a tiny 120x68 picture', () => {
    const rect = { x: 3, y: 5, width: 120, height: 68 };
    for (const f of [0, 7, 30, 12345]) {
      expect(readFrameStrip(draw(expectedCells(f), 130, 80, rect, { noise: 4, seed: f }), 130, 80, rect)).toEqual({ frame: f });
    }
  });

  it('reports a parity failure instead of a number', () => {
    for (const f of [0, 29, 30, 1000]) {
      const cells = expectedCells(f);
      cells[FRAME_STRIP_PARITY_CELL] = !cells[FRAME_STRIP_PARITY_CELL];
      const res = readFrameStrip(draw(cells, 640, 360), 640, 360);
      expect(res).toHaveProperty('error');
      expect((res as { error: string }).error).toMatch(/parity/);
    }
    // A single flipped data bit is caught too.
    const cells = expectedCells(77);
    cells[9] = !cells[9];
    expect(readFrameStrip(draw(cells, 640, 360), 640, 360)).toHaveProperty('error');
  });

  it('reports an error for flat pictures', () => {
    for (const v of [0, 128, 255]) {
      const buf = new Uint8ClampedArray(64 * 36 * 4).fill(v);
      const res = readFrameStrip(buf, 64, 36);
      expect(res).toHaveProperty('error');
      expect((res as { error: string }).error).toMatch(/reference/);
    }
  });

  it('reports an error for a picture without a strip (e.g. a flash frame mis-located)', () => {
    const cells = new Array<boolean>(FRAME_STRIP_CELLS).fill(true);
    expect(readFrameStrip(draw(cells, 640, 360), 640, 360)).toHaveProperty('error');
  });

  it('reports an error when the end cell is white', () => {
    const cells = expectedCells(3);
    cells[FRAME_STRIP_CELLS - 1] = true;
    expect(readFrameStrip(draw(cells, 640, 360), 640, 360)).toEqual({ error: expect.stringMatching(/end cell/) });
  });

  it('reports an error for a half-way (blended) cell', () => {
    const a = draw(expectedCells(0), 640, 360);
    const b = draw(expectedCells(3), 640, 360);
    const mix = a.map((v, i) => (v + b[i]!) / 2);
    expect(readFrameStrip(mix, 640, 360)).toEqual({ error: expect.stringMatching(/ambiguous/) });
  });

  it('rejects bad rectangles and short buffers', () => {
    const buf = draw(expectedCells(1), 64, 36);
    expect(readFrameStrip(buf, 64, 36, { x: 10, y: 0, width: 64, height: 36 })).toHaveProperty('error');
    expect(readFrameStrip(buf, 64, 36, { x: 0, y: 0, width: 0, height: 36 })).toHaveProperty('error');
    expect(readFrameStrip(buf.subarray(0, 100), 64, 36)).toHaveProperty('error');
    expect(readFrameStrip(buf, 64, 36, { x: 0, y: 0, width: 64, height: 36 })).toEqual({ frame: 1 });
  });
});

/** An RGBA picture rewritten as a padded luma plane (BT.709 luma, limited range) or as BGRX. */
function toLuma(rgba: Uint8ClampedArray, width: number, height: number, stride: number): Uint8Array {
  const out = new Uint8Array(stride * height).fill(99); // padding that must not be read
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const l = 0.2126 * rgba[o]! + 0.7152 * rgba[o + 1]! + 0.0722 * rgba[o + 2]!;
      out[y * stride + x] = Math.round(16 + (l * 219) / 255);
    }
  }
  return out;
}

function toBgrx(rgba: Uint8ClampedArray, width: number, height: number, stride: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const o = y * stride + x * 4;
      out[o] = rgba[i + 2]!;
      out[o + 1] = rgba[i + 1]!;
      out[o + 2] = rgba[i]!;
      out[o + 3] = 0;
    }
  }
  return out;
}

describe('reading the strip from planes and packed RGB', () => {
  it('reads a limited-range luma plane with a padded stride', () => {
    for (const f of [0, 1, 29, 149, 4660, FRAME_STRIP_MAX_FRAME]) {
      const luma = toLuma(draw(expectedCells(f), 640, 360), 640, 360, 672);
      expect(readFrameStripLuma(luma, 640, 360, 672)).toEqual({ frame: f });
    }
  });

  it('reads BGRX and RGBX with a padded stride, and a dimmed white', () => {
    const rgba = draw(expectedCells(77), 320, 180, undefined, { white: 200 });
    const bgrx = toBgrx(rgba, 320, 180, 320 * 4 + 32);
    expect(readFrameStripPacked(bgrx, 'BGRX', 320, 180, 320 * 4 + 32)).toEqual({ frame: 77 });
    expect(readFrameStripPacked(toBgrx(rgba, 320, 180, 1280), 'RGBX', 320, 180)).toEqual({ frame: 77 });
  });

  it('reads decoded frames: I420 from the Y plane, BGRX from the pixels, at a plane offset', () => {
    const rgba = draw(expectedCells(31), 64, 36);
    const y = toLuma(rgba, 64, 36, 64);
    const i420 = new Uint8Array(64 * 36 * 1.5).fill(128);
    i420.set(y, 0);
    expect(
      readDecodedFrameStrip({
        format: 'I420',
        width: 64,
        height: 36,
        planes: i420,
        layout: [
          { offset: 0, stride: 64 },
          { offset: 64 * 36, stride: 32 },
          { offset: 64 * 36 + 32 * 18, stride: 32 },
        ],
      }),
    ).toEqual({ frame: 31 });
    const bgrx = new Uint8Array(16 + 64 * 36 * 4);
    bgrx.set(toBgrx(rgba, 64, 36, 256), 16);
    expect(
      readDecodedFrameStrip({ format: 'BGRX', width: 64, height: 36, planes: bgrx, layout: [{ offset: 16, stride: 256 }] }),
    ).toEqual({ frame: 31 });
  });

  it('rejects short planes and strides', () => {
    const luma = new Uint8Array(64 * 36);
    expect(readFrameStripLuma(luma, 64, 36, 63)).toEqual({ error: expect.stringMatching(/stride/) });
    expect(readFrameStripLuma(luma.subarray(1), 64, 36)).toEqual({ error: expect.stringMatching(/needs/) });
    expect(readFrameStripPacked(new Uint8Array(10), 'BGRX', 64, 36)).toEqual({ error: expect.stringMatching(/needs/) });
  });
});
