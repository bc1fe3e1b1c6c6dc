export type AuditAction = 'create' | 'update' | 'delete' | 'restore' | 'erase';
export type AuditChanges = Record<string, { from: unknown; to: unknown }>;

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  deviceId: string;
  entity: string;
  entityId: string;
  action: AuditAction;
  changes: AuditChanges;
}
