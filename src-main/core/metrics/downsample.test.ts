import type { MetricPoint } from '../../contract';
import { describe, expect, it } from 'vitest';
import { downsample as reduce, SourceColumn, type DownsampleOptions } from './downsample';

type SourcePoint = MetricPoint & { weight: number };
const downsample = (points: SourcePoint[], options: DownsampleOptions) => reduce(SourceColumn.of(points), options);

const raw = (t: number, v: number): SourcePoint => ({ t, v, min: v, max: v, weight: 1 });
const SWEEP = 30_000;

describe('downsample', () => {
  it('returns the points as they are when they fit', () => {
    const points = [raw(0, 1), raw(SWEEP, 2), raw(2 * SWEEP, 3)];
    expect(downsample(points, { maxPoints: 10, gapMs: 3 * SWEEP })).toEqual({ stepMs: 0, points: points.map(({ weight: _, ...p }) => p) });
  });

  it('keeps a one-sample spike as the maximum of its bucket', () => {
    const points = Array.from({ length: 10_000 }, (_, i) => raw(i * SWEEP, i === 7_321 ? 99 : 5));
    const { points: out, stepMs } = downsample(points, { maxPoints: 100, gapMs: 3 * SWEEP });
    expect(out.length).toBeLessThanOrEqual(100);
    expect(stepMs).toBeGreaterThan(SWEEP);
    const maxima = out.map((p) => p?.max ?? 0);
    expect(Math.max(...maxima)).toBe(99);
    // Only the spike's bucket reaches it; its mean is diluted, its minimum untouched.
    const spike = out.find((p) => p?.max === 99);
    expect(spike?.min).toBe(5);
    expect(spike?.v).toBeGreaterThan(5);
    expect(spike?.v).toBeLessThan(99);
    expect(maxima.filter((m) => m === 99)).toHaveLength(1);
  });

  it('weights rollup buckets by their sample count', () => {
    const points: SourcePoint[] = [
      { t: 0, v: 10, min: 0, max: 20, weight: 1 },
      { t: 1, v: 40, min: 30, max: 50, weight: 3 },
      { t: 2, v: 0, min: 0, max: 0, weight: 1 },
    ];
    const { points: out } = downsample(points, { maxPoints: 2, gapMs: 10 });
    expect(out[0]).toEqual({ t: 0, v: (10 + 120) / 4, min: 0, max: 50 });
  });

  it('keeps a gap a gap: a null between the two sides, never a line across', () => {
    const before = Array.from({ length: 3_000 }, (_, i) => raw(i * SWEEP, 1));
    const hole = 12 * 3_600_000; // the laptop was closed all night
    const after = Array.from({ length: 3_000 }, (_, i) => raw(3_000 * SWEEP + hole + i * SWEEP, 2));
    for (const maxPoints of [100, 10_000]) {
      const { points: out } = downsample([...before, ...after], { maxPoints, gapMs: 3 * SWEEP });
      expect(out.length).toBeLessThanOrEqual(maxPoints);
      const nulls = out.flatMap((p, i) => (p === null ? [i] : []));
      expect(nulls).toHaveLength(1);
      const at = nulls[0] as number;
      expect(out[at - 1]?.v).toBe(1);
      expect(out[at + 1]?.v).toBe(2);
    }
  });

  it('never exceeds maxPoints, even when gaps take room', () => {
    // A sample every 30 s with a 5-minute hole every 10 samples: many gaps.
    const points: SourcePoint[] = [];
    for (let i = 0, t = 0; i < 5_000; i++, t += i % 10 === 0 ? 300_000 : SWEEP) points.push(raw(t, i));
    for (const maxPoints of [2, 7, 50, 600]) {
      expect(downsample(points, { maxPoints, gapMs: 3 * SWEEP }).points.length).toBeLessThanOrEqual(maxPoints);
    }
  });
});
