import { describe, expect, it } from 'vitest';
import { moneyTicks } from './chart-ticks';

describe('moneyTicks', () => {
  it('steps by 1, 2 or 5 × 10ⁿ whole units and ends at or just above the largest bar', () => {
    expect(moneyTicks(2500)).toEqual([0, 1000, 2000, 3000]);
    expect(moneyTicks(123_400 + 2_500)).toEqual([0, 50_000, 100_000, 150_000]);
    expect(moneyTicks(1250)).toEqual([0, 500, 1000, 1500]);
    expect(moneyTicks(800)).toEqual([0, 200, 400, 600, 800]);
  });

  it('never steps below one unit, even for a few cents or nothing', () => {
    expect(moneyTicks(3)).toEqual([0, 100]);
    expect(moneyTicks(0)).toEqual([0, 100]);
  });

  it('keeps about four intervals for any amount', () => {
    for (const max of [1, 99, 101, 999, 12_345, 9_999_999, 100_000_000_00]) {
      const ticks = moneyTicks(max);
      expect(ticks.at(-1)).toBeGreaterThanOrEqual(max);
      expect(ticks.length - 1).toBeLessThanOrEqual(5);
      const step = ticks[1]!;
      expect(step % 100).toBe(0);
      expect(String(step / 100)).toMatch(/^[125]0*$/);
    }
  });
});
