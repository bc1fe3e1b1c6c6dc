/** Figures and times in the UI language (Intl only, no translations): percents, durations, relative times. */
import { dateTimeFormat, numberFormat } from '../../i18n/intl-cache';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** 91.24 → "91 %" (fr) / "91%" (en). */
export function formatPercent(percent: number, language: string): string {
  return numberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(percent / 100);
}

export const unit = (value: number, name: 'millisecond' | 'second' | 'minute' | 'hour' | 'day', language: string) =>
  numberFormat(language, { style: 'unit', unit: name, unitDisplay: 'narrow' }).format(value);

/** 3725 s → "1h 2min" / "1 h 2 min": the two largest units, enough to read at a glance. */
export function formatDuration(ms: number, language: string): string {
  const total = Math.max(0, ms);
  if (total < MINUTE) return unit(Math.floor(total / SECOND), 'second', language);
  const days = Math.floor(total / DAY);
  const hours = Math.floor((total % DAY) / HOUR);
  const minutes = Math.floor((total % HOUR) / MINUTE);
  if (days > 0) return [unit(days, 'day', language), hours > 0 ? unit(hours, 'hour', language) : ''].filter(Boolean).join(' ');
  if (hours > 0) return [unit(hours, 'hour', language), minutes > 0 ? unit(minutes, 'minute', language) : ''].filter(Boolean).join(' ');
  return unit(minutes, 'minute', language);
}

/** "2 minutes ago" / "il y a 2 minutes", from the largest unit that fits. */
export function formatRelative(iso: string, now: number, language: string): string {
  const elapsed = new Date(iso).getTime() - now;
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  const size = Math.abs(elapsed);
  if (size < MINUTE) return format.format(Math.round(elapsed / SECOND), 'second');
  if (size < HOUR) return format.format(Math.round(elapsed / MINUTE), 'minute');
  if (size < DAY) return format.format(Math.round(elapsed / HOUR), 'hour');
  return format.format(Math.round(elapsed / DAY), 'day');
}

/** "10:02" today, else the date and time. */
export function formatClock(iso: string, now: number, language: string): string {
  const date = new Date(iso);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  return dateTimeFormat(language, sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

