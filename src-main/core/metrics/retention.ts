// How long each tier is kept: one settings row, changed like any setting (audited, one transaction).
import type { MetricsRetention } from '../../contract';
import { diffFields } from '../audit/audit-log';
import { isoNow } from '../clock';
import type { Core } from '../core';
import { newId } from '../ids';
import { DEFAULT_RETENTION } from './tiers';
import { writeTransaction } from '../db/write-transaction';

const KEY = 'metricsRetention';

export function loadRetention(core: Core): MetricsRetention {
  const stored = core.db.prepare('select value from settings where key = ? and deleted_at is null').pluck().get(KEY) as string | undefined;
  return stored === undefined ? { ...DEFAULT_RETENTION } : { ...DEFAULT_RETENTION, ...(JSON.parse(stored) as Partial<MetricsRetention>) };
}

export function saveRetention(core: Core, retention: MetricsRetention): MetricsRetention {
  return writeTransaction(core.db, () => {
    const before = loadRetention(core);
    const now = isoNow(core.clock);
    core.db
      .prepare(
        `insert into settings (id, key, value, created_at, updated_at) values (?, ?, ?, ?, ?)
         on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at, deleted_at = null`,
      )
      .run(newId(), KEY, JSON.stringify(retention), now, now);
    const changes = diffFields(before, retention);
    if (Object.keys(changes).length > 0) core.audit.record({ entity: 'settings', entityId: KEY, action: 'update', changes });
    return loadRetention(core);
  });
}
