import { describe, expect, it } from 'vitest';
import { interleavePairs } from './interleave.mjs';
import { median, percentileSorted, summarize } from './stats.mjs';

describe('interleavePairs', () => {
  it('alternates the order within pairs (A B, B A, …) and reports the median pair ratio with min and max', async () => {
    const calls = [];
    const a = [10, 20, 30, 40, 50];
    const b = [10, 10, 10, 10, 100];
    const result = await interleavePairs({
      pairs: 5,
      measureA: (pair) => {
        calls.push(`A${pair}`);
        return a[pair];
      },
      measureB: (pair) => {
        calls.push(`B${pair}`);
        return b[pair];
      },
    });
    expect(calls).toEqual(['A0', 'B0', 'B1', 'A1', 'A2', 'B2', 'B3', 'A3', 'A4', 'B4']);
    expect(result.ratio.values).toEqual([1, 2, 3, 4, 0.5]);
    expect(result.ratio).toMatchObject({ median: 2, min: 0.5, max: 4 });
    expect(result.pairs).toBe(5);
  });

  it('never stops before 5 pairs, even past its deadline', async () => {
    const result = await interleavePairs({ pairs: 9, deadline: 0, measureA: () => 1, measureB: () => 1 });
    expect(result.pairs).toBe(5);
  });
});

describe('stats', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('uses nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentileSorted(sorted, 99)).toBe(99);
    expect(percentileSorted(sorted, 50)).toBe(50);
    expect(summarize([2, 1, 3])).toMatchObject({ median: 2, min: 1, max: 3 });
  });
});
