// Stores one sweep's values: a raw sample, and folded into the 5-minute and 1-hour buckets it falls in, so rollups
// are always current and never need a batch job. Runs inside the sweep's transaction.
import type { Db } from '../db/open';
import { foldIntoRollup, packSample, rowKey } from './packing';
import { ensureSeries, ensureServerNum } from './series-catalog';
import { RAW, ROLLUPS } from './tiers';

export function ingestSample(db: Db, serverId: string, atMs: number, values: ReadonlyMap<string, number>): void {
  if (values.size === 0) return;
  const num = ensureServerNum(db, serverId);
  const positions = ensureSeries(db, num, values.keys());
  const width = Math.max(...positions.values()) + 1;
  const byIdx = new Map<number, number>();
  for (const [key, value] of values) byIdx.set(positions.get(key) as number, value);
  const seconds = Math.floor(atMs / 1000);
  // Two samples in one second (a manual sweep racing a scheduled one): the later one stands for that second.
  db.prepare(`insert or replace into ${RAW.table} (key, vals) values (?, ?)`).run(rowKey(num, seconds), packSample(width, byIdx));
  for (const tier of ROLLUPS) {
    const key = rowKey(num, seconds - (seconds % tier.stepSeconds));
    const current = db.prepare(`select vals from ${tier.table} where key = ?`).pluck().get(key) as Buffer | undefined;
    db.prepare(`insert or replace into ${tier.table} (key, vals) values (?, ?)`).run(key, foldIntoRollup(current ?? null, width, byIdx));
  }
}
