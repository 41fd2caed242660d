import { describe, expect, it } from 'vitest';

import { summarise } from './stats';

describe('summarise', () => {
  it('gives median, min, max and count regardless of order', () => {
    expect(summarise([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, runs: 3 });
    expect(summarise([4, 2, 8, 6])).toEqual({ median: 5, min: 2, max: 8, runs: 4 });
  });
  it('refuses an empty sample set', () => {
    expect(() => summarise([])).toThrow(/no samples/);
  });
});
