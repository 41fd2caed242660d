// Shared by the playback specs: drive the app's player (window.tesseraPlayer) on the compose
// fixture, read its playback readout, and read the frame strips out of the engine's own frame.
// Functions passed to page.evaluate/waitForFunction are real functions, never strings (the
// app's CSP forbids eval), and self-contained (they are serialised).
import { readFrameStrip, type FrameStripResult } from '../../src/media/frame-strip';
import golden from '../../src/engine/golden.json' with { type: 'json' };

export const COMPOSE_PROGRAMME = '/fixtures/programmes/compose.json';

/** Expected SHA-256 of the engine's frame at each checkpoint, in every browser. */
export const GOLDEN_FRAMES = golden.composeFixture.frames as Record<string, string>;

/** The times whose frames are in the golden file, by label (30 fps frames). */
export const CHECKPOINTS: Record<string, number> = {
  '0.5': 0.5,
  '3.5': 3.5, // inside the crossfade
  '6+1/60': 6 + 1 / 60, // just after the cut
  '2+1/30': 2 + 1 / 30, // one frame after a seek back (from 7.5 s to 2 s)
};

export function goldenMismatch(browserName: string, observed: Record<string, string>): string {
  return `${browserName}: the compose fixture's frames hashed to ${JSON.stringify(observed, null, 2)}, but src/engine/golden.json (composeFixture) expects ${JSON.stringify(GOLDEN_FRAMES, null, 2)}. Either the engine's drawing changed on purpose (update the golden file in the same change) or playback no longer gives identical pixels everywhere.`;
}

/**
 * The app's address for a programme, shown paused at `at` seconds (or playing from there);
 * `verify`: the worker also reads each settled frame back from the canvas and hashes it.
 */
export function programmeUrl(programme: string, at: number, paused = true, verify = false): string {
  return `/?programme=${encodeURIComponent(programme)}&at=${at}${paused ? '&paused' : ''}${verify ? '&verify=1' : ''}`;
}

/** The compose fixture's picture-in-picture region (fixtures/programmes/compose.json). */
export const PIP_REGION = { x: 896, y: 476, width: 320, height: 180 };
/** Rows of the frame the strips are read from: the main picture's strip, the PiP's strip. */
const STRIP_BANDS: [number, number][] = [
  [0, 720 / 15],
  [PIP_REGION.y, PIP_REGION.y + PIP_REGION.height / 15],
];

/** The playback readout's numbers (PlaybackStats' data-* attributes). */
export interface PlaybackState {
  state: string;
  time: number;
  presented: number;
  late: number;
  dropped: number;
  readers: number;
  videoFramesOpen: number;
  videoFramesOpened: number;
  firstFrameMs: number | null;
  cadence: string;
  mediaErrors: number;
  errorText: string;
  /** The last settled frame's hash (the frame readout's). */
  sha256: string;
  /** With ?verify=1: the hash of what the canvas holds after presenting it. */
  presentedSha256: string;
}

/** Runs in the page: the readout's numbers, or null before the first report. */
export function readPlaybackState(): PlaybackState | null {
  const stats = document.getElementById('playback-stats');
  const frame = document.getElementById('frame-readout');
  if (frame?.dataset.status === 'error') {
    return { state: 'error', errorText: frame.textContent ?? '' } as PlaybackState;
  }
  if (!stats || !stats.dataset.presented) return null;
  const d = stats.dataset;
  // No helper functions in here: bundlers may wrap named functions in helpers (esbuild's
  // __name) that do not exist in the page.
  return {
    state: d.state ?? '',
    time: Number(d.time),
    presented: Number(d.presented),
    late: Number(d.late),
    dropped: Number(d.dropped),
    readers: Number(d.readers),
    videoFramesOpen: Number(d.videoFramesOpen),
    videoFramesOpened: Number(d.videoFramesOpened),
    firstFrameMs: d.firstFrameMs ? Number(d.firstFrameMs) : null,
    cadence: d.cadence ?? '',
    mediaErrors: Number(d.mediaErrors),
    errorText: stats.querySelector('.media-errors')?.textContent ?? '',
    sha256: frame?.dataset.sha256 ?? '',
    presentedSha256: frame?.dataset.presentedSha256 ?? '',
  };
}

/** Runs in the page: true once the player shows a settled, paused frame at `time`. */
export function pausedAt(time: number): boolean {
  const stats = document.getElementById('playback-stats')?.dataset;
  const frame = document.getElementById('frame-readout')?.dataset;
  if (frame?.status === 'error') return true; // let the caller see the error
  return !!window.tesseraPlayer && stats?.state === 'paused' && Number(stats.time) === time && !!frame?.sha256;
}

/** What capture() returns to the test: the engine frame's hash and the rows holding the strips. */
export interface CapturedFrame {
  time: number;
  sha256: string;
  width: number;
  height: number;
  /** Base64 RGBA of each band in STRIP_BANDS. */
  bands: string[];
}

/**
 * Runs in the page: optionally seeks, then asks the worker for the engine's frame (taken after
 * the seek has settled) and returns its hash and the strip rows.
 */
export async function captureInPage(args: { seekTo: number | null; bands: [number, number][] }): Promise<CapturedFrame> {
  const player = window.tesseraPlayer;
  if (!player) throw new Error('the page has no player');
  if (args.seekTo !== null) player.seek(args.seekTo);
  const capture = await player.capture();
  const pixels = new Uint8Array(capture.pixels);
  const bands = args.bands.map(([from, to]) => {
    const part = pixels.subarray(from * capture.width * 4, to * capture.width * 4);
    let text = '';
    for (let i = 0; i < part.length; i += 0x8000) text += String.fromCharCode(...part.subarray(i, i + 0x8000));
    return btoa(text);
  });
  return { time: capture.time, sha256: capture.sha256, width: capture.width, height: capture.height, bands };
}

export function captureArgs(seekTo: number | null) {
  return { seekTo, bands: STRIP_BANDS };
}

/** The frame numbers in a captured frame's main picture and picture-in-picture. */
export function readStrips(frame: CapturedFrame): { main: FrameStripResult; pip: FrameStripResult } {
  const rgba = new Uint8Array(frame.width * frame.height * 4);
  STRIP_BANDS.forEach(([from], i) => rgba.set(Buffer.from(frame.bands[i]!, 'base64'), from * frame.width * 4));
  return {
    main: readFrameStrip(rgba, frame.width, frame.height),
    pip: readFrameStrip(rgba, frame.width, frame.height, PIP_REGION),
  };
}

/** Plain number or the decoder's complaint, for assertion messages. */
export function stripValue(result: FrameStripResult): number | string {
  return 'frame' in result ? result.frame : result.error;
}
