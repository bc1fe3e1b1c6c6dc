// When will a filesystem be full? A least-squares line through its hourly used space over the last 30 days (at
// least 7 days of it), extrapolated until the available space runs out. Also the `disk_forecast` health rule.
import type { DiskForecast } from '../../contract';
import type { Core } from '../core';
import type { Db } from '../db/open';
import type { Observation, RuleSettings } from '../health/rules';
import { keyRange, keySeconds, rollupCell } from './packing';
import { seriesOf, serverNum } from './series-catalog';
import { DAY_MS, ONE_HOUR } from './tiers';

export const FORECAST_WINDOW_DAYS = 30;
export const MIN_HISTORY_DAYS = 7;
/** Beyond this the trend says nothing useful: the disk is stable. */
const HORIZON_DAYS = 3650;

export function diskForecasts(db: Db, serverId: string, nowMs: number): DiskForecast[] {
  const num = serverNum(db, serverId);
  if (num === null) return [];
  const series = seriesOf(db, num);
  const usedIdx = new Map(series.filter((s) => s.metric === 'fs.used').map((s) => [s.subject, s.idx]));
  const availIdx = new Map(series.filter((s) => s.metric === 'fs.avail').map((s) => [s.subject, s.idx]));
  const [low, high] = keyRange(num, Math.floor((nowMs - FORECAST_WINDOW_DAYS * DAY_MS) / 1000), Math.floor(nowMs / 1000) + 1);
  const rows = db.prepare(`select key, vals from ${ONE_HOUR.table} where key >= ? and key < ? order by key`).raw().all(low, high) as [number, Buffer][];
  const forecasts: DiskForecast[] = [];
  for (const [mount, idx] of usedIdx) {
    const avail = availIdx.get(mount);
    if (avail === undefined) continue;
    const points: { days: number; used: number; avail: number }[] = [];
    for (const [key, vals] of rows) {
      const used = rollupCell(vals, idx);
      const free = rollupCell(vals, avail);
      if (used !== null && free !== null) points.push({ days: (keySeconds(key) * 1000) / DAY_MS, used: used.mean, avail: free.mean });
    }
    const last = points.at(-1);
    if (last === undefined) continue;
    forecasts.push(forecastOf(mount, points, last));
  }
  return forecasts.sort((a, b) => a.mount.localeCompare(b.mount));
}

function forecastOf(mount: string, points: { days: number; used: number }[], last: { used: number; avail: number }): DiskForecast {
  const historyDays = points.length < 2 ? 0 : (points.at(-1)?.days ?? 0) - (points[0]?.days ?? 0);
  const base = { mount, sizeBytes: last.used + last.avail, usedBytes: last.used, historyDays: round1(historyDays), minHistoryDays: MIN_HISTORY_DAYS };
  // Hourly buckets: 7 days of history spans 7 days minus the last bucket.
  if (historyDays < MIN_HISTORY_DAYS - 1 / 24) return { ...base, growthBytesPerDay: null, daysLeft: null, status: 'insufficient_history' };
  const slope = leastSquaresSlope(points.map((p) => p.days), points.map((p) => p.used));
  const daysLeft = slope > 0 ? last.avail / slope : Infinity;
  return daysLeft <= HORIZON_DAYS
    ? { ...base, growthBytesPerDay: slope, daysLeft: round1(daysLeft), status: 'filling' }
    : { ...base, growthBytesPerDay: slope, daysLeft: null, status: 'stable' };
}

export function leastSquaresSlope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - meanX;
    num += dx * ((ys[i] as number) - meanY);
    den += dx * dx;
  }
  return den === 0 ? 0 : num / den;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** A warning per filesystem whose forecast is under the rule's threshold (days); none without enough history. */
export function forecastObservations(core: Core, serverId: string, rules: RuleSettings, now: Date): Observation[] {
  const limit = rules.disk_forecast.threshold;
  return diskForecasts(core.db, serverId, now.getTime())
    .filter((f) => f.status !== 'insufficient_history')
    .map((f) => ({
      ruleId: 'disk_forecast' as const,
      subject: f.mount,
      serviceId: null,
      failing: f.daysLeft !== null && limit !== null && f.daysLeft < limit,
      value: { mount: f.mount, daysLeft: f.daysLeft === null ? null : Math.floor(f.daysLeft) },
      errorCode: null,
    }));
}
