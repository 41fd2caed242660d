import { describe, expect, it } from 'vitest';

import type { FrameReport } from './protocol';
import { applyWorkerMessage, initialPlayerState, median } from './store';

const report = (renderMs: number): FrameReport => ({
  width: 1280,
  height: 720,
  renderMs,
  presentMs: 0.5,
  sha256: 'ab'.repeat(32),
  heapBytes: 1 << 25,
});

describe('player store transitions', () => {
  it('becomes ready with the engine tier and load time', () => {
    const s = applyWorkerMessage(initialPlayerState, { type: 'ready', tier: 'scalar', loadMs: 12, heapBytes: 100 });
    expect(s.status).toBe('ready');
    expect(s.tier).toBe('scalar');
    expect(s.loadMs).toBe(12);
  });

  it('keeps the latest frame and a bounded window of render times', () => {
    let s = initialPlayerState;
    for (let i = 0; i < 40; i++) s = applyWorkerMessage(s, { type: 'frame', report: report(i) });
    expect(s.frame?.renderMs).toBe(39);
    expect(s.renderTimes).toHaveLength(30);
    expect(s.renderTimes[0]).toBe(10);
  });

  it('records errors with their stage', () => {
    const s = applyWorkerMessage(initialPlayerState, { type: 'error', stage: 'font', message: 'HTTP 404' });
    expect(s.status).toBe('error');
    expect(s.error).toEqual({ stage: 'font', message: 'HTTP 404' });
  });

  it('median handles odd, even and empty inputs', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
