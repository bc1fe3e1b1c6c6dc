// Drops what each tier no longer keeps, in small batches with a pause between them, so a large expiry (after the
// retention was shortened, or months closed) never holds the database for long: a sweep or a UI read slips in.
import type { Db } from '../db/open';
import type { MetricsRetention } from '../../contract';
import { keyRange } from './packing';
import { DAY_MS, TIERS } from './tiers';

export const EXPIRY_BATCH_ROWS = 2_000;

/** Deletes up to `batchRows` rows that are due; returns how many it deleted (0: nothing left to do). */
export function expireBatch(db: Db, retention: MetricsRetention, nowMs: number, batchRows = EXPIRY_BATCH_ROWS): number {
  const servers = db.prepare('select num from metric_servers').pluck().all() as number[];
  let deleted = 0;
  for (const tier of TIERS) {
    const cutoffSeconds = Math.floor((nowMs - tier.retentionDays(retention) * DAY_MS) / 1000);
    // A bucket is due once all of it is older than the cutoff.
    const beforeSeconds = cutoffSeconds - tier.stepSeconds;
    for (const num of servers) {
      const [low, high] = keyRange(num, 0, beforeSeconds);
      if (high <= low) continue;
      deleted += db
        .prepare(`delete from ${tier.table} where key in (select key from ${tier.table} where key >= ? and key < ? limit ?)`)
        .run(low, high, batchRows - deleted).changes;
      if (deleted >= batchRows) return deleted;
    }
  }
  return deleted;
}

/** Runs batches until nothing is due, yielding to the event loop between them. Returns the rows deleted. */
export async function expireAll(db: Db, retention: () => MetricsRetention, now: () => number, batchRows = EXPIRY_BATCH_ROWS): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = expireBatch(db, retention(), now(), batchRows);
    total += deleted;
    if (deleted < batchRows) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
