/** What a disk-full forecast says, as a translation key and its values, and how loud it should be. */
import type { DiskForecast } from '../../../src-main/contract';

const FAR_OFF_DAYS = 365;
const DAY_MS = 86_400_000;
/** Below a minute of history there is nothing worth naming. */
const MIN_HISTORY_SHOWN_MS = 60_000;

export type OutlookLevel = 'danger' | 'warning' | 'ok' | 'unknown';

export interface Outlook {
  key: string;
  values: Record<string, number>;
  level: OutlookLevel;
}

/**
 * "Full in about 12 days" (rounded: a trend is no more precise than that), "Full within a day", "Full in more than a
 * year", "Stable", or not enough history yet. Under `warnDays` (the disk_forecast rule's threshold) it is a danger.
 */
export function forecastOutlook(forecast: DiskForecast, warnDays: number | null): Outlook {
  if (forecast.status === 'insufficient_history') {
    // "has 0 s" says nothing: the history is only named once there is some.
    const key = forecast.historyDays * DAY_MS < MIN_HISTORY_SHOWN_MS ? 'metrics.forecast.insufficientNone' : 'metrics.forecast.insufficient';
    return { key, values: { days: forecast.minHistoryDays }, level: 'unknown' };
  }
  const days = forecast.daysLeft;
  if (forecast.status === 'stable' || days === null) return { key: 'metrics.forecast.stable', values: {}, level: 'ok' };
  const level: OutlookLevel = warnDays !== null && days < warnDays ? 'danger' : 'warning';
  if (days < 1) return { key: 'metrics.forecast.fullToday', values: {}, level };
  if (days > FAR_OFF_DAYS) return { key: 'metrics.forecast.farOff', values: {}, level: 'ok' };
  return { key: 'metrics.forecast.full', values: { count: Math.round(days) }, level };
}
