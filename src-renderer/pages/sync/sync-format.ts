/** Team sync's times and states in the UI language: relative times (Intl), the shell indicator's state. */
import type { SyncStatus } from '../../../src-main/contract';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

/**
 * "3 minutes ago" / "il y a 3 minutes", in the largest unit that fits; null under a minute, where the caller says
 * "just now" (seconds ticking by would only distract). A time slightly ahead (another clock) reads as just now too.
 */
export function relativeTime(iso: string, now: number, language: string): string | null {
  const elapsed = now - new Date(iso).getTime();
  if (!Number.isFinite(elapsed) || elapsed < MINUTE) return null;
  let format = relativeFormats.get(language);
  if (!format) relativeFormats.set(language, (format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' })));
  if (elapsed < HOUR) return format.format(-Math.floor(elapsed / MINUTE), 'minute');
  if (elapsed < DAY) return format.format(-Math.floor(elapsed / HOUR), 'hour');
  return format.format(-Math.floor(elapsed / DAY), 'day');
}

/** Errors that only mean the folder is out of reach for now (a USB stick unplugged, a server away): "offline". */
const OFFLINE_CODES = new Set(['sync_folder_missing', 'sync_folder_unreachable', 'sync_folder_unreadable', 'sync_folder_unwritable']);

export type IndicatorState =
  | { kind: 'hidden' }
  | { kind: 'offline'; lastSyncAt: string | null; waiting: number }
  | { kind: 'problem'; lastSyncAt: string | null; waiting: number }
  | { kind: 'sheet' }
  | { kind: 'rekey' }
  | { kind: 'waiting'; count: number }
  | { kind: 'synced'; at: string }
  | { kind: 'never' };

/** What the shell's indicator says: nothing outside a team; else the most useful one line, calm when offline. */
export function indicatorState(status: SyncStatus | null): IndicatorState {
  if (!status?.inTeam) return { kind: 'hidden' };
  // Not a pause to wait out: the volunteer has a key to type.
  if (status.lastError?.code === 'sync_team_key_rotated') return { kind: 'rekey' };
  if (status.lastError) {
    const kind = OFFLINE_CODES.has(status.lastError.code) ? 'offline' : 'problem';
    return { kind, lastSyncAt: status.lastSyncAt, waiting: status.waiting };
  }
  if (!status.sheetConfirmed) return { kind: 'sheet' };
  if (status.waiting > 0) return { kind: 'waiting', count: status.waiting };
  return status.lastSyncAt ? { kind: 'synced', at: status.lastSyncAt } : { kind: 'never' };
}

export const isOfflineError = (code: string): boolean => OFFLINE_CODES.has(code);
