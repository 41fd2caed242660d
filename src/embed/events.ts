// The element's events, derived from the player store's changes: a pure function of the state
// before and after, so what fires when is unit-tested without a browser.
import type { PlayerState } from '../player/store';
import type { ErrorStage, ProgrammeInfo } from '../player/protocol';
import type { TesseraPlayerEvent, TesseraProgrammeDetail } from './types';

export function programmeDetail(programme: ProgrammeInfo): TesseraProgrammeDetail {
  return {
    url: programme.url,
    title: programme.title,
    duration: programme.duration,
    width: programme.width,
    height: programme.height,
    scenes: programme.scenes.map((s) => ({ ...s })),
  };
}

const ERROR_STAGES: readonly ErrorStage[] = ['load', 'font', 'render', 'programme', 'media', 'asset'];

/** The store keeps a fatal error's stage as text; it comes from the worker's ErrorStage values. */
function errorStage(stage: string): ErrorStage {
  return ERROR_STAGES.find((s) => s === stage) ?? 'render';
}

/** The events one store change makes, in the order a page expects them. */
export function playerEvents(prev: PlayerState, next: PlayerState): TesseraPlayerEvent[] {
  const events: TesseraPlayerEvent[] = [];
  if (next.status === 'ready' && prev.status !== 'ready' && next.tier) {
    events.push({ type: 'ready', detail: { tier: next.tier, loadMs: next.loadMs ?? 0 } });
  }
  if (next.programme && next.programme !== prev.programme) {
    events.push({ type: 'programme', detail: programmeDetail(next.programme) });
  }
  const playback = next.playback;
  if (playback) {
    const before = prev.playback;
    if (!before || before.state !== playback.state) events.push({ type: 'statechange', detail: { state: playback.state } });
    if (!before || before.time !== playback.time || before.duration !== playback.duration) {
      events.push({ type: 'timeupdate', detail: { time: playback.time, duration: playback.duration } });
    }
  }
  if (next.error && next.error !== prev.error) {
    events.push({ type: 'error', detail: { stage: errorStage(next.error.stage), message: next.error.message, fatal: true } });
  }
  for (const problem of next.mediaErrors) {
    if (prev.mediaErrors.includes(problem)) continue;
    events.push({ type: 'error', detail: { stage: problem.stage, message: problem.message, file: problem.file, fatal: false } });
  }
  return events;
}
