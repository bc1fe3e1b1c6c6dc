import { AlertTriangle } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { ImportIssue, ImportPreview, ImportPreviewRow } from '../../../src-main/contract';
import { useDuesFormat } from './use-dues-format';
import { useFieldLabel } from './use-field-label';
import { numberFormat } from '../../i18n/intl-cache';

/** Rows drawn at most: a big file's preview stays quick; the counts above cover every row. */
const MAX_ROWS_SHOWN = 500;
const MONEY_PARAMS = new Set(['amount', 'feeCents', 'minimumCents']);
const COUNTS = ['create', 'update', 'unchanged', 'error', 'payments'] as const;

function IssueList({ issues }: { issues: ImportIssue[] }) {
  const { t, i18n } = useTranslation();
  const format = useDuesFormat();
  const fieldLabel = useFieldLabel();
  const text = (issue: ImportIssue) => {
    const params = Object.fromEntries(
      Object.entries(issue.params).map(([key, value]) => [
        key,
        MONEY_PARAMS.has(key) && typeof value === 'number'
          ? format.money(value)
          : key === 'field'
            ? fieldLabel(String(value))
            : value,
      ]),
    );
    const key = `imports.issues.${issue.code}`;
    return i18n.exists(key) ? t(key, params) : t('imports.issues.unknown', { code: issue.code });
  };
  return (
    <section className="card" data-testid="import-issues">
      <h2 className="card-title">
        <AlertTriangle size={16} className="title-icon warning" />
        {t('imports.preview.issues', { count: issues.length })}
      </h2>
      <ul className="issue-list">
        {issues.map((issue, index) => (
          <li key={index}>
            <span className="issue-line">{t('imports.preview.line', { line: issue.line })}</span>
            {text(issue)}
          </li>
        ))}
      </ul>
    </section>
  );
}

function RowDetails({ row }: { row: ImportPreviewRow }) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const parts = [
    row.changes.length > 0
      ? t('imports.preview.changes', { fields: row.changes.map(fieldLabel).join(', ') })
      : null,
    row.newPayments > 0 ? t('imports.preview.newPayments', { count: row.newPayments }) : null,
    row.duplicateOf ? t('imports.preview.duplicateOf', { member: row.duplicateOf }) : null,
  ].filter((part) => part !== null);
  return <>{parts.join(' · ')}</>;
}

export function ImportPreviewView({ preview }: { preview: ImportPreview }) {
  const { t, i18n } = useTranslation();
  const number = numberFormat(i18n.language);
  const shown = preview.rows.slice(0, MAX_ROWS_SHOWN);
  return (
    <>
      <section className="card" data-testid="import-preview">
        <div className="import-counts">
          {COUNTS.map((key) => (
            <div key={key} className={`import-count count-${key}${preview.counts[key] === 0 ? ' zero' : ''}`} data-testid={`import-count-${key}`}>
              <div className="import-count-value">{number.format(preview.counts[key])}</div>
              <div className="import-count-label">{t(`imports.counts.${key}`, { count: preview.counts[key] })}</div>
            </div>
          ))}
        </div>
        <dl className="facts import-facts">
          <dt>{t('imports.preview.format')}</dt>
          <dd data-testid="import-detected-format">{t(`imports.formats.${preview.format}`)}</dd>
          <dt>{t('imports.preview.encoding')}</dt>
          <dd>{i18n.exists(`imports.encodings.${preview.encoding}`) ? t(`imports.encodings.${preview.encoding}`) : preview.encoding}</dd>
          <dt>{t('imports.preview.separator')}</dt>
          <dd>{t(`imports.separators.${separatorName(preview.separator)}`)}</dd>
        </dl>
      </section>
      {preview.issues.length > 0 ? <IssueList issues={preview.issues} /> : null}
      <section className="card">
        <h2 className="card-title">{t('imports.preview.rows')}</h2>
        <div className="table-wrap preview-scroll">
          <table className="ledger" data-testid="import-rows">
            <thead>
              <tr>
                <th className="num">{t('imports.preview.lineHeader')}</th>
                <th>{t('imports.preview.name')}</th>
                <th>{t('imports.preview.action')}</th>
                <th>{t('imports.preview.details')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((row) => (
                <tr key={row.line}>
                  <td className="num">{row.line}</td>
                  <td className="strong">{row.displayName}</td>
                  <td>
                    <span className={`action-badge action-${row.action}`}>{t(`imports.actions.${row.action}`)}</span>
                  </td>
                  <td className="muted">
                    <RowDetails row={row} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {preview.rows.length > shown.length ? (
          <p className="muted">{t('imports.preview.truncated', { shown: shown.length, total: preview.rows.length })}</p>
        ) : null}
      </section>
    </>
  );
}

function separatorName(separator: string): 'semicolon' | 'comma' | 'tab' | 'other' {
  if (separator === ';') return 'semicolon';
  if (separator === ',') return 'comma';
  return separator === '\t' ? 'tab' : 'other';
}
