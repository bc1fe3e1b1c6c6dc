import { BellRing } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language, PeriodRule, Settings } from '../../src-main/contract';
import { settingsPatchSchema } from '../../src-main/contract/settings';
import { call, isElectron } from '../api/client';
import { toastError } from '../api/errors';
import { useSettingsStore } from '../stores/settings-store';
import { useToastStore } from '../stores/toast-store';
import { RetentionCard } from './servers/usage/RetentionCard';
import { NotificationsSettingsCard } from './channels/NotificationsSettingsCard';
import { SyncSettingsCard } from './sync/SyncSettingsCard';
import { dateTimeFormat } from '../i18n/intl-cache';

const CURRENCIES = ['EUR', 'CHF', 'CAD', 'XPF', 'USD', 'GBP'];
const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);

type Draft = Omit<Settings, 'setupComplete'>;

export function SettingsPage() {
  const { t, i18n } = useTranslation();
  const settings = useSettingsStore((s) => s.settings);
  const update = useSettingsStore((s) => s.update);
  const push = useToastStore((s) => s.push);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saving, setSaving] = useState(false);
  if (!settings) return null;

  const value: Draft = draft ?? settings;
  const set = <K extends keyof Draft>(key: K, next: Draft[K]) => setDraft({ ...value, [key]: next });
  // The contract's own schema validates the form: one rule for the UI and main.
  const check = settingsPatchSchema.safeParse({
    associationName: value.associationName,
    associationAddress: value.associationAddress,
    currency: value.currency,
    language: value.language,
    fiscalYearStartMonth: value.fiscalYearStartMonth,
    duesPeriod: value.duesPeriod,
    duesGraceDays: value.duesGraceDays,
    volunteerName: value.volunteerName,
  });
  const invalid = (field: keyof Draft) => !check.success && check.error.issues.some((issue) => issue.path[0] === field);
  const nameInvalid = invalid('associationName');
  const monthName = (month: number) =>
    dateTimeFormat(i18n.language, { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, month - 1, 1)));

  async function save() {
    if (!check.success) return;
    setSaving(true);
    const saved = await update(check.data);
    setSaving(false);
    if (saved) {
      setDraft(null);
      // The save may have switched the language: say it in the new one.
      push({ kind: 'success', title: i18n.t('settings.saved') });
    }
  }

  async function testNotification() {
    const title = t('settings.testNotificationTitle');
    const body = t('settings.testNotificationBody');
    // The browser asks for permission only in answer to a click: ask now, the host then shows it natively.
    if (!isElectron && 'Notification' in window && Notification.permission === 'default') await Notification.requestPermission();
    const result = await call('app.notify', { title, body });
    if (!result.ok) toastError(result.error);
  }

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('sections.settings.title')}</h1>
          <div className="page-subtitle">{t('sections.settings.subtitle')}</div>
        </div>
      </header>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
        noValidate
      >
        <section className="card">
          <h2 className="card-title">{t('settings.association')}</h2>
          <div className="form-grid">
            <div className="field field-wide">
              <label htmlFor="associationName">{t('settings.associationName')}</label>
              <input
                id="associationName"
                value={value.associationName}
                onChange={(e) => set('associationName', e.target.value)}
                aria-invalid={nameInvalid}
              />
              {nameInvalid ? <div className="field-error">{t('validation.required')}</div> : null}
            </div>
            <div className="field field-wide">
              <label htmlFor="associationAddress">{t('settings.associationAddress')}</label>
              <textarea
                id="associationAddress"
                value={value.associationAddress}
                onChange={(e) => set('associationAddress', e.target.value)}
                rows={3}
              />
              <div className="field-hint">{t('settings.associationAddressHint')}</div>
            </div>
            <div className="field">
              <label htmlFor="currency">{t('settings.currency')}</label>
              <select id="currency" value={value.currency} onChange={(e) => set('currency', e.target.value)}>
                {CURRENCIES.map((code) => (
                  <option key={code} value={code}>
                    {code}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="fiscalYearStartMonth">{t('settings.fiscalYearStartMonth')}</label>
              <select
                id="fiscalYearStartMonth"
                value={value.fiscalYearStartMonth}
                onChange={(e) => set('fiscalYearStartMonth', Number(e.target.value))}
              >
                {MONTHS.map((month) => (
                  <option key={month} value={month}>
                    {monthName(month)}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </section>
        <section className="card">
          <h2 className="card-title">{t('dues.settings.title')}</h2>
          <div className="form-grid">
            <div className="field">
              <label htmlFor="duesPeriod">{t('dues.settings.period')}</label>
              <select
                id="duesPeriod"
                value={value.duesPeriod.kind}
                onChange={(e) => {
                  const kind = e.target.value as PeriodRule['kind'];
                  set('duesPeriod', kind === 'rolling_months' ? { kind, months: 12 } : { kind });
                }}
              >
                <option value="calendar_year">{t('dues.period.calendarYear')}</option>
                <option value="fiscal_year">{t('dues.period.fiscalYear')}</option>
                <option value="rolling_months">{t('dues.period.rollingMonths')}</option>
              </select>
              <div className="field-hint">{t('dues.settings.periodHint')}</div>
            </div>
            {value.duesPeriod.kind === 'rolling_months' ? (
              <div className="field">
                <label htmlFor="duesPeriodMonths">{t('dues.period.months')}</label>
                <input
                  id="duesPeriodMonths"
                  type="number"
                  min={1}
                  max={120}
                  value={Number.isNaN(value.duesPeriod.months) ? '' : value.duesPeriod.months}
                  onChange={(e) => set('duesPeriod', { kind: 'rolling_months', months: e.target.valueAsNumber })}
                  aria-invalid={invalid('duesPeriod')}
                />
                {invalid('duesPeriod') ? <div className="field-error">{t('dues.period.monthsInvalid')}</div> : null}
              </div>
            ) : null}
            <div className="field">
              <label htmlFor="duesGraceDays">{t('dues.settings.graceDays')}</label>
              <input
                id="duesGraceDays"
                type="number"
                min={0}
                max={366}
                value={Number.isNaN(value.duesGraceDays) ? '' : value.duesGraceDays}
                onChange={(e) => set('duesGraceDays', e.target.valueAsNumber)}
                aria-invalid={invalid('duesGraceDays')}
              />
              {invalid('duesGraceDays') ? (
                <div className="field-error">{t('dues.graceDaysInvalid')}</div>
              ) : (
                <div className="field-hint">{t('dues.settings.graceHint')}</div>
              )}
            </div>
          </div>
        </section>
        <section className="card">
          <h2 className="card-title">{t('settings.thisDevice')}</h2>
          <div className="form-grid">
            <div className="field">
              <label htmlFor="volunteerName">{t('settings.volunteerName')}</label>
              <input id="volunteerName" value={value.volunteerName} onChange={(e) => set('volunteerName', e.target.value)} />
              <div className="field-hint">{t('settings.volunteerNameHint')}</div>
            </div>
            <div className="field">
              <label htmlFor="language">{t('settings.language')}</label>
              <select
                id="language"
                value={value.language ?? 'system'}
                onChange={(e) => set('language', e.target.value === 'system' ? null : (e.target.value as Language))}
              >
                <option value="system">{t('languages.system')}</option>
                <option value="fr">{t('languages.fr')}</option>
                <option value="en">{t('languages.en')}</option>
              </select>
            </div>
          </div>
        </section>
        <div className="actions">
          <button className="button" type="button" onClick={() => void testNotification()} data-testid="test-notification">
            <BellRing size={16} />
            {t('settings.testNotification')}
          </button>
          <button className="button" type="button" disabled={!draft || saving} onClick={() => setDraft(null)} data-testid="settings-cancel">
            {t('common.cancel')}
          </button>
          <button className="button primary" type="submit" disabled={!draft || saving || !check.success} data-testid="settings-save">
            {t('common.save')}
          </button>
        </div>
      </form>
      <SyncSettingsCard />
      <NotificationsSettingsCard />
      <RetentionCard />
    </div>
  );
}
