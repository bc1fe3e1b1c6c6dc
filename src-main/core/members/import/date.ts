import { daysInMonth, formatIsoDate, type IsoDate } from '../../dues/status/isoDate';

// Day first, always: French exports never write month first, and guessing would swap 02/03 silently.
const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function validTime(hours: string | undefined, minutes: string | undefined, seconds: string | undefined): boolean {
  return hours === undefined || (Number(hours) < 24 && Number(minutes) < 60 && Number(seconds ?? 0) < 60);
}

/**
 * 'dd/mm/yyyy', optionally followed by 'hh:mm' or 'hh:mm:ss', or ISO 'yyyy-mm-dd[Thh:mm[:ss]]'. The time is
 * checked then dropped. Null when `raw` is not a real date (31/02/2025, 13/13/2025, two-digit years).
 */
export function parseDate(raw: string): IsoDate | null {
  const text = raw.trim();
  const dayFirst = DAY_FIRST.exec(text);
  const iso = dayFirst ? null : ISO.exec(text);
  const parts = dayFirst
    ? { day: dayFirst[1], month: dayFirst[2], year: dayFirst[3], time: dayFirst.slice(4, 7) }
    : iso && { day: iso[3], month: iso[2], year: iso[1], time: iso.slice(4, 7) };
  if (!parts) return null;
  const [year, month, day] = [Number(parts.year), Number(parts.month), Number(parts.day)];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (!validTime(parts.time[0], parts.time[1], parts.time[2])) return null;
  return formatIsoDate({ year, month, day });
}
