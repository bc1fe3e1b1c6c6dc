import type { AuditAction, AuditChanges, AuditEntry } from '../../contract/audit';
import type { Clock } from '../clock';
import { isoNow } from '../clock';
import type { Db } from '../db/open';
import { newId } from '../ids';

export type { AuditAction, AuditChanges, AuditEntry };

interface AuditRow {
  id: string;
  at: string;
  actor: string;
  device_id: string;
  entity: string;
  entity_id: string;
  action: AuditAction;
  changes: string;
}

/** The fields of `after` whose values differ from `before`, for the audit trail (a patch lists only what it sets). */
export function diffFields<T extends object>(before: Partial<T>, after: Partial<T>): AuditChanges {
  const changes: AuditChanges = {};
  for (const key of Object.keys(after)) {
    const from = (before as Record<string, unknown>)[key] ?? null;
    const to = (after as Record<string, unknown>)[key] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
  }
  return changes;
}

/**
 * Writes who changed what. Callers invoke `record` inside the same transaction as the change itself, so the log
 * and the data can never disagree.
 */
export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly who: () => { actor: string; deviceId: string },
  ) {}

  record(entry: { entity: string; entityId: string; action: AuditAction; changes: AuditChanges }): void {
    const { actor, deviceId } = this.who();
    // An erased member's later entries (a delete, a restore) keep no values either: the same rule every laptop of
    // the team applies to entries it receives about an erased member.
    const erased =
      entry.entity === 'member' &&
      entry.action !== 'erase' &&
      this.db.prepare('select 1 from members where id = ? and erased_at is not null').get(entry.entityId) !== undefined;
    const changes = erased ? { redacted: 1, fields: Object.keys(entry.changes) } : entry.changes;
    this.db
      .prepare(
        `insert into audit_log (id, at, actor, device_id, entity, entity_id, action, changes)
         values (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(newId(), isoNow(this.clock), actor, deviceId, entry.entity, entry.entityId, entry.action, JSON.stringify(changes));
  }

  /**
   * GDPR erasure: the entity's entries keep who, when, what action and which fields, but lose the values. The
   * schema allows exactly this change to an entry and no other.
   */
  redact(target: { entity: string; entityId: string }): void {
    redactAudit(this.db, target);
  }

  list(filter: { entity: string; entityId?: string }): AuditEntry[] {
    const rows = this.db
      .prepare(
        `select * from audit_log where entity = ? and (? is null or entity_id = ?) order by at, rowid`,
      )
      .all(filter.entity, filter.entityId ?? null, filter.entityId ?? null) as AuditRow[];
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      deviceId: row.device_id,
      entity: row.entity,
      entityId: row.entity_id,
      action: row.action,
      changes: readChanges(row.changes),
    }));
  }
}

/** A redacted entry reads as its fields with no values. */
function readChanges(json: string): AuditChanges {
  const parsed = JSON.parse(json) as AuditChanges | { redacted: 1; fields: string[] };
  if ('redacted' in parsed && parsed.redacted === 1 && Array.isArray(parsed.fields)) {
    return Object.fromEntries(parsed.fields.map((field) => [field, { from: null, to: null }]));
  }
  return parsed as AuditChanges;
}

/**
 * Forgets the values an entity's entries recorded (which fields changed, and when, remain). The erase entry itself
 * holds no values and stays as written.
 */
export function redactAudit(db: Db, target: { entity: string; entityId: string }): void {
  db.prepare(
    `update audit_log
     set changes = json_object('redacted', 1, 'fields', (select json_group_array(key) from json_each(audit_log.changes)))
     where entity = ? and entity_id = ? and action <> 'erase' and json_extract(changes, '$.redacted') is not 1`,
  ).run(target.entity, target.entityId);
}
