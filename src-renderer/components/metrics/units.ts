/**
 * Metric values in the UI language (Intl only, no translations): bytes and rates humanised in SI units, which Intl
 * names in each language ("1.2 GB", "1,2 Go", "3.4 MB/s", "3,4 Mo/s"), percents and loads. Also the Y-axis ticks.
 */
import type { MetricUnit } from '../../../src-main/contract';
import { numberFormat } from '../../i18n/intl-cache';

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte', 'petabyte'] as const;
const STEP = 1000;

/** The power of 1000 that shows `value` with one to three integer digits. */
export function bytePower(value: number): number {
  const size = Math.abs(value);
  if (size < STEP) return 0;
  return Math.min(BYTE_UNITS.length - 1, Math.floor(Math.log10(size) / 3));
}

/** Digits after the decimal separator: none for big figures, one or two for small ones ("1.25 GB", "12.5 GB", "125 GB"). */
const digitsFor = (scaled: number): number => (Math.abs(scaled) >= 100 || scaled === 0 ? 0 : Math.abs(scaled) >= 10 ? 1 : 2);

function formatScaled(value: number, power: number, perSecond: boolean, language: string, digits?: number): string {
  const scaled = value / STEP ** power;
  const unit = `${BYTE_UNITS[power] ?? 'byte'}${perSecond ? '-per-second' : ''}`;
  const maximumFractionDigits = digits ?? digitsFor(scaled);
  if (power > 0) {
    return numberFormat(language, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits }).format(scaled);
  }
  // Intl's short byte is the whole word in English ("12 byte"): its narrow symbol ("B", "o") with a space reads better.
  const parts = numberFormat(language, { style: 'unit', unit, unitDisplay: 'narrow', maximumFractionDigits }).formatToParts(scaled);
  const number = parts.filter((part) => part.type !== 'unit' && part.type !== 'literal').map((part) => part.value).join('');
  const symbol = parts.filter((part) => part.type === 'unit').map((part) => part.value).join('');
  return `${number}\u00a0${symbol}`;
}

/** 1 234 567 → "1.23 MB" / "1,23 Mo". */
export function formatBytes(bytes: number, language: string, digits?: number): string {
  return formatScaled(bytes, bytePower(bytes), false, language, digits);
}

/** Bytes per second → "3.4 MB/s" / "3,4 Mo/s". */
export function formatRate(bytesPerSecond: number, language: string, digits?: number): string {
  return formatScaled(bytesPerSecond, bytePower(bytesPerSecond), true, language, digits);
}

/** Percent points (0–100) → "42.5%" / "42,5 %". */
export function formatPercentValue(percent: number, language: string, digits = 1): string {
  return numberFormat(language, { style: 'percent', maximumFractionDigits: digits }).format(percent / 100);
}

export function formatLoad(load: number, language: string): string {
  return numberFormat(language, { maximumFractionDigits: 2 }).format(load);
}

/** A value of any metric unit, as a tooltip shows it. */
export function formatMetric(value: number, unit: MetricUnit, language: string): string {
  switch (unit) {
    case 'bytes':
      return formatBytes(value, language);
    case 'bytes_per_second':
      return formatRate(value, language);
    case 'percent':
      return formatPercentValue(value, language);
    case 'load':
      return formatLoad(value, language);
  }
}

export interface Axis {
  ticks: number[];
  top: number;
  /** Formats one tick: a shared unit and few digits, so labels stay short. */
  format: (value: number) => string;
}

/** Roughly this many intervals on a value axis. */
const TARGET_INTERVALS = 4;

/** The smallest 1, 2, 2.5 or 5 × 10ⁿ at least `rough`. */
function niceStep(rough: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough * (1 - 1e-9)) ?? 10 * magnitude;
}

/**
 * Y-axis ticks from 0 to just above `max`, in round steps of the unit shown (bytes are rounded in the SI unit the top
 * tick is written in: 0, 250 MB, 500 MB…). Percent axes end at 100 when the values come close.
 */
export function valueAxis(max: number, unit: MetricUnit, language: string): Axis {
  const safeMax = Number.isFinite(max) && max > 0 ? max : 0;
  if (unit === 'percent' && safeMax > 50) {
    return { ticks: [0, 25, 50, 75, 100], top: 100, format: (v) => formatPercentValue(v, language, 0) };
  }
  const isBytes = unit === 'bytes' || unit === 'bytes_per_second';
  // Without data (an idle interface): a small but believable axis, 0 to 1 kB/s, 0 to 1, 0 to 10 %.
  const shownMax = safeMax > 0 ? safeMax : unit === 'percent' ? 10 : isBytes ? STEP : 1;
  let power = isBytes ? bytePower(shownMax) : 0;
  let scaled = scaledAxis(shownMax, STEP ** power);
  // 870 kB rounds up to a top of 1,000 kB: written in MB instead (0, 0.25 MB … 1 MB).
  if (isBytes && scaled.top >= STEP && power < BYTE_UNITS.length - 1) scaled = scaledAxis(shownMax, STEP ** ++power);
  const scale = STEP ** power;
  const { step, top } = scaled;
  const count = Math.round(top / step);
  const ticks = Array.from({ length: count + 1 }, (_, i) => roundTo(i * step, step) * scale);
  const digits = decimalsOf(step);
  const format = (value: number): string => {
    if (unit === 'percent') return formatPercentValue(value, language, digits);
    if (unit === 'load') return formatLoad(value, language);
    return formatScaled(value, power, unit === 'bytes_per_second', language, digits);
  };
  return { ticks, top: top * scale, format };
}

/** A round step and the first multiple of it at or above `max`, in units of `scale`. */
function scaledAxis(max: number, scale: number): { step: number; top: number } {
  const scaledMax = max / scale;
  const step = niceStep(scaledMax / TARGET_INTERVALS);
  return { step, top: Math.max(step, Math.ceil(scaledMax / step - 1e-9) * step) };
}

/** How many decimals a step needs (0.25 → 2, 5 → 0). */
function decimalsOf(step: number): number {
  for (let digits = 0; digits < 6; digits++) if (Math.abs(Math.round(step * 10 ** digits) - step * 10 ** digits) < 1e-9) return digits;
  return 6;
}

const roundTo = (value: number, step: number): number => {
  const factor = 10 ** decimalsOf(step);
  return Math.round(value * factor) / factor;
};
