// Which series a server has and where each sits in its value blobs. Read inside the writing transaction rather than
// cached: the app and a cron `pelote check` may both add series to the same file.
import type { MetricName } from '../../contract';
import { METRICS } from '../../contract/metrics';
import type { Db } from '../db/open';

export interface SeriesEntry {
  idx: number;
  metric: MetricName;
  subject: string;
  key: string;
}

export const seriesKey = (metric: string, subject: string): string => (subject === '' ? metric : `${metric}:${subject}`);

/** `fs.used:/var` → ['fs.used', '/var']: metric names have no colon, subjects (mount points) may. */
export function splitSeriesKey(key: string): { metric: MetricName; subject: string } {
  const colon = key.indexOf(':');
  return colon < 0 ? { metric: key as MetricName, subject: '' } : { metric: key.slice(0, colon) as MetricName, subject: key.slice(colon + 1) };
}

export const isMetricName = (name: string): name is MetricName => Object.prototype.hasOwnProperty.call(METRICS, name);

/** The server's number in metric keys, or null when it never stored a sample. */
export function serverNum(db: Db, serverId: string): number | null {
  return (db.prepare('select num from metric_servers where server_id = ?').pluck().get(serverId) as number | undefined) ?? null;
}

export function ensureServerNum(db: Db, serverId: string): number {
  db.prepare('insert or ignore into metric_servers (server_id) values (?)').run(serverId);
  return serverNum(db, serverId) as number;
}

export function seriesOf(db: Db, num: number): SeriesEntry[] {
  const rows = db.prepare('select idx, metric, subject from metric_series where server_num = ? order by idx').all(num) as Omit<SeriesEntry, 'key'>[];
  return rows.map((r) => ({ ...r, key: seriesKey(r.metric, r.subject) }));
}

/** Positions of `keys`, appending the series not seen before. Call inside a transaction. */
export function ensureSeries(db: Db, num: number, keys: Iterable<string>): Map<string, number> {
  const known = new Map(seriesOf(db, num).map((s) => [s.key, s.idx]));
  let next = known.size === 0 ? 0 : Math.max(...known.values()) + 1;
  const insert = db.prepare('insert into metric_series (server_num, idx, metric, subject) values (?, ?, ?, ?)');
  for (const key of keys) {
    if (known.has(key)) continue;
    const { metric, subject } = splitSeriesKey(key);
    insert.run(num, next, metric, subject);
    known.set(key, next++);
  }
  return known;
}
