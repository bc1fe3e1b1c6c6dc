import { AuditLog } from './audit/audit-log';
import type { Clock } from './clock';
import { systemClock } from './clock';
import { migrations } from './db/migrations';
import { migrate } from './db/migrate';
import type { Db } from './db/open';
import { openDatabase } from './db/open';
import { secureDataDir } from './data-dir';
import { CoreEvents } from './events';
import { dbPathIn } from './paths';
import type { Platform } from './platform';
import type { ModeFixed } from './private-files';
import { loadDevice } from './settings/device';
import { SettingsService } from './settings/settings-service';
import { startCapture } from './sync/engine/team-clock';

export interface CoreOptions {
  dataDir: string;
  platform: Platform;
  clock?: Clock;
}

/** Everything a face needs, built from explicit dependencies so tests construct it directly. */
export interface Core {
  dataDir: string;
  dbPath: string;
  db: Db;
  clock: Clock;
  platform: Platform;
  events: CoreEvents;
  audit: AuditLog;
  settings: SettingsService;
  /** Files and directories that others could read until this start tightened them: each face says so. */
  modesFixed: ModeFixed[];
  close(): void;
}

/** Opens (and migrates) the data directory's database and wires the domain services. */
export function openCore(options: CoreOptions): Core {
  const clock = options.clock ?? systemClock;
  const dbPath = dbPathIn(options.dataDir);
  const modesFixed = secureDataDir(options.dataDir);
  const db = openDatabase(dbPath);
  try {
    migrate(db, migrations, clock, dbPath);
    startCapture(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const events = new CoreEvents();
  const audit = new AuditLog(db, clock, () => {
    const device = loadDevice(db, clock);
    return { actor: device.volunteerName, deviceId: device.id };
  });
  return {
    dataDir: options.dataDir,
    dbPath,
    db,
    clock,
    platform: options.platform,
    events,
    audit,
    settings: new SettingsService(db, clock, audit, events),
    modesFixed,
    close: () => db.close(),
  };
}
