import { CircleCheck, Hash, Pencil, TriangleAlert, UserRoundX, Users, UsersRound } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ArgsOf, SyncConflict } from '../../../src-main/contract';
import { call } from '../../api/client';
import { toastError } from '../../api/errors';
import { useSyncStore } from '../../stores/sync-store';
import { useToastStore } from '../../stores/toast-store';

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
              <ConflictItem key={`${conflict.kind}:${conflict.key}:${conflict.ids.join(',')}`} conflict={conflict} />
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
  const Icon = conflict.kind === 'member_number' ? Hash : conflict.kind === 'member_likely_duplicate' ? Users : TriangleAlert;
  return (
    <li className="sync-conflict" data-testid="sync-conflict" data-kind={conflict.kind}>
      <Icon size={18} className="sync-conflict-icon" aria-hidden />
      <div className="sync-conflict-body">
        <div className="sync-conflict-title">{t(`sync.conflicts.${conflict.kind}.title`, { key: conflict.key, count: conflict.ids.length })}</div>
        {conflict.reason ? (
          <p className="sync-conflict-text" data-testid="sync-conflict-reason">
            {t(`sync.conflicts.${conflict.kind}.${conflict.reason}`, { key: conflict.key })}
          </p>
        ) : null}
        <p className="sync-conflict-text">{t(`sync.conflicts.${conflict.kind}.text`)}</p>
        {conflict.kind === 'member_number' || conflict.kind === 'member_likely_duplicate' ? <ConflictMembers conflict={conflict} /> : null}
        {page ? (
          <Link to={page} className="sync-conflict-link">
            {t(`sync.conflicts.${conflict.kind}.link`)}
          </Link>
        ) : null}
      </div>
    </li>
  );
}

type MemberLine = { kind: 'found'; name: string; number: string; email: string; payments: number } | { kind: 'missing' };

/** The members of a conflict, read again each time the conflicts are (a renumbering elsewhere shows at once). */
function useConflictMembers(conflict: SyncConflict): Record<string, MemberLine> {
  const [lines, setLines] = useState<Record<string, MemberLine>>({});
  const idsKey = conflict.ids.join(',');
  useEffect(() => {
    let current = true;
    void Promise.all(
      idsKey.split(',').map(async (id): Promise<[string, MemberLine]> => {
        const result = await call('members.get', { id });
        if (!result.ok) return [id, { kind: 'missing' }];
        const { member, displayName, payments } = result.value;
        return [id, { kind: 'found', name: displayName, number: member.number, email: member.email, payments: payments.length }];
      }),
    ).then((entries) => {
      if (current) setLines(Object.fromEntries(entries));
    });
    return () => {
      current = false;
    };
  }, [idsKey, conflict]);
  return lines;
}

/** The next free member number, as `sync.resolveConflict` will be asked to give (null until known). */
function useNextNumber(conflict: SyncConflict): string | null {
  const [next, setNext] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    if (conflict.kind === 'member_number') {
      void call('members.nextNumber', {}).then((result) => {
        if (current && result.ok) setNext(result.value);
      });
    }
    return () => {
      current = false;
    };
  }, [conflict]);
  return next;
}

/**
 * The members of a conflict, each with a way to its page and the one-click resolutions: the next free number for a
 * number held twice; for a likely duplicate, removing a copy without payments, or saying they are two people. Each is
 * an ordinary change that syncs; the list is read again after it.
 */
function ConflictMembers({ conflict }: { conflict: SyncConflict }) {
  const { t } = useTranslation();
  const loadConflicts = useSyncStore((s) => s.loadConflicts);
  const push = useToastStore((s) => s.push);
  const lines = useConflictMembers(conflict);
  const next = useNextNumber(conflict);
  const [busy, setBusy] = useState(false);
  const duplicate = conflict.kind === 'member_likely_duplicate';
  const [first, second] = conflict.ids;

  const resolve = async (resolution: ArgsOf<'sync.resolveConflict'>, done: string) => {
    setBusy(true);
    const result = await call('sync.resolveConflict', resolution);
    setBusy(false);
    if (result.ok) push({ kind: 'success', title: done });
    else toastError(result.error);
    await loadConflicts();
  };

  const found = conflict.ids.flatMap((id) => (lines[id]?.kind === 'found' ? [lines[id]] : []));
  const allPaid = duplicate && found.length === conflict.ids.length && found.every((line) => line.payments > 0);

  return (
    <>
      <ul className="sync-conflict-members">
        {conflict.ids.map((id) => {
          const line = lines[id];
          const other = conflict.ids.find((x) => x !== id) ?? id;
          return (
            <li key={id} data-testid="sync-conflict-member">
              {line?.kind === 'missing' ? (
                <span className="muted">{t('sync.conflicts.memberUnknown')}</span>
              ) : (
                <>
                  <Link to={`/members/${id}`} className="sync-conflict-member">
                    {line ? t('sync.conflicts.member', { name: line.name, number: line.number }) : t('sync.conflicts.memberLoading', { id: id.slice(0, 8) })}
                  </Link>
                  {duplicate && line ? (
                    <span className="muted sync-conflict-member-facts" data-testid="sync-conflict-member-facts">
                      {line.email || t('sync.conflicts.noEmail')} · {line.payments === 0 ? t('sync.conflicts.noPayments') : t('sync.conflicts.payments', { count: line.payments })}
                    </span>
                  ) : null}
                  {!duplicate && line && next ? (
                    <button
                      type="button"
                      className="button small sync-conflict-edit"
                      disabled={busy}
                      data-testid="sync-conflict-renumber"
                      onClick={() =>
                        void resolve({ action: 'renumber', memberId: id, number: next }, t('sync.conflicts.renumbered', { name: line.name, number: next }))
                      }
                    >
                      <Hash size={13} aria-hidden />
                      {t('sync.conflicts.renumber', { name: line.name, number: next })}
                    </button>
                  ) : null}
                  {!duplicate ? (
                    <Link to={`/members/${id}/edit`} className="button small sync-conflict-edit" data-testid="sync-conflict-edit">
                      <Pencil size={13} aria-hidden />
                      {t('sync.conflicts.edit')}
                    </Link>
                  ) : null}
                  {duplicate && line && line.payments === 0 ? (
                    <button
                      type="button"
                      className="button small sync-conflict-edit"
                      disabled={busy}
                      data-testid="sync-conflict-remove-copy"
                      onClick={() =>
                        void resolve(
                          { action: 'remove_copy', memberId: id, otherId: other },
                          t('sync.conflicts.member_likely_duplicate.removed', { name: line.name, number: line.number }),
                        )
                      }
                    >
                      <UserRoundX size={13} aria-hidden />
                      {t('sync.conflicts.member_likely_duplicate.removeCopy')}
                    </button>
                  ) : null}
                </>
              )}
            </li>
          );
        })}
      </ul>
      {allPaid ? (
        <p className="sync-conflict-text muted" data-testid="sync-conflict-both-paid">
          {t('sync.conflicts.member_likely_duplicate.bothPaid')}
        </p>
      ) : null}
      {duplicate && first && second ? (
        <button
          type="button"
          className="button small sync-conflict-dismiss"
          disabled={busy}
          data-testid="sync-conflict-dismiss"
          onClick={() =>
            void resolve({ action: 'dismiss', ids: [first, second] }, t('sync.conflicts.member_likely_duplicate.dismissed'))
          }
        >
          <UsersRound size={13} aria-hidden />
          {t('sync.conflicts.member_likely_duplicate.dismiss')}
        </button>
      ) : null}
    </>
  );
}
