// Reads the machine-readable FRAME STRIP that Tessera's test fixtures (fixtures/media, made by
// scripts/make-fixtures.sh) carry at the top of every picture, so tests can tell exactly which
// source frame ended up on screen, also from a scaled picture (e.g. a picture-in-picture).
//
// Layout (resolution independent, documented in fixtures/README.md):
//   - the strip is the top band of the picture, height = picture height / 15;
//   - it is split horizontally into 20 equal cells;
//   - cell 0 is white and cell 1 black (references);
//   - cells 2..17 carry bits 15..0 of the frame number (white = 1, black = 0);
//   - cell 18 is the even-parity bit: white when the 16 data bits hold an odd number of ones;
//   - cell 19 is black.
// Decoding averages the luma of the central half (in x and in y) of each cell and thresholds it
// at the midpoint between the two reference cells. The strip can be read from an RGBA buffer
// (readFrameStrip), a luma plane (readFrameStripLuma: the Y plane of I420), any 4-byte RGB order
// (readFrameStripPacked: Firefox's BGRX) or a decoded frame as the video reader hands it out
// (readDecodedFrameStrip).
import type { DecodedVideoFrame } from './decoded-video-frame';

/** The strip's height is the picture height divided by this. */
export const FRAME_STRIP_HEIGHT_DIVISOR = 15;
/** Number of equal cells across the picture width. */
export const FRAME_STRIP_CELLS = 20;
/** Cell that is always white. */
export const FRAME_STRIP_WHITE_CELL = 0;
/** Cell that is always black. */
export const FRAME_STRIP_BLACK_CELL = 1;
/** First data cell (holds the most significant bit). */
export const FRAME_STRIP_FIRST_BIT_CELL = 2;
/** Number of data bits (cells 2..17 hold bits 15..0). */
export const FRAME_STRIP_BITS = 16;
/** Even-parity cell. */
export const FRAME_STRIP_PARITY_CELL = 18;
/** Trailing cell that is always black. */
export const FRAME_STRIP_END_CELL = 19;
/** Largest frame number the strip can carry. */
export const FRAME_STRIP_MAX_FRAME = (1 << FRAME_STRIP_BITS) - 1;
/** Fraction of a cell (centred, in x and in y) that is sampled. */
export const FRAME_STRIP_SAMPLE_FRACTION = 0.5;
/** Minimum luma difference (0..255) between the white and black references. */
export const FRAME_STRIP_MIN_CONTRAST = 48;
/**
 * A data cell whose luma lies closer to the threshold than this fraction of the reference
 * contrast is ambiguous (e.g. sampled across a blend of two frames) and makes decoding fail.
 */
export const FRAME_STRIP_AMBIGUITY = 0.2;

export interface FrameStripRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type FrameStripResult = { frame: number } | { error: string };

/** The 20 cell values (true = white) for a frame number: what the fixtures draw. */
export function frameStripCells(frame: number): boolean[] {
  if (!Number.isInteger(frame) || frame < 0 || frame > FRAME_STRIP_MAX_FRAME) {
    throw new RangeError(`frame number ${frame} does not fit the strip`);
  }
  const cells = new Array<boolean>(FRAME_STRIP_CELLS).fill(false);
  cells[FRAME_STRIP_WHITE_CELL] = true;
  let ones = 0;
  for (let i = 0; i < FRAME_STRIP_BITS; i++) {
    const bit = (frame >> (FRAME_STRIP_BITS - 1 - i)) & 1;
    cells[FRAME_STRIP_FIRST_BIT_CELL + i] = bit === 1;
    ones += bit;
  }
  cells[FRAME_STRIP_PARITY_CELL] = ones % 2 === 1;
  return cells;
}

/** Luma (0..255) of the pixel at column x, row y. */
type PixelLuma = (x: number, y: number) => number;

/** Mean luma of the pixels whose centres lie inside [x0,x1)×[y0,y1). */
function meanLuma(lumaAt: PixelLuma, x0: number, x1: number, y0: number, y1: number): number {
  // Pixel i covers [i, i+1) and its centre is i + 0.5; take every centre inside the area, and at
  // least the pixel under the area's centre when the area is narrower than one pixel.
  let px0 = Math.ceil(x0 - 0.5);
  let px1 = Math.ceil(x1 - 0.5);
  let py0 = Math.ceil(y0 - 0.5);
  let py1 = Math.ceil(y1 - 0.5);
  if (px1 <= px0) {
    px0 = Math.floor((x0 + x1) / 2);
    px1 = px0 + 1;
  }
  if (py1 <= py0) {
    py0 = Math.floor((y0 + y1) / 2);
    py1 = py0 + 1;
  }
  let sum = 0;
  for (let y = py0; y < py1; y++) {
    for (let x = px0; x < px1; x++) sum += lumaAt(x, y);
  }
  return sum / ((px1 - px0) * (py1 - py0));
}

/** BT.709 luma of a 4-byte pixel whose red, green and blue bytes sit at these offsets. */
function packedLuma(
  pixels: Uint8Array | Uint8ClampedArray,
  stride: number,
  red: number,
  green: number,
  blue: number,
): PixelLuma {
  return (x, y) => {
    const o = y * stride + x * 4;
    return 0.2126 * pixels[o + red]! + 0.7152 * pixels[o + green]! + 0.0722 * pixels[o + blue]!;
  };
}

/**
 * Decodes the frame number from the strip of a picture held in an RGBA buffer.
 * `rect` locates the picture inside the buffer (default: the whole buffer), e.g. a scaled
 * picture-in-picture. Returns `{ error }` rather than a guess when the reference cells are not
 * distinguishable, a cell is ambiguous, the end cell is not black or the parity check fails.
 */
export function readFrameStrip(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  rect?: FrameStripRect,
): FrameStripResult {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    return { error: `bad buffer size ${width}x${height}` };
  }
  if (rgba.length < width * height * 4) {
    return { error: `buffer holds ${rgba.length} bytes, ${width}x${height} RGBA needs ${width * height * 4}` };
  }
  return decodeStrip(packedLuma(rgba, width * 4, 0, 1, 2), width, height, rect);
}

/**
 * Decodes the strip from a luma plane (one byte per pixel, `stride` bytes per row), e.g. the Y
 * plane of an I420 frame. Limited-range luma (16..235) needs no conversion: the threshold is
 * relative to the reference cells.
 */
export function readFrameStripLuma(
  luma: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  stride = width,
  rect?: FrameStripRect,
  offset = 0,
): FrameStripResult {
  const sizeError = checkSize(width, height, stride, width, luma.length - offset, 'luma');
  if (sizeError) return sizeError;
  return decodeStrip((x, y) => luma[offset + y * stride + x]!, width, height, rect);
}

/** Byte order of a 4-byte RGB pixel. */
export type PackedRgbOrder = 'RGBA' | 'RGBX' | 'BGRA' | 'BGRX';

/** Decodes the strip from 4-byte RGB pixels in any channel order (`stride` bytes per row). */
export function readFrameStripPacked(
  pixels: Uint8Array | Uint8ClampedArray,
  order: PackedRgbOrder,
  width: number,
  height: number,
  stride = width * 4,
  rect?: FrameStripRect,
  offset = 0,
): FrameStripResult {
  const sizeError = checkSize(width, height, stride, width * 4, pixels.length - offset, order);
  if (sizeError) return sizeError;
  const view = offset === 0 ? pixels : pixels.subarray(offset);
  const bgr = order === 'BGRA' || order === 'BGRX';
  return decodeStrip(packedLuma(view, stride, bgr ? 2 : 0, 1, bgr ? 0 : 2), width, height, rect);
}

/**
 * Decodes the strip from a decoded video frame: from the Y plane for I420, from the pixels for
 * RGB formats.
 */
export function readDecodedFrameStrip(
  frame: Pick<DecodedVideoFrame, 'format' | 'width' | 'height' | 'planes' | 'layout'>,
  rect?: FrameStripRect,
): FrameStripResult {
  const plane = frame.layout[0];
  if (!plane) return { error: 'frame has no planes' };
  if (frame.format === 'I420') {
    return readFrameStripLuma(frame.planes, frame.width, frame.height, plane.stride, rect, plane.offset);
  }
  return readFrameStripPacked(frame.planes, frame.format, frame.width, frame.height, plane.stride, rect, plane.offset);
}

function checkSize(
  width: number,
  height: number,
  stride: number,
  rowBytes: number,
  available: number,
  what: string,
): FrameStripResult | null {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    return { error: `bad buffer size ${width}x${height}` };
  }
  if (stride < rowBytes) return { error: `stride ${stride} is shorter than a ${width}-pixel ${what} row` };
  const needed = stride * (height - 1) + rowBytes;
  if (available < needed) return { error: `buffer holds ${available} bytes, ${width}x${height} ${what} needs ${needed}` };
  return null;
}

/** The strip decoder proper, over any source of pixel luma. */
function decodeStrip(lumaAt: PixelLuma, width: number, height: number, rect?: FrameStripRect): FrameStripResult {
  const r = rect ?? { x: 0, y: 0, width, height };
  if (
    !(r.width > 0 && r.height > 0) ||
    r.x < 0 ||
    r.y < 0 ||
    r.x + r.width > width ||
    r.y + r.height > height
  ) {
    return { error: `rect ${r.x},${r.y} ${r.width}x${r.height} is not inside the ${width}x${height} buffer` };
  }
  const stripHeight = r.height / FRAME_STRIP_HEIGHT_DIVISOR;
  const cellWidth = r.width / FRAME_STRIP_CELLS;
  const margin = (1 - FRAME_STRIP_SAMPLE_FRACTION) / 2;
  const y0 = r.y + stripHeight * margin;
  const y1 = r.y + stripHeight * (1 - margin);
  const luma: number[] = [];
  for (let c = 0; c < FRAME_STRIP_CELLS; c++) {
    const x0 = r.x + cellWidth * (c + margin);
    const x1 = r.x + cellWidth * (c + 1 - margin);
    luma.push(meanLuma(lumaAt, x0, x1, y0, y1));
  }
  const white = luma[FRAME_STRIP_WHITE_CELL]!;
  const black = luma[FRAME_STRIP_BLACK_CELL]!;
  const contrast = white - black;
  if (contrast < FRAME_STRIP_MIN_CONTRAST) {
    return {
      error: `no frame strip: reference cells not distinguishable (white ${white.toFixed(1)}, black ${black.toFixed(1)})`,
    };
  }
  const threshold = (white + black) / 2;
  const doubt = contrast * FRAME_STRIP_AMBIGUITY;
  const bitOf = (c: number): 0 | 1 | -1 => {
    const d = luma[c]! - threshold;
    if (Math.abs(d) < doubt) return -1;
    return d > 0 ? 1 : 0;
  };
  let frame = 0;
  let ones = 0;
  for (let i = 0; i < FRAME_STRIP_BITS; i++) {
    const c = FRAME_STRIP_FIRST_BIT_CELL + i;
    const bit = bitOf(c);
    if (bit < 0) return { error: `frame strip cell ${c} is ambiguous (luma ${luma[c]!.toFixed(1)}, threshold ${threshold.toFixed(1)})` };
    frame = frame * 2 + bit;
    ones += bit;
  }
  const parity = bitOf(FRAME_STRIP_PARITY_CELL);
  if (parity < 0) return { error: `frame strip parity cell is ambiguous (luma ${luma[FRAME_STRIP_PARITY_CELL]!.toFixed(1)})` };
  if ((ones + parity) % 2 !== 0) return { error: `frame strip parity check failed (read ${frame})` };
  if (bitOf(FRAME_STRIP_END_CELL) !== 0) return { error: 'frame strip end cell is not black' };
  return { frame };
}
