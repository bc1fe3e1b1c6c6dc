import { AlertTriangle, Play } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupRunSummary } from '../../../src-main/contract';
import { call } from '../../api/client';
import { formatDateTime } from '../../components/members/format';
import { shown, useBackupsStore } from '../../stores/backups-store';
import { useToastStore } from '../../stores/toast-store';
import { commandsToText } from './job-draft';

/** A finished backup whose after commands (maintenance mode off…) did not run or failed: the server may still be in maintenance. */
export const owesAfterCommands = (run: BackupRunSummary): boolean =>
  run.status !== 'running' && (run.afterCommands?.state === 'pending' || run.afterCommands?.state === 'failed');

/**
 * Says which after commands did not run and why, what to do (run them on the server, or from here), and whether
 * Pelote still retries them on its own. Nothing when the run owes none.
 */
export function AfterCommandsWarning({ run }: { run: BackupRunSummary }) {
  const { t, i18n } = useTranslation();
  const push = useToastStore((s) => s.push);
  const loadRun = useBackupsStore((s) => s.loadRun);
  const [busy, setBusy] = useState(false);
  const after = run.afterCommands;
  if (after === null || !owesAfterCommands(run)) return null;

  // Why they did not run: Pelote stopped mid-run (and maybe could not reach the server since), the server could not
  // be reached, or one failed on the server.
  const interrupted = run.status === 'interrupted';
  const why = after.state === 'failed' ? 'failed' : interrupted ? (after.attempts === 0 ? 'interrupted' : 'interruptedUnreachable') : 'unreachable';
  const runNow = async () => {
    setBusy(true);
    const done = await shown(call('backups.runs.runAfterCommands', { id: run.id }));
    setBusy(false);
    if (!done) return;
    void loadRun(run.id);
    if (done.afterCommands?.state === 'ran') push({ kind: 'success', title: t('backups.afterCommands.ran') });
  };

  return (
    <div className="notice warning" role="alert" data-testid="after-commands-warning" data-state={after.state}>
      <AlertTriangle size={16} className="notice-icon" aria-hidden />
      <div className="notice-body">
        <div className="notice-title">{t(`backups.afterCommands.title.${after.state === 'failed' ? 'failed' : 'pending'}`)}</div>
        <p className="notice-text">{t(`backups.afterCommands.why.${why}`, { server: run.serverName })}</p>
        <span className="mono pre" data-testid="after-commands-list">
          {commandsToText(after.commands)}
        </span>
        <p className="notice-text">{t('backups.afterCommands.whatToDo', { server: run.serverName })}</p>
        <p className="notice-text" data-testid="after-commands-retry">
          {after.nextAttemptAt !== null
            ? t('backups.afterCommands.retryAt', { time: formatDateTime(after.nextAttemptAt, i18n.language) })
            : after.state === 'pending'
              ? t('backups.afterCommands.retryOver', { count: after.attempts })
              : t('backups.afterCommands.noRetry')}
        </p>
        <div className="actions">
          <button className="button small" type="button" onClick={() => void runNow()} disabled={busy} data-testid="after-commands-run">
            <Play size={14} />
            {t(busy ? 'backups.afterCommands.running' : 'backups.afterCommands.runNow')}
          </button>
        </div>
      </div>
    </div>
  );
}
