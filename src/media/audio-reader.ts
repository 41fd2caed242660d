// Reads one asset's audio as interleaved Float32 chunks with their media times, from any start
// time: Mediabunny demuxes and decodes (its AudioSampleSink drives WebCodecs' AudioDecoder for
// Opus, AAC, Vorbis…, and decodes PCM itself, so WAV works in Node too), and the reader keeps a
// bounded amount decoded ahead of the consumer. Runs in the engine worker (and on any thread, or
// in Node for PCM).
//
// Media time starts at 0: frames before it (AAC's encoder priming, which MP4 edit lists place
// at negative times) are never returned. After seek(t), the first chunk starts exactly at the
// frame nearest t (so a chunk's own timestampUs seeks back to that chunk); decoding starts a little earlier (PREROLL_SECONDS) so that codecs with memory
// (Opus, AAC) have converged by then.
import {
  ALL_FORMATS,
  AudioSampleSink,
  Input,
  type AudioSample,
  type InputAudioTrack,
} from 'mediabunny';

import { MediaInputError, displayName } from './media-input-error';
import { classify, makeSource, type MediaSourceInput } from './media-source';

/** Where the audio comes from: its bytes, or a URL fetched with range requests. */
export type AudioInput = MediaSourceInput;

/** Decoded ahead of the consumer by default (beyond what Mediabunny's own pipeline holds). */
export const DEFAULT_READ_AHEAD_MS = 500;
/**
 * Decoding after a seek starts this much before the target, and the frames before it are dropped.
 * RFC 7845 §4.6 asks at least 80 ms for Opus, but measured on the fixtures (Chromium) that still
 * leaves errors up to 7e-3 in the first 50 ms after the target; 250 ms brings them to 1.5e-5 for
 * the cost of decoding a dozen more packets. AAC needs one frame (21 ms). PCM needs none.
 */
export const PREROLL_SECONDS = 0.25;

export interface AudioInfo {
  /** File name, for messages. */
  name: string;
  /** Mediabunny's codec name: 'opus', 'aac', 'vorbis', 'pcm-s16', … */
  codec: string;
  /** The WebCodecs codec string ('opus', 'mp4a.40.2', 'pcm-s16'…). */
  codecString: string;
  /** As the container states them (decoded chunks carry their own, normally the same). */
  sampleRate: number;
  channels: number;
  /** Timestamp of the first packet (negative for primed AAC in MP4), in microseconds. */
  firstTimestampUs: number;
  /**
   * End of the track, in microseconds (Mediabunny's computeDuration: the container's account,
   * after trimming). Decoded frames past it (the codec's final padding) are dropped.
   */
  endUs: number;
}

export interface AudioChunk {
  /** Interleaved samples: frames × channels. The consumer owns them. */
  samples: Float32Array;
  frames: number;
  channels: number;
  sampleRate: number;
  /** Media time of the first frame, in microseconds (startFrame / sampleRate, rounded). */
  timestampUs: number;
  /** Index of the first frame on the media timeline at sampleRate (frame 0 = time 0). */
  startFrame: number;
}

export interface AudioReaderOptions {
  /** Name used in messages (default: the URL's last segment). */
  name?: string;
  /** How much to keep decoded ahead of the consumer, in milliseconds (default 500). */
  readAheadMs?: number;
}

export interface AudioReaderStats {
  /** Chunks and frames handed to the consumer. */
  chunksRead: number;
  framesRead: number;
  /** Decoded audio samples (Mediabunny AudioSamples) received from the decoder. */
  samplesDecoded: number;
  /** Frames dropped: before the start (priming, preroll, seek trimming) or past the end (padding). */
  framesTrimmed: number;
  /** Largest number of frames decoded and waiting for the consumer at any time. */
  maxBufferedFrames: number;
  /** Decoding runs started (the first read, and one per seek). */
  decoderStarts: number;
}

/** One decoding pass from one start time. A seek replaces it. */
interface DecodeRun {
  readonly samples: AsyncGenerator<AudioSample, void, unknown>;
  /** Media time (µs) of the first frame to return; earlier frames are dropped. */
  readonly startUs: number;
  readonly ready: AudioChunk[];
  bufferedFrames: number;
  pumping: boolean;
  done: boolean;
  dead: boolean;
  error: MediaInputError | null;
  waiters: Array<() => void>;
}

export class AudioReader {
  readonly info: AudioInfo;
  readonly readAheadMs: number;
  readonly #input: Input;
  readonly #sink: AudioSampleSink;
  readonly #preroll: number;
  readonly #stats: AudioReaderStats = {
    chunksRead: 0,
    framesRead: 0,
    samplesDecoded: 0,
    framesTrimmed: 0,
    maxBufferedFrames: 0,
    decoderStarts: 0,
  };
  #run: DecodeRun | null = null;
  /** One channel's samples on their way to being interleaved. */
  #plane = new Float32Array(0);
  /** Where the next run starts (set by seek; 0 at first). */
  #nextStartUs = 0;
  #closed = false;

  private constructor(input: Input, track: InputAudioTrack, info: AudioInfo, readAheadMs: number) {
    this.#input = input;
    this.#sink = new AudioSampleSink(track);
    this.info = info;
    this.readAheadMs = readAheadMs;
    this.#preroll = info.codec.startsWith('pcm-') || info.codec === 'ulaw' || info.codec === 'alaw' ? 0 : PREROLL_SECONDS;
  }

  /** Opens an asset's primary audio track and checks it can be decoded here. Throws MediaInputError. */
  static async open(source: AudioInput, options: AudioReaderOptions = {}): Promise<AudioReader> {
    const name = options.name ?? (typeof source === 'string' || source instanceof URL ? displayName(String(source)) : 'audio');
    const fetchFailure: { message: string | null } = { message: null };
    const input = new Input({ source: makeSource(source, fetchFailure), formats: ALL_FORMATS });
    const fail = (error: unknown, what: string) => classify(error, name, what, fetchFailure);
    try {
      let track: InputAudioTrack | null;
      try {
        await input.getFormat();
        track = await input.getPrimaryAudioTrack();
      } catch (error) {
        throw fail(error, 'could not be opened');
      }
      // MediaInputErrorCode has no 'no-audio-track' yet; 'unsupported-format' is the nearest.
      if (!track) throw new MediaInputError(name, 'unsupported-format', `${name} has no audio track.`);
      let info: AudioInfo;
      let decodable: boolean;
      try {
        const config = await track.getDecoderConfig();
        const codec = track.codec;
        if (!codec || !config) {
          throw new MediaInputError(name, 'unsupported-codec', `${name} uses an audio codec Tessera does not know (${codec ?? 'unidentified'}).`);
        }
        const firstTimestamp = await track.getFirstTimestamp();
        const end = await track.computeDuration();
        info = {
          name,
          codec,
          codecString: config.codec,
          sampleRate: track.sampleRate,
          channels: track.numberOfChannels,
          firstTimestampUs: Math.round(firstTimestamp * 1e6),
          endUs: Math.round(end * 1e6),
        };
        decodable = await track.canDecode();
      } catch (error) {
        throw fail(error, 'has an audio track that could not be read');
      }
      if (!decodable) {
        if (typeof AudioDecoder === 'undefined' && !info.codec.startsWith('pcm-')) {
          throw new MediaInputError(name, 'no-decoder', `${name} cannot be decoded here: this environment has no WebCodecs AudioDecoder (${info.codec}).`);
        }
        throw new MediaInputError(name, 'unsupported-codec', `${name} uses ${info.codecString} audio, which this browser cannot decode.`);
      }
      const readAheadMs = Math.max(0, options.readAheadMs ?? DEFAULT_READ_AHEAD_MS);
      return new AudioReader(input, track, info, readAheadMs);
    } catch (error) {
      input.dispose();
      throw error;
    }
  }

  /** What the reader has done so far. */
  get stats(): AudioReaderStats {
    return { ...this.#stats };
  }

  /**
   * Positions the reader: the next read() returns the chunk starting at the frame nearest
   * `timeUs` (rounded: timestampUs values round-trip), or at the track's first frame if that is
   * later. Decoding starts at once.
   */
  seek(timeUs: number): void {
    this.#checkOpen();
    this.#nextStartUs = Math.max(0, timeUs);
    this.#endRun();
    this.#startRun();
  }

  /** Starts decoding from the current position without reading (e.g. before playback starts). */
  prefetch(): void {
    this.#checkOpen();
    if (!this.#run) this.#startRun();
  }

  /** The next chunk, or null at the end of the track. Throws MediaInputError. */
  async read(): Promise<AudioChunk | null> {
    this.#checkOpen();
    if (!this.#run) this.#startRun();
    for (;;) {
      const run = this.#run!;
      const chunk = run.ready.shift();
      if (chunk) {
        run.bufferedFrames -= chunk.frames;
        this.#stats.chunksRead++;
        this.#stats.framesRead += chunk.frames;
        this.#pump(run);
        return chunk;
      }
      if (run.error) throw run.error;
      if (run.done) return null;
      this.#pump(run);
      await new Promise<void>((resolve) => run.waiters.push(resolve));
      this.#checkOpen();
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#endRun();
    this.#input.dispose();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #checkOpen(): void {
    if (this.#closed) throw new MediaInputError(this.info.name, 'closed', `${this.info.name}: the audio reader was used after close().`);
  }

  #startRun(): void {
    const startUs = this.#nextStartUs;
    // From the very beginning when the preroll would reach the first packet anyway.
    const from = startUs / 1e6 - this.#preroll;
    const samples = this.#sink.samples(from <= this.info.firstTimestampUs / 1e6 ? undefined : from);
    const run: DecodeRun = { samples, startUs, ready: [], bufferedFrames: 0, pumping: false, done: false, dead: false, error: null, waiters: [] };
    this.#run = run;
    this.#stats.decoderStarts++;
    this.#pump(run);
  }

  #endRun(): void {
    const run = this.#run;
    if (!run) return;
    this.#run = null;
    run.dead = true;
    run.ready.length = 0;
    void run.samples.return().catch(() => {});
    this.#wake(run);
  }

  #wake(run: DecodeRun): void {
    const waiters = run.waiters.splice(0);
    for (const wake of waiters) wake();
  }

  /** Decodes until readAheadMs is buffered (or the track ends). One pump per run at a time. */
  #pump(run: DecodeRun): void {
    if (run.pumping || run.done || run.dead) return;
    run.pumping = true;
    void (async () => {
      try {
        while (!run.dead && !run.done && (run.ready.length === 0 || (run.bufferedFrames * 1000) / this.info.sampleRate < this.readAheadMs)) {
          const next = await run.samples.next();
          if (run.dead) {
            if (!next.done) next.value.close();
            break;
          }
          if (next.done) {
            run.done = true;
            break;
          }
          this.#stats.samplesDecoded++;
          const chunk = this.#toChunk(next.value, run.startUs);
          if (chunk) {
            run.ready.push(chunk);
            run.bufferedFrames += chunk.frames;
            this.#stats.maxBufferedFrames = Math.max(this.#stats.maxBufferedFrames, run.bufferedFrames);
          }
          this.#wake(run);
        }
      } catch (error) {
        if (!run.dead) run.error = classify(error, this.info.name, 'could not be decoded', { message: null });
      } finally {
        run.pumping = false;
        this.#wake(run);
      }
    })();
  }

  /** Copies a decoded sample out as interleaved f32, minus frames before the start; closes it. */
  #toChunk(sample: AudioSample, startUs: number): AudioChunk | null {
    try {
      const sampleRate = sample.sampleRate;
      const channels = sample.numberOfChannels;
      const total = sample.numberOfFrames;
      const sampleFrame = Math.round(sample.timestamp * sampleRate);
      const firstWanted = Math.round((startUs * sampleRate) / 1e6);
      const endFrame = Math.round((this.info.endUs * sampleRate) / 1e6);
      const skip = Math.min(total, Math.max(0, firstWanted - sampleFrame));
      const frames = Math.max(0, Math.min(total, endFrame - sampleFrame) - skip);
      this.#stats.framesTrimmed += total - frames;
      if (frames <= 0) return null;
      const samples = new Float32Array(frames * channels);
      // One plane at a time as f32-planar (the one conversion WebCodecs requires), interleaved
      // here: WebKitGTK 2.50 corrupts its heap and crashes on AudioData.copyTo(…, {format: 'f32'}).
      if (this.#plane.length < frames) this.#plane = new Float32Array(frames);
      const plane = this.#plane;
      for (let c = 0; c < channels; c++) {
        sample.copyTo(plane, { planeIndex: c, format: 'f32-planar', frameOffset: skip, frameCount: frames });
        for (let i = 0, o = c; i < frames; i++, o += channels) samples[o] = plane[i]!;
      }
      const startFrame = sampleFrame + skip;
      return { samples, frames, channels, sampleRate, startFrame, timestampUs: Math.round((startFrame * 1e6) / sampleRate) };
    } finally {
      sample.close();
    }
  }
}


