// The wall clock: programme time from a monotonic millisecond source, with play, pause, seek and
// rate changes that never make time jump or drift.
import { describe, expect, it } from 'vitest';

import { WallClock } from './clock';

function fakeWall() {
  let ms = 1000;
  return { now: () => ms, advance: (by: number) => (ms += by) };
}

describe('WallClock', () => {
  it('stands still until played, then follows the wall clock', () => {
    const wall = fakeWall();
    const clock = new WallClock(wall.now);
    expect(clock.playing).toBe(false);
    wall.advance(500);
    expect(clock.now()).toBe(0);
    clock.play();
    wall.advance(1500);
    expect(clock.now()).toBeCloseTo(1.5, 12);
    expect(clock.playing).toBe(true);
  });

  it('holds its time while paused and goes on from there', () => {
    const wall = fakeWall();
    const clock = new WallClock(wall.now);
    clock.play();
    wall.advance(2000);
    clock.pause();
    wall.advance(10_000);
    expect(clock.now()).toBeCloseTo(2, 12);
    clock.play();
    wall.advance(250);
    expect(clock.now()).toBeCloseTo(2.25, 12);
  });

  it('seeks exactly, playing or paused', () => {
    const wall = fakeWall();
    const clock = new WallClock(wall.now);
    clock.seek(4.5);
    expect(clock.now()).toBe(4.5); // exact: paused time is the sought value itself
    clock.play();
    wall.advance(100);
    clock.seek(1);
    expect(clock.now()).toBe(1);
    wall.advance(500);
    expect(clock.now()).toBeCloseTo(1.5, 12);
    expect(() => clock.seek(Number.NaN)).toThrow(RangeError);
  });

  it('changes rate without a jump, and scales time after the change', () => {
    const wall = fakeWall();
    const clock = new WallClock(wall.now);
    clock.play();
    wall.advance(1000);
    clock.setRate(2);
    expect(clock.now()).toBeCloseTo(1, 12);
    wall.advance(1000);
    expect(clock.now()).toBeCloseTo(3, 12);
    clock.setRate(0.5);
    wall.advance(1000);
    expect(clock.now()).toBeCloseTo(3.5, 12);
    expect(clock.rate).toBe(0.5);
    expect(() => clock.setRate(0)).toThrow(RangeError);
    expect(() => clock.setRate(-1)).toThrow(RangeError);
  });

  it('does not accumulate error over many pause/play cycles', () => {
    const wall = fakeWall();
    const clock = new WallClock(wall.now);
    for (let i = 0; i < 1000; i++) {
      clock.play();
      wall.advance(16.7);
      clock.pause();
      wall.advance(3);
    }
    expect(clock.now()).toBeCloseTo(16.7, 9);
  });
});

describe('AudioFollowingClock', () => {
  it('is the wall clock without audio, and follows the heard time when there is one', async () => {
    const { AudioFollowingClock } = await import('./clock');
    let wall = 0;
    let heard: number | null = null;
    const clock = new AudioFollowingClock(() => heard, () => wall);
    clock.seek(2);
    clock.play();
    wall = 100;
    expect(clock.now()).toBeCloseTo(2.1, 9);
    // Audio starts 60 ms behind: the clock holds (never backwards) until the audio catches up.
    heard = 2.0;
    wall = 116;
    expect(clock.now()).toBeCloseTo(2.1, 9);
    // Small errors are slewed a tenth at a time; steady audio makes the clock converge on it.
    for (let i = 0; i < 200; i++) {
      wall += 10;
      heard = 2.0 + (wall - 116) / 1000 + 0.12;
      clock.now();
    }
    expect(Math.abs(clock.now() - heard!)).toBeLessThan(0.002);
    clock.pause();
    const paused = clock.now();
    wall += 500;
    expect(clock.now()).toBe(paused);
  });

  it('holds at the play position until the audio gets there', async () => {
    const { AudioFollowingClock } = await import('./clock');
    let wall = 0;
    let heard: number | null = 4.9;
    const clock = new AudioFollowingClock(() => heard, () => wall);
    clock.seek(5);
    clock.play();
    wall = 20;
    expect(clock.now()).toBe(5);
    heard = 5.03;
    wall = 50;
    expect(clock.now()).toBeCloseTo(5.03, 9);
  });

  it('holds the first frame while sound is expected but not heard yet, for at most AUDIO_START_HOLD_MS', async () => {
    const { AudioFollowingClock, AUDIO_START_HOLD_MS } = await import('./clock');
    let wall = 0;
    let heard: number | null = null;
    let expects = true;
    const clock = new AudioFollowingClock(() => heard, () => wall, () => expects);
    clock.seek(3);
    clock.play();
    wall = 400;
    expect(clock.now()).toBe(3); // decoders priming: the picture waits
    heard = 3.01; // the sound starts: the clock follows it from there, not from 3.4
    wall = 410;
    expect(clock.now()).toBeCloseTo(3.01, 9);
    // A seek while playing starts a new hold.
    heard = null;
    wall = 420;
    clock.seek(8);
    wall = 420 + AUDIO_START_HOLD_MS - 1;
    expect(clock.now()).toBe(8);
    // The sound never comes: after the hold the picture plays on its own.
    wall = 420 + AUDIO_START_HOLD_MS + 100;
    expect(clock.now()).toBeGreaterThan(8);
    // Nothing expected (no output yet): no hold at all.
    expects = false;
    clock.pause();
    clock.seek(1);
    clock.play();
    wall += 250;
    expect(clock.now()).toBeCloseTo(1.25, 9);
  });
});
