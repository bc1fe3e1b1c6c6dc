// While the app or `pelote serve` runs: a sync at start, another a second after a change made here, and a look for
// the other laptops' new segments every two seconds (one listing per device; see nothingToDo). Offline is normal: a failed
// sync is recorded in the status and tried again at the next tick, never raised.
import type { Core } from '../core';
import { syncNow } from './team-sync';
import { teamRow } from './engine/team-clock';

const EVERY_MS = 2_000;
/** A change waits this long for the ones that usually follow it (an import, a form saved twice). */
const AFTER_CHANGE_MS = 1_000;

export function startSyncScheduler(core: Core, options: { everyMs?: number } = {}): { stop(): Promise<void> } {
  let stopped = false;
  let inFlight: Promise<unknown> = Promise.resolve();
  let lastWaiting = 0;
  let changedAt: number | null = null;
  const tick = (force: boolean): void => {
    if (stopped || !teamRow(core.db)) return;
    const waiting = core.db.prepare('select count(*) from sync_outbox').pluck().get() as number;
    if (waiting > lastWaiting) changedAt ??= Date.now();
    lastWaiting = waiting;
    const settled = changedAt !== null && Date.now() - changedAt >= AFTER_CHANGE_MS;
    if (!force && !settled) return;
    changedAt = null;
    // Errors are in the status; a closed database (quitting) ends here quietly.
    inFlight = syncNow(core).catch(() => undefined);
  };
  const first = setTimeout(() => tick(true), 0);
  const timer = setInterval(() => tick(true), options.everyMs ?? EVERY_MS);
  const changes = setInterval(() => tick(false), 250);
  for (const t of [first, timer, changes]) t.unref();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      clearInterval(changes);
      await inFlight;
    },
  };
}
