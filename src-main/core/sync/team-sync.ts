// A laptop in a team: creating the team folder, joining it, and one sync — read every other laptop's new segments,
// apply them, write this laptop's waiting changes as its next segment, then its head. Offline is normal: a failed
// sync leaves everything queued and says so once in the status.
import { makeClientId } from '@actual-app/crdt';
import type { SyncDevice, SyncStatus, TeamKeySheet } from '../../contract';
import { isoNow } from '../clock';
import type { Core } from '../core';
import { busyAsCoreError, writeTransaction } from '../db/write-transaction';
import { migrations } from '../db/migrations';
import { CoreError } from '../errors';
import { loadDevice } from '../settings/device';
import { forgetWritten, keepSecret, readSecret, type SecretCodes, type SecretSource } from '../secrets/kept-secret';
import { applyMessages, type SyncMessage } from './engine/apply';
import { captureClock, captureExistingRows } from './engine/capture';
import { SOFT_DRIFT_MS } from './engine/device-clock';
import { syncedTable } from './engine/synced-tables';
import { startCapture, teamRow, type TeamRow } from './engine/team-clock';
import {
  formatTeamKey,
  generateTeamKey,
  initTeamFolder,
  openTeamFolder,
  parseTeamKey,
  readHeads,
  readSegmentsAfter,
  writeHead,
  writeSegment,
  deviceDir,
  DEVICES_DIR,
  isDeviceId,
  listSnapshots,
  segmentSeq,
  type FolderStore,
  type HeadRead,
  type SegmentProblem,
  type SegmentsAfter,
  type Team,
} from './folder';
import { catchUpFromSnapshot, compact, compactionDue } from './compaction';
import { finishRotation, pendingRotation, rotationRow } from './key-rotation';
import { receiptBook, takeReceiptBook } from './receipt-book';
import { keepJoinLogin, withJoinLogin, type JoinLogin } from './ssh-folder';
import { withFolderStore } from './team-store';

export const KEY_CODES: SecretCodes = { unwritable: 'sync_key_file_unwritable', unavailable: 'sync_key_unavailable' };
/** Messages per segment: a first sync of a large register is written in several files, each one a bounded read. */
const SEGMENT_MESSAGES = 20_000;
/** Segments held in memory at once while catching up; the rest are read on the next pass of the same sync. */
const SEGMENTS_PER_READ = 20;

export function requireTeam(core: Core): TeamRow {
  const team = teamRow(core.db);
  if (!team) throw new CoreError('sync_not_in_team', 'This laptop is not in a team yet.');
  return team;
}

function refuseIfInTeam(core: Core): void {
  const team = teamRow(core.db);
  if (team) throw new CoreError('sync_already_in_team', `This laptop already syncs with ${team.folder}.`, { folder: team.folder });
}

/** Becomes a member: the row, and capture on from now. */
function enter(core: Core, team: Team, folder: string, keyText: string, keyFile: string | null): void {
  const kept = keepSecret(core, keyText, { file: keyFile, defaultFileName: 'team.key', codes: KEY_CODES });
  try {
    writeTransaction(core.db, () => {
      core.db
        .prepare(`insert into sync_team (id, team_id, node, folder, key_source, key_sealed, joined_at) values (1, ?, ?, ?, ?, ?, ?)`)
        .run(team.teamId, makeClientId(), folder, JSON.stringify(kept.source), kept.sealed, isoNow(core.clock));
      core.audit.record({ entity: 'sync', entityId: team.teamId, action: 'create', changes: { folder: { from: null, to: folder } } });
    });
  } catch (error) {
    forgetWritten(kept);
    throw error;
  }
  startCapture(core.db);
}

export async function createTeam(core: Core, input: { folder: string; keyFile: string | null }): Promise<TeamKeySheet> {
  refuseIfInTeam(core);
  const key = generateTeamKey();
  const team = await withFolderStore(core, input.folder, (store) => initTeamFolder(store, key, core.clock.now()));
  enter(core, team, input.folder, formatTeamKey(key), input.keyFile);
  writeTransaction(core.db, () => captureExistingRows(core.db, 'all'));
  // The computer that makes the team has been numbering the receipts: it keeps the book.
  takeReceiptBook(core);
  await syncNow(core);
  return teamSheet(core);
}

export interface JoinInput {
  folder: string;
  key: string;
  keyFile: string | null;
  /** An ssh:// folder on a server this laptop does not know yet: its key, the fingerprint to pin, the passphrase's source. */
  identity?: string | null;
  fingerprint?: string | null;
  passphrase?: JoinLogin['passphrase'];
}

export async function joinTeam(core: Core, input: JoinInput): Promise<SyncStatus> {
  refuseIfInTeam(core);
  const { identity, fingerprint } = input;
  if (identity == null || fingerprint == null) return join(core, input, null);
  const login: JoinLogin = { identity, fingerprint, passphrase: input.passphrase ?? { kind: 'none' } };
  return withJoinLogin(core, input.folder, login, () => join(core, input, login));
}

async function join(core: Core, input: JoinInput, login: JoinLogin | null): Promise<SyncStatus> {
  const team = await withFolderStore(core, input.folder, (store) => openTeamFolder(store, input.key));
  enter(core, team, input.folder, formatTeamKey(team.key), input.keyFile);
  // Joining with the key in hand is as good as having the sheet.
  writeTransaction(core.db, () => core.db.prepare('update sync_team set sheet_confirmed_at = ?').run(isoNow(core.clock)));
  // The team's register first: what this laptop held before joins it only where the team has nothing (its own
  // members are new rows; a setting the team already has keeps the team's value).
  await syncNow(core);
  // The team's server (arrived just now) gets this laptop's key, or is added: later syncs go the usual way. A refusal
  // is told once this laptop's own register has gone out too.
  let refused: CoreError | null = null;
  if (login !== null) {
    try {
      keepJoinLogin(core, input.folder, login);
    } catch (error) {
      if (!(error instanceof CoreError)) throw error;
      refused = error;
    }
  }
  writeTransaction(core.db, () => captureExistingRows(core.db, 'unknown'));
  const status = await syncNow(core);
  if (refused !== null) throw refused;
  return status;
}

export function teamSheet(core: Core): TeamKeySheet {
  const team = requireTeam(core);
  if (team.sheet_confirmed_at !== null) throw new CoreError('sync_sheet_confirmed', 'The team key sheet was confirmed saved and is not shown again.');
  // After a rotation, the sheet is the new key's, dated from the change.
  const createdAt = core.db.prepare('select coalesce(key_changed_at, joined_at) from sync_team').pluck().get() as string;
  return { teamId: team.team_id, folder: team.folder, key: keyText(core, team), createdAt };
}

export function confirmSheet(core: Core): SyncStatus {
  requireTeam(core);
  writeTransaction(core.db, () => {
    core.db.prepare('update sync_team set sheet_confirmed_at = coalesce(sheet_confirmed_at, ?)').run(isoNow(core.clock));
  });
  const status = syncStatus(core);
  core.events.emit('sync.changed', status);
  return status;
}

export const keyText = (core: Core, team: TeamRow): string => readSecret(core, JSON.parse(team.key_source) as SecretSource, team.key_sealed, KEY_CODES);

const running = new WeakMap<Core, Promise<SyncStatus>>();

/** One sync at a time per core: the scheduler and the "Sync now" button share the one in flight. */
export function syncNow(core: Core): Promise<SyncStatus> {
  const inFlight = running.get(core);
  if (inFlight) return inFlight;
  const run = syncOnce(core).finally(() => running.delete(core));
  running.set(core, run);
  return run;
}

/**
 * Runs `work` (removing a device, entering a new key) as the one sync in flight: the scheduler's syncs wait for it
 * instead of writing under a key being replaced. `work` syncs with syncOnce, never syncNow (which would wait on it).
 */
export async function asTheSync<T>(core: Core, work: () => Promise<T>): Promise<T> {
  for (let inFlight = running.get(core); inFlight; inFlight = running.get(core)) await inFlight.catch(() => undefined);
  const run = work();
  running.set(
    core,
    run.then(
      () => syncStatus(core),
      () => syncStatus(core),
    ).finally(() => running.delete(core)),
  );
  return run;
}

export async function syncOnce(core: Core): Promise<SyncStatus> {
  const row = requireTeam(core);
  try {
    // Measured on a full sync only: the poll stays one listing per device.
    let folderBytes: number | null = null;
    let clockAhead: ReturnType<typeof clockAheadHere> = null;
    await withFolderStore(core, row.folder, async (store) => {
      // A device removal stopped halfway (a crash, the folder gone) is finished first, whatever else waits.
      const rotation = pendingRotation(core);
      if (rotation) {
        const pendingKey = readSecret(core, rotation.keySource, rotationRow(core)?.rotation_key_sealed ?? null, KEY_CODES);
        await finishRotation(core, store, { old: parseTeamKey(keyText(core, row)), new: parseTeamKey(pendingKey) }, rotation);
      } else if (await nothingToDo(core, store, row)) return;
      const team = await openTeamFolder(store, keyText(core, requireTeam(core)));
      if (team.teamId !== row.team_id) throw new CoreError('sync_other_team', `${row.folder} now holds another team.`, { folder: row.folder });
      // The other laptops' heads, read once: where they are (a gap compaction left) and who they are.
      const heads = await readHeads(store, team);
      clockAhead = clockAheadHere(heads, row.node);
      await pull(core, store, team, row.node, heads);
      await push(core, store, team, row.node);
      if (await compactionDue(core, store)) await compact(core, store, team, row.node);
      await publishHead(core, store, team, row.node);
      recordPeerHeads(core, heads, row.node);
      folderBytes = await store.totalBytes();
    });
    writeTransaction(core.db, () =>
      core.db
        .prepare('update sync_team set last_sync_at = ?, last_error = ?, folder_bytes = coalesce(?, folder_bytes)')
        .run(isoNow(core.clock), clockAhead && JSON.stringify(clockAhead), folderBytes),
    );
  } catch (error) {
    if (!(error instanceof CoreError)) throw error;
    const recorded = { code: error.code, message: error.message, details: error.details ?? {} };
    writeTransaction(core.db, () => core.db.prepare('update sync_team set last_error = ?').run(JSON.stringify(recorded)));
  }
  const status = syncStatus(core);
  core.events.emit('sync.changed', status);
  return status;
}

/** A head is rewritten when this laptop's position changed, and at least this often so others see it alive. */
const HEAD_EVERY_MS = 10 * 60_000;
const headWritten = new WeakMap<Core, number>();
/** The newest snapshot name this laptop has looked at: a new one may mean its segments were compacted away. */
const snapshotSeen = new WeakMap<Core, string>();

/**
 * The poll every few seconds: one listing per device, nothing decrypted or written, when nothing waits here, no
 * other laptop wrote a segment past what this one read, and no device is stuck on a problem to retry.
 */
async function nothingToDo(core: Core, store: FolderStore, row: TeamRow): Promise<boolean> {
  const waiting = core.db.prepare('select 1 from sync_outbox limit 1').get() !== undefined;
  const problems = core.db.prepare('select 1 from sync_peers where problem is not null limit 1').get() !== undefined;
  if (waiting || problems || row.last_error !== null || Date.now() - (headWritten.get(core) ?? 0) > HEAD_EVERY_MS) return false;
  const snapshot = (await listSnapshots(store)).at(-1) ?? '';
  if (snapshot !== (snapshotSeen.get(core) ?? '')) {
    snapshotSeen.set(core, snapshot);
    return false;
  }
  const cursors = new Map((core.db.prepare('select node, last_seq from sync_peers').all() as { node: string; last_seq: number }[]).map((p) => [p.node, p.last_seq]));
  for (const device of (await store.list(DEVICES_DIR)).filter(isDeviceId)) {
    if (device === row.node) continue;
    const newest = Math.max(0, ...(await store.list(deviceDir(device))).map((n) => segmentSeq(n) ?? 0));
    if (newest > (cursors.get(device) ?? 0)) return false;
  }
  return true;
}

async function pull(core: Core, store: FolderStore, team: Team, node: string, heads: readonly HeadRead[]): Promise<void> {
  const cursors = new Map((core.db.prepare('select node, last_seq from sync_peers').all() as { node: string; last_seq: number }[]).map((p) => [p.node, p.last_seq]));
  // This laptop's own segments are already in its tables.
  cursors.set(node, Number.MAX_SAFE_INTEGER);
  let read = await readSegmentsAfter(store, team, cursors, { maxSegments: SEGMENTS_PER_READ });
  // Segments compacted away (or a first join after a compaction): the snapshot that covers them, then the rest.
  // With every covered segment gone there is no later one to show the gap: the device's head tells.
  const gone = read.more ? [] : unseen(heads, cursors, read);
  if (await catchUpFromSnapshot(core, store, team, [...read.problems, ...gone])) {
    for (const p of core.db.prepare('select node, last_seq from sync_peers').all() as { node: string; last_seq: number }[]) cursors.set(p.node, p.last_seq);
    read = await readSegmentsAfter(store, team, cursors, { maxSegments: SEGMENTS_PER_READ });
  }
  const held = new Set<string>();
  const problems = new Map<string, { code: string; details: Record<string, unknown> }>();
  const readFrom = new Set<string>();
  const memberIds = new Set<string>();
  const serverIds = new Set<string>();
  const repositoryIds = new Set<string>();
  const jobIds = new Set<string>();
  const runs = { touched: false };
  for (;;) {
    for (const p of read.problems) problems.set(p.device, { code: p.code, details: { seq: p.seq } });
    for (const segment of read.segments) {
      if (held.has(segment.device)) continue;
      const ahead = maxMillis(segment.messages) - Date.now();
      if (ahead > SOFT_DRIFT_MS) {
        // Its changes wait, in the folder, until this clock catches up or that one is set right.
        held.add(segment.device);
        problems.set(segment.device, { code: 'sync_clock_ahead', details: { minutes: Math.round(ahead / 60_000) } });
        continue;
      }
      writeTransaction(core.db, () => {
        const applied = applyMessages(core.db, segment.messages);
        core.db
          .prepare('insert into sync_peers (node, last_seq) values (?, ?) on conflict (node) do update set last_seq = excluded.last_seq')
          .run(segment.device, segment.seq);
        for (const id of applied.rows.get('servers') ?? []) serverIds.add(id);
        // An incident (or its acknowledgement, a note) refreshes its server's page.
        const incidentServer = core.db.prepare('select server_id from incidents where id = ?').pluck();
        for (const id of applied.rows.get('incidents') ?? []) serverIds.add(incidentServer.get(id) as string);
        const eventServer = core.db.prepare('select i.server_id from incident_events e join incidents i on i.id = e.incident_id where e.id = ?').pluck();
        for (const id of applied.rows.get('incident_events') ?? []) serverIds.add(eventServer.get(id) as string);
        for (const id of applied.rows.get('backup_repositories') ?? []) repositoryIds.add(id);
        for (const id of applied.rows.get('backup_jobs') ?? []) jobIds.add(id);
        if (['backup_runs', 'backup_snapshots'].some((t) => (applied.rows.get(t)?.size ?? 0) > 0)) runs.touched = true;
        for (const id of applied.rows.get('members') ?? []) memberIds.add(id);
        for (const id of applied.rows.get('payments') ?? []) {
          const memberId = core.db.prepare('select member_id from payments where id = ?').pluck().get(id) as string | undefined;
          if (memberId) memberIds.add(memberId);
        }
      });
      cursors.set(segment.device, segment.seq);
      readFrom.add(segment.device);
    }
    if (!read.more) break;
    // A long backlog is read a page at a time; a device held back is not read again in this sync.
    for (const device of held) cursors.set(device, Number.MAX_SAFE_INTEGER);
    read = await readSegmentsAfter(store, team, cursors, { maxSegments: SEGMENTS_PER_READ });
  }
  writeTransaction(core.db, () => {
    const save = core.db.prepare('insert into sync_peers (node, problem) values (?, ?) on conflict (node) do update set problem = excluded.problem');
    const clear = core.db.prepare('update sync_peers set problem = null where node = ?');
    for (const device of readFrom) if (!problems.has(device)) clear.run(device);
    for (const [device, problem] of problems) save.run(device, JSON.stringify(problem));
  });
  if (memberIds.size > 0) core.events.emit('members.changed', { ids: [...memberIds] });
  // Services and rules arrive under their server's page, which refreshes on the fleet's event.
  if (serverIds.size > 0 || readFrom.size > 0) core.events.emit('health.updated', { serverIds: [...serverIds] });
  if (runs.touched || repositoryIds.size > 0 || jobIds.size > 0) {
    core.events.emit('backups.changed', { repositoryIds: [...repositoryIds], jobIds: [...jobIds], runId: null });
  }
  if (readFrom.size > 0) core.events.emit('settings.changed', core.settings.get());
}

/** Devices whose head names segments past what this laptop holds and could read. */
function unseen(heads: readonly HeadRead[], cursors: ReadonlyMap<string, number>, read: SegmentsAfter): SegmentProblem[] {
  const reached = new Map(cursors);
  for (const s of read.segments) reached.set(s.device, Math.max(reached.get(s.device) ?? 0, s.seq));
  const reported = new Set(read.problems.map((p) => p.device));
  return heads.flatMap((h) =>
    'head' in h && !reported.has(h.device) && h.head.seq > (reached.get(h.device) ?? 0)
      ? [{ device: h.device, seq: (reached.get(h.device) ?? 0) + 1, code: 'sync_segment_missing' as const }]
      : [],
  );
}

const maxMillis = (messages: readonly SyncMessage[]): number => messages.reduce((max, m) => Math.max(max, Date.parse(m.timestamp.slice(0, 24))), 0);

async function push(core: Core, store: FolderStore, team: Team, node: string): Promise<void> {
  for (;;) {
    const batch = core.db
      .prepare('select timestamp, dataset, row, col as "column", value from sync_outbox order by timestamp limit ?')
      .all(SEGMENT_MESSAGES) as SyncMessage[];
    if (batch.length === 0) {
      reclaimSpace(core);
      return;
    }
    const seq = requireTeam(core).next_seq;
    try {
      await writeSegment(store, team, node, seq, batch);
    } catch (error) {
      // Written by an earlier attempt (or this laptop's other process) that stopped before recording it: the
      // number is taken for good, so the batch goes under the next one; applying twice changes nothing.
      if (!(error instanceof CoreError && error.code === 'sync_folder_file_exists')) throw error;
      writeTransaction(core.db, () => core.db.prepare('update sync_team set next_seq = max(next_seq, ?)').run(seq + 1));
      continue;
    }
    writeTransaction(core.db, () => {
      const remove = core.db.prepare('delete from sync_outbox where timestamp = ?');
      for (const m of batch) remove.run(m.timestamp);
      const clock = captureClock(core.db);
      clock?.hash(batch.map((m) => m.timestamp));
      core.db.prepare('update sync_team set next_seq = ?, merkle = ?').run(seq + 1, JSON.stringify(clock?.trie() ?? {}));
    });
  }
}

/** Free space in the database file past which a sync gives it back to the disk. */
const RECLAIM_FREE_BYTES = 32 * 1024 * 1024;

/**
 * A team's first push empties an outbox as large as the register (and migration 10 left the old cell table's pages
 * free): SQLite keeps freed pages in the file, so once they are a quarter of it and more than 32 MB, VACUUM gives them
 * back (rowids may be renumbered, in the same order: they only ever break ties). Another process reading or writing
 * makes it wait or fail: the next sync tries again.
 */
function reclaimSpace(core: Core): void {
  const pageSize = core.db.pragma('page_size', { simple: true }) as number;
  const free = (core.db.pragma('freelist_count', { simple: true }) as number) * pageSize;
  const total = (core.db.pragma('page_count', { simple: true }) as number) * pageSize;
  if (free < RECLAIM_FREE_BYTES || free * 4 < total) return;
  try {
    core.db.exec('VACUUM');
    // VACUUM wrote the whole database through the WAL: without this the -wal file keeps that size on disk.
    core.db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (error) {
    if (!(busyAsCoreError(error) instanceof CoreError)) throw error;
  }
}

/**
 * When other computers hold this one's changes because its clock runs ahead of theirs (their heads say so), the sync
 * worked but this computer must be told: it is the one to set right.
 */
function clockAheadHere(heads: readonly HeadRead[], node: string): { code: string; message: string; details: Record<string, unknown> } | null {
  const holders = heads.flatMap((h) => ('head' in h && h.device !== node && h.head.held?.[node] !== undefined ? [{ name: h.head.volunteerName, minutes: h.head.held[node] }] : []));
  if (holders.length === 0) return null;
  const minutes = Math.max(...holders.map((h) => h.minutes));
  const names = holders.map((h) => h.name).filter((n) => n !== '').join(', ');
  return {
    code: 'sync_clock_ahead_here',
    message: `This computer's clock is about ${minutes} minutes ahead of the others': they hold its changes until it is set right. Set its date and time.`,
    details: { minutes, names },
  };
}

async function publishHead(core: Core, store: FolderStore, team: Team, node: string): Promise<void> {
  const row = requireTeam(core);
  const cursors = Object.fromEntries((core.db.prepare('select node, last_seq from sync_peers').all() as { node: string; last_seq: number }[]).map((p) => [p.node, p.last_seq]));
  headWritten.set(core, Date.now());
  await writeHead(store, team, node, {
    seq: row.next_seq - 1,
    cursors,
    volunteerName: loadDevice(core.db, core.clock).volunteerName,
    appVersion: core.platform.appVersion,
    schemaVersion: migrations.at(-1)?.version ?? 0,
    at: isoNow(core.clock),
    merkle: JSON.parse(row.merkle) as unknown,
    held: Object.fromEntries(
      (core.db.prepare(`select node, json_extract(problem, '$.details.minutes') as minutes from sync_peers where json_extract(problem, '$.code') = 'sync_clock_ahead'`).all() as { node: string; minutes: number }[]).map((p) => [
        p.node,
        p.minutes,
      ]),
    ),
  });
}

function recordPeerHeads(core: Core, heads: readonly HeadRead[], node: string): void {
  writeTransaction(core.db, () => {
    const save = core.db.prepare(
      `insert into sync_peers (node, volunteer_name, app_version, last_seen_at) values (?, ?, ?, ?)
       on conflict (node) do update set volunteer_name = excluded.volunteer_name, app_version = excluded.app_version, last_seen_at = excluded.last_seen_at`,
    );
    for (const read of heads) if (read.device !== node && 'head' in read) save.run(read.device, read.head.volunteerName, read.head.appVersion, read.head.at);
  });
}

function heldForNewerPelote(core: Core): number {
  const rows = new Set<string>();
  for (const p of core.db.prepare('select distinct dataset, row, col from sync_pending').iterate() as Iterable<{ dataset: string; row: string; col: string }>) {
    if (!syncedTable(p.dataset)?.columns.includes(p.col)) rows.add(`${p.dataset}\0${p.row}`);
  }
  return rows.size;
}

export function syncStatus(core: Core): SyncStatus {
  const team = teamRow(core.db);
  const count = (sql: string) => core.db.prepare(sql).pluck().get() as number;
  const devices = (core.db.prepare('select * from sync_peers order by volunteer_name, node').all() as {
    node: string;
    last_seq: number;
    volunteer_name: string;
    app_version: string;
    last_seen_at: string | null;
    problem: string | null;
  }[])
    .filter((p) => p.node !== team?.node)
    .map(
      (p): SyncDevice => ({
        node: p.node,
        volunteerName: p.volunteer_name,
        appVersion: p.app_version,
        lastSeenAt: p.last_seen_at,
        lastSeq: p.last_seq,
        problem: p.problem === null ? null : (JSON.parse(p.problem) as SyncDevice['problem']),
      }),
    );
  return {
    inTeam: team !== undefined,
    teamId: team?.team_id ?? null,
    folder: team?.folder ?? null,
    node: team?.node ?? null,
    joinedAt: team?.joined_at ?? null,
    sheetConfirmed: team?.sheet_confirmed_at != null,
    lastSyncAt: team?.last_sync_at ?? null,
    lastError: team?.last_error ? (JSON.parse(team.last_error) as SyncStatus['lastError']) : null,
    waiting: count('select count(*) from (select distinct dataset, row from sync_outbox)'),
    held: count('select count(distinct dataset || char(0) || row) from sync_pending'),
    heldForNewerPelote: heldForNewerPelote(core),
    folderBytes: team === undefined ? null : (core.db.prepare('select folder_bytes from sync_team').pluck().get() as number | null),
    devices,
    receiptBook: receiptBook(core),
  };
}
