// The audio hand-off: the shared ring (wrap-around, partial and refused writes and reads, flushes,
// the counters' 64-bit publication), the MessagePort fallback end to end over a real
// MessageChannel, the playout's per-quantum behaviour on both, and the producer's fill policy.
import { MessageChannel } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import { Playout } from './playout';
import { AudioProducer } from './producer';
import { AudioRing, MAX_RING_CAPACITY, PortRingReader, PortRingWriter, audioRingByteLength, emptyCounters, type PortLike } from './ring';

/** Interleaved stereo frames numbered from `first`: left = n, right = -n. */
function frames(first: number, count: number): Float32Array {
  const out = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    out[2 * i] = first + i;
    out[2 * i + 1] = -(first + i);
  }
  return out;
}

function planar(count: number, channels = 2): Float32Array[] {
  return Array.from({ length: channels }, () => new Float32Array(count).fill(NaN));
}

const flushPorts = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('AudioRing', () => {
  it('starts empty, with the requested capacity, and refuses bad sizes', () => {
    const ring = AudioRing.create(100, 2);
    expect(ring.capacity).toBe(100);
    expect(ring.channels).toBe(2);
    expect(ring.buffer.byteLength).toBe(audioRingByteLength(100, 2));
    expect(ring.available()).toBe(0);
    expect(ring.space()).toBe(100);
    expect(ring.read(new Float32Array(20), 10)).toBe(0);
    expect(() => AudioRing.create(0)).toThrow(RangeError);
    expect(() => AudioRing.create(MAX_RING_CAPACITY + 1)).toThrow(RangeError);
    expect(() => AudioRing.create(16, 0)).toThrow(RangeError);
    expect(() => new AudioRing(new SharedArrayBuffer(256))).toThrow(/bad header/);
  });

  it('a second AudioRing over the same buffer (the other thread) sees the same frames', () => {
    const producer = AudioRing.create(64, 2);
    const consumer = new AudioRing(producer.buffer);
    expect(producer.write(frames(0, 10), 10)).toBe(10);
    expect(consumer.available()).toBe(10);
    const out = new Float32Array(20);
    expect(consumer.read(out, 10)).toBe(10);
    expect(Array.from(out)).toEqual(Array.from(frames(0, 10)));
    expect(producer.queued()).toBe(0);
  });

  it('fills to exactly its capacity, takes only what fits, and refuses writes when full', () => {
    const ring = AudioRing.create(8, 2);
    expect(ring.write(frames(0, 5), 5)).toBe(5);
    expect(ring.write(frames(5, 5), 5)).toBe(3); // partial write: three fit
    expect(ring.available()).toBe(8);
    expect(ring.space()).toBe(0);
    expect(ring.write(frames(8, 1), 1)).toBe(0);
    const out = new Float32Array(16);
    expect(ring.read(out, 100)).toBe(8); // partial read: all there is
    expect(Array.from(out)).toEqual(Array.from(frames(0, 8)));
    expect(ring.available()).toBe(0);
  });

  it('wraps around: frames come out in order over many laps with odd sizes', () => {
    const ring = AudioRing.create(7, 2); // a capacity that divides nothing
    let next = 0;
    let expected = 0;
    const out = new Float32Array(2 * 7);
    for (let step = 0; step < 500; step++) {
      const w = (step * 5) % 8; // 0..7 frames
      next += ring.write(frames(next, w), w);
      const r = (step * 3) % 6;
      const n = ring.read(out, r);
      for (let i = 0; i < n; i++) {
        expect(out[2 * i]).toBe(expected + i);
        expect(out[2 * i + 1]).toBe(-(expected + i));
      }
      expected += n;
      expect(ring.available()).toBe(next - expected);
      expect(ring.available() + ring.space()).toBe(7);
    }
    expect(expected).toBeGreaterThan(7 * 50); // many laps
  });

  it('writes from an offset into the source and reads into an offset of the destination', () => {
    const ring = AudioRing.create(16, 2);
    expect(ring.write(frames(100, 10), 4, 6)).toBe(4); // frames 106..109
    expect(ring.write(frames(0, 3), 10, 1)).toBe(2); // only two frames left in the source
    const out = new Float32Array(2 * 8).fill(7);
    expect(ring.read(out, 6, 2)).toBe(6);
    expect(Array.from(out.subarray(0, 4))).toEqual([7, 7, 7, 7]);
    expect(Array.from(out.subarray(4))).toEqual([106, -106, 107, -107, 108, -108, 109, -109, 1, -1, 2, -2]);
  });

  it('reads planar across the wrap point, zeroing extra output channels', () => {
    const ring = AudioRing.create(10, 2);
    ring.write(frames(0, 8), 8);
    ring.read(new Float32Array(16), 8); // indices now near the end
    ring.write(frames(8, 6), 6); // wraps
    const out = planar(8, 3);
    expect(ring.readPlanar(out, 8, 1)).toBe(6);
    expect(Array.from(out[0]!.subarray(1, 7))).toEqual([8, 9, 10, 11, 12, 13]);
    expect(Array.from(out[1]!.subarray(1, 7))).toEqual([-8, -9, -10, -11, -12, -13]);
    expect(Array.from(out[2]!.subarray(1, 7))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Number.isNaN(out[0]![0]!)).toBe(true); // before outOffset: untouched
    expect(Number.isNaN(out[0]![7]!)).toBe(true); // past what was read: untouched
  });

  it('a mono output takes the first channel only', () => {
    const ring = AudioRing.create(4, 2);
    ring.write(frames(1, 3), 3);
    const out = planar(3, 1);
    expect(ring.readPlanar(out, 3, 0)).toBe(3);
    expect(Array.from(out[0]!)).toEqual([1, 2, 3]);
  });

  it('a flush request drops exactly the frames written before it, even after more are written', () => {
    const producer = AudioRing.create(32, 2);
    const consumer = new AudioRing(producer.buffer);
    producer.write(frames(0, 10), 10);
    consumer.read(new Float32Array(6), 3); // 0..2 played
    producer.requestFlush(); // 3..9 must go
    producer.write(frames(1000, 5), 5); // the new position's frames
    expect(producer.queued()).toBe(5); // the producer already counts only what will play
    expect(producer.space()).toBe(32 - 12); // but the old frames still take room until the consumer skips them
    expect(consumer.available()).toBe(5);
    expect(consumer.takeDiscarded()).toBe(7);
    const out = new Float32Array(10);
    consumer.read(out, 5);
    expect(Array.from(out.filter((_, i) => i % 2 === 0))).toEqual([1000, 1001, 1002, 1003, 1004]);
    // Two flushes before the consumer looks: the later one wins.
    producer.write(frames(0, 4), 4);
    producer.requestFlush();
    producer.write(frames(50, 2), 2);
    producer.requestFlush();
    producer.write(frames(2000, 1), 1);
    expect(consumer.available()).toBe(1);
    expect(consumer.takeDiscarded()).toBe(6);
    // A flush with nothing queued is harmless.
    consumer.discardAll();
    consumer.takeDiscarded();
    producer.requestFlush();
    expect(consumer.available()).toBe(0);
    expect(consumer.takeDiscarded()).toBe(0);
  });

  it('discardAll drops what is queued and counts it', () => {
    const ring = AudioRing.create(16, 2);
    ring.write(frames(0, 9), 9);
    expect(ring.discardAll()).toBe(9);
    expect(ring.available()).toBe(0);
    expect(ring.takeDiscarded()).toBe(9);
    expect(ring.takeDiscarded()).toBe(0);
  });

  it('publishes the counters as exact integers beyond 2^32 (days of audio)', () => {
    const worklet = AudioRing.create(16, 2);
    const page = new AudioRing(worklet.buffer);
    const counters = { framesPlayed: 2 ** 40 + 12345, underrunFrames: 2 ** 32 + 1, contextFrame: 2 ** 52 - 1, framesDiscarded: 4_294_967_295 };
    worklet.publish(counters);
    expect(page.readCounters(emptyCounters())).toEqual(counters);
    worklet.publish(emptyCounters());
    expect(page.readCounters(emptyCounters())).toEqual(emptyCounters());
  });
});

describe('Playout (what the worklet does each quantum)', () => {
  it('plays queued frames, counts them, and counts no underrun before the first frame arrives', () => {
    const ring = AudioRing.create(1024, 2);
    const playout = new Playout(new AudioRing(ring.buffer));
    const out = planar(128);
    playout.process(out, 128, 0); // stopped: silence, nothing counted
    expect(out[0]!.every((v) => v === 0)).toBe(true);
    ring.write(frames(0, 300), 300);
    playout.process(out, 128, 128);
    expect(playout.counters).toMatchObject({ framesPlayed: 0, underrunFrames: 0 });
    expect(ring.queued()).toBe(300); // not consumed while stopped
    playout.start();
    playout.process(out, 128, 256);
    expect(out[0]![0]).toBe(0);
    expect(out[1]![127]).toBe(-127);
    playout.process(out, 128, 384);
    playout.process(out, 128, 512); // 44 frames left: 84 frames of silence
    expect(out[0]![43]).toBe(299);
    expect(Array.from(out[0]!.subarray(44))).toEqual(new Array(84).fill(0));
    expect(playout.counters).toEqual({ framesPlayed: 300, underrunFrames: 84, contextFrame: 640, framesDiscarded: 0 });
    const published = ring.readCounters(emptyCounters());
    expect(published).toEqual(playout.counters);
  });

  it('waiting after start() is not an underrun; running dry after playing is', () => {
    const ring = AudioRing.create(1024, 2);
    const playout = new Playout(ring);
    playout.start();
    const out = planar(128);
    for (let i = 0; i < 5; i++) playout.process(out, 128, i * 128);
    expect(playout.counters.underrunFrames).toBe(0);
    ring.write(frames(0, 128), 128);
    playout.process(out, 128, 640);
    playout.process(out, 128, 768);
    expect(playout.counters).toMatchObject({ framesPlayed: 128, underrunFrames: 128 });
  });

  it('stop() holds the queue; start() carries on from it', () => {
    const ring = AudioRing.create(1024, 2);
    const playout = new Playout(ring);
    ring.write(frames(0, 256), 256);
    playout.start();
    const out = planar(128);
    playout.process(out, 128, 0);
    playout.stop();
    playout.process(out, 128, 128);
    expect(out[0]!.every((v) => v === 0)).toBe(true);
    playout.start();
    playout.process(out, 128, 256);
    expect(out[0]![0]).toBe(128);
    expect(playout.counters).toMatchObject({ framesPlayed: 256, underrunFrames: 0 });
  });

  it('a producer flush (seek) drops the old frames, counts them, and is not an underrun while the new ones come', () => {
    const producer = AudioRing.create(1024, 2);
    const playout = new Playout(new AudioRing(producer.buffer));
    producer.write(frames(0, 512), 512);
    playout.start();
    const out = planar(128);
    playout.process(out, 128, 0);
    producer.requestFlush();
    playout.process(out, 128, 128); // nothing new yet: waiting, not an underrun
    expect(playout.counters).toMatchObject({ framesPlayed: 128, underrunFrames: 0, framesDiscarded: 384 });
    producer.write(frames(10_000, 128), 128);
    playout.process(out, 128, 256);
    expect(out[0]![0]).toBe(10_000);
    expect(playout.counters).toMatchObject({ framesPlayed: 256, underrunFrames: 0 });
    // A flush message from the page does the same.
    producer.write(frames(0, 64), 64);
    playout.flush();
    playout.process(out, 128, 384);
    expect(playout.counters).toMatchObject({ framesPlayed: 256, underrunFrames: 0, framesDiscarded: 448 });
  });
});

describe('MessagePort fallback', () => {
  function portPair(options: { capacity?: number; now?: () => number } = {}) {
    const channel = new MessageChannel();
    const writer = new PortRingWriter(channel.port2 as unknown as PortLike, { channels: 2, capacity: options.capacity ?? 4096, sampleRate: 48_000, ...(options.now ? { now: options.now } : {}) });
    const reader = new PortRingReader(channel.port1 as unknown as PortLike, { channels: 2, reportEvery: 1 });
    return { channel, writer, reader, close: () => (channel.port1.close(), channel.port2.close()) };
  }

  it('chunks arrive in order and are read across chunk boundaries, planar', async () => {
    const { writer, reader, close } = portPair();
    const source = frames(0, 1000);
    writer.write(source, 100);
    writer.write(source, 30, 100);
    writer.write(source, 200, 130);
    await flushPorts();
    expect(reader.available()).toBe(330);
    const out = planar(128);
    let expected = 0;
    for (let q = 0; q < 3; q++) {
      const n = reader.readPlanar(out, 128, 0);
      expect(n).toBe(Math.min(128, 330 - expected));
      for (let i = 0; i < n; i++) {
        expect(out[0]![i]).toBe(expected + i);
        expect(out[1]![i]).toBe(-(expected + i));
      }
      expected += n;
    }
    expect(expected).toBe(330);
    expect(reader.available()).toBe(0);
    close();
  });

  it('the writer copies what it posts: the caller may reuse its buffer at once', async () => {
    const { writer, reader, close } = portPair();
    const scratch = frames(0, 4);
    writer.write(scratch, 4);
    scratch.fill(99);
    expect(scratch.length).toBe(8); // not detached
    await flushPorts();
    const out = planar(4);
    reader.readPlanar(out, 4, 0);
    expect(Array.from(out[0]!)).toEqual([0, 1, 2, 3]);
    close();
  });

  it('a chunk with a stray partial frame queues its whole frames only', async () => {
    const channel = new MessageChannel();
    const reader = new PortRingReader(channel.port1 as unknown as PortLike, { channels: 2 });
    channel.port2.postMessage({ type: 'frames', samples: new Float32Array([1, -1, 2, -2, 3]) });
    channel.port2.postMessage({ type: 'frames', samples: new Float32Array([4]) }); // no whole frame
    await flushPorts();
    expect(reader.available()).toBe(2);
    const out = planar(4);
    expect(reader.readPlanar(out, 4, 0)).toBe(2);
    expect(Array.from(out[1]!.subarray(0, 2))).toEqual([-1, -2]);
    expect(reader.available()).toBe(0);
    channel.port1.close();
  });

  it('the queue grows past its initial slots without losing order', async () => {
    const { writer, reader, close } = portPair({ capacity: 100_000 });
    for (let i = 0; i < 200; i++) writer.write(frames(i * 3, 3), 3);
    await flushPorts();
    expect(reader.available()).toBe(600);
    const out = planar(600);
    expect(reader.readPlanar(out, 600, 0)).toBe(600);
    expect(out[0]!.every((v, i) => v === i)).toBe(true);
    close();
  });

  it('the writer estimates the worklet level from reports and elapsed time, and respects its capacity', async () => {
    let nowMs = 0;
    const { writer, reader, close } = portPair({ capacity: 2400, now: () => nowMs });
    expect(writer.write(frames(0, 3000), 3000)).toBe(2400); // capacity bounds what is posted
    expect(writer.queued()).toBe(2400); // nothing reported: all assumed queued
    expect(writer.space()).toBe(0);
    await flushPorts();
    const playout = new Playout(reader);
    playout.start();
    const out = planar(128);
    for (let i = 0; i < 4; i++) playout.process(out, 128, i * 128); // reportEvery 1: reports each quantum
    await flushPorts();
    expect(writer.counters.framesPlayed).toBe(512);
    expect(writer.queued()).toBe(2400 - 512);
    nowMs += 10; // 480 frames' worth of time since the report
    expect(writer.queued()).toBe(2400 - 512 - 480);
    writer.write(frames(2400, 100), 100); // posted after the report: counted as in flight
    expect(writer.queued()).toBe(2400 - 512 - 480 + 100);
    nowMs += 1000; // no report for a second: the worklet is assumed stalled, not drained
    expect(writer.queued()).toBe(2400 - 512 - 1536 + 100);
    // A worklet that says it is stopped is not assumed to drain at all.
    playout.stop();
    playout.process(out, 128, 512);
    await flushPorts();
    const level = writer.queued();
    nowMs += 500;
    expect(writer.queued()).toBe(level);
    close();
  });

  it('a late report is taken as made when its context time says, not when it arrived', async () => {
    let nowMs = 1000;
    const { writer, reader, close } = portPair({ now: () => nowMs });
    writer.write(frames(0, 4000), 4000);
    await flushPorts();
    const playout = new Playout(reader);
    playout.start();
    const out = planar(128);
    // On time: quanta 128 frames apart in context time arrive 128 frames' worth apart.
    for (let i = 0; i < 4; i++) {
      playout.process(out, 128, i * 128);
      await flushPorts();
      nowMs += 128 / 48; // one quantum, in ms
    }
    expect(writer.queued()).toBe(4000 - 512 - 128); // 128 frames' worth of time since the last report
    // The next report reaches the producer 20 ms (960 frames) later than its context time says.
    nowMs += 20;
    playout.process(out, 128, 512);
    await flushPorts();
    expect(writer.maxReportLagMs).toBeCloseTo(20, 6);
    expect(writer.queued()).toBe(4000 - 640 - 960); // not 4000 - 640: those 960 frames were played before it arrived
    // Later than the extrapolation's bound: no more than that bound is assumed played.
    nowMs += 100;
    playout.process(out, 128, 640);
    await flushPorts();
    expect(writer.queued()).toBe(4000 - 768 - 1536);
    close();
  });

  it('a flush drops what was posted before it, and stale reports do not undo the reset', async () => {
    let nowMs = 0;
    const { writer, reader, close } = portPair({ now: () => nowMs });
    writer.write(frames(0, 500), 500);
    await flushPorts();
    const playout = new Playout(reader);
    playout.start();
    const out = planar(128);
    playout.process(out, 128, 0); // a report saying 372 queued is now in flight
    writer.requestFlush();
    expect(writer.queued()).toBe(0);
    writer.write(frames(5000, 200), 200);
    await flushPorts();
    expect(writer.queued()).toBe(200); // the pre-flush report was ignored
    playout.process(out, 128, 128);
    expect(out[0]![0]).toBe(5000);
    expect(playout.counters).toMatchObject({ framesPlayed: 256, underrunFrames: 0, framesDiscarded: 372 });
    await flushPorts();
    expect(writer.queued()).toBe(72);
    close();
  });
});

describe('AudioProducer', () => {
  /** A render callback producing numbered frames, reusing one buffer like the engine would. */
  function numberedRender() {
    const scratch = new Float32Array(2 * 4096);
    const calls: [number, number][] = [];
    const render = (frame: number, count: number) => {
      calls.push([frame, count]);
      for (let i = 0; i < count; i++) {
        scratch[2 * i] = frame + i;
        scratch[2 * i + 1] = -(frame + i);
      }
      return scratch.subarray(0, count * 2);
    };
    return { render, calls };
  }

  it('fills to the 40 ms target (50 on the port fallback), never past 50 ms, and tops up what was played', () => {
    const ring = AudioRing.create(4096, 2);
    const { render, calls } = numberedRender();
    const producer = new AudioProducer(ring, render, { sampleRate: 48_000 });
    expect(producer.targetFrames).toBe(1920);
    expect(producer.maxAheadFrames).toBe(2400);
    producer.tick();
    expect(ring.queued()).toBe(1920);
    expect(calls).toEqual([[0, 1024], [1024, 896]]);
    producer.tick(); // full: nothing rendered
    expect(calls.length).toBe(2);
    const consumer = new AudioRing(ring.buffer);
    consumer.read(new Float32Array(2 * 300), 300);
    producer.tick();
    expect(ring.queued()).toBe(1920);
    expect(calls.at(-1)).toEqual([1920, 300]);
    expect(producer.stats()).toMatchObject({ position: 2220, framesWritten: 2220, renderCalls: 3, minQueuedFrames: 1620, maxQueuedFrames: 1920 });
    // Options cannot raise the bound past 50 ms.
    const greedy = new AudioProducer(AudioRing.create(8192, 2), render, { sampleRate: 48_000, targetMs: 100, maxAheadMs: 100 });
    expect(greedy.maxAheadFrames).toBe(2400);
    expect(greedy.targetFrames).toBe(2400);
    // A small ring bounds it too.
    expect(new AudioProducer(AudioRing.create(1000, 2), render, { sampleRate: 48_000 }).targetFrames).toBe(1000);
    // The port fallback, whose level is an estimate, aims at the bound itself; a target given still rules.
    const channel = new MessageChannel();
    const port = new PortRingWriter(channel.port2 as unknown as PortLike, { channels: 2, capacity: 8192, sampleRate: 48_000 });
    expect(new AudioProducer(port, render, { sampleRate: 48_000 }).targetFrames).toBe(2400);
    expect(new AudioProducer(port, render, { sampleRate: 48_000, targetMs: 40 }).targetFrames).toBe(1920);
    channel.port1.close();
    channel.port2.close();
  });

  it('records tick gaps longer than the queue reaches as stalls, the latest 32, and none across a stop', () => {
    let nowMs = 1000;
    const { render } = numberedRender();
    const producer = new AudioProducer(AudioRing.create(4096, 2), render, { sampleRate: 48_000, intervalMs: 10_000, now: () => nowMs });
    producer.tick();
    nowMs += 5;
    producer.tick();
    nowMs += 50; // the queue's reach exactly: not a stall
    producer.tick();
    nowMs += 10_030; // a frozen thread
    producer.tick();
    expect(producer.stats().stalls).toEqual([[1055, 10_030]]);
    expect(producer.stats().maxTickGapMs).toBe(10_030);
    // The longest gap hides a second freeze of the same length; the stalls keep both.
    nowMs += 10_030;
    producer.tick();
    expect(producer.stats().stalls).toEqual([[1055, 10_030], [11_085, 10_030]]);
    // Paused (stopped) time is not a stall.
    producer.stop();
    nowMs += 5000;
    producer.tick();
    expect(producer.stats().stalls.length).toBe(2);
    for (let i = 0; i < 40; i++) {
      nowMs += 100;
      producer.tick();
    }
    const stalls = producer.stats().stalls;
    expect(stalls.length).toBe(32);
    expect(stalls.at(-1)).toEqual([nowMs - 100, 100]);
  });

  it("records the output's stops — its clock standing still longer than the queue's 50 ms bound while the producer ticked on time — but not a stall of the producer, and its underruns", () => {
    let nowMs = 1000;
    const { render } = numberedRender();
    const ring = AudioRing.create(4096, 2);
    const consumer = new AudioRing(ring.buffer);
    const counters = { framesPlayed: 0, underrunFrames: 0, contextFrame: 0, framesDiscarded: 0 };
    /** The worklet plays `frames` (one publish, as after a burst of quanta). */
    const play = (frames: number) => {
      const read = consumer.read(new Float32Array(2 * frames), frames);
      counters.framesPlayed += read;
      counters.underrunFrames += frames - read;
      counters.contextFrame += frames;
      consumer.publish(counters);
    };
    const producer = new AudioProducer(ring, render, { sampleRate: 48_000, intervalMs: 10_000, now: () => nowMs });
    /** `ms` of ticks every 5 ms, the output playing in 20 ms bursts when `playing`. */
    const run = (ms: number, playing: boolean) => {
      for (let t = 5; t <= ms; t += 5) {
        nowMs += 5;
        if (playing && t % 20 === 0) play(960);
        producer.tick();
      }
    };
    producer.tick();
    run(200, true);
    expect(producer.stats().outputStalls).toEqual([]);
    // 45 ms without the output moving is within the queue's reach; 300 ms is a stop, which then drains the queue.
    const stoppedAt = nowMs;
    run(25, false);
    run(40, true); // moves again 45 ms after it stopped, and at +65
    expect(producer.stats().outputStalls).toEqual([]);
    run(300, false);
    play(4096);
    nowMs += 5;
    producer.tick();
    expect(producer.stats().outputStalls).toEqual([[stoppedAt + 65, 305]]);
    expect(producer.stats().stalls).toEqual([]);
    // Catching up, it took more than the 40 ms queue held: the underrun is recorded with its time.
    expect(producer.stats().underruns).toEqual([[nowMs, 4096 - 1920]]);
    // A frozen producer (a 2 s tick gap) sees the output stand still too: that is its stall, not the output's.
    run(100, true);
    nowMs += 2000;
    producer.tick();
    run(20, true);
    expect(producer.stats().stalls.map(([, gap]) => gap)).toEqual([2000]);
    expect(producer.stats().outputStalls.length).toBe(1);
    // Across a stop (paused) neither is counted.
    producer.stop();
    nowMs += 5000;
    producer.tick();
    run(20, true);
    expect(producer.stats().outputStalls.length).toBe(1);
    expect(producer.stats().stalls.length).toBe(1);
  });

  it('a seek on the shared ring goes from old audio straight to new: the new frames are written before the flush', () => {
    const ring = AudioRing.create(4096, 2);
    const consumer = new AudioRing(ring.buffer);
    const { render } = numberedRender();
    const producer = new AudioProducer(ring, render, { sampleRate: 48_000, intervalMs: 10_000 });
    producer.start(0);
    const out = new Float32Array(2);
    const seen: number[] = [];
    const consume = () => {
      expect(consumer.read(out, 1)).toBe(1);
      seen.push(out[0]!);
    };
    consume();
    consume();
    const mark = ring.flushMark();
    producer.seek(50_000);
    // Old and new frames are both in the ring now; the flush points at where the new ones begin.
    expect(ring.flushMark() - mark).toBe(1920);
    expect(ring.queued()).toBe(1920);
    consume();
    expect(seen).toEqual([0, 1, 50_000]);
    expect(consumer.available()).toBe(1919);
    producer.stop();
  });

  it('seek flushes and renders from the new frame at once', () => {
    const ring = AudioRing.create(4096, 2);
    const consumer = new AudioRing(ring.buffer);
    const { render, calls } = numberedRender();
    const producer = new AudioProducer(ring, render, { sampleRate: 48_000, intervalMs: 1000 });
    producer.start(0);
    producer.seek(96_000);
    producer.stop();
    expect(calls.at(-2)).toEqual([96_000, 1024]);
    const out = new Float32Array(2);
    consumer.read(out, 1);
    expect(out[0]).toBe(96_000);
    expect(consumer.available()).toBe(1919);
  });

  it('on the shared ring, refills as soon as the consumer reads (Atomics.waitAsync), not at the next timer tick', async () => {
    const ring = AudioRing.create(4096, 2);
    const consumer = new AudioRing(ring.buffer);
    const { render } = numberedRender();
    const producer = new AudioProducer(ring, render, { sampleRate: 48_000, intervalMs: 10_000 }); // the timer never fires here
    producer.start(0);
    expect(ring.queued()).toBe(1920);
    for (let burst = 0; burst < 5; burst++) {
      consumer.read(new Float32Array(2 * 1536), 1536); // a browser-sized burst of 12 quanta
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(ring.queued(), `after burst ${burst}`).toBe(1920);
    }
    expect(producer.stats().wakeups).toBeGreaterThanOrEqual(5);
    producer.stop();
  });

  it('keeps a real-time consumer fed on its timer (port path, Node timers)', async () => {
    const channel = new MessageChannel();
    const reader = new PortRingReader(channel.port1 as unknown as PortLike, { channels: 2, reportEvery: 4 });
    const transport = { kind: 'port' as const, port: channel.port2 as unknown as MessagePort, sampleRate: 48_000, channels: 2, capacityFrames: 4096 };
    const { render } = numberedRender();
    const producer = new AudioProducer(transport, render, { intervalMs: 5 });
    const playout = new Playout(reader);
    playout.start();
    producer.start(0);
    // Consume like a 48 kHz device, 128-frame quanta, in 10 ms bursts, for 400 ms.
    const out = planar(128);
    const t0 = performance.now();
    let played = 0;
    let contextFrame = 0;
    let mismatch = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.floor(((performance.now() - t0) * 48) / 128) * 128;
        while (contextFrame < due) {
          const before = playout.counters.framesPlayed;
          playout.process(out, 128, contextFrame);
          for (let i = 0; i < playout.counters.framesPlayed - before; i++) if (out[0]![i] !== before + i) mismatch++;
          contextFrame += 128;
        }
        played = playout.counters.framesPlayed;
        if (performance.now() - t0 > 400) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    producer.close();
    channel.port1.close();
    expect(mismatch).toBe(0);
    expect(played).toBeGreaterThan(48 * 300);
    // Timers in a loaded test run can be late; the bound on what was posted ahead must hold regardless.
    expect(producer.stats().framesWritten - played).toBeLessThanOrEqual(2400 + 128);
  });
});
