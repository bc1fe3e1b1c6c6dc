import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type SshdFixture } from '../../testing/sshd';
import { healthCore, pinnedServer } from '../health/health-test-fixtures';

let fixture: SshdFixture;
beforeAll(async () => {
  fixture = await startSshd();
});
afterAll(async () => {
  await fixture.stop();
});

describe('history from real sweeps', () => {
  it('stores every sweep of a real server, rates from the second one on', async () => {
    const core = healthCore();
    try {
      const server = await pinnedServer(core.call, fixture);
      const started = Date.now();
      await core.call('health.sweep', { serverId: server.id });
      const afterFirst = new Set((await core.call('metrics.series', { serverId: server.id })).map((s) => s.key));
      // The first sweep has no previous sample: no CPU shares, no rates — absent, not zero.
      expect(afterFirst.has('cpu.user')).toBe(false);
      for (const key of ['load.1', 'mem.used', 'mem.available', 'fs.used:/', 'fs.avail:/']) expect(afterFirst).toContain(key);

      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await core.call('health.sweep', { serverId: server.id });
      const keys = (await core.call('metrics.series', { serverId: server.id })).map((s) => s.key);
      expect(keys).toContain('cpu.user');
      expect(keys.some((k) => k.startsWith('net.rx:'))).toBe(true);

      const result = await core.call('metrics.query', {
        serverId: server.id,
        series: ['mem.used', 'cpu.user', 'fs.used:/'],
        from: started - 1_000,
        to: Date.now() + 1_000,
        maxPoints: 100,
      });
      expect(result.tier).toBe('raw');
      const [mem, cpu, root] = result.series;
      expect(mem?.points).toHaveLength(2);
      expect(mem?.points[0]?.v).toBeGreaterThan(1e6);
      expect(cpu?.points).toHaveLength(1);
      expect(cpu?.points[0]?.v).toBeGreaterThanOrEqual(0);
      expect(cpu?.points[0]?.v).toBeLessThanOrEqual(100);
      expect(root?.unit).toBe('bytes');
      expect(root?.points[1]?.v).toBeGreaterThan(0);
      const buckets = core.db.prepare('select count(*) from metric_5m').pluck().get() as number;
      expect(buckets).toBeGreaterThanOrEqual(1);
    } finally {
      await core.dispose();
    }
  });
});
