import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { EngineError, TesseraEngine } from './engine';
import golden from './golden.json';
import { loadEngineNode } from './load-node';
import { wasmSimdSupported } from './simd';

const font = readFileSync(path.resolve(process.cwd(), 'public/fonts/DejaVuSans.ttf'));
const sha256 = (bytes: NodeJS.ArrayBufferView) => createHash('sha256').update(bytes).digest('hex');

describe('wasm engine in Node', () => {
  let engine: TesseraEngine;
  beforeAll(async () => {
    engine = await loadEngineNode({ tier: 'simd' });
    engine.addFont('sans', font);
  });
  afterAll(() => engine.dispose());

  it('draws the test card with the golden SHA-256 (determinism anchor)', () => {
    engine.renderTestCard(golden.testCard.width, golden.testCard.height);
    const hash = engine.withFramePixels((pixels) => sha256(new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength)));
    expect(hash, `Node wasm test card hash ${hash} differs from src/engine/golden.json`).toBe(golden.testCard.sha256);
  });

  it('gives the same bytes from the scalar build, loaded with the same glue', async () => {
    const scalar = await loadEngineNode({ tier: 'scalar' });
    try {
      expect(scalar.tier).toBe('scalar');
      scalar.addFont('sans', font);
      scalar.renderTestCard(golden.testCard.width, golden.testCard.height);
      expect(sha256(scalar.copyFrame().pixels)).toBe(golden.testCard.sha256);
    } finally {
      scalar.dispose();
    }
  });

  it('hands out frame copies that survive heap growth, and fresh views after it', () => {
    engine.renderTestCard(320, 180);
    const before = engine.copyFrame();
    const heapBefore = engine.heapBytes();
    engine.renderTestCard(4096, 4096); // 64 MiB frame: forces memory growth past the 32 MiB start
    expect(engine.heapBytes()).toBeGreaterThan(heapBefore);
    engine.renderTestCard(320, 180);
    const after = engine.withFramePixels((pixels, width, height) => {
      expect(pixels.buffer.byteLength).toBe(engine.heapBytes()); // the view is over the grown memory
      return { width, height, first: Array.from(pixels.subarray(0, 8)) };
    });
    expect(after.width).toBe(320);
    expect(after.height).toBe(180);
    expect(after.first).toEqual(Array.from(before.pixels.subarray(0, 8)));
    expect(sha256(before.pixels)).toBe(sha256(engine.copyFrame().pixels));
  });

  it('encodes the frame as a PNG of the right size', () => {
    engine.renderTestCard(64, 36);
    const png = engine.framePng();
    expect(Array.from(png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    const view = new DataView(png.buffer, png.byteOffset);
    expect(view.getUint32(16)).toBe(64);
    expect(view.getUint32(20)).toBe(36);
  });

  it('refuses bad fonts and sizes with an EngineError that says why', () => {
    expect(() => engine.addFont('broken', new Uint8Array([1, 2, 3, 4]))).toThrowError(/font 'broken'.*sfnt/);
    expect(() => engine.renderTestCard(0, 10)).toThrowError(EngineError);
    expect(() => engine.renderTestCard(10, 10, 'missing')).toThrowError(/no font named 'missing'/);
  });

  it('throws after dispose instead of touching freed memory', async () => {
    const other = await loadEngineNode();
    other.dispose();
    other.dispose(); // idempotent
    expect(other.disposed).toBe(true);
    expect(() => other.renderTestCard(10, 10)).toThrowError(/disposed/);
  });
});

describe('tier choice', () => {
  it('detects wasm SIMD in Node 20', () => {
    expect(wasmSimdSupported()).toBe(true);
  });
});
