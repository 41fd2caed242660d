// Playback readout: position, frames presented, late and dropped, decode queue depth and engine
// compose time, as the worker reports them (a few times a second), plus files that could not be
// used. The data-* attributes carry the raw numbers for tests.
import { usePlayer } from './store-context';

const ms = (value: number | null | undefined) => (value == null ? '–' : `${value.toFixed(2)} ms`);
const seconds = (value: number) => `${value.toFixed(2)} s`;

export function PlaybackStats() {
  const stats = usePlayer((s) => s.playback);
  const programme = usePlayer((s) => s.programme);
  const mediaErrors = usePlayer((s) => s.mediaErrors);
  // The worker stamps the first frame on the shared epoch clock; relative to this page's
  // navigation start it is the time to the first composed frame.
  const firstFrameMs = stats?.firstFrameEpochMs == null ? null : stats.firstFrameEpochMs - performance.timeOrigin;
  const ticks = stats ? stats.presented + stats.dropped : 0;
  const droppedShare = stats && ticks > 0 ? (100 * stats.dropped) / ticks : 0;

  return (
    <output
      className="readout playback-stats"
      id="playback-stats"
      aria-live="off"
      data-state={stats?.state ?? 'loading'}
      data-time={stats?.time ?? ''}
      data-presented={stats?.presented ?? ''}
      data-late={stats?.late ?? ''}
      data-dropped={stats?.dropped ?? ''}
      data-readers={stats?.readers ?? ''}
      data-video-frames-open={stats?.videoFrames.open ?? ''}
      data-video-frames-opened={stats?.videoFrames.opened ?? ''}
      data-first-frame-ms={firstFrameMs == null ? '' : firstFrameMs.toFixed(1)}
      data-cadence={stats?.cadence ?? ''}
      data-media-errors={mediaErrors.length}
    >
      {!stats ? (
        <span>{programme ? 'Preparing the first frame…' : 'Loading the programme…'}</span>
      ) : (
        <dl>
          <dt>time</dt>
          <dd>
            {seconds(stats.time)} / {seconds(stats.duration)}
          </dd>
          <dt>frames</dt>
          <dd>{stats.presented}</dd>
          <dt>late</dt>
          <dd>{stats.late}</dd>
          <dt>dropped</dt>
          <dd>
            {stats.dropped} ({droppedShare.toFixed(1)} %)
          </dd>
          <dt>decode queue</dt>
          <dd>{stats.decodeQueue}</dd>
          <dt>compose</dt>
          <dd>
            {ms(stats.composeMs)} (median {ms(stats.composeMedianMs)})
          </dd>
          <dt>first frame</dt>
          <dd>{ms(firstFrameMs)}</dd>
        </dl>
      )}
      {mediaErrors.length > 0 && (
        <ul className="readout-error media-errors">
          {mediaErrors.map((e, i) => (
            <li key={i}>{e.message}</li>
          ))}
        </ul>
      )}
    </output>
  );
}
