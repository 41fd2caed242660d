// The control bar: the seek bar on a row of its own; then play/pause, the time and chapter, the
// sound and full screen; then the extras: the volume, the chapter menu, the playback speed,
// statistics and keyboard help. A wide player shows the extras' row always; a narrow one (a phone
// in portrait, a small embed) only after its "More controls" button is pressed (a disclosure; styles.css:
// the container queries on .player). The order on screen is the order in the document, so focus
// moves as the eye does. Each control sends a command; the state
// shown comes back from the worker via the store.
import { useId, useState, type KeyboardEvent, type ReactNode } from 'react';

import type { Chapter } from '../player/chapters';
import type { PlayerController } from '../player/controller';
import { ControlIcon } from './ControlIcon';
import { ChapterMenu, PositionReadout, SeekBar } from './SeekBar';
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
  /** More controls for the bar's row (e.g. mute), placed after the time, before full screen. */
  children?: ReactNode;
  /** More controls for the extras (e.g. the volume slider), placed first among them. */
  extras?: ReactNode;
}

export function Transport({ controller, onTogglePlay, onSeek, fullscreen, statsOpen, onToggleStats, onHelp, children, extras }: TransportProps) {
  const state = usePlayer((s) => s.playback?.state ?? null);
  const time = usePlayer((s) => s.playback?.time ?? 0);
  const rate = usePlayer((s) => s.playback?.rate ?? 1);
  const duration = usePlayer((s) => s.programme?.duration ?? 0);
  const chapters = usePlayer((s) => s.programme?.scenes ?? NO_CHAPTERS);
  const id = useId();
  const [moreOpen, setMoreOpen] = useState(false);
  const disabled = !controller || state === null;
  const playing = state === 'playing';
  const seek = onSeek ?? ((t: number) => controller?.seek(t));
  const togglePlay = onTogglePlay ?? (() => (playing ? controller?.pause() : controller?.play()));
  const position = { time, duration, chapters, disabled, onSeek: seek };

  // Esc inside the opened extras closes them and puts focus back on the button.
  const onExtrasKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Escape' || !moreOpen) return;
    event.stopPropagation();
    setMoreOpen(false);
    document.getElementById(`${id}-more-button`)?.focus();
  };

  return (
    <div className="transport" role="group" aria-label="Playback controls">
      <SeekBar {...position} />
      <div className="transport-bar">
        <button type="button" className="play-pause" disabled={disabled} onClick={togglePlay} aria-keyshortcuts="k">
          <ControlIcon name={playing ? 'pause' : 'play'} />
          <span className="control-label">{playing ? 'Pause' : 'Play'}</span>
        </button>
        <PositionReadout time={time} duration={duration} chapters={chapters} />
        {children}
        {fullscreen?.supported && (
          <button type="button" className="fullscreen" aria-pressed={fullscreen.active} onClick={fullscreen.toggle} aria-keyshortcuts="f">
            <ControlIcon name={fullscreen.active ? 'exit-fullscreen' : 'fullscreen'} />
            <span className="control-label">Full screen</span>
          </button>
        )}
        <button
          type="button"
          id={`${id}-more-button`}
          className="more-toggle"
          aria-expanded={moreOpen}
          aria-controls={`${id}-more`}
          onClick={() => setMoreOpen((v) => !v)}
        >
          <ControlIcon name="more" />
          <span className="control-label">More controls</span>
        </button>
        {/* Not a landmark or a menu: a group of ordinary controls, shown or hidden (disclosure). */}
        <div className="transport-extras" id={`${id}-more`} data-open={moreOpen} onKeyDown={onExtrasKey}>
          {extras}
          <ChapterMenu {...position} />
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
        </div>
      </div>
    </div>
  );
}
