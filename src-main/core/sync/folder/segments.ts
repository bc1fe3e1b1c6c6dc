// Segments: each device's changes, in immutable sealed files numbered 1, 2, 3... under devices/<deviceId>/. Inside is
// the engine's own protobuf SyncRequest (@actual-app/crdt), its messages unencrypted within the sealed file.
// Readers take each device's segments strictly in order: at the first one missing, incomplete or unreadable they
// stop that device, so a half-copied file is retried later, never skipped.
import { create, fromBinary, MessageEnvelopeSchema, MessageSchema, SyncRequestSchema, toBinary } from '@actual-app/crdt';
import { CoreError } from '../../errors';
import type { FolderStore } from './folder-store';
import { deviceDir, DEVICES_DIR, isDeviceId, segmentPath, segmentSeq } from './layout';
import { mapLimit } from './map-limit';
import { open, seal } from './sealed-file';
import type { Team } from './team-folder';
import type { SyncMessage } from '../sync-message';

export type { SyncMessage };

export interface Segment {
  device: string;
  seq: number;
  messages: SyncMessage[];
}

/**
 * Why a device's reading stopped: a gap in its numbers ('sync_segment_missing': not arrived yet, or compacted), a
 * segment listed then gone ('sync_file_vanished': compacted meanwhile, fall back to a snapshot), an incomplete or
 * damaged one, or one from a newer Pelote (kept, not applied).
 */
export type SegmentProblemCode =
  | 'sync_segment_missing'
  | 'sync_file_vanished'
  | 'sync_file_truncated'
  | 'sync_file_corrupt'
  | 'sync_file_newer_format';

export interface SegmentProblem {
  device: string;
  seq: number;
  code: SegmentProblemCode;
}

export interface SegmentsAfter {
  /** In (device, seq) order, each device's without gaps from its cursor + 1. */
  segments: Segment[];
  problems: SegmentProblem[];
  /** Segments were left for a next call by `maxSegments`. */
  more: boolean;
}

/** Reads in flight: over SFTP each read is a few round trips. */
const READS_IN_FLIGHT = 8;

export async function writeSegment(store: FolderStore, team: Team, deviceId: string, seq: number, messages: readonly SyncMessage[]): Promise<void> {
  const path = segmentPath(deviceId, seq);
  const request = create(SyncRequestSchema, {
    fileId: team.teamId,
    groupId: deviceId,
    messages: messages.map(({ timestamp, dataset, row, column, value }) =>
      create(MessageEnvelopeSchema, {
        timestamp,
        isEncrypted: false,
        content: toBinary(MessageSchema, create(MessageSchema, { dataset, row, column, value })),
      }),
    ),
  });
  await store.writeNew(path, seal(team.key, { teamId: team.teamId, kind: 'segment', path }, Buffer.from(toBinary(SyncRequestSchema, request))));
}

/** Every device's segments numbered above its cursor (0 or absent: from the first). */
export async function readSegmentsAfter(
  store: FolderStore,
  team: Team,
  cursors: ReadonlyMap<string, number>,
  options: { maxSegments?: number } = {},
): Promise<SegmentsAfter> {
  const devices = (await store.list(DEVICES_DIR)).filter(isDeviceId).sort();
  const listings = await mapLimit(devices, READS_IN_FLIGHT, (device) => store.list(deviceDir(device)));
  const problems: SegmentProblem[] = [];
  const wanted: { device: string; seq: number; last: boolean }[] = [];
  const gaps = new Map<string, number>();
  devices.forEach((device, i) => {
    const plan = planDevice(cursors.get(device) ?? 0, listings[i] ?? []);
    plan.seqs.forEach((seq, j) => wanted.push({ device, seq, last: j === plan.seqs.length - 1 }));
    if (plan.gapAt !== null) {
      if (plan.seqs.length === 0) problems.push({ device, seq: plan.gapAt, code: 'sync_segment_missing' });
      else gaps.set(device, plan.gapAt); // reported only once the segments before it have been read
    }
  });
  const limit = options.maxSegments ?? Infinity;
  const batch = wanted.slice(0, limit);
  const reads = await mapLimit(batch, READS_IN_FLIGHT, ({ device, seq }) => readSegment(store, team, device, seq));
  const segments: Segment[] = [];
  const stopped = new Set<string>();
  batch.forEach(({ device, seq, last }, i) => {
    if (stopped.has(device)) return;
    const read = reads[i];
    if (read === undefined || 'code' in read) {
      stopped.add(device);
      problems.push({ device, seq, code: read?.code ?? 'sync_file_vanished' });
      return;
    }
    segments.push(read);
    const gapAt = gaps.get(device);
    if (last && gapAt !== undefined) problems.push({ device, seq: gapAt, code: 'sync_segment_missing' });
  });
  problems.sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : a.seq - b.seq));
  return { segments, problems, more: wanted.length > batch.length };
}

/** The numbers to read after `cursor`, up to the first gap, and where that gap is. Other names are ignored. */
function planDevice(cursor: number, names: string[]): { seqs: number[]; gapAt: number | null } {
  const listed = names
    .map(segmentSeq)
    .filter((seq): seq is number => seq !== null && seq > cursor)
    .sort((a, b) => a - b);
  const seqs: number[] = [];
  for (const seq of listed) {
    if (seq !== cursor + seqs.length + 1) return { seqs, gapAt: cursor + seqs.length + 1 };
    seqs.push(seq);
  }
  return { seqs, gapAt: null };
}

async function readSegment(store: FolderStore, team: Team, device: string, seq: number): Promise<Segment | { code: SegmentProblemCode }> {
  const path = segmentPath(device, seq);
  const bytes = await store.read(path);
  if (bytes === null) return { code: 'sync_file_vanished' };
  try {
    return { device, seq, messages: decodeSegment(team, device, open(team.key, { teamId: team.teamId, kind: 'segment', path }, bytes)) };
  } catch (err) {
    if (err instanceof CoreError && isProblemCode(err.code)) return { code: err.code };
    throw err;
  }
}

function decodeSegment(team: Team, device: string, plaintext: Buffer): SyncMessage[] {
  const corrupt = (): CoreError => new CoreError('sync_file_corrupt', `A segment of device ${device} does not decode.`, { device });
  const request = (() => {
    try {
      return fromBinary(SyncRequestSchema, plaintext);
    } catch {
      throw corrupt();
    }
  })();
  // Authenticated already; these only catch a writer that is not Pelote's.
  if (request.fileId !== team.teamId || request.groupId !== device) throw corrupt();
  return request.messages.map((envelope) => {
    if (envelope.isEncrypted) throw corrupt();
    try {
      const { dataset, row, column, value } = fromBinary(MessageSchema, envelope.content);
      return { timestamp: envelope.timestamp, dataset, row, column, value };
    } catch {
      throw corrupt();
    }
  });
}

const PROBLEM_CODES: ReadonlySet<string> = new Set<SegmentProblemCode>([
  'sync_segment_missing',
  'sync_file_vanished',
  'sync_file_truncated',
  'sync_file_corrupt',
  'sync_file_newer_format',
]);

const isProblemCode = (code: string): code is SegmentProblemCode => PROBLEM_CODES.has(code);
