import { describe, expect, it } from 'vitest';
import type { MetricPoint, MetricSeries } from '../../../src-main/contract';
import { col, hasData, maxValue, seriesCsv, thresholdOf, toRows } from './chart-data';

const p = (t: number, v: number, min = v, max = v): MetricPoint => ({ t, v, min, max });
const series = (key: string, points: (MetricPoint | null)[]): MetricSeries => ({ key, metric: 'cpu.user', subject: '', unit: 'percent', points });

describe('toRows', () => {
  it('breaks the line in the middle of a gap and never bridges it', () => {
    const rows = toRows([series('cpu.user', [p(0, 1), p(10, 2), null, p(100, 3), p(110, 4)])]);
    expect(rows.map((r) => r.t)).toEqual([0, 10, 55, 100, 110]);
    expect(rows.map((r) => r[col.v(0)])).toEqual([1, 2, null, 3, 4]);
    expect(rows[2]?.[col.band(0)]).toBeNull();
  });

  it('keeps the min–max band of each bucket', () => {
    const rows = toRows([series('a', [p(0, 5, 1, 9)])]);
    expect(rows[0]?.[col.band(0)]).toEqual([1, 9]);
  });

  it('makes a time one series lacks a gap for it', () => {
    const rows = toRows([series('a', [p(0, 1), p(10, 2)]), series('b', [p(10, 5)])]);
    expect(rows.map((r) => r[col.v(1)])).toEqual([null, 5]);
  });

  it('marks a point alone between gaps, to be drawn as a dot', () => {
    const rows = toRows([series('a', [p(0, 1), null, p(50, 2), null, p(100, 3), p(110, 4)])]);
    const alone = rows.filter((r) => r[col.alone(0)]).map((r) => r.t);
    expect(alone).toEqual([0, 50]);
  });

  it('stacks lines bottom to top, and leaves the stack out where one is missing', () => {
    const rows = toRows([series('user', [p(0, 10), p(10, 20)]), series('system', [p(0, 5), null, p(30, 1)])], { stacked: true });
    expect(rows[0]?.[col.stack(0)]).toEqual([0, 10]);
    expect(rows[0]?.[col.stack(1)]).toEqual([10, 15]);
    expect(rows[0]?.[col.top(1)]).toBe(15);
    const second = rows.find((r) => r.t === 10);
    expect(second?.[col.stack(0)]).toEqual([0, 20]);
    expect(second?.[col.stack(1)]).toBeNull();
    expect(maxValue(rows, 2, true)).toBe(20);
  });

  it('knows an empty or missing series has no data', () => {
    expect(hasData(toRows([series('a', [null]), null]), 2)).toBe(false);
    expect(hasData(toRows([null, series('b', [p(0, 0)])]), 2)).toBe(true);
  });
});

describe('thresholdOf', () => {
  it('puts the alert line at a share of used + available at the last time both are known', () => {
    const used = series('fs.used:/', [p(0, 40), p(10, 60), null]);
    const avail = series('fs.avail:/', [p(0, 60), p(10, 40)]);
    expect(thresholdOf(used, avail, 90)).toBe(90);
    expect(thresholdOf(used, null, 90)).toBeNull();
    expect(thresholdOf(used, avail, null)).toBeNull();
  });
});

describe('seriesCsv', () => {
  it('writes ISO UTC times and average, min and max per series, empty where a series has no point', () => {
    const csv = seriesCsv(
      [series('net.rx:eth0', [p(Date.UTC(2026, 2, 12, 10), 1.5, 1, 2), null, p(Date.UTC(2026, 2, 12, 11), 3)]), series('net.tx:eth0', [p(Date.UTC(2026, 2, 12, 11), 4)])],
      ['net.rx:eth0', 'net.tx:eth0'],
    );
    expect(csv.split('\r\n')).toEqual([
      'time,net.rx:eth0,net.rx:eth0.min,net.rx:eth0.max,net.tx:eth0,net.tx:eth0.min,net.tx:eth0.max',
      '2026-03-12T10:00:00.000Z,1.5,1,2,,,',
      '2026-03-12T11:00:00.000Z,3,3,3,4,4,4',
      '',
    ]);
  });

  it('writes the seven digits a stored value holds', () => {
    const csv = seriesCsv([series('cpu.user', [p(0, Math.fround(49.206348), 0, 24_412_345_678)])], ['cpu.user']);
    expect(csv.split('\r\n')[1]).toBe('1970-01-01T00:00:00.000Z,49.20635,0,24412350000');
  });

  it('quotes a key that holds a comma', () => {
    expect(seriesCsv([null], ['fs.used:/mnt/a,b']).split('\r\n')[0]).toBe('time,"fs.used:/mnt/a,b","fs.used:/mnt/a,b.min","fs.used:/mnt/a,b.max"');
  });
});
