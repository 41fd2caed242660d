// The position slider with the programme's chapters: marks where each scene starts and a spoken
// value ("1 minute 5 seconds of 3 minutes, chapter: Intro"). Arrow keys move 5 seconds, Page
// Up/Down a chapter, Home/End the ends. Beside it in the control bar: the time with the chapter's
// name (PositionReadout) and the chapter menu (ChapterMenu), separate so the bar can lay them out
// on narrow screens (the slider on a row of its own, the menu among the extra controls).
import { useId, type KeyboardEvent } from 'react';

import { chapterAt, chapterName, formatTime, nextChapterStart, previousChapterStart, seekValueText, type Chapter } from '../player/chapters';

export interface SeekBarProps {
  time: number;
  duration: number;
  chapters: readonly Chapter[];
  disabled: boolean;
  onSeek: (time: number) => void;
}

const ARROW_SECONDS = 5;

/** `t` kept within the programme: 0 … duration. */
const within = (t: number, duration: number) => Math.min(Math.max(0, t), duration);

export function SeekBar({ time, duration, chapters, disabled, onSeek }: SeekBarProps) {
  const position = within(time, duration);
  const clamp = (t: number) => within(t, duration);

  // The slider's own steps are a frame long; keys move by amounts a viewer can follow.
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    let target: number | null = null;
    switch (event.key) {
      case 'ArrowLeft':
      case 'ArrowDown':
        target = position - ARROW_SECONDS;
        break;
      case 'ArrowRight':
      case 'ArrowUp':
        target = position + ARROW_SECONDS;
        break;
      case 'PageDown':
        target = previousChapterStart(chapters, position);
        break;
      case 'PageUp':
        target = nextChapterStart(chapters, position) ?? duration;
        break;
      case 'Home':
        target = 0;
        break;
      case 'End':
        target = duration;
        break;
    }
    if (target === null || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    onSeek(clamp(target));
  };

  return (
    <div className="seek">
      <div className="seek-track">
        <input
          autoComplete="off"
          className="seek-slider"
          type="range"
          aria-label="Position in the programme"
          min={0}
          max={duration}
          step="any"
          value={position}
          aria-valuetext={seekValueText(chapters, position, duration)}
          disabled={disabled}
          onKeyDown={onKeyDown}
          onChange={(event) => onSeek(clamp(Number(event.currentTarget.value)))}
        />
        {duration > 0 && (
          <div className="chapter-marks" aria-hidden="true">
            {chapters
              .filter((c) => c.start > 0 && c.start < duration)
              .map((c) => (
                <span key={`${c.id}-${c.start}`} className="chapter-mark" style={{ left: `${(100 * c.start) / duration}%` }} title={chapterName(c)} />
              ))}
          </div>
        )}
      </div>
    </div>
  );
}

/** "0:40 / 3:00 · Chapter name". */
export function PositionReadout({ time, duration, chapters }: Pick<SeekBarProps, 'time' | 'duration' | 'chapters'>) {
  const position = within(time, duration);
  const chapter = chapterAt(chapters, position);
  return (
    <p className="seek-time">
      <span className="time-readout">
        {formatTime(position)} / {formatTime(duration)}
      </span>
      {chapter && <span className="chapter-name"> · {chapterName(chapter)}</span>}
    </p>
  );
}

/** The chapters as a native select: picking one goes to its start (nothing with one chapter). */
export function ChapterMenu({ time, duration, chapters, disabled, onSeek }: SeekBarProps) {
  const id = useId();
  if (chapters.length <= 1) return null;
  const chapter = chapterAt(chapters, within(time, duration));
  return (
    <div className="chapter-select">
      <label htmlFor={`${id}-chapter`}>Chapter</label>
      <select
        autoComplete="off"
        id={`${id}-chapter`}
        value={chapter ? String(chapters.indexOf(chapter)) : ''}
        disabled={disabled}
        onChange={(event) => {
          const picked = chapters[Number(event.currentTarget.value)];
          if (picked) onSeek(within(picked.start, duration));
        }}
      >
        {chapters.map((c, i) => (
          <option key={`${c.id}-${c.start}`} value={String(i)}>
            {formatTime(c.start)} {chapterName(c)}
          </option>
        ))}
      </select>
    </div>
  );
}
