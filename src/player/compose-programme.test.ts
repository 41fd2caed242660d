// The compose fixture (fixtures/programmes/compose.json) in the real wasm engine, in Node: it
// validates cleanly and times its scenes as the playback tests expect, and played through the
// scheduler with synthetic frames that carry the fixtures' frame strip, the composed picture shows
// exactly the right source frame before and after every join and seek.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { captionFontFile } from '../captions/caption-fonts';
import type { TesseraEngine } from '../engine/engine';
import { loadEngineNode } from '../engine/load-node';
import { readFixtureManifest } from '../media/fixture-manifest';
import { FRAME_STRIP_CELLS, FRAME_STRIP_HEIGHT_DIVISOR, frameStripCells, readFrameStrip } from '../media/frame-strip';
import { PlaybackScheduler, type FrameSource, type SchedulerHost, type SourceFrame } from './scheduler';

const programmePath = path.resolve(process.cwd(), 'fixtures/programmes/compose.json');
const programmeText = readFileSync(programmePath, 'utf8');
const programme = JSON.parse(programmeText) as {
  assets: Record<string, { src?: string }>;
  layouts: Record<string, { width: number; height: number; regions: Record<string, { x: number; y: number; width: number; height: number }> }>;
};
const frameCounts = new Map(readFixtureManifest().files.flatMap((f) => (f.video ? [[f.name, f.video.frameCount] as const] : [])));

/** A 640×360 30 fps clip whose frames are flat grey I420 with the frame strip for their number. */
class StripSource implements FrameSource {
  readonly queuedFrames = 0;
  readonly #frameCount: number;

  constructor(readonly name: string) {
    const count = frameCounts.get(name);
    if (!count) throw new Error(`${name} is not a fixture video`);
    this.#frameCount = count;
  }

  async frameAt(timeUs: number): Promise<SourceFrame> {
    // WebM-style millisecond timestamps; the frame shown is the last one starting at or before.
    const stamp = (n: number) => Math.round((n * 1000) / 30) * 1000;
    let n = Math.min(this.#frameCount - 1, Math.max(0, Math.floor((timeUs * 30) / 1e6)));
    while (n + 1 < this.#frameCount && stamp(n + 1) <= timeUs) n++;
    while (n > 0 && stamp(n) > timeUs) n--;
    return { ...stripFrame(n), timestampUs: stamp(n), durationUs: stamp(n + 1) - stamp(n) };
  }

  async prefetch(): Promise<void> {}
  close(): void {}
}

function stripFrame(n: number): Omit<SourceFrame, 'timestampUs' | 'durationUs'> {
  const width = 640, height = 360;
  const ySize = width * height, cSize = (width / 2) * (height / 2);
  const planes = new Uint8Array(ySize + 2 * cSize);
  planes.fill(100, 0, ySize);
  planes.fill(128, ySize);
  const cells = frameStripCells(n);
  const stripRows = height / FRAME_STRIP_HEIGHT_DIVISOR;
  const cellWidth = width / FRAME_STRIP_CELLS;
  for (let y = 0; y < stripRows; y++) {
    for (let x = 0; x < width; x++) planes[y * width + x] = cells[Math.floor(x / cellWidth)] ? 235 : 16;
  }
  return {
    width, height, format: 'I420', colour: { matrix: 'bt709', fullRange: false }, planes,
    layout: [{ offset: 0, stride: width }, { offset: ySize, stride: width / 2 }, { offset: ySize + cSize, stride: width / 2 }],
  };
}

function nodeHost(): SchedulerHost & { problems: string[] } {
  const problems: string[] = [];
  return {
    problems,
    resolveUrl: (src) => path.resolve(path.dirname(programmePath), src),
    openVideo: async (file) => new StripSource(path.basename(file)),
    fetchAsset: async (file) => readFileSync(file),
    fetchFont: async (name) => readFileSync(captionFontFile(name).file),
    error: (p) => void problems.push(`${p.file}: ${p.message}`),
    nowMs: () => performance.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

describe('the compose fixture programme', () => {
  let engine: TesseraEngine;
  beforeAll(async () => {
    engine = await loadEngineNode();
  });
  afterAll(() => engine.dispose());

  it('validates without errors or warnings, and every asset file exists', () => {
    const report = engine.loadProgramme(programmeText);
    expect(report.diagnostics).toEqual([]);
    expect(report.ok).toBe(true);
    for (const [id, asset] of Object.entries(programme.assets)) {
      if (asset.src) expect(existsSync(path.resolve(path.dirname(programmePath), asset.src)), `${id}: ${asset.src}`).toBe(true);
    }
  });

  it('has the shape the playback tests rely on: a crossfade at 3-4 s, a cut at 6 s, 8 s long', () => {
    engine.loadProgramme(programmeText);
    const plan = engine.resolve({});
    expect(plan.layout).toMatchObject({ width: 1280, height: 720 });
    expect(plan.path.map((s) => [s.scene, s.start, s.end])).toEqual([
      ['two-clips', 0, 4],
      ['clip-b', 3, 6],
      ['clip-a-again', 6, 8],
    ]);
    expect(plan.duration).toBe(8);
    // Nothing but the main picture covers the frame strip (the top 1/15 of the frame).
    const layout = programme.layouts.landscape!;
    for (const [name, r] of Object.entries(layout.regions)) {
      if (name !== 'main') expect(r.y, name).toBeGreaterThanOrEqual(layout.height / FRAME_STRIP_HEIGHT_DIVISOR);
    }
  });

  it('composes exactly the right source frames before and after each join and seek', async () => {
    engine.loadProgramme(programmeText);
    engine.resolve({});
    const host = nodeHost();
    const scheduler = new PlaybackScheduler(engine, host);
    await scheduler.loadAssets(0);
    const read = () =>
      engine.withFramePixels((p, w, h) => ({
        main: readFrameStrip(p, w, h),
        pip: readFrameStrip(p, w, h, { x: 896, y: 476, width: 320, height: 180 }),
      }));
    const frame = 1 / 30;
    // [time, main picture's frame, picture-in-picture's frame (or null)]
    const expected: [number, number, number | null][] = [
      [0.5 + frame / 2, 15, 0],
      [3 - frame / 2, 89, 74], // the last frame of clip A before B starts to fade in
      [3 + frame / 2, 90, 75], // B at 1/60 opacity: A's strip still reads
      [4 - frame / 2, 29, null], // B at ~98 %: B's strip
      [4, 30, null], // B alone, exactly at the end of the crossfade
      [6 - frame / 2, 89, null], // B's last frame
      [6, 45, null], // the cut: clip A (H.264) trimmed in at 1.5 s, on the very first tick
      [6 + frame, 46, null],
      [1, 30, 15], // a seek back
      [1 + frame, 31, 16], // one frame after it
    ];
    for (const [time, main, pip] of expected) {
      const result = await scheduler.tick(time, 'settle');
      expect(result.late).toEqual([]);
      const strips = read();
      expect(strips.main, `main picture at ${time} s`).toEqual({ frame: main });
      if (pip !== null) expect(strips.pip, `picture-in-picture at ${time} s`).toEqual({ frame: pip });
    }
    expect(host.problems).toEqual([]);
    scheduler.closeAll();
  });

  it('composes the same bytes for a time however playback got there', async () => {
    engine.loadProgramme(programmeText);
    engine.resolve({});
    const hashAt = async (path: number[]) => {
      const scheduler = new PlaybackScheduler(engine, nodeHost());
      await scheduler.loadAssets(0);
      for (const t of path) await scheduler.tick(t, 'settle');
      const hash = engine.withFramePixels((p) => createHash('sha256').update(p).digest('hex'));
      scheduler.closeAll();
      return hash;
    };
    const direct = await hashAt([3.5]);
    expect(await hashAt([0, 1, 2, 3, 3.5])).toBe(direct);
    expect(await hashAt([7, 0.2, 3.5])).toBe(direct);
  });
});
