import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_MEMBER_INPUT } from '../../../contract/members';
import { writeTransaction } from '../../db/write-transaction';
import type { SyncMessage } from './apply';
import { IncidentsService } from '../../health/incidents';
import { deliver, drain, joinTeam, laptop, syncedState, type Laptop } from './sync-test-fixtures';

// What volunteers do offline, each on their own laptop, between exchanges through the folder.
type Op =
  | { kind: 'createMember'; device: number; number: string; name: string }
  | { kind: 'editMember'; device: number; pick: number; city: string }
  | { kind: 'deleteMember'; device: number; pick: number }
  | { kind: 'restoreMember'; device: number; pick: number }
  | { kind: 'eraseMember'; device: number; pick: number }
  | { kind: 'pay'; device: number; pick: number; cents: number }
  | { kind: 'reverse'; device: number; pick: number }
  | { kind: 'category'; device: number; name: string }
  | { kind: 'association'; device: number; name: string; grace: number }
  | { kind: 'createServer'; device: number; name: string }
  | { kind: 'editServer'; device: number; pick: number; notes: string }
  | { kind: 'deleteServer'; device: number; pick: number }
  | { kind: 'setRule'; device: number; pick: number; threshold: number }
  | { kind: 'createJob'; device: number; pick: number; name: string }
  | { kind: 'openIncident'; device: number; pick: number; mount: string }
  | { kind: 'resolveIncident'; device: number; pick: number; mount: string }
  | { kind: 'ackIncident'; device: number; pick: number }
  | { kind: 'noteIncident'; device: number; pick: number; text: string }
  | { kind: 'publish'; device: number }
  | { kind: 'deliver'; device: number; pick: number };

const op = (devices: number): fc.Arbitrary<Op> => {
  const device = fc.nat({ max: devices - 1 });
  const pick = fc.nat({ max: 50 });
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('createMember' as const), device, number: fc.constantFrom('1', '2', '3', '4'), name: fc.constantFrom('Hélène', 'Zoé', 'Yann', 'Maëlle') }), weight: 4 },
    { arbitrary: fc.record({ kind: fc.constant('editMember' as const), device, pick, city: fc.constantFrom('Lannion', 'Brest', 'Quimper', '') }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('deleteMember' as const), device, pick }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('restoreMember' as const), device, pick }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('eraseMember' as const), device, pick }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('pay' as const), device, pick, cents: fc.integer({ min: 0, max: 10_000 }) }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('reverse' as const), device, pick }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('category' as const), device, name: fc.constantFrom('Plein tarif', 'Réduit', 'Bienfaiteur') }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('association' as const), device, name: fc.constantFrom('Les Chatons', 'Chatons du Trégor'), grace: fc.integer({ min: 0, max: 60 }) }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('createServer' as const), device, name: fc.constantFrom('garage', 'atelier', 'cave') }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('editServer' as const), device, pick, notes: fc.constantFrom('', 'Au local', 'Chez Anne') }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('deleteServer' as const), device, pick }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('setRule' as const), device, pick, threshold: fc.constantFrom(70, 80, 90) }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('createJob' as const), device, pick, name: fc.constantFrom('site', 'base') }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('openIncident' as const), device, pick, mount: fc.constantFrom('/', '/srv') }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('resolveIncident' as const), device, pick, mount: fc.constantFrom('/', '/srv') }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('ackIncident' as const), device, pick }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('noteIncident' as const), device, pick, text: fc.constantFrom('Je regarde', 'Disque plein', 'Redémarré') }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('publish' as const), device }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('deliver' as const), device, pick: fc.nat({ max: 200 }) }), weight: 4 },
  );
};

const REPOSITORY = '00000000-0000-4000-8000-000000000001';
const ownKey = (l: Laptop) => ({ kind: 'key' as const, keyPath: `/home/${l.name}/.ssh/id_ed25519`, passphrase: { kind: 'none' as const } });

/** The team's backup repository, known to every laptop before they go offline (made without restic: jobs only name it). */
function shareRepository(laptops: readonly Laptop[]): void {
  const [first] = laptops;
  if (!first) return;
  writeTransaction(first.db, () => {
    first.db
      .prepare(`insert into backup_repositories (id, name, path, restic_id, password_source, created_at, updated_at) values (?, 'usb', '/media/usb/restic', 'f00d', '{"kind":"none"}', ?, ?)`)
      .run(REPOSITORY, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
  });
  const segment = drain(first);
  for (const l of laptops.slice(1)) deliver(l, segment);
}

const ids = (l: Laptop, table: string): string[] => l.db.prepare(`select id from ${table} order by id`).pluck().all() as string[];
const nth = <T>(items: readonly T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);

/** Refusals (a number taken on this laptop, a payment already reversed here) are the services doing their job. */
async function attempt(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error as { code?: string }).code || (error as { code: string }).code === 'internal') throw error;
  }
}

// What volunteers said about incidents, checked on every laptop at the end.
const acknowledged = new Set<string>();
const notes: { id: string; text: string }[] = [];

async function run(l: Laptop, o: Op): Promise<void> {
  const members = ids(l, 'members');
  switch (o.kind) {
    case 'createMember':
      return attempt(() => l.call('members.create', { member: { ...EMPTY_MEMBER_INPUT, number: o.number, firstName: o.name, lastName: l.name }, allowDuplicate: true }));
    case 'editMember': {
      const id = nth(members, o.pick);
      if (!id) return;
      return attempt(async () => {
        const { member } = await l.call('members.get', { id });
        const { id: _id, createdAt: _c, updatedAt: _u, deletedAt: _d, erasedAt: _e, ...input } = member;
        await l.call('members.update', { id, member: { ...input, city: o.city }, allowDuplicate: true });
      });
    }
    case 'deleteMember':
    case 'restoreMember':
    case 'eraseMember': {
      const id = nth(members, o.pick);
      if (!id) return;
      const method = o.kind === 'deleteMember' ? 'members.delete' : o.kind === 'restoreMember' ? 'members.restore' : 'members.erase';
      return attempt(() => l.call(method, { id }));
    }
    case 'pay': {
      const id = nth(members, o.pick);
      if (!id) return;
      return attempt(() => l.call('payments.record', { memberId: id, amountCents: o.cents, paidOn: '2026-03-01', method: 'cheque' }));
    }
    case 'reverse': {
      const id = nth(ids(l, 'payments'), o.pick);
      if (!id) return;
      return attempt(() => l.call('payments.reverse', { paymentId: id, reason: 'erreur' }));
    }
    case 'association':
      // Settings rows are named by their key: two laptops writing the same setting converge on one row.
      return attempt(() => l.call('settings.update', { associationName: o.name, duesGraceDays: o.grace }));
    case 'category':
      return attempt(() => l.call('categories.create', { category: { name: o.name, fee: { kind: 'fixed', amountCents: 1500 }, period: null, graceDays: null } }));
    case 'createServer':
      return attempt(() => l.call('servers.create', { server: { name: o.name, host: `${o.name}.chatons.example`, username: 'pelote', auth: ownKey(l) } }));
    case 'editServer': {
      const id = nth(ids(l, 'servers'), o.pick);
      if (!id) return;
      // A server from another laptop is edited with this laptop's own key, as the form asks.
      return attempt(async () => {
        const { server } = await l.call('servers.get', { id });
        const services = server.services.map(({ serverId: _s, ...service }) => service);
        await l.call('servers.update', { id, server: { name: server.name, host: server.host, port: server.port, username: server.username, auth: ownKey(l), tags: server.tags, notes: o.notes, services } });
      });
    }
    case 'deleteServer': {
      const id = nth(ids(l, 'servers'), o.pick);
      if (!id) return;
      return attempt(() => l.call('servers.delete', { id }));
    }
    case 'setRule': {
      const id = nth(ids(l, 'servers'), o.pick);
      if (!id) return;
      return attempt(() => l.call('servers.updateRules', { id, rules: { disk_space: { enabled: true, threshold: o.threshold, failAfter: 2, clearAfter: 2 } } }));
    }
    case 'createJob': {
      const id = nth(ids(l, 'servers'), o.pick);
      if (!id) return;
      return attempt(() => l.call('backups.jobs.create', { job: { name: o.name, serverId: id, repositoryId: REPOSITORY, paths: ['/var/www'] } }));
    }
    // What a sweep does when a disk fills up or frees again, on whichever laptop sees it.
    case 'openIncident':
    case 'resolveIncident': {
      const id = nth(ids(l, 'servers'), o.pick);
      if (!id) return;
      const incidents = new IncidentsService(l);
      writeTransaction(l.db, () =>
        o.kind === 'openIncident'
          ? incidents.open({ serverId: id, ruleId: 'disk_space', subject: o.mount, serviceId: null, cause: { code: null, value: { mount: o.mount, usedPercent: 97 } }, firstFailureAt: new Date().toISOString(), muted: false })
          : incidents.resolve(id, 'disk_space', o.mount),
      );
      return;
    }
    case 'ackIncident': {
      const id = nth(ids(l, 'incidents'), o.pick);
      if (!id) return;
      return attempt(async () => {
        await l.call('incidents.acknowledge', { id });
        acknowledged.add(id);
      });
    }
    case 'noteIncident': {
      const id = nth(ids(l, 'incidents'), o.pick);
      if (!id) return;
      return attempt(async () => {
        await l.call('incidents.addNote', { id, text: `${o.text} (${l.name})` });
        notes.push({ id, text: `${o.text} (${l.name})` });
      });
    }
    case 'publish':
    case 'deliver':
      return;
  }
}

describe('convergence', () => {
  it('3–5 laptops editing offline and exchanging segments in any order, with duplicates, end identical and lose nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 3, max: 5 }).chain((n) => fc.tuple(fc.constant(n), fc.array(op(n), { minLength: 10, maxLength: 90 }), fc.array(fc.nat(), { maxLength: 30 }))),
        async ([n, ops, finalOrder]) => {
          const laptops = Array.from({ length: n }, (_, i) => laptop(`L${i}`));
          try {
            acknowledged.clear();
            notes.length = 0;
            for (const l of laptops) joinTeam(l);
            shareRepository(laptops);
            const segments: SyncMessage[][] = [];
            const created = { members: new Set<string>(), payments: new Set<string>(), servers: new Set<string>(), backup_jobs: new Set<string>() };
            for (const o of ops) {
              const l = laptops[o.device]!;
              if (o.kind === 'publish') segments.push(drain(l));
              else if (o.kind === 'deliver') {
                const segment = nth(segments, o.pick);
                if (segment) deliver(l, segment);
              } else {
                await run(l, o);
                for (const table of ['members', 'payments', 'servers', 'backup_jobs'] as const) for (const id of ids(l, table)) created[table].add(id);
              }
            }
            for (const l of laptops) segments.push(drain(l));
            // Everything reaches everyone at last, in a shuffled order, some segments twice.
            const order = [...segments.keys(), ...finalOrder.map((k) => k % segments.length)];
            for (let i = order.length - 1; i > 0; i--) {
              const j = (finalOrder[i % Math.max(1, finalOrder.length)] ?? i) % (i + 1);
              [order[i], order[j]] = [order[j]!, order[i]!];
            }
            for (const l of laptops) for (const k of order) deliver(l, segments[k]!);
            for (const l of laptops) expect(drain(l), `${l.name} sends nothing back`).toEqual([]);
            const first = syncedState(laptops[0]!);
            for (const l of laptops.slice(1)) expect(syncedState(l), l.name).toEqual(first);
            expect(new Set(ids(laptops[0]!, 'members'))).toEqual(created.members);
            expect(new Set(ids(laptops[0]!, 'payments'))).toEqual(created.payments);
            expect(new Set(ids(laptops[0]!, 'servers'))).toEqual(created.servers);
            expect(new Set(ids(laptops[0]!, 'backup_jobs'))).toEqual(created.backup_jobs);
            // Each laptop keeps its own login: a server's key path is the one that laptop set, or none.
            for (const l of laptops) {
              const paths = l.db.prepare('select distinct key_path from servers where key_path is not null').pluck().all();
              expect(paths.every((p) => p === ownKey(l).keyPath), l.name).toBe(true);
            }
            expect(laptops[0]!.db.prepare('select count(*) from sync_pending').pluck().get()).toBe(0);
            // Incidents read alike everywhere: twins opened offline show as one, no acknowledgement or note is lost.
            const shown = (l: Laptop) => new IncidentsService(l).list({ status: 'all', serverId: null });
            for (const l of laptops.slice(1)) expect(shown(l), l.name).toEqual(shown(laptops[0]!));
            const incidents = new IncidentsService(laptops[0]!);
            for (const id of acknowledged) expect(incidents.get(id).acknowledgedAt, id).not.toBeNull();
            for (const note of notes) expect(incidents.get(note.id).timeline.map((e) => e.text)).toContain(note.text);
            // At most one incident going on per disk: twins merged, and an ended one never shows as going on.
            const going = shown(laptops[0]!).filter((i) => i.status !== 'resolved').map((i) => `${i.serverId} ${JSON.stringify(i.cause.value)}`);
            expect(new Set(going).size).toBe(going.length);
            for (const row of laptops[0]!.db.prepare('select status, resolved_at from incidents').all() as { status: string; resolved_at: string | null }[]) {
              expect(row.status === 'resolved').toBe(row.resolved_at !== null);
            }
          } finally {
            for (const l of laptops) l.cleanup();
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 240_000);
});
