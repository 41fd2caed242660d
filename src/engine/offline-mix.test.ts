// The PCM mix fixture (fixtures/programmes/audio-pcm.json) rendered offline in Node with the
// scripted control changes: its SHA-256 is the one in src/engine/golden.json that every browser
// must also give (e2e/audio-mix.spec.ts), in both engine tiers and on a second run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import golden from './golden.json' with { type: 'json' };
import type { TesseraEngine } from './engine';
import { loadEngineNode } from './load-node';
import { offlineMix } from './offline-mix';

const file = path.resolve(process.cwd(), 'fixtures/programmes/audio-pcm.json');
const text = readFileSync(file, 'utf8');

const engines: TesseraEngine[] = [];
afterAll(() => engines.forEach((e) => e.dispose()));

describe('the offline mix of the PCM fixture', () => {
  it('hashes to the golden value in both tiers, run after run', { timeout: 60_000 }, async () => {
    const seen: string[] = [];
    for (const tier of ['simd', 'scalar', 'simd'] as const) {
      const engine = await loadEngineNode({ tier });
      engines.push(engine);
      const mix = await offlineMix(engine, text, (src) => new Uint8Array(readFileSync(path.resolve(path.dirname(file), src))));
      expect(mix.frames).toBe(5 * 48000);
      seen.push(mix.sha256);
    }
    expect(seen).toEqual([golden.audioMix.sha256, golden.audioMix.sha256, golden.audioMix.sha256]);
  });
});

describe('the mix does not amplify decoder differences', () => {
  it('PCM differing by ±5e-8 (what browsers’ Opus and AAC decoders differ by) gives outputs as close', { timeout: 60_000 }, async () => {
    // Dialogue, music and effects as generated noise; the same again with every sample moved by
    // ±5e-8, then both mixed with the fixture's control script (balance, volume, loudness target).
    const programme = JSON.stringify({
      format: 'tessera-programme', version: 1, id: 'amplify', title: 'Decoder differences',
      variables: { balance: { type: 'number', default: 0.4, min: 0, max: 1, context: 'dialogueBalance' } },
      assets: {
        d: { type: 'audio', src: 'd.wav', duration: 2, role: 'dialogue', importance: 3, loudness: -30 },
        m: { type: 'audio', src: 'm.wav', duration: 2, role: 'music', importance: 1, loudness: -40 },
      },
      layouts: { tv: { width: 640, height: 360, regions: {} } },
      beginnings: [{ scene: 's' }],
      scenes: { s: { duration: 2, objects: [{ id: 'd', asset: 'd' }, { id: 'm', asset: 'm', fadeIn: 0.5 }] } },
    });
    const frames = 96_000;
    const base = (seed: number) => {
      const out = new Float32Array(frames * 2);
      let s = seed >>> 0;
      for (let i = 0; i < out.length; i++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        out[i] = 0.25 * ((s | 0) / 2147483648);
      }
      return out;
    };
    const nudged = (x: Float32Array) => x.map((v, i) => Math.fround(v + (i % 2 ? 5e-8 : -5e-8)));
    const render = async (d: Float32Array, m: Float32Array) => {
      const engine = await loadEngineNode({ tier: 'simd' });
      engines.push(engine);
      expect(engine.loadProgramme(programme).ok).toBe(true);
      engine.resolve({});
      engine.pushAudio('s/d', 0, d, 2, 48_000);
      engine.pushAudio('s/m', 0, m, 2, 48_000);
      engine.scheduleAudioControls(30_000, { volumeDb: 6, loudnessTarget: -16 });
      return engine.renderAudio(0, frames);
    };
    const d = base(1), m = base(2);
    const dn = nudged(d), mn = nudged(m);
    const a = await render(d, m);
    const b = await render(dn, mn);
    let inDiff = 0, outDiff = 0;
    for (let i = 0; i < d.length; i++) inDiff = Math.max(inDiff, Math.abs(dn[i]! - d[i]!));
    for (let i = 0; i < a.length; i++) outDiff = Math.max(outDiff, Math.abs(a[i]! - b[i]!));
    // The largest gain any object gets here: +7 dB normalisation, +6 dB volume, +7 dB target.
    const maxGain = 10 ** ((7 + 6 + 7) / 20);
    expect(inDiff).toBeGreaterThan(4e-8);
    expect(outDiff).toBeLessThanOrEqual(2 * inDiff * maxGain);
    console.info(`decoder-difference test: input max diff ${inDiff.toExponential(2)}, output max diff ${outDiff.toExponential(2)} (bound ${(2 * inDiff * maxGain).toExponential(2)})`);
  });
});
