import { describe, expect, it } from 'vitest';

import { chapterAt, formatTime, nextChapterStart, previousChapterStart, seekValueText, spokenTime } from './chapters';

const chapters = [
  { id: 'greeting', title: 'Good afternoon', start: 0, end: 6 },
  { id: 'intro', title: 'What is it?', start: 6, end: 24 },
  { id: 'outro', start: 24, end: 34 },
];

describe('chapters', () => {
  it('finds the chapter at a time, boundaries belonging to the chapter that starts there', () => {
    expect(chapterAt(chapters, 0)?.id).toBe('greeting');
    expect(chapterAt(chapters, 5.99)?.id).toBe('greeting');
    expect(chapterAt(chapters, 6)?.id).toBe('intro');
    expect(chapterAt(chapters, 40)?.id).toBe('outro');
    expect(chapterAt([], 3)).toBeNull();
  });

  it('goes to the previous chapter near a start, else to the current one’s start', () => {
    expect(previousChapterStart(chapters, 7)).toBe(0);
    expect(previousChapterStart(chapters, 12)).toBe(6);
    expect(previousChapterStart(chapters, 1)).toBe(0);
    expect(nextChapterStart(chapters, 6)).toBe(24);
    expect(nextChapterStart(chapters, 30)).toBeNull();
  });

  it('formats times for the eye and for the ear, with the chapter', () => {
    expect(formatTime(65.9)).toBe('1:05');
    expect(formatTime(3725)).toBe('1:02:05');
    expect(formatTime(Number.NaN)).toBe('0:00');
    expect(spokenTime(61)).toBe('1 minute 1 second');
    expect(spokenTime(0)).toBe('0 seconds');
    expect(seekValueText(chapters, 7.5, 34)).toBe('7 seconds of 34 seconds, chapter: What is it?');
    expect(seekValueText(chapters, 30, 34)).toBe('30 seconds of 34 seconds, chapter: outro');
  });
});
