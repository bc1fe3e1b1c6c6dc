import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../health/rules';
import { forecastObservations, leastSquaresSlope } from './forecast';
import { metricsCore, T0 } from './metrics-test-fixtures';

let core: Awaited<ReturnType<typeof metricsCore>>;
beforeEach(async () => {
  core = await metricsCore();
});
afterEach(async () => {
  await core.dispose();
});

const DAY = 86_400_000;
const GB = 1e9;
const SIZE = 200 * GB;

/** `/` fills linearly at `perDay` from 100 GB; `/srv` stays put. Sampled every 10 minutes for `days`. */
function fill(days: number, perDay: number): void {
  for (let t = 0; t <= days * DAY; t += 600_000) {
    const used = 100 * GB + (perDay * t) / DAY;
    core.ingest(T0 + t, { 'fs.used:/': used, 'fs.avail:/': SIZE - used, 'fs.used:/srv': 10 * GB, 'fs.avail:/srv': 90 * GB });
  }
  core.clock.set(new Date(T0 + days * DAY).toISOString());
}

describe('disk-full forecast', () => {
  it('extrapolates a linear fill to the day the disk is full', async () => {
    fill(20, 2 * GB); // after 20 days: 140 GB used, 60 GB left, 2 GB a day → 30 days
    const [root, srv] = await core.call('metrics.forecast', { serverId: core.serverId });
    expect(root?.mount).toBe('/');
    expect(root?.status).toBe('filling');
    expect(root?.growthBytesPerDay).toBeCloseTo(2 * GB, -7);
    expect(root?.daysLeft).toBeGreaterThan(29.5);
    expect(root?.daysLeft).toBeLessThan(30.5);
    expect(root?.sizeBytes).toBeCloseTo(SIZE, -6);
    expect(srv).toMatchObject({ mount: '/srv', status: 'stable', daysLeft: null });
  });

  it('waits for 7 days of history before saying anything', async () => {
    fill(3, 20 * GB);
    const [root] = await core.call('metrics.forecast', { serverId: core.serverId });
    expect(root).toMatchObject({ status: 'insufficient_history', daysLeft: null, growthBytesPerDay: null });
    expect(forecastObservations(core, core.serverId, DEFAULT_RULES, core.clock.now())).toEqual([]);
  });

  it('becomes a health warning under 14 days', () => {
    fill(10, 8 * GB); // 180 GB used, 20 GB left at 8 GB a day: 2.5 days
    const observations = forecastObservations(core, core.serverId, DEFAULT_RULES, core.clock.now());
    expect(observations.map((o) => [o.subject, o.failing, o.value.daysLeft])).toEqual([
      ['/', true, 2],
      ['/srv', false, null],
    ]);
  });

  it('fits a least-squares slope', () => {
    expect(leastSquaresSlope([0, 1, 2, 3], [1, 3, 5, 7])).toBe(2);
    expect(leastSquaresSlope([0, 1, 2, 3], [4, 4, 4, 4])).toBe(0);
    expect(leastSquaresSlope([1, 1], [1, 2])).toBe(0);
  });
});
