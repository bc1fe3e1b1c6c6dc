// A job with what the screens and the CLI show next to it: its last and running runs, freshness, what comes next.
import type { BackupJob, BackupJobSummary } from '../../contract';
import type { Core } from '../core';
import { RunsStore } from './runs-store';
import { isStale, nextDrillAt, nextRunAt } from './schedule';

const date = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));

export function summarizeJob(core: Core, job: BackupJob): BackupJobSummary {
  const runs = new RunsStore(core);
  const now = core.clock.now();
  const lastSuccessAt = runs.last(job.id, 'backup', true)?.finishedAt ?? null;
  const firstBackup = core.db.prepare(`select min(finished_at) from backup_runs where job_id = ? and kind = 'backup' and status = 'succeeded'`).pluck().get(job.id) as string | null;
  const since = new Date(job.createdAt);
  const name = (table: 'servers' | 'backup_repositories', id: string): string => (core.db.prepare(`select name from ${table} where id = ?`).pluck().get(id) as string | undefined) ?? '';
  return {
    job,
    serverName: name('servers', job.serverId),
    repositoryName: name('backup_repositories', job.repositoryId),
    lastRun: runs.list({ jobId: job.id, serverId: null, kind: null, status: 'all', limit: 1 })[0] ?? null,
    running: runs.running(job.id),
    lastSuccessAt,
    lastVerifiedAt: runs.last(job.id, 'drill', true)?.finishedAt ?? null,
    nextRunAt: nextRunAt(job.schedule, date(runs.lastAttemptAt(job.id, 'backup')), since, now)?.toISOString() ?? null,
    nextDrillAt: nextDrillAt(job.drill.everyDays, date(runs.lastAttemptAt(job.id, 'drill')), date(firstBackup))?.toISOString() ?? null,
    freshness:
      job.schedule.kind === 'manual' ? 'manual' : isStale(job.schedule, date(lastSuccessAt), since, now) ? 'stale' : lastSuccessAt === null ? 'never' : 'ok',
  };
}
