import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { BackupRunSummary } from '../../../src-main/contract';
import { RunProgress } from '../../components/backups/RunProgress';

/** Backups, restores and drills running now, wherever they were started: live progress, and a cancel button. */
export function RunningCard({ running }: { running: BackupRunSummary[] }) {
  const { t } = useTranslation();
  if (running.length === 0) return null;
  return (
    <section className="card running-card" data-testid="running-card">
      <h2 className="card-title">{t('backups.running.title', { count: running.length })}</h2>
      <div className="running-list">
        {running.map((run) => (
          <div key={run.id} className="running-item">
            <RunProgress
              run={run}
              title={t(`backups.running.${run.kind}`, { job: run.jobName ?? t('backups.running.noJob'), server: run.serverName })}
            />
            <Link className="running-link" to={`/backups/runs/${run.id}`}>
              {t('backups.running.details')}
            </Link>
          </div>
        ))}
      </div>
    </section>
  );
}
