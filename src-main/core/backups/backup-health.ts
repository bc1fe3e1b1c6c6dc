// Backup freshness and restore drills as health observations, judged from the runs this laptop holds: its own, and in
// a team every other laptop's.
import type { Core } from '../core';
import type { Observation, RuleSettings } from '../health/rules';
import { JobsService } from './jobs-service';
import { RunsStore } from './runs-store';
import { isStale, periodMs } from './schedule';

const DAY_MS = 24 * 3_600_000;
const DEFAULT_UNVERIFIED_DAYS = 8;

/**
 * `backup_stale` and `restore_unverified` observations for one server's backup jobs, one per job (`subject` = job
 * id). A job never run counts from its creation, so a new job does not alert at once.
 */
export function backupObservations(core: Core, serverId: string, rules: RuleSettings, now: Date): Observation[] {
  const runs = new RunsStore(core);
  const out: Observation[] = [];
  for (const job of new JobsService(core).list(serverId)) {
    const since = new Date(job.createdAt);
    const period = periodMs(job.schedule);
    if (period !== null) {
      const lastSuccess = runs.last(job.id, 'backup', true)?.finishedAt ?? null;
      const stale = isStale(job.schedule, lastSuccess === null ? null : new Date(lastSuccess), since, now);
      out.push({
        ruleId: 'backup_stale',
        subject: job.id,
        serviceId: null,
        failing: stale,
        value: { jobId: job.id, jobName: job.name, lastSuccessAt: lastSuccess, maxAgeHours: (2 * period) / 3_600_000 },
        errorCode: stale ? (lastSuccess === null ? 'backup_never_succeeded' : 'backup_stale') : null,
      });
    }
    const days = rules.restore_unverified.threshold ?? DEFAULT_UNVERIFIED_DAYS;
    const lastVerified = runs.last(job.id, 'drill', true)?.finishedAt ?? null;
    const unverified = now.getTime() - new Date(lastVerified ?? job.createdAt).getTime() > days * DAY_MS;
    out.push({
      ruleId: 'restore_unverified',
      subject: job.id,
      serviceId: null,
      failing: unverified,
      value: { jobId: job.id, jobName: job.name, lastVerifiedAt: lastVerified, maxAgeDays: days },
      errorCode: unverified ? 'restore_unverified' : null,
    });
  }
  return out;
}
