import { describe, expect, it } from 'vitest';

import { AUDIO_SETTINGS_STORAGE_KEY, DEFAULT_AUDIO_SETTINGS, LevelHistory, loadAudioSettings, rmsDb, sanitiseAudioSettings, saveAudioSettings } from './audio-settings';

class MemoryStorage {
  items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

describe('audio settings', () => {
  it('round-trips through storage and sanitises what comes back', () => {
    const storage = new MemoryStorage();
    expect(loadAudioSettings(storage)).toEqual(DEFAULT_AUDIO_SETTINGS);
    const settings = { volume: 0.5, muted: true };
    expect(saveAudioSettings(storage, settings)).toBe(true);
    expect(loadAudioSettings(storage)).toEqual(settings);
    storage.setItem(AUDIO_SETTINGS_STORAGE_KEY, '{"volume":-1,"muted":1}');
    expect(loadAudioSettings(storage)).toEqual({ volume: 0, muted: false });
    storage.setItem(AUDIO_SETTINGS_STORAGE_KEY, 'not json');
    expect(loadAudioSettings(storage)).toEqual(DEFAULT_AUDIO_SETTINGS);
    expect(sanitiseAudioSettings([1, 2])).toEqual(DEFAULT_AUDIO_SETTINGS);
    expect(loadAudioSettings(null)).toEqual(DEFAULT_AUDIO_SETTINGS);
    const denied = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); }, removeItem: () => {} };
    expect(loadAudioSettings(denied)).toEqual(DEFAULT_AUDIO_SETTINGS);
    expect(saveAudioSettings(denied, settings)).toBe(false);
  });
});

describe('LevelHistory', () => {
  it('measures 10 ms blocks across render calls of any size', () => {
    const history = new LevelHistory(480, 2);
    const samples = (frames: number, value: number) => new Float32Array(frames * 2).fill(value);
    history.add(0, samples(300, 0.5), 300);
    history.add(300, samples(300, 0.5), 300);
    history.add(600, samples(600, 0.05), 600);
    history.add(1200, samples(240, 0.05), 240);
    history.add(1440, samples(10, 0), 10); // closes the block at 960
    expect(history.blocks.map(([f]) => f)).toEqual([0, 480, 960]);
    expect(history.blocks[0]![1]).toBeCloseTo(20 * Math.log10(0.5), 6);
    expect(history.blocks[2]![1]).toBeCloseTo(20 * Math.log10(0.05), 6);
    expect(rmsDb(new Float32Array(4))).toBe(-Infinity);
  });
});
