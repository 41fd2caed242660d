// Whether playback is waiting for media ("buffering"), judged from two successive playback
// reports: while playing, video frames arriving late in a row, or the position not moving, mean
// the decoders are not keeping up. Pure, for unit tests.
import type { PlaybackCounters } from './playback';

/** Late frames between two reports (a quarter-second apart) that count as waiting for media. */
export const LATE_FRAMES_WAITING = 3;

export function isBuffering(previous: PlaybackCounters | null, next: PlaybackCounters | null): boolean {
  if (!previous || !next || next.state !== 'playing' || previous.state !== 'playing') return false;
  if (next.late - previous.late >= LATE_FRAMES_WAITING) return true;
  // Still playing, yet the position stood still and nothing new was presented: stalled.
  return next.time === previous.time && next.presented === previous.presented;
}
