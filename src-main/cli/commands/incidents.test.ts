import { afterEach, describe, expect, it } from 'vitest';
import type { Incident, RuleId } from '../../contract';
import { openCore, type Core } from '../../core/core';
import { writeTransaction } from '../../core/db/write-transaction';
import { IncidentsService } from '../../core/health/incidents';
import { ServersService } from '../../core/health/servers-service';
import { runCaptured } from '../../testing/cli-captured';
import { tempDataDir, testPlatform } from '../../testing/temp-core';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

const SINCE = '2025-03-02T03:04:05.000Z';
// Random ids rarely share 6 characters: two incidents are given ids that do, to test an ambiguous prefix.
const DISK = 'abcdef01-0000-4000-8000-000000000001';
const MEMORY = 'abcdef02-0000-4000-8000-000000000002';

/** What a sweep does when a rule fires, in the sweep's transaction; `id` then renames the incident. */
function open(core: Core, serverId: string, ruleId: RuleId, subject: string, value: Incident['cause']['value'], id?: string): string {
  const change = writeTransaction(core.db, () =>
    new IncidentsService(core).open({ serverId, ruleId, subject, serviceId: null, cause: { code: null, value }, firstFailureAt: SINCE, muted: false }),
  );
  const opened = change?.incident.id ?? '';
  if (id === undefined) return opened;
  core.db.pragma('foreign_keys = off');
  core.db.prepare('update incident_events set incident_id = ? where incident_id = ?').run(id, opened);
  core.db.prepare('update incidents set id = ? where id = ?').run(id, opened);
  core.db.pragma('foreign_keys = on');
  return id;
}

/** A data dir whose volunteer is Camille: garage's /srv is full, cave's memory too, garage's / was full and freed. */
function fleet(): { dir: string; resolvedId: string } {
  const { dir, cleanup } = tempDataDir();
  cleanups.push(cleanup);
  const core = openCore({ dataDir: dir, platform: testPlatform({ face: 'cli' }) });
  try {
    core.settings.update({ volunteerName: 'Camille' });
    const servers = new ServersService(core);
    const server = (name: string) =>
      servers.create({ name, host: `${name}.chatons.example`, username: 'pelote', auth: { kind: 'key', keyPath: '/home/camille/.ssh/id_ed25519', passphrase: { kind: 'none' } } }).id;
    const garage = server('garage');
    const cave = server('cave');
    const resolvedId = open(core, garage, 'disk_space', '/', { mount: '/', usedPercent: 96 });
    writeTransaction(core.db, () => new IncidentsService(core).resolve(garage, 'disk_space', '/'));
    open(core, garage, 'disk_space', '/srv', { mount: '/srv', usedPercent: 97 }, DISK);
    open(core, cave, 'memory', 'memory', { usedPercent: 98 }, MEMORY);
    return { dir, resolvedId };
  } finally {
    core.close();
  }
}

/** The incident as the app would show it, read from the data dir. */
function incident(dir: string, id: string): Incident {
  const core = openCore({ dataDir: dir, platform: testPlatform() });
  try {
    return new IncidentsService(core).get(id);
  } finally {
    core.close();
  }
}

const cli = (dir: string, args: string[]) => runCaptured(['--data-dir', dir, ...args]);

describe('pelote incidents', () => {
  it('lists the unresolved incidents and exits 1 while one is open; --all adds the resolved; --json gives the contract objects', async () => {
    const { dir, resolvedId } = fleet();
    const listed = await cli(dir, ['incidents']);
    expect(listed.code).toBe(1);
    expect(listed.stdout.split('\n')).toEqual([
      `abcdef02  open          cave  memory  since ${SINCE}`,
      `abcdef01  open          garage  disk_space /srv  since ${SINCE}`,
      'Acknowledge one: pelote incidents ack ID [--note TEXT]',
      '',
    ]);

    const all = await cli(dir, ['--json', 'incidents', '--all']);
    expect(all.code).toBe(1);
    const incidents = JSON.parse(all.stdout) as Incident[];
    expect(incidents.map((i) => [i.id, i.serverName, i.ruleId, i.status])).toEqual([
      [MEMORY, 'cave', 'memory', 'open'],
      [DISK, 'garage', 'disk_space', 'open'],
      [resolvedId, 'garage', 'disk_space', 'resolved'],
    ]);
    expect(incidents[2]).toEqual(incident(dir, resolvedId));
    expect(incidents[1]).toMatchObject({ cause: { code: null, value: { mount: '/srv', usedPercent: 97 } }, firstFailureAt: SINCE, acknowledgedBy: null, timeline: [{ kind: 'first_failure' }, { kind: 'opened' }, { kind: 'alerted' }] });
    expect((await cli(dir, ['incidents', '--all'])).stdout).toMatch(new RegExp(`^${resolvedId.slice(0, 8)}  resolved {4}  garage  disk_space /  since ${SINCE}  resolved at \\S+$`, 'm'));
  });

  it('acknowledges by prefix as the volunteer, with the note in the timeline; once none is open, exits 0', async () => {
    const { dir } = fleet();
    const acked = await cli(dir, ['incidents', 'ack', 'ABCDEF01', '--note', '  Je vide les journaux.\nPuis je redémarre.  ']);
    expect(acked).toEqual({ code: 0, stdout: 'Acknowledged incident abcdef01 (garage, disk_space /srv) by Camille. Note added.\n', stderr: '' });
    const disk = incident(dir, DISK);
    expect(disk).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'Camille' });
    expect(disk.timeline.slice(3).map((e) => [e.kind, e.actor, e.text])).toEqual([
      ['acknowledged', 'Camille', null],
      ['note', 'Camille', 'Je vide les journaux.\nPuis je redémarre.'],
    ]);
    // cave's memory is still open and nobody is on it.
    expect((await cli(dir, ['incidents'])).code).toBe(1);

    const json = await cli(dir, ['--json', 'incidents', 'ack', MEMORY]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(incident(dir, MEMORY));
    expect(incident(dir, MEMORY)).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'Camille' });

    const calm = await cli(dir, ['incidents']);
    expect(calm.code).toBe(0);
    expect(calm.stdout).toMatch(/^abcdef01 {2}acknowledged {2}garage {2}disk_space \/srv {2}since \S+ {2}acknowledged by Camille at \S+$/m);
    expect(calm.stdout).not.toContain('Acknowledge one');
    // Acknowledging again changes nothing and says so.
    expect((await cli(dir, ['incidents', 'ack', 'abcdef02'])).stdout).toBe('Incident abcdef02 (cave, memory) was already acknowledged by Camille.\n');
    expect(incident(dir, MEMORY).timeline.filter((e) => e.kind === 'acknowledged')).toHaveLength(1);
  });

  it('refuses an ambiguous, unknown or too short ID, a resolved incident, and a note the contract refuses — writing nothing', async () => {
    const { dir, resolvedId } = fleet();
    expect(await cli(dir, ['incidents', 'ack', 'abcdef'])).toEqual({ code: 1, stdout: '', stderr: 'pelote: Several incidents start with abcdef: give more of its id.\n' });
    expect(await cli(dir, ['incidents', 'ack', '0123456789'])).toEqual({ code: 1, stdout: '', stderr: 'pelote: No incident 0123456789.\n' });
    expect(JSON.parse((await cli(dir, ['--json', 'incidents', 'ack', 'abc%%%'])).stderr)).toMatchObject({ ok: false, error: { code: 'incident_not_found' } });
    expect((await cli(dir, ['incidents', 'ack', 'abcde'])).code).toBe(2);

    const resolved = await cli(dir, ['--json', 'incidents', 'ack', resolvedId.slice(0, 8)]);
    expect(resolved.code).toBe(1);
    expect(JSON.parse(resolved.stderr)).toEqual({ ok: false, error: { code: 'incident_resolved', message: 'This incident is already resolved.' } });

    const escape = await cli(dir, ['incidents', 'ack', 'abcdef01', '--note', 'vu \u001b[31mrouge']);
    expect(escape.code).toBe(2);
    expect(escape.stderr).toContain('--note: control characters and bidirectional overrides are not allowed');
    expect((await cli(dir, ['incidents', 'ack', 'abcdef01', '--note', '   '])).code).toBe(2);
    expect(incident(dir, DISK)).toMatchObject({ status: 'open', acknowledgedBy: null });
    expect(incident(dir, DISK).timeline).toHaveLength(3);

    for (const args of [['incidents', 'frob'], ['incidents', 'ack'], ['incidents', 'ack', 'abcdef01', 'x'], ['incidents', '--note', 'x'], ['incidents', 'ack', 'abcdef01', '--all']]) {
      expect((await cli(dir, args)).code, args.join(' ')).toBe(2);
    }
  });

  it('says when there is no incident, and exits 0', async () => {
    const { dir, cleanup } = tempDataDir();
    cleanups.push(cleanup);
    expect(await cli(dir, ['incidents'])).toEqual({ code: 0, stdout: 'No open incident.\n', stderr: '' });
    expect(await cli(dir, ['incidents', '--all'])).toEqual({ code: 0, stdout: 'No incident.\n', stderr: '' });
    expect(JSON.parse((await cli(dir, ['--json', 'incidents'])).stdout)).toEqual([]);
  });
});
