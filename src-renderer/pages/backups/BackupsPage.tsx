import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNow } from '../../components/servers/use-now';
import { useBackupsStore } from '../../stores/backups-store';
import '../../styles/members.css';
import '../../styles/dues.css';
import '../../styles/servers.css';
import '../../styles/backups.css';
import { EngineCard } from './EngineCard';
import { JobsCard } from './JobsCard';
import { RepositoriesCard } from './RepositoriesCard';
import { RunningCard } from './RunningCard';

/** The backups at a glance: the engine, where backups go, what is running, and every job's state. */
export function BackupsPage() {
  const { t } = useTranslation();
  const engine = useBackupsStore((s) => s.engine);
  const repositories = useBackupsStore((s) => s.repositories);
  const jobs = useBackupsStore((s) => s.jobs);
  const running = useBackupsStore((s) => s.running);
  const loadOverview = useBackupsStore((s) => s.loadOverview);
  const now = useNow(10_000);

  const watchStatuses = useBackupsStore((s) => s.watchStatuses);
  useEffect(() => {
    void loadOverview();
    return watchStatuses();
  }, [loadOverview, watchStatuses]);

  const stale = jobs?.filter((job) => job.freshness === 'stale').length ?? 0;
  return (
    <div className="page page-wide backups-page">
      <header className="page-header">
        <div>
          <h1>{t('sections.backups.title')}</h1>
          <div className="page-subtitle" data-testid="backups-subtitle">
            {jobs && jobs.length > 0
              ? [t('backups.overview.jobCount', { count: jobs.length }), stale > 0 ? t('backups.overview.staleCount', { count: stale }) : null].filter(Boolean).join(' · ')
              : t('sections.backups.subtitle')}
          </div>
        </div>
      </header>
      <EngineCard engine={engine} />
      <RunningCard running={running ?? []} />
      <JobsCard jobs={jobs} canCreate={(repositories?.length ?? 0) > 0} now={now} />
      <RepositoriesCard repositories={repositories} />
    </div>
  );
}
