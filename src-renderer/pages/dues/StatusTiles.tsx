import { useTranslation } from 'react-i18next';
import type { DuesStatus } from '../../../src-main/contract';
import { numberFormat } from '../../i18n/intl-cache';

/** From the members who need nothing to those who need a reminder, then the special cases. */
const TILE_ORDER: readonly DuesStatus[] = ['up_to_date', 'expiring', 'grace', 'late', 'lapsed', 'never', 'exempt'];

export function StatusTiles({ counts }: { counts: Record<DuesStatus, number> }) {
  const { t, i18n } = useTranslation();
  const number = numberFormat(i18n.language);
  return (
    <section className="status-tiles" aria-label={t('dues.dashboard.countsLabel')}>
      {TILE_ORDER.map((status) => (
        // A zero stays quiet: only the statuses that have members draw the eye.
        <div key={status} className={`status-tile status-${status}${counts[status] === 0 ? ' empty' : ''}`} data-testid={`status-tile-${status}`}>
          <div className="status-tile-count">{number.format(counts[status])}</div>
          <div className="status-tile-label">{t(`members.status.${status}`)}</div>
        </div>
      ))}
    </section>
  );
}
