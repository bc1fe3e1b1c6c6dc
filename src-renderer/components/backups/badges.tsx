import { useTranslation } from 'react-i18next';
import type { BackupJobSummary, RunStatus, Verification } from '../../../src-main/contract';

/** A run's outcome, coloured like the health checks: green done, red failed, amber interrupted. */
export function RunStatusBadge({ status }: { status: RunStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`check-badge run-status run-status-${status}`} data-testid="run-status" data-status={status}>
      {t(`backups.runStatus.${status}`)}
    </span>
  );
}

/** Whether the last good backup is recent enough for the job's schedule. */
export function FreshnessBadge({ freshness }: { freshness: BackupJobSummary['freshness'] }) {
  const { t } = useTranslation();
  return (
    <span className={`check-badge freshness freshness-${freshness}`} data-testid="freshness" data-freshness={freshness} title={t(`backups.freshness.${freshness}Hint`)}>
      {t(`backups.freshness.${freshness}`)}
    </span>
  );
}

/** The restored files checked against the backup's manifest. */
export function VerificationBadge({ verification }: { verification: Verification }) {
  const { t } = useTranslation();
  return (
    <span className={`check-badge verification verification-${verification.status}`} data-testid="verification" data-status={verification.status}>
      {t(`backups.verification.${verification.status}`)}
    </span>
  );
}
