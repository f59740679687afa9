import { describe, expect, it } from 'vitest';
import { isoTime } from './logger.js';

describe('isoTime', () => {
  it('writes the time as pino.stdTimeFunctions.isoTime does, to the millisecond', () => {
    const instants = [
      0, 5, 42, 999, 1000, 1_764_032_523_004, 1_764_032_523_040, 1_764_032_523_400, 1_764_032_523_999,
      1_764_032_524_000, 1_764_032_583_123, 4_102_444_799_999,
    ];
    let at = 0;
    const time = isoTime(() => at);
    for (const instant of instants) {
      at = instant;
      expect(time()).toBe(`,"time":"${new Date(instant).toISOString()}"`);
    }
  });

  it('is right again after the clock goes back', () => {
    let at = 1_764_032_583_123;
    const time = isoTime(() => at);
    time();
    at = 1_764_032_523_007;
    expect(time()).toBe(`,"time":"${new Date(at).toISOString()}"`);
  });
});
