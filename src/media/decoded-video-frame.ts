// A decoded video frame as plain data (DecodedVideoFrame), and the one place that turns a
// WebCodecs VideoFrame into it: copy the browser's native pixel format (I420 planes in Chromium
// and WebKit, BGRX in Firefox) from the visible rectangle into a pooled buffer, close the
// VideoFrame at once, and count every VideoFrame opened and closed so tests can prove none leak.
import type { VideoColour } from './video-demuxer';

/** Pixel formats handed to the engine. I420 is three planes (Y, U, V); the rest are one plane. */
export type DecodedPixelFormat = 'I420' | 'BGRX' | 'RGBX' | 'BGRA' | 'RGBA';

export interface PlaneLayout {
  /** Byte offset of the plane in `planes`. */
  offset: number;
  /** Bytes per row. */
  stride: number;
}

export interface DecodedVideoFrame {
  /** Presentation timestamp in microseconds (the container's, as given to the decoder). */
  timestampUs: number;
  /**
   * Duration in microseconds (the container's). Approximate: WebM infers the last frame of each
   * cluster's, which can overlap the next frame. A frame is on screen until the next one's
   * timestamp, which is how VideoReader.frameAt() and seek() decide.
   */
  durationUs: number;
  /** Size of the visible picture (the decoder's visibleRect; padding is never copied). */
  width: number;
  height: number;
  format: DecodedPixelFormat;
  /**
   * How to convert the planes to RGB: the colour space the decoder was configured with. For RGB
   * formats the browser has already converted with it; the field is then informational.
   */
  colour: VideoColour;
  /** Tightly packed pixels: for I420 the Y plane, then U, then V. */
  planes: Uint8Array<ArrayBuffer>;
  /** One entry per plane. */
  layout: PlaneLayout[];
}

// ---- VideoFrame accounting ---------------------------------------------------------------------

let framesOpened = 0;
let framesClosed = 0;

export interface VideoFrameStats {
  /** VideoFrames received from decoders since the module loaded. */
  opened: number;
  /** VideoFrames closed. */
  closed: number;
  /** opened - closed: VideoFrames alive right now. */
  open: number;
}

/** Counts of the VideoFrames this module's readers have received and closed (for leak tests). */
export function videoFrameStats(): VideoFrameStats {
  return { opened: framesOpened, closed: framesClosed, open: framesOpened - framesClosed };
}

/** Call for every VideoFrame a decoder hands over, before anything else can throw. */
export function countVideoFrameOpened(): void {
  framesOpened++;
}

/** Closes a VideoFrame and counts it. Call exactly once per frame. */
export function closeVideoFrame(frame: VideoFrame): void {
  framesClosed++;
  frame.close();
}

// ---- Buffer pool ---------------------------------------------------------------------------------

/**
 * Reuses pixel buffers so steady playback allocates nothing: frames hand their buffer back when
 * released. Keeps at most `maxBuffers` spare buffers; buffers that were transferred away
 * (detached, byteLength 0) are simply forgotten.
 */
export class FrameBufferPool {
  readonly #free: ArrayBuffer[] = [];

  constructor(readonly maxBuffers: number) {}

  /** A buffer of exactly `byteLength` bytes (contents unspecified). */
  take(byteLength: number): Uint8Array<ArrayBuffer> {
    const index = this.#free.findIndex((b) => b.byteLength === byteLength);
    if (index >= 0) return new Uint8Array(this.#free.splice(index, 1)[0]!);
    return new Uint8Array(byteLength);
  }

  give(bytes: Uint8Array<ArrayBuffer>): void {
    const buffer = bytes.buffer;
    if (buffer.byteLength === 0 || this.#free.includes(buffer)) return;
    if (this.#free.length >= this.maxBuffers) this.#free.shift();
    this.#free.push(buffer);
  }

  /** Spare buffers held (tests). */
  get size(): number {
    return this.#free.length;
  }

  clear(): void {
    this.#free.length = 0;
  }
}

// ---- Copy-out ------------------------------------------------------------------------------------

/** The tightly packed layout of a `width`×`height` picture in `format`, and its byte size. */
export function tightLayout(format: DecodedPixelFormat, width: number, height: number): { layout: PlaneLayout[]; byteLength: number } {
  if (format === 'I420') {
    const chromaWidth = Math.ceil(width / 2);
    const chromaHeight = Math.ceil(height / 2);
    const ySize = width * height;
    const cSize = chromaWidth * chromaHeight;
    return {
      layout: [
        { offset: 0, stride: width },
        { offset: ySize, stride: chromaWidth },
        { offset: ySize + cSize, stride: chromaWidth },
      ],
      byteLength: ySize + 2 * cSize,
    };
  }
  return { layout: [{ offset: 0, stride: width * 4 }], byteLength: width * height * 4 };
}

const PACKED_FORMATS: readonly string[] = ['BGRX', 'RGBX', 'BGRA', 'RGBA'];

/** Why a frame could not be copied (the reader wraps it in a MediaInputError naming the file). */
export class FrameCopyError extends Error {
  override name = 'FrameCopyError';
}

/**
 * Copies the visible picture of `frame` in its native format into a buffer from `pool`. Does
 * not close the frame (the caller owns it). Formats other than I420 and 8-bit RGB (NV12 from
 * hardware decoders, 4:2:2, 4:4:4, high bit depth) are not handed out: the reader asks for
 * software decoding, which gives I420 or RGB in every browser measured.
 */
export async function copyVideoFrame(
  frame: VideoFrame,
  pool: FrameBufferPool,
  timing: { timestampUs: number; durationUs: number },
  colour: VideoColour,
): Promise<DecodedVideoFrame> {
  const native = frame.format;
  const rect = frame.visibleRect;
  if (!native || !rect) throw new FrameCopyError('the decoder returned a frame without pixels');
  if (native !== 'I420' && !PACKED_FORMATS.includes(native)) {
    throw new FrameCopyError(`the decoder returned pixel format ${native}, which Tessera cannot take yet`);
  }
  const format = native as DecodedPixelFormat;
  const width = rect.width;
  const height = rect.height;
  const { layout, byteLength } = tightLayout(format, width, height);
  const planes = pool.take(byteLength);
  const copyRect = { x: rect.x, y: rect.y, width, height };
  let returned: readonly PlaneLayout[];
  try {
    returned = await frame.copyTo(planes, { rect: copyRect, layout });
  } catch (error) {
    pool.give(planes);
    throw error;
  }
  // WebKit answers some requests with a different layout than asked for: trust only what it did.
  if (returned.length !== layout.length || returned.some((p, i) => p.offset !== layout[i]!.offset || p.stride !== layout[i]!.stride)) {
    pool.give(planes);
    throw new FrameCopyError(`copyTo returned layout ${JSON.stringify(returned)} for ${format}, not the tight layout asked for`);
  }
  return {
    timestampUs: timing.timestampUs,
    durationUs: timing.durationUs,
    width,
    height,
    format,
    colour,
    planes,
    layout,
  };
}
