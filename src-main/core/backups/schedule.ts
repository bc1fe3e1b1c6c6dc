// When a job is due, pure: daily at a local time, or every N hours, counted from the last attempt (a failed run waits
// for the next slot rather than retrying in a loop); and when its backups count as stale (older than twice that).
import type { BackupSchedule } from '../../contract';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The schedule's period, or null for manual jobs. */
export function periodMs(schedule: BackupSchedule): number | null {
  switch (schedule.kind) {
    case 'manual':
      return null;
    case 'daily':
      return DAY_MS;
    case 'interval':
      return schedule.hours * HOUR_MS;
  }
}

/** The latest daily slot at or before `now`, in the local time zone of this machine. */
function lastDailySlot(at: string, now: Date): Date {
  const [hours = 0, minutes = 0] = at.split(':').map(Number);
  const slot = new Date(now);
  slot.setHours(hours, minutes, 0, 0);
  if (slot.getTime() > now.getTime()) slot.setDate(slot.getDate() - 1);
  return slot;
}

/**
 * When the next run is due: `now` or earlier means now. `lastAttempt` is the start of the latest run of any outcome;
 * `since` (the job's creation) stands in for it before the first run.
 */
export function nextRunAt(schedule: BackupSchedule, lastAttempt: Date | null, since: Date, now: Date): Date | null {
  switch (schedule.kind) {
    case 'manual':
      return null;
    case 'interval':
      return lastAttempt === null ? now : new Date(lastAttempt.getTime() + schedule.hours * HOUR_MS);
    case 'daily': {
      const slot = lastDailySlot(schedule.at, now);
      const reference = lastAttempt ?? since;
      if (reference.getTime() < slot.getTime()) return slot;
      const next = new Date(slot);
      next.setDate(next.getDate() + 1);
      return next;
    }
  }
}

/** Drills: every `everyDays` days after the last one, once there is a backup to restore. */
export function nextDrillAt(everyDays: number | null, lastAttempt: Date | null, firstBackup: Date | null): Date | null {
  if (everyDays === null || firstBackup === null) return null;
  return lastAttempt === null ? firstBackup : new Date(lastAttempt.getTime() + everyDays * DAY_MS);
}

/** The last good backup (else the job's creation) is older than twice the schedule's period. */
export function isStale(schedule: BackupSchedule, lastSuccess: Date | null, since: Date, now: Date): boolean {
  const period = periodMs(schedule);
  return period !== null && now.getTime() - (lastSuccess ?? since).getTime() > 2 * period;
}
