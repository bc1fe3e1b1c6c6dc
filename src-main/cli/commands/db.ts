import { existsSync } from 'node:fs';
import { backupDatabase } from '../../core/db/backup';
import { inspectSchema, migrate } from '../../core/db/migrate';
import { migrations } from '../../core/db/migrations';
import { openDatabase } from '../../core/db/open';
import { rowCounts } from '../../core/db/row-counts';
import { systemClock } from '../../core/clock';
import { secureDataDir } from '../../core/data-dir';
import { dbPathIn } from '../../core/paths';
import { openCliCore, reportModesFixed } from '../open-cli-core';
import type { CliContext } from '../io';
import { output, UsageError } from '../io';

/** `db info` only reads: it neither creates nor migrates the file. */
function info(ctx: CliContext): void {
  const path = dbPathIn(ctx.dataDir);
  const latest = migrations.at(-1)?.version ?? 0;
  if (!existsSync(path)) {
    output(ctx, { path, exists: false, schemaVersion: 0, latestVersion: latest, pendingMigrations: latest, rowCounts: {} }, () =>
      [`Database: ${path} (not created yet)`, `Schema version: 0 (latest ${latest})`].join('\n'),
    );
    return;
  }
  const db = openDatabase(path, { readonly: true });
  try {
    const state = inspectSchema(db, migrations);
    const counts = rowCounts(db);
    output(
      ctx,
      { path, exists: true, schemaVersion: state.version, latestVersion: state.latest, pendingMigrations: state.pending.length, rowCounts: counts },
      () =>
        [
          `Database: ${path}`,
          `Schema version: ${state.version} (latest ${state.latest}${state.pending.length ? `, ${state.pending.length} pending` : ''})`,
          'Rows:',
          ...Object.entries(counts).map(([table, n]) => `  ${table.padEnd(24)} ${n}`),
        ].join('\n'),
    );
  } finally {
    db.close();
  }
}

function migrateCommand(ctx: CliContext): void {
  const path = dbPathIn(ctx.dataDir);
  reportModesFixed(ctx, secureDataDir(ctx.dataDir));
  const db = openDatabase(path);
  try {
    const before = inspectSchema(db, migrations).version;
    const after = migrate(db, migrations, systemClock, path);
    output(ctx, { path, from: before, to: after.version, backupPath: after.backupPath }, () =>
      before === after.version
        ? `Already at schema version ${after.version}.`
        : `Migrated ${path} from version ${before} to ${after.version}.${after.backupPath ? ` Previous file kept as ${after.backupPath}.` : ''}`,
    );
  } finally {
    db.close();
  }
}

async function backup(ctx: CliContext, target: string | undefined): Promise<void> {
  if (!target) throw new UsageError('db backup needs a target FILE');
  const core = openCliCore(ctx, 'cli');
  try {
    const path = await backupDatabase(core.db, target);
    output(ctx, { path }, () => `Backup written to ${path}.`);
  } finally {
    core.close();
  }
}

export async function dbCommand(ctx: CliContext, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'info':
      return info(ctx);
    case 'migrate':
      return migrateCommand(ctx);
    case 'backup':
      return backup(ctx, rest[0]);
    default:
      throw new UsageError(sub ? `unknown db command: ${sub}` : 'db needs a command: info, migrate or backup');
  }
}
