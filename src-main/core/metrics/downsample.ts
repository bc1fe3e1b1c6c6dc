// Reduces a series to at most `maxPoints` for drawing, keeping what matters on a chart: each bucket carries its mean
// and its extremes (so a one-sweep spike still reaches the bucket's max), and a hole in the data stays a hole — a
// null point the chart does not bridge. Source points are columns of typed arrays: a year of hourly buckets is
// tens of thousands of points per query, too many to allocate an object each.
import type { MetricPoint } from '../../contract';

/** Source points in time order: raw samples (min = max = v, weight 1) or rollup buckets (weight = sample count). */
export class SourceColumn {
  length = 0;
  t: Float64Array;
  v: Float64Array;
  min: Float64Array;
  max: Float64Array;
  weight: Float64Array;

  constructor(capacity: number) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
    this.min = new Float64Array(capacity);
    this.max = new Float64Array(capacity);
    this.weight = new Float64Array(capacity);
  }

  push(t: number, v: number, min: number, max: number, weight: number): void {
    const i = this.length++;
    this.t[i] = t;
    this.v[i] = v;
    this.min[i] = min;
    this.max[i] = max;
    this.weight[i] = weight;
  }

  static of(points: readonly (MetricPoint & { weight?: number })[]): SourceColumn {
    const column = new SourceColumn(points.length);
    for (const p of points) column.push(p.t, p.v, p.min, p.max, p.weight ?? 1);
    return column;
  }
}

export interface DownsampleOptions {
  maxPoints: number;
  /** Two consecutive source points further apart than this have a gap between them. */
  gapMs: number;
}

export interface Downsampled {
  /** Width of an output bucket (0: the source points, untouched). */
  stepMs: number;
  points: (MetricPoint | null)[];
}

export function downsample(source: SourceColumn, options: DownsampleOptions): Downsampled {
  const { maxPoints, gapMs } = options;
  const n = source.length;
  if (n === 0) return { stepMs: 0, points: [] };
  if (n + countGaps(source, gapMs) <= maxPoints) return { stepMs: 0, points: asTheyAre(source, gapMs) };
  const span = (source.t[n - 1] as number) - (source.t[0] as number) + 1;
  let buckets = maxPoints;
  for (;;) {
    // Buckets aligned on multiples of their width, so the same data gives the same points whatever the exact range.
    const stepMs = Math.max(1, Math.ceil(span / buckets));
    const points = bucketed(source, stepMs, Math.max(gapMs, stepMs));
    if (points.length <= maxPoints) return { stepMs, points };
    // Gaps take room too: fewer, wider buckets until the whole fits.
    buckets = Math.max(1, Math.floor((buckets * maxPoints) / points.length) - 1);
  }
}

function countGaps(source: SourceColumn, gapMs: number): number {
  let gaps = 0;
  for (let i = 1; i < source.length; i++) if ((source.t[i] as number) - (source.t[i - 1] as number) > gapMs) gaps++;
  return gaps;
}

function asTheyAre(source: SourceColumn, gapMs: number): (MetricPoint | null)[] {
  const out: (MetricPoint | null)[] = [];
  for (let i = 0; i < source.length; i++) {
    const t = source.t[i] as number;
    if (i > 0 && t - (source.t[i - 1] as number) > gapMs) out.push(null);
    out.push({ t, v: source.v[i] as number, min: source.min[i] as number, max: source.max[i] as number });
  }
  return out;
}

function bucketed(source: SourceColumn, stepMs: number, gapMs: number): (MetricPoint | null)[] {
  const out: (MetricPoint | null)[] = [];
  let start = Number.NaN;
  let sum = 0;
  let weight = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < source.length; i++) {
    const t = source.t[i] as number;
    const bucket = t - (t % stepMs);
    if (bucket !== start) {
      if (weight > 0) out.push({ t: start, v: sum / weight, min, max });
      // The hole between the last point of the previous bucket and this one decides, not the buckets' distance.
      if (i > 0 && t - (source.t[i - 1] as number) > gapMs) out.push(null);
      start = bucket;
      sum = 0;
      weight = 0;
      min = Infinity;
      max = -Infinity;
    }
    const w = source.weight[i] as number;
    sum += (source.v[i] as number) * w;
    weight += w;
    min = Math.min(min, source.min[i] as number);
    max = Math.max(max, source.max[i] as number);
  }
  if (weight > 0) out.push({ t: start, v: sum / weight, min, max });
  return out;
}
