import type { ServerDetail } from '../../contract';
import type { Core } from '../core';
import type { HandlersFor } from '../handler-types';
import { checkStates } from './check-states';
import { testConnection } from './connection-test';
import { IncidentsService } from './incidents';
import { poolFor } from './pool-for-core';
import { ServersService } from './servers-service';
import { lastJudged, summarize } from './summary';
import { sweepServers } from './sweep';

type HealthMethod =
  | 'servers.list'
  | 'servers.get'
  | 'servers.create'
  | 'servers.update'
  | 'servers.delete'
  | 'servers.testConnection'
  | 'servers.acceptHostKey'
  | 'servers.setPassphrase'
  | 'servers.setMaintenance'
  | 'servers.updateRules'
  | 'health.sweep'
  | 'incidents.list'
  | 'incidents.acknowledge'
  | 'incidents.addNote';

export function healthHandlers(core: Core): HandlersFor<HealthMethod> {
  const servers = new ServersService(core);
  const incidents = new IncidentsService(core);
  const changed = (serverIds: string[]) => core.events.emit('health.updated', { serverIds });

  const detail = (id: string): ServerDetail => {
    const server = servers.get(id);
    return {
      server,
      summary: summarize(core, server, incidents.unresolvedCounts()),
      checks: checkStates(core, id, lastJudged(core, id)),
      incidents: incidents.list({ status: 'all', serverId: id }),
      rules: servers.rules(id),
    };
  };

  return {
    'servers.list': () => {
      const counts = incidents.unresolvedCounts();
      return servers.list().map((server) => summarize(core, server, counts));
    },
    'servers.get': ({ id }) => detail(id),
    'servers.create': ({ server }) => {
      const created = servers.create(server);
      changed([created.id]);
      return created;
    },
    'servers.update': async ({ id, server }) => {
      const updated = servers.update(id, server);
      // A new key, user or host reconnects anyway; closing also forgets a backoff the old settings earned.
      await poolFor(core).close(id);
      changed([id]);
      return updated;
    },
    'servers.delete': async ({ id }) => {
      const deleted = servers.delete(id);
      await poolFor(core).close(id);
      changed([id]);
      return deleted;
    },
    'servers.testConnection': ({ server, serverId, trustFingerprint }) => testConnection(core, server, serverId, trustFingerprint),
    'servers.acceptHostKey': async ({ id, fingerprint }) => {
      const server = servers.acceptHostKey(id, fingerprint);
      await poolFor(core).close(id);
      changed([id]);
      return server;
    },
    'servers.setPassphrase': async ({ id, passphrase }) => {
      servers.setPassphrase(id, passphrase);
      await poolFor(core).close(id);
      return null;
    },
    'servers.setMaintenance': ({ id, until }) => {
      const server = servers.setMaintenance(id, until);
      changed([id]);
      return server;
    },
    'servers.updateRules': ({ id, rules }) => servers.updateRules(id, rules),
    'health.sweep': ({ serverId }) => sweepServers(core, poolFor(core), serverId),
    'incidents.list': (filter) => incidents.list(filter),
    'incidents.acknowledge': ({ id }) => {
      const incident = incidents.acknowledge(id);
      changed([incident.serverId]);
      return incident;
    },
    'incidents.addNote': ({ id, text }) => incidents.addNote(id, text),
  };
}
