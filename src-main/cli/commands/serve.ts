import { join } from 'node:path';
import { startBackupScheduler } from '../../core/backups/backup-scheduler';
import { createHandlers } from '../../core/handlers';
import { closePoolFor, poolFor } from '../../core/health/pool-for-core';
import { startHealthScheduler } from '../../core/health/scheduler';
import { startMetricsExpiry } from '../../core/metrics/expiry-scheduler';
import { startHost } from '../../host/host-server';
import { keepServing } from '../../host/keep-serving';
import { startSyncScheduler } from '../../core/sync/sync-scheduler';
import { openCliCore } from '../open-cli-core';
import type { CliContext } from '../io';
import { output, UsageError } from '../io';

/** The built renderer sits next to the bundled CLI: out/main/cli.js → out/renderer. */
const RENDERER_DIR = join(__dirname, '..', 'renderer');

export async function serveCommand(ctx: CliContext, args: string[]): Promise<void> {
  const portFlag = args.indexOf('--port');
  const port = portFlag >= 0 ? Number(args[portFlag + 1]) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port needs a number between 0 and 65535');

  const core = openCliCore(ctx, 'host');
  const host = await startHost({ core, handlers: createHandlers(core), staticDir: RENDERER_DIR, port });
  const health = startHealthScheduler(core, poolFor(core));
  const metricsExpiry = startMetricsExpiry(core);
  const backups = startBackupScheduler(core);
  const sync = startSyncScheduler(core);
  // From here on a fault is logged and the host serves on; failing to start above still ends the command.
  const unguard = keepServing(ctx.io.stderr);
  output(ctx, { url: host.url, port: host.port, dataDir: ctx.dataDir }, () =>
    [`Pelote is served at ${host.url}`, `Data directory: ${ctx.dataDir}`, 'Press Ctrl+C to stop.'].join('\n'),
  );
  await ctx.io.stopSignal();
  health.stop();
  metricsExpiry.stop();
  await backups.stop();
  await sync.stop();
  await host.close();
  await closePoolFor(core);
  core.close();
  unguard();
}
