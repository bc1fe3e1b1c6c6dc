import { ChevronDown, ChevronRight } from 'lucide-react';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { BackupRunSummary } from '../../../src-main/contract';
import { RunStatusBadge } from '../../components/backups/badges';
import { runDurationMs } from '../../components/backups/format';
import { RunLog } from '../../components/backups/RunLog';
import { RunOutcome } from '../../components/backups/RunOutcome';
import { formatDateTime } from '../../components/members/format';
import { formatBytes } from '../../components/metrics/units';
import { formatDuration } from '../../components/servers/figures';
import { useBackupsStore } from '../../stores/backups-store';
import { AfterCommandsWarning, owesAfterCommands } from './AfterCommandsWarning';

function RunDetailRow({ run, columns }: { run: BackupRunSummary; columns: number }) {
  const { t } = useTranslation();
  const detail = useBackupsStore((s) => s.runs[run.id]);
  return (
    <tr className="run-detail-row">
      <td colSpan={columns}>
        <div className="run-detail">
          {run.status !== 'running' ? <RunOutcome run={detail ?? run} /> : null}
          <AfterCommandsWarning run={detail ?? run} />
          {detail ? <RunLog lines={detail.log} /> : <p className="muted">{t('common.loading')}</p>}
          <Link to={`/backups/runs/${run.id}`}>{t('backups.run.open')}</Link>
        </div>
      </td>
    </tr>
  );
}

/** Every run of a job, newest first: status, duration, bytes read, data added, snapshots; a row opens on its log. */
export function RunsHistory({ runs, now }: { runs: BackupRunSummary[] | null; now: number }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const loadRun = useBackupsStore((s) => s.loadRun);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const COLUMNS = 8;

  function toggle(id: string) {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else {
      next.add(id);
      void loadRun(id);
    }
    setOpen(next);
  }

  return (
    <section className="card" data-testid="runs-card">
      <h2 className="card-title">{t('backups.runs.title')}</h2>
      {runs === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : runs.length === 0 ? (
        <p className="muted" data-testid="runs-empty">
          {t('backups.runs.empty')}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data-table runs-table">
            <thead>
              <tr>
                <th aria-label={t('backups.runs.expand')} />
                <th>{t('backups.runs.started')}</th>
                <th>{t('backups.runs.kind')}</th>
                <th>{t('backups.runs.status')}</th>
                <th className="num">{t('backups.runs.duration')}</th>
                <th className="num">{t('backups.runs.bytesRead')}</th>
                <th className="num">{t('backups.runs.dataAdded')}</th>
                <th>{t('backups.runs.snapshots')}</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => {
                const expanded = open.has(run.id);
                return (
                  <Fragment key={run.id}>
                    <tr className={`run-row${expanded ? ' expanded' : ''}`} data-testid="run-row" data-status={run.status} data-kind={run.kind}>
                      <td className="expand-cell">
                        <button
                          className="icon-button"
                          type="button"
                          aria-expanded={expanded}
                          aria-label={t(expanded ? 'backups.runs.collapse' : 'backups.runs.expand')}
                          onClick={() => toggle(run.id)}
                          data-testid="run-expand"
                        >
                          {expanded ? <ChevronDown size={16} /> : <ChevronRight size={16} />}
                        </button>
                      </td>
                      <td className="nowrap">{formatDateTime(run.startedAt, language)}</td>
                      <td>
                        {t(`backups.runKind.${run.kind}`)}
                        {run.trigger !== 'manual' ? <span className="muted">{` · ${t(`backups.trigger.${run.trigger}`)}`}</span> : null}
                      </td>
                      <td>
                        <RunStatusBadge status={run.status} />
                        {owesAfterCommands(run) ? (
                          <span className="tag tag-warning run-after-owed" data-testid="run-after-owed">
                            {t('backups.afterCommands.badge')}
                          </span>
                        ) : null}
                      </td>
                      <td className="num nowrap">{formatDuration(runDurationMs(run, now), language)}</td>
                      <td className="num nowrap">{formatBytes(run.bytesRead, language)}</td>
                      <td className="num nowrap">{run.dataAdded === null ? '—' : formatBytes(run.dataAdded, language)}</td>
                      <td className="mono snapshot-ids" data-testid="run-snapshots">
                        {run.snapshots.length === 0 ? '—' : run.snapshots.map((s) => (s.kind === 'dump' ? `${s.shortId} (${s.dumpName ?? ''})` : s.shortId)).join(' ')}
                      </td>
                    </tr>
                    {expanded ? <RunDetailRow run={run} columns={COLUMNS} /> : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
