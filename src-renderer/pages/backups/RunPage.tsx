import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { BackLink } from '../../components/BackLink';
import { RunView } from '../../components/backups/RunView';
import { useBackupsStore } from '../../stores/backups-store';
import '../../styles/members.css';
import '../../styles/dues.css';
import '../../styles/servers.css';
import '../../styles/backups.css';
import { AfterCommandsWarning } from './AfterCommandsWarning';

/** A backup, restore or drill run on its own page: where a running operation and a run's log are opened. */
export function RunPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const run = useBackupsStore((s) => s.runs[id]);
  const back = run?.jobId ? `/backups/jobs/${run.jobId}` : '/backups';
  return (
    <div className="page run-page">
      <header className="page-header">
        <div>
          <BackLink to={back} label={t(run?.jobId ? 'backups.jobForm.backToJob' : 'backups.backToOverview')} />
          <h1>{run ? t(`backups.run.title.${run.kind}`, { job: run.jobName ?? run.serverName }) : t('backups.run.loading')}</h1>
        </div>
      </header>
      {run ? <AfterCommandsWarning run={run} /> : null}
      <section className="card">
        <RunView runId={id} />
      </section>
    </div>
  );
}
