// The health rules, pure: default settings, what one sweep observes, and the per-check state machine that turns
// observations into fire/clear decisions with hysteresis, so a flapping value does not alert on every sweep.
import type { RuleId, RuleSetting } from '../../contract';
import { RULE_IDS } from '../../contract/servers';

export type RuleSettings = Record<RuleId, RuleSetting>;

export const DEFAULT_RULES: Readonly<RuleSettings> = Object.freeze({
  server_unreachable: { enabled: true, threshold: null, failAfter: 2, clearAfter: 2 },
  service_inactive: { enabled: true, threshold: null, failAfter: 2, clearAfter: 2 },
  http_failing: { enabled: true, threshold: null, failAfter: 2, clearAfter: 2 },
  disk_space: { enabled: true, threshold: 90, failAfter: 2, clearAfter: 2 },
  disk_inodes: { enabled: true, threshold: 90, failAfter: 2, clearAfter: 2 },
  memory: { enabled: true, threshold: 95, failAfter: 3, clearAfter: 3 },
  load_per_core: { enabled: true, threshold: 2, failAfter: 4, clearAfter: 4 },
  tls_expiring: { enabled: true, threshold: 14, failAfter: 1, clearAfter: 1 },
  failed_units: { enabled: true, threshold: null, failAfter: 2, clearAfter: 2 },
  reboot_required: { enabled: true, threshold: null, failAfter: 1, clearAfter: 1 },
  /** Days until a filesystem is full at its trend (metrics/forecast.ts). */
  disk_forecast: { enabled: true, threshold: 14, failAfter: 1, clearAfter: 1 },
  /** A backup job's last good run is older than twice its schedule (backups). */
  backup_stale: { enabled: true, threshold: null, failAfter: 1, clearAfter: 1 },
  /** Days since a job was last proven restorable by a restore drill (backups). */
  restore_unverified: { enabled: true, threshold: 8, failAfter: 1, clearAfter: 1 },
});

/** The defaults with a server's own overrides on top. */
export function mergeRules(overrides: Partial<RuleSettings>): RuleSettings {
  return Object.fromEntries(RULE_IDS.map((id) => [id, { ...DEFAULT_RULES[id], ...overrides[id] }])) as RuleSettings;
}

export type ObservedValue = Record<string, string | number | boolean | null>;

/** What one sweep learnt about one rule and subject. */
export interface Observation {
  ruleId: RuleId;
  /** A service id, a mount point, or '' for the server itself: one check state per rule and subject. */
  subject: string;
  serviceId: string | null;
  failing: boolean;
  value: ObservedValue;
  errorCode: string | null;
}

/** What the probe told about the server, in the shape the rules read (built by `facts.ts`). */
export interface HealthFacts {
  memoryPercent: number | null;
  loadPerCore: number | null;
  filesystems: { mount: string; usedPercent: number | null; inodesPercent: number | null }[];
  failedUnits: string[] | null;
  rebootRequired: boolean | null;
  /** One entry per service with a unit, process or port to look at on the server. */
  services: { serviceId: string; active: boolean; why: string | null; value: ObservedValue }[];
}

export interface HttpObservation {
  serviceId: string;
  ok: boolean;
  status: number | null;
  latencyMs: number | null;
  error: string | null;
  tlsDaysLeft: number | null;
}

/** Which rules one sweep can judge: all of them when the probe ran, only the laptop's own checks otherwise. */
export function judgedRules(reached: boolean): RuleId[] {
  // Backups are judged from this laptop's own records, reachable or not.
  return reached ? [...RULE_IDS] : ['server_unreachable', 'http_failing', 'tls_expiring', 'backup_stale', 'restore_unverified'];
}

const obs = (
  ruleId: RuleId,
  failing: boolean,
  value: ObservedValue,
  extra: Partial<Pick<Observation, 'subject' | 'serviceId' | 'errorCode'>> = {},
): Observation => ({ ruleId, subject: extra.subject ?? '', serviceId: extra.serviceId ?? null, failing, value, errorCode: extra.errorCode ?? null });

const over = (value: number | null, threshold: number | null): boolean => value !== null && threshold !== null && value >= threshold;

/**
 * One sweep's observations. `facts` is null when the probe did not run or its output was unusable; `failure` is then
 * the per-server error (ssh_timeout, probe_garbage…) that feeds `server_unreachable`.
 */
export function evaluate(
  facts: HealthFacts | null,
  http: HttpObservation[],
  failure: { code: string } | null,
  rules: RuleSettings,
): Observation[] {
  const out: Observation[] = [obs('server_unreachable', failure !== null, { error: failure?.code ?? null }, { errorCode: failure?.code ?? null })];
  for (const h of http) {
    out.push(
      obs('http_failing', !h.ok, { status: h.status, latencyMs: h.latencyMs }, {
        subject: h.serviceId,
        serviceId: h.serviceId,
        errorCode: h.ok ? null : (h.error ?? 'http_status'),
      }),
    );
    if (h.tlsDaysLeft !== null) {
      const days = Math.floor(h.tlsDaysLeft);
      const limit = rules.tls_expiring.threshold;
      out.push(obs('tls_expiring', limit !== null && days <= limit, { daysLeft: days }, { subject: h.serviceId, serviceId: h.serviceId }));
    }
  }
  if (facts !== null) {
    for (const s of facts.services) {
      out.push(obs('service_inactive', !s.active, s.value, { subject: s.serviceId, serviceId: s.serviceId, errorCode: s.why }));
    }
    for (const fs of facts.filesystems) {
      if (fs.usedPercent !== null) {
        out.push(obs('disk_space', over(fs.usedPercent, rules.disk_space.threshold), { mount: fs.mount, usedPercent: fs.usedPercent }, { subject: fs.mount }));
      }
      if (fs.inodesPercent !== null) {
        out.push(obs('disk_inodes', over(fs.inodesPercent, rules.disk_inodes.threshold), { mount: fs.mount, inodesPercent: fs.inodesPercent }, { subject: fs.mount }));
      }
    }
    if (facts.memoryPercent !== null) out.push(obs('memory', over(facts.memoryPercent, rules.memory.threshold), { usedPercent: facts.memoryPercent }));
    if (facts.loadPerCore !== null) out.push(obs('load_per_core', over(facts.loadPerCore, rules.load_per_core.threshold), { loadPerCore: facts.loadPerCore }));
    if (facts.failedUnits !== null) {
      out.push(obs('failed_units', facts.failedUnits.length > 0, { count: facts.failedUnits.length, units: facts.failedUnits.slice(0, 10).join(' ') }));
    }
    if (facts.rebootRequired !== null) out.push(obs('reboot_required', facts.rebootRequired, { required: facts.rebootRequired }));
  }
  return out.filter((o) => rules[o.ruleId].enabled);
}

export interface CheckProgress {
  /** 'failing' once fired, until cleared: the incident's lifetime. */
  state: 'ok' | 'failing';
  consecutiveFailures: number;
  consecutivePasses: number;
}

export const FRESH: CheckProgress = Object.freeze({ state: 'ok', consecutiveFailures: 0, consecutivePasses: 0 });

/**
 * One step of a check's state machine: it fires after `failAfter` consecutive failing sweeps and clears after
 * `clearAfter` consecutive passing ones, so a value flapping around its threshold changes nothing once fired.
 */
export function advance(
  previous: CheckProgress,
  failing: boolean,
  setting: Pick<RuleSetting, 'failAfter' | 'clearAfter'>,
): { progress: CheckProgress; fire: boolean; clear: boolean } {
  const consecutiveFailures = failing ? previous.consecutiveFailures + 1 : 0;
  const consecutivePasses = failing ? 0 : previous.consecutivePasses + 1;
  const fire = previous.state === 'ok' && consecutiveFailures >= setting.failAfter;
  const clear = previous.state === 'failing' && consecutivePasses >= setting.clearAfter;
  const state = fire ? 'failing' : clear ? 'ok' : previous.state;
  return { progress: { state, consecutiveFailures, consecutivePasses }, fire, clear };
}
