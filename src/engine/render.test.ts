// The engine composes a plan's frame itself: the same bytes from both wasm tiers, graphics and
// images drawn in Node (no decoder needed), video frames drawn from the planes handed in.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TesseraEngine, VideoFrameData } from './engine';
import golden from './golden.json';
import { loadEngineNode } from './load-node';

const root = process.cwd();
const samplePath = path.join(root, 'docs/examples/sample-programme.json');
const font = readFileSync(path.join(root, 'public/fonts/DejaVuSans.ttf'));

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// A synthetic 64×36 BT.709 I420 frame: a horizontal luma ramp, flat chroma.
function syntheticFrame(): VideoFrameData {
  const width = 64, height = 36, cw = 32, ch = 18;
  const planes = new Uint8Array(width * height + 2 * cw * ch);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) planes[y * width + x] = 16 + Math.floor((x * 219) / 63);
  planes.fill(128, width * height);
  return {
    timestampUs: 0, width, height, format: 'I420', colour: { matrix: 'bt709', fullRange: false }, planes,
    layout: [{ offset: 0, stride: width }, { offset: width * height, stride: cw }, { offset: width * height + cw * ch, stride: cw }],
  };
}

async function engineFor(tier: 'simd' | 'scalar'): Promise<TesseraEngine> {
  const engine = await loadEngineNode({ tier });
  const report = engine.loadProgramme(readFileSync(samplePath, 'utf8'));
  expect(report.ok).toBe(true);
  return engine;
}

describe.each(['simd', 'scalar'] as const)('engine rendering (%s tier)', (tier) => {
  let engine: TesseraEngine;
  beforeAll(async () => {
    engine = await engineFor(tier);
  });
  afterAll(() => engine.dispose());

  it('draws the compositor and graphics reference frames to their golden hashes', () => {
    const hashes = engine.referenceHashes(font);
    expect(hashes.compose).toBe(golden.composeReference.sha256);
    expect(hashes.graphics).toBe(golden.graphicsReference.sha256);
    expect(hashes.captions).toBe(golden.captionsReference.sha256);
  });

  it('says which video frames and assets a moment of the plan needs', () => {
    engine.resolve({ timeOfDay: 14 });
    const needs = engine.mediaAt(0.5, 1);
    expect(needs.layout).toEqual({ width: 1280, height: 720 });  // the landscape layout
    expect(needs.video.length).toBeGreaterThan(0);
    for (const v of needs.video) {
      expect(v.object).toMatch(/^[^/]+\/[^/]+$/);
      expect(v.src).toMatch(/\.(webm|mp4)$/);
      expect(v.mediaTime).toBeGreaterThanOrEqual(0);
    }
    expect(needs.assets.map((a) => a.asset).sort()).toEqual(['logo', 'ui-font']);
  });

  it('asks for the captions file the plan shows and reports the text of the cues on screen', () => {
    engine.resolve({ timeOfDay: 14, captions: true, language: 'en' });
    const needs = engine.mediaAt(0.5, 0);
    const captions = needs.assets.find((a) => a.type === 'captions');
    expect(captions).toEqual({ asset: 'captions-en', type: 'captions', src: 'captions/sample.en.vtt', format: 'webvtt' });
    expect(engine.renderFrame(0.5).captions).toEqual([]); // not handed in yet: nothing to show
    engine.addAsset(captions!.asset, readFileSync(path.resolve(path.dirname(samplePath), captions!.src)));
    expect(engine.mediaAt(0.5, 0).assets.some((a) => a.type === 'captions')).toBe(false);
    // The captions object starts with the intro scene, at 3 s: its cues are timed from there.
    expect(engine.renderFrame(0.5).captions).toEqual([]);
    expect(engine.renderFrame(3.5).captions).toEqual(['This is how object-based media works.']);
    expect(engine.renderFrame(6).captions).toEqual(['Every viewer gets their own version.']);
    expect(engine.renderFrame(9.6).captions).toEqual([]); // the object has ended
    // Without captions in the viewer's context the object is not in the plan.
    engine.resolve({ timeOfDay: 14, captions: false, language: 'en' });
    expect(engine.renderFrame(3.5).captions).toEqual([]);
    expect(() => engine.addAsset('captions-en', new TextEncoder().encode('not a caption file'))).toThrow(/captions-en/);
  });

  it('reports video it was not given, draws what it has, and refuses bad frames', () => {
    engine.resolve({ timeOfDay: 14 });
    const needs = engine.mediaAt(0.5, 0);
    const report = engine.renderFrame(0.5);
    expect(report.width).toBe(1280);
    expect(report.missing.sort()).toEqual(needs.video.filter((v) => v.active).map((v) => v.object).sort());
    const bad = { ...syntheticFrame(), layout: [{ offset: 0, stride: 8 }, { offset: 0, stride: 8 }, { offset: 0, stride: 8 }] };
    expect(() => engine.setVideoFrame(needs.video[0]!.object, bad)).toThrow(/does not fit/);
  });

  it('draws a handed-in video frame into its region', () => {
    engine.resolve({ timeOfDay: 14 });
    const needs = engine.mediaAt(0.5, 0);
    const blank = engine.withFramePixels((p) => sha256(new Uint8Array(p.buffer, p.byteOffset, p.byteLength)));
    for (const v of needs.video.filter((x) => x.active)) engine.setVideoFrame(v.object, syntheticFrame());
    const report = engine.renderFrame(0.5);
    expect(report.missing).toEqual([]);
    const drawn = engine.withFramePixels((p, width, height) => {
      // The ramp's left edge is dark, its right edge light (full-frame region, cover fit).
      const row = Math.floor(height / 2) * width;
      const left = p[(row + 10) * 4], right = p[(row + width - 20) * 4];
      return { left, right, hash: sha256(new Uint8Array(p.buffer, p.byteOffset, p.byteLength)) };
    });
    expect(drawn.left).toBeLessThan(40);
    expect(drawn.right).toBeGreaterThan(200);
    expect(drawn.hash).not.toBe(blank);
  });
});

describe('engine rendering across tiers', () => {
  it('gives the same bytes in the SIMD and scalar tiers for graphics, images and video', async () => {
    const hashes: string[] = [];
    for (const tier of ['simd', 'scalar'] as const) {
      const engine = await engineFor(tier);
      try {
        engine.resolve({ timeOfDay: 14, viewerName: 'Siân' });
        const needs = engine.mediaAt(2, 0);
        for (const a of needs.assets) engine.addAsset(a.asset, readFileSync(path.resolve(path.dirname(samplePath), a.src)));
        for (const v of needs.video.filter((x) => x.active)) engine.setVideoFrame(v.object, syntheticFrame());
        const frameHashes: string[] = [];
        for (const t of [0.25, 2, 4.5, 7]) {
          engine.renderFrame(t);
          frameHashes.push(engine.withFramePixels((p) => sha256(new Uint8Array(p.buffer, p.byteOffset, p.byteLength))));
        }
        hashes.push(frameHashes.join(','));
      } finally {
        engine.dispose();
      }
    }
    expect(hashes[0]).toBe(hashes[1]);
  });
});
