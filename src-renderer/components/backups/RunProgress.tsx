import { X } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupProgress, BackupRunSummary } from '../../../src-main/contract';
import { useBackupsStore } from '../../stores/backups-store';
import { formatBytes, formatRate } from '../metrics/units';
import { formatPercent } from '../servers/figures';
import { formatEta, progressFraction } from './format';

/**
 * A running backup, restore or drill: its stage, a bar (a share of the total when it is known, else a moving
 * stripe), bytes, rate, time left, and a cancel button that asks nothing (cancelling keeps no snapshot and writes
 * nothing more; the after commands still run).
 */
export function RunProgress({ run, title }: { run: BackupRunSummary; title?: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const progress: BackupProgress | undefined = useBackupsStore((s) => s.progress[run.id]);
  const cancel = useBackupsStore((s) => s.cancel);
  const [cancelling, setCancelling] = useState(false);

  const stage = progress?.stage ?? run.stage;
  const done = progress?.bytesDone ?? run.bytesRead;
  const total = progress?.bytesTotal ?? run.bytesTotal;
  const fraction = progressFraction(done, total);
  const rate = progress?.rateBytesPerSecond ?? null;
  const eta = progress?.etaSeconds ?? null;
  const files = progress?.files ?? run.files;
  const percent = fraction === null ? null : Math.round(fraction * 100);

  return (
    <div className="run-progress" data-testid="run-progress" data-run-id={run.id} data-stage={stage}>
      <div className="run-progress-head">
        <div className="run-progress-title">
          {title ? <span className="run-progress-name">{title}</span> : null}
          <span className="run-progress-stage" data-testid="run-stage">
            {t(`backups.stage.${stage}`)}
            {progress?.item ? <span className="muted">{` · ${progress.item}`}</span> : null}
          </span>
        </div>
        <span className="run-progress-percent">{percent === null ? '' : formatPercent(percent, language)}</span>
        <button
          className="button small danger-outline"
          type="button"
          disabled={cancelling}
          onClick={() => {
            setCancelling(true);
            void cancel(run).then((done) => {
              if (!done) setCancelling(false);
            });
          }}
          data-testid="run-cancel"
        >
          <X size={14} />
          {t(cancelling ? 'backups.progress.cancelling' : 'backups.progress.cancel')}
        </button>
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={t(`backups.stage.${stage}`)}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        data-testid="progress-bar"
      >
        <div className={percent === null ? 'progress-fill indeterminate' : 'progress-fill'} style={percent === null ? undefined : { width: `${percent}%` }} />
      </div>
      <div className="run-progress-figures">
        <span data-testid="progress-bytes">
          {total === null ? formatBytes(done, language) : t('backups.progress.bytesOf', { done: formatBytes(done, language), total: formatBytes(total, language) })}
        </span>
        {files > 0 ? <span>{t('backups.progress.files', { count: files })}</span> : null}
        {rate !== null ? <span data-testid="progress-rate">{formatRate(rate, language)}</span> : null}
        {eta !== null ? <span data-testid="progress-eta">{t('backups.progress.eta', { time: formatEta(eta, language) })}</span> : null}
        {progress ? <span className="muted">{t('backups.progress.elapsed', { time: formatEta(progress.elapsedSeconds, language) })}</span> : null}
      </div>
    </div>
  );
}
