import net from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freeLoopbackPort, startSshd, type SshdFixture } from '../../testing/sshd';
import { script } from '../ssh';
import { IGNORE_MACHINE_LOAD, healthCore, pinnedServer, serverInput } from './health-test-fixtures';
import { poolFor } from './pool-for-core';
import { sweepServer, sweepServers } from './sweep';

let a: SshdFixture;
let b: SshdFixture;
let core: ReturnType<typeof healthCore>;

beforeAll(async () => {
  [a, b] = await Promise.all([startSshd(), startSshd()]);
});
afterAll(async () => {
  await Promise.all([a.stop(), b.stop()]);
});
beforeEach(() => {
  core = healthCore();
});
afterEach(async () => {
  await core.dispose();
});

describe('sweep', () => {
  it('sweeps two servers at once and turns them green once their host keys are pinned', async () => {
    const first = await core.call('servers.create', { server: serverInput(a) });
    const second = await core.call('servers.create', { server: serverInput(b) });
    for (const { id } of [first, second]) await core.call('servers.updateRules', { id, rules: IGNORE_MACHINE_LOAD });
    expect((await core.call('servers.list', {})).map((s) => s.colour)).toEqual(['grey', 'grey']);

    const before = await core.call('health.sweep', { serverId: null });
    expect(before.map((s) => s.lastError?.code)).toEqual(['ssh_host_key_unknown', 'ssh_host_key_unknown']);

    await core.call('servers.acceptHostKey', { id: first.id, fingerprint: a.hostKeyFingerprint });
    await core.call('servers.acceptHostKey', { id: second.id, fingerprint: b.hostKeyFingerprint });
    const after = await core.call('health.sweep', { serverId: null });
    // One failing sweep never fired, so one good sweep is enough for green; the first sample has no CPU delta yet.
    expect(after.map((s) => [s.colour, s.lastError, s.cpuPercent])).toEqual([['green', null, null], ['green', null, null]]);
    const again = await core.call('health.sweep', { serverId: null });
    expect(again.map((s) => s.colour)).toEqual(['green', 'green']);
    for (const s of again) {
      expect(s.memoryPercent).toBeGreaterThan(0);
      expect(s.diskPercent).toBeGreaterThan(0);
      expect(s.cpuPercent).not.toBeNull(); // the second sample gives the CPU delta
    }
    const detail = await core.call('servers.get', { id: first.id });
    expect(detail.checks.find((c) => c.ruleId === 'disk_space')?.state).toBe('ok');
    expect(detail.checks.find((c) => c.ruleId === 'server_unreachable')).toMatchObject({ state: 'ok', errorCode: null });
  });

  it('reports garbage output as probe_garbage', async () => {
    const server = await pinnedServer(core.call, a);
    const [summary] = await sweepServers(core, poolFor(core), server.id, { probeCommand: () => script('echo "Welcome to the garden"') });
    expect(summary?.lastError?.code).toBe('probe_garbage');
  });

  it('never runs two sweeps of one server at once: a second request shares the running one', async () => {
    const server = await pinnedServer(core.call, a);
    let updates = 0;
    core.events.onAny((name) => {
      if (name === 'health.updated') updates++;
    });
    const [first, second] = [sweepServer(core, poolFor(core), server.id), sweepServer(core, poolFor(core), server.id)];
    expect(second).toBe(first);
    await first;
    expect(updates).toBe(1);
    await sweepServer(core, poolFor(core), server.id);
    expect(updates).toBe(2);
  });

  it('keeps each fault on its own server while the healthy one sweeps green', async () => {
    await pinnedServer(core.call, a, { name: 'healthy' });
    const closedPort = await freeLoopbackPort();
    const silent = net.createServer((socket) => socket.on('error', () => undefined)); // accepts, never speaks SSH
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as net.AddressInfo).port;
    const other = await startSshd(); // a second key pair: its key is not authorised on b
    try {
      await core.call('servers.create', { server: serverInput({ ...b, port: closedPort }, { name: 'closed' }) });
      await pinnedServer(core.call, { ...b, port: silentPort }, { name: 'silent' });
      await pinnedServer(core.call, { ...b, privateKeyPath: other.privateKeyPath }, { name: 'wrong-key' });
      await pinnedServer(core.call, { ...b, hostKeyFingerprint: other.hostKeyFingerprint }, { name: 'changed-key' });
      await core.call('servers.create', { server: serverInput(b, { name: 'no-key-file', auth: { kind: 'key', keyPath: '/nonexistent/key', passphrase: { kind: 'none' } } }) });
      await core.call('servers.create', { server: serverInput(b, { name: 'no-passphrase', auth: { kind: 'key', keyPath: b.privateKeyPath, passphrase: { kind: 'env', name: 'PELOTE_TEST_UNSET_PASSPHRASE' } } }) });

      const started = performance.now();
      await core.call('health.sweep', { serverId: null });
      const summaries = await core.call('health.sweep', { serverId: null });
      const elapsed = performance.now() - started;
      const byName = Object.fromEntries(summaries.map((s) => [s.name, s]));
      expect(byName['healthy']).toMatchObject({ colour: 'green', lastError: null });
      expect(byName['closed']?.lastError?.code).toBe('ssh_refused');
      expect(byName['silent']?.lastError?.code).toBe('ssh_timeout');
      expect(byName['wrong-key']?.lastError?.code).toBe('ssh_auth_failed');
      expect(byName['changed-key']?.lastError?.code).toBe('ssh_host_key_changed');
      expect(byName['no-key-file']?.lastError).toEqual({ code: 'ssh_key_unreadable', details: { path: '/nonexistent/key' } });
      expect(byName['no-passphrase']?.lastError?.code).toBe('ssh_passphrase_missing');
      for (const name of ['closed', 'silent', 'wrong-key', 'changed-key', 'no-key-file', 'no-passphrase']) {
        expect(byName[name]?.colour).toBe('red');
        expect(byName[name]?.openIncidents).toBe(1);
      }
      // Concurrent: two rounds cost about two connect timeouts (1.5 s each), not one per faulty server.
      expect(elapsed).toBeLessThan(6_000);
    } finally {
      silent.close();
      await other.stop();
    }
  });

  it('tells a frozen server (exec timeout) and a killed one (connection lost, then refused) from the healthy one', async () => {
    const fragile = await startSshd();
    try {
      const frozen = await pinnedServer(core.call, fragile, { name: 'fragile' });
      const healthy = await pinnedServer(core.call, a, { name: 'healthy' });
      expect((await core.call('health.sweep', { serverId: null })).map((s) => s.colour)).toEqual(['green', 'green']);

      const sweeping = core.call('health.sweep', { serverId: null });
      fragile.pause(); // mid-sweep: the connection is open, nothing answers any more
      const paused = await sweeping;
      fragile.resume();
      expect(paused.map((s) => [s.name, s.lastError?.code ?? null])).toEqual([['fragile', 'ssh_exec_timeout'], ['healthy', null]]);
      expect((await core.call('health.sweep', { serverId: frozen.id }))[0]).toMatchObject({ lastError: null, colour: 'green' });
      const slow = { probeCommand: () => script('sleep 2; echo') };
      const dying = sweepServers(core, poolFor(core), null, slow);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await fragile.kill();
      expect((await dying).map((s) => [s.name, s.lastError?.code])).toEqual([['fragile', 'ssh_connection_lost'], ['healthy', 'probe_garbage']]);
      const dead = await core.call('health.sweep', { serverId: null });
      expect(dead.map((s) => [s.name, s.lastError?.code ?? null])).toEqual([['fragile', 'ssh_refused'], ['healthy', null]]);
      expect(dead.find((s) => s.id === healthy.id)?.colour).toBe('green'); // one garbage sweep never fired
    } finally {
      await fragile.stop();
    }
  });
});
