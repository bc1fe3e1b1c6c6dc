// Business keys that only one row should hold, given twice by laptops that were offline: both rows are kept (a
// remote row always applies) and listed here until a person resolves them with an ordinary, synced change.
import type { SyncConflict } from '../../contract';
import type { Db } from '../db/open';

const QUERIES: Record<SyncConflict['kind'], string> = {
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

export function listConflicts(db: Db): SyncConflict[] {
  return (Object.keys(QUERIES) as SyncConflict['kind'][]).flatMap((kind) =>
    (db.prepare(QUERIES[kind]).all() as { key: string; ids: string }[]).map((r) => ({ kind, key: r.key, ids: (JSON.parse(r.ids) as string[]).sort() })),
  );
}
