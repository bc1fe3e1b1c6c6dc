import { useTranslation } from 'react-i18next';
import type { SyncDevice } from '../../../src-main/contract';
import { call } from '../../api/client';
import { toastError } from '../../api/errors';
import { ConfirmDialog } from '../../components/members/ConfirmDialog';
import { useSyncStore } from '../../stores/sync-store';
import { useToastStore } from '../../stores/toast-store';

/**
 * Removing a computer changes the team key: said before, plainly, with what every other volunteer then has to do.
 * Done, the page shows the new key sheet until it is confirmed, as after creating the team.
 */
export function RemoveDeviceDialog({ device, onClose }: { device: SyncDevice; onClose: () => void }) {
  const { t } = useTranslation();
  const push = useToastStore((s) => s.push);
  const name = device.volunteerName.trim();
  return (
    <ConfirmDialog
      title={name === '' ? t('sync.remove.titleUnnamed') : t('sync.remove.title', { name })}
      confirmLabel={t('sync.remove.confirm')}
      danger
      onCancel={onClose}
      onConfirm={async () => {
        const result = await call('sync.removeDevice', { node: device.node, keyFile: null });
        if (!result.ok) {
          toastError(result.error);
          return;
        }
        useSyncStore.setState({ sheet: result.value, sheetError: null });
        await useSyncStore.getState().load();
        push({ kind: 'success', title: t('sync.remove.done') });
        onClose();
      }}
    >
      <p>{t('sync.remove.what')}</p>
      <p>{t('sync.remove.sheet')}</p>
      <p className="muted">{t('sync.remove.offline')}</p>
    </ConfirmDialog>
  );
}
