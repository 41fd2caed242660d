// Play/pause and a position slider. They send commands to the controller; the state they show
// comes back from the worker through the store.
import type { PlayerController } from '../player/controller';
import { usePlayer } from './store-context';

/** One frame at 30 fps: the slider's step. */
const STEP_SECONDS = 1 / 30;

export function Transport({ controller }: { controller: PlayerController | null }) {
  const state = usePlayer((s) => s.playback?.state ?? null);
  const time = usePlayer((s) => s.playback?.time ?? 0);
  const duration = usePlayer((s) => s.programme?.duration ?? 0);
  const disabled = !controller || state === null;
  const playing = state === 'playing';

  return (
    <div className="transport">
      <button type="button" disabled={disabled} onClick={() => {
          // The click is the gesture that lets the sound start (the AudioContext is made here).
          controller?.unlockAudio();
          if (playing) controller?.pause();
          else controller?.play();
        }}>
        {playing ? 'Pause' : 'Play'}
      </button>
      <input
        type="range"
        aria-label="Position in the programme"
        min={0}
        max={duration}
        step={STEP_SECONDS}
        value={Math.min(time, duration)}
        disabled={disabled}
        onChange={(event) => controller?.seek(Number(event.currentTarget.value))}
      />
    </div>
  );
}
