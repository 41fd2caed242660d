import { describe, expect, it } from 'vitest';

import type { FrameReport, PlaybackStats, ProgrammeInfo } from './protocol';
import { MEDIA_ERROR_LIMIT, applyWorkerMessage, initialPlayerState, median } from './store';

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

  it('keeps playing when an opened programme is refused, and lists why', () => {
    const playing = { ...initialPlayerState, status: 'ready' as const };
    const diagnostics = [{ severity: 'error' as const, pointer: '/scenes/a/duration', message: 'expected a number', line: 9, column: 20 }];
    const s = applyWorkerMessage(playing, { type: 'error', stage: 'programme', file: 'show/programme.json', message: 'not valid', diagnostics, kept: true });
    expect(s.status).toBe('ready');
    expect(s.error).toBeNull();
    expect(s.rejected).toEqual({ stage: 'programme', file: 'show/programme.json', message: 'not valid', diagnostics });
    const fatal = applyWorkerMessage(playing, { type: 'error', stage: 'programme', file: '/p.json', message: 'not valid', diagnostics });
    expect(fatal.status).toBe('error');
    expect(fatal.error?.diagnostics).toEqual(diagnostics);
  });

  it('forgets the choices answered when the viewer opens another programme', () => {
    const info: ProgrammeInfo = { url: 'show/programme.json', local: true, title: 'P', duration: 8, width: 1280, height: 720, scenes: [], captionLanguages: [], variables: [], context: {} };
    const before = { ...initialPlayerState, context: { captions: true, choices: { intro: 'detail' } }, rejected: { stage: 'programme', message: 'x' } };
    const s = applyWorkerMessage(before, { type: 'programme', programme: info });
    expect(s.context).toEqual({ captions: true });
    expect(s.rejected).toBeNull();
    const fromSite = applyWorkerMessage(before, { type: 'programme', programme: { ...info, url: '/p.json', local: false } });
    expect(fromSite.context.choices).toEqual({ intro: 'detail' });
  });

  it('keeps the programme and the latest playback report', () => {
    const programme: ProgrammeInfo = { url: '/p.json', title: 'P', duration: 8, width: 1280, height: 720, scenes: [{ id: 'a', start: 0, end: 8 }], captionLanguages: [], variables: [], context: {} };
    const stats = (presented: number): PlaybackStats => ({
      state: 'playing', time: presented / 60, duration: 8, rate: 1, presented, late: 0, dropped: 1, decodeQueue: 4, readers: 2,
      composeMs: 2.5, composeMedianMs: 2.4, cadence: 'animation-frame', videoFrames: { opened: 10, closed: 10, open: 0 }, firstFrameEpochMs: 123.4,
    });
    let s = applyWorkerMessage(initialPlayerState, { type: 'ready', tier: 'simd', loadMs: 1, heapBytes: 1 });
    s = applyWorkerMessage(s, { type: 'programme', programme });
    expect(s.programme).toEqual(programme);
    s = applyWorkerMessage(s, { type: 'stats', stats: stats(10) });
    s = applyWorkerMessage(s, { type: 'stats', stats: stats(20) });
    expect(s.playback?.presented).toBe(20);
    expect(s.status).toBe('ready');
    // Loading another programme starts its report afresh.
    s = applyWorkerMessage(s, { type: 'programme', programme: { ...programme, url: '/q.json' } });
    expect(s.playback).toBeNull();
  });

  it('keeps the caption text on screen, and clears it when another programme loads', () => {
    const programme: ProgrammeInfo = { url: '/p.json', title: 'P', duration: 8, width: 1280, height: 720, scenes: [], captionLanguages: ['cy', 'en'], variables: [], context: { captions: true, captionsLanguage: 'en' } };
    let s = applyWorkerMessage(initialPlayerState, { type: 'programme', programme });
    expect(s.captions).toEqual([]);
    s = applyWorkerMessage(s, { type: 'captions', text: ['Croeso.', 'Welcome.'] });
    expect(s.captions).toEqual(['Croeso.', 'Welcome.']);
    s = applyWorkerMessage(s, { type: 'captions', text: [] });
    expect(s.captions).toEqual([]);
    s = applyWorkerMessage(s, { type: 'captions', text: ['Hello'] });
    // A context change re-resolves the programme in place: its facts change, nothing is reset.
    s = applyWorkerMessage(s, { type: 'programme-changed', programme: { ...programme, duration: 6 } });
    expect(s.programme?.duration).toBe(6);
    expect(s.captions).toEqual(['Hello']);
    s = applyWorkerMessage(s, { type: 'context-applied', epochMs: 1234.5, time: 3.5 });
    expect(s.contextApplied).toEqual({ epochMs: 1234.5, time: 3.5 });
    s = applyWorkerMessage(s, { type: 'programme', programme: { ...programme, url: '/q.json' } });
    expect(s.captions).toEqual([]);
  });

  it('lists media and asset errors without stopping the player, bounded', () => {
    let s = applyWorkerMessage(initialPlayerState, { type: 'ready', tier: 'simd', loadMs: 1, heapBytes: 1 });
    s = applyWorkerMessage(s, { type: 'error', stage: 'media', file: '../media/x.webm', message: 'x.webm: HTTP 404' });
    expect(s.status).toBe('ready');
    expect(s.error).toBeNull();
    expect(s.mediaErrors).toEqual([{ stage: 'media', file: '../media/x.webm', message: 'x.webm: HTTP 404' }]);
    for (let i = 0; i < 30; i++) s = applyWorkerMessage(s, { type: 'error', stage: 'asset', file: `f${i}.ttf`, message: 'HTTP 404' });
    expect(s.mediaErrors).toHaveLength(MEDIA_ERROR_LIMIT);
    expect(s.mediaErrors.at(-1)?.file).toBe('f29.ttf');
    // The asset's id, type and role come along for the plain-language message.
    s = applyWorkerMessage(s, { type: 'error', stage: 'media', file: 'signer.webm', message: 'm', asset: 'signer', assetType: 'video', role: 'sign' });
    expect(s.mediaErrors.at(-1)).toEqual({ stage: 'media', file: 'signer.webm', message: 'm', asset: 'signer', assetType: 'video', role: 'sign' });
    // A programme that cannot be loaded is fatal.
    s = applyWorkerMessage(s, { type: 'error', stage: 'programme', message: 'HTTP 404' });
    expect(s.status).toBe('error');
  });

  it('leaves state alone for presentation-only messages', () => {
    const pixels = applyWorkerMessage(initialPlayerState, { type: 'pixels', width: 1, height: 1, pixels: new ArrayBuffer(4) });
    const capture = applyWorkerMessage(initialPlayerState, { type: 'capture', id: 1, capture: null, error: 'none' });
    expect(pixels).toBe(initialPlayerState);
    expect(capture).toBe(initialPlayerState);
  });

  it('median handles odd, even and empty inputs', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
