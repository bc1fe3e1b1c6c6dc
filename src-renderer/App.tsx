import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { HashRouter, Navigate, Route, Routes } from 'react-router';
import { isElectron, onEvent } from './api/client';
import { errorMessage } from './api/errors';
import { Shell } from './components/Shell';
import { useIncidentNotifications } from './components/servers/useIncidentNotifications';
import { Toasts } from './components/Toasts';
import { AboutPage } from './pages/AboutPage';
import { BackupsPage } from './pages/backups/BackupsPage';
import { ChannelFormPage } from './pages/channels/ChannelFormPage';
import { ChannelsPage } from './pages/channels/ChannelsPage';
import { JobFormPage } from './pages/backups/JobFormPage';
import { JobPage } from './pages/backups/JobPage';
import { RecoverySheetPage } from './pages/backups/RecoverySheetPage';
import { RestorePage } from './pages/backups/RestorePage';
import { RunPage } from './pages/backups/RunPage';
import { SnapshotPage } from './pages/backups/SnapshotPage';
import { DuesPage } from './pages/dues/DuesPage';
import { ImportPage } from './pages/dues/ImportPage';
import { IncidentsPage } from './pages/incidents/IncidentsPage';
import { MemberFormPage } from './pages/members/MemberFormPage';
import { MemberPage } from './pages/members/MemberPage';
import { MembersPage } from './pages/members/MembersPage';
import { ServerFormPage } from './pages/servers/ServerFormPage';
import { ServerPage } from './pages/servers/ServerPage';
import { ServersPage } from './pages/servers/ServersPage';
import { SettingsPage } from './pages/SettingsPage';
import { SetupPage } from './pages/SetupPage';
import { SyncPage } from './pages/sync/SyncPage';
import { useSettingsStore } from './stores/settings-store';
import { useToastStore } from './stores/toast-store';

/** The browser host has no native notifications: use the Web Notification API when allowed, else a toast. */
function useHostNotifications() {
  useEffect(
    () =>
      onEvent('app.notification', ({ title, body }) => {
        if (!isElectron && 'Notification' in window && Notification.permission === 'granted') new Notification(title, { body });
        else useToastStore.getState().push({ kind: 'info', title, body });
      }),
    [],
  );
}

function Content() {
  const { t } = useTranslation();
  const { settings, loadError, load } = useSettingsStore();
  useEffect(() => {
    void load();
  }, [load]);

  if (loadError) {
    return (
      <div className="fatal">
        <div className="card" role="alert">
          <h2>{loadError.code === 'no_access_key' ? t('errors.noAccessKeyTitle') : t('errors.cannotStart')}</h2>
          <p>{errorMessage(loadError)}</p>
        </div>
      </div>
    );
  }
  if (!settings) return <div className="loading">{t('common.loading')}</div>;
  if (!settings.setupComplete) return <SetupPage />;
  return (
    <Shell>
      <Routes>
        <Route path="/" element={<Navigate to="/members" replace />} />
        <Route path="/members" element={<MembersPage />} />
        <Route path="/members/new" element={<MemberFormPage />} />
        <Route path="/members/:id" element={<MemberPage />} />
        <Route path="/members/:id/edit" element={<MemberFormPage />} />
        <Route path="/dues" element={<DuesPage />} />
        <Route path="/dues/import" element={<ImportPage />} />
        <Route path="/servers" element={<ServersPage />} />
        <Route path="/servers/new" element={<ServerFormPage />} />
        <Route path="/servers/:id" element={<ServerPage />} />
        <Route path="/servers/:id/edit" element={<ServerFormPage />} />
        <Route path="/backups" element={<BackupsPage />} />
        <Route path="/backups/jobs/new" element={<JobFormPage />} />
        <Route path="/backups/jobs/:id" element={<JobPage />} />
        <Route path="/backups/jobs/:id/edit" element={<JobFormPage />} />
        <Route path="/backups/runs/:id" element={<RunPage />} />
        <Route path="/backups/restore" element={<RestorePage />} />
        <Route path="/backups/repositories/:id/recovery-sheet" element={<RecoverySheetPage />} />
        <Route path="/backups/repositories/:repositoryId/snapshots/:snapshotId" element={<SnapshotPage />} />
        <Route path="/incidents" element={<IncidentsPage />} />
        <Route path="/settings" element={<SettingsPage />} />
        <Route path="/settings/sync" element={<SyncPage />} />
        <Route path="/settings/notifications" element={<ChannelsPage />} />
        <Route path="/settings/notifications/new" element={<ChannelFormPage />} />
        <Route path="/settings/notifications/:id/edit" element={<ChannelFormPage />} />
        <Route path="/about" element={<AboutPage />} />
        <Route path="*" element={<Navigate to="/members" replace />} />
      </Routes>
    </Shell>
  );
}

export function App() {
  useHostNotifications();
  useIncidentNotifications();
  return (
    <HashRouter>
      <Content />
      <Toasts />
    </HashRouter>
  );
}
