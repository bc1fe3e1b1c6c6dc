// Business keys that only one row should hold, given twice by laptops that were offline: both rows are kept (a
// remote row always applies) and listed here until a person resolves them with an ordinary, synced change.
import type { ConflictResolution, SyncConflict } from '../../contract';
import { isoNow } from '../clock';
import type { Core } from '../core';
import type { Db } from '../db/open';
import { writeTransaction } from '../db/write-transaction';
import { CoreError } from '../errors';
import { inputOf } from '../members/member-record';
import { MembersService } from '../members/members-service';

type KeyKind = Exclude<SyncConflict['kind'], 'member_likely_duplicate'>;

const QUERIES: Record<KeyKind, string> = {
  member_number: `select number as key, json_group_array(id) as ids from members where deleted_at is null group by number having count(*) > 1`,
  category_name: `select min(name) as key, json_group_array(id) as ids from categories where deleted_at is null group by name collate nocase having count(*) > 1`,
  payment_reversed_twice: `select reverses_payment_id as key, json_group_array(id) as ids from payments where reverses_payment_id is not null group by reverses_payment_id having count(*) > 1`,
  payment_imported_twice: `select import_ref as key, json_group_array(id) as ids from payments where import_ref is not null group by import_ref having count(*) > 1`,
  receipt_number: `select number as key, json_group_array(id) as ids from receipts group by year, seq having count(*) > 1`,
  // Servers and backups (migration 8).
  server_name: `select min(name) as key, json_group_array(id) as ids from servers where deleted_at is null group by name collate nocase having count(*) > 1`,
  repository_name: `select min(name) as key, json_group_array(id) as ids from backup_repositories where deleted_at is null group by name collate nocase having count(*) > 1`,
  // One restic repository added by two laptops (created on one, attached on another while offline).
  repository_added_twice: `select substr(restic_id, 1, 8) as key, json_group_array(id) as ids from backup_repositories where deleted_at is null group by restic_id having count(*) > 1`,
  // A job's name is unique per server: the key names both.
  job_name: `select (select name from servers s where s.id = j.server_id) || ' / ' || min(j.name) as key, json_group_array(j.id) as ids
    from backup_jobs j where j.deleted_at is null group by j.server_id, j.name collate nocase having count(*) > 1`,
};

const LIVE = (m: string) => `${m}.deleted_at is null and ${m}.erased_at is null`;
const POSTCODE = (m: string) => `upper(replace(${m}.postcode, ' ', ''))`;

/**
 * The same person entered on two laptops (two ids), as a treasurer would judge it: the same e-mail (case-insensitive;
 * the schema admits no spaces in one), or the same name (sort_name: accents, case and spacing aside) where nothing
 * tells them apart — neither two different e-mails nor two different postcodes (a blank one contradicts nothing). Two
 * namesakes with different e-mails or postcodes are two people, never listed. One conflict per pair, so that
 * "Not the same person" dismisses that pair only: a third copy later still shows.
 */
// Keys held twice first, read from the indexes alone: the pairs are then looked for among few rows (about 50 ms at
// 100,000 members instead of 300).
const likelyDuplicatesSql = (pair: string) => `select reason, key, a, b from (
    select 'email' as reason, lower(k.email) as key, a.id as a, b.id as b
      from (select email from members where email <> '' group by email collate nocase having count(*) > 1) k
      join members a on a.email = k.email collate nocase join members b on b.email = k.email collate nocase and b.id > a.id
      where ${LIVE('a')} and ${LIVE('b')}
    union all
    select 'name', k.sort_name, a.id, b.id
      from (select sort_name from members where sort_name <> '' group by sort_name having count(*) > 1) k
      join members a on a.sort_name = k.sort_name join members b on b.sort_name = k.sort_name and b.id > a.id
      where ${LIVE('a')} and ${LIVE('b')} and (a.email = '' or b.email = '')
        and (a.postcode = '' or b.postcode = '' or ${POSTCODE('a')} = ${POSTCODE('b')})
  ) where ${pair} not exists (select 1 from conflict_dismissals d where d.id = 'member_likely_duplicate:' || a || ':' || b)
  order by key, a, b`;

const LIKELY_DUPLICATES = likelyDuplicatesSql('');
const PAIR_IS_LIKELY_DUPLICATE = likelyDuplicatesSql('a = @a and b = @b and');

/** The deterministic id of a dismissed pair: every laptop dismissing it writes the same row. */
const dismissalId = (kind: SyncConflict['kind'], ids: readonly string[]) => `${kind}:${ids.join(':')}`;

export function listConflicts(db: Db): SyncConflict[] {
  const byKey = (Object.keys(QUERIES) as KeyKind[]).flatMap((kind) =>
    (db.prepare(QUERIES[kind]).all() as { key: string; ids: string }[]).map((r) => ({ kind, key: r.key, ids: (JSON.parse(r.ids) as string[]).sort() })),
  );
  const pairs = (db.prepare(LIKELY_DUPLICATES).all() as { reason: 'email' | 'name'; key: string; a: string; b: string }[]).map(
    (r): SyncConflict => ({ kind: 'member_likely_duplicate', key: r.key, ids: [r.a, r.b], reason: r.reason }),
  );
  return [...byKey, ...pairs];
}

const gone = () => new CoreError('sync_conflict_gone', 'This conflict is no longer listed: it was resolved here or on another computer.', {});

/**
 * One click on the Conflicts card, as an ordinary change through the members service (its audit entry, its checks),
 * in one transaction: refused when the conflict is no longer there (resolved meanwhile, here or by a sync).
 */
export function resolveConflict(core: Core, resolution: ConflictResolution): SyncConflict[] {
  const members = new MembersService(core);
  const sorted = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);
  const isPair = (x: string, y: string) => {
    const [a, b] = sorted(x, y);
    return core.db.prepare(PAIR_IS_LIKELY_DUPLICATE).get({ a, b }) !== undefined;
  };
  writeTransaction(core.db, () => {
    switch (resolution.action) {
      case 'renumber': {
        const member = members.get(resolution.memberId);
        const shared = core.db.prepare('select 1 from members where number = ? and id <> ? and deleted_at is null').get(member.number, member.id);
        if (member.deletedAt !== null || !shared) throw gone();
        members.update(member.id, { ...inputOf(member), number: resolution.number }, { allowDuplicate: true });
        return;
      }
      case 'dismiss': {
        const ids = sorted(...resolution.ids);
        if (!isPair(...ids)) throw gone();
        const id = dismissalId('member_likely_duplicate', ids);
        core.db
          .prepare('insert into conflict_dismissals (id, kind, ids, created_at) values (?, ?, ?, ?)')
          .run(id, 'member_likely_duplicate', JSON.stringify(ids), isoNow(core.clock));
        core.audit.record({ entity: 'conflict_dismissal', entityId: id, action: 'create', changes: { kind: { from: null, to: 'member_likely_duplicate' }, ids: { from: null, to: ids } } });
        return;
      }
      case 'remove_copy': {
        if (!isPair(resolution.memberId, resolution.otherId)) throw gone();
        const payments = core.db.prepare('select count(*) from payments where member_id = ?').pluck().get(resolution.memberId) as number;
        if (payments > 0) {
          throw new CoreError('sync_copy_has_payments', `This member has ${payments} payment(s): it is not removed as a copy; keep both members.`, { count: payments });
        }
        members.delete(resolution.memberId);
        return;
      }
    }
  });
  return listConflicts(core.db);
}
