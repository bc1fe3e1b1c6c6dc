import { Play, Plus } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { BackupJobSummary } from '../../../src-main/contract';
import { FreshnessBadge, RunStatusBadge } from '../../components/backups/badges';
import { scheduleText } from '../../components/backups/format';
import { formatRelative } from '../../components/servers/figures';
import { useBackupsStore } from '../../stores/backups-store';

/** Each job with what an admin checks at a glance: when it last ran and how, whether it is fresh and restorable. */
export function JobsCard({ jobs, canCreate, now }: { jobs: BackupJobSummary[] | null; canCreate: boolean; now: number }) {
  const { t, i18n } = useTranslation();
  const startBackup = useBackupsStore((s) => s.startBackup);
  const when = (iso: string | null, never: string) => (iso ? formatRelative(iso, now, i18n.language) : never);
  return (
    <section className="card" data-testid="jobs-card">
      <div className="card-header">
        <div>
          <h2>{t('backups.jobs.title')}</h2>
          <div className="card-subtitle">{t('backups.jobs.subtitle')}</div>
        </div>
        {canCreate ? (
          <Link className="button small primary" to="/backups/jobs/new" data-testid="job-add">
            <Plus size={14} />
            {t('backups.jobs.add')}
          </Link>
        ) : null}
      </div>
      {jobs === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : jobs.length === 0 ? (
        <p className="muted" data-testid="jobs-empty">
          {t(canCreate ? 'backups.jobs.empty' : 'backups.jobs.emptyNoRepository')}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data-table jobs-table">
            <thead>
              <tr>
                <th>{t('backups.jobs.job')}</th>
                <th>{t('backups.jobs.schedule')}</th>
                <th>{t('backups.jobs.lastRun')}</th>
                <th>{t('backups.jobs.freshness')}</th>
                <th>{t('backups.jobs.lastVerified')}</th>
                <th>{t('backups.jobs.nextRun')}</th>
                <th aria-label={t('backups.jobs.actions')} />
              </tr>
            </thead>
            <tbody>
              {jobs.map((summary) => (
                <tr key={summary.job.id} data-testid="job-row" data-name={summary.job.name}>
                  <td>
                    <Link to={`/backups/jobs/${summary.job.id}`} className="job-link">
                      {summary.job.name}
                    </Link>
                    <div className="muted job-sub">{t('backups.jobs.onServer', { server: summary.serverName, repository: summary.repositoryName })}</div>
                  </td>
                  <td>{scheduleText(summary.job.schedule, t)}</td>
                  <td>
                    {summary.running ? (
                      <RunStatusBadge status="running" />
                    ) : summary.lastRun ? (
                      <span className="cell-stack">
                        <RunStatusBadge status={summary.lastRun.status} />
                        <span className="muted">{formatRelative(summary.lastRun.startedAt, now, i18n.language)}</span>
                      </span>
                    ) : (
                      <span className="muted">{t('backups.jobs.never')}</span>
                    )}
                  </td>
                  <td>
                    <span className="cell-stack">
                      <FreshnessBadge freshness={summary.freshness} />
                      {summary.lastSuccessAt ? <span className="muted">{formatRelative(summary.lastSuccessAt, now, i18n.language)}</span> : null}
                    </span>
                  </td>
                  <td data-testid="job-last-verified">{when(summary.lastVerifiedAt, t('backups.jobs.neverVerified'))}</td>
                  <td>{summary.nextRunAt ? formatRelative(summary.nextRunAt, now, i18n.language) : '—'}</td>
                  <td className="actions-cell">
                    <button
                      className="button small"
                      type="button"
                      disabled={summary.running !== null}
                      onClick={() => void startBackup(summary.job.id)}
                      data-testid="job-run-now"
                    >
                      <Play size={14} />
                      {t('backups.jobs.runNow')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
