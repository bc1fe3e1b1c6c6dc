import type { SeriesInfo, Server } from '../../contract';
import { METRICS } from '../../contract/metrics';
import type { Core } from '../core';
import type { HandlersFor } from '../handler-types';
import { ServersService } from '../health/servers-service';
import { diskForecasts } from './forecast';
import { queryMetrics, type QueryContext } from './query';
import { loadRetention, saveRetention } from './retention';
import { isMetricName, seriesOf, serverNum } from './series-catalog';
import { sparklineOf } from './sparklines';

type MetricsMethod = 'metrics.series' | 'metrics.query' | 'metrics.forecast' | 'metrics.sparklines' | 'metrics.getRetention' | 'metrics.setRetention';

export function metricsHandlers(core: Core): HandlersFor<MetricsMethod> {
  const servers = new ServersService(core);
  // History stays readable after a server is deleted (the incident review still wants it): `get`, not `getLive`.
  const contextOf = (server: Pick<Server, 'sweepIntervalSeconds'>, retention = loadRetention(core)): QueryContext => ({
    nowMs: core.clock.now().getTime(),
    retention,
    sweepIntervalMs: server.sweepIntervalSeconds * 1000,
  });
  return {
    'metrics.series': ({ serverId }) => {
      servers.get(serverId);
      const num = serverNum(core.db, serverId);
      if (num === null) return [];
      return seriesOf(core.db, num)
        .filter((s) => isMetricName(s.metric))
        .map((s): SeriesInfo => ({ key: s.key, metric: s.metric, subject: s.subject, unit: METRICS[s.metric] }));
    },
    'metrics.query': (query) => queryMetrics(core.db, query, contextOf(servers.get(query.serverId))),
    'metrics.forecast': ({ serverId }) => {
      servers.get(serverId);
      return diskForecasts(core.db, serverId, core.clock.now().getTime());
    },
    'metrics.sparklines': ({ hours, points }) => {
      const to = core.clock.now().getTime();
      const from = to - hours * 3_600_000;
      // One read of the retention for the whole fleet; each server's own interval decides its gaps.
      const retention = loadRetention(core);
      return servers.list().map((server) => sparklineOf(core.db, server.id, from, to, points, contextOf(server, retention)));
    },
    'metrics.getRetention': () => loadRetention(core),
    'metrics.setRetention': (retention) => saveRetention(core, retention),
  };
}
