import { Download, File, Folder, Link2, RotateCcw, Search } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { ApiError, BackupSnapshot, SnapshotEntry, SnapshotFiles } from '../../../src-main/contract';
import { call } from '../../api/client';
import { errorMessage, toastError } from '../../api/errors';
import { saveFile } from '../../api/save-file';
import { BackLink } from '../../components/BackLink';
import { DetailFallback } from '../../components/DetailFallback';
import { formatDateTime } from '../../components/members/format';
import { formatBytes } from '../../components/metrics/units';
import '../../styles/members.css';
import '../../styles/dues.css';
import '../../styles/servers.css';
import '../../styles/backups.css';
import { SnapshotKind } from './SnapshotsTable';

const PAGE = 500;
const FILTER_DELAY_MS = 250;

function EntryIcon({ entry }: { entry: SnapshotEntry }) {
  if (entry.type === 'directory') return <Folder size={15} className="entry-icon folder" aria-hidden />;
  if (entry.type === 'symlink' || entry.type === 'hardlink') return <Link2 size={15} className="entry-icon" aria-hidden />;
  return <File size={15} className="entry-icon" aria-hidden />;
}

/** The names inside a files snapshot, filtered as you type; any regular file can be saved to this computer. */
export function SnapshotPage() {
  const { repositoryId = '', snapshotId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const [snapshot, setSnapshot] = useState<BackupSnapshot | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState('');
  const [files, setFiles] = useState<SnapshotFiles | null>(null);
  const [filesError, setFilesError] = useState<ApiError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [saving, setSaving] = useState<string | null>(null);

  useEffect(() => {
    void call('backups.snapshots.list', { repositoryId }).then((result) => {
      if (!result.ok) return setError(result.error);
      const found = result.value.find((s) => s.id === snapshotId || s.shortId === snapshotId);
      if (found) setSnapshot(found);
      else setError({ code: 'backup_snapshot_not_found', message: '', details: { id: snapshotId } });
    });
  }, [repositoryId, snapshotId]);

  useEffect(() => {
    const timer = window.setTimeout(() => setApplied(filter), FILTER_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [filter]);

  useEffect(() => {
    let current = true;
    void call('backups.snapshots.files', { repositoryId, snapshotId, filter: applied, offset: 0, limit: PAGE }).then((result) => {
      if (!current) return;
      if (result.ok) {
        setFiles(result.value);
        setFilesError(null);
      } else setFilesError(result.error);
    });
    return () => {
      current = false;
    };
  }, [repositoryId, snapshotId, applied]);

  if (!snapshot) return <DetailFallback error={error} backTo="/backups" backLabel={t('backups.backToOverview')} />;

  async function more() {
    if (!files) return;
    setLoadingMore(true);
    const result = await call('backups.snapshots.files', { repositoryId, snapshotId, filter: applied, offset: files.entries.length, limit: PAGE });
    setLoadingMore(false);
    if (!result.ok) return toastError(result.error);
    setFiles({ ...result.value, entries: [...files.entries, ...result.value.entries] });
  }

  async function save(entry: SnapshotEntry) {
    setSaving(entry.path);
    const result = await call('backups.snapshots.saveFile', { repositoryId, snapshotId, path: entry.path });
    setSaving(null);
    if (!result.ok) return toastError(result.error);
    await saveFile(result.value);
  }

  const back = snapshot.jobId ? `/backups/jobs/${snapshot.jobId}` : '/backups';
  return (
    <div className="page page-wide snapshot-page">
      <header className="page-header server-header">
        <div>
          <BackLink to={back} label={t(snapshot.jobId ? 'backups.jobForm.backToJob' : 'backups.backToOverview')} />
          <h1>{t('backups.browser.title', { id: snapshot.shortId })}</h1>
          <div className="page-subtitle server-subtitle">
            <span>{formatDateTime(snapshot.time, language)}</span>
            <span>{snapshot.jobName ?? snapshot.hostname}</span>
            <span>{snapshot.serverName ?? snapshot.hostname}</span>
            <span>
              <SnapshotKind snapshot={snapshot} />
            </span>
            {snapshot.size !== null ? <span>{formatBytes(snapshot.size, language)}</span> : null}
          </div>
        </div>
        <div className="actions">
          <Link className="button" to={`/backups/restore?repository=${repositoryId}&snapshots=${snapshot.id}${snapshot.jobId ? `&job=${snapshot.jobId}` : ''}`} data-testid="browser-restore">
            <RotateCcw size={16} />
            {t('backups.snapshots.restore')}
          </Link>
        </div>
      </header>
      <section className="card snapshot-files" data-testid="snapshot-files">
        <div className="card-header">
          <div className="search-box">
            <Search size={16} />
            <input
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              placeholder={t('backups.browser.filter')}
              aria-label={t('backups.browser.filter')}
              data-testid="browser-filter"
            />
          </div>
          <span className="muted nowrap" data-testid="browser-count">
            {files ? t('backups.browser.count', { count: files.total }) : ''}
          </span>
        </div>
        {filesError ? (
          <p className="field-error" role="alert">
            {errorMessage(filesError)}
          </p>
        ) : files === null ? (
          <p className="muted">{t('common.loading')}</p>
        ) : files.entries.length === 0 ? (
          <p className="muted">{t(applied ? 'backups.browser.noMatch' : 'backups.browser.empty')}</p>
        ) : (
          <>
            <div className="table-wrap">
              <table className="data-table files-table">
                <thead>
                  <tr>
                    <th>{t('backups.browser.path')}</th>
                    <th className="num">{t('backups.browser.size')}</th>
                    <th>{t('backups.browser.mode')}</th>
                    <th>{t('backups.browser.modified')}</th>
                    <th aria-label={t('backups.jobs.actions')} />
                  </tr>
                </thead>
                <tbody>
                  {files.entries.map((entry) => (
                    <tr key={entry.path} data-testid="file-row" data-path={entry.path} data-type={entry.type}>
                      <td>
                        <div className="file-path">
                          <EntryIcon entry={entry} />
                          <span className="mono file-name">
                            {entry.path}
                            {entry.linkTarget ? <span className="muted">{` → ${entry.linkTarget}`}</span> : null}
                          </span>
                        </div>
                      </td>
                      <td className="num nowrap">{entry.type === 'file' ? formatBytes(entry.size, language) : ''}</td>
                      <td className="mono muted">{(entry.mode & 0o7777).toString(8).padStart(4, '0')}</td>
                      <td className="nowrap muted">{formatDateTime(entry.mtime, language)}</td>
                      <td className="actions-cell">
                        {entry.type === 'file' ? (
                          <button className="button small" type="button" disabled={saving === entry.path} onClick={() => void save(entry)} data-testid="file-save">
                            <Download size={14} />
                            {t('backups.browser.save')}
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="browser-foot">
              <span className="muted">{t(files.source === 'manifest' ? 'backups.browser.fromManifest' : 'backups.browser.fromRepository')}</span>
              {files.entries.length < files.total ? (
                <button className="button small" type="button" disabled={loadingMore} onClick={() => void more()}>
                  {t('backups.browser.more', { shown: files.entries.length, total: files.total })}
                </button>
              ) : null}
            </div>
          </>
        )}
      </section>
    </div>
  );
}
