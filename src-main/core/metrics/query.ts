// One query for every chart: (server, series, from, to, maxPoints) → series. It reads the coarsest tier that still
// has enough resolution for the range and covers it, then downsamples keeping spikes and gaps (downsample.ts).
import type { MetricQueryResult, MetricSeries, MetricsRetention } from '../../contract';
import { METRICS } from '../../contract/metrics';
import type { Db } from '../db/open';
import { downsample, SourceColumn } from './downsample';
import { keyRange, keySeconds, rollupCell, sampleValue } from './packing';
import { seriesOf, serverNum, splitSeriesKey } from './series-catalog';
import { DAY_MS, ONE_HOUR, TIERS, type TierSpec } from './tiers';

export interface MetricQuery {
  serverId: string;
  series: string[];
  from: number;
  to: number;
  maxPoints: number;
}

export interface QueryContext {
  nowMs: number;
  retention: MetricsRetention;
  /** The server's sweep interval: raw samples further apart than a few of them have a gap between them. */
  sweepIntervalMs: number;
}

/** Raw samples more than this many sweep intervals apart have a gap between them. */
const MISSED_SWEEPS = 3;

export function queryMetrics(db: Db, query: MetricQuery, context: QueryContext): MetricQueryResult {
  const tier = pickTier(query, context);
  const tierStepMs = tier.stepSeconds * 1000;
  const gapMs = tierStepMs + MISSED_SWEEPS * context.sweepIntervalMs;
  const num = serverNum(db, query.serverId);
  const positions = new Map(num === null ? [] : seriesOf(db, num).map((s) => [s.key, s.idx]));
  const wanted = query.series.map((key) => positions.get(key));
  let sources = wanted.map(() => new SourceColumn(0));
  if (num !== null) {
    // A bucket that starts before `from` still holds samples inside the range.
    const fromSeconds = tierStepMs === 0 ? Math.ceil(query.from / 1000) : Math.floor((query.from - tierStepMs) / 1000) + 1;
    const [low, high] = keyRange(num, fromSeconds, Math.floor(query.to / 1000) + 1);
    const rows = db.prepare(`select key, vals from ${tier.table} where key >= ? and key < ? order by key`).raw().all(low, high) as [number, Buffer][];
    sources = wanted.map((idx) => (idx === undefined ? new SourceColumn(0) : readColumn(rows, idx, tier.stepSeconds === 0)));
  }
  let stepMs = tierStepMs;
  const series: MetricSeries[] = query.series.map((key, i) => {
    const reduced = downsample(sources[i] ?? new SourceColumn(0), { maxPoints: query.maxPoints, gapMs });
    stepMs = Math.max(stepMs, reduced.stepMs);
    const { metric, subject } = splitSeriesKey(key);
    return { key, metric, subject, unit: METRICS[metric], points: reduced.points };
  });
  return { tier: tier.tier, stepMs, from: query.from, to: query.to, series };
}

/** Series `idx` of the rows read, skipping the rows where it has no value. */
function readColumn(rows: [number, Buffer][], idx: number, raw: boolean): SourceColumn {
  const column = new SourceColumn(rows.length);
  for (const [key, vals] of rows) {
    const t = keySeconds(key) * 1000;
    if (raw) {
      const value = sampleValue(vals, idx);
      if (!Number.isNaN(value)) column.push(t, value, value, value, 1);
    } else {
      const cell = rollupCell(vals, idx);
      if (cell !== null) column.push(t, cell.mean, cell.min, cell.max, cell.count);
    }
  }
  return column;
}

/**
 * The coarsest tier whose resolution is still finer than one output point and which still holds `from`; when no
 * tier is that fine (a one-hour chart), the finest that holds the range.
 */
export function pickTier(query: Pick<MetricQuery, 'from' | 'to' | 'maxPoints'>, context: QueryContext): TierSpec {
  const wantedStepMs = (query.to - query.from) / query.maxPoints;
  const covers = (tier: TierSpec): boolean => query.from >= context.nowMs - tier.retentionDays(context.retention) * DAY_MS;
  const stepOf = (tier: TierSpec): number => (tier.stepSeconds === 0 ? context.sweepIntervalMs : tier.stepSeconds * 1000);
  const covering = TIERS.filter(covers);
  const fine = covering.filter((tier) => stepOf(tier) <= wantedStepMs);
  return fine.at(-1) ?? covering[0] ?? ONE_HOUR;
}
