import { useTranslation } from 'react-i18next';
import type { DuesStatus } from '../../../src-main/contract';

/** A member's dues status as a coloured pill; colours live in styles/members.css. */
export function StatusBadge({ status }: { status: DuesStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`status-badge status-${status}`} data-testid="status-badge" data-status={status}>
      {t(`members.status.${status}`)}
    </span>
  );
}
