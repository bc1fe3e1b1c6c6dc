/**
 * From query results to what recharts draws: one row per time, one column per line (its average, its min–max band,
 * its stacked span), `null` where a series has no data so the line breaks there. Also the CSV of a chart's series.
 */
import type { MetricPoint, MetricQueryResult, MetricSeries } from '../../../src-main/contract';

/** The columns of line `i`: its value, its [min, max] band, its [bottom, top] when stacked, alone between gaps. */
export const col = {
  v: (i: number) => `v${i}`,
  band: (i: number) => `b${i}`,
  stack: (i: number) => `s${i}`,
  /** The top of line `i`'s stacked span: the line drawn over the stacked areas. */
  top: (i: number) => `t${i}`,
  alone: (i: number) => `a${i}`,
};

export type Row = { t: number } & Record<string, number | [number, number] | boolean | null>;

/** The series of `keys` in that order; a key the core did not return is an empty series. */
export function seriesInOrder(result: MetricQueryResult, keys: readonly string[]): (MetricSeries | null)[] {
  const byKey = new Map(result.series.map((s) => [s.key, s]));
  return keys.map((k) => byKey.get(k) ?? null);
}

/**
 * One row per distinct time. A `null` in a series (a gap: the laptop was closed) becomes a row in the middle of the
 * hole where that series is null, and a time where a series has no point at all is null for it too: recharts,
 * with `connectNulls={false}`, never draws across either.
 */
export function toRows(series: readonly (MetricSeries | null)[], options: { stacked?: boolean } = {}): Row[] {
  const rows = new Map<number, Row>();
  const rowAt = (t: number): Row => {
    let row = rows.get(t);
    if (!row) {
      row = { t };
      rows.set(t, row);
    }
    return row;
  };
  series.forEach((s, i) => {
    if (!s) return;
    let previous: MetricPoint | null = null;
    let inGap = false;
    for (const point of s.points) {
      if (point === null) {
        inGap = previous !== null;
        continue;
      }
      if (inGap && previous) rowAt(previous.t + (point.t - previous.t) / 2)[col.v(i)] = null;
      const row = rowAt(point.t);
      row[col.v(i)] = point.v;
      row[col.band(i)] = [point.min, point.max];
      previous = point;
      inGap = false;
    }
  });
  const sorted = [...rows.values()].sort((a, b) => a.t - b.t);
  for (const row of sorted) {
    series.forEach((_, i) => {
      if (typeof row[col.v(i)] !== 'number') {
        row[col.v(i)] = null;
        row[col.band(i)] = null;
      }
    });
    if (options.stacked) {
      let bottom = 0;
      let complete = true;
      series.forEach((_, i) => {
        const value = row[col.v(i)];
        complete = complete && typeof value === 'number';
        const top = complete ? bottom + (value as number) : 0;
        row[col.stack(i)] = complete ? [bottom, top] : null;
        row[col.top(i)] = complete ? top : null;
        bottom = top;
      });
    }
  }
  // A point with gaps on both sides has no line to be part of: it is drawn as a dot instead.
  series.forEach((_, i) => {
    sorted.forEach((row, index) => {
      const isValue = (r: Row | undefined) => r !== undefined && typeof r[col.v(i)] === 'number';
      row[col.alone(i)] = isValue(row) && !isValue(sorted[index - 1]) && !isValue(sorted[index + 1]);
    });
  });
  return sorted;
}

/** Whether any line has at least one point. */
export const hasData = (rows: readonly Row[], lines: number): boolean =>
  rows.some((row) => Array.from({ length: lines }, (_, i) => typeof row[col.v(i)] === 'number').some(Boolean));

/** The largest value drawn (band tops and stack tops included), for the Y axis. */
export function maxValue(rows: readonly Row[], lines: number, stacked: boolean): number {
  let max = 0;
  for (const row of rows) {
    for (let i = 0; i < lines; i++) {
      const cell = stacked ? row[col.stack(i)] : row[col.band(i)];
      if (Array.isArray(cell)) max = Math.max(max, cell[1]);
      const value = row[col.v(i)];
      if (typeof value === 'number') max = Math.max(max, value);
    }
  }
  return max;
}

/** The last value of a series, for sizes (used + available is a filesystem's size). */
export function lastValue(series: MetricSeries | null): number | null {
  if (!series) return null;
  for (let i = series.points.length - 1; i >= 0; i--) {
    const point = series.points[i];
    if (point) return point.v;
  }
  return null;
}

/** `used + other` at the last time both are known, times `percent`: where an alert on that share fires. */
export function thresholdOf(used: MetricSeries | null, other: MetricSeries | null, percent: number | null): number | null {
  if (percent === null) return null;
  const a = lastValue(used);
  const b = lastValue(other);
  if (a === null || b === null || a + b <= 0) return null;
  return ((a + b) * percent) / 100;
}

/** Values are stored as float32: seven significant digits is all they hold ("49.20635", not "49.20634841918945"). */
const csvNumber = (value: number): string => String(Number(value.toPrecision(7)));

const csvCell = (value: string): string => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/**
 * A chart's series as CSV for scripts and spreadsheets: `time` in ISO 8601 UTC, then per series its average, min and
 * max (`cpu.user`, `cpu.user.min`, `cpu.user.max`), one line per time with data; a series without data then is empty.
 */
export function seriesCsv(series: readonly (MetricSeries | null)[], keys: readonly string[]): string {
  const header = ['time', ...keys.flatMap((k) => [k, `${k}.min`, `${k}.max`])];
  const byTime = new Map<number, (MetricPoint | undefined)[]>();
  series.forEach((s, i) => {
    for (const point of s?.points ?? []) {
      if (!point) continue;
      const cells = byTime.get(point.t) ?? [];
      cells[i] = point;
      byTime.set(point.t, cells);
    }
  });
  const lines = [...byTime.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, cells]) => [new Date(t).toISOString(), ...keys.flatMap((_, i) => {
      const point = cells[i];
      return point ? [csvNumber(point.v), csvNumber(point.min), csvNumber(point.max)] : ['', '', ''];
    })]);
  return [header, ...lines].map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
