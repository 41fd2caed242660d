// The engine's programme audio through the typed API, in Node: a small inline programme, PCM
// generated here (sines and noise, no fixture files), the offline render's SHA-256 equal across
// the SIMD and scalar tiers, runs and chunkings, and a dialogue-balance change that lowers the
// music within 50 ms while the dialogue stays exactly as it was.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AUDIO_SAMPLE_RATE } from './audio';
import { EngineError, type TesseraEngine } from './engine';
import { loadEngineNode } from './load-node';

const RATE = AUDIO_SAMPLE_RATE;

// Dialogue (essential) and music (nice to have, -18 LUFS declared) for 4 s; an audio description
// from 0.5 s to 1 s that ducks the rest by 15 dB.
const PROGRAMME = JSON.stringify({
  format: 'tessera-programme',
  version: 1,
  id: 'audio-test',
  title: 'Audio test',
  variables: {
    balance: { type: 'number', default: 0, min: 0, max: 1, context: 'dialogueBalance' },
    ad: { type: 'boolean', default: false, context: 'audioDescription' },
  },
  assets: {
    speech: { type: 'audio', src: 'speech.webm', duration: 4, role: 'dialogue', importance: 3 },
    bed: { type: 'audio', src: 'bed.webm', duration: 4, role: 'music', importance: 1, loudness: -18 },
    described: {
      type: 'audio', src: 'ad.webm', duration: 0.5, role: 'description',
      duck: { depth: -15, attack: 0.1, release: 0.2 },
    },
  },
  layouts: { tv: { width: 1280, height: 720, regions: {} } },
  beginnings: [{ scene: 'one' }],
  scenes: {
    one: {
      duration: 4,
      objects: [
        { id: 'dialogue', asset: 'speech' },
        { id: 'music', asset: 'bed', gain: -2 },
        { id: 'ad', asset: 'described', start: 0.5, end: 1 },
      ],
    },
  },
});

function sine(freq: number, rate: number, amp: number, t0: number, frames: number, channels: number): Float32Array {
  const out = new Float32Array(frames * channels);
  for (let i = 0; i < frames; i++) {
    const s = amp * Math.sin(2 * Math.PI * freq * (t0 + i / rate));
    for (let c = 0; c < channels; c++) out[i * channels + c] = s;
  }
  return out;
}

// Deterministic noise in [-amp, amp): a 32-bit LCG, the same bits on every run.
function noise(frames: number, channels: number, amp: number, seed: number): Float32Array {
  const out = new Float32Array(frames * channels);
  let s = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (amp * ((s | 0) >> 8)) / 8388608;
  }
  return out;
}

function push(engine: TesseraEngine, object: string, pcm: Float32Array, channels: number, rate: number, mediaTime: number, chunk: number): void {
  const frames = pcm.length / channels;
  for (let pos = 0; pos < frames; pos += chunk) {
    const n = Math.min(chunk, frames - pos);
    engine.pushAudio(object, mediaTime + pos / rate, pcm.subarray(pos * channels, (pos + n) * channels), channels, rate);
  }
}

async function loaded(tier: 'simd' | 'scalar', context: Record<string, unknown> = {}): Promise<TesseraEngine> {
  const engine = await loadEngineNode({ tier });
  expect(engine.loadProgramme(PROGRAMME).ok).toBe(true);
  engine.resolve(context);
  return engine;
}

// Everything in the mix: 44.1 kHz music, 48 kHz dialogue, mono 16 kHz description, and a script
// of control changes at exact frames.
function pushAll(engine: TesseraEngine): void {
  push(engine, 'one/dialogue', noise(RATE, 2, 0.3, 1), 2, RATE, 0, 4096);
  push(engine, 'one/music', sine(220, 44100, 0.5, 0, 44100, 2), 2, 44100, 0, 4410);
  push(engine, 'one/ad', noise(8000, 1, 0.4, 3), 1, 16000, 0, 1600);
  engine.scheduleAudioControls(12_345, { dialogueBalance: 0.6 });
  engine.scheduleAudioControls(30_000, { volumeDb: 4, loudnessTarget: -16 });
  engine.scheduleAudioControls(40_001, { audioDescription: false });
}

function rms(x: Float32Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[2 * i]! * x[2 * i]!;
  return Math.sqrt(sum / (to - from));
}

describe('programme audio', () => {
  const engines: TesseraEngine[] = [];
  const make = async (tier: 'simd' | 'scalar', context: Record<string, unknown> = {}) => {
    const e = await loaded(tier, context);
    engines.push(e);
    return e;
  };
  afterAll(() => engines.forEach((e) => e.dispose()));

  let reference = '';
  beforeAll(async () => {
    const e = await make('simd', { audioDescription: true });
    pushAll(e);
    reference = e.audioSha256(0, RATE, 128);
  });

  it('lists the audio objects to decode, with their media times', async () => {
    const e = await make('simd');
    const needs = e.audioAt(0.25, 0.5);
    expect(needs.audio.map((a) => a.object)).toEqual(['one/dialogue', 'one/music', 'one/ad']);
    expect(needs.audio[0]).toMatchObject({ asset: 'speech', src: 'speech.webm', mediaTime: 0.25, start: 0, end: 4, active: true, queuedEnd: 0.25 });
    expect(needs.audio[2]).toMatchObject({ mediaTime: 0, start: 0.5, end: 1, active: false });
    push(e, 'one/dialogue', noise(RATE / 2, 2, 0.1, 9), 2, RATE, 0, 4800);
    expect(e.audioAt(0, 0).audio[0]!.queuedEnd).toBeCloseTo(0.5, 6);
    expect(() => e.pushAudio('one/nothing', 0, new Float32Array(4), 2, RATE)).toThrow(EngineError);
    expect(() => e.pushAudio('one/music', 0, new Float32Array(8), 4, RATE)).toThrow(/channels/);
    expect(() => e.setAudioControls({ dialogueBalance: 'high' as unknown as number })).toThrow(/must be a number/);
  });

  it('renders the same bytes in the SIMD and scalar tiers, across runs and chunkings', async () => {
    expect(reference).toMatch(/^[0-9a-f]{64}$/);
    const again = await make('simd', { audioDescription: true });
    pushAll(again);
    expect(again.audioSha256(0, RATE, 1000)).toBe(reference);
    const scalar = await make('scalar', { audioDescription: true });
    pushAll(scalar);
    expect(scalar.audioSha256(0, RATE, 128)).toBe(reference);

    // The same bytes through renderAudio's heap views, hashed here, in 128- and 1000-frame chunks.
    for (const [tier, chunk] of [['simd', 128], ['scalar', 1000]] as const) {
      const e = await make(tier, { audioDescription: true });
      pushAll(e);
      const hash = createHash('sha256');
      for (let f = 0; f < RATE; f += chunk) {
        const n = Math.min(chunk, RATE - f);
        e.withRenderedAudio(f, n, (samples) => {
          expect(samples.length).toBe(2 * n);
          hash.update(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
        });
      }
      expect(hash.digest('hex')).toBe(reference);
    }
    // And the mix is not silence, and the limiter kept it at bay.
    const stats = again.audioStats();
    expect(stats.loudnessTarget).toBe(-16);
    expect(stats.objects.map((o) => o.object)).toEqual(['one/dialogue', 'one/music', 'one/ad']);
  });

  it('moving the dialogue balance lowers the music within 50 ms and leaves the dialogue as it was', async () => {
    const change = 24_000;
    // One engine per object, so each object's level is measured alone; the change is made between
    // two renders, at the frame where the first ended, as a viewer's slider would.
    const levels = async (object: 'one/dialogue' | 'one/music') => {
      const e = await make('simd');
      push(e, object, sine(object === 'one/music' ? 300 : 500, RATE, 0.1, 0, RATE, 2), 2, RATE, 0, 4800);
      const before = e.renderAudio(0, change);
      e.setAudioControls({ dialogueBalance: 0.5 });
      const after = e.renderAudio(change, RATE - change);
      const gain = e.audioStats().objects.find((o) => o.object === object)!.gainDb;
      return { before: rms(before, change - 4800, change), after: rms(after, RATE / 20, RATE / 20 + 4800), gain };
    };
    const music = await levels('one/music');
    const dialogue = await levels('one/dialogue');
    // Importance 1 at balance 0.5: -60 × (0.5 / 0.75)² = -26.7 dB, complete within 50 ms (20 ms ramp).
    expect(20 * Math.log10(music.after / music.before)).toBeCloseTo(-26.67, 1);
    expect(music.gain).toBeCloseTo(-2 + (-23 + 18) - 26.67, 1);
    // The dialogue's factor is exactly 1: the level does not move at all.
    expect(dialogue.after).toBeCloseTo(dialogue.before, 6);
    expect(dialogue.gain).toBe(0);
  });

  it('turning audio description on mid-play adds the description and keeps the PCM already queued', async () => {
    const programme = JSON.parse(PROGRAMME) as { scenes: { one: { objects: Record<string, unknown>[] } } };
    programme.scenes.one.objects[2]!.when = { var: 'ad' };
    const e = await loaded('simd');
    engines.push(e);
    expect(e.loadProgramme(JSON.stringify(programme)).ok).toBe(true);
    e.resolve({ audioDescription: false });
    expect(e.audioAt(0, 2).audio.map((a) => a.object)).toEqual(['one/dialogue', 'one/music']);
    push(e, 'one/dialogue', noise(RATE / 2, 2, 0.1, 4), 2, RATE, 0, 4800);
    e.renderAudio(0, 9600);
    e.reresolve({ audioDescription: true }, 0.2);
    const needs = e.audioAt(0.2, 1);
    expect(needs.audio.map((a) => a.object)).toEqual(['one/dialogue', 'one/music', 'one/ad']);
    expect(needs.audio[0]!.queuedEnd).toBeCloseTo(0.5, 6);
    expect(e.audioStats().audioDescription).toBe(true);
    expect(rms(e.renderAudio(9600, 9600), 0, 9600)).toBeGreaterThan(0.03);
    expect(e.audioStats().objects[0]!.underrunFrames).toBe(0);
  });

  it('seeks, mutes and changes the loudness target through the API', async () => {
    const e = await make('simd');
    push(e, 'one/dialogue', sine(1000, 44100, 0.2, 0, 44100, 2), 2, 44100, 0, 4410);
    const quiet = rms(e.renderAudio(0, 9600), 4800, 9600);
    expect(quiet).toBeGreaterThan(0.1);
    e.setLoudnessTarget(-16);
    const louder = rms(e.renderAudio(9600, 9600), 4800, 9600);
    expect(20 * Math.log10(louder / quiet)).toBeCloseTo(7, 2);
    e.setAudioControls({ muted: true });
    expect(rms(e.renderAudio(19_200, 4800), 2400, 4800)).toBe(0);
    e.setAudioControls({ muted: false });
    e.audioSeek(2 * RATE);
    expect(e.audioAt(2, 0).audio[0]!.queuedEnd).toBe(2);  // nothing queued after the seek
    push(e, 'one/dialogue', sine(1000, 44100, 0.2, 2, 44100, 2), 2, 44100, 2, 4410);
    expect(rms(e.renderAudio(2 * RATE, 9600), 4800, 9600)).toBeCloseTo(louder, 3);
  });
});
