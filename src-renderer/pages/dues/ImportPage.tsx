import { ArrowLeft, CheckCircle2, FileWarning } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ApiError, ColumnsPreview, ImportFormat, ImportPreview } from '../../../src-main/contract';
import { call } from '../../api/client';
import { errorMessage } from '../../api/errors';
import '../../styles/members.css';
import '../../styles/dues.css';
import { ColumnMappingStep } from './ColumnMappingStep';
import type { ChosenFile } from './import-file';
import { MAX_IMPORT_BYTES, readChosenFile } from './import-file';
import type { ColumnMapping } from './import-mapping';
import { guessMapping } from './import-mapping';
import { ImportFileStep } from './ImportFileStep';
import { ImportPreviewView } from './ImportPreviewView';
import { useFieldLabel } from './use-field-label';

type Step = 'file' | 'mapping' | 'preview' | 'done';
const ALL_STEPS: readonly Step[] = ['file', 'mapping', 'preview', 'done'];

/** How the file is read: detected, a chosen format, or a generic CSV with the user's column mapping. */
interface Reading {
  format: ImportFormat;
  mapping: ColumnMapping | null;
}

/**
 * The import wizard: choose a file (and its format), map the columns of a generic CSV, check the preview, import.
 * Nothing is written before the last step, and importing the same file again changes nothing.
 */
export function ImportPage() {
  const { t, i18n } = useTranslation();
  const fieldLabel = useFieldLabel();
  const [step, setStep] = useState<Step>('file');
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [format, setFormat] = useState<ImportFormat>('auto');
  const [columns, setColumns] = useState<ColumnsPreview | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [reading, setReading] = useState<Reading | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const request = (chosen: ChosenFile, how: Reading) => ({ fileName: chosen.name, base64: chosen.base64, format: how.format, mapping: how.mapping });

  async function chooseFile(picked: File) {
    setProblem(null);
    setStep('file');
    setFile(null);
    if (picked.size > MAX_IMPORT_BYTES) {
      setProblem({ code: 'import_too_large', message: 'file too large' });
      return;
    }
    try {
      setFile(await readChosenFile(picked));
    } catch {
      setProblem({ code: 'import_unreadable', message: 'file unreadable' });
    }
  }

  async function showMapping(chosen: ChosenFile) {
    const result = await call('imports.columns', { fileName: chosen.name, base64: chosen.base64 });
    if (!result.ok) {
      setProblem(result.error);
      return;
    }
    setColumns(result.value);
    setMapping(guessMapping(result.value, fieldLabel));
    setStep('mapping');
  }

  async function showPreview(chosen: ChosenFile, how: Reading) {
    const result = await call('imports.preview', request(chosen, how));
    if (result.ok) {
      setReading(how);
      setPreview(result.value);
      setStep('preview');
    } else if (result.error.code === 'import_unknown_format' && how.format === 'auto') {
      // Not a layout Pelote knows: read it as a generic CSV, with the user saying which column is what.
      await showMapping(chosen);
    } else {
      setProblem(result.error);
    }
  }

  async function run(action: () => Promise<void>) {
    setProblem(null);
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  }

  async function commit(chosen: ChosenFile, how: Reading) {
    const result = await call('imports.commit', request(chosen, how));
    if (!result.ok) {
      setProblem(result.error);
      return;
    }
    setPreview(result.value);
    setStep('done');
  }

  function restart() {
    setStep('file');
    setFile(null);
    setPreview(null);
    setColumns(null);
    setReading(null);
    setProblem(null);
  }

  // The columns step only exists for a generic CSV.
  const steps = step === 'mapping' || format === 'csv' || reading?.mapping ? ALL_STEPS : ALL_STEPS.filter((s) => s !== 'mapping');
  const nothingToDo = preview !== null && preview.counts.create + preview.counts.update + preview.counts.payments === 0;
  // The file's own problems (too large, unreadable) are found here; the others come from the core.
  const problemText = problem && (i18n.exists(`imports.problems.${problem.code}`) ? t(`imports.problems.${problem.code}`) : errorMessage(problem));
  const problemHint = problem && i18n.exists(`imports.hints.${problem.code}`) ? t(`imports.hints.${problem.code}`) : null;

  return (
    <div className="page import-page">
      <header className="page-header">
        <div>
          <h1>{t('imports.title')}</h1>
          <div className="page-subtitle">{t('imports.subtitle')}</div>
        </div>
        <Link className="button" to="/dues">
          <ArrowLeft size={16} />
          {t('imports.backToDues')}
        </Link>
      </header>

      <ol className="wizard-steps" aria-label={t('imports.stepsLabel')}>
        {steps.map((s, index) => (
          <li key={s} className={s === step ? 'current' : steps.indexOf(step) > index ? 'done' : undefined} aria-current={s === step ? 'step' : undefined}>
            <span className="wizard-step-number">{index + 1}</span>
            {t(`imports.steps.${s}`)}
          </li>
        ))}
      </ol>

      {problem ? (
        <section className="card problem" role="alert" data-testid="import-problem" data-code={problem.code}>
          <FileWarning size={22} className="problem-icon" />
          <div>
            <div className="strong">{problemText}</div>
            {problemHint ? <p className="muted">{problemHint}</p> : null}
          </div>
        </section>
      ) : null}

      {step === 'file' ? (
        <ImportFileStep
          file={file}
          format={format}
          busy={busy}
          onFile={(picked) => void chooseFile(picked)}
          onFormat={setFormat}
          onNext={() => {
            if (file) void run(() => (format === 'csv' ? showMapping(file) : showPreview(file, { format, mapping: null })));
          }}
        />
      ) : null}

      {step === 'mapping' && columns && file ? (
        <ColumnMappingStep
          columns={columns}
          mapping={mapping}
          busy={busy}
          onMapping={setMapping}
          onBack={() => setStep('file')}
          onNext={() => void run(() => showPreview(file, { format: 'csv', mapping }))}
        />
      ) : null}

      {step === 'preview' && preview && file && reading ? (
        <>
          <ImportPreviewView preview={preview} />
          <div className="actions sticky-actions">
            {preview.counts.error > 0 ? (
              <span className="field-error">{t('imports.preview.fixErrors')}</span>
            ) : nothingToDo ? (
              <span className="muted" data-testid="import-nothing">
                {t('imports.preview.nothingToDo')}
              </span>
            ) : null}
            <button className="button" type="button" onClick={() => setStep(reading.mapping ? 'mapping' : 'file')} disabled={busy}>
              {t('imports.back')}
            </button>
            <button
              className="button primary"
              type="button"
              disabled={busy || preview.counts.error > 0 || nothingToDo}
              onClick={() => void run(() => commit(file, reading))}
              data-testid="import-commit"
            >
              {t('imports.preview.commit')}
            </button>
          </div>
        </>
      ) : null}

      {step === 'done' && preview ? (
        <section className="card import-done" data-testid="import-done">
          <CheckCircle2 size={28} className="done-icon" />
          <div>
            <h2>{t('imports.done.title')}</h2>
            <p>
              {t('imports.done.summary', {
                created: t('imports.done.created', { count: preview.counts.create }),
                updated: t('imports.done.updated', { count: preview.counts.update }),
                payments: t('imports.done.payments', { count: preview.counts.payments }),
              })}
            </p>
            <div className="actions start">
              <Link className="button primary" to="/dues">
                {t('imports.done.toDues')}
              </Link>
              <Link className="button" to="/members">
                {t('imports.done.toMembers')}
              </Link>
              <button className="button" type="button" onClick={restart} data-testid="import-again">
                {t('imports.done.again')}
              </button>
            </div>
          </div>
        </section>
      ) : null}
    </div>
  );
}
