import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, Incident } from '../../contract';
import { freeLoopbackPort, startSshd, type SshdFixture } from '../../testing/sshd';
import { healthCore, pinnedServer } from './health-test-fixtures';
import { poolFor } from './pool-for-core';
import { startHealthScheduler } from './scheduler';

let fixture: SshdFixture;
beforeAll(async () => {
  fixture = await startSshd();
});
afterAll(async () => {
  await fixture.stop();
});

/** A real service: a node HTTP server in its own process on 127.0.0.1. */
async function startService(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', `require('http').createServer((q, r) => r.end('pad ok')).listen(${port}, '127.0.0.1', () => console.log('ready'))`], {
    stdio: ['ignore', 'pipe', 'inherit'] as const,
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`service exited ${code}`)));
  });
  return child;
}

const waitFor = <T>(check: () => T | undefined, timeoutMs: number): Promise<T> =>
  new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const value = check();
      if (value !== undefined) {
        clearInterval(poll);
        resolve(value);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`not within ${timeoutMs} ms`));
      }
    }, 20);
  });

describe('health scheduler', () => {
  it('staggers first sweeps and sweeps each server on its interval', async () => {
    const core = healthCore();
    const other = await startSshd();
    try {
      const one = await pinnedServer(core.call, fixture, { name: 'one' });
      const two = await pinnedServer(core.call, other, { name: 'two' });
      const sweeps: { id: string; at: number }[] = [];
      core.events.onAny((name: EventName, payload) => {
        if (name === 'health.updated') for (const id of (payload as { serverIds: string[] }).serverIds) sweeps.push({ id, at: Date.now() });
      });
      const started = Date.now();
      const scheduler = startHealthScheduler(core, poolFor(core), { intervalMsOf: () => 600, tickMs: 20 });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      scheduler.stop();
      const of = (id: string) => sweeps.filter((s) => s.id === id).map((s) => s.at - started);
      const [first, second] = [of(one.id), of(two.id)];
      // 'one' at once, 'two' half an interval (300 ms) later; then about every 600 ms each. Bounds are loose: each
      // sweep's own SSH round trips stretch under a busy machine, the schedule does not.
      expect(first[0]).toBeDefined();
      expect(second[0]! - first[0]!).toBeGreaterThanOrEqual(150);
      for (const times of [first, second]) {
        expect(times.length).toBeGreaterThanOrEqual(2);
        expect(times.length).toBeLessThanOrEqual(4);
      }
    } finally {
      await other.stop();
      await core.dispose();
    }
  });

  it('alerts within a minute that a service died, with the default settings (real clock)', async () => {
    const core = healthCore({ pool: {} }); // the production pool's timeouts
    const port = await freeLoopbackPort();
    const service = await startService(port);
    try {
      await pinnedServer(core.call, fixture, {
        name: 'garage',
        services: [{ name: 'Etherpad', kind: 'etherpad', url: `http://127.0.0.1:${port}/`, expectText: 'pad ok', port }],
      });
      const opened: Incident[] = [];
      let greenAt = 0;
      core.events.onAny((name, payload) => {
        if (name === 'incidents.changed' && (payload as { change: string }).change === 'opened') opened.push((payload as { incident: Incident }).incident);
        if (name === 'health.updated' && greenAt === 0) greenAt = Date.now();
      });
      const scheduler = startHealthScheduler(core, poolFor(core)); // 30 s interval, failAfter 2
      try {
        await waitFor(() => (greenAt > 0 ? true : undefined), 10_000);
        expect((await core.call('servers.list', {}))[0]?.colour).toBe('green');
        // Right after a sweep: the worst moment, a whole interval before the next look.
        service.kill('SIGKILL');
        const killedAt = Date.now();
        const incident = await waitFor(() => opened[0], 60_000);
        const latency = Date.now() - killedAt;
        console.log('alert latency', latency, 'ms');
        expect(latency).toBeLessThan(60_000);
        expect(incident).toMatchObject({ serverName: 'garage', serviceName: 'Etherpad', status: 'open' });
        expect(['http_failing', 'service_inactive']).toContain(incident.ruleId);
        expect(incident.timeline.map((e) => e.kind)).toEqual(['first_failure', 'opened', 'alerted']);
      } finally {
        scheduler.stop();
      }
    } finally {
      service.kill('SIGKILL');
      await core.dispose();
    }
  }, 90_000);
});
