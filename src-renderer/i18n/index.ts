import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../src-main/contract';
import enBackups from './locales/en.backups.json';
import enChannels from './locales/en.channels.json';
import enDues from './locales/en.dues.json';
import en from './locales/en.json';
import enMembers from './locales/en.members.json';
import enMetrics from './locales/en.metrics.json';
import enServers from './locales/en.servers.json';
import enSync from './locales/en.sync.json';
import frBackups from './locales/fr.backups.json';
import frChannels from './locales/fr.channels.json';
import frDues from './locales/fr.dues.json';
import fr from './locales/fr.json';
import frMembers from './locales/fr.members.json';
import frMetrics from './locales/fr.metrics.json';
import frServers from './locales/fr.servers.json';
import frSync from './locales/fr.sync.json';
import { numberFormat } from './intl-cache';

// One file per area keeps each screen's words together; their top-level keys never overlap.
export const resources = {
  en: { translation: { ...en, ...enMembers, ...enDues, ...enServers, ...enMetrics, ...enBackups, ...enSync, ...enChannels } },
  fr: { translation: { ...fr, ...frMembers, ...frDues, ...frServers, ...frMetrics, ...frBackups, ...frSync, ...frChannels } },
} as const;

/** The system or browser language when the user has not chosen one: French if it is French, else English. */
export const systemLanguage = (): Language => (navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en');

void i18n.use(initReactI18next).init({
  resources,
  lng: systemLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});

// `{{amount, euros}}` in a translation: integer cents shown as money in the UI language.
i18n.services.formatter?.add('euros', (value: number, lng) =>
  numberFormat(lng, { style: 'currency', currency: 'EUR' }).format(value / 100),
);

export function applyLanguage(language: Language | null): void {
  const lng = language ?? systemLanguage();
  if (i18n.language !== lng) void i18n.changeLanguage(lng);
  document.documentElement.lang = lng;
}

export default i18n;
