// The viewer's volume and mute, kept across reloads in localStorage: the engine's output controls.
// (Dialogue balance and audio description are viewer context, remembered with the other context
// preferences in preferences.ts.) What storage gives back is untrusted.
import type { PreferenceStorage as SettingsStorage } from './preferences';

export const AUDIO_SETTINGS_STORAGE_KEY = 'tessera.audioSettings.v1';

export interface AudioSettings {
  /** Master volume, linear 0…1. */
  volume: number;
  muted: boolean;
}

export const DEFAULT_AUDIO_SETTINGS: AudioSettings = { volume: 1, muted: false };

function unit(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : fallback;
}

/** Settings from untrusted data: numbers clamped to 0…1, booleans as booleans, the rest defaults. */
export function sanitiseAudioSettings(value: unknown): AudioSettings {
  const v = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const d = DEFAULT_AUDIO_SETTINGS;
  return {
    volume: unit(v.volume, d.volume),
    muted: typeof v.muted === 'boolean' ? v.muted : d.muted,
  };
}

export function loadAudioSettings(storage: SettingsStorage | null): AudioSettings {
  if (!storage) return { ...DEFAULT_AUDIO_SETTINGS };
  try {
    const text = storage.getItem(AUDIO_SETTINGS_STORAGE_KEY);
    if (text === null || text.length > 4096) return { ...DEFAULT_AUDIO_SETTINGS };
    return sanitiseAudioSettings(JSON.parse(text));
  } catch {
    return { ...DEFAULT_AUDIO_SETTINGS };
  }
}

export function saveAudioSettings(storage: SettingsStorage | null, settings: AudioSettings): boolean {
  if (!storage) return false;
  try {
    storage.setItem(AUDIO_SETTINGS_STORAGE_KEY, JSON.stringify(sanitiseAudioSettings(settings)));
    return true;
  } catch {
    return false;
  }
}

/** The engine controls part (setAudioControls): volume and mute. */
export function audioOutputControls(settings: AudioSettings): { volume: number; muted: boolean } {
  return { volume: settings.volume, muted: settings.muted };
}

/** Root-mean-square level in dBFS of interleaved samples (−Infinity for silence). */
export function rmsDb(samples: Float32Array, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
  const n = to - from;
  return n > 0 && sum > 0 ? 10 * Math.log10(sum / n) : -Infinity;
}

/**
 * The level of the rendered mix in fixed blocks of programme frames (for tests and meters): a
 * bounded history of [first frame, dBFS] per block.
 */
export class LevelHistory {
  readonly blockFrames: number;
  readonly channels: number;
  readonly #limit: number;
  readonly blocks: Array<[number, number]> = [];
  #blockStart = -1;
  #sum = 0;
  #count = 0;

  constructor(blockFrames = 480, channels = 2, limit = 4000) {
    this.blockFrames = blockFrames;
    this.channels = channels;
    this.#limit = limit;
  }

  /** Adds `frames` rendered frames starting at programme frame `frame`. */
  add(frame: number, samples: Float32Array, frames: number): void {
    const ch = this.channels;
    for (let i = 0; i < frames; i++) {
      const f = frame + i;
      const block = Math.floor(f / this.blockFrames) * this.blockFrames;
      if (block !== this.#blockStart) {
        this.#close();
        this.#blockStart = block;
      }
      for (let c = 0; c < ch; c++) {
        const s = samples[i * ch + c]!;
        this.#sum += s * s;
      }
      this.#count += ch;
    }
  }

  /** Discontinuity (a seek): the partial block is dropped. */
  reset(): void {
    this.#blockStart = -1;
    this.#sum = 0;
    this.#count = 0;
  }

  #close(): void {
    if (this.#blockStart >= 0 && this.#count > 0) {
      this.blocks.push([this.#blockStart, this.#sum > 0 ? 10 * Math.log10(this.#sum / this.#count) : -Infinity]);
      if (this.blocks.length > this.#limit) this.blocks.splice(0, this.blocks.length - this.#limit);
    }
    this.#sum = 0;
    this.#count = 0;
  }
}
