// A cell's value as a message carries it, in Actual's encoding: '0:' null, 'N:<number>', 'S:<text>'; and ours for
// bytes, 'B:<base64>' (a backup's manifest, gzip'd). Only tables a Pelote knows are decoded, so an older Pelote
// never meets 'B:': it keeps those rows held until it is updated.
import { CoreError } from '../../errors';

export type CellValue = string | number | Buffer | null;

export function encodeCell(value: unknown): string {
  if (value === null || value === undefined) return '0:';
  if (typeof value === 'number') return `N:${value}`;
  if (typeof value === 'bigint') return `N:${value.toString()}`;
  if (typeof value === 'string') return `S:${value}`;
  if (value instanceof Uint8Array) return `B:${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}`;
  throw new CoreError('internal', `A synced column holds a ${typeof value}.`);
}

export function decodeCell(encoded: string): CellValue {
  if (encoded === '0:') return null;
  if (encoded.startsWith('N:')) return Number(encoded.slice(2));
  if (encoded.startsWith('S:')) return encoded.slice(2);
  if (encoded.startsWith('B:')) return Buffer.from(encoded.slice(2), 'base64');
  throw new CoreError('sync_bad_message', `Not a cell value: ${encoded.slice(0, 20)}`);
}
