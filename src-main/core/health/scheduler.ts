// Sweeps every server on its own interval while the app (or `pelote serve`) runs: first sweeps staggered across the
// interval so servers are not all probed in the same second, never two sweeps of one server at once, and a quick
// confirming sweep after a first failure so that "2 failures in a row" alerts within a minute, not two intervals.
import type { Server, ServerSummary } from '../../contract';
import type { Core } from '../core';
import type { SshPool } from '../ssh';
import { hasPendingFailures } from './check-states';
import { ServersService } from './servers-service';
import { sweepServer, sweepServers, type SweepOptions } from './sweep';

/** How soon a failing check is looked at again: at most the server's interval. */
const CONFIRM_AFTER_MS = 10_000;
const TICK_MS = 1_000;

export interface SchedulerOptions {
  now?: () => number;
  /** Test seam: the interval of a server, default its `sweepIntervalSeconds`. */
  intervalMsOf?: (server: Server) => number;
  confirmAfterMs?: number;
  tickMs?: number;
  sweep?: SweepOptions;
}

export interface HealthScheduler {
  stop(): void;
  /** Sweeps one server (or all) now; the next scheduled sweep then counts from now. */
  sweepNow(serverId: string | null): Promise<ServerSummary[]>;
}

export function startHealthScheduler(core: Core, pool: SshPool, options: SchedulerOptions = {}): HealthScheduler {
  const now = options.now ?? Date.now;
  const intervalOf = options.intervalMsOf ?? ((s: Server) => s.sweepIntervalSeconds * 1000);
  const confirmAfter = options.confirmAfterMs ?? CONFIRM_AFTER_MS;
  const servers = new ServersService(core);
  const due = new Map<string, number>();
  const running = new Set<string>();
  let stopped = false;
  let first = true;

  const plan = (server: Server, from: number): void => {
    const interval = intervalOf(server);
    due.set(server.id, from + (hasPendingFailures(core, server.id) ? Math.min(confirmAfter, interval) : interval));
  };

  const sweep = (server: Server): void => {
    running.add(server.id);
    const started = now();
    sweepServer(core, pool, server.id, options.sweep ?? {})
      .catch(() => undefined) // deleted meanwhile, or a database error: the next tick decides again
      .finally(() => {
        running.delete(server.id);
        if (!stopped) plan(server, started);
      });
  };

  const tick = (): void => {
    if (stopped) return;
    const live = servers.list();
    const at = now();
    live.forEach((server, i) => {
      // At start-up, spread the first sweeps over the interval; a server added later is swept at once.
      if (!due.has(server.id)) due.set(server.id, first ? at + Math.floor((i * intervalOf(server)) / live.length) : at);
    });
    first = false;
    const liveIds = new Set(live.map((s) => s.id));
    for (const id of due.keys()) if (!liveIds.has(id)) due.delete(id);
    for (const server of live) {
      if (!running.has(server.id) && (due.get(server.id) ?? 0) <= at) sweep(server);
    }
  };

  const timer = setInterval(tick, options.tickMs ?? TICK_MS);
  timer.unref(); // never what keeps a process alive: the app or the server does
  tick();

  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
    sweepNow: async (serverId) => {
      const started = now();
      const summaries = await sweepServers(core, pool, serverId, options.sweep ?? {});
      if (!stopped) for (const s of summaries) plan(servers.get(s.id), started);
      return summaries;
    },
  };
}
