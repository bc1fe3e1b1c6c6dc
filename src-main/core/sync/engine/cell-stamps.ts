// The timestamp each synced cell holds, stored one row per synced row (sync_cells: dataset, row, base, cells).
// A row's cells are nearly always stamped together (created, or captured when a team is made): the same millisecond
// and node, only the counter differs. So `cells` is JSON {column: timestamp} where a timestamp sharing the row's
// `base` millisecond and node keeps only its 4-hex counter ("002A"); any other is written whole. About 20 bytes per
// cell instead of a 100-byte index entry each.
//
// Timestamps are Actual's `2026-12-07T14:42:05.123Z-002A-89abcdef01234567`: the millisecond is [0, 24), the counter
// [25, 29), the node [30, 46). The capture trigger (capture.ts) writes the same encoding in SQL.

export type Stamps = Map<string, string>;

/** Whether a timestamp has the millisecond (with its dash) and node (with its dash) of a base: prefix, suffix. */
const shares = (ts: string, prefix: string, node: string): boolean => ts.startsWith(prefix) && ts.endsWith(node);

export function decodeStamps(base: string, cells: string): Stamps {
  const stamps: Stamps = new Map();
  const prefix = base.slice(0, 25);
  const node = base.slice(29);
  for (const [column, ts] of Object.entries(JSON.parse(cells) as Record<string, string>)) stamps.set(column, ts.length === 4 ? `${prefix}${ts}${node}` : ts);
  return stamps;
}

/** The base is the millisecond and node most of the row's cells share, so most of them shrink to their counter. */
export function encodeStamps(stamps: Stamps): { base: string; cells: string } {
  const base = baseOf([...stamps.values()]);
  const prefix = base.slice(0, 25);
  const node = base.slice(29);
  const cells: Record<string, string> = {};
  for (const [column, ts] of stamps) cells[column] = shares(ts, prefix, node) ? ts.slice(25, 29) : ts;
  return { base, cells: JSON.stringify(cells) };
}

function baseOf(all: string[]): string {
  const first = all[0] ?? '';
  const [prefix, node] = [first.slice(0, 25), first.slice(29)];
  // The common case, a row stamped together, without counting.
  if (all.filter((ts) => shares(ts, prefix, node)).length * 2 > all.length) return first;
  const counts = new Map<string, number>();
  let base = first;
  let best = 0;
  for (const ts of all) {
    const key = ts.slice(0, 25) + ts.slice(29);
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (n > best) [base, best] = [ts, n];
  }
  return base;
}

/** SQL for the same encoding of one timestamp against a row's base (both SQL expressions). */
export const sqlStamp = (ts: string, base: string): string =>
  `CASE WHEN substr(${ts}, 1, 25) = substr(${base}, 1, 25) AND substr(${ts}, 30) = substr(${base}, 30) THEN substr(${ts}, 26, 4) ELSE ${ts} END`;
