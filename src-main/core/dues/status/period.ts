import { addDays, addMonths, formatIsoDate, parseIsoDate, type IsoDate } from './isoDate';
import type { PeriodRule } from './rules';

/** Inclusive dates covered by one payment. */
export interface Period {
  periodStart: IsoDate;
  periodEnd: IsoDate;
}

/**
 * The default period of a payment: the one containing the payment date. A payment made shortly before a
 * period starts (a November renewal for next year) still gets the current period; the treasurer edits the
 * stored period when the association counts it for the next one.
 * Throws RangeError on an out-of-range month count or fiscal start month: settings are validated on entry.
 */
export function computePeriod(rule: PeriodRule, paymentDate: IsoDate, fiscalYearStartMonth: number): Period {
  switch (rule.kind) {
    case 'calendar_year':
      return yearContaining(paymentDate, 1);
    case 'fiscal_year':
      return yearContaining(paymentDate, fiscalYearStartMonth);
    case 'rolling_months':
      if (!Number.isInteger(rule.months) || rule.months < 1) {
        throw new RangeError(`Rolling period must be a positive whole number of months: ${rule.months}`);
      }
      return monthsFrom(paymentDate, rule.months);
  }
}

function yearContaining(date: IsoDate, startMonth: number): Period {
  if (!Number.isInteger(startMonth) || startMonth < 1 || startMonth > 12) {
    throw new RangeError(`Fiscal year start month must be 1–12: ${startMonth}`);
  }
  const { year, month } = parseIsoDate(date);
  const startYear = month >= startMonth ? year : year - 1;
  return monthsFrom(formatIsoDate({ year: startYear, month: startMonth, day: 1 }), 12);
}

// Half-open [start, start + N months) written as inclusive dates; addMonths clamps 31 Jan + 1 month to February's end.
function monthsFrom(start: IsoDate, months: number): Period {
  return { periodStart: start, periodEnd: addDays(addMonths(start, months), -1) };
}
