import { AlertTriangle, FileText, HardDrive, KeyRound, Lock, Plus, RefreshCw, Trash2, Unlock, Users } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { BackupRepository, RepositoryLock } from '../../../src-main/contract';
import { errorMessage } from '../../api/errors';
import { ConfirmDialog } from '../../components/members/ConfirmDialog';
import { formatDateTime } from '../../components/members/format';
import { formatDuration } from '../../components/servers/figures';
import type { StatusState } from '../../stores/backups-store';
import { useBackupsStore } from '../../stores/backups-store';
import { useSyncStore } from '../../stores/sync-store';
import { useToastStore } from '../../stores/toast-store';
import { RepositoryDialog } from './RepositoryDialog';

function LockLine({ lock }: { lock: RepositoryLock }) {
  const { t, i18n } = useTranslation();
  return (
    <li data-testid="repository-lock" data-stale={lock.stale}>
      {t(lock.stale ? 'backups.locks.stale' : 'backups.locks.live', {
        host: lock.hostname,
        pid: lock.pid,
        age: formatDuration(lock.ageSeconds * 1000, i18n.language),
      })}
    </li>
  );
}

function RepositoryStatusLine({ state, onUnlock }: { state: StatusState | undefined; onUnlock: () => void }) {
  const { t } = useTranslation();
  if (!state || state.kind === 'checking') return <span className="muted">{t('backups.repositories.checking')}</span>;
  if (state.kind === 'failed') {
    return (
      <span className="repository-status bad" data-testid="repository-status" data-ok="false">
        {errorMessage(state.error)}
      </span>
    );
  }
  const { status } = state;
  const stale = status.locks.filter((lock) => lock.stale);
  return (
    <div className="repository-status-block">
      <span className={`repository-status ${status.ok ? 'good' : 'bad'}`} data-testid="repository-status" data-ok={status.ok}>
        {status.ok ? t('backups.repositories.ok', { count: status.snapshotCount ?? 0 }) : status.error ? errorMessage(status.error) : t('backups.repositories.notOk')}
      </span>
      {status.locks.length > 0 ? (
        <div className={`notice ${stale.length > 0 ? 'warning' : ''} repository-locks`} data-testid="repository-locks">
          <Lock size={16} className="notice-icon" aria-hidden />
          <div className="notice-body">
            <div className="notice-title">{t('backups.locks.title', { count: status.locks.length })}</div>
            <ul className="lock-list">
              {status.locks.map((lock) => (
                <LockLine key={lock.id} lock={lock} />
              ))}
            </ul>
            {stale.length > 0 ? (
              <>
                <p className="notice-text">{t('backups.locks.staleHelp')}</p>
                <div className="actions">
                  <button className="button small" type="button" onClick={onUnlock} data-testid="repository-unlock">
                    <Unlock size={14} />
                    {t('backups.locks.unlock', { count: stale.length })}
                  </button>
                </div>
              </>
            ) : (
              <p className="notice-text">{t('backups.locks.liveHelp')}</p>
            )}
          </div>
        </div>
      ) : null}
    </div>
  );
}

/**
 * In a team, on a computer that has the password: share it with the team (sealed with the team key), or stop. A
 * computer whose copy came from the team says so.
 */
function PasswordSharing({ repository }: { repository: BackupRepository }) {
  const { t, i18n } = useTranslation();
  const push = useToastStore((s) => s.push);
  const inTeam = useSyncStore((s) => s.status?.inTeam === true);
  const [busy, setBusy] = useState(false);
  if (!inTeam) return null;
  const received = repository.passwordReceivedAt;
  async function toggle(shared: boolean) {
    setBusy(true);
    const done = await useBackupsStore.getState().sharePassword(repository.id, shared);
    setBusy(false);
    if (done) push({ kind: 'success', title: t(shared ? 'backups.sharing.shared' : 'backups.sharing.stopped', { name: repository.name }) });
  }
  return (
    <div className="repository-sharing" data-testid="repository-sharing" data-shared={repository.passwordShared}>
      {received !== null ? (
        <p className="repository-received" data-testid="repository-password-received">
          <Users size={14} aria-hidden />
          {t('backups.sharing.received', { date: formatDateTime(received, i18n.language) })}
        </p>
      ) : null}
      <label className="check">
        <input type="checkbox" checked={repository.passwordShared} disabled={busy} onChange={(e) => void toggle(e.target.checked)} data-testid="repository-share" />
        {t('backups.sharing.label')}
      </label>
      <p className="field-hint">{t(repository.passwordShared ? 'backups.sharing.sharedHint' : 'backups.sharing.hint')}</p>
    </div>
  );
}

function RepositoryRow({ repository }: { repository: BackupRepository }) {
  const { t } = useTranslation();
  const push = useToastStore((s) => s.push);
  const state = useBackupsStore((s) => s.statuses[repository.id]);
  const checking = useBackupsStore((s) => s.checking[repository.id] === true);
  const { loadStatus, unlock, deleteRepository } = useBackupsStore.getState();
  const [confirmUnlock, setConfirmUnlock] = useState(false);
  const [confirmForget, setConfirmForget] = useState(false);
  const [askPassword, setAskPassword] = useState(false);
  // Added on another computer of the team: its password is typed here from the recovery sheet.
  const passwordMissing = repository.passwordSource.kind === 'none';
  const stale = state?.kind === 'done' ? state.status.locks.filter((lock) => lock.stale) : [];

  return (
    <li className="repository" data-testid="repository" data-name={repository.name}>
      <div className="repository-icon">
        <HardDrive size={18} />
      </div>
      <div className="repository-main">
        <div className="repository-head">
          <span className="repository-name">{repository.name}</span>
          <span className="server-tag">{t('backups.repositories.jobCount', { count: repository.jobCount })}</span>
        </div>
        <div className="repository-path">
          <code>{repository.path}</code>
          <span className="muted">{t('backups.repositories.resticId', { id: repository.resticId.slice(0, 8) })}</span>
        </div>
        {passwordMissing ? (
          <div className="notice warning" data-testid="repository-password-missing">
            <KeyRound size={16} className="notice-icon" aria-hidden />
            <div className="notice-body">
              <div className="notice-title">{t('backups.repositories.passwordMissingTitle')}</div>
              <p className="notice-text">{t('backups.repositories.passwordMissingText')}</p>
              <div className="actions">
                <button className="button small primary" type="button" onClick={() => setAskPassword(true)} data-testid="repository-provide-password">
                  <KeyRound size={14} />
                  {t('backups.repositories.providePassword')}
                </button>
              </div>
            </div>
          </div>
        ) : (
          <RepositoryStatusLine state={state} onUnlock={() => setConfirmUnlock(true)} />
        )}
        {passwordMissing ? null : <PasswordSharing repository={repository} />}
        {repository.recoveryConfirmedAt === null && !passwordMissing ? (
          <div className="notice warning" data-testid="recovery-unconfirmed">
            <AlertTriangle size={16} className="notice-icon" aria-hidden />
            <div className="notice-body">
              <div className="notice-title">{t('backups.recovery.unconfirmedTitle')}</div>
              <p className="notice-text">{t('backups.recovery.unconfirmedText')}</p>
              <div className="actions">
                <Link className="button small" to={`/backups/repositories/${repository.id}/recovery-sheet`} data-testid="recovery-show">
                  <FileText size={14} />
                  {t('backups.recovery.show')}
                </Link>
              </div>
            </div>
          </div>
        ) : null}
      </div>
      <div className="repository-actions">
        {passwordMissing ? null : (
          <button className="button small" type="button" onClick={() => void loadStatus(repository.id)} disabled={checking} data-testid="repository-check">
            <RefreshCw size={14} className={checking ? 'spin' : undefined} />
            {t('backups.repositories.check')}
          </button>
        )}
        <button className="button small danger-outline" type="button" onClick={() => setConfirmForget(true)} data-testid="repository-forget">
          <Trash2 size={14} />
          {t('backups.repositories.forget')}
        </button>
      </div>
      {confirmUnlock ? (
        <ConfirmDialog
          title={t('backups.locks.confirmTitle')}
          confirmLabel={t('backups.locks.unlock', { count: stale.length })}
          onCancel={() => setConfirmUnlock(false)}
          onConfirm={async () => {
            if (await unlock(repository.id)) push({ kind: 'success', title: t('backups.locks.unlocked') });
            setConfirmUnlock(false);
          }}
        >
          <p>{t('backups.locks.confirmText', { name: repository.name })}</p>
          <ul className="lock-list">
            {stale.map((lock) => (
              <LockLine key={lock.id} lock={lock} />
            ))}
          </ul>
        </ConfirmDialog>
      ) : null}
      {askPassword ? <RepositoryDialog mode="password" repository={repository} onClose={() => setAskPassword(false)} /> : null}
      {confirmForget ? (
        <ConfirmDialog
          title={t('backups.repositories.forgetTitle', { name: repository.name })}
          confirmLabel={t('backups.repositories.forget')}
          danger
          onCancel={() => setConfirmForget(false)}
          onConfirm={async () => {
            if (await deleteRepository(repository.id)) push({ kind: 'success', title: t('backups.repositories.forgotten', { name: repository.name }) });
            setConfirmForget(false);
          }}
        >
          <p>{t('backups.repositories.forgetText', { path: repository.path })}</p>
        </ConfirmDialog>
      ) : null}
    </li>
  );
}

/** Where the backups are kept: folders on this laptop or a USB disk, each a restic repository. */
export function RepositoriesCard({ repositories }: { repositories: BackupRepository[] | null }) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<'create' | 'attach' | null>(null);
  return (
    <section className="card" data-testid="repositories-card">
      <div className="card-header">
        <div>
          <h2>{t('backups.repositories.title')}</h2>
          <div className="card-subtitle">{t('backups.repositories.subtitle')}</div>
        </div>
        <div className="actions">
          <button className="button small" type="button" onClick={() => setDialog('attach')} data-testid="repository-attach">
            {t('backups.repositories.attach')}
          </button>
          <button className="button small primary" type="button" onClick={() => setDialog('create')} data-testid="repository-create">
            <Plus size={14} />
            {t('backups.repositories.create')}
          </button>
        </div>
      </div>
      {repositories === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : repositories.length === 0 ? (
        <p className="muted" data-testid="repositories-empty">
          {t('backups.repositories.empty')}
        </p>
      ) : (
        <ul className="repository-list">
          {repositories.map((repository) => (
            <RepositoryRow key={repository.id} repository={repository} />
          ))}
        </ul>
      )}
      {dialog ? <RepositoryDialog mode={dialog} onClose={() => setDialog(null)} /> : null}
    </section>
  );
}
