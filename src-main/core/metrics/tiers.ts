// The three tiers of history and how long each is kept (configurable, see retention.ts).
import type { MetricTier, MetricsRetention } from '../../contract';

export interface TierSpec {
  tier: MetricTier;
  table: 'metric_raw' | 'metric_5m' | 'metric_1h';
  /** Bucket width; 0 for raw samples, whose spacing is the server's sweep interval. */
  stepSeconds: number;
  retentionDays: (retention: MetricsRetention) => number;
}

export const RAW: TierSpec = { tier: 'raw', table: 'metric_raw', stepSeconds: 0, retentionDays: (r) => r.rawDays };
export const FIVE_MINUTES: TierSpec = { tier: '5m', table: 'metric_5m', stepSeconds: 300, retentionDays: (r) => r.fiveMinuteDays };
export const ONE_HOUR: TierSpec = { tier: '1h', table: 'metric_1h', stepSeconds: 3600, retentionDays: (r) => r.hourDays };

export const ROLLUPS = [FIVE_MINUTES, ONE_HOUR] as const;
/** Finest first. */
export const TIERS = [RAW, FIVE_MINUTES, ONE_HOUR] as const;

export const DAY_MS = 86_400_000;

export const DEFAULT_RETENTION: MetricsRetention = Object.freeze({ rawDays: 14, fiveMinuteDays: 90, hourDays: 730 });
