import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../src-main/contract';
import { indicatorState, relativeTime } from './sync-format';

const NOW = Date.parse('2026-03-12T10:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('relativeTime', () => {
  it('says nothing under a minute (the caller says "just now"), also for a clock slightly ahead', () => {
    expect(relativeTime(ago(0), NOW, 'en')).toBeNull();
    expect(relativeTime(ago(59_000), NOW, 'en')).toBeNull();
    expect(relativeTime(ago(-30_000), NOW, 'en')).toBeNull();
  });

  it('uses the largest unit that fits, rounded down, in the UI language', () => {
    expect(relativeTime(ago(3 * 60_000 + 50_000), NOW, 'en')).toBe('3 minutes ago');
    expect(relativeTime(ago(3 * 60_000), NOW, 'fr')).toBe('il y a 3 minutes');
    expect(relativeTime(ago(3 * 3_600_000 + 59 * 60_000), NOW, 'en')).toBe('3 hours ago');
    expect(relativeTime(ago(3 * 3_600_000), NOW, 'fr')).toBe('il y a 3 heures');
    expect(relativeTime(ago(26 * 3_600_000), NOW, 'en')).toBe('yesterday');
    expect(relativeTime(ago(5 * 86_400_000), NOW, 'fr')).toBe('il y a 5 jours');
  });
});

const status = (patch: Partial<SyncStatus>): SyncStatus => ({
  inTeam: true,
  teamId: 't',
  folder: '/media/usb/pelote',
  node: '0123456789abcdef',
  joinedAt: ago(86_400_000),
  sheetConfirmed: true,
  lastSyncAt: ago(120_000),
  lastError: null,
  waiting: 0,
  held: 0,
  heldForNewerPelote: 0,
  folderBytes: null,
  devices: [],
  receiptBook: { holder: '0123456789abcdef', here: true, holderName: null },
  ...patch,
});

describe('indicatorState', () => {
  it('is hidden outside a team, or before the status arrives', () => {
    expect(indicatorState(null).kind).toBe('hidden');
    expect(indicatorState(status({ inTeam: false })).kind).toBe('hidden');
  });

  it('says offline, calmly, when the folder is only out of reach; a problem otherwise', () => {
    const error = { code: 'sync_folder_missing', message: '', details: {} };
    expect(indicatorState(status({ lastError: error, waiting: 3 }))).toEqual({ kind: 'offline', lastSyncAt: ago(120_000), waiting: 3 });
    expect(indicatorState(status({ lastError: { ...error, code: 'sync_clock_drift' } })).kind).toBe('problem');
    // A changed team key is not waited out: there is a key to type.
    expect(indicatorState(status({ lastError: { ...error, code: 'sync_team_key_rotated' }, sheetConfirmed: false })).kind).toBe('rekey');
  });

  it('asks for the sheet until confirmed, then counts what waits, then says when it last synced', () => {
    expect(indicatorState(status({ sheetConfirmed: false, waiting: 2 })).kind).toBe('sheet');
    expect(indicatorState(status({ waiting: 2 }))).toEqual({ kind: 'waiting', count: 2 });
    expect(indicatorState(status({}))).toEqual({ kind: 'synced', at: ago(120_000) });
    expect(indicatorState(status({ lastSyncAt: null })).kind).toBe('never');
  });
});
