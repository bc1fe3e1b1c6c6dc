/**
 * Calendar dates as ISO 'yyyy-mm-dd' strings (years 0000–9999).
 * Arithmetic goes through UTC midnights only, so the local time zone and DST never shift a day.
 * Zero-padded ISO dates sort lexicographically: plain string comparison (<, <=) orders them.
 */
export type IsoDate = string;

export interface YearMonthDay {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function tryParse(date: string): YearMonthDay | null {
  const match = ISO_DATE.exec(date);
  if (!match) return null;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** True for a real calendar date in 'yyyy-mm-dd' form ('2025-02-29' is false). */
export function isIsoDate(value: string): boolean {
  return tryParse(value) !== null;
}

/** Throws RangeError on anything that is not a real 'yyyy-mm-dd' date: callers validate input first. */
export function parseIsoDate(date: IsoDate): YearMonthDay {
  const parsed = tryParse(date);
  if (!parsed) throw new RangeError(`Not an ISO date: ${date}`);
  return parsed;
}

export function formatIsoDate({ year, month, day }: YearMonthDay): IsoDate {
  if (!Number.isInteger(year) || year < 0 || year > 9999) throw new RangeError(`Year out of range: ${year}`);
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

// setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
function toUtcMs(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  return new Date(0).setUTCFullYear(year, month - 1, day);
}

function fromUtcMs(ms: number): IsoDate {
  const d = new Date(ms);
  return formatIsoDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromUtcMs(toUtcMs(date) + days * MS_PER_DAY);
}

/** Same day N months later (or earlier), clamped to the month's last day: 2024-01-31 + 1 → 2024-02-29. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const { year, month, day } = parseIsoDate(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  return formatIsoDate({
    year: targetYear,
    month: targetMonth,
    day: Math.min(day, daysInMonth(targetYear, targetMonth)),
  });
}

/** Whole days from `from` to `to`: 0 on the same day, negative when `to` is earlier. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return (toUtcMs(to) - toUtcMs(from)) / MS_PER_DAY;
}
