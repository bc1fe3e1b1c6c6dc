// Runs scheduled backups and restore drills while the app (or `pelote serve`) runs. A slot missed while the laptop
// was closed runs at the next start; a failed run waits for its next slot instead of retrying in a loop. The after
// commands a backup still owes (Pelote died mid-run, the server was unreachable) are tried first, at start and then
// on the ticks their spaced, capped retries fall on.
import type { Core } from '../core';
import { CoreError } from '../errors';
import { JobsService } from './jobs-service';
import { operationsFor } from './operations';
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
  let stopped = false;

  const start = (what: () => unknown): void => {
    try {
      what();
    } catch (error) {
      // Already running (another process), or deleted meanwhile: the next tick decides again.
      if (!(error instanceof CoreError)) console.error('[pelote] scheduled backup failed to start:', error);
    }
  };

  const tick = (): void => {
    if (stopped) return;
    // Before the jobs: a backup of the same job started below waits for them.
    ops.retryAfterCommands().catch((error: unknown) => console.error('[pelote] owed after commands could not be retried:', error));
    const now = core.clock.now();
    for (const job of jobs.list()) {
      if (ops.isRunning(job.id)) continue;
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
