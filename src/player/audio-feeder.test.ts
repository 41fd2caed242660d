import { describe, expect, it } from 'vitest';

import type { AudioNeeds } from '../engine/audio';
import { AudioFeeder, type FeederEngine, type PcmChunk, type PcmSource } from './audio-feeder';

const RATE = 48_000;
const CHUNK = 960; // 20 ms

/** A source of `seconds` of mono PCM whose sample values are their media frame index. */
class FakeSource implements PcmSource {
  position = 0;
  seeks: number[] = [];
  closed = false;
  constructor(readonly seconds: number) {}
  seek(timeUs: number): void {
    this.seeks.push(timeUs);
    this.position = Math.round((timeUs / 1e6) * RATE);
  }
  async read(): Promise<PcmChunk | null> {
    await Promise.resolve();
    const total = Math.round(this.seconds * RATE);
    if (this.position >= total) return null;
    const frames = Math.min(CHUNK, total - this.position);
    const samples = new Float32Array(frames).map((_, i) => this.position + i);
    const chunk = { samples, frames, channels: 1, sampleRate: RATE, startFrame: this.position };
    this.position += frames;
    return chunk;
  }
  close(): void {
    this.closed = true;
  }
}

/** The engine's audioAt for a plan of objects [start, end) playing their media from 0. */
class FakeEngine implements FeederEngine {
  pushed = new Map<string, { mediaTime: number; frames: number }[]>();
  ended: string[] = [];
  queued = new Map<string, number>();
  constructor(public objects: { object: string; src: string; start: number; end: number }[]) {}
  audioAt(time: number, lookahead: number): AudioNeeds {
    return {
      time,
      audio: this.objects
        .filter((o) => o.end > time && o.start < time + lookahead)
        .map((o) => {
          const active = o.start <= time;
          const from = active ? time : o.start;
          return { object: o.object, asset: o.object, src: o.src, mediaTime: from - o.start, start: o.start, end: o.end, active, queuedEnd: Math.max(from, this.queued.get(o.object) ?? from) };
        }),
    };
  }
  pushAudio(object: string, mediaTime: number, interleaved: Float32Array, channels: number, sampleRate: number): void {
    const frames = interleaved.length / channels;
    expect(interleaved[0]).toBe(Math.round(mediaTime * sampleRate)); // the PCM is the media time said
    const list = this.pushed.get(object) ?? [];
    list.push({ mediaTime, frames });
    this.pushed.set(object, list);
  }
  endAudio(object: string): void {
    this.ended.push(object);
  }
}

function host(sources: Map<string, FakeSource>, seconds = 10) {
  const errors: string[] = [];
  return {
    errors,
    host: {
      resolveUrl: (src: string) => {
        if (src.startsWith('http:')) throw new Error('not on this site');
        return `/m/${src}`;
      },
      openAudio: async (url: string) => {
        if (url.includes('broken')) throw new Error('cannot decode');
        const source = new FakeSource(seconds);
        sources.set(url, source);
        return source;
      },
      error: (p: { file: string; message: string }) => errors.push(`${p.file}: ${p.message}`),
    },
  };
}

const end = (list: { mediaTime: number; frames: number }[] | undefined) => {
  const last = list!.at(-1)!;
  return last.mediaTime + last.frames / RATE;
};

describe('AudioFeeder', () => {
  it('fills each active object up to the lookahead, from the media time for the clock', async () => {
    const engine = new FakeEngine([{ object: 'music', src: 'music.mp4', start: 0, end: 20 }]);
    const sources = new Map<string, FakeSource>();
    const feeder = new AudioFeeder(engine, host(sources).host, 1.5);
    await feeder.seek(2);
    const pushed = engine.pushed.get('music')!;
    expect(pushed[0]!.mediaTime).toBe(2);
    expect(end(pushed)).toBeGreaterThanOrEqual(3.5);
    expect(end(pushed)).toBeLessThan(3.5 + CHUNK / RATE + 1e-9);
    // Contiguous: every chunk starts where the last ended.
    for (let i = 1; i < pushed.length; i++) expect(pushed[i]!.mediaTime).toBeCloseTo(pushed[i - 1]!.mediaTime + pushed[i - 1]!.frames / RATE, 9);
    // A later pass only tops up.
    const before = pushed.length;
    await feeder.fill(2.1);
    expect(pushed.length - before).toBe(5); // 100 ms of 20 ms chunks
  });

  it('opens and fills the next object before it starts, so the join is gapless', async () => {
    const engine = new FakeEngine([
      { object: 'a', src: 'a.webm', start: 0, end: 5 },
      { object: 'b', src: 'b.webm', start: 5, end: 10 },
    ]);
    const feeder = new AudioFeeder(engine, host(new Map()).host, 1.5);
    await feeder.seek(4);
    expect(engine.pushed.get('b')?.[0]?.mediaTime).toBe(0); // b from its first frame
    expect(end(engine.pushed.get('b'))).toBeGreaterThanOrEqual(0.5); // up to 5.5 s of programme
    expect(end(engine.pushed.get('a'))).toBeCloseTo(1 + 4, 1); // a to its end (5 s of media)
  });

  it('ends objects whose media ends, and closes those that leave the plan', async () => {
    const engine = new FakeEngine([{ object: 'short', src: 'short.wav', start: 0, end: 20 }]);
    const sources = new Map<string, FakeSource>();
    const feeder = new AudioFeeder(engine, host(sources, 1).host, 1.5);
    await feeder.seek(0);
    expect(engine.ended).toEqual(['short']);
    engine.objects = [];
    await feeder.fill(2);
    await Promise.resolve();
    expect(sources.get('/m/short.wav')!.closed).toBe(true);
    expect(feeder.stats().tracks).toBe(0);
  });

  it('repositions every decoder on a seek', async () => {
    const engine = new FakeEngine([{ object: 'music', src: 'music.mp4', start: 0, end: 20 }]);
    const sources = new Map<string, FakeSource>();
    const feeder = new AudioFeeder(engine, host(sources).host, 1);
    await feeder.seek(0);
    engine.pushed.clear();
    await feeder.seek(7.25);
    expect(sources.get('/m/music.mp4')!.seeks.at(-1)).toBe(7_250_000);
    expect(engine.pushed.get('music')![0]!.mediaTime).toBe(7.25);
  });

  it('reports a file that cannot be opened once and plays the rest', async () => {
    const engine = new FakeEngine([
      { object: 'x', src: 'broken.webm', start: 0, end: 20 },
      { object: 'y', src: 'http://elsewhere/y.webm', start: 0, end: 20 },
      { object: 'm', src: 'music.mp4', start: 0, end: 20 },
    ]);
    const h = host(new Map());
    const feeder = new AudioFeeder(engine, h.host, 1);
    await feeder.seek(0);
    await feeder.fill(0.5);
    expect(h.errors.sort()).toEqual(['broken.webm: cannot decode', 'http://elsewhere/y.webm: not on this site']);
    expect(engine.pushed.get('m')!.length).toBeGreaterThan(0);
  });
});
