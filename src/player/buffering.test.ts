import { describe, expect, it } from 'vitest';

import { isBuffering } from './buffering';
import type { PlaybackCounters } from './playback';

const counters = (patch: Partial<PlaybackCounters>): PlaybackCounters => ({
  state: 'playing', time: 1, duration: 10, rate: 1, presented: 60, late: 0, dropped: 0, decodeQueue: 3, readers: 1,
  composeMs: 2, composeMedianMs: 2, cadence: 'animation-frame', ...patch,
});

describe('isBuffering', () => {
  it('is false while frames arrive on time', () => {
    expect(isBuffering(counters({}), counters({ time: 1.25, presented: 75, late: 1 }))).toBe(false);
  });
  it('is true when frames keep arriving late while playing', () => {
    expect(isBuffering(counters({ late: 2 }), counters({ time: 1.25, presented: 75, late: 6 }))).toBe(true);
  });
  it('is true when playing and nothing moves', () => {
    expect(isBuffering(counters({}), counters({}))).toBe(true);
  });
  it('is false when paused, ended or without a previous report', () => {
    expect(isBuffering(counters({ state: 'paused' }), counters({ state: 'paused' }))).toBe(false);
    expect(isBuffering(counters({}), counters({ state: 'ended' }))).toBe(false);
    expect(isBuffering(null, counters({}))).toBe(false);
  });
});
