/** Backups' figures and groupings in the UI language; bytes, rates and durations come from the shared helpers. */
import type { TFunction } from 'i18next';
import type { BackupRunSummary, BackupSchedule, BackupSnapshot, RestorePlan, Retention } from '../../../src-main/contract';
import { formatDuration } from '../servers/figures';

/** Done over total as 0…1, or null when the total is unknown (the bar then shows activity, not a share). */
export function progressFraction(done: number, total: number | null): number | null {
  if (total === null || total <= 0) return null;
  return Math.min(1, Math.max(0, done / total));
}

/** How long a run took, or has been running. */
export function runDurationMs(run: Pick<BackupRunSummary, 'durationMs' | 'startedAt' | 'finishedAt'>, now: number): number {
  if (run.durationMs !== null) return run.durationMs;
  const end = run.finishedAt ? new Date(run.finishedAt).getTime() : now;
  return Math.max(0, end - new Date(run.startedAt).getTime());
}

/** "about 3 min" left: seconds as the two largest units. */
export const formatEta = (seconds: number, language: string): string => formatDuration(Math.max(0, seconds) * 1000, language);

export function scheduleText(schedule: BackupSchedule, t: TFunction): string {
  switch (schedule.kind) {
    case 'manual':
      return t('backups.schedule.manual');
    case 'daily':
      return t('backups.schedule.dailyAt', { time: schedule.at });
    case 'interval':
      return t('backups.schedule.everyHours', { count: schedule.hours });
  }
}

/** "3 last · 7 daily · 4 weekly · 6 monthly", or "everything" when nothing is ever forgotten. */
export function retentionText(retention: Retention, t: TFunction): string {
  const parts = (['keepLast', 'keepDaily', 'keepWeekly', 'keepMonthly'] as const)
    .filter((key) => retention[key] > 0)
    .map((key) => t(`backups.retention.short.${key}`, { count: retention[key] }));
  return parts.length > 0 ? parts.join(' · ') : t('backups.retention.everything');
}

/** The snapshots one run made (a files snapshot and its dumps) restore together. */
export interface SnapshotGroup {
  /** The run's id, or the snapshot's own id for those another laptop made. */
  key: string;
  /** The earliest snapshot time of the group. */
  time: string;
  jobId: string | null;
  jobName: string | null;
  serverName: string | null;
  hostname: string;
  snapshots: BackupSnapshot[];
  /** Bytes of the stored streams, when all are known. */
  size: number | null;
}

/**
 * Snapshots grouped by the run that made them, newest group first; inside a group, files before dumps. Snapshots
 * of an attached repository (no run) each stand alone.
 */
export function groupSnapshots(snapshots: readonly BackupSnapshot[]): SnapshotGroup[] {
  const groups = new Map<string, BackupSnapshot[]>();
  for (const snapshot of snapshots) {
    const key = snapshot.runId ?? snapshot.id;
    groups.set(key, [...(groups.get(key) ?? []), snapshot]);
  }
  const kindRank = { files: 0, dump: 1, other: 2 } as const;
  return [...groups.entries()]
    .map(([key, members]) => {
      const sorted = [...members].sort((a, b) => kindRank[a.kind] - kindRank[b.kind] || (a.dumpName ?? '').localeCompare(b.dumpName ?? ''));
      const first = sorted[0] as BackupSnapshot;
      const time = members.map((s) => s.time).sort()[0] ?? first.time;
      const sizes = members.map((s) => s.size);
      const size = sizes.every((s): s is number => s !== null) ? sizes.reduce((sum, s) => sum + s, 0) : null;
      return { key, time, jobId: first.jobId, jobName: first.jobName, serverName: first.serverName, hostname: first.hostname, snapshots: sorted, size };
    })
    .sort((a, b) => b.time.localeCompare(a.time));
}

/** What `restore.start` needs in `confirm`: the server and exactly the paths the plan overwrites; null when none. */
export function restoreConfirmation(plan: Pick<RestorePlan, 'serverId' | 'overwrites'>): { serverId: string; paths: string[] } | null {
  return plan.overwrites.length === 0 ? null : { serverId: plan.serverId, paths: [...plan.overwrites] };
}

/** The bytes of a UTF-8 text as base64: a file the renderer makes itself (the recovery sheet as text). */
export function textToBase64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The password in groups of four, easier to copy by hand from paper; the groups join back into the password. */
export function groupPassword(password: string, size = 4): string[] {
  const groups: string[] = [];
  for (let i = 0; i < password.length; i += size) groups.push(password.slice(i, i + size));
  return groups;
}
