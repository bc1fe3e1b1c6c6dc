import { CoreError } from '../errors';
import type { Db } from './open';

/** How long a write waits for another process (the app, cron, the CLI) to release the database before giving up. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * The one way the core writes: `BEGIN IMMEDIATE` takes the write lock before the first read, so a transaction that
 * reads then writes waits (up to the busy timeout) for another process's writer instead of failing at once with
 * SQLITE_BUSY, as a deferred `BEGIN` does whatever the timeout says. Nested calls become savepoints.
 */
export function writeTransaction<T>(db: Db, work: () => T): T {
  try {
    return db.transaction(work).immediate();
  } catch (error) {
    throw busyAsCoreError(error);
  }
}

const isBusy = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(error.code);

/** SQLITE_BUSY after the timeout becomes `db_busy`, which every face explains; anything else passes unchanged. */
export function busyAsCoreError(error: unknown): unknown {
  if (!isBusy(error)) return error;
  return new CoreError(
    'db_busy',
    `The database is in use by another Pelote process (the app, the CLI or a cron job) and stayed locked for ${BUSY_TIMEOUT_MS / 1000} s; try again.`,
    { seconds: BUSY_TIMEOUT_MS / 1000 },
  );
}
