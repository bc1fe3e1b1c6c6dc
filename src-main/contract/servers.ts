import { z } from 'zod';
import { event, method } from './define';
import { id, multilineText, text } from './fields';

export const SERVICE_KINDS = ['nextcloud', 'etherpad', 'website', 'forum', 'mail', 'other'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** Where a key's passphrase comes from: never the database in clear. */
export const passphraseSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  /** Electron: sealed with the OS keychain (safeStorage); set through servers.setPassphrase. */
  z.object({ kind: z.literal('stored') }).strict(),
  /** CLI and browser host: read at run time from an environment variable… */
  z.object({ kind: z.literal('env'), name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/) }).strict(),
  /** …or from a file. */
  z.object({ kind: z.literal('file'), path: text(4096).min(1) }).strict(),
]);

export const serverAuthSchema = z.discriminatedUnion('kind', [
  /** ssh-agent through SSH_AUTH_SOCK. */
  z.object({ kind: z.literal('agent') }).strict(),
  z.object({ kind: z.literal('key'), keyPath: text(4096).min(1), passphrase: passphraseSourceSchema }).strict(),
]);
export type ServerAuth = z.infer<typeof serverAuthSchema>;

const unitName = z.string().trim().regex(/^[A-Za-z0-9@._:-]{1,200}$/);
const processName = z.string().trim().regex(/^[A-Za-z0-9._+-]{1,64}$/);

export const serviceInputSchema = z
  .object({
    /** Present when editing an existing service, so its history follows it. */
    id: id.nullable().default(null),
    name: text(80).min(1),
    kind: z.enum(SERVICE_KINDS),
    url: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(2048)]).default(''),
    expectText: text(200).default(''),
    unit: unitName.nullable().default(null),
    process: processName.nullable().default(null),
    port: z.number().int().min(1).max(65535).nullable().default(null),
  })
  .strict();
export type ServiceInput = z.input<typeof serviceInputSchema>;
export type Service = z.output<typeof serviceInputSchema> & { id: string; serverId: string };

export const serverInputSchema = z
  .object({
    name: text(80).min(1),
    /** A host name or an IP address; validated, never passed to a shell. */
    host: z.string().trim().regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^[0-9a-fA-F:.]{2,45}$/),
    port: z.number().int().min(1).max(65535).default(22),
    username: z.string().trim().regex(/^[a-z_][a-z0-9_.-]{0,31}$/i),
    auth: serverAuthSchema,
    tags: z.array(text(40).min(1)).max(20).default([]),
    notes: multilineText(5000).default(''),
    sweepIntervalSeconds: z.number().int().min(10).max(3600).default(30),
    services: z.array(serviceInputSchema).max(50).default([]),
  })
  .strict();
export type ServerInput = z.input<typeof serverInputSchema>;

/**
 * A server from another laptop of the team, whose login this laptop has not set yet: each volunteer uses their own
 * key, never synced. Nothing reaches it from here until its key is set (server_key_missing_here).
 */
export const needsKeyHere = (server: Pick<Server, 'auth'>): boolean => server.auth.kind === 'key' && server.auth.keyPath === '';

/** A host key's fingerprint as OpenSSH prints it: `SHA256:` and the unpadded base64 of its sha256. */
export const HOST_KEY_FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

export type HealthColour = 'green' | 'amber' | 'red' | 'grey';

export interface HostKey {
  fingerprint: string;
  acceptedAt: string;
}

export interface Server {
  id: string;
  name: string;
  host: string;
  port: number;
  username: string;
  auth: ServerAuth;
  tags: string[];
  notes: string;
  sweepIntervalSeconds: number;
  services: Service[];
  hostKey: HostKey | null;
  /** Alerts are muted until then (maintenance window). */
  maintenanceUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One rule's current state on one server (or one of its services). */
export interface CheckState {
  ruleId: string;
  /** The service it is about, when it is about one. */
  serviceId: string | null;
  state: 'ok' | 'failing' | 'unknown';
  /** Human-meaningful last value, e.g. { usedPercent: 91.2, mount: '/' }; the UI formats it. */
  value: Record<string, string | number | boolean | null>;
  consecutiveFailures: number;
  since: string;
  /** Stable error code from the last failure (ssh_timeout, http_status…), translated by the UI. */
  errorCode: string | null;
}

export interface ServerSummary {
  id: string;
  name: string;
  host: string;
  tags: string[];
  colour: HealthColour;
  lastSweepAt: string | null;
  lastError: { code: string; details: Record<string, unknown> } | null;
  cpuPercent: number | null;
  memoryPercent: number | null;
  /** The fullest filesystem. */
  diskPercent: number | null;
  /** Online CPUs at the last sweep (the load rule's threshold is per core). */
  cpuCount: number | null;
  openIncidents: number;
  maintenanceUntil: string | null;
}

export const RULE_IDS = [
  'server_unreachable', 'service_inactive', 'http_failing', 'disk_space', 'disk_inodes', 'memory', 'load_per_core',
  'tls_expiring', 'failed_units', 'reboot_required', 'disk_forecast', 'backup_stale', 'restore_unverified',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export const ruleSettingSchema = z
  .object({
    enabled: z.boolean(),
    /** Percent, load per core, or days, depending on the rule; null for rules without a threshold. */
    threshold: z.number().min(0).max(100_000).nullable(),
    /** Consecutive failing sweeps before the rule fires. */
    failAfter: z.number().int().min(1).max(100),
    /** Consecutive passing sweeps before it clears (hysteresis). */
    clearAfter: z.number().int().min(1).max(100),
  })
  .strict();
export type RuleSetting = z.infer<typeof ruleSettingSchema>;

export interface IncidentEvent {
  at: string;
  kind: 'first_failure' | 'opened' | 'alerted' | 'acknowledged' | 'note' | 'resolved';
  actor: string | null;
  text: string | null;
}

export interface Incident {
  id: string;
  serverId: string;
  serverName: string;
  serviceId: string | null;
  serviceName: string | null;
  ruleId: RuleId;
  status: 'open' | 'acknowledged' | 'resolved';
  /** Error code or last value that made it fire. */
  cause: { code: string | null; value: Record<string, string | number | boolean | null> };
  firstFailureAt: string;
  openedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  timeline: IncidentEvent[];
}

export interface ServerDetail {
  server: Server;
  summary: ServerSummary;
  checks: CheckState[];
  incidents: Incident[];
  rules: Record<RuleId, RuleSetting>;
}

export interface ConnectionTest {
  fingerprint: string;
  /** 'unknown': not pinned yet and not trusted in this call — nothing was run on the server. */
  hostKey: 'match' | 'unknown' | 'changed';
  os: string | null;
  uptimeSeconds: number | null;
}

export const serverMethods = {
  'servers.list': method<ServerSummary[]>()(z.object({}).strict()),
  'servers.get': method<ServerDetail>()(z.object({ id }).strict()),
  'servers.create': method<Server>()(z.object({ server: serverInputSchema }).strict()),
  'servers.update': method<Server>()(z.object({ id, server: serverInputSchema }).strict()),
  'servers.delete': method<Server>()(z.object({ id }).strict()),
  /** Shows the host key's fingerprint; runs uname/uptime only once that fingerprint is pinned or trusted here. */
  'servers.testConnection': method<ConnectionTest>()(
    z.object({ server: serverInputSchema, serverId: id.nullable().default(null), trustFingerprint: z.string().max(100).nullable().default(null) }).strict(),
  ),
  /** Pins a host key (first connection, or a key the user confirms changed on purpose). */
  'servers.acceptHostKey': method<Server>()(z.object({ id, fingerprint: z.string().regex(HOST_KEY_FINGERPRINT) }).strict()),
  /** Electron only: seals the key's passphrase with the OS keychain. */
  'servers.setPassphrase': method<null>()(z.object({ id, passphrase: z.string().min(1).max(1024) }).strict()),
  'servers.setMaintenance': method<Server>()(z.object({ id, until: z.iso.datetime().nullable() }).strict()),
  'servers.updateRules': method<Record<RuleId, RuleSetting>>()(
    z.object({ id, rules: z.partialRecord(z.enum(RULE_IDS), ruleSettingSchema) }).strict(),
  ),
  /** One sweep now, of one server or all. */
  'health.sweep': method<ServerSummary[]>()(z.object({ serverId: id.nullable().default(null) }).strict()),
  'incidents.list': method<Incident[]>()(z.object({ status: z.enum(['open', 'all']).default('open'), serverId: id.nullable().default(null) }).strict()),
  /** Silences repeats and tells the others someone is on it. */
  'incidents.acknowledge': method<Incident>()(z.object({ id }).strict()),
  'incidents.addNote': method<Incident>()(z.object({ id, text: multilineText(5000).min(1) }).strict()),
};

export const serverEvents = {
  /** A sweep finished: fleet and server pages refresh. */
  'health.updated': event<{ serverIds: string[] }>(),
  /** An incident opened or resolved, with the words the UI needs for a notification. */
  'incidents.changed': event<{ incident: Incident; change: 'opened' | 'resolved' | 'acknowledged' | 'note' }>(),
};
