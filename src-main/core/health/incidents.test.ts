import http from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PayloadOf } from '../../contract';
import { freeLoopbackPort, startSshd, type SshdFixture } from '../../testing/sshd';
import { fixedClock } from '../../testing/temp-core';
import { healthCore, pinnedServer, serverInputOf } from './health-test-fixtures';

let fixture: SshdFixture;
beforeAll(async () => {
  fixture = await startSshd();
});
afterAll(async () => {
  await fixture.stop();
});

const clock = fixedClock('2026-03-01T10:00:00.000Z');
let core: ReturnType<typeof healthCore>;
let changes: PayloadOf<'incidents.changed'>[];
let port: number;
let site: http.Server | null;

beforeEach(async () => {
  clock.set('2026-03-01T10:00:00.000Z');
  core = healthCore({ clock });
  changes = [];
  core.events.onAny((name, payload) => {
    if (name === 'incidents.changed') changes.push(payload as PayloadOf<'incidents.changed'>);
  });
  port = await freeLoopbackPort();
  site = null;
});
afterEach(async () => {
  site?.close();
  await core.dispose();
});

function startSite(): Promise<void> {
  site = http.createServer((_, res) => res.end('ok'));
  return new Promise((resolve) => site?.listen(port, '127.0.0.1', resolve));
}

/** One sweep a minute later than the last. */
async function sweepAt(iso: string) {
  clock.set(iso);
  const [summary] = await core.call('health.sweep', { serverId: null });
  return summary;
}

async function serverWithSite() {
  return pinnedServer(core.call, fixture, { name: 'garage', services: [{ name: 'Site', kind: 'website', url: `http://127.0.0.1:${port}/` }] });
}

describe('incidents', () => {
  it('opens with its timeline, is acknowledged and annotated, and resolves with a duration', async () => {
    core.settings.update({ volunteerName: 'Hélène' });
    await serverWithSite();
    expect((await sweepAt('2026-03-01T10:01:00.000Z'))?.colour).toBe('amber'); // failing, not fired yet
    expect(changes).toEqual([]);
    expect((await sweepAt('2026-03-01T10:02:00.000Z'))?.colour).toBe('red');
    expect(changes.map((c) => c.change)).toEqual(['opened']);
    const opened = changes[0]!.incident;
    expect(opened).toMatchObject({
      ruleId: 'http_failing',
      serverName: 'garage',
      serviceName: 'Site',
      status: 'open',
      cause: { code: 'http_refused' },
      firstFailureAt: '2026-03-01T10:01:00.000Z',
      openedAt: '2026-03-01T10:02:00.000Z',
    });
    expect(opened.timeline.map((e) => [e.kind, e.at])).toEqual([
      ['first_failure', '2026-03-01T10:01:00.000Z'],
      ['opened', '2026-03-01T10:02:00.000Z'],
      ['alerted', '2026-03-01T10:02:00.000Z'],
    ]);

    clock.set('2026-03-01T10:05:00.000Z');
    const acked = await core.call('incidents.acknowledge', { id: opened.id });
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'Hélène', acknowledgedAt: '2026-03-01T10:05:00.000Z' });
    expect((await core.call('servers.list', {}))[0]?.colour).toBe('amber');
    await core.call('incidents.addNote', { id: opened.id, text: 'Le disque du garage chauffe' });
    // Still failing: acknowledged, it stays quiet.
    await sweepAt('2026-03-01T10:06:00.000Z');
    expect(changes.map((c) => c.change)).toEqual(['opened', 'acknowledged', 'note']);

    await startSite();
    await sweepAt('2026-03-01T10:07:00.000Z');
    expect((await core.call('incidents.list', { status: 'open' })).map((i) => i.id)).toEqual([opened.id]); // one pass is not enough
    const summary = await sweepAt('2026-03-01T10:08:00.000Z');
    expect(summary?.colour).toBe('green');
    expect(await core.call('incidents.list', { status: 'open' })).toEqual([]);
    const resolved = changes.at(-1);
    expect(resolved?.change).toBe('resolved');
    expect(resolved?.incident.timeline.map((e) => [e.kind, e.actor, e.text])).toEqual([
      ['first_failure', null, null],
      ['opened', null, null],
      ['alerted', null, null],
      ['acknowledged', 'Hélène', null],
      ['note', 'Hélène', 'Le disque du garage chauffe'],
      ['resolved', null, null],
    ]);
    const { openedAt, resolvedAt } = resolved!.incident;
    expect(Date.parse(resolvedAt ?? '') - Date.parse(openedAt)).toBe(6 * 60_000);
    await expect(core.call('incidents.acknowledge', { id: opened.id })).rejects.toMatchObject({ code: 'incident_resolved' });
  });

  it('records but does not alert during a maintenance window, and alerts once it is over', async () => {
    const server = await serverWithSite();
    await core.call('servers.setMaintenance', { id: server.id, until: '2026-03-01T11:00:00.000Z' });
    await sweepAt('2026-03-01T10:01:00.000Z');
    expect((await sweepAt('2026-03-01T10:02:00.000Z'))?.colour).toBe('amber');
    expect(changes).toEqual([]);
    const [muted] = await core.call('incidents.list', { status: 'open' });
    expect(muted?.timeline.map((e) => e.kind)).toEqual(['first_failure', 'opened']);

    await sweepAt('2026-03-01T11:01:00.000Z');
    expect(changes.map((c) => [c.change, c.incident.id])).toEqual([['opened', muted?.id]]);
    expect(changes[0]?.incident.timeline.map((e) => e.kind)).toEqual(['first_failure', 'opened', 'alerted']);
  });

  it('resolves a muted incident without telling anyone', async () => {
    const server = await serverWithSite();
    await core.call('servers.setMaintenance', { id: server.id, until: '2026-03-01T11:00:00.000Z' });
    await sweepAt('2026-03-01T10:01:00.000Z');
    await sweepAt('2026-03-01T10:02:00.000Z');
    await startSite();
    await sweepAt('2026-03-01T10:03:00.000Z');
    await sweepAt('2026-03-01T10:04:00.000Z');
    expect(changes).toEqual([]);
    const [incident] = await core.call('incidents.list', { status: 'all' });
    expect(incident?.status).toBe('resolved');
  });

  it('a server that cannot be reached is one incident, not one per service; a service still down once it is back opens its own', async () => {
    // Three sites that answer nowhere, on a server whose SSH port is closed.
    const services = ['Site', 'Pad', 'Cloud'].map((name, i) => ({ name, kind: 'website' as const, url: `http://127.0.0.1:${port}/${i}` }));
    const server = await pinnedServer(core.call, fixture, { name: 'garage', services });
    const closed = await freeLoopbackPort();
    const { server: detail } = await core.call('servers.get', { id: server.id });
    await core.call('servers.update', { id: server.id, server: { ...serverInputOf(detail), port: closed } });
    await sweepAt('2026-03-01T10:01:00.000Z');
    await sweepAt('2026-03-01T10:02:00.000Z');
    expect(changes.map((c) => [c.change, c.incident.ruleId])).toEqual([['opened', 'server_unreachable']]);
    expect((await core.call('incidents.list', { status: 'open', serverId: null })).map((i) => i.ruleId)).toEqual(['server_unreachable']);

    // The server answers again, the sites still do not: each opens on its own, and the server's incident ends.
    const { server: down } = await core.call('servers.get', { id: server.id });
    await core.call('servers.update', { id: server.id, server: { ...serverInputOf(down), port: fixture.port } });
    await core.call('servers.acceptHostKey', { id: server.id, fingerprint: fixture.hostKeyFingerprint });
    await sweepAt('2026-03-01T10:03:00.000Z');
    await sweepAt('2026-03-01T10:04:00.000Z');
    const open = await core.call('incidents.list', { status: 'open', serverId: null });
    expect(open.map((i) => [i.ruleId, i.serviceName]).sort()).toEqual([
      ['http_failing', 'Cloud'],
      ['http_failing', 'Pad'],
      ['http_failing', 'Site'],
    ]);
    expect(changes.filter((c) => c.incident.ruleId === 'server_unreachable').map((c) => c.change)).toEqual(['opened', 'resolved']);
  });
});
