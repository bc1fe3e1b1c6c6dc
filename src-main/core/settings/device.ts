import type { Clock } from '../clock';
import { isoNow } from '../clock';
import type { Db } from '../db/open';
import { newId } from '../ids';

export interface Device {
  id: string;
  volunteerName: string;
}

/** This laptop's identity, created on first use. */
export function loadDevice(db: Db, clock: Clock): Device {
  const row = db.prepare('select id, volunteer_name as volunteerName from device limit 1').get() as Device | undefined;
  if (row) return row;
  const device = { id: newId(), volunteerName: '' };
  const now = isoNow(clock);
  db.prepare('insert into device (id, volunteer_name, created_at, updated_at) values (?, ?, ?, ?)').run(device.id, '', now, now);
  return device;
}
