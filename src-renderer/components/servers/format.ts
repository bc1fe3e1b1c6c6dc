/** Check values, causes and incident subjects in the UI language. */
import type { TFunction } from 'i18next';
import type { Incident } from '../../../src-main/contract';
import { errorMessage } from '../../api/errors';
import { formatPercent, unit } from './figures';
import { numberFormat } from '../../i18n/intl-cache';

type Value = Record<string, string | number | boolean | null>;

const number = (value: number, language: string, digits = 2) =>
  numberFormat(language, { maximumFractionDigits: digits }).format(value);

/** Keys that repeat what is shown elsewhere: the error code (translated on its own). */
const HIDDEN_KEYS = new Set(['error']);

export interface ValueOptions {
  /** Keys shown elsewhere on screen (the mount point in the "On" column). */
  hide?: string[];
  /** Yes/no facts ("port closed"); left out where an error message already says it. */
  flags?: boolean;
}

/**
 * A check's last value, e.g. { mount: '/', usedPercent: 91.2 } → "/ · 91 %". Known figures are formatted; other
 * strings (a mount point, unit names) are shown as they are, since they are the server's own words.
 */
export function formatValue(value: Value, t: TFunction, language: string, options: ValueOptions = {}): string {
  const parts: string[] = [];
  for (const [key, raw] of Object.entries(value)) {
    if (raw === null || raw === '' || HIDDEN_KEYS.has(key) || options.hide?.includes(key)) continue;
    if (typeof raw === 'number') {
      if (/percent$/i.test(key)) parts.push(formatPercent(raw, language));
      else if (/^load/i.test(key)) parts.push(t('servers.value.load', { value: number(raw, language) }));
      else if (/days/i.test(key)) parts.push(t('servers.value.days', { count: Math.floor(raw) }));
      else if (/status/i.test(key)) parts.push(t('servers.value.httpStatus', { status: raw }));
      else if (/ms$/i.test(key)) parts.push(unit(Math.round(raw), 'millisecond', language));
      else if (key === 'count') parts.push(t('servers.value.failedUnits', { count: raw }));
      else parts.push(number(raw, language));
    } else if (typeof raw === 'boolean') {
      if (options.flags !== false) parts.push(t(`servers.value.flags.${key}.${raw}`, { defaultValue: '' }));
    } else if (key === 'unit') {
      parts.push(t('servers.value.unitState', { state: raw }));
    } else {
      parts.push(raw);
    }
  }
  return parts.filter(Boolean).join(' · ');
}

/** Why a check failed: the translated error code when there is one, else its value. */
export function formatCause(code: string | null, value: Value, t: TFunction, language: string, options: ValueOptions = {}): string {
  const figures = formatValue(value, t, language, code ? { ...options, flags: false } : options);
  if (!code) return figures;
  const message = errorMessage({ code, message: '', details: value });
  return figures ? `${message} (${figures})` : message;
}

/** What an incident is about, in a few words: "Etherpad — HTTP check" or "Disk space". */
export function incidentSubject(incident: Pick<Incident, 'serviceName' | 'ruleId'>, t: TFunction): string {
  const rule = ruleName(incident.ruleId, t);
  return incident.serviceName ? `${incident.serviceName} — ${rule}` : rule;
}

export const ruleName = (ruleId: string, t: TFunction): string => t(`servers.rules.${ruleId}.name`);
