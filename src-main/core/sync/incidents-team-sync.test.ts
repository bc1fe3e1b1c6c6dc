import { describe, expect, it } from 'vitest';
import type { RuleId } from '../../contract';
import { writeTransaction } from '../db/write-transaction';
import { IncidentsService } from '../health/incidents';
import type { Laptop } from './engine/sync-test-fixtures';
import { testTeam } from './engine/test-team';

const team = testTeam();

/** Two laptops of one team through a local folder, with the team's server "garage" on both. */
async function twoLaptops(): Promise<{ a: Laptop; b: Laptop; serverId: string }> {
  const a = team.laptop('a');
  const b = team.laptop('b');
  await a.call('settings.update', { volunteerName: 'Camille' });
  await b.call('settings.update', { volunteerName: 'Yann' });
  const server = await a.call('servers.create', {
    server: { name: 'garage', host: 'garage.chatons.example', username: 'pelote', auth: { kind: 'key', keyPath: '/home/camille/.ssh/id_ed25519', passphrase: { kind: 'none' } } },
  });
  const folder = team.folder();
  const sheet = await a.call('sync.create', { folder, keyFile: null });
  await b.call('sync.join', { folder, key: sheet.key, keyFile: null });
  return { a, b, serverId: server.id };
}

/** What a sweep does when a disk fills up (open) or frees again (resolve), in the sweep's transaction. */
function diskFull(l: Laptop, serverId: string, mount = '/srv', ruleId: RuleId = 'disk_space') {
  const incidents = new IncidentsService(l);
  return writeTransaction(l.db, () =>
    incidents.open({ serverId, ruleId, subject: mount, serviceId: null, cause: { code: null, value: { mount, usedPercent: 97 } }, firstFailureAt: new Date().toISOString(), muted: false }),
  );
}
const diskFreed = (l: Laptop, serverId: string, mount = '/srv') => writeTransaction(l.db, () => new IncidentsService(l).resolve(serverId, 'disk_space', mount));

const sync = async (...laptops: Laptop[]) => {
  for (const l of laptops) await l.call('sync.now', {});
};

describe('incidents shared by the team', () => {
  it('an incident seen on A is acknowledged and annotated on B; A shows who is on it, and B does not open it again', async () => {
    const { a, b, serverId } = await twoLaptops();
    const opened = diskFull(a, serverId);
    expect(opened?.change).toBe('opened');
    await sync(a, b);

    const onB = await b.call('incidents.list', { status: 'open', serverId: null });
    expect(onB.map((i) => [i.id, i.status, i.serverName])).toEqual([[opened?.incident.id, 'open', 'garage']]);
    // B's own sweep sees the same full disk: the team already has the incident, nobody is alerted twice.
    expect(diskFull(b, serverId)).toBeNull();
    await b.call('incidents.acknowledge', { id: onB[0]!.id });
    await b.call('incidents.addNote', { id: onB[0]!.id, text: 'Je vide les journaux.' });
    await sync(b, a);

    const onA = await a.call('incidents.list', { status: 'open', serverId: null });
    expect(onA).toHaveLength(1);
    expect(onA[0]).toMatchObject({ id: opened?.incident.id, status: 'acknowledged', acknowledgedBy: 'Yann' });
    expect(onA[0]!.timeline.map((e) => [e.kind, e.actor, e.text])).toEqual([
      ['first_failure', null, null],
      ['opened', null, null],
      ['alerted', null, null],
      ['acknowledged', 'Yann', null],
      ['note', 'Yann', 'Je vide les journaux.'],
    ]);
    const [fleet] = await a.call('servers.list', {});
    expect(fleet?.openIncidents).toBe(1);

    // Resolved on A, resolved on B.
    expect(diskFreed(a, serverId)?.change).toBe('resolved');
    await sync(a, b);
    expect(await b.call('incidents.list', { status: 'open', serverId: null })).toEqual([]);
    expect((await b.call('incidents.list', { status: 'all', serverId: null })).map((i) => i.status)).toEqual(['resolved']);
  });

  it('two laptops offline both open the incident: once synced, both show one, acknowledged by whoever did, and it ends as one', async () => {
    const { a, b, serverId } = await twoLaptops();
    await sync(a, b);
    const fromA = diskFull(a, serverId);
    const fromB = diskFull(b, serverId);
    expect(fromA?.incident.id).not.toBe(fromB?.incident.id);
    await b.call('incidents.acknowledge', { id: fromB!.incident.id });
    await b.call('incidents.addNote', { id: fromB!.incident.id, text: 'Disque plein, je regarde.' });
    // Another disk on A only: not a twin.
    diskFull(a, serverId, '/');
    await sync(a, b, a);

    const shown = async (l: Laptop) => l.call('incidents.list', { status: 'open', serverId: null });
    const onA = await shown(a);
    expect(onA).toEqual(await shown(b));
    expect(onA).toHaveLength(2);
    const srv = onA.find((i) => i.cause.value.mount === '/srv');
    // Named by the earliest of the twins, acknowledged by Yann, one timeline holding both laptops' events.
    expect(srv).toMatchObject({ id: fromA?.incident.id, status: 'acknowledged', acknowledgedBy: 'Yann' });
    expect(srv?.timeline.filter((e) => e.kind === 'opened')).toHaveLength(2);
    expect(srv?.timeline.map((e) => e.text)).toContain('Disque plein, je regarde.');
    expect(new IncidentsService(b).get(fromB!.incident.id).id).toBe(fromA?.incident.id);
    const [fleet] = await a.call('servers.list', {});
    expect(fleet?.openIncidents).toBe(2);

    // B's disk frees first: both twins end there, and the team has one incident in its history.
    expect(diskFreed(b, serverId)?.change).toBe('resolved');
    await sync(b, a);
    for (const l of [a, b]) {
      const all = await l.call('incidents.list', { status: 'all', serverId: null });
      const byMount = all.map((i) => [i.cause.value.mount, i.status]).sort((x, y) => String(x[0]).localeCompare(String(y[0])));
      expect(byMount, l.name).toEqual([
        ['/', 'open'],
        ['/srv', 'resolved'],
      ]);
      expect(all.filter((i) => i.status === 'resolved')).toHaveLength(1);
    }
  });

  it('an incident that ended on A stays resolved when B, not yet told, acknowledges it later', async () => {
    const { a, b, serverId } = await twoLaptops();
    const opened = diskFull(a, serverId);
    await sync(a, b);
    diskFreed(a, serverId);
    await b.call('incidents.acknowledge', { id: opened!.incident.id });
    await sync(a, b, a);
    for (const l of [a, b]) {
      const incident = new IncidentsService(l).get(opened!.incident.id);
      expect(incident.status, l.name).toBe('resolved');
      expect(incident.acknowledgedBy, l.name).toBe('Yann');
      expect(l.db.prepare('select status from incidents').pluck().all(), l.name).toEqual(['resolved']);
    }
  });
});
