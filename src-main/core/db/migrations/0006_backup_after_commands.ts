import type { Migration } from '../migrate';

/**
 * Whether a backup's after commands (maintenance mode off…) ran: a Pelote that dies mid-backup leaves them undone, and
 * the next start runs them. The run keeps the commands it owes, copied from the job when its before commands began.
 */
export const backupAfterCommands: Migration = {
  version: 6,
  name: 'backup_after_commands',
  sql: `
    -- NULL: not a backup, or a run from before this was tracked. 'pending': owed (running, or to retry).
    ALTER TABLE backup_runs ADD COLUMN after_state TEXT CHECK (after_state IS NULL OR after_state IN ('pending', 'ran', 'failed', 'not_needed'));
    ALTER TABLE backup_runs ADD COLUMN after_commands TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(after_commands));
    -- Attempts at them (the run's own included) and when the last one began: retries are spaced and capped.
    ALTER TABLE backup_runs ADD COLUMN after_attempts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE backup_runs ADD COLUMN after_tried_at TEXT;

    -- A Pelote older than this one may have died mid-backup with maintenance mode on: each job's latest backup, when it
    -- was left running or interrupted past its start, owes the job's after commands.
    UPDATE backup_runs SET after_state = 'pending', after_commands = json_extract((SELECT spec FROM backup_jobs j WHERE j.id = backup_runs.job_id), '$.afterCommands')
    WHERE kind = 'backup' AND status IN ('running', 'interrupted') AND stage <> 'starting'
      AND json_array_length((SELECT spec FROM backup_jobs j WHERE j.id = backup_runs.job_id), '$.afterCommands') > 0
      AND started_at = (SELECT max(started_at) FROM backup_runs r WHERE r.job_id = backup_runs.job_id AND r.kind = 'backup');
    CREATE INDEX backup_runs_by_after_state ON backup_runs (after_state) WHERE after_state IN ('pending', 'failed');
  `,
};
