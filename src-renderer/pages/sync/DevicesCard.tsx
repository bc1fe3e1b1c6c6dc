import { UserX } from 'lucide-react';
import type { ReactNode } from 'react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncDevice, SyncStatus } from '../../../src-main/contract';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../components/members/format';
import { useAppInfoStore } from '../../stores/app-info-store';
import { useSettingsStore } from '../../stores/settings-store';
import { RemoveDeviceDialog } from './RemoveDeviceDialog';
import { isOfflineError, relativeTime } from './sync-format';

/** This computer first, then every other one that has written to the team folder, with what keeps its changes out. */
export function DevicesCard({ status, now }: { status: SyncStatus; now: number }) {
  const { t, i18n } = useTranslation();
  const volunteerName = useSettingsStore((s) => s.settings?.volunteerName ?? '');
  const info = useAppInfoStore((s) => s.info);
  const [removing, setRemoving] = useState<SyncDevice | null>(null);
  const loadInfo = useAppInfoStore((s) => s.load);
  useEffect(() => {
    if (!info) void loadInfo();
  }, [info, loadInfo]);

  const language = i18n.language;
  const seen = (iso: string | null) =>
    iso ? (
      <span title={formatDateTime(iso, language)}>{relativeTime(iso, now, language) ?? t('sync.time.justNow')}</span>
    ) : (
      <span className="muted">{t('sync.devices.neverSeen')}</span>
    );
  const name = (text: string) => (text.trim() === '' ? <span className="muted">{t('sync.devices.unnamed')}</span> : text);

  return (
    <section className="card" data-testid="sync-devices">
      <h2 className="card-title">{t('sync.devices.title')}</h2>
      <div className="table-wrap">
        <table className="data-table sync-devices-table">
          <thead>
            <tr>
              <th>{t('sync.devices.volunteer')}</th>
              <th>{t('sync.devices.version')}</th>
              <th>{t('sync.devices.lastSeen')}</th>
              <th>{t('sync.devices.state')}</th>
              <th>
                <span className="sr-only">{t('sync.devices.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <tr className="sync-device-self" data-testid="sync-device-self">
              <td>
                <span className="sync-device-name">{name(volunteerName)}</span>
                <span className="tag sync-self-tag">{t('sync.devices.thisComputer')}</span>
              </td>
              <td className="mono">{info?.appVersion ?? ''}</td>
              <td>{seen(status.lastSyncAt)}</td>
              <td>
                {/* Why is said once, above the tiles: here only the state. */}
                {status.lastError ? (
                  <span className="check-badge sync-away">{t(isOfflineError(status.lastError.code) ? 'sync.devices.offline' : 'sync.devices.paused')}</span>
                ) : (
                  <span className="check-badge sync-ok">{t('sync.devices.ok')}</span>
                )}
              </td>
              <td />
            </tr>
            {status.devices.map((device) => (
              <DeviceRow
                key={device.node}
                device={device}
                name={name(device.volunteerName)}
                seen={seen(device.lastSeenAt)}
                onRemove={() => setRemoving(device)}
              />
            ))}
          </tbody>
        </table>
      </div>
      {status.devices.length === 0 ? (
        <p className="muted sync-devices-empty" data-testid="sync-devices-empty">
          {t('sync.devices.empty')}
        </p>
      ) : null}
      {removing ? <RemoveDeviceDialog device={removing} onClose={() => setRemoving(null)} /> : null}
    </section>
  );
}

function DeviceRow({ device, name, seen, onRemove }: { device: SyncDevice; name: ReactNode; seen: ReactNode; onRemove: () => void }) {
  const { t } = useTranslation();
  return (
    <tr data-testid="sync-device" data-node={device.node}>
      <td>
        <span className="sync-device-name">{name}</span>
      </td>
      <td className="mono">{device.appVersion}</td>
      <td>{seen}</td>
      <td>
        {device.problem ? (
          <span className="sync-problem" data-testid="sync-device-problem">
            {errorMessage({ code: device.problem.code, message: '', details: device.problem.details })}
          </span>
        ) : (
          <span className="check-badge sync-ok">{t('sync.devices.ok')}</span>
        )}
      </td>
      <td className="sync-device-actions">
        <button
          className="button small"
          type="button"
          onClick={onRemove}
          aria-label={t('sync.devices.removeLabel', { name: device.volunteerName || device.node })}
          data-testid="sync-device-remove"
        >
          <UserX size={14} aria-hidden />
          {t('sync.devices.remove')}
        </button>
      </td>
    </tr>
  );
}
