import { FolderPlus, ShieldCheck, UserPlus, UsersRound } from 'lucide-react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../src-main/contract';
import { isElectron } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { FormField } from '../../components/members/FormField';
import { useSyncStore } from '../../stores/sync-store';
import { useToastStore } from '../../stores/toast-store';
import type { FieldProblem, TeamField } from './team-form';
import { fieldOfError, folderProblem, keyFileProblem, keyProblem } from './team-form';

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
const FIELDS: TeamField[] = ['folder', 'key', 'keyFile'];

function TeamForm({ mode }: { mode: Mode }) {
  const { t } = useTranslation();
  const push = useToastStore((s) => s.push);
  const { create, join } = useSyncStore.getState();
  const [values, setValues] = useState<Record<TeamField, string>>({ folder: '', key: '', keyFile: '' });
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  /** The core's refusal: under the field it is about (until that field is edited), else above the button. */
  const [refusal, setRefusal] = useState<{ field: TeamField | null; error: ApiError } | null>(null);
  const folderRef = useRef<HTMLInputElement>(null);
  const keyRef = useRef<HTMLTextAreaElement>(null);
  const keyFileRef = useRef<HTMLInputElement>(null);
  const focus = (field: TeamField) => ({ folder: folderRef, key: keyRef, keyFile: keyFileRef })[field].current?.focus();
  const joining = mode === 'join';
  const id = (field: TeamField) => `${mode}-${field}`;

  const problems: Record<TeamField, FieldProblem | null> = {
    folder: folderProblem(values.folder),
    key: joining ? keyProblem(values.key) : null,
    keyFile: keyFileProblem(values.keyFile),
  };
  const errorFor = (field: TeamField): string | null => {
    if (refusal?.field === field) return errorMessage(refusal.error);
    const problem = problems[field];
    return submitted && problem ? t(`sync.form.${problem.code}`, problem) : null;
  };
  const set = (field: TeamField, value: string) => {
    setValues({ ...values, [field]: value });
    if (refusal?.field === field) setRefusal(null);
  };

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
    const result = joining ? await join({ folder, key: values.key, keyFile }) : await create({ folder, keyFile });
    setBusy(false);
    if (result.ok) {
      if (joining) push({ kind: 'success', title: t('sync.join.joined') });
      return;
    }
    const field = fieldOfError(result.error);
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
