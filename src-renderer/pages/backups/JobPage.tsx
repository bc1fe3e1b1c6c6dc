import { Pencil, Play, RotateCcw, ShieldCheck, Trash2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { ApiError, BackupJobSummary, BackupRunSummary, BackupSnapshot } from '../../../src-main/contract';
import { call } from '../../api/client';
import { BackLink } from '../../components/BackLink';
import { DetailFallback } from '../../components/DetailFallback';
import { FreshnessBadge } from '../../components/backups/badges';
import { retentionText, scheduleText } from '../../components/backups/format';
import { RunProgress } from '../../components/backups/RunProgress';
import { ConfirmDialog } from '../../components/members/ConfirmDialog';
import { formatRelative } from '../../components/servers/figures';
import { useNow } from '../../components/servers/use-now';
import { useBackupsStore } from '../../stores/backups-store';
import { useToastStore } from '../../stores/toast-store';
import '../../styles/members.css';
import '../../styles/dues.css';
import '../../styles/servers.css';
import '../../styles/backups.css';
import { commandsToText } from './job-draft';
import { RunsHistory } from './RunsHistory';
import { SnapshotsTable } from './SnapshotsTable';

const COMMAND_FIELDS = ['beforeCommands', 'afterCommands', 'afterRestoreCommands'] as const;

/** What the job backs up and runs, as the form holds it. */
function JobSettings({ summary }: { summary: BackupJobSummary }) {
  const { t } = useTranslation();
  const { job } = summary;
  const list = (items: string[]) => (items.length === 0 ? <span className="muted">{t('backups.job.none')}</span> : <span className="mono pre">{items.join('\n')}</span>);
  return (
    <section className="card" data-testid="job-settings">
      <h2 className="card-title">{t('backups.job.settings')}</h2>
      <dl className="member-facts job-facts">
        <div className="fact">
          <dt>{t('backups.jobForm.paths')}</dt>
          <dd>{list(job.paths)}</dd>
        </div>
        <div className="fact">
          <dt>{t('backups.jobForm.excludes')}</dt>
          <dd>{list(job.excludes)}</dd>
        </div>
        <div className="fact">
          <dt>{t('backups.jobForm.dumps')}</dt>
          <dd>
            {job.dumps.length === 0 ? (
              <span className="muted">{t('backups.job.none')}</span>
            ) : (
              <ul className="plain-list">
                {job.dumps.map((dump) => (
                  <li key={dump.name}>
                    <strong>{dump.name}</strong>
                    <span className="muted">{` · ${t(`backups.dump.kinds.${dump.kind}`)} · ${dump.kind === 'sqlite' ? dump.path : dump.database}`}</span>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div className="fact">
          <dt>{t('backups.jobForm.retention')}</dt>
          <dd>{retentionText(job.retention, t)}</dd>
        </div>
        {COMMAND_FIELDS.map((field) => (
          <div className="fact" key={field}>
            <dt>{t(`backups.jobForm.${field}`)}</dt>
            <dd>{job[field].length === 0 ? <span className="muted">{t('backups.job.none')}</span> : <span className="mono pre">{commandsToText(job[field])}</span>}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** One job: its state, live progress, history and snapshots; run it, drill it, restore from it. */
export function JobPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const push = useToastStore((s) => s.push);
  const running = useBackupsStore((s) => s.running);
  const { startBackup, startDrill, deleteJob, subscribe, loadRunning } = useBackupsStore.getState();
  const [summary, setSummary] = useState<BackupJobSummary | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [runs, setRuns] = useState<BackupRunSummary[] | null>(null);
  const [snapshots, setSnapshots] = useState<BackupSnapshot[] | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const now = useNow(5_000);

  /** Bumped when the job, its runs or its snapshots change: everything below reloads. */
  const [version, setVersion] = useState(0);

  useEffect(() => {
    // Answers to an older request (another job, an earlier change) are dropped.
    let current = true;
    const live = () => current;
    void call('backups.jobs.get', { id }).then(async (result) => {
      if (!live()) return;
      if (!result.ok) return setError(result.error);
      setSummary(result.value);
      const [runList, snapshotList] = await Promise.all([
        call('backups.runs.list', { jobId: id, limit: 50 }),
        call('backups.snapshots.list', { repositoryId: result.value.job.repositoryId, jobId: id }),
      ]);
      if (!live()) return;
      if (runList.ok) setRuns(runList.value);
      setSnapshots(snapshotList.ok ? snapshotList.value : []);
    });
    return () => {
      current = false;
    };
  }, [id, version]);

  useEffect(() => {
    void loadRunning();
    return subscribe((change) => {
      if (change.jobIds.includes(id) || change.runId !== null) setVersion((v) => v + 1);
    });
  }, [id, loadRunning, subscribe]);

  if (!summary) return <DetailFallback error={error} backTo="/backups" backLabel={t('backups.backToOverview')} />;
  const { job } = summary;
  const live = (running ?? []).filter((run) => run.jobId === id);
  const busy = live.length > 0 || summary.running !== null;
  const when = (iso: string | null, never: string) => (iso ? formatRelative(iso, now, i18n.language) : never);

  async function run(kind: 'backup' | 'drill') {
    const started = kind === 'backup' ? await startBackup(id) : await startDrill(id);
    if (started) setVersion((v) => v + 1);
  }

  return (
    <div className="page page-wide job-page">
      <header className="page-header server-header">
        <div>
          <BackLink to="/backups" label={t('backups.backToOverview')} />
          <h1 data-testid="job-name">{job.name}</h1>
          <div className="page-subtitle server-subtitle">
            <Link to={`/servers/${job.serverId}`}>{summary.serverName}</Link>
            <span>{summary.repositoryName}</span>
            <span>{scheduleText(job.schedule, t)}</span>
            <FreshnessBadge freshness={summary.freshness} />
          </div>
        </div>
        <div className="actions server-actions">
          <button className="button primary" type="button" disabled={busy} onClick={() => void run('backup')} data-testid="job-run">
            <Play size={16} />
            {t('backups.jobs.runNow')}
          </button>
          <button className="button" type="button" disabled={busy} onClick={() => void run('drill')} data-testid="job-drill">
            <ShieldCheck size={16} />
            {t('backups.job.drillNow')}
          </button>
          <Link className="button" to={`/backups/restore?repository=${job.repositoryId}&job=${job.id}`} data-testid="job-restore">
            <RotateCcw size={16} />
            {t('backups.job.restore')}
          </Link>
          <Link className="button" to={`/backups/jobs/${id}/edit`} data-testid="job-edit">
            <Pencil size={16} />
            {t('backups.job.edit')}
          </Link>
          <button className="button danger-outline" type="button" onClick={() => setConfirmDelete(true)} data-testid="job-delete">
            <Trash2 size={16} />
            {t('backups.job.delete')}
          </button>
        </div>
      </header>

      {live.length > 0 ? (
        <section className="card running-card" data-testid="job-running">
          {live.map((r) => (
            <RunProgress key={r.id} run={r} title={t(`backups.runKind.${r.kind}`)} />
          ))}
        </section>
      ) : null}

      <section className="card job-state" data-testid="job-state">
        <div className="job-state-item">
          <div className="job-state-label">{t('backups.job.lastSuccess')}</div>
          <div className="job-state-value">{when(summary.lastSuccessAt, t('backups.jobs.never'))}</div>
        </div>
        <div className="job-state-item">
          <div className="job-state-label">{t('backups.jobs.lastVerified')}</div>
          <div className="job-state-value" data-testid="job-last-verified">
            {when(summary.lastVerifiedAt, t('backups.jobs.neverVerified'))}
          </div>
        </div>
        <div className="job-state-item">
          <div className="job-state-label">{t('backups.jobs.nextRun')}</div>
          <div className="job-state-value">{when(summary.nextRunAt, t('backups.job.notScheduled'))}</div>
        </div>
        <div className="job-state-item">
          <div className="job-state-label">{t('backups.job.nextDrill')}</div>
          <div className="job-state-value">{when(summary.nextDrillAt, t('backups.job.notScheduled'))}</div>
        </div>
      </section>

      <RunsHistory runs={runs === null ? null : [...live.filter((r) => !runs.some((known) => known.id === r.id)), ...runs]} now={now} />
      <SnapshotsTable snapshots={snapshots} />
      <JobSettings summary={summary} />

      {confirmDelete ? (
        <ConfirmDialog
          title={t('backups.job.deleteTitle', { name: job.name })}
          confirmLabel={t('backups.job.delete')}
          danger
          onCancel={() => setConfirmDelete(false)}
          onConfirm={async () => {
            if (await deleteJob(id)) {
              push({ kind: 'success', title: t('backups.job.deleted', { name: job.name }) });
              void navigate('/backups');
            }
            setConfirmDelete(false);
          }}
        >
          <p>{t('backups.job.deleteText')}</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
