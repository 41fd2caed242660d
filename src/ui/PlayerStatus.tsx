// What the player is waiting for, over the picture: loading (the engine, the programme, the first
// picture, with progress), buffering (playing but waiting for media), and failures in plain
// language, saying what still works.
import { useEffect, useRef, useState } from 'react';

import { isBuffering } from '../player/buffering';
import { describeMediaError } from '../player/media-errors';
import type { PlaybackStats } from '../player/protocol';
import type { ProgrammeProblem } from '../player/store';
import { ProgrammeDiagnostics } from './ProgrammeDiagnostics';
import { usePlayer } from './store-context';

/** The loading steps, in order, and how they read. */
const STEPS = ['Starting the player', 'Loading the programme', 'Preparing the first picture'] as const;

/** Which loading step the player is on (0-based), or null when loaded. */
function loadingStep(status: string, hasProgramme: boolean, stats: PlaybackStats | null): number | null {
  if (status === 'idle' || status === 'loading') return 0;
  if (status !== 'ready') return null;
  if (!hasProgramme) return 1;
  if (!stats || stats.firstFrameEpochMs === null) return 2;
  return null;
}

function fatalMessage(error: ProgrammeProblem): { what: string; works: string } {
  switch (error.stage) {
    case 'programme':
      return { what: 'The programme could not be played.', works: 'The player itself works: try another programme, or reload the page to try again.' };
    case 'render':
      return { what: 'The player could not draw the picture.', works: 'Reloading the page starts it afresh.' };
    default:
      return { what: 'The player could not start.', works: 'Reload the page to try again; another browser may work.' };
  }
}

export function PlayerStatus({ expectingProgramme }: { expectingProgramme: boolean }) {
  const status = usePlayer((s) => s.status);
  const error = usePlayer((s) => s.error);
  const stats = usePlayer((s) => s.playback);
  const hasProgramme = usePlayer((s) => s.programme !== null);
  const mediaErrors = usePlayer((s) => s.mediaErrors);

  // Buffering compares each report with the one before.
  const previous = useRef<PlaybackStats | null>(null);
  const [buffering, setBuffering] = useState(false);
  useEffect(() => {
    setBuffering(isBuffering(previous.current, stats));
    previous.current = stats;
  }, [stats]);

  if (status === 'error' && error) {
    const { what, works } = fatalMessage(error);
    return (
      <div className="player-status player-error" role="alert">
        <p className="player-status-title">{what}</p>
        <p>{works}</p>
        <p className="player-status-detail">Details: {error.message}</p>
        {error.diagnostics && <ProgrammeDiagnostics file={error.file} diagnostics={error.diagnostics} />}
      </div>
    );
  }

  const step = expectingProgramme ? loadingStep(status, hasProgramme, stats) : status === 'ready' ? null : 0;
  // One line per kind of missing file (a file fails once per reader; the same message repeats).
  const notices = [...new Set(mediaErrors.map((e) => describeMediaError(e)))];

  return (
    <>
      {/* The live region is always there, so a screen reader hears each state as it changes. */}
      <div className="player-status-region" role="status" aria-live="polite">
        {step !== null && (
          <div className="player-status player-loading">
            <div className="spinner" aria-hidden="true" />
            <p className="player-status-title">{STEPS[step]}…</p>
            <progress max={STEPS.length} value={step} aria-label={`Loading: step ${step + 1} of ${STEPS.length}`} />
          </div>
        )}
        {step === null && buffering && (
          <div className="player-status player-buffering">
            <div className="spinner" aria-hidden="true" />
            <p className="player-status-title">Waiting for the video…</p>
          </div>
        )}
      </div>
      {notices.length > 0 && (
        <ul className="player-notices" aria-label="Problems" aria-live="polite">
          {notices.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      )}
    </>
  );
}
