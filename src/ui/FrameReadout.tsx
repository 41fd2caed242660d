// Minimal frame-time readout: engine build, last and median render time, presentation time, heap.
import { median } from '../player/store';
import { usePlayer } from './store-context';

const ms = (value: number | null | undefined) => (value == null ? '–' : `${value.toFixed(2)} ms`);

export function FrameReadout() {
  const status = usePlayer((s) => s.status);
  const tier = usePlayer((s) => s.tier);
  const frame = usePlayer((s) => s.frame);
  const renderTimes = usePlayer((s) => s.renderTimes);
  const heapBytes = usePlayer((s) => s.heapBytes);
  const error = usePlayer((s) => s.error);

  return (
    <output
      className="readout"
      id="frame-readout"
      aria-live="polite"
      data-status={status}
      data-tier={tier ?? ''}
      data-sha256={frame?.sha256 ?? ''}
      data-presented-sha256={frame?.presentedSha256 ?? ''}
    >
      {status === 'error' && error ? (
        <span className="readout-error">
          {error.stage === 'programme'
            ? 'The programme could not be played'
            : `The engine could not ${error.stage === 'render' ? 'draw the picture' : 'start'}`}
          : {error.message}
        </span>
      ) : status !== 'ready' ? (
        <span>Loading the engine…</span>
      ) : (
        <dl>
          <dt>engine</dt>
          <dd>{tier === 'simd' ? 'wasm SIMD' : 'wasm scalar'}</dd>
          <dt>frame</dt>
          <dd>
            {ms(frame?.renderMs)} (median {ms(median(renderTimes))})
          </dd>
          <dt>present</dt>
          <dd>{ms(frame?.presentMs)}</dd>
          <dt>heap</dt>
          <dd>{heapBytes == null ? '–' : `${(heapBytes / 1048576).toFixed(0)} MiB`}</dd>
        </dl>
      )}
    </output>
  );
}
