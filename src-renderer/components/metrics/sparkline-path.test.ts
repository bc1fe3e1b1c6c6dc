import { describe, expect, it } from 'vitest';
import { sparklineGeometry } from './sparkline-path';

describe('sparklineGeometry', () => {
  it('starts a new segment after each gap and draws a lone point as a dot', () => {
    const { path, dots } = sparklineGeometry([0, 100, null, 50, null, 0, 0], 60, 20, 0);
    expect(path).toBe('M0 20 L10 0 M50 20 L60 20');
    expect(dots).toEqual([{ x: 30, y: 10 }]);
  });

  it('is empty without data', () => {
    expect(sparklineGeometry([null, null], 60, 20)).toEqual({ path: '', dots: [] });
  });
});
