// The element's attribute rules and the React props that map onto them (attributes.ts), the
// events a store change makes (events.ts), and the shadow-root CSS (stylesheet.ts's shadowCss).
import { describe, expect, it } from 'vitest';

import { initialPlayerState, type PlayerState } from '../player/store';
import type { PlaybackStats, ProgrammeInfo } from '../player/protocol';
import { attributesFromProps, audioAllowed, contextChange, contextFromAttributes, parseFlag, parseSeconds, programmeRequest } from './attributes';
import { playerEvents } from './events';
import { shadowCss } from './stylesheet';

const attributes = (values: Record<string, string>) => (name: string) => values[name] ?? null;

describe('attributes', () => {
  it('reads yes/no presets: present or "true"/"on"/"yes" is yes, "false"/"off"/"no" is no, else unset', () => {
    expect(['', 'true', 'ON', 'yes'].map(parseFlag)).toEqual([true, true, true, true]);
    expect(['false', 'off', 'No'].map(parseFlag)).toEqual([false, false, false]);
    expect([null, 'maybe'].map(parseFlag)).toEqual([undefined, undefined]);
  });

  it('reads seconds ≥ 0 and refuses the rest', () => {
    expect(['0', '60', '2.5'].map(parseSeconds)).toEqual([0, 60, 2.5]);
    expect([null, '', '-1', 'soon', 'Infinity'].map(parseSeconds)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('turns the presets into viewer-context keys, leaving absent ones out', () => {
    expect(contextFromAttributes(attributes({ lang: 'cy', captions: '', sign: 'off', 'audio-description': 'true', duration: '120' }))).toEqual({
      language: 'cy',
      captions: true,
      signLanguage: false,
      audioDescription: true,
      timeAvailable: 120,
    });
    expect(contextFromAttributes(attributes({ duration: 'long', lang: ' ' }))).toEqual({});
  });

  it('unsets a key whose attribute went away (the programme default applies again)', () => {
    expect(contextChange('sign', null)).toEqual({ signLanguage: undefined });
    expect(contextChange('duration', '60')).toEqual({ timeAvailable: 60 });
  });

  it('resolves src against the page and reads at and paused', () => {
    const page = 'https://example.org/shows/index.html';
    expect(programmeRequest(attributes({ src: 'demo/programme.json', at: '12.5', paused: '' }), page)).toEqual({
      url: 'https://example.org/shows/demo/programme.json',
      at: 12.5,
      paused: true,
    });
    expect(programmeRequest(attributes({ src: '/p.json', at: 'x' }), page)).toEqual({ url: 'https://example.org/p.json', at: 0, paused: false });
    expect(programmeRequest(attributes({ src: '  ' }), page)).toBeNull();
  });

  it('maps React props onto the same attributes, null for those to remove', () => {
    expect(attributesFromProps({ src: '/p.json', at: 3, paused: true, captions: false, audioDescription: true, duration: 60, fontBase: '/f/' })).toEqual({
      src: '/p.json',
      at: '3',
      paused: '',
      lang: null,
      captions: 'false',
      sign: null,
      'audio-description': 'true',
      duration: '60',
      'font-base': '/f/',
      audio: null,
    });
    expect(attributesFromProps({ paused: false }).paused).toBeNull();
    expect(attributesFromProps({ audio: false }).audio).toBe('off');
    expect(attributesFromProps({ audio: true }).audio).toBeNull();
  });

  it('allows sound unless the audio attribute says no', () => {
    expect(audioAllowed(attributes({}))).toBe(true);
    expect(audioAllowed(attributes({ audio: '' }))).toBe(true);
    expect(audioAllowed(attributes({ audio: 'on' }))).toBe(true);
    expect(audioAllowed(attributes({ audio: 'off' }))).toBe(false);
    expect(audioAllowed(attributes({ audio: 'false' }))).toBe(false);
    expect(audioAllowed(attributes({ audio: 'NO' }))).toBe(false);
  });
});

describe('playerEvents', () => {
  const programme: ProgrammeInfo = {
    url: 'https://example.org/p.json',
    title: 'P',
    variables: [],
    duration: 8,
    width: 1280,
    height: 720,
    scenes: [{ id: 'a', start: 0, end: 8 }],
    captionLanguages: [],
    context: {},
  };
  const stats = (state: PlaybackStats['state'], time: number): PlaybackStats =>
    ({ state, time, duration: 8, firstFrameEpochMs: null, videoFrames: { opened: 0, closed: 0, open: 0 } }) as unknown as PlaybackStats;
  const base: PlayerState = { ...initialPlayerState };

  it('says ready once, with the tier', () => {
    const ready = { ...base, status: 'ready' as const, tier: 'simd' as const, loadMs: 120 };
    expect(playerEvents(base, ready)).toEqual([{ type: 'ready', detail: { tier: 'simd', loadMs: 120 } }]);
    expect(playerEvents(ready, { ...ready })).toEqual([]);
  });

  it('reports a new programme, a state change and the time, in that order', () => {
    const loaded = { ...base, programme };
    expect(playerEvents(base, loaded)).toEqual([
      { type: 'programme', detail: { url: programme.url, title: 'P', duration: 8, width: 1280, height: 720, scenes: [{ id: 'a', start: 0, end: 8 }] } },
    ]);
    const paused = { ...loaded, playback: stats('paused', 0.5) };
    expect(playerEvents(loaded, paused).map((e) => e.type)).toEqual(['statechange', 'timeupdate']);
    const moved = { ...paused, playback: stats('paused', 1) };
    expect(playerEvents(paused, moved)).toEqual([{ type: 'timeupdate', detail: { time: 1, duration: 8 } }]);
    const playing = { ...moved, playback: stats('playing', 1) };
    expect(playerEvents(moved, playing)).toEqual([{ type: 'statechange', detail: { state: 'playing' } }]);
  });

  it('reports a fatal error once and each new unusable file once', () => {
    const failed = { ...base, status: 'error' as const, error: { stage: 'programme', message: 'not valid' } };
    expect(playerEvents(base, failed)).toEqual([{ type: 'error', detail: { stage: 'programme', message: 'not valid', fatal: true } }]);
    const first = { stage: 'media' as const, file: 'a.webm', message: 'a.webm: HTTP 404' };
    const second = { stage: 'asset' as const, file: 'b.png', message: 'b.png: HTTP 404' };
    const one = { ...base, mediaErrors: [first] };
    const two = { ...one, mediaErrors: [first, second] };
    expect(playerEvents(one, two)).toEqual([{ type: 'error', detail: { stage: 'asset', file: 'b.png', message: 'b.png: HTTP 404', fatal: false } }]);
  });
});

describe('shadowCss', () => {
  it("moves the page's :root rules onto the host element", () => {
    expect(shadowCss(':root { --bg: #000; }\n:root, .x { color: red; }\n.rooted { }')).toBe(':host { --bg: #000; }\n:host, .x { color: red; }\n.rooted { }');
  });
});
