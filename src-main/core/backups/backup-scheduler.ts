// Runs scheduled backups and restore drills while the app (or `pelote serve`) runs. A slot missed while the laptop
// was closed runs at the next start; a failed run waits for its next slot instead of retrying in a loop. The after
// commands a backup still owes (Pelote died mid-run, the server was unreachable) are tried first, at start and then
// on the ticks their spaced, capped retries fall on.
//
// In a team every laptop sees every job and counts from the team's runs (a backup made on another laptop is this
// job's last attempt here too, once synced). A laptop runs a job's schedule only if it can: a login for its server and
// the repository's password kept here (startBackup and startDrill refuse otherwise, before any run is recorded). Two
// laptops that both can, and are both on at the slot, both run it: keep a repository's password on the laptop that
// holds its disk. In a team, a laptop where the repository's folder is absent (the USB disk is on another laptop)
// leaves the slot to the others instead of recording a failure for everyone; alone, the failure is the reminder.
import { existsSync } from 'node:fs';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { teamRow } from '../sync/engine/team-clock';
import { JobsService } from './jobs-service';
import { operationsFor } from './operations';
import { RepositoriesService } from './repositories-service';
import { RunsStore } from './runs-store';
import { nextDrillAt, nextRunAt } from './schedule';

const TICK_MS = 30_000;

export interface BackupScheduler {
  /** Stops scheduling, cancels what runs (its after commands still run) and waits for it. */
  stop(): Promise<void>;
  /** One look at every job now (tests, and the first tick). */
  tick(): void;
}

export function startBackupScheduler(core: Core, options: { tickMs?: number } = {}): BackupScheduler {
  const ops = operationsFor(core);
  const jobs = new JobsService(core);
  const runs = new RunsStore(core);
  const repositories = new RepositoriesService(core);
  let stopped = false;

  const start = (what: () => unknown): void => {
    try {
      what();
    } catch (error) {
      // Already running (another process), deleted meanwhile, or not runnable on this laptop (a server or repository
      // of the team without this laptop's key or password): the next tick decides again.
      if (!(error instanceof CoreError)) console.error('[pelote] scheduled backup failed to start:', error);
    }
  };

  const tick = (): void => {
    if (stopped) return;
    // Before the jobs: a backup of the same job started below waits for them.
    ops.retryAfterCommands().catch((error: unknown) => console.error('[pelote] owed after commands could not be retried:', error));
    const now = core.clock.now();
    const inTeam = teamRow(core.db) !== undefined;
    for (const job of jobs.list()) {
      if (ops.isRunning(job.id)) continue;
      if (inTeam && !existsSync(repositories.get(job.repositoryId).path)) continue;
      const since = new Date(job.createdAt);
      const lastBackup = runs.lastAttemptAt(job.id, 'backup');
      const due = nextRunAt(job.schedule, lastBackup === null ? null : new Date(lastBackup), since, now);
      if (due !== null && due.getTime() <= now.getTime()) {
        start(() => ops.startBackup(job.id, 'schedule'));
        continue;
      }
      const lastGood = runs.last(job.id, 'backup', true);
      const lastDrill = runs.lastAttemptAt(job.id, 'drill');
      const drillDue = nextDrillAt(job.drill.everyDays, lastDrill === null ? null : new Date(lastDrill), lastGood?.finishedAt == null ? null : new Date(lastGood.finishedAt));
      if (drillDue !== null && drillDue.getTime() <= now.getTime()) start(() => ops.startDrill(job.id, null, 'schedule'));
    }
  };

  const timer = setInterval(tick, options.tickMs ?? TICK_MS);
  timer.unref();
  tick();
  return {
    tick,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await ops.stopAll();
    },
  };
}
