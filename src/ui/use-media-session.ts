// The Media Session: the programme's title for the system's media controls (lock screen,
// keyboard media keys, headset buttons), their actions wired to the player, and the position.
// Previous/next track move between chapters (the plan's scenes).
import { useEffect, useRef } from 'react';

import { nextChapterStart, previousChapterStart, type Chapter } from '../player/chapters';

export interface MediaSessionState {
  title: string | null;
  state: 'paused' | 'playing' | 'ended' | null;
  time: number;
  duration: number;
  rate: number;
  chapters: readonly Chapter[];
}

export interface MediaSessionCommands {
  play(): void;
  pause(): void;
  seek(time: number): void;
}

/** Seconds the seek-backward/forward actions move when the system gives no offset. */
const SKIP_SECONDS = 10;

function session(): MediaSession | null {
  return typeof navigator !== 'undefined' && 'mediaSession' in navigator ? navigator.mediaSession : null;
}

export function useMediaSession(state: MediaSessionState, commands: MediaSessionCommands): void {
  // Handlers read the latest state through a ref, so they are registered once.
  const latest = useRef({ state, commands });
  latest.current = { state, commands };

  useEffect(() => {
    const media = session();
    if (!media) return;
    const clamp = (t: number) => Math.min(Math.max(0, t), latest.current.state.duration);
    const handlers: [MediaSessionAction, MediaSessionActionHandler][] = [
      ['play', () => latest.current.commands.play()],
      ['pause', () => latest.current.commands.pause()],
      ['seekbackward', (d) => latest.current.commands.seek(clamp(latest.current.state.time - (d.seekOffset ?? SKIP_SECONDS)))],
      ['seekforward', (d) => latest.current.commands.seek(clamp(latest.current.state.time + (d.seekOffset ?? SKIP_SECONDS)))],
      ['seekto', (d) => d.seekTime !== undefined && latest.current.commands.seek(clamp(d.seekTime))],
      ['previoustrack', () => latest.current.commands.seek(previousChapterStart(latest.current.state.chapters, latest.current.state.time))],
      [
        'nexttrack',
        () => {
          const next = nextChapterStart(latest.current.state.chapters, latest.current.state.time);
          if (next !== null) latest.current.commands.seek(next);
        },
      ],
    ];
    for (const [action, handler] of handlers) {
      try {
        media.setActionHandler(action, handler);
      } catch {
        // an action this browser does not know
      }
    }
    return () => {
      for (const [action] of handlers) {
        try {
          media.setActionHandler(action, null);
        } catch {
          // as above
        }
      }
    };
  }, []);

  useEffect(() => {
    const media = session();
    if (!media || state.title === null || typeof MediaMetadata === 'undefined') return;
    media.metadata = new MediaMetadata({ title: state.title || 'Tessera programme', artist: 'Tessera' });
  }, [state.title]);

  useEffect(() => {
    const media = session();
    if (!media) return;
    media.playbackState = state.state === 'playing' ? 'playing' : state.state === null ? 'none' : 'paused';
    if (state.duration > 0 && typeof media.setPositionState === 'function') {
      try {
        media.setPositionState({ duration: state.duration, playbackRate: state.rate > 0 ? state.rate : 1, position: Math.min(Math.max(0, state.time), state.duration) });
      } catch {
        // a browser that refuses the numbers (they are checked above): the position is optional
      }
    }
  }, [state.state, state.time, state.duration, state.rate]);
}
