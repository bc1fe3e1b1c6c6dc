import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metricsCore, T0 } from './metrics-test-fixtures';

let core: Awaited<ReturnType<typeof metricsCore>>;
beforeEach(async () => {
  core = await metricsCore();
});
afterEach(async () => {
  await core.dispose();
});

describe('metrics handlers', () => {
  it('keeps the retention in the settings, audited, and refuses a coarse tier kept shorter than a fine one', async () => {
    expect(await core.call('metrics.getRetention', {})).toEqual({ rawDays: 14, fiveMinuteDays: 90, hourDays: 730 });
    await core.call('metrics.setRetention', { rawDays: 7, fiveMinuteDays: 60, hourDays: 365 });
    expect(await core.call('metrics.getRetention', {})).toEqual({ rawDays: 7, fiveMinuteDays: 60, hourDays: 365 });
    const audit = core.db.prepare(`select entity_id, changes from audit_log where entity = 'settings' and entity_id = 'metricsRetention'`).all() as { changes: string }[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]?.changes ?? '{}')).toMatchObject({ rawDays: { from: 14, to: 7 } });
    await expect(core.call('metrics.setRetention', { rawDays: 30, fiveMinuteDays: 10, hourDays: 365 })).rejects.toMatchObject({ code: 'invalid_argument' });
    expect((await core.call('metrics.getRetention', {})).rawDays).toBe(7);
  });

  it('draws a sparkline of CPU busy per server on a fixed grid, gaps as null', async () => {
    const HOUR = 3_600_000;
    // Two hours of samples, then nothing for the rest of the day.
    for (let t = 0; t < 2 * HOUR; t += 30_000) core.ingest(T0 + t, { 'cpu.user': 10, 'cpu.system': 5, 'cpu.steal': 1, 'cpu.iowait': 50 });
    core.clock.set(new Date(T0 + 24 * HOUR).toISOString());
    const [line] = await core.call('metrics.sparklines', { hours: 24, points: 24 });
    expect(line?.serverId).toBe(core.serverId);
    expect(line?.points).toHaveLength(24);
    expect(line?.points.slice(0, 2).map((v) => v?.toFixed(1))).toEqual(['16.0', '16.0']);
    expect(line?.points.slice(2).every((v) => v === null)).toBe(true);
  });

  it('answers an empty series list for a server never swept, and not_found for an unknown one', async () => {
    expect(await core.call('metrics.series', { serverId: core.serverId })).toEqual([]);
    await expect(core.call('metrics.series', { serverId: '0b6f4c1e-8d6a-4f0e-9b1e-1c2d3e4f5a6b' })).rejects.toMatchObject({ code: 'server_not_found' });
  });
});
