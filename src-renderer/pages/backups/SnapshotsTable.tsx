import { Download, FolderOpen, RotateCcw } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { BackupSnapshot } from '../../../src-main/contract';
import { call } from '../../api/client';
import { toastError } from '../../api/errors';
import { saveFile } from '../../api/save-file';
import { groupSnapshots } from '../../components/backups/format';
import { formatDateTime } from '../../components/members/format';
import { formatBytes } from '../../components/metrics/units';

/** The kind of a snapshot in words: files, or the dump's name. */
export function SnapshotKind({ snapshot }: { snapshot: BackupSnapshot }) {
  const { t } = useTranslation();
  if (snapshot.kind === 'dump') return <>{t('backups.snapshots.dumpOf', { name: snapshot.dumpName ?? '?' })}</>;
  return <>{t(`backups.snapshots.kinds.${snapshot.kind}`)}</>;
}

/** A repository's snapshots grouped by the run that made them, with browse, save and restore. */
export function SnapshotsTable({ snapshots, showJob = false }: { snapshots: BackupSnapshot[] | null; showJob?: boolean }) {
  const { t, i18n } = useTranslation();
  const [saving, setSaving] = useState<string | null>(null);

  async function saveDump(snapshot: BackupSnapshot) {
    setSaving(snapshot.id);
    const result = await call('backups.snapshots.saveFile', { repositoryId: snapshot.repositoryId, snapshotId: snapshot.id, path: '' });
    setSaving(null);
    if (!result.ok) return toastError(result.error);
    await saveFile(result.value);
  }

  return (
    <section className="card" data-testid="snapshots-card">
      <h2 className="card-title">{t('backups.snapshots.title')}</h2>
      {snapshots === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : snapshots.length === 0 ? (
        <p className="muted" data-testid="snapshots-empty">
          {t('backups.snapshots.empty')}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data-table snapshots-table">
            <thead>
              <tr>
                <th>{t('backups.snapshots.time')}</th>
                {showJob ? <th>{t('backups.snapshots.job')}</th> : null}
                <th>{t('backups.snapshots.kind')}</th>
                <th>{t('backups.snapshots.id')}</th>
                <th className="num">{t('backups.snapshots.size')}</th>
                <th aria-label={t('backups.jobs.actions')} />
              </tr>
            </thead>
            <tbody>
              {groupSnapshots(snapshots).map((group) =>
                group.snapshots.map((snapshot, index) => (
                  <tr key={snapshot.id} className={index === 0 ? 'group-start' : 'group-rest'} data-testid="snapshot-row" data-kind={snapshot.kind} data-id={snapshot.id}>
                    <td className="nowrap">{index === 0 ? formatDateTime(group.time, i18n.language) : ''}</td>
                    {showJob ? <td>{index === 0 ? (group.jobName ?? group.hostname) : ''}</td> : null}
                    <td>
                      <SnapshotKind snapshot={snapshot} />
                    </td>
                    <td className="mono">{snapshot.shortId}</td>
                    <td className="num nowrap">{snapshot.size === null ? '—' : formatBytes(snapshot.size, i18n.language)}</td>
                    <td className="actions-cell">
                      <span className="row-actions">
                        {snapshot.kind === 'files' ? (
                          <Link className="button small" to={`/backups/repositories/${snapshot.repositoryId}/snapshots/${snapshot.id}`} data-testid="snapshot-browse">
                            <FolderOpen size={14} />
                            {t('backups.snapshots.browse')}
                          </Link>
                        ) : snapshot.kind === 'dump' ? (
                          <button className="button small" type="button" disabled={saving === snapshot.id} onClick={() => void saveDump(snapshot)} data-testid="snapshot-save-dump">
                            <Download size={14} />
                            {t('backups.snapshots.saveDump')}
                          </button>
                        ) : null}
                        {index === 0 ? (
                          <Link
                            className="button small"
                            to={`/backups/restore?repository=${snapshot.repositoryId}&snapshots=${group.snapshots.map((s) => s.id).join(',')}${group.jobId ? `&job=${group.jobId}` : ''}`}
                            data-testid="snapshot-restore"
                          >
                            <RotateCcw size={14} />
                            {t('backups.snapshots.restore')}
                          </Link>
                        ) : null}
                      </span>
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
