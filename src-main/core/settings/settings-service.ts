import type { Settings, SettingsPatch } from '../../contract';
import type { AuditLog } from '../audit/audit-log';
import { diffFields } from '../audit/audit-log';
import type { Clock } from '../clock';
import { isoNow } from '../clock';
import type { Db } from '../db/open';
import type { CoreEvents } from '../events';
import { newId } from '../ids';
import { loadDevice } from './device';
import { writeTransaction } from '../db/write-transaction';

type AssociationSettings = Omit<Settings, 'volunteerName' | 'setupComplete'>;

const DEFAULTS: AssociationSettings = {
  associationName: '',
  associationAddress: '',
  currency: 'EUR',
  language: null,
  fiscalYearStartMonth: 1,
  duesPeriod: { kind: 'calendar_year' },
  duesGraceDays: 30,
};

export const ASSOCIATION_KEYS = Object.keys(DEFAULTS) as (keyof AssociationSettings)[];

/** Association settings live as one row per key (so two laptops editing different keys merge cleanly later). */
export class SettingsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly events: CoreEvents,
  ) {}

  get(): Settings {
    const rows = this.db.prepare('select key, value from settings where deleted_at is null').all() as { key: string; value: string }[];
    const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
    const association = Object.fromEntries(ASSOCIATION_KEYS.map((k) => [k, k in stored ? stored[k] : DEFAULTS[k]])) as AssociationSettings;
    const device = loadDevice(this.db, this.clock);
    return { ...association, volunteerName: device.volunteerName, setupComplete: association.associationName !== '' };
  }

  /** One transaction per user action: the values and their audit entries land together or not at all. */
  update(patch: SettingsPatch): Settings {
    const result = writeTransaction(this.db, () => {
      const before = this.get();
      const now = isoNow(this.clock);
      const upsert = this.db.prepare(
        `insert into settings (id, key, value, created_at, updated_at) values (?, ?, ?, ?, ?)
         on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at, deleted_at = null`,
      );
      for (const key of ASSOCIATION_KEYS) {
        if (patch[key] !== undefined) upsert.run(newId(), key, JSON.stringify(patch[key]), now, now);
      }
      const { volunteerName, ...associationPatch } = patch;
      const associationChanges = diffFields(pick(before, ASSOCIATION_KEYS), associationPatch);
      if (Object.keys(associationChanges).length > 0) {
        this.audit.record({ entity: 'settings', entityId: 'association', action: 'update', changes: associationChanges });
      }
      if (volunteerName !== undefined && volunteerName !== before.volunteerName) {
        const device = loadDevice(this.db, this.clock);
        this.db.prepare('update device set volunteer_name = ?, updated_at = ? where id = ?').run(volunteerName, now, device.id);
        this.audit.record({
          entity: 'device',
          entityId: device.id,
          action: 'update',
          changes: { volunteerName: { from: before.volunteerName, to: volunteerName } },
        });
      }
      return this.get();
    });
    this.events.emit('settings.changed', result);
    return result;
  }
}

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, value[k]])) as Pick<T, K>;
}
