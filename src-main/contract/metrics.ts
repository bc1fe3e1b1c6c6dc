import { z } from 'zod';
import { method } from './define';
import { id } from './fields';

/**
 * Every metric a sweep stores, with its unit. A series is a metric and a subject: the mount point (fs.*), the
 * interface (net.*) or the disk (disk.*); '' for server-wide metrics.
 */
export const METRICS = {
  'cpu.user': 'percent',
  'cpu.system': 'percent',
  'cpu.iowait': 'percent',
  'cpu.steal': 'percent',
  'load.1': 'load',
  'load.5': 'load',
  'load.15': 'load',
  'mem.used': 'bytes',
  'mem.available': 'bytes',
  'swap.used': 'bytes',
  'swap.total': 'bytes',
  'fs.used': 'bytes',
  'fs.avail': 'bytes',
  'fs.inodes': 'percent',
  'net.rx': 'bytes_per_second',
  'net.tx': 'bytes_per_second',
  'disk.read': 'bytes_per_second',
  'disk.write': 'bytes_per_second',
  'disk.util': 'percent',
} as const;
export type MetricName = keyof typeof METRICS;
export type MetricUnit = (typeof METRICS)[MetricName];
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

/** `metric` or `metric:subject`, e.g. `cpu.user`, `fs.used:/var`, `net.rx:eth0`. */
export const seriesKeySchema = z
  .string()
  .max(300)
  .refine((key) => (METRIC_NAMES as string[]).includes(key.split(':', 1)[0] ?? ''), { message: 'unknown metric' });

export type MetricTier = 'raw' | '5m' | '1h';

/** One drawn point: the bucket's average and its extremes, so a spike survives downsampling. */
export interface MetricPoint {
  /** Milliseconds since the epoch (UTC): the bucket's start. */
  t: number;
  v: number;
  min: number;
  max: number;
}

export interface MetricSeries {
  key: string;
  metric: MetricName;
  subject: string;
  unit: MetricUnit;
  /** In time order; `null` marks a gap (no data: the laptop was closed, the server unreachable) — never bridged. */
  points: (MetricPoint | null)[];
}

export interface MetricQueryResult {
  tier: MetricTier;
  /** Width of one output bucket, in ms. */
  stepMs: number;
  from: number;
  to: number;
  series: MetricSeries[];
}

export interface SeriesInfo {
  key: string;
  metric: MetricName;
  subject: string;
  unit: MetricUnit;
}

export interface DiskForecast {
  mount: string;
  sizeBytes: number;
  usedBytes: number;
  /** Bytes per day from the trend; null with too little history. */
  growthBytesPerDay: number | null;
  /** Days until full at that trend; null when not growing or too little history. */
  daysLeft: number | null;
  /** Days of history the trend was computed from. */
  historyDays: number;
  /** History needed before a trend is trusted. */
  minHistoryDays: number;
  status: 'filling' | 'stable' | 'insufficient_history';
}

export interface Sparkline {
  serverId: string;
  /** CPU busy % (user + system + steal) over the window, at most `points` buckets; null marks a gap. */
  points: (number | null)[];
}

export interface MetricsRetention {
  rawDays: number;
  fiveMinuteDays: number;
  hourDays: number;
}

export const metricsRetentionSchema = z
  .object({
    rawDays: z.number().int().min(1).max(365),
    fiveMinuteDays: z.number().int().min(1).max(3650),
    hourDays: z.number().int().min(1).max(36500),
  })
  .strict()
  .refine((r) => r.rawDays <= r.fiveMinuteDays && r.fiveMinuteDays <= r.hourDays, { message: 'each tier must be kept at least as long as the finer one' });

const epochMs = z.number().int().min(0).max(8.64e15);

export const metricMethods = {
  /** The series this server has stored (filesystems, interfaces and disks come and go). */
  'metrics.series': method<SeriesInfo[]>()(z.object({ serverId: id }).strict()),
  /** (server, series, from, to, maxPoints) → series from the tier that covers the range, downsampled keeping spikes. */
  'metrics.query': method<MetricQueryResult>()(
    z
      .object({
        serverId: id,
        series: z.array(seriesKeySchema).min(1).max(64),
        from: epochMs,
        to: epochMs,
        maxPoints: z.number().int().min(2).max(5000).default(600),
      })
      .strict()
      .refine((q) => q.from < q.to, { message: 'from must be before to', path: ['from'] }),
  ),
  /** Per filesystem: when it will be full at its trend over the last 7–30 days. */
  'metrics.forecast': method<DiskForecast[]>()(z.object({ serverId: id }).strict()),
  /** One small CPU line per live server for the fleet overview. */
  'metrics.sparklines': method<Sparkline[]>()(
    z.object({ hours: z.number().int().min(1).max(168).default(24), points: z.number().int().min(2).max(200).default(48) }).strict(),
  ),
  'metrics.getRetention': method<MetricsRetention>()(z.object({}).strict()),
  'metrics.setRetention': method<MetricsRetention>()(metricsRetentionSchema),
};
