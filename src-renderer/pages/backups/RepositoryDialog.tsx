import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { BackupRepository } from '../../../src-main/contract';
import { call, isElectron } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { FormField } from '../../components/members/FormField';
import { useBackupsStore } from '../../stores/backups-store';
import { useSyncStore } from '../../stores/sync-store';
import { useToastStore } from '../../stores/toast-store';

type Mode = 'create' | 'attach' | 'password';

/**
 * A new repository (restic init with a generated password, then its recovery sheet), one that exists (a new laptop,
 * the sheet at hand), or the password of one another computer of the team added ('password': `repository` is it).
 * The password stays out of the database: sealed by the OS keychain in the desktop app, else in a file (0600) — the
 * one named here, or one in the data directory — and never leaves this computer.
 */
export function RepositoryDialog({ mode, repository, onClose }: { mode: Mode; repository?: BackupRepository; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const push = useToastStore((s) => s.push);
  const { keepSheet, loadRepositories, loadStatus } = useBackupsStore.getState();
  const ref = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState('');
  const [path, setPath] = useState('');
  const [passwordKind, setPasswordKind] = useState<'typed' | 'file'>('typed');
  const [password, setPassword] = useState('');
  const [passwordFile, setPasswordFile] = useState('');
  // Offered in a team only: outside one there is no team key to seal it with.
  const inTeam = useSyncStore((s) => s.status?.inTeam === true);
  const [shareWithTeam, setShareWithTeam] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  const required = (value: string) => (submitted && value.trim() === '' ? t('validation.required') : null);
  const providing = mode === 'password' && repository !== undefined;
  const attaching = mode === 'attach' || providing;
  const passwordReady = passwordKind === 'typed' ? password !== '' : passwordFile.trim() !== '';
  const ready = providing ? passwordReady : name.trim() !== '' && path.trim() !== '' && (!attaching || passwordReady);

  async function submit() {
    setSubmitted(true);
    if (!ready || busy) return;
    setBusy(true);
    setFailure(null);
    if (providing) {
      const result = await call('backups.repositories.providePassword', {
        id: repository.id,
        password: passwordKind === 'typed' ? password : null,
        passwordFile: passwordKind === 'file' ? passwordFile.trim() : null,
      });
      setBusy(false);
      if (!result.ok) return setFailure(errorMessage(result.error));
      push({ kind: 'success', title: t('backups.repositories.passwordGiven', { name: result.value.name }) });
      void loadRepositories();
      void loadStatus(result.value.id);
      onClose();
      return;
    }
    if (attaching) {
      const result = await call('backups.repositories.attach', {
        name: name.trim(),
        path: path.trim(),
        password: passwordKind === 'typed' ? password : null,
        passwordFile: passwordKind === 'file' ? passwordFile.trim() : null,
      });
      setBusy(false);
      if (!result.ok) return setFailure(errorMessage(result.error));
      push({ kind: 'success', title: t('backups.repositories.attached', { name: result.value.name }) });
      void loadRepositories();
      onClose();
      return;
    }
    const result = await call('backups.repositories.create', {
      name: name.trim(),
      path: path.trim(),
      passwordFile: passwordFile.trim() === '' ? null : passwordFile.trim(),
      shareWithTeam: inTeam && shareWithTeam,
    });
    setBusy(false);
    if (!result.ok) return setFailure(errorMessage(result.error));
    keepSheet(result.value.recoverySheet);
    void loadRepositories();
    onClose();
    void navigate(`/backups/repositories/${result.value.repository.id}/recovery-sheet`);
  }

  return (
    <dialog ref={ref} className="dialog repository-dialog" onCancel={onClose} aria-labelledby="repository-dialog-title" data-testid="repository-dialog">
      <form
        className="dialog-body"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {providing ? (
          <>
            <h2 id="repository-dialog-title">{t('backups.repositoryForm.passwordTitle', { name: repository.name })}</h2>
            <p className="dialog-text">{t('backups.repositoryForm.passwordText', { name: repository.name, path: repository.path })}</p>
          </>
        ) : (
          <>
            <h2 id="repository-dialog-title">{t(attaching ? 'backups.repositoryForm.attachTitle' : 'backups.repositoryForm.createTitle')}</h2>
            <p className="dialog-text">{t(attaching ? 'backups.repositoryForm.attachText' : 'backups.repositoryForm.createText')}</p>
            <FormField id="repository-name" label={t('backups.repositoryForm.name')} hint={t('backups.repositoryForm.nameHint')} error={required(name)}>
              <input id="repository-name" value={name} onChange={(e) => setName(e.target.value)} autoFocus aria-invalid={required(name) !== null} />
            </FormField>
            <FormField id="repository-path" label={t('backups.repositoryForm.path')} hint={t(attaching ? 'backups.repositoryForm.attachPathHint' : 'backups.repositoryForm.pathHint')} error={required(path)}>
              <input
                id="repository-path"
                value={path}
                onChange={(e) => setPath(e.target.value)}
                spellCheck={false}
                placeholder={t('backups.repositoryForm.pathPlaceholder')}
                aria-invalid={required(path) !== null}
              />
            </FormField>
          </>
        )}
        {attaching ? (
          <>
            <FormField id="repository-password-kind" label={t('backups.repositoryForm.passwordKind')}>
              <select id="repository-password-kind" value={passwordKind} onChange={(e) => setPasswordKind(e.target.value === 'file' ? 'file' : 'typed')}>
                <option value="typed">{t('backups.repositoryForm.passwordTyped')}</option>
                <option value="file">{t('backups.repositoryForm.passwordFromFile')}</option>
              </select>
            </FormField>
            {passwordKind === 'typed' ? (
              <FormField id="repository-password" label={t('backups.repositoryForm.password')} hint={t('backups.repositoryForm.passwordHint')} error={required(password)}>
                <input id="repository-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" spellCheck={false} autoFocus={providing} />
              </FormField>
            ) : (
              <FormField id="repository-password-file" label={t('backups.repositoryForm.passwordFile')} error={required(passwordFile)}>
                <input id="repository-password-file" value={passwordFile} onChange={(e) => setPasswordFile(e.target.value)} spellCheck={false} />
              </FormField>
            )}
          </>
        ) : isElectron ? (
          <p className="field-hint">{t('backups.repositoryForm.storedHint')}</p>
        ) : (
          <FormField id="repository-password-file" label={t('backups.repositoryForm.passwordFileOptional')} hint={t('backups.repositoryForm.passwordFileHint')}>
            <input id="repository-password-file" value={passwordFile} onChange={(e) => setPasswordFile(e.target.value)} spellCheck={false} />
          </FormField>
        )}
        {!attaching && inTeam ? (
          <div className="repository-share-field">
            <label className="check">
              <input type="checkbox" checked={shareWithTeam} onChange={(e) => setShareWithTeam(e.target.checked)} data-testid="repository-share-on-create" />
              {t('backups.sharing.label')}
            </label>
            <p className="field-hint">{t('backups.sharing.hint')}</p>
          </div>
        ) : null}
        {failure ? (
          <div className="test-result test-failed" role="alert" data-testid="repository-error">
            {failure}
          </div>
        ) : null}
        <div className="actions">
          <button className="button" type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button className="button primary" type="submit" disabled={busy || (submitted && !ready)} data-testid="repository-submit">
            {t(
              providing
                ? busy
                  ? 'backups.repositoryForm.providing'
                  : 'backups.repositoryForm.provide'
                : busy
                  ? attaching
                    ? 'backups.repositoryForm.attaching'
                    : 'backups.repositoryForm.creating'
                  : attaching
                    ? 'backups.repositoryForm.attach'
                    : 'backups.repositoryForm.create',
            )}
          </button>
        </div>
      </form>
    </dialog>
  );
}
