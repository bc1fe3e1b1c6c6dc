import { CheckCircle2, Cog, XCircle } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EngineInfo } from '../../../src-main/contract';
import { errorMessage } from '../../api/errors';
import { useBackupsStore } from '../../stores/backups-store';

/**
 * Which restic runs the backups, its version, or why none can: missing, too old. The path can be set by hand (a
 * restic unpacked in the home folder) or left to the search (PELOTE_RESTIC, the bundled one, then PATH).
 */
export function EngineCard({ engine }: { engine: EngineInfo | null }) {
  const { t } = useTranslation();
  const setResticPath = useBackupsStore((s) => s.setResticPath);
  const [editing, setEditing] = useState(false);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);

  if (!engine) {
    return (
      <section className="card engine-card" data-testid="engine-card">
        <p className="muted">{t('backups.engine.checking')}</p>
      </section>
    );
  }

  async function apply(next: string | null) {
    setBusy(true);
    const info = await setResticPath(next);
    setBusy(false);
    if (info) {
      setEditing(false);
      setPath('');
    }
  }

  const showForm = editing || !engine.available;
  return (
    <section className={`card engine-card${engine.available ? '' : ' engine-missing'}`} data-testid="engine-card" data-available={engine.available}>
      <div className="engine-head">
        <div className={`engine-icon ${engine.available ? 'ok' : 'bad'}`}>{engine.available ? <CheckCircle2 size={20} /> : <XCircle size={20} />}</div>
        <div className="engine-text">
          {engine.available ? (
            <>
              <div className="engine-title" data-testid="engine-version">
                {t('backups.engine.ready', { version: engine.version ?? '?' })}
              </div>
              <div className="muted engine-where">
                <code>{engine.path}</code>
                {engine.source ? <span>{t(`backups.engine.source.${engine.source}`)}</span> : null}
              </div>
            </>
          ) : (
            <>
              <div className="engine-title" data-testid="engine-error">
                {engine.error ? errorMessage(engine.error) : t('errors.restic_missing')}
              </div>
              <div className="muted">{t(engine.error?.code === 'restic_too_old' ? 'backups.engine.tooOldHelp' : 'backups.engine.missingHelp', { minimum: engine.minimumVersion })}</div>
            </>
          )}
        </div>
        {engine.available && !editing ? (
          <button className="button small" type="button" onClick={() => setEditing(true)} data-testid="engine-change">
            <Cog size={14} />
            {t('backups.engine.change')}
          </button>
        ) : null}
      </div>
      {showForm ? (
        <form
          className="engine-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (path.trim() !== '') void apply(path.trim());
          }}
        >
          <div className="field">
            <label htmlFor="restic-path">{t('backups.engine.pathLabel')}</label>
            <div className="inline-input">
              <input id="restic-path" value={path} onChange={(e) => setPath(e.target.value)} placeholder={t('backups.engine.pathPlaceholder')} spellCheck={false} />
              <button className="button primary" type="submit" disabled={busy || path.trim() === ''} data-testid="engine-set-path">
                {t('backups.engine.usePath')}
              </button>
              {engine.configuredPath !== null ? (
                <button className="button" type="button" disabled={busy} onClick={() => void apply(null)} data-testid="engine-search">
                  {t('backups.engine.searchAgain')}
                </button>
              ) : null}
              {editing ? (
                <button className="button" type="button" onClick={() => setEditing(false)}>
                  {t('common.cancel')}
                </button>
              ) : null}
            </div>
            <div className="field-hint">{t('backups.engine.pathHint', { minimum: engine.minimumVersion })}</div>
          </div>
        </form>
      ) : null}
    </section>
  );
}
