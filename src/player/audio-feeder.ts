// The audio side of playback in the worker: decodes the plan's audio objects ahead of the mix and
// pushes their PCM into the engine. Each pass asks the engine what the audio needs (audioAt, with
// LOOKAHEAD seconds: objects starting within it are opened and filled before they start, so a join
// is gapless), keeps one decoder (an AudioReader) per audio object, reads until the object's PCM
// reaches the lookahead, ends objects whose media has ended and closes the decoders of objects
// that left the plan. A seek (after engine.audioSeek) repositions every decoder at the media time
// the engine gives for the new time.
//
// DOM-free: the engine and the decoders come in through small interfaces (tests use fakes).
import type { AudioNeeds } from '../engine/audio';

/**
 * Seconds of PCM kept pushed ahead of the mix. The engine queues at most 65,536 frames (1.37 s)
 * per object and drops what goes beyond, so the lookahead stays under that.
 */
export const AUDIO_LOOKAHEAD_SECONDS = 1.0;

/** The part of TesseraEngine the feeder uses. */
export interface FeederEngine {
  audioAt(time: number, lookahead: number): AudioNeeds;
  pushAudio(object: string, mediaTime: number, interleaved: Float32Array, channels: number, sampleRate: number): void;
  endAudio(object: string): void;
}

/** A decoded chunk (AudioReader's AudioChunk). */
export interface PcmChunk {
  samples: Float32Array;
  frames: number;
  channels: number;
  sampleRate: number;
  startFrame: number;
}

/** The part of AudioReader the feeder uses. */
export interface PcmSource {
  seek(timeUs: number): void;
  read(): Promise<PcmChunk | null>;
  close(): void;
}

export interface FeederHost {
  resolveUrl(src: string): string;
  openAudio(url: string, name: string): Promise<PcmSource>;
  error(problem: { file: string; asset: string; message: string }): void;
  /**
   * Lets the thread's timers run (the audio producer's among them): decoded chunks that are ready
   * resolve read() as microtasks, so without this a pass filling a second of audio would hold
   * the worker for its whole length. Optional (tests).
   */
  yieldToTimers?(): Promise<void>;
  nowMs?(): number;
}

/** Longest stretch of pushing before the feeder lets timers run, in milliseconds. */
export const FEED_SLICE_MS = 2;

interface Track {
  readonly object: string;
  readonly source: Promise<PcmSource | null>;
  /** Programme time minus media time for this object (set when positioned). */
  offset: number;
  /** Programme time up to which PCM has been pushed. */
  pushedEnd: number;
  /** The decoder must be positioned (opened, or after a seek). */
  positioned: boolean;
  ended: boolean;
  failed: boolean;
}

export interface FeederStats {
  tracks: number;
  framesPushed: number;
  chunksPushed: number;
  seeks: number;
  passes: number;
}

export class AudioFeeder {
  readonly #engine: FeederEngine;
  readonly #host: FeederHost;
  readonly #lookahead: number;
  readonly #tracks = new Map<string, Track>();
  /** Sources that failed to open, by src: reported once, not retried. */
  readonly #failed = new Set<string>();
  #pass: Promise<void> | null = null;
  #generation = 0;
  #closed = false;
  readonly #stats: FeederStats = { tracks: 0, framesPushed: 0, chunksPushed: 0, seeks: 0, passes: 0 };

  constructor(engine: FeederEngine, host: FeederHost, lookahead = AUDIO_LOOKAHEAD_SECONDS) {
    this.#engine = engine;
    this.#host = host;
    this.#lookahead = lookahead;
  }

  /** The object's decoder has nothing more to give (its media ended, or it failed). */
  settled(object: string): boolean {
    const track = this.#tracks.get(object);
    return track !== undefined && (track.ended || track.failed);
  }

  stats(): FeederStats {
    return { ...this.#stats, tracks: this.#tracks.size };
  }

  /**
   * Tops every needed object up to `time` + lookahead (one pass; a pass already running is
   * awaited instead). `time` is where the mix renders next.
   */
  fill(time: number): Promise<void> {
    if (this.#pass) return this.#pass;
    const generation = this.#generation;
    const pass = this.#fill(time, generation).finally(() => {
      if (this.#pass === pass) this.#pass = null;
    });
    this.#pass = pass;
    return pass;
  }

  /**
   * The mix moved to `time` (the caller has called engine.audioSeek): the running pass stops at
   * its next read, every decoder is repositioned, and PCM is filled from there.
   */
  async seek(time: number): Promise<void> {
    this.#generation++;
    this.#stats.seeks++;
    while (this.#pass) await this.#pass.catch(() => {});
    for (const track of this.#tracks.values()) {
      track.positioned = false;
      track.ended = false;
    }
    await this.fill(time);
  }

  close(): void {
    this.#closed = true;
    this.#generation++;
    for (const track of this.#tracks.values()) void track.source.then((s) => s?.close());
    this.#tracks.clear();
  }

  async #fill(time: number, generation: number): Promise<void> {
    if (this.#closed) return;
    this.#stats.passes++;
    const needs = this.#engine.audioAt(time, this.#lookahead);
    const wanted = new Set(needs.audio.map((a) => a.object));
    for (const [object, track] of this.#tracks) {
      if (!wanted.has(object)) {
        this.#tracks.delete(object);
        void track.source.then((s) => s?.close());
      }
    }
    const horizon = time + this.#lookahead;
    let sliceStart = this.#host.nowMs?.() ?? 0;
    // Objects are filled one after another, the active ones first.
    const order = [...needs.audio].sort((a, b) => Number(b.active) - Number(a.active) || a.start - b.start);
    for (const need of order) {
      if (generation !== this.#generation || this.#closed) return;
      let track = this.#tracks.get(need.object);
      if (!track) {
        if (this.#failed.has(need.src)) continue;
        track = this.#open(need);
        this.#tracks.set(need.object, track);
      }
      const source = await track.source;
      if (!source || track.failed || generation !== this.#generation || this.#closed) continue;
      if (!track.positioned) {
        // The engine's mediaTime is for `time` (active) or the object's start (ahead).
        track.offset = (need.active ? time : need.start) - need.mediaTime;
        track.pushedEnd = need.queuedEnd;
        source.seek(Math.round((track.pushedEnd - track.offset) * 1e6));
        track.positioned = true;
        track.ended = false;
      }
      const until = Math.min(horizon, need.end);
      while (!track.ended && track.pushedEnd < until) {
        if (this.#host.yieldToTimers && this.#host.nowMs && this.#host.nowMs() - sliceStart > FEED_SLICE_MS) {
          await this.#host.yieldToTimers();
          sliceStart = this.#host.nowMs();
          if (generation !== this.#generation || this.#closed || this.#tracks.get(need.object) !== track) return;
        }
        let chunk: PcmChunk | null;
        try {
          chunk = await source.read();
        } catch (error) {
          track.failed = true;
          this.#host.error({ file: need.src, asset: need.asset, message: error instanceof Error ? error.message : String(error) });
          break;
        }
        if (generation !== this.#generation || this.#closed || this.#tracks.get(need.object) !== track) return;
        if (!chunk) {
          track.ended = true;
          this.#engine.endAudio(need.object);
          break;
        }
        const mediaTime = chunk.startFrame / chunk.sampleRate;
        this.#engine.pushAudio(need.object, mediaTime, chunk.samples, chunk.channels, chunk.sampleRate);
        this.#stats.framesPushed += chunk.frames;
        this.#stats.chunksPushed++;
        track.pushedEnd = track.offset + mediaTime + chunk.frames / chunk.sampleRate;
      }
    }
  }

  #open(need: AudioNeeds['audio'][number]): Track {
    const track: Track = { object: need.object, source: Promise.resolve(null), offset: 0, pushedEnd: 0, positioned: false, ended: false, failed: false };
    let url: string;
    try {
      url = this.#host.resolveUrl(need.src);
    } catch (error) {
      this.#failed.add(need.src);
      this.#host.error({ file: need.src, asset: need.asset, message: error instanceof Error ? error.message : String(error) });
      track.failed = true;
      return track;
    }
    (track as { source: Promise<PcmSource | null> }).source = this.#host.openAudio(url, need.src).then(
      (source) => {
        if (this.#closed || this.#tracks.get(need.object) !== track) {
          source.close();
          return null;
        }
        return source;
      },
      (error: unknown) => {
        this.#failed.add(need.src);
        track.failed = true;
        this.#host.error({ file: need.src, asset: need.asset, message: error instanceof Error ? error.message : String(error) });
        return null;
      },
    );
    return track;
  }
}
