// Chapters of a programme: its planned scenes, with titles, as the seek bar shows them and the
// previous/next chapter commands use them. Pure, for unit tests.
import type { ProgrammeInfo } from './protocol';

export type Chapter = ProgrammeInfo['scenes'][number];

/** The chapter playing at `time` (the last one starting at or before it), or null before any. */
export function chapterAt(chapters: readonly Chapter[], time: number): Chapter | null {
  let found: Chapter | null = null;
  for (const chapter of chapters) {
    if (chapter.start <= time + 1e-6) found = chapter;
    else break;
  }
  return found;
}

export function chapterName(chapter: Chapter): string {
  return chapter.title && chapter.title !== '' ? chapter.title : chapter.id;
}

/**
 * Where "previous chapter" goes from `time`: the start of the current chapter when more than
 * `grace` seconds into it (as a CD player does), else the start of the one before.
 */
export function previousChapterStart(chapters: readonly Chapter[], time: number, grace = 3): number {
  const current = chapterAt(chapters, time);
  if (!current) return 0;
  if (time - current.start > grace) return current.start;
  const index = chapters.indexOf(current);
  return index > 0 ? chapters[index - 1]!.start : 0;
}

/** The start of the next chapter after `time`, or null in the last one. */
export function nextChapterStart(chapters: readonly Chapter[], time: number): number | null {
  for (const chapter of chapters) if (chapter.start > time + 1e-6) return chapter.start;
  return null;
}

/** m:ss (h:mm:ss from an hour), rounding down to whole seconds. */
export function formatTime(seconds: number): string {
  const total = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Spoken form of a time: "1 minute 5 seconds". */
export function spokenTime(seconds: number): string {
  const total = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  const m = Math.floor(total / 60);
  const s = total % 60;
  const parts: string[] = [];
  if (m > 0) parts.push(`${m} ${m === 1 ? 'minute' : 'minutes'}`);
  if (s > 0 || m === 0) parts.push(`${s} ${s === 1 ? 'second' : 'seconds'}`);
  return parts.join(' ');
}

/** The seek bar's aria-valuetext: the position, the duration and the chapter. */
export function seekValueText(chapters: readonly Chapter[], time: number, duration: number): string {
  const chapter = chapterAt(chapters, time);
  const where = `${spokenTime(time)} of ${spokenTime(duration)}`;
  return chapter ? `${where}, chapter: ${chapterName(chapter)}` : where;
}
