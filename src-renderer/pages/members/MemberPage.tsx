import { ArchiveRestore, Download, Pencil, Trash2, UserX } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { MemberDetail } from '../../../src-main/contract';
import { call } from '../../api/client';
import { toastError } from '../../api/errors';
import { saveFile } from '../../api/save-file';
import { ConfirmDialog } from '../../components/members/ConfirmDialog';
import { formatDate, formatDateTime } from '../../components/members/format';
import { StatusBadge } from '../../components/members/StatusBadge';
import { useMembersStore } from '../../stores/members-store';
import { useToastStore } from '../../stores/toast-store';
import '../../styles/members.css';
import { AuditTrail } from './AuditTrail';
import { PaymentsLedger } from './PaymentsLedger';
import { BackLink } from '../../components/BackLink';
import { DetailFallback } from '../../components/DetailFallback';

type Question = 'delete' | 'erase' | null;

function Identity({ detail }: { detail: MemberDetail }) {
  const { t, i18n } = useTranslation();
  const { member } = detail;
  const date = (iso: string | null) => (iso ? formatDate(iso, i18n.language) : null);
  const place = [member.postcode, member.city].filter(Boolean).join(' ');
  const facts: [string, string | null][] = [
    ['number', member.number],
    ['organisationName', member.organisationName || null],
    ['name', [member.firstName, member.lastName].filter(Boolean).join(' ') || null],
    ['email', member.email || null],
    ['phone', member.phone || null],
    ['address', [member.address, place, member.country].filter(Boolean).join('\n') || null],
    ['categoryId', detail.categoryName],
    ['joinedOn', date(member.joinedOn)],
    ['leftOn', date(member.leftOn)],
    [
      'newsletterConsent',
      member.newsletterConsent
        ? member.newsletterConsentOn
          ? t('members.detail.consentSince', { date: date(member.newsletterConsentOn) })
          : t('members.detail.yes')
        : t('members.detail.no'),
    ],
    ['notes', member.notes || null],
  ];
  return (
    <section className="card">
      <h2 className="card-title">{t('members.form.identity')}</h2>
      <dl className="member-facts">
        {facts.map(([field, value]) => (
          <div key={field} className={field === 'notes' || field === 'address' ? 'fact fact-wide' : 'fact'}>
            <dt>{t(`members.fields.${field}`)}</dt>
            <dd className={value === null ? 'muted' : undefined} data-testid={`fact-${field}`}>
              {value ?? t('members.detail.none')}
            </dd>
          </div>
        ))}
      </dl>
      <div className="member-stamps">
        {t('members.detail.stamps', {
          created: formatDateTime(member.createdAt, i18n.language),
          updated: formatDateTime(member.updatedAt, i18n.language),
        })}
      </div>
    </section>
  );
}

export function MemberPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const push = useToastStore((s) => s.push);
  const detail = useMembersStore((s) => (s.detail?.member.id === id ? s.detail : null));
  const detailError = useMembersStore((s) => s.detailError);
  const { loadDetail, loadCategories, deleteMember, restoreMember, eraseMember } = useMembersStore.getState();
  const [question, setQuestion] = useState<Question>(null);

  useEffect(() => {
    void loadDetail(id);
    void loadCategories();
  }, [id, loadDetail, loadCategories]);

  if (!detail) {
    return <DetailFallback error={detailError} backTo="/members" backLabel={t('members.form.backToList')} />;
  }

  const { member } = detail;
  const erased = member.erasedAt !== null;

  async function exportData() {
    const result = await call('members.exportPersonalData', { id });
    if (!result.ok) return toastError(result.error);
    if (await saveFile(result.value)) push({ kind: 'success', title: t('members.detail.exported') });
  }

  return (
    <div className="page">
      <header className="page-header member-header">
        <div className="member-title">
          <BackLink to="/members" label={t('members.form.backToList')} />
          <h1 data-testid="member-name">{detail.displayName || t('members.detail.erasedName', { number: member.number })}</h1>
          <div className="member-status">
            <StatusBadge status={detail.status} />
            <span className="page-subtitle" data-testid="paid-until">
              {detail.paidUntil
                ? t('members.detail.paidUntil', { date: formatDate(detail.paidUntil, i18n.language) })
                : t('members.detail.neverPaid')}
            </span>
          </div>
        </div>
        <div className="actions member-actions">
          {erased ? null : (
            <Link className="button" to={`/members/${id}/edit`} data-testid="member-edit">
              <Pencil size={16} />
              {t('members.detail.edit')}
            </Link>
          )}
          <button className="button" type="button" onClick={() => void exportData()} title={t('members.detail.exportHint')} data-testid="member-export">
            <Download size={16} />
            {t('members.detail.export')}
          </button>
          {member.deletedAt ? (
            <button className="button" type="button" onClick={() => void restoreMember(id)} data-testid="member-restore">
              <ArchiveRestore size={16} />
              {t('members.detail.restore')}
            </button>
          ) : (
            <button className="button" type="button" onClick={() => setQuestion('delete')} data-testid="member-delete">
              <Trash2 size={16} />
              {t('members.detail.delete')}
            </button>
          )}
          {erased ? null : (
            <button className="button danger-outline" type="button" onClick={() => setQuestion('erase')} data-testid="member-erase">
              <UserX size={16} />
              {t('members.detail.erase')}
            </button>
          )}
        </div>
      </header>

      {member.deletedAt ? (
        <div className="notice" data-testid="deleted-notice">
          {t('members.detail.deletedOn', { date: formatDateTime(member.deletedAt, i18n.language) })}
        </div>
      ) : null}
      {member.erasedAt ? <div className="notice">{t('members.detail.erasedOn', { date: formatDateTime(member.erasedAt, i18n.language) })}</div> : null}

      <Identity detail={detail} />
      <PaymentsLedger detail={detail} />
      <AuditTrail entries={detail.audit} erased={erased} />

      {question === 'delete' ? (
        <ConfirmDialog
          title={t('members.detail.deleteTitle', { name: detail.displayName })}
          confirmLabel={t('members.detail.delete')}
          onConfirm={async () => {
            if (await deleteMember(id)) setQuestion(null);
          }}
          onCancel={() => setQuestion(null)}
        >
          {t('members.detail.deleteText')}
        </ConfirmDialog>
      ) : null}
      {question === 'erase' ? (
        <ConfirmDialog
          title={t('members.detail.eraseTitle', { name: detail.displayName })}
          confirmLabel={t('members.detail.eraseConfirm')}
          danger
          typeToConfirm={detail.displayName}
          onConfirm={async () => {
            if (await eraseMember(id)) setQuestion(null);
          }}
          onCancel={() => setQuestion(null)}
        >
          {t('members.detail.eraseText', { name: detail.displayName })}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
