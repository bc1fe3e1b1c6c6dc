import type { LucideIcon } from 'lucide-react';
import { CloudAlert, CloudCheck, CloudOff, CloudUpload, KeyRound } from 'lucide-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { errorMessage } from '../../api/errors';
import { useNow } from '../../components/servers/use-now';
import { useSyncStore } from '../../stores/sync-store';
import '../../styles/sync.css';
import type { IndicatorState } from './sync-format';
import { indicatorState, relativeTime } from './sync-format';

const ICONS: Record<Exclude<IndicatorState['kind'], 'hidden'>, LucideIcon> = {
  offline: CloudOff,
  problem: CloudAlert,
  sheet: KeyRound,
  rekey: KeyRound,
  waiting: CloudUpload,
  synced: CloudCheck,
  never: CloudUpload,
};

/** The shell's small word on team sync: nothing outside a team; else one state, calm when offline, linking to the page. */
export function SyncIndicator() {
  const { t, i18n } = useTranslation();
  const status = useSyncStore((s) => s.status);
  const load = useSyncStore((s) => s.load);
  const now = useNow(30_000);
  useEffect(() => {
    void load();
  }, [load]);

  const state = indicatorState(status);
  if (state.kind === 'hidden') return null;
  const when = (iso: string | null) => (iso ? (relativeTime(iso, now, i18n.language) ?? t('sync.time.justNow')) : null);

  let title: string;
  let detail: string;
  switch (state.kind) {
    case 'offline':
    case 'problem': {
      const last = when(state.lastSyncAt);
      title = t(`sync.indicator.${state.kind}`);
      detail = last ? t('sync.indicator.offlineDetail', { when: last }) : t('sync.indicator.offlineNever');
      break;
    }
    case 'sheet':
      title = t('sync.indicator.sheet');
      detail = t('sync.indicator.sheetDetail');
      break;
    case 'rekey':
      title = t('sync.indicator.rekey');
      detail = t('sync.indicator.rekeyDetail');
      break;
    case 'waiting':
      title = t('sync.indicator.waiting', { count: state.count });
      detail = t('sync.indicator.waitingDetail');
      break;
    case 'synced':
      title = t('sync.indicator.synced');
      detail = when(state.at) ?? '';
      break;
    case 'never':
      title = t('sync.indicator.never');
      detail = '';
      break;
  }
  const Icon = ICONS[state.kind];
  // The reason stays one hover away: never a stream of errors in the shell.
  const hover = status?.lastError ? errorMessage(status.lastError) : undefined;
  return (
    <NavLink
      to="/settings/sync"
      className={`sync-indicator sync-indicator-${state.kind}`}
      data-testid="sync-indicator"
      data-state={state.kind}
      title={hover}
      aria-label={detail ? t('sync.indicator.labelDetail', { title, detail }) : t('sync.indicator.label', { title })}
    >
      <Icon size={18} className="sync-indicator-icon" aria-hidden />
      <span className="sync-indicator-text">
        <span className="sync-indicator-title">{title}</span>
        {detail ? <span className="sync-indicator-detail">{detail}</span> : null}
      </span>
    </NavLink>
  );
}
