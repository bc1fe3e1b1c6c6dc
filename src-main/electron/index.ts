import { app, BrowserWindow } from 'electron';
import { startBackupScheduler } from '../core/backups/backup-scheduler';
import { openCore } from '../core/core';
import { createHandlers } from '../core/handlers';
import { closePoolFor, poolFor } from '../core/health/pool-for-core';
import { startHealthScheduler } from '../core/health/scheduler';
import { startMetricsExpiry } from '../core/metrics/expiry-scheduler';
import { startSyncScheduler } from '../core/sync/sync-scheduler';
import { APP_VERSION } from '../core/version';
import { saveWithDialog } from './adapters/dialogs';
import { openExternal } from './adapters/external-links';
import { notify } from './adapters/notifications';
import { secretBox } from './adapters/secrets';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { createMainWindow } from './window';

let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) app.quit();

app.on('second-instance', () => {
  if (mainWindow?.isMinimized()) mainWindow.restore();
  mainWindow?.focus();
});

void app.whenReady().then(() => {
  const core = openCore({
    dataDir: app.getPath('userData'),
    platform: {
      face: 'electron',
      appVersion: APP_VERSION,
      runtime: { name: 'electron', version: process.versions.electron },
      openExternal,
      notify,
      secrets: secretBox,
      saveFile: (name, bytes) => (mainWindow ? saveWithDialog(mainWindow, name, bytes) : Promise.resolve(null)),
    },
  });
  for (const fixed of core.modesFixed) console.warn(`[pelote] ${fixed.path} was readable by other accounts (mode ${fixed.was}); it is now private.`);
  installMenu();
  registerIpc(core, createHandlers(core), () => mainWindow);
  // Health checks run while the app is open; cron runs `pelote check` while it is closed.
  const health = startHealthScheduler(core, poolFor(core));
  const backups = startBackupScheduler(core);
  const metricsExpiry = startMetricsExpiry(core);
  const sync = startSyncScheduler(core);
  mainWindow = createMainWindow();
  mainWindow.on('closed', () => (mainWindow = null));

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow();
  });
  app.on('will-quit', (event) => {
    // Close the SSH connections before the database: quitting waits for that, once.
    event.preventDefault();
    health.stop();
    metricsExpiry.stop();
    // Running backups are cancelled first: their after commands (maintenance mode off) still run.
    void Promise.all([backups.stop(), sync.stop()]).then(() => closePoolFor(core)).finally(() => {
      core.close();
      app.exit();
    });
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
