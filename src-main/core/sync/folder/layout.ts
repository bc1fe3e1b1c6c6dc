// Where each file lives in the team folder. Every name a reader accepts matches one of these patterns; anything
// else (temporary names, a file manager's litter, a sync client's conflict copies) is ignored.
import { CoreError } from '../../errors';

export const TEAM_FILE = 'team.json';
export const DEVICES_DIR = 'devices';
export const SNAPSHOTS_DIR = 'snapshots';
export const LEASES_DIR = 'leases';
export const COMPACTION_LEASE = `${LEASES_DIR}/compaction.json`;

/** The CRDT node id: 16 lowercase hex digits. */
const DEVICE_ID = /^[0-9a-f]{16}$/;
const SEQ_DIGITS = 12;
export const MAX_SEQ = 10 ** SEQ_DIGITS - 1;
const SEGMENT_NAME = new RegExp(`^(\\d{${SEQ_DIGITS}})\\.seg$`);
const SNAPSHOT_NAME = /^[0-9A-Za-z][0-9A-Za-z_.-]{0,99}$/;
const SNAPSHOT_FILE = /^([0-9A-Za-z][0-9A-Za-z_.-]{0,99})\.snap$/;

export const isDeviceId = (name: string): boolean => DEVICE_ID.test(name);

export function checkDeviceId(deviceId: string): void {
  if (!isDeviceId(deviceId)) throw new CoreError('internal', `Not a device id: ${JSON.stringify(deviceId)}.`, { deviceId });
}

export function checkSeq(seq: number): void {
  if (!Number.isSafeInteger(seq) || seq < 1 || seq > MAX_SEQ) throw new CoreError('internal', `Not a segment number: ${seq}.`, { seq });
}

export const deviceDir = (deviceId: string): string => `${DEVICES_DIR}/${deviceId}`;

export function segmentPath(deviceId: string, seq: number): string {
  checkDeviceId(deviceId);
  checkSeq(seq);
  return `${deviceDir(deviceId)}/${String(seq).padStart(SEQ_DIGITS, '0')}.seg`;
}

/** The segment number a file name carries, or null for any other name. */
export function segmentSeq(name: string): number | null {
  const digits = SEGMENT_NAME.exec(name)?.[1];
  const seq = digits === undefined ? 0 : Number(digits);
  return seq >= 1 ? seq : null;
}

export function headPath(deviceId: string): string {
  checkDeviceId(deviceId);
  return `${deviceDir(deviceId)}/head`;
}

export function snapshotPath(name: string): string {
  if (!SNAPSHOT_NAME.test(name)) throw new CoreError('internal', `Not a snapshot name: ${JSON.stringify(name)}.`, { name });
  return `${SNAPSHOTS_DIR}/${name}.snap`;
}

/** The snapshot name a file name carries, or null for any other name. */
export const snapshotNameOf = (fileName: string): string | null => SNAPSHOT_FILE.exec(fileName)?.[1] ?? null;

/** A name that sorts in time order, which is what "latest" means: `20250101T100000.000Z-<deviceId>`. */
export function snapshotName(at: Date, deviceId: string): string {
  checkDeviceId(deviceId);
  return `${at.toISOString().replace(/[-:]/g, '')}-${deviceId}`;
}
