/** The ranges a usage chart shows, and its time axis: round ticks in local time, labelled in the UI language. */
import { dateTimeFormat } from '../../i18n/intl-cache';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const RANGES = { '1h': HOUR, '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY, '1y': 365 * DAY } as const;
export type RangeId = keyof typeof RANGES;
export const RANGE_IDS = Object.keys(RANGES) as RangeId[];

export interface TimeWindow {
  from: number;
  to: number;
}

/** The window a range shows, ending now. */
export function rangeWindow(range: RangeId, now: number): TimeWindow {
  return { from: now - RANGES[range], to: now };
}

/** A tick interval: a fixed span (minutes, hours) or calendar days and months, which DST and month lengths stretch. */
type Interval = { kind: 'fixed'; ms: number } | { kind: 'days'; n: number } | { kind: 'months'; n: number };

const INTERVALS: Interval[] = [
  // Seconds: a zoom onto a few sweeps.
  ...[1, 2, 5, 10, 15, 30].map((n) => ({ kind: 'fixed', ms: n * 1000 }) as const),
  ...[1, 2, 5, 10, 15, 30].map((n) => ({ kind: 'fixed', ms: n * MINUTE }) as const),
  ...[1, 2, 3, 6, 12].map((n) => ({ kind: 'fixed', ms: n * HOUR }) as const),
  ...[1, 2, 5, 7, 14].map((n) => ({ kind: 'days', n }) as const),
  ...[1, 2, 3, 6, 12].map((n) => ({ kind: 'months', n }) as const),
];

const YEARLY: Interval = { kind: 'months', n: 12 };

const approxMs = (interval: Interval): number =>
  interval.kind === 'fixed' ? interval.ms : interval.kind === 'days' ? interval.n * DAY : interval.n * 30 * DAY;

/** The local offset at a time, in ms (positive east of UTC). */
const offsetAt = (t: number): number => -new Date(t).getTimezoneOffset() * MINUTE;

const daysInMonth = (date: Date): number => new Date(date.getFullYear(), date.getMonth() + 1, 0).getDate();

function ticksFor(interval: Interval, from: number, to: number): number[] {
  const ticks: number[] = [];
  if (interval.kind === 'fixed') {
    // Aligned in local time, so hourly ticks fall on the hour even in zones half an hour off UTC.
    const offset = offsetAt(from);
    for (let t = Math.ceil((from + offset) / interval.ms) * interval.ms - offset; t <= to; t += interval.ms) ticks.push(t);
    return ticks;
  }
  const start = new Date(from);
  if (interval.kind === 'days') {
    // Days 1, 1+n, 1+2n… of each month: ticks stay put as the window slides.
    const day = new Date(start.getFullYear(), start.getMonth(), start.getDate());
    if (day.getTime() < from) day.setDate(day.getDate() + 1);
    for (; day.getTime() <= to; day.setDate(day.getDate() + 1)) {
      if ((day.getDate() - 1) % interval.n === 0 && !(interval.n > 1 && daysInMonth(day) - day.getDate() < interval.n / 2)) ticks.push(day.getTime());
    }
    return ticks;
  }
  const month = new Date(start.getFullYear(), start.getMonth(), 1);
  if (month.getTime() < from) month.setMonth(month.getMonth() + 1);
  while (month.getMonth() % interval.n !== 0) month.setMonth(month.getMonth() + 1);
  for (; month.getTime() <= to; month.setMonth(month.getMonth() + interval.n)) ticks.push(month.getTime());
  return ticks;
}

export interface TimeAxis {
  ticks: number[];
  format: (t: number) => string;
}

/** At most `maxTicks` round ticks between `from` and `to`, labelled by what changes at that scale. */
export function timeAxis(from: number, to: number, language: string, maxTicks = 6): TimeAxis {
  const span = Math.max(1, to - from);
  const interval = INTERVALS.find((candidate) => span / approxMs(candidate) <= maxTicks) ?? YEARLY;
  const ticks = ticksFor(interval, from, to);
  const seconds = interval.kind === 'fixed' && interval.ms < MINUTE;
  const clock = dateTimeFormat(language, { hour: 'numeric', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}) });
  const dayMonth = dateTimeFormat(language, { day: 'numeric', month: 'short' });
  const monthYear = dateTimeFormat(language, { month: 'short', year: 'numeric' });
  const format = (t: number): string => {
    if (interval.kind === 'months') return monthYear.format(t);
    if (interval.kind === 'days') return dayMonth.format(t);
    const date = new Date(t);
    // Midnight on a chart of hours names the day it starts.
    const midnight = date.getHours() === 0 && date.getMinutes() === 0;
    return midnight && span > 2 * HOUR ? dayMonth.format(t) : clock.format(t);
  };
  return { ticks, format };
}

/** A bucket's time in a tooltip: the date and the time, with seconds when buckets are shorter than a minute. */
export function formatMoment(t: number, stepMs: number, language: string): string {
  return dateTimeFormat(language, { dateStyle: 'medium', timeStyle: stepMs < MINUTE ? 'medium' : 'short' }).format(t);
}

/** A zoomed window, the date written once: "12/03/2026, 10:02:05 – 10:02:40" (seconds when it is short). */
export function formatWindow(window: TimeWindow, language: string): string {
  const short = window.to - window.from < HOUR;
  return dateTimeFormat(language, { dateStyle: 'short', timeStyle: short ? 'medium' : 'short' }).formatRange(window.from, window.to);
}

/** "2026-03-12": for file names. */
export const isoDay = (t: number): string => new Date(t).toISOString().slice(0, 10);
