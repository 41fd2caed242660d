// The media scheduler: once per display tick it asks the engine what the plan needs at the
// clock's time (engine.mediaAt), keeps one video reader per plan object (opened ahead of the
// object's start, prefetched at its first media time so a join has no gap, closed when the object
// ends), hands the engine the frame covering each on-screen object's media time, fetches the fonts
// and images the engine asks for once, and composes the frame. Presenting the pixels is the
// caller's job (playback.ts, engine-worker.ts).
//
// Free of DOM and WebCodecs types: the engine, the readers and the network come in through small
// interfaces, so the decisions are unit-tested with fakes (scheduler.test.ts).
import { assetBytesForEngine } from '../engine/asset-bytes';
import type { MediaNeeds, RenderReport, VideoFrameData } from '../engine/engine';

/** Seconds ahead of the clock at which upcoming video objects are opened and prefetched. */
export const LOOKAHEAD_SECONDS = 1.5;
/**
 * While playing, how long a tick waits for a video frame that is not decoded yet before it
 * composes with the previous frame (and counts the tick as late). Leaves the rest of a 60 Hz
 * tick for composition and presentation.
 */
export const FRAME_WAIT_MS = 8;
/**
 * Added to every media time before asking for its frame: WebM stores timestamps in whole
 * milliseconds, so the frame due at exactly n/30 s may be stamped up to 0.5 ms later. Without
 * this, a tick landing exactly on a frame boundary (a join, a seek to n/30) would get frame n-1.
 */
export const TIMESTAMP_TOLERANCE_US = 500;
/** Frame requests queued on one reader at most: one being served and the next tick's. */
const MAX_REQUESTS_IN_FLIGHT = 2;

/** The part of TesseraEngine the scheduler uses. */
export interface SchedulerEngine {
  mediaAt(time: number, lookahead: number): MediaNeeds;
  addAsset(asset: string, bytes: Uint8Array): void;
  addFont(name: string, bytes: Uint8Array): void;
  setVideoFrame(object: string, frame: VideoFrameData): void;
  forgetVideo(object: string): void;
  renderFrame(time: number): RenderReport;
}

/** A decoded frame as readers hand it out (DecodedVideoFrame satisfies it). */
export interface SourceFrame extends VideoFrameData {
  durationUs: number;
}

/** The part of VideoReader the scheduler uses (src/media/video-reader.ts). */
export interface FrameSource {
  /** The frame to show at `timeUs`; owned by the source until its next call. */
  frameAt(timeUs: number): Promise<SourceFrame | null>;
  /** Decodes ahead from `fromUs`, resolving once the first frame there is ready. */
  prefetch(fromUs: number): Promise<void>;
  close(): void;
  /** Frames decoded ahead and waiting. */
  readonly queuedFrames: number;
}

/** What the scheduler needs from where it runs (the engine worker, or a test). */
export interface SchedulerHost {
  /** `src` as the programme names it → the URL to read it from; throws if it is not allowed. */
  resolveUrl(src: string): string;
  openVideo(url: string, name: string): Promise<FrameSource>;
  fetchAsset(url: string): Promise<Uint8Array>;
  /** The bytes of a caption fallback font the engine asks for by name (MediaNeeds.fonts). */
  fetchFont(name: string): Promise<Uint8Array>;
  /** A file could not be used; playback goes on without it. */
  error(problem: MediaProblem): void;
  /** Monotonic milliseconds. */
  nowMs(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

export interface MediaProblem {
  kind: 'video' | 'asset';
  /** The asset's src as the programme names it. */
  file: string;
  asset: string;
  message: string;
}

/** 'play': wait for late frames only until a deadline. 'settle': wait for every frame (paused, seeks). */
export type TickMode = 'play' | 'settle';

export interface TickResult {
  time: number;
  report: RenderReport;
  /** On-screen video objects drawn with an older frame (or none) because theirs was not ready. */
  late: string[];
  /** Engine time to compose the frame. */
  composeMs: number;
}

/** One plan object's video: its reader and what the engine holds for it. */
interface Track {
  readonly object: string;
  readonly asset: string;
  readonly src: string;
  /** The reader, or null when it could not be opened. */
  readonly source: Promise<FrameSource | null>;
  /** The reader once open (for stats), else null. */
  opened: FrameSource | null;
  closed: boolean;
  failed: boolean;
  /** The first media time the reader was told to prefetch, or null. */
  prefetchedUs: number | null;
  /** The newest target asked of the reader. */
  requestedUs: number | null;
  inFlight: number;
  /** Settles when the newest request has been served (never rejects). */
  latest: Promise<void>;
  /** The frame the engine holds for this object, and the target it was fetched for. */
  shown: { targetUs: number; timestampUs: number; durationUs: number } | null;
}

export class PlaybackScheduler {
  readonly #engine: SchedulerEngine;
  readonly #host: SchedulerHost;
  readonly #tracks = new Map<string, Track>();
  /** Asset fetches by asset id: each asset is fetched once, successful or not. */
  readonly #assets = new Map<string, Promise<void>>();
  /** Sources that failed to open: not retried, and reported once. */
  readonly #failedSources = new Set<string>();

  constructor(engine: SchedulerEngine, host: SchedulerHost) {
    this.#engine = engine;
    this.#host = host;
  }

  /**
   * Fetches and hands in every font and image the plan needs (the engine lists them in mediaAt),
   * so the first frame is drawn with its text. Failures are reported, not thrown.
   */
  async loadAssets(time: number): Promise<void> {
    const needs = this.#engine.mediaAt(time, 0);
    await Promise.all([...needs.assets.map((a) => this.#fetchAsset(a, needs.layout)), ...this.#fetchFonts(needs)]);
  }

  /**
   * Brings the readers in line with the plan at `time`, hands in the frames on screen then, and
   * composes the frame. In 'play' mode a frame that is not ready within FRAME_WAIT_MS is left
   * for the next tick (the engine draws the previous one) and reported in `late`.
   */
  async tick(time: number, mode: TickMode): Promise<TickResult> {
    const needs = this.#engine.mediaAt(time, LOOKAHEAD_SECONDS);
    const assets = [...needs.assets.map((a) => this.#fetchAsset(a, needs.layout)), ...this.#fetchFonts(needs)];
    this.#syncTracks(needs);

    const onScreen: { track: Track; targetUs: number }[] = [];
    for (const v of needs.video) {
      const track = this.#tracks.get(v.object)!;
      const targetUs = mediaTimeToUs(v.mediaTime);
      if (v.active) {
        this.#request(track, targetUs);
        onScreen.push({ track, targetUs });
      } else if (track.prefetchedUs !== targetUs) {
        this.#prefetch(track, targetUs);
      }
    }

    if (mode === 'settle') {
      await Promise.all([...assets, ...onScreen.map(({ track, targetUs }) => this.#settle(track, targetUs))]);
    } else {
      const waiting = onScreen.filter(({ track, targetUs }) => !track.failed && !isFresh(track, targetUs));
      if (waiting.length > 0) {
        await Promise.race([Promise.all(waiting.map(({ track }) => track.latest)), this.#host.sleep(FRAME_WAIT_MS)]);
      }
    }

    const late = onScreen.filter(({ track, targetUs }) => !track.failed && !isFresh(track, targetUs)).map(({ track }) => track.object);
    const started = this.#host.nowMs();
    const report = this.#engine.renderFrame(time);
    const composeMs = this.#host.nowMs() - started;
    return { time, report, late, composeMs };
  }

  /** Closes every reader and drops every frame the engine holds (they reopen on the next tick). */
  closeAll(): void {
    for (const track of [...this.#tracks.values()]) this.#close(track);
  }

  /** Readers open or opening (a file that failed has none). */
  get readers(): number {
    let count = 0;
    for (const track of this.#tracks.values()) if (!track.failed) count++;
    return count;
  }

  /** Frames decoded ahead and waiting, over all readers. */
  get decodeQueue(): number {
    let queued = 0;
    for (const track of this.#tracks.values()) queued += track.opened?.queuedFrames ?? 0;
    return queued;
  }

  /** The plan objects with an open track (tests). */
  get objects(): string[] {
    return [...this.#tracks.keys()];
  }

  // ---- Tracks ----------------------------------------------------------------------------------

  /** Closes tracks the plan no longer needs (ended, or out of reach after a seek), opens new ones. */
  #syncTracks(needs: MediaNeeds): void {
    const wanted = new Map(needs.video.map((v) => [v.object, v]));
    for (const track of [...this.#tracks.values()]) {
      const v = wanted.get(track.object);
      if (!v || v.src !== track.src) this.#close(track);
    }
    for (const v of needs.video) {
      if (!this.#tracks.has(v.object)) this.#tracks.set(v.object, this.#open(v.object, v.asset, v.src));
    }
  }

  #open(object: string, asset: string, src: string): Track {
    let source: Promise<FrameSource | null>;
    let failed = false;
    if (this.#failedSources.has(src)) {
      failed = true; // reported when it first failed
      source = Promise.resolve(null);
    } else {
      source = (async () => {
        const url = this.#host.resolveUrl(src);
        return this.#host.openVideo(url, fileName(src));
      })().then(
        (opened) => {
          if (track.closed) {
            opened.close(); // the object ended (or a seek left it) while its reader was opening
            return null;
          }
          track.opened = opened;
          return opened;
        },
        (error: unknown) => {
          if (!this.#failedSources.has(src)) {
            this.#failedSources.add(src);
            this.#host.error({ kind: 'video', file: src, asset, message: describe(error) });
          }
          track.failed = true;
          return null;
        },
      );
    }
    const track: Track = {
      object,
      asset,
      src,
      source,
      opened: null,
      closed: false,
      failed,
      prefetchedUs: null,
      requestedUs: null,
      inFlight: 0,
      latest: Promise.resolve(),
      shown: null,
    };
    return track;
  }

  #close(track: Track): void {
    if (track.closed) return;
    track.closed = true;
    this.#tracks.delete(track.object);
    track.opened?.close();
    track.opened = null;
    this.#engine.forgetVideo(track.object);
  }

  /** Starts decoding an upcoming object at its first media time, so its start is ready in time. */
  #prefetch(track: Track, fromUs: number): void {
    if (track.failed || track.closed) return;
    track.prefetchedUs = fromUs;
    // The reader gives up its current frame on prefetch: make sure the engine does not keep
    // drawing a frame from before (after a seek back, this object may have been on screen).
    track.requestedUs = null;
    if (track.shown) {
      track.shown = null;
      this.#engine.forgetVideo(track.object);
    }
    track.latest = track.source.then(async (source) => {
      if (!source || track.closed) return;
      try {
        await source.prefetch(fromUs);
      } catch (error) {
        this.#fail(track, error);
      }
    });
  }

  /**
   * Asks the reader for the frame at `targetUs` unless it was already asked for, or two requests
   * are queued (the reader is behind: the frame will be late, and asking more only adds work).
   * The frame is handed to the engine as soon as it arrives: the reader reuses its buffer after
   * its next call, and the engine copies it.
   */
  #request(track: Track, targetUs: number): void {
    if (track.failed || track.closed || track.requestedUs === targetUs || track.inFlight >= MAX_REQUESTS_IN_FLIGHT) return;
    track.requestedUs = targetUs;
    track.prefetchedUs = null; // the reader moves on: a later return to the start must prefetch again
    track.inFlight++;
    track.latest = track.source
      .then(async (source) => {
        if (!source || track.closed) return;
        const frame = await source.frameAt(targetUs);
        if (!frame || track.closed) return;
        // The same frame as before (a 60 Hz tick on 30 fps video) need not be copied again.
        if (track.shown?.timestampUs !== frame.timestampUs) this.#engine.setVideoFrame(track.object, frame);
        track.shown = { targetUs, timestampUs: frame.timestampUs, durationUs: frame.durationUs };
      })
      .catch((error: unknown) => this.#fail(track, error))
      .finally(() => {
        track.inFlight--;
      });
  }

  /** Waits until the engine holds the frame for `targetUs` (or the track fails or closes). */
  async #settle(track: Track, targetUs: number): Promise<void> {
    while (!track.failed && !track.closed && !isFresh(track, targetUs)) {
      if (track.requestedUs !== targetUs) {
        if (track.inFlight >= MAX_REQUESTS_IN_FLIGHT) {
          await track.latest;
          continue;
        }
        this.#request(track, targetUs);
      }
      await track.latest;
      if (track.requestedUs === targetUs && track.inFlight === 0) return; // served (even if with nothing)
    }
  }

  #fail(track: Track, error: unknown): void {
    if (track.closed || track.failed) return;
    track.failed = true;
    this.#host.error({ kind: 'video', file: track.src, asset: track.asset, message: describe(error) });
    // Draw nothing for it rather than a frozen picture; other objects play on.
    track.shown = null;
    this.#engine.forgetVideo(track.object);
  }

  // ---- Assets ----------------------------------------------------------------------------------

  /** Each fallback font the engine asks for, fetched once; a failure is reported and not retried. */
  #fetchFonts(needs: MediaNeeds): Promise<void>[] {
    return (needs.fonts ?? []).map((name) => {
      const key = `font:${name}`;
      let fetching = this.#assets.get(key);
      if (!fetching) {
        fetching = (async () => {
          try {
            this.#engine.addFont(name, await this.#host.fetchFont(name));
          } catch (error) {
            this.#host.error({ kind: 'asset', file: `${name} font`, asset: key, message: describe(error) });
          }
        })();
        this.#assets.set(key, fetching);
      }
      return fetching;
    });
  }

  #fetchAsset(need: MediaNeeds['assets'][number], layout: MediaNeeds['layout']): Promise<void> {
    let fetching = this.#assets.get(need.asset);
    if (!fetching) {
      fetching = (async () => {
        try {
          const bytes = await this.#host.fetchAsset(this.#host.resolveUrl(need.src));
          this.#engine.addAsset(need.asset, await assetBytesForEngine(need, bytes, aspect(layout)));
          // Captions can need fonts (a TTML family, CJK): ready before the asset counts as ready,
          // so the first frame that shows them draws them in their fonts.
          if (need.type === 'captions') await Promise.all(this.#fetchFonts(this.#engine.mediaAt(0, 0)));
        } catch (error) {
          this.#host.error({ kind: 'asset', file: need.src, asset: need.asset, message: describe(error) });
        }
      })();
      this.#assets.set(need.asset, fetching);
    }
    return fetching;
  }
}

/** The layout's width ÷ height (undefined before a layout is chosen). */
function aspect(layout: MediaNeeds['layout']): number | undefined {
  return layout.width > 0 && layout.height > 0 ? layout.width / layout.height : undefined;
}

/** The target timestamp for a media time in seconds (see TIMESTAMP_TOLERANCE_US). */
export function mediaTimeToUs(mediaTime: number): number {
  return Math.round(mediaTime * 1e6) + TIMESTAMP_TOLERANCE_US;
}

/** The engine holds the frame for `targetUs`: fetched for it, or one whose interval covers it. */
function isFresh(track: Track, targetUs: number): boolean {
  const shown = track.shown;
  if (!shown) return false;
  if (shown.targetUs === targetUs) return true;
  return shown.timestampUs <= targetUs && targetUs < shown.timestampUs + shown.durationUs;
}

function fileName(src: string): string {
  return src.split(/[?#]/)[0]!.split('/').filter(Boolean).pop() ?? src;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
