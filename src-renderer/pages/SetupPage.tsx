import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../src-main/contract';
import { Logo } from '../components/Logo';
import { applyLanguage, systemLanguage } from '../i18n';
import { useSettingsStore } from '../stores/settings-store';

/** First run: the association's name and the language; everything else can wait for Settings. */
export function SetupPage() {
  const { t } = useTranslation();
  const completeSetup = useSettingsStore((s) => s.completeSetup);
  const [associationName, setAssociationName] = useState('');
  const [volunteerName, setVolunteerName] = useState('');
  const [language, setLanguage] = useState<Language>(systemLanguage());
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);
  const nameMissing = associationName.trim() === '';

  return (
    <div className="setup">
      <form
        className="card setup-card"
        onSubmit={(event) => {
          event.preventDefault();
          setTouched(true);
          if (nameMissing) return;
          setSaving(true);
          void completeSetup({ associationName, language, volunteerName }).finally(() => setSaving(false));
        }}
        noValidate
      >
        <div className="brand">
          <Logo />
          <div>
            <h1>{t('setup.title')}</h1>
            <div className="page-subtitle">{t('setup.subtitle')}</div>
          </div>
        </div>
        <div className="field">
          <label htmlFor="setup-name">{t('settings.associationName')}</label>
          <input
            id="setup-name"
            value={associationName}
            onChange={(e) => setAssociationName(e.target.value)}
            aria-invalid={touched && nameMissing}
            placeholder={t('setup.namePlaceholder')}
            autoFocus
          />
          {touched && nameMissing ? <div className="field-error">{t('validation.required')}</div> : null}
        </div>
        <div className="field">
          <label htmlFor="setup-volunteer">{t('settings.volunteerName')}</label>
          <input id="setup-volunteer" value={volunteerName} onChange={(e) => setVolunteerName(e.target.value)} />
          <div className="field-hint">{t('settings.volunteerNameHint')}</div>
        </div>
        <div className="field">
          <label htmlFor="setup-language">{t('settings.language')}</label>
          <select
            id="setup-language"
            value={language}
            onChange={(e) => {
              const next = e.target.value as Language;
              setLanguage(next);
              applyLanguage(next);
            }}
          >
            <option value="fr">{t('languages.fr')}</option>
            <option value="en">{t('languages.en')}</option>
          </select>
        </div>
        <div className="actions">
          <button className="button primary" type="submit" disabled={saving} data-testid="setup-submit">
            {t('setup.start')}
          </button>
        </div>
      </form>
    </div>
  );
}
