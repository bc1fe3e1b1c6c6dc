import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { FeeRule, PeriodRule } from '../../../src-main/contract';
import { formatDate, formatMoney } from '../../components/members/format';
import { useSettingsStore } from '../../stores/settings-store';
import { dateTimeFormat, numberFormat } from '../../i18n/intl-cache';

/** Money, months and dues rules in the UI language and the association's currency. */
export function useDuesFormat() {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const currency = useSettingsStore((s) => s.settings?.currency ?? 'EUR');
  const fiscalYearStartMonth = useSettingsStore((s) => s.settings?.fiscalYearStartMonth ?? 1);

  return useMemo(() => {
    const compactFormat = numberFormat(language, { style: 'currency', currency, notation: 'compact', maximumSignificantDigits: 3 });
    const shortMonth = dateTimeFormat(language, { month: 'short', timeZone: 'UTC' });
    const longMonth = dateTimeFormat(language, { month: 'long', timeZone: 'UTC' });
    const money = (cents: number) => formatMoney(cents, currency, language);

    return {
      money,
      /** Axis ticks: "1,25 k€". */
      compactMoney: (cents: number) => compactFormat.format(cents / 100),
      /** "2026-03" → "mars" / "Mar". */
      shortMonth: (yearMonth: string) => shortMonth.format(new Date(`${yearMonth}-01T00:00:00Z`)),
      date: (iso: string) => formatDate(iso, language),
      fee: (rule: FeeRule) => {
        if (rule.kind === 'fixed') return t('dues.fee.fixedWords', { amount: money(rule.amountCents) });
        if (rule.kind === 'exempt') return t('dues.fee.exemptWords');
        return rule.minimumCents > 0
          ? t('dues.fee.payWhatYouWantMinimumWords', { amount: money(rule.minimumCents) })
          : t('dues.fee.payWhatYouWantWords');
      },
      period: (rule: PeriodRule) => {
        if (rule.kind === 'calendar_year') return t('dues.period.calendarYearWords');
        if (rule.kind === 'fiscal_year') {
          return t('dues.period.fiscalYearWords', { month: longMonth.format(new Date(Date.UTC(2000, fiscalYearStartMonth - 1, 1))) });
        }
        return t('dues.period.rollingMonthsWords', { count: rule.months });
      },
      graceDays: (days: number) => t('dues.graceDaysWords', { count: days }),
    };
  }, [t, language, currency, fiscalYearStartMonth]);
}
