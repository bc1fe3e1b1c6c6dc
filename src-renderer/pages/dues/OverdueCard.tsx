import { ClipboardCopy, FileDown, Mail, ReceiptText } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DuesDashboard, DuesStatus } from '../../../src-main/contract';
import { call, isElectron } from '../../api/client';
import { toastError } from '../../api/errors';
import { saveFile } from '../../api/save-file';
import { StatusBadge } from '../../components/members/StatusBadge';
import { useToastStore } from '../../stores/toast-store';
import { RenewalForm } from './RenewalForm';
import { csvFile, selectionCsv } from './selection-csv';
import { useDuesFormat } from './use-dues-format';

/** Late and lapsed members, to remind them: pick some, then copy their addresses, export them or record a renewal. */
export function OverdueCard({ dashboard }: { dashboard: DuesDashboard }) {
  const { t } = useTranslation();
  const format = useDuesFormat();
  const push = useToastStore((s) => s.push);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [renewing, setRenewing] = useState(false);

  const rows = dashboard.overdue;
  // Members who paid meanwhile leave the list: the selection only ever counts rows still shown.
  const picked = rows.filter((row) => selected.has(row.id));
  const allPicked = rows.length > 0 && picked.length === rows.length;
  const emails = picked.map((row) => row.email).filter((email) => email !== '');

  const toggle = (id: string) => {
    const next = new Set(selected);
    if (!next.delete(id)) next.add(id);
    setSelected(next);
  };

  async function copyEmails(title: string): Promise<boolean> {
    try {
      await navigator.clipboard.writeText(emails.join(', '));
    } catch {
      push({ kind: 'error', title: t('dues.overdue.clipboardFailed') });
      return false;
    }
    const missing = picked.length - emails.length;
    push({ kind: 'success', title, ...(missing > 0 ? { body: t('dues.overdue.withoutEmail', { count: missing }) } : {}) });
    return true;
  }

  function emailInBcc() {
    const mailto = `mailto:?bcc=${emails.map(encodeURIComponent).join(',')}`;
    // Electron opens the mail client through main (links leave the app only that way); a browser follows the link.
    if (isElectron) {
      void call('app.openExternal', { url: mailto }).then((result) => {
        if (!result.ok) toastError(result.error);
      });
    } else window.location.assign(mailto);
  }

  function exportSelection() {
    const text = selectionCsv(picked, {
      headers: {
        number: t('members.columns.number'),
        name: t('members.columns.name'),
        email: t('members.columns.email'),
        status: t('members.columns.status'),
        paidUntil: t('members.columns.paidUntil'),
      },
      status: (status: DuesStatus) => t(`members.status.${status}`),
    });
    void saveFile(csvFile(`${t('dues.overdue.fileName')}-${dashboard.today}.csv`, text));
  }

  return (
    <section className="card" data-testid="overdue-card">
      <div className="card-header">
        <div>
          <h2>{t('dues.overdue.title')}</h2>
          <div className="card-subtitle">{t('dues.overdue.subtitle')}</div>
        </div>
      </div>
      {rows.length === 0 ? (
        <p className="muted">{t('dues.overdue.none')}</p>
      ) : (
        <>
          <div className="bulk-bar" role="toolbar" aria-label={t('dues.overdue.actions')}>
            <span className="bulk-count" data-testid="overdue-selected">
              {t('dues.overdue.selected', { count: picked.length })}
            </span>
            <button className="button" type="button" disabled={emails.length === 0} onClick={() => void copyEmails(t('dues.overdue.emailsCopied', { count: emails.length }))}>
              <ClipboardCopy size={16} />
              {t('dues.overdue.copyEmails')}
            </button>
            <button className="button" type="button" disabled={emails.length === 0} onClick={emailInBcc}>
              <Mail size={16} />
              {t('dues.overdue.emailBcc')}
            </button>
            <button className="button" type="button" disabled={picked.length === 0} onClick={exportSelection} data-testid="overdue-export">
              <FileDown size={16} />
              {t('dues.overdue.exportCsv')}
            </button>
            <button className="button primary" type="button" disabled={picked.length === 0} onClick={() => setRenewing(true)} data-testid="overdue-renew">
              <ReceiptText size={16} />
              {t('dues.overdue.recordRenewal')}
            </button>
          </div>
          {renewing && picked.length > 0 ? (
            <RenewalForm
              memberIds={picked.map((row) => row.id)}
              today={dashboard.today}
              onCancel={() => setRenewing(false)}
              onDone={() => {
                setRenewing(false);
                setSelected(new Set());
              }}
            />
          ) : null}
          <div className="table-wrap overdue-scroll">
            <table className="ledger" data-testid="overdue-table">
              <thead>
                <tr>
                  <th className="check-cell">
                    <input
                      type="checkbox"
                      checked={allPicked}
                      ref={(box) => {
                        if (box) box.indeterminate = picked.length > 0 && !allPicked;
                      }}
                      onChange={() => setSelected(allPicked ? new Set() : new Set(rows.map((row) => row.id)))}
                      aria-label={t('dues.overdue.selectAll')}
                      data-testid="overdue-select-all"
                    />
                  </th>
                  <th>{t('members.columns.number')}</th>
                  <th>{t('members.columns.name')}</th>
                  <th>{t('members.columns.email')}</th>
                  <th>{t('members.columns.status')}</th>
                  <th>{t('members.columns.paidUntil')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id} className={selected.has(row.id) ? 'selected' : undefined}>
                    <td className="check-cell">
                      <input
                        type="checkbox"
                        checked={selected.has(row.id)}
                        onChange={() => toggle(row.id)}
                        aria-label={t('dues.overdue.selectOne', { name: row.displayName })}
                      />
                    </td>
                    <td className="numeric-id">{row.number}</td>
                    <td>
                      <Link to={`/members/${row.id}`}>{row.displayName}</Link>
                    </td>
                    <td className="ellipsis">{row.email}</td>
                    <td>
                      <StatusBadge status={row.status} />
                    </td>
                    <td>{row.paidUntil ? format.date(row.paidUntil) : t('dues.noDate')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
