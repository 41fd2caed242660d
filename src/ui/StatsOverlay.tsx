// Playback statistics over the picture (the Statistics button, or I): the engine's frame time,
// frames dropped, the decode queue, the audio buffer and the wasm memory. Numbers nobody reports
// yet show "—".
import { median } from '../player/store';
import type { PlaybackStats } from '../player/protocol';
import { usePlayer } from './store-context';

const DASH = '—';
const frames = (n: number) => `${n} ${n === 1 ? 'frame' : 'frames'}`;

/** The audio output's queued frames, where the worker reports audio (an optional part of the stats). */
export function audioQueuedFrames(stats: PlaybackStats | null): number | null {
  if (!stats || !('audio' in stats)) return null;
  const audio: unknown = stats.audio;
  if (!audio || typeof audio !== 'object' || !('queuedFrames' in audio)) return null;
  const frames: unknown = audio.queuedFrames;
  return typeof frames === 'number' && Number.isFinite(frames) ? frames : null;
}

export function StatsOverlay() {
  const stats = usePlayer((s) => s.playback);
  const renderTimes = usePlayer((s) => s.renderTimes);
  const heapBytes = usePlayer((s) => s.heapBytes);
  // Playing frames report compose times in the stats; settled frames in the frame reports.
  const frameMs = stats?.composeMedianMs ?? median(renderTimes);
  const queued = audioQueuedFrames(stats);

  return (
    <section className="stats-overlay" aria-label="Playback statistics" id="stats-overlay">
      <dl>
        <dt>Frame time (median)</dt>
        <dd data-stat="frame-ms">{frameMs == null ? DASH : `${frameMs.toFixed(2)} ms`}</dd>
        <dt>Dropped frames</dt>
        <dd data-stat="dropped">{stats ? String(stats.dropped) : DASH}</dd>
        <dt>Decode queue</dt>
        <dd data-stat="decode-queue">{stats ? frames(stats.decodeQueue) : DASH}</dd>
        <dt>Audio buffer</dt>
        <dd data-stat="audio-queued">{queued === null ? DASH : frames(queued)}</dd>
        <dt>Engine memory</dt>
        <dd data-stat="heap">{heapBytes == null ? DASH : `${(heapBytes / 1048576).toFixed(1)} MiB`}</dd>
      </dl>
    </section>
  );
}
