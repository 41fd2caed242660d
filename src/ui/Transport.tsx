// The control bar: play/pause, the seek bar with chapters, the time, the playback speed, and the
// buttons for statistics, keyboard help and full screen (plus whatever controls the shell adds,
// e.g. sound). Each sends a command; the state shown comes back from the worker via the store.
import { useId, type ReactNode } from 'react';

import type { Chapter } from '../player/chapters';
import type { PlayerController } from '../player/controller';
import { SeekBar } from './SeekBar';
import { usePlayer } from './store-context';

export const PLAYBACK_RATES = [0.5, 0.75, 1, 1.25, 1.5, 2] as const;

const NO_CHAPTERS: Chapter[] = [];

export interface TransportProps {
  controller: PlayerController | null;
  /** Play, or pause; from the end, play from the start. */
  onTogglePlay?: () => void;
  onSeek?: (time: number) => void;
  fullscreen?: { supported: boolean; active: boolean; toggle: () => void };
  statsOpen?: boolean;
  onToggleStats?: () => void;
  onHelp?: () => void;
  /** More controls for the bar (e.g. the sound controls), placed before the buttons. */
  children?: ReactNode;
}

export function Transport({ controller, onTogglePlay, onSeek, fullscreen, statsOpen, onToggleStats, onHelp, children }: TransportProps) {
  const state = usePlayer((s) => s.playback?.state ?? null);
  const time = usePlayer((s) => s.playback?.time ?? 0);
  const rate = usePlayer((s) => s.playback?.rate ?? 1);
  const duration = usePlayer((s) => s.programme?.duration ?? 0);
  const chapters = usePlayer((s) => s.programme?.scenes ?? NO_CHAPTERS);
  const id = useId();
  const disabled = !controller || state === null;
  const playing = state === 'playing';
  const seek = onSeek ?? ((t: number) => controller?.seek(t));
  const togglePlay = onTogglePlay ?? (() => (playing ? controller?.pause() : controller?.play()));

  return (
    <div className="transport" role="group" aria-label="Playback controls">
      <button type="button" className="play-pause" disabled={disabled} onClick={togglePlay} aria-keyshortcuts="k">
        {playing ? 'Pause' : 'Play'}
      </button>
      <SeekBar time={time} duration={duration} chapters={chapters} disabled={disabled} onSeek={seek} />
      <div className="rate">
        <label htmlFor={`${id}-rate`}>Speed</label>
        <select autoComplete="off" id={`${id}-rate`} value={String(rate)} disabled={disabled} onChange={(e) => controller?.setRate(Number(e.target.value))}>
          {PLAYBACK_RATES.map((r) => (
            <option key={r} value={String(r)}>
              {r === 1 ? 'Normal' : `${r}×`}
            </option>
          ))}
        </select>
      </div>
      {children}
      {onToggleStats && (
        <button type="button" aria-pressed={statsOpen ?? false} onClick={onToggleStats} aria-keyshortcuts="i">
          Statistics
        </button>
      )}
      {onHelp && (
        <button type="button" onClick={onHelp} aria-haspopup="dialog" aria-keyshortcuts="?">
          Keyboard shortcuts
        </button>
      )}
      {fullscreen?.supported && (
        <button type="button" aria-pressed={fullscreen.active} onClick={fullscreen.toggle} aria-keyshortcuts="f">
          Full screen
        </button>
      )}
    </div>
  );
}
