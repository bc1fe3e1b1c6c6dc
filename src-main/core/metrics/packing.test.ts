import { describe, expect, it } from 'vitest';
import { foldIntoRollup, keySeconds, packRollup, packSample, rollupCell, rowKey, sampleValue } from './packing';

describe('packing', () => {
  it('round-trips keys and float32 samples, NaN where a series was not measured', () => {
    const key = rowKey(12, 1_780_000_000);
    expect(keySeconds(key)).toBe(1_780_000_000);
    expect(Math.floor(key / 2 ** 34)).toBe(12);
    const blob = packSample(3, new Map([[0, 1.5], [2, 1e12]]));
    expect(blob.length).toBe(12);
    expect(sampleValue(blob, 0)).toBe(1.5);
    expect(sampleValue(blob, 1)).toBeNaN();
    expect(sampleValue(blob, 2) / 1e12).toBeCloseTo(1, 6);
    expect(sampleValue(blob, 7)).toBeNaN(); // a series added after this sample
  });

  it('packs a bulk bucket exactly as folding its samples one by one does', () => {
    let folded: Buffer | null = null;
    for (const v of [4, 1, 7]) folded = foldIntoRollup(folded, 2, new Map([[1, v]]));
    const bulk = packRollup([null, { min: 1, max: 7, mean: 4, count: 3 }]);
    expect(bulk.equals(folded as Buffer)).toBe(true);
    expect(rollupCell(bulk, 0)).toBeNull();
    expect(rollupCell(bulk, 1)).toEqual({ min: 1, max: 7, mean: 4, count: 3 });
  });
});
