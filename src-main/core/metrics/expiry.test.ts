import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expireAll, expireBatch } from './expiry';
import { keySeconds } from './packing';
import { metricsCore, T0 } from './metrics-test-fixtures';
import { DEFAULT_RETENTION } from './tiers';

let core: Awaited<ReturnType<typeof metricsCore>>;
beforeEach(async () => {
  core = await metricsCore();
});
afterEach(async () => {
  await core.dispose();
});

const DAY = 86_400_000;
const times = (table: string) => (core.db.prepare(`select key from ${table} order by key`).pluck().all() as number[]).map((k) => keySeconds(k) * 1000);

describe('expiry', () => {
  it('removes from each tier only what is older than its retention', async () => {
    const retention = { rawDays: 2, fiveMinuteDays: 5, hourDays: 10 };
    // A sample every 6 hours for 12 days.
    for (let t = T0; t <= T0 + 12 * DAY; t += 6 * 3_600_000) core.ingest(t, { 'load.1': 1 });
    const now = T0 + 12 * DAY;
    const deleted = await expireAll(core.db, () => retention, () => now, 3); // tiny batches: several rounds
    const counts = { raw: 49 - times('metric_raw').length, '5m': 49 - times('metric_5m').length, '1h': 49 - times('metric_1h').length };
    expect(deleted).toBe(counts.raw + counts['5m'] + counts['1h']);
    expect(Math.min(...times('metric_raw'))).toBe(now - 2 * DAY);
    // A bucket goes once it lies wholly before the cutoff: the one straddling it stays.
    expect(Math.min(...times('metric_5m'))).toBe(now - 5 * DAY);
    expect(Math.min(...times('metric_1h'))).toBe(now - 10 * DAY);
    expect(counts).toEqual({ raw: 40, '5m': 28, '1h': 8 });
    expect(expireBatch(core.db, retention, now)).toBe(0);
  });

  it('deletes no more than a batch at a time', () => {
    for (let t = T0; t < T0 + 100 * 60_000; t += 60_000) core.ingest(t, { 'load.1': 1 });
    const later = T0 + 30 * DAY;
    expect(expireBatch(core.db, DEFAULT_RETENTION, later, 25)).toBe(25);
    expect(times('metric_raw')).toHaveLength(75);
  });

  it('keeps everything with the default retention for recent data', async () => {
    for (let t = T0; t < T0 + 10 * 60_000; t += 60_000) core.ingest(t, { 'load.1': 1 });
    expect(await expireAll(core.db, () => DEFAULT_RETENTION, () => T0 + DAY)).toBe(0);
    expect(times('metric_raw')).toHaveLength(10);
  });
});
