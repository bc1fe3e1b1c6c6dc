import type { Db } from './open';

/** Rows per table, soft-deleted rows included: what `pelote db info` reports. */
export function rowCounts(db: Db): Record<string, number> {
  const tables = db
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
    .pluck()
    .all() as string[];
  // Table names come from sqlite_master, not from user input.
  return Object.fromEntries(
    tables.map((name) => [name, db.prepare(`select count(*) from "${name.replaceAll('"', '""')}"`).pluck().get() as number]),
  );
}
