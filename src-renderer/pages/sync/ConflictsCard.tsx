import { CircleCheck, Hash, Pencil, TriangleAlert } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SyncConflict } from '../../../src-main/contract';
import { call } from '../../api/client';
import { useSyncStore } from '../../stores/sync-store';

/**
 * Business keys two offline computers gave out twice. Both rows are kept; each conflict says what happened and how a
 * person resolves it with an ordinary change, which then syncs like any other.
 */
export function ConflictsCard() {
  const { t } = useTranslation();
  const conflicts = useSyncStore((s) => s.conflicts);
  const loadConflicts = useSyncStore((s) => s.loadConflicts);
  useEffect(() => {
    void loadConflicts();
  }, [loadConflicts]);

  return (
    <section className="card" data-testid="sync-conflicts">
      <div className="card-header sync-conflicts-header">
        <h2>{t('sync.conflicts.title')}</h2>
        {conflicts && conflicts.length > 0 ? (
          <span className="incident-count" data-testid="sync-conflict-count">
            {conflicts.length}
          </span>
        ) : null}
      </div>
      {conflicts === null ? (
        <p className="muted">{t('sync.conflicts.loading')}</p>
      ) : conflicts.length === 0 ? (
        <p className="sync-no-conflicts" data-testid="sync-no-conflicts">
          <CircleCheck size={18} aria-hidden />
          {t('sync.conflicts.none')}
        </p>
      ) : (
        <>
          <p className="muted sync-conflicts-intro">{t('sync.conflicts.intro')}</p>
          <ul className="sync-conflict-list">
            {conflicts.map((conflict) => (
              <ConflictItem key={`${conflict.kind}:${conflict.key}`} conflict={conflict} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Where each kind of conflict is sorted out, for those whose rows have no page of their own. */
const PAGE_OF: Partial<Record<SyncConflict['kind'], string>> = {
  category_name: '/dues',
  payment_reversed_twice: '/dues',
  payment_imported_twice: '/dues',
  receipt_number: '/dues',
  server_name: '/servers',
  repository_name: '/backups',
  repository_added_twice: '/backups',
  job_name: '/backups',
};

function ConflictItem({ conflict }: { conflict: SyncConflict }) {
  const { t } = useTranslation();
  const page = PAGE_OF[conflict.kind];
  const Icon = conflict.kind === 'member_number' ? Hash : TriangleAlert;
  return (
    <li className="sync-conflict" data-testid="sync-conflict" data-kind={conflict.kind}>
      <Icon size={18} className="sync-conflict-icon" aria-hidden />
      <div className="sync-conflict-body">
        <div className="sync-conflict-title">{t(`sync.conflicts.${conflict.kind}.title`, { key: conflict.key, count: conflict.ids.length })}</div>
        <p className="sync-conflict-text">{t(`sync.conflicts.${conflict.kind}.text`)}</p>
        {conflict.kind === 'member_number' ? <ConflictMembers ids={conflict.ids} /> : null}
        {page ? (
          <Link to={page} className="sync-conflict-link">
            {t(`sync.conflicts.${conflict.kind}.link`)}
          </Link>
        ) : null}
      </div>
    </li>
  );
}

type MemberLine = { kind: 'found'; name: string; number: string } | { kind: 'missing' };

/** The members sharing a number, each with a way to its page and to the form where its number changes. */
function ConflictMembers({ ids }: { ids: string[] }) {
  const { t } = useTranslation();
  const [lines, setLines] = useState<Record<string, MemberLine>>({});
  const idsKey = ids.join(',');

  useEffect(() => {
    let current = true;
    void Promise.all(
      idsKey.split(',').map(async (id): Promise<[string, MemberLine]> => {
        const result = await call('members.get', { id });
        return [id, result.ok ? { kind: 'found', name: result.value.displayName, number: result.value.member.number } : { kind: 'missing' }];
      }),
    ).then((entries) => {
      if (current) setLines(Object.fromEntries(entries));
    });
    return () => {
      current = false;
    };
  }, [idsKey]);

  return (
    <ul className="sync-conflict-members">
      {ids.map((id) => {
        const line = lines[id];
        return (
          <li key={id} data-testid="sync-conflict-member">
            {line?.kind === 'missing' ? (
              <span className="muted">{t('sync.conflicts.memberUnknown')}</span>
            ) : (
              <>
                <Link to={`/members/${id}`} className="sync-conflict-member">
                  {line ? t('sync.conflicts.member', { name: line.name, number: line.number }) : t('sync.conflicts.memberLoading', { id: id.slice(0, 8) })}
                </Link>
                <Link to={`/members/${id}/edit`} className="button small sync-conflict-edit" data-testid="sync-conflict-edit">
                  <Pencil size={13} aria-hidden />
                  {t('sync.conflicts.edit')}
                </Link>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
