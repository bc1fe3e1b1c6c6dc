import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { BackupRunSummary } from '../../../src-main/contract';
import { formatDateTime } from '../members/format';
import { formatBytes } from '../metrics/units';
import { formatDuration } from '../servers/figures';
import { useNow } from '../servers/use-now';
import { useBackupsStore } from '../../stores/backups-store';
import { RunStatusBadge } from './badges';
import { runDurationMs } from './format';
import { RunLog } from './RunLog';
import { RunOutcome } from './RunOutcome';
import { RunProgress } from './RunProgress';
import { numberFormat } from '../../i18n/intl-cache';

/**
 * One run, live: progress while it runs, then its outcome, figures and log. `initial` (the summary `start` answered)
 * shows at once; the full run follows and is reloaded by the store when the run changes.
 */
export function RunView({ runId, initial }: { runId: string; initial?: BackupRunSummary }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const detail = useBackupsStore((s) => s.runs[runId]);
  const loadRun = useBackupsStore((s) => s.loadRun);
  const runningSummary = useBackupsStore((s) => s.running?.find((r) => r.id === runId));
  const now = useNow(1_000);

  useEffect(() => {
    void loadRun(runId);
  }, [runId, loadRun]);

  // The running list is refreshed on every change: once it no longer has the run, the stored detail is final.
  const run: BackupRunSummary | undefined = detail?.status === 'running' ? (runningSummary ?? detail) : (detail ?? initial);
  if (!run) return <p className="muted">{t('common.loading')}</p>;

  return (
    <div className="run-view" data-testid="run-view" data-status={run.status}>
      <div className="run-view-head">
        <RunStatusBadge status={run.status} />
        <span>{t(`backups.runKind.${run.kind}`)}</span>
        {run.jobId ? <Link to={`/backups/jobs/${run.jobId}`}>{run.jobName}</Link> : null}
        <Link to={`/servers/${run.serverId}`}>{run.serverName}</Link>
        <span className="muted">{formatDateTime(run.startedAt, language)}</span>
      </div>
      {run.status === 'running' ? <RunProgress run={run} /> : <RunOutcome run={run} />}
      <dl className="facts run-figures">
        <dt>{t('backups.runs.duration')}</dt>
        <dd className="plain">{formatDuration(runDurationMs(run, now), language)}</dd>
        <dt>{t('backups.runs.bytesRead')}</dt>
        <dd className="plain" data-testid="run-bytes-read">
          {run.bytesTotal === null ? formatBytes(run.bytesRead, language) : t('backups.progress.bytesOf', { done: formatBytes(run.bytesRead, language), total: formatBytes(run.bytesTotal, language) })}
        </dd>
        {run.dataAdded !== null ? (
          <>
            <dt>{t('backups.runs.dataAdded')}</dt>
            <dd className="plain">{formatBytes(run.dataAdded, language)}</dd>
          </>
        ) : null}
        <dt>{t('backups.run.files')}</dt>
        <dd className="plain">{numberFormat(language).format(run.files)}</dd>
        {run.snapshots.length > 0 ? (
          <>
            <dt>{t('backups.runs.snapshots')}</dt>
            <dd data-testid="run-view-snapshots">
              {run.snapshots.map((snapshot) => (
                <div key={snapshot.id}>
                  {`${snapshot.shortId} · ${snapshot.kind === 'dump' ? (snapshot.dumpName ?? '') : t('backups.snapshots.kinds.files')} · ${formatBytes(snapshot.bytes, language)}`}
                </div>
              ))}
            </dd>
          </>
        ) : null}
      </dl>
      <h3 className="subsection-title">{t('backups.run.log')}</h3>
      {detail ? <RunLog lines={detail.log} /> : <p className="muted">{t('common.loading')}</p>}
    </div>
  );
}
