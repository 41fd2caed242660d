// Demuxes one video asset with Mediabunny: the primary video track's facts (size, codec, frame
// rate, colour), the WebCodecs decoder configuration (with an explicit colour space), packets in
// decode order, and the key frame a frame-exact seek must start from. Runs wherever Mediabunny
// runs (Node, window, worker); decoding is video-reader.ts's job.
import {
  ALL_FORMATS,
  EncodedPacketSink,
  Input,
  type EncodedPacket,
  type InputVideoTrack,
} from 'mediabunny';

import { MediaInputError, displayName } from './media-input-error';
import { classify, makeSource, type MediaSourceInput } from './media-source';

/** Where a video comes from: its bytes, or a URL fetched with range requests. */
export type VideoInput = MediaSourceInput;

/** The colour tags as written in the stream (null where the stream says nothing). */
/** Packets whose timestamps give the frame rate (Mediabunny's default, 256, reads seconds of video). */
const FRAME_RATE_PACKETS = 32;

export interface VideoColourTags {
  primaries: string | null;
  transfer: string | null;
  matrix: string | null;
  fullRange: boolean | null;
}

/** What the engine needs to turn Y'CbCr into RGB. */
export interface VideoColour {
  matrix: 'bt601' | 'bt709';
  fullRange: boolean;
}

/**
 * The colour space assumed for every field a stream leaves untagged. Browsers disagree on
 * untagged streams (Chromium converts with BT.601, Firefox with BT.709), so the decoder is always
 * configured explicitly; BT.709 limited range is what HD material and Firefox assume.
 */
export const DEFAULT_DECODER_COLOUR_SPACE = {
  primaries: 'bt709',
  transfer: 'bt709',
  matrix: 'bt709',
  fullRange: false,
} as const satisfies VideoColorSpaceInit;

/** A fully specified colour space for VideoDecoder.configure(). */
export interface DecoderColourSpace {
  primaries: VideoColorPrimaries;
  transfer: VideoTransferCharacteristics;
  matrix: VideoMatrixCoefficients;
  fullRange: boolean;
}

export interface VideoInfo {
  /** File name, for messages. */
  name: string;
  /** Container MIME type with codecs, e.g. `video/webm; codecs="vp09.00.21.08, opus"`. */
  mimeType: string;
  /** Codec parameter string, e.g. `vp09.00.21.08` or `avc1.64001e`. */
  codec: string;
  /** Size of the decoded pictures (what DecodedVideoFrame.width/height will be). */
  width: number;
  height: number;
  /** Size after pixel aspect ratio and rotation: how the picture should be shown. */
  displayWidth: number;
  displayHeight: number;
  /** Clockwise rotation the container asks for; frames are NOT rotated by the reader. */
  rotation: 0 | 90 | 180 | 270;
  /**
   * Frame rate deduced from the first packets' timestamps (Mediabunny's best guess from the
   * first FRAME_RATE_PACKETS: enough for a steady rate, and opening reads no further).
   */
  frameRate: number;
  /** Presentation timestamp of the first frame, in microseconds. */
  firstTimestampUs: number;
  /** Presentation timestamp of the last frame, in microseconds. */
  lastFrameTimestampUs: number;
  /** End of the last frame (its timestamp plus duration), in microseconds. */
  endUs: number;
  /** The colour tags found in the stream. */
  colourTags: VideoColourTags;
  /** The colour space the decoder is configured with: the stream's tags, gaps filled with BT.709. */
  decoderColourSpace: DecoderColourSpace;
  /** The matrix and range the engine must convert planes with. */
  colour: VideoColour;
}

/** One frame of the track as the container lists it (no decoding). */
export interface VideoFrameEntry {
  timestampUs: number;
  durationUs: number;
  key: boolean;
  /** Position in decode order (0 = first packet). */
  decodeIndex: number;
}

/**
 * The decoder colour space for a stream: its own tags, each missing field filled from
 * DEFAULT_DECODER_COLOUR_SPACE.
 */
export function chooseDecoderColourSpace(tags: VideoColourTags): DecoderColourSpace {
  return {
    primaries: (tags.primaries ?? DEFAULT_DECODER_COLOUR_SPACE.primaries) as VideoColorPrimaries,
    transfer: (tags.transfer ?? DEFAULT_DECODER_COLOUR_SPACE.transfer) as VideoTransferCharacteristics,
    matrix: (tags.matrix ?? DEFAULT_DECODER_COLOUR_SPACE.matrix) as VideoMatrixCoefficients,
    fullRange: tags.fullRange ?? DEFAULT_DECODER_COLOUR_SPACE.fullRange,
  };
}

/** The engine's conversion for a decoder colour space, or null when its matrix is not supported. */
export function colourForMatrix(space: { matrix: string; fullRange: boolean }): VideoColour | null {
  switch (space.matrix) {
    case 'bt709':
      return { matrix: 'bt709', fullRange: space.fullRange };
    case 'bt470bg': // BT.601 625-line
    case 'smpte170m': // BT.601 525-line
      return { matrix: 'bt601', fullRange: space.fullRange };
    default:
      return null;
  }
}

function toTags(space: VideoColorSpaceInit): VideoColourTags {
  return {
    primaries: space.primaries ?? null,
    transfer: space.transfer ?? null,
    matrix: space.matrix ?? null,
    fullRange: space.fullRange ?? null,
  };
}

const seconds = (us: number): number => us / 1e6;

export class VideoDemuxer {
  readonly #input: Input;
  readonly #track: InputVideoTrack;
  readonly #sink: EncodedPacketSink;
  /** Set by the fetch wrapper when a URL could not be fetched, so failures say so plainly. */
  readonly #fetchFailure: { message: string | null };
  #disposed = false;

  private constructor(
    input: Input,
    track: InputVideoTrack,
    fetchFailure: { message: string | null },
    readonly info: VideoInfo,
    /** Feed this to VideoDecoder.configure(): Mediabunny's config with the chosen colour space. */
    readonly decoderConfig: VideoDecoderConfig,
  ) {
    this.#input = input;
    this.#track = track;
    this.#sink = new EncodedPacketSink(track);
    this.#fetchFailure = fetchFailure;
  }

  /**
   * Opens a video asset and reads its primary video track's facts. `name` labels messages
   * (default: the URL's last segment, or "video" for bytes).
   */
  static async open(source: VideoInput, options: { name?: string } = {}): Promise<VideoDemuxer> {
    const name =
      options.name ?? (typeof source === 'string' || source instanceof URL ? displayName(String(source)) : 'video');
    const fetchFailure: { message: string | null } = { message: null };
    const input = new Input({ source: makeSource(source, fetchFailure), formats: ALL_FORMATS });
    const fail = (error: unknown, what: string): MediaInputError =>
      classify(error, name, what, fetchFailure);
    try {
      let track: InputVideoTrack | null;
      try {
        await input.getFormat();
        track = await input.getPrimaryVideoTrack();
      } catch (error) {
        throw fail(error, 'could not be opened');
      }
      if (!track) throw new MediaInputError(name, 'no-video-track', `${name} has no video track.`);

      let codec: string | null;
      let config: VideoDecoderConfig | null;
      try {
        codec = await track.getCodecParameterString();
        config = await track.getDecoderConfig();
      } catch (error) {
        throw fail(error, 'has a video track that could not be read');
      }
      if (!codec || !config) {
        throw new MediaInputError(
          name,
          'unsupported-codec',
          `${name} uses a video codec Tessera does not know (${track.codec ?? 'unidentified'}).`,
        );
      }

      let mimeType: string;
      let tags: VideoColourTags;
      let firstTimestamp: number;
      let lastPacket: EncodedPacket | null;
      let frameRate: number;
      try {
        mimeType = await input.getMimeType();
        tags = toTags(await track.getColorSpace());
        firstTimestamp = await track.getFirstTimestamp();
        lastPacket = await new EncodedPacketSink(track).getPacket(Infinity, { metadataOnly: true });
        frameRate = (await track.computeFrameRateMetrics({ targetPacketCount: FRAME_RATE_PACKETS })).bestGuessFrameRate;
      } catch (error) {
        throw fail(error, 'has a video track that could not be read');
      }
      if (!lastPacket) throw new MediaInputError(name, 'corrupt', `${name} has a video track with no frames.`);

      const decoderColourSpace = chooseDecoderColourSpace(tags);
      const colour = colourForMatrix(decoderColourSpace);
      if (!colour) {
        throw new MediaInputError(
          name,
          'unsupported-colour',
          `${name} uses the ${decoderColourSpace.matrix} colour matrix; Tessera converts only BT.601 and BT.709 video.`,
        );
      }
      const info: VideoInfo = {
        name,
        mimeType,
        codec,
        width: track.codedWidth,
        height: track.codedHeight,
        displayWidth: track.displayWidth,
        displayHeight: track.displayHeight,
        rotation: track.rotation,
        frameRate,
        firstTimestampUs: Math.round(firstTimestamp * 1e6),
        lastFrameTimestampUs: lastPacket.microsecondTimestamp,
        endUs: lastPacket.microsecondTimestamp + lastPacket.microsecondDuration,
        colourTags: tags,
        decoderColourSpace,
        colour,
      };
      return new VideoDemuxer(input, track, fetchFailure, info, { ...config, colorSpace: decoderColourSpace });
    } catch (error) {
      input.dispose();
      throw error;
    }
  }

  /**
   * The key packet a seek to `timeUs` must start decoding from: the last key frame (in
   * presentation order) at or before the target, or the first key frame when the target lies
   * before it. Key frames are verified in the bitstream, not just trusted from the container.
   */
  async keyPacketFor(timeUs: number): Promise<EncodedPacket> {
    const options = { verifyKeyPackets: true };
    return this.#guard('could not be searched for a key frame', async () => {
      let packet = await this.#sink.getKeyPacket(seconds(timeUs), options);
      // Mediabunny searches in seconds but timestamps here are whole microseconds: step back if
      // rounding put the key frame after the target.
      while (packet && packet.microsecondTimestamp > timeUs) {
        packet = await this.#sink.getKeyPacket(packet.timestamp - 1e-7, options);
      }
      packet ??= await this.#sink.getFirstKeyPacket(options);
      if (!packet) throw new MediaInputError(this.info.name, 'corrupt', `${this.info.name} has no key frame to start decoding from.`);
      return packet;
    });
  }

  /** Packets in decode order, starting at `from` (default: the first packet). */
  async *packets(from?: EncodedPacket): AsyncGenerator<EncodedPacket, void, undefined> {
    const iterator = this.#sink.packets(from);
    try {
      while (true) {
        const next = await this.#guard('is damaged', () => iterator.next());
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await iterator.return();
    }
  }

  /**
   * Every frame of the track in presentation order, from the container's packet table (no
   * decoding). Reads the metadata of the whole file: meant for tests and tools, not playback.
   */
  async listFrames(): Promise<VideoFrameEntry[]> {
    return this.#guard('is damaged', async () => {
      const frames: VideoFrameEntry[] = [];
      for await (const packet of this.#sink.packets(undefined, undefined, { metadataOnly: true })) {
        frames.push({
          timestampUs: packet.microsecondTimestamp,
          durationUs: packet.microsecondDuration,
          key: packet.type === 'key',
          decodeIndex: frames.length,
        });
      }
      return frames.sort((a, b) => a.timestampUs - b.timestampUs);
    });
  }

  /** Whether the track's codec configuration decodes here (false in Node: no WebCodecs). */
  canDecode(): Promise<boolean> {
    return this.#track.canDecode();
  }

  close(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#input.dispose();
  }

  async #guard<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof MediaInputError) throw error;
      if (this.#disposed) throw new MediaInputError(this.info.name, 'closed', `${this.info.name} was closed.`, { cause: error });
      throw classify(error, this.info.name, what, this.#fetchFailure);
    }
  }
}


