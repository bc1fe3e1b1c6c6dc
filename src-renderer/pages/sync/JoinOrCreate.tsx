import { FolderPlus, ShieldCheck, UserPlus, UsersRound } from 'lucide-react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isElectron } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { FormField } from '../../components/members/FormField';
import { useSyncStore } from '../../stores/sync-store';
import { useToastStore } from '../../stores/toast-store';
import type { FieldProblem, TeamField } from './team-form';
import { useTeamForm } from './use-team-form';
import { envNameProblem, fieldOfError, fingerprintProblem, folderProblem, identityProblem, isSshFolder, keyFileProblem, keyProblem, pickFingerprint } from './team-form';

/** Not in a team yet: what team sync is, then the two ways in, side by side. */
export function JoinOrCreate() {
  const { t } = useTranslation();
  return (
    <>
      <section className="card sync-intro" data-testid="sync-intro">
        <div className="sync-intro-icon" aria-hidden>
          <UsersRound size={22} />
        </div>
        <div className="sync-intro-body">
          <h2>{t('sync.intro.title')}</h2>
          <p>{t('sync.intro.text')}</p>
          <p className="sync-intro-encrypted">
            <ShieldCheck size={16} aria-hidden />
            <span>{t('sync.intro.encrypted')}</span>
          </p>
        </div>
      </section>
      <div className="sync-choices">
        <TeamForm mode="create" />
        <TeamForm mode="join" />
      </div>
    </>
  );
}

type Mode = 'create' | 'join';
const FIELDS: TeamField[] = ['folder', 'key', 'keyFile', 'identity', 'fingerprint', 'passphraseEnv', 'passphraseFile'];
/** Where the key's passphrase is read from when joining: the keychain is offered on the server's page afterwards. */
type PassphraseKind = 'none' | 'env' | 'file';
const PASSPHRASE_KINDS: PassphraseKind[] = ['none', 'env', 'file'];
const EMPTY: Record<TeamField, string> = { folder: '', key: '', keyFile: '', identity: '', fingerprint: '', passphraseEnv: '', passphraseFile: '' };

function TeamForm({ mode }: { mode: Mode }) {
  const { t } = useTranslation();
  const push = useToastStore((s) => s.push);
  const { create, join } = useSyncStore.getState();
  const { values, set, setSubmitted, refusal, setRefusal, errorFor: errorIn } = useTeamForm<TeamField>(EMPTY);
  const [passphraseKind, setPassphraseKind] = useState<PassphraseKind>('none');
  const [busy, setBusy] = useState(false);
  const folderRef = useRef<HTMLInputElement>(null);
  const keyRef = useRef<HTMLTextAreaElement>(null);
  const keyFileRef = useRef<HTMLInputElement>(null);
  const identityRef = useRef<HTMLInputElement>(null);
  const fingerprintRef = useRef<HTMLInputElement>(null);
  const passphraseEnvRef = useRef<HTMLInputElement>(null);
  const passphraseFileRef = useRef<HTMLInputElement>(null);
  const refs = { folder: folderRef, key: keyRef, keyFile: keyFileRef, identity: identityRef, fingerprint: fingerprintRef, passphraseEnv: passphraseEnvRef, passphraseFile: passphraseFileRef };
  const focus = (field: TeamField) => refs[field].current?.focus();
  const joining = mode === 'join';
  const id = (field: TeamField) => `${mode}-${field}`;
  // A server this computer does not know yet is reached with a key and the fingerprint the team gave.
  const login = joining && isSshFolder(values.folder);
  const withKey = login && values.identity.trim() !== '';

  const problems: Record<TeamField, FieldProblem | null> = {
    folder: folderProblem(values.folder),
    key: joining ? keyProblem(values.key) : null,
    keyFile: keyFileProblem(values.keyFile),
    identity: login ? identityProblem(values.identity, values.fingerprint) : null,
    fingerprint: login ? fingerprintProblem(values.fingerprint, values.identity) : null,
    passphraseEnv: withKey && passphraseKind === 'env' ? envNameProblem(values.passphraseEnv) : null,
    passphraseFile: withKey && passphraseKind === 'file' && values.passphraseFile.trim() === '' ? { code: 'required' } : null,
  };
  const errorFor = (field: TeamField): string | null => errorIn(problems, field);

  async function submit() {
    setSubmitted(true);
    setRefusal(null);
    const invalid = FIELDS.find((field) => problems[field] !== null);
    if (invalid) {
      focus(invalid);
      return;
    }
    if (busy) return;
    setBusy(true);
    const keyFile = values.keyFile.trim() === '' ? null : values.keyFile.trim();
    const folder = values.folder.trim();
    const passphrase =
      passphraseKind === 'env'
        ? { kind: 'env' as const, name: values.passphraseEnv.trim() }
        : passphraseKind === 'file'
          ? { kind: 'file' as const, path: values.passphraseFile.trim() }
          : { kind: 'none' as const };
    const serverLogin = withKey ? { identity: values.identity.trim(), fingerprint: pickFingerprint(values.fingerprint), passphrase } : {};
    const result = joining ? await join({ folder, key: values.key, keyFile, ...serverLogin }) : await create({ folder, keyFile });
    setBusy(false);
    if (result.ok) {
      if (joining) push({ kind: 'success', title: t('sync.join.joined') });
      return;
    }
    const refused = fieldOfError(result.error);
    // About the login fields only when they were used: a known server's refusal is about the whole form.
    const loginField = refused === 'identity' || refused === 'fingerprint' || refused === 'passphraseEnv' || refused === 'passphraseFile';
    const field = loginField && !withKey ? null : refused;
    setRefusal({ field, error: result.error });
    if (field) focus(field);
  }

  const Icon = joining ? UserPlus : FolderPlus;
  return (
    <form
      className="card sync-choice"
      noValidate
      aria-labelledby={`${mode}-title`}
      data-testid={`sync-${mode}`}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="sync-choice-head">
        <div className="sync-choice-icon" aria-hidden>
          <Icon size={18} />
        </div>
        <h2 id={`${mode}-title`}>{t(`sync.${mode}.title`)}</h2>
      </div>
      <p className="sync-choice-text">{t(`sync.${mode}.text`)}</p>
      <FormField id={id('folder')} label={t('sync.form.folder')} hint={t('sync.form.folderHint')} error={errorFor('folder')}>
        <input
          id={id('folder')}
          ref={folderRef}
          className="mono"
          value={values.folder}
          onChange={(e) => set('folder', e.target.value)}
          spellCheck={false}
          autoComplete="off"
          placeholder={t('sync.form.folderPlaceholder')}
          aria-invalid={errorFor('folder') !== null}
        />
      </FormField>
      {joining ? (
        <FormField id={id('key')} label={t('sync.form.key')} hint={t('sync.form.keyHint')} error={errorFor('key')}>
          <textarea
            id={id('key')}
            ref={keyRef}
            className="mono sync-key-input"
            rows={2}
            value={values.key}
            onChange={(e) => set('key', e.target.value)}
            spellCheck={false}
            autoComplete="off"
            autoCapitalize="characters"
            placeholder={t('sync.form.keyPlaceholder')}
            aria-invalid={errorFor('key') !== null}
          />
        </FormField>
      ) : null}
      <FormField
        id={id('keyFile')}
        label={t('sync.form.keyFile')}
        hint={t(isElectron ? 'sync.form.keyFileHintElectron' : 'sync.form.keyFileHintHost')}
        error={errorFor('keyFile')}
      >
        <input
          id={id('keyFile')}
          ref={keyFileRef}
          className="mono"
          value={values.keyFile}
          onChange={(e) => set('keyFile', e.target.value)}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={errorFor('keyFile') !== null}
        />
      </FormField>
      {login ? (
        <fieldset className="sync-login" data-testid="sync-join-login">
          <legend>{t('sync.form.login')}</legend>
          <p className="field-hint">{t('sync.form.loginHint')}</p>
          <FormField id={id('identity')} label={t('sync.form.identity')} hint={t('sync.form.identityHint')} error={errorFor('identity')}>
            <input
              id={id('identity')}
              ref={identityRef}
              className="mono"
              value={values.identity}
              onChange={(e) => set('identity', e.target.value)}
              spellCheck={false}
              autoComplete="off"
              placeholder={t('sync.form.identityPlaceholder')}
              aria-invalid={errorFor('identity') !== null}
            />
          </FormField>
          <FormField id={id('fingerprint')} label={t('sync.form.fingerprint')} hint={t('sync.form.fingerprintHint')} error={errorFor('fingerprint')}>
            <input
              id={id('fingerprint')}
              ref={fingerprintRef}
              className="mono"
              value={values.fingerprint}
              onChange={(e) => set('fingerprint', e.target.value)}
              spellCheck={false}
              autoComplete="off"
              placeholder={t('sync.form.fingerprintPlaceholder')}
              aria-invalid={errorFor('fingerprint') !== null}
            />
          </FormField>
          {withKey ? (
            <FormField id={`${mode}-passphraseKind`} label={t('servers.fields.passphrase')}>
              <select id={`${mode}-passphraseKind`} value={passphraseKind} onChange={(e) => setPassphraseKind(e.target.value as PassphraseKind)}>
                {PASSPHRASE_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {t(`servers.passphrase.${kind}`)}
                  </option>
                ))}
              </select>
            </FormField>
          ) : null}
          {withKey && passphraseKind === 'env' ? (
            <FormField id={id('passphraseEnv')} label={t('servers.fields.passphraseEnv')} error={errorFor('passphraseEnv')}>
              <input
                id={id('passphraseEnv')}
                ref={passphraseEnvRef}
                className="mono"
                value={values.passphraseEnv}
                onChange={(e) => set('passphraseEnv', e.target.value)}
                spellCheck={false}
                autoComplete="off"
                aria-invalid={errorFor('passphraseEnv') !== null}
              />
            </FormField>
          ) : null}
          {withKey && passphraseKind === 'file' ? (
            <FormField id={id('passphraseFile')} label={t('servers.fields.passphraseFile')} error={errorFor('passphraseFile')}>
              <input
                id={id('passphraseFile')}
                ref={passphraseFileRef}
                className="mono"
                value={values.passphraseFile}
                onChange={(e) => set('passphraseFile', e.target.value)}
                spellCheck={false}
                autoComplete="off"
                aria-invalid={errorFor('passphraseFile') !== null}
              />
            </FormField>
          ) : null}
        </fieldset>
      ) : null}
      {refusal && refusal.field === null ? (
        <div className="test-result test-failed" role="alert" data-testid={`sync-${mode}-error`}>
          {errorMessage(refusal.error)}
        </div>
      ) : null}
      <div className="actions sync-choice-actions">
        <button className="button primary" type="submit" disabled={busy} data-testid={`sync-${mode}-submit`}>
          {t(busy ? `sync.${mode}.busy` : `sync.${mode}.submit`)}
        </button>
      </div>
    </form>
  );
}
