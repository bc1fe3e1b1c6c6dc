// The server inventory: servers and their services (soft-deleted), pinned host keys, maintenance windows, rule
// overrides. Every action is one transaction with its audit entry; no secret is ever stored in clear or returned.
import type { RuleId, RuleSetting, Server, ServerInput, Service } from '../../contract';
import { serverInputSchema } from '../../contract/servers';
import { diffFields } from '../audit/audit-log';
import { isoNow } from '../clock';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { newId } from '../ids';
import { mergeRules, type RuleSettings } from './rules';
import { writeTransaction } from '../db/write-transaction';

interface ServerRow {
  id: string;
  name: string;
  host: string;
  port: number;
  username: string;
  auth_kind: 'agent' | 'key';
  key_path: string | null;
  passphrase_source: string;
  tags: string;
  notes: string;
  sweep_interval_seconds: number;
  host_key_fingerprint: string | null;
  host_key_accepted_at: string | null;
  maintenance_until: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

interface ServiceRow {
  id: string;
  server_id: string;
  name: string;
  kind: Service['kind'];
  url: string;
  expect_text: string;
  unit: string | null;
  process: string | null;
  port: number | null;
}

interface RuleRow {
  rule_id: RuleId;
  enabled: number;
  threshold: number | null;
  fail_after: number;
  clear_after: number;
}

type ParsedInput = ReturnType<typeof serverInputSchema.parse>;

const toService = (row: ServiceRow): Service => ({
  id: row.id,
  serverId: row.server_id,
  name: row.name,
  kind: row.kind,
  url: row.url,
  expectText: row.expect_text,
  unit: row.unit,
  process: row.process,
  port: row.port,
});

function toServer(row: ServerRow, services: Service[]): Server {
  return {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    username: row.username,
    auth:
      row.auth_kind === 'agent'
        ? { kind: 'agent' }
        : { kind: 'key', keyPath: row.key_path ?? '', passphrase: JSON.parse(row.passphrase_source) as Extract<Server['auth'], { kind: 'key' }>['passphrase'] },
    tags: JSON.parse(row.tags) as string[],
    notes: row.notes,
    sweepIntervalSeconds: row.sweep_interval_seconds,
    services,
    hostKey: row.host_key_fingerprint === null ? null : { fingerprint: row.host_key_fingerprint, acceptedAt: row.host_key_accepted_at ?? '' },
    maintenanceUntil: row.maintenance_until,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The audited view of a server: what the user typed, services by name, never a secret. The audit trail is the team's:
 * of the login, only its kind — the key's path and where its passphrase lives are this laptop's own.
 */
const auditView = (s: Pick<Server, 'name' | 'host' | 'port' | 'username' | 'auth' | 'tags' | 'notes' | 'sweepIntervalSeconds' | 'services'>) => ({
  name: s.name,
  host: s.host,
  port: s.port,
  username: s.username,
  auth: { kind: s.auth.kind },
  tags: s.tags,
  notes: s.notes,
  sweepIntervalSeconds: s.sweepIntervalSeconds,
  services: s.services.map((x) => ({ name: x.name, kind: x.kind, url: x.url, unit: x.unit, process: x.process, port: x.port })),
});

/** A rule override's key, the same on every laptop (migration 8). */
export const ruleSettingId = (serverId: string, ruleId: RuleId): string => `${serverId}:${ruleId}`;

/** Whether the server's alerts are muted now by a maintenance window. */
export const underMaintenance = (core: Core, server: Pick<Server, 'maintenanceUntil'>): boolean =>
  server.maintenanceUntil !== null && server.maintenanceUntil > isoNow(core.clock);

export class ServersService {
  constructor(private readonly core: Core) {}

  /** Live servers, by name. */
  list(): Server[] {
    const rows = this.core.db.prepare('select * from servers where deleted_at is null order by name collate nocase').all() as ServerRow[];
    const services = this.servicesByServer();
    return rows.map((row) => toServer(row, services.get(row.id) ?? []));
  }

  get(id: string): Server {
    const row = this.row(id);
    return toServer(row, this.servicesByServer(id).get(id) ?? []);
  }

  /** Refuses deleted servers, for every action that changes one. */
  getLive(id: string): Server {
    const server = this.get(id);
    if (this.row(id).deleted_at !== null) throw new CoreError('server_not_found', `Server ${id} is deleted.`, { id });
    return server;
  }

  create(input: ServerInput): Server {
    const server = serverInputSchema.parse(input);
    return writeTransaction(this.core.db, () => {
      this.assertNameFree(server.name, null);
      const id = newId();
      const now = isoNow(this.core.clock);
      this.core.db
        .prepare(
          `insert into servers (id, name, host, port, username, auth_kind, key_path, passphrase_source, tags, notes,
             sweep_interval_seconds, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, server.name, server.host, server.port, server.username, ...authColumns(server), JSON.stringify(server.tags), server.notes, server.sweepIntervalSeconds, now, now);
      this.saveServices(id, [], server.services, now);
      const created = this.get(id);
      this.core.audit.record({ entity: 'server', entityId: id, action: 'create', changes: diffFields({}, auditView(created)) });
      return created;
    });
  }

  /**
   * A new host or port keeps the pinned key on purpose: if the machine behind it is another one, the connection is
   * refused (ssh_host_key_changed) until the user accepts its key.
   */
  update(id: string, input: ServerInput): Server {
    const server = serverInputSchema.parse(input);
    return writeTransaction(this.core.db, () => {
      const before = this.getLive(id);
      // Two laptops may have given one name twice (a sync conflict): each copy can still be edited, or renamed.
      if (server.name.toLowerCase() !== before.name.toLowerCase()) this.assertNameFree(server.name, id);
      const now = isoNow(this.core.clock);
      const [authKind, keyPath, source] = authColumns(server);
      // Switching away from a stored passphrase drops the sealed bytes.
      const keepSealed = server.auth.kind === 'key' && server.auth.passphrase.kind === 'stored';
      this.core.db
        .prepare(
          `update servers set name = ?, host = ?, port = ?, username = ?, auth_kind = ?, key_path = ?, passphrase_source = ?,
             passphrase_sealed = case when ? then passphrase_sealed end, tags = ?, notes = ?, sweep_interval_seconds = ?,
             updated_at = ? where id = ?`,
        )
        .run(server.name, server.host, server.port, server.username, authKind, keyPath, source, keepSealed ? 1 : 0, JSON.stringify(server.tags), server.notes, server.sweepIntervalSeconds, now, id);
      this.saveServices(id, before.services, server.services, now);
      const after = this.get(id);
      this.recordUpdate(id, diffFields(auditView(before), auditView(after)));
      return after;
    });
  }

  delete(id: string): Server {
    return writeTransaction(this.core.db, () => {
      this.getLive(id);
      const now = isoNow(this.core.clock);
      this.core.db.prepare('update servers set deleted_at = ?, updated_at = ?, passphrase_sealed = null where id = ?').run(now, now, id);
      this.core.db.prepare('update services set deleted_at = ?, updated_at = ? where server_id = ? and deleted_at is null').run(now, now, id);
      this.core.audit.record({ entity: 'server', entityId: id, action: 'delete', changes: { deletedAt: { from: null, to: now } } });
      return this.get(id);
    });
  }

  acceptHostKey(id: string, fingerprint: string): Server {
    return writeTransaction(this.core.db, () => {
      const before = this.getLive(id);
      const now = isoNow(this.core.clock);
      this.core.db.prepare('update servers set host_key_fingerprint = ?, host_key_accepted_at = ?, updated_at = ? where id = ?').run(fingerprint, now, now, id);
      this.recordUpdate(id, diffFields({ hostKey: before.hostKey?.fingerprint ?? null }, { hostKey: fingerprint }));
      return this.get(id);
    });
  }

  /** Only the sealed bytes are stored; the audit trail says that it changed, never what it is. */
  setPassphrase(id: string, passphrase: string): void {
    const secrets = this.core.platform.secrets;
    if (secrets === undefined) throw new CoreError('unsupported_here', 'Storing a passphrase needs the OS keychain (desktop app only).');
    if (!secrets.available()) {
      throw new CoreError('keyring_unavailable', 'No OS keyring protects secrets here: keep the passphrase in a file or an environment variable.', {
        reason: secrets.unavailableReason(),
      });
    }
    const sealed = secrets.seal(passphrase);
    writeTransaction(this.core.db, () => {
      const before = this.getLive(id);
      if (before.auth.kind !== 'key') throw new CoreError('server_no_key', 'This server authenticates with the SSH agent.', { id });
      const now = isoNow(this.core.clock);
      const source = JSON.stringify({ kind: 'stored' });
      this.core.db.prepare('update servers set passphrase_sealed = ?, passphrase_source = ?, updated_at = ? where id = ?').run(sealed, source, now, id);
      this.recordUpdate(id, { passphrase: { from: null, to: 'stored' } });
    });
  }

  /** The sealed passphrase, for connecting; null if none was stored. */
  sealedPassphrase(id: string): Buffer | null {
    return (this.core.db.prepare('select passphrase_sealed from servers where id = ?').pluck().get(id) as Buffer | null | undefined) ?? null;
  }

  setMaintenance(id: string, until: string | null): Server {
    return writeTransaction(this.core.db, () => {
      const before = this.getLive(id);
      const now = isoNow(this.core.clock);
      // Normalised so that it compares as text with the clock's timestamps.
      const end = until === null ? null : new Date(until).toISOString();
      this.core.db.prepare('update servers set maintenance_until = ?, updated_at = ? where id = ?').run(end, now, id);
      this.recordUpdate(id, diffFields({ maintenanceUntil: before.maintenanceUntil }, { maintenanceUntil: end }));
      return this.get(id);
    });
  }


  rules(id: string): RuleSettings {
    const rows = this.core.db.prepare('select * from rule_settings where server_id = ?').all(id) as RuleRow[];
    const overrides: Partial<Record<RuleId, RuleSetting>> = {};
    for (const r of rows) {
      overrides[r.rule_id] = { enabled: r.enabled === 1, threshold: r.threshold, failAfter: r.fail_after, clearAfter: r.clear_after };
    }
    return mergeRules(overrides);
  }

  updateRules(id: string, rules: Partial<Record<RuleId, RuleSetting>>): RuleSettings {
    return writeTransaction(this.core.db, () => {
      this.getLive(id);
      const before = this.rules(id);
      const now = isoNow(this.core.clock);
      // One row per server and rule on every laptop of the team (ruleSettingId), merged field by field.
      const upsert = this.core.db.prepare(
        `insert into rule_settings (id, server_id, rule_id, enabled, threshold, fail_after, clear_after, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (id) do update set enabled = excluded.enabled, threshold = excluded.threshold,
           fail_after = excluded.fail_after, clear_after = excluded.clear_after, updated_at = excluded.updated_at`,
      );
      for (const [ruleId, s] of Object.entries(rules) as [RuleId, RuleSetting][]) {
        upsert.run(ruleSettingId(id, ruleId), id, ruleId, s.enabled ? 1 : 0, s.threshold, s.failAfter, s.clearAfter, now, now);
      }
      const after = this.rules(id);
      this.recordUpdate(id, diffFields({ rules: before }, { rules: after }));
      return after;
    });
  }

  private recordUpdate(id: string, changes: ReturnType<typeof diffFields>): void {
    if (Object.keys(changes).length > 0) this.core.audit.record({ entity: 'server', entityId: id, action: 'update', changes });
  }

  private row(id: string): ServerRow {
    const row = this.core.db.prepare('select * from servers where id = ?').get(id) as ServerRow | undefined;
    if (!row) throw new CoreError('server_not_found', `No server ${id}.`, { id });
    return row;
  }

  private servicesByServer(serverId?: string): Map<string, Service[]> {
    const rows = this.core.db
      .prepare('select * from services where deleted_at is null and (? is null or server_id = ?) order by created_at, rowid')
      .all(serverId ?? null, serverId ?? null) as ServiceRow[];
    const map = new Map<string, Service[]>();
    for (const row of rows) map.set(row.server_id, [...(map.get(row.server_id) ?? []), toService(row)]);
    return map;
  }

  /** Services are matched by id, so an edited service keeps its history; the ones left out are soft-deleted. */
  private saveServices(serverId: string, before: Service[], wanted: ParsedInput['services'], now: string): void {
    const known = new Set(before.map((s) => s.id));
    const kept = new Set<string>();
    for (const s of wanted) {
      if (s.id !== null && known.has(s.id)) {
        kept.add(s.id);
        this.core.db
          .prepare('update services set name = ?, kind = ?, url = ?, expect_text = ?, unit = ?, process = ?, port = ?, updated_at = ? where id = ?')
          .run(s.name, s.kind, s.url, s.expectText, s.unit, s.process, s.port, now, s.id);
      } else {
        if (s.id !== null) throw new CoreError('service_not_found', `No service ${s.id} on this server.`, { id: s.id });
        this.core.db
          .prepare(
            `insert into services (id, server_id, name, kind, url, expect_text, unit, process, port, created_at, updated_at)
             values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(newId(), serverId, s.name, s.kind, s.url, s.expectText, s.unit, s.process, s.port, now, now);
      }
    }
    const gone = before.filter((s) => !kept.has(s.id)).map((s) => s.id);
    for (const id of gone) this.core.db.prepare('update services set deleted_at = ?, updated_at = ? where id = ?').run(now, now, id);
  }

  private assertNameFree(name: string, exceptId: string | null): void {
    const taken = this.core.db
      .prepare('select 1 from servers where deleted_at is null and name = ? collate nocase and id is not ?')
      .get(name, exceptId);
    if (taken) throw new CoreError('server_name_taken', `A server is already named ${name}.`, { name });
  }
}

function authColumns(server: ParsedInput): [ServerRow['auth_kind'], string | null, string] {
  return server.auth.kind === 'agent'
    ? ['agent', null, JSON.stringify({ kind: 'none' })]
    : ['key', server.auth.keyPath, JSON.stringify(server.auth.passphrase)];
}
