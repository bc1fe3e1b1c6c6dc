import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ExternalLink } from '../components/ExternalLink';
import { useAppInfoStore } from '../stores/app-info-store';

export function AboutPage() {
  const { t } = useTranslation();
  const { info, load } = useAppInfoStore();
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('sections.about.title')}</h1>
          <div className="page-subtitle">{t('sections.about.subtitle')}</div>
        </div>
      </header>
      <section className="card">
        <h2 className="card-title">{t('about.versions')}</h2>
        {info ? (
          <dl className="facts" data-testid="about-facts">
            <dt>{t('about.appVersion')}</dt>
            <dd>{info.appVersion}</dd>
            <dt>{info.runtime.name === 'electron' ? t('about.electron') : t('about.node')}</dt>
            <dd>{info.runtime.version}</dd>
            <dt>{t('about.sqlite')}</dt>
            <dd>{info.sqliteVersion}</dd>
            <dt>{t('about.schemaVersion')}</dt>
            <dd>{info.schemaVersion}</dd>
            <dt>{t('about.face')}</dt>
            <dd>{t(`about.faces.${info.face}`)}</dd>
          </dl>
        ) : null}
      </section>
      <section className="card">
        <h2 className="card-title">{t('about.data')}</h2>
        {info ? (
          <dl className="facts">
            <dt>{t('about.dataDir')}</dt>
            <dd data-testid="about-data-dir">{info.dataDir}</dd>
            <dt>{t('about.dbPath')}</dt>
            <dd>{info.dbPath}</dd>
          </dl>
        ) : null}
      </section>
      <section className="card">
        <p>{t('about.blurb')}</p>
        <ExternalLink href="https://chatons.org/">{t('about.chatonsLink')}</ExternalLink>
      </section>
    </div>
  );
}
