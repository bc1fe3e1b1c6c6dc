import { create } from 'zustand';
import type { ApiError, Incident, Result, RuleId, RuleSetting, ServerDetail, ServerSummary } from '../../src-main/contract';
import { call, onEvent } from '../api/client';
import { toastError } from '../api/errors';

export type IncidentFilter = 'open' | 'all';

interface ServersState {
  /** The fleet overview; null until the first answer. */
  fleet: ServerSummary[] | null;
  detail: ServerDetail | null;
  detailError: ApiError | null;
  incidents: Incident[] | null;
  incidentFilter: IncidentFilter;
  /** A sweep asked from this window is running. */
  sweeping: boolean;

  loadFleet: () => Promise<void>;
  loadDetail: (id: string) => Promise<void>;
  loadIncidents: (filter?: IncidentFilter) => Promise<void>;
  /** One server, or the whole fleet when null. */
  sweep: (serverId: string | null) => Promise<void>;

  /** Actions: errors are shown as toasts; each resolves to whether it was done. */
  setMaintenance: (id: string, until: string | null) => Promise<boolean>;
  updateRules: (id: string, rules: Partial<Record<RuleId, RuleSetting>>) => Promise<boolean>;
  acceptHostKey: (id: string, fingerprint: string) => Promise<boolean>;
  deleteServer: (id: string) => Promise<boolean>;
  acknowledge: (incidentId: string) => Promise<boolean>;
  addNote: (incidentId: string, text: string) => Promise<boolean>;
}

/** A call whose failure is shown to the user: the value, or null. */
async function shown<T>(result: Promise<Result<T>>): Promise<T | null> {
  const answer = await result;
  if (answer.ok) return answer.value;
  toastError(answer.error);
  return null;
}

export const useServersStore = create<ServersState>((set, get) => {
  let detailRequest = 0;
  let incidentsRequest = 0;

  /** Reloads whatever is on screen: the fleet, the open server, the incidents list. */
  function refresh(serverIds: string[] | null): void {
    if (get().fleet) void get().loadFleet();
    const open = get().detail?.server.id;
    if (open && (serverIds === null || serverIds.includes(open))) void get().loadDetail(open);
    if (get().incidents) void get().loadIncidents();
  }

  // A sweep finished or an incident changed, here or in another window: what is on screen follows.
  onEvent('health.updated', ({ serverIds }) => refresh(serverIds));
  onEvent('incidents.changed', ({ incident }) => refresh([incident.serverId]));

  /** Runs an action, then shows its effect without waiting for the event. */
  async function act<T>(action: Promise<Result<T>>, serverId: string | null): Promise<boolean> {
    const value = await shown(action);
    if (value === null) return false;
    refresh(serverId === null ? null : [serverId]);
    return true;
  }

  return {
    fleet: null,
    detail: null,
    detailError: null,
    incidents: null,
    incidentFilter: 'open',
    sweeping: false,

    loadFleet: async () => {
      const fleet = await shown(call('servers.list', {}));
      if (fleet) set({ fleet });
    },

    loadDetail: async (id) => {
      const request = ++detailRequest;
      if (get().detail?.server.id !== id) set({ detail: null, detailError: null });
      const result = await call('servers.get', { id });
      if (request !== detailRequest) return;
      if (result.ok) set({ detail: result.value, detailError: null });
      else set({ detail: null, detailError: result.error });
    },

    loadIncidents: async (filter = get().incidentFilter) => {
      const request = ++incidentsRequest;
      if (filter !== get().incidentFilter) set({ incidentFilter: filter, incidents: null });
      const incidents = await shown(call('incidents.list', { status: filter, serverId: null }));
      if (request === incidentsRequest && incidents) set({ incidents });
    },

    sweep: async (serverId) => {
      set({ sweeping: true });
      const fleet = await shown(call('health.sweep', { serverId }));
      set({ sweeping: false });
      if (fleet && serverId === null) set({ fleet });
      refresh(serverId === null ? null : [serverId]);
    },

    setMaintenance: (id, until) => act(call('servers.setMaintenance', { id, until }), id),
    updateRules: (id, rules) => act(call('servers.updateRules', { id, rules }), id),
    acceptHostKey: (id, fingerprint) => act(call('servers.acceptHostKey', { id, fingerprint }), id),
    deleteServer: async (id) => {
      const deleted = await shown(call('servers.delete', { id }));
      if (deleted === null) return false;
      set({ detail: null });
      if (get().fleet) void get().loadFleet();
      return true;
    },
    acknowledge: (incidentId) => act(call('incidents.acknowledge', { id: incidentId }), null),
    addNote: (incidentId, text) => act(call('incidents.addNote', { id: incidentId, text }), null),
  };
});
