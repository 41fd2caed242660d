// What e2e/video-source.spec.ts asks the video-reader test page (video-source.html) to do, and
// what comes back. The page forwards each request to its module worker (video-source-worker.ts),
// where the VideoReader runs as it will in the engine worker. Types only, plus the page's global.
import type { MediaInputErrorCode } from '../../src/media/media-input-error';
import type { VideoFrameStats } from '../../src/media/decoded-video-frame';
import type { VideoFrameEntry, VideoInfo } from '../../src/media/video-demuxer';
import type { VideoReaderStats } from '../../src/media/video-reader';

/** Fixtures are served by the dev server from the repository's fixtures/media. */
export const FIXTURE_URL_PREFIX = '/fixtures/media/';

export type VideoTestRequest =
  /** Read every frame (from a URL or from bytes), pausing now and then like a busy consumer. */
  | { kind: 'decode-all'; file: string; via: 'url' | 'bytes'; pauseEvery: number; pauseMs: number }
  /** For each target: seek, then read two frames. */
  | { kind: 'seeks'; file: string; targetsUs: number[] }
  /** Seeded random seeks over the clip (and a little beyond both ends), each with 1..maxReads reads. */
  | { kind: 'random-seeks'; file: string; count: number; seed: number; maxReads: number }
  /** frameAt() at every multiple of stepUs through the clip, then at each of jumpsUs. */
  | { kind: 'present'; file: string; stepUs: number; jumpsUs: number[] }
  /** Play `playing` through frameAt for playFrames frames while a second reader prefetches `next`. */
  | { kind: 'prefetch-join'; playing: string; next: string; playFrames: number }
  /** Prefetch, then leave the reader alone for waitMs. */
  | { kind: 'idle-bound'; file: string; maxQueuedFrames: number; waitMs: number }
  /** Open a missing URL, junk bytes, an audio-only file, and a clip with damaged packets. */
  | { kind: 'errors'; file: string };

/** A frame as the test sees it: its strip number (or why it could not be read) and its shape. */
export interface FrameSummary {
  number: number | string;
  timestampUs: number;
  format: string;
  width: number;
  height: number;
  layout: { offset: number; stride: number }[];
  byteLength: number;
}

export interface ErrorSummary {
  name: string;
  code: MediaInputErrorCode | null;
  file: string | null;
  message: string;
}

export interface DecodeAllResult {
  info: VideoInfo;
  frames: FrameSummary[];
  /** Frame 0's pixel at (600, 300): [Y, U, V] for I420, [R, G, B] for packed RGB. */
  sample: { format: string; values: number[] };
  /** Strip-read numbers of the flash frames' picture below the strip: all 235 (Y) or 255 (RGB)? */
  flashFramesWhite: number[];
  stats: VideoReaderStats;
  frameStatsAfterClose: VideoFrameStats;
  decodeMs: number;
}

export interface SeeksResult {
  seeks: { targetUs: number; numbers: (number | string | null)[] }[];
  stats: VideoReaderStats;
  frameStatsAfterClose: VideoFrameStats;
}

export interface PresentResult {
  shown: { timeUs: number; number: number | string | null }[];
  jumps: { timeUs: number; number: number | string | null }[];
  decoderStartsAfterPlay: number;
  stats: VideoReaderStats;
  frameStatsAfterClose: VideoFrameStats;
}

export interface PrefetchJoinResult {
  playedNumbers: (number | string | null)[];
  queuedAfterPrefetch: number;
  joinNumber: number | string | null;
  joinMs: number;
  nextStats: VideoReaderStats;
  frameStatsAfterClose: VideoFrameStats;
}

export interface IdleBoundResult {
  queuedFrames: number;
  stats: VideoReaderStats;
  /** VideoFrames alive while the reader sat idle with a full queue. */
  frameStatsWhileIdle: VideoFrameStats;
  frameStatsAfterClose: VideoFrameStats;
}

export interface ErrorsResult {
  missing: ErrorSummary | null;
  junk: ErrorSummary | null;
  audioOnly: ErrorSummary | null;
  damaged: { framesBeforeError: number; error: ErrorSummary | null };
  frameStatsAfterClose: VideoFrameStats;
}

export type VideoTestResult = DecodeAllResult | SeeksResult | PresentResult | PrefetchJoinResult | IdleBoundResult | ErrorsResult;

export type ToVideoTestWorker = { id: number; request: VideoTestRequest };
export type FromVideoTestWorker =
  | { id: number; ok: true; result: VideoTestResult }
  | { id: number; ok: false; error: ErrorSummary };

/** What the page exposes to the spec (called through page.evaluate with a function). */
export interface VideoSourceTestPage {
  run(request: VideoTestRequest): Promise<VideoTestResult>;
  /** The clip's frame table, demuxed on the main thread (Mediabunny works there too). */
  frames(file: string): Promise<{ info: VideoInfo; frames: VideoFrameEntry[] }>;
  /** Set if the worker failed to start. */
  workerError: string | null;
}

declare global {
  interface Window {
    videoSourceTest?: VideoSourceTestPage;
  }
}
