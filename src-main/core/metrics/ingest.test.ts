import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metricsCore, T0 } from './metrics-test-fixtures';

let core: Awaited<ReturnType<typeof metricsCore>>;
beforeEach(async () => {
  core = await metricsCore();
});
afterEach(async () => {
  await core.dispose();
});

const MIN = 60_000;

describe('rollups', () => {
  it('keeps min, mean and max per 5-minute and 1-hour bucket, as computed by hand', async () => {
    // 00:00, 00:01, 00:02 → bucket 00:00; 00:05, 00:06 → bucket 00:05; all in the 00:00 hour.
    const loads = [[0, 1], [1, 3], [2, 8], [5, 2], [6, 4]] as const;
    for (const [minute, value] of loads) core.ingest(T0 + minute * MIN, { 'load.1': value });
    const fiveMin = await core.call('metrics.query', { serverId: core.serverId, series: ['load.1'], from: T0 - 1, to: T0 + 7 * MIN, maxPoints: 100 });
    // Inside raw retention and few points: raw samples as they are; 00:02 → 00:05 is more than three 30 s sweeps
    // without a sample, so a gap.
    expect(fiveMin.tier).toBe('raw');
    expect(fiveMin.series[0]?.points.map((p) => p?.v ?? null)).toEqual([1, 3, 8, null, 2, 4]);

    const rollups = (table: string) =>
      (core.db.prepare(`select key, vals from ${table} order by key`).raw().all() as [number, Buffer][]).map(([, vals]) => [
        vals.readFloatLE(0), vals.readFloatLE(4), vals.readFloatLE(8), vals.readFloatLE(12),
      ]);
    // [min, max, mean, count]
    expect(rollups('metric_5m')).toEqual([[1, 8, 4, 3], [2, 4, 3, 2]]);
    expect(rollups('metric_1h')).toEqual([[1, 8, 3.5999999046325684, 5]]);
  });

  it('reads rollups through the query when the range asks for coarse points', async () => {
    for (let minute = 0; minute < 120; minute++) core.ingest(T0 + minute * MIN, { 'load.1': minute % 60 === 30 ? 50 : 1 });
    core.clock.set(new Date(T0 + 120 * MIN).toISOString());
    const result = await core.call('metrics.query', { serverId: core.serverId, series: ['load.1'], from: T0, to: T0 + 120 * MIN, maxPoints: 2 });
    expect(result.tier).toBe('1h');
    const points = result.series[0]?.points ?? [];
    expect(points.map((p) => [p?.t, p?.min, p?.max])).toEqual([[T0, 1, 50], [T0 + 60 * MIN, 1, 50]]);
    for (const p of points) expect(p?.v).toBeCloseTo((59 + 50) / 60, 5);
  });

  it('adds a series that appears later (a new mount) without disturbing the older samples', async () => {
    core.ingest(T0, { 'fs.used:/': 100 });
    core.ingest(T0 + MIN, { 'fs.used:/': 110, 'fs.used:/srv': 5 });
    const series = await core.call('metrics.series', { serverId: core.serverId });
    expect(series.map((s) => [s.key, s.unit])).toEqual([['fs.used:/', 'bytes'], ['fs.used:/srv', 'bytes']]);
    const result = await core.call('metrics.query', { serverId: core.serverId, series: ['fs.used:/', 'fs.used:/srv', 'net.rx:eth9'], from: T0, to: T0 + MIN, maxPoints: 10 });
    expect(result.series.map((s) => s.points.map((p) => p?.v))).toEqual([[100, 110], [5], []]);
  });

  it('refuses an unknown metric at the boundary', async () => {
    await expect(core.call('metrics.query', { serverId: core.serverId, series: ['cpu.magic'], from: T0, to: T0 + 1, maxPoints: 10 })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });
});
