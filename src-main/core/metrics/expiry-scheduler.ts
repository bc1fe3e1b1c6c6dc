// Expires old metrics while the app (or `pelote serve`) runs: soon after start, then every few minutes, in batches.
import type { Core } from '../core';
import { expireAll } from './expiry';
import { loadRetention } from './retention';

const FIRST_RUN_MS = 30_000;
const EVERY_MS = 10 * 60_000;

export function startMetricsExpiry(core: Core, options: { firstRunMs?: number; everyMs?: number } = {}): { stop(): void } {
  let stopped = false;
  let running = false;
  const run = (): void => {
    if (stopped || running) return;
    running = true;
    expireAll(core.db, () => loadRetention(core), () => core.clock.now().getTime())
      .catch(() => undefined) // the database closed meanwhile: the next run tries again
      .finally(() => (running = false));
  };
  const first = setTimeout(run, options.firstRunMs ?? FIRST_RUN_MS);
  const timer = setInterval(run, options.everyMs ?? EVERY_MS);
  first.unref();
  timer.unref();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
