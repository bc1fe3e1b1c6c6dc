import { KeyRound } from 'lucide-react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../../src-main/contract';
import { call, isElectron } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { FormField } from '../../components/members/FormField';
import { formatDateTime } from '../../components/members/format';
import { useSyncStore } from '../../stores/sync-store';
import { useToastStore } from '../../stores/toast-store';
import { fieldOfError, keyFileProblem, keyProblem, type FieldProblem } from './team-form';
import { useTeamForm } from './use-team-form';

type Field = 'key' | 'keyFile';

/**
 * Another computer removed one from the team and changed the team key: who and when, and the new key to type from
 * the new sheet. Until then this computer's changes wait here; entering it sends them.
 */
export function RekeyCard({ error }: { error: NonNullable<SyncStatus['lastError']> }) {
  const { t, i18n } = useTranslation();
  const push = useToastStore((s) => s.push);
  const { values, set, setSubmitted, refusal, setRefusal, errorFor: errorIn } = useTeamForm<Field>({ key: '', keyFile: '' });
  const [busy, setBusy] = useState(false);
  const keyRef = useRef<HTMLTextAreaElement>(null);
  const keyFileRef = useRef<HTMLInputElement>(null);

  const by = typeof error.details.by === 'string' ? error.details.by : '';
  const rotatedAt = typeof error.details.rotatedAt === 'string' ? error.details.rotatedAt : null;
  const date = rotatedAt ? formatDateTime(rotatedAt, i18n.language) : '';
  const problems: Record<Field, FieldProblem | null> = { key: keyProblem(values.key), keyFile: keyFileProblem(values.keyFile) };
  const errorFor = (field: Field): string | null => errorIn(problems, field);

  async function submit() {
    setSubmitted(true);
    setRefusal(null);
    const invalid = (['key', 'keyFile'] as const).find((field) => problems[field] !== null);
    if (invalid) {
      (invalid === 'key' ? keyRef : keyFileRef).current?.focus();
      return;
    }
    if (busy) return;
    setBusy(true);
    const result = await call('sync.rekey', { key: values.key, keyFile: values.keyFile.trim() === '' ? null : values.keyFile.trim() });
    setBusy(false);
    if (result.ok) {
      useSyncStore.setState({ status: result.value, loadError: null });
      push({ kind: 'success', title: t('sync.rekey.done') });
      return;
    }
    const refused = fieldOfError(result.error);
    const field = refused === 'key' || refused === 'keyFile' ? refused : null;
    setRefusal({ field, error: result.error });
    if (field) (field === 'key' ? keyRef : keyFileRef).current?.focus();
  }

  return (
    <form
      className="card sync-choice sync-rekey"
      noValidate
      aria-labelledby="rekey-title"
      data-testid="sync-rekey"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="sync-choice-head">
        <div className="sync-choice-icon" aria-hidden>
          <KeyRound size={18} />
        </div>
        <h2 id="rekey-title">{t('sync.rekey.title')}</h2>
      </div>
      {rotatedAt ? (
        <p className="sync-choice-text" data-testid="sync-rekey-when">
          <strong>{by === '' ? t('sync.rekey.changedUnnamed', { date }) : t('sync.rekey.changedBy', { date, by })}</strong>
        </p>
      ) : null}
      <p className="sync-choice-text">{t('sync.rekey.text')}</p>
      <FormField id="rekey-key" label={t('sync.form.key')} hint={t('sync.form.keyHint')} error={errorFor('key')}>
        <textarea
          id="rekey-key"
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
      <FormField
        id="rekey-keyFile"
        label={t('sync.form.keyFile')}
        hint={t(isElectron ? 'sync.form.keyFileHintElectron' : 'sync.form.keyFileHintHost')}
        error={errorFor('keyFile')}
      >
        <input
          id="rekey-keyFile"
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
        <div className="test-result test-failed" role="alert" data-testid="sync-rekey-error">
          {errorMessage(refusal.error)}
        </div>
      ) : null}
      <div className="actions sync-choice-actions">
        <button className="button primary" type="submit" disabled={busy} data-testid="sync-rekey-submit">
          {t(busy ? 'sync.rekey.busy' : 'sync.rekey.submit')}
        </button>
      </div>
    </form>
  );
}
