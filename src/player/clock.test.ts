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
