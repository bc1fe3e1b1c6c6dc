// Snapshots as restic lists them, joined with what this laptop and its team know (the run that made them, their size, their
// manifest); the files inside one; one file saved to the laptop.
import { basename } from 'node:path';
import type { BackupSnapshot, FilePayload, SnapshotFiles } from '../../contract';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { RepositoriesService } from './repositories-service';
import { runResticJson, spawnRestic, resticError, type ResticRepo } from './restic';
import { RunsStore } from './runs-store';
import { tee, type ChunkSink } from './stream-tee';
import { tarParser, toSnapshotEntry, type ManifestEntry } from './tar-manifest';

const MAX_SAVED_BYTES = 64 * 1024 * 1024;

interface ResticSnapshot {
  id: string;
  short_id?: string;
  time: string;
  paths?: string[];
  hostname?: string;
  tags?: string[] | null;
}

const tagValue = (tags: string[], prefix: string): string | null => tags.find((t) => t.startsWith(`${prefix}:`))?.slice(prefix.length + 1) ?? null;

/** Newest first. `ids` restricts the list to those snapshots (full ids or prefixes). */
export async function listSnapshots(
  core: Core,
  repositoryId: string,
  filter: { jobId: string | null; serverId: string | null },
  ids: string[] = [],
): Promise<BackupSnapshot[]> {
  const repo = await new RepositoriesService(core).open(repositoryId);
  const tags = [filter.jobId === null ? null : `job:${filter.jobId}`, filter.serverId === null ? null : `server:${filter.serverId}`].filter((t) => t !== null);
  const listed = await runResticJson<ResticSnapshot[] | null>(repo, ['snapshots', ...(tags.length === 0 ? [] : ['--tag', tags.join(',')]), '--', ...ids]);
  const local = new RunsStore(core).snapshotsIn(repositoryId);
  const names = (table: 'backup_jobs' | 'servers', id: string | null): string | null =>
    id === null ? null : ((core.db.prepare(`select name from ${table} where id = ?`).pluck().get(id) as string | undefined) ?? null);
  return (listed ?? [])
    .map((s): BackupSnapshot => {
      const t = s.tags ?? [];
      const kind = tagValue(t, 'kind');
      const path = s.paths?.[0] ?? '';
      const jobId = tagValue(t, 'job');
      const serverId = tagValue(t, 'server');
      const mine = local.get(s.id);
      return {
        id: s.id,
        shortId: s.short_id ?? s.id.slice(0, 8),
        repositoryId,
        time: new Date(s.time).toISOString(),
        kind: kind === 'files' || kind === 'dump' ? kind : 'other',
        path,
        dumpName: kind === 'dump' ? basename(path).replace(/\.sql$/, '') : null,
        jobId,
        jobName: names('backup_jobs', jobId),
        serverId,
        serverName: names('servers', serverId),
        hostname: s.hostname ?? '',
        runId: mine?.run_id ?? null,
        size: mine?.bytes ?? null,
        hasManifest: mine?.has_manifest === 1,
        tags: t,
      };
    })
    .sort((a, b) => b.time.localeCompare(a.time));
}

export async function oneSnapshot(core: Core, repositoryId: string, id: string): Promise<BackupSnapshot> {
  const [found] = await listSnapshots(core, repositoryId, { jobId: null, serverId: null }, [id]).catch((error: unknown) => {
    if (error instanceof CoreError && error.code === 'restic_failed') return [];
    throw error;
  });
  if (found === undefined) throw new CoreError('backup_snapshot_not_found', `No snapshot ${id} in this repository.`, { id });
  return found;
}

export async function snapshotFiles(
  core: Core,
  args: { repositoryId: string; snapshotId: string; filter: string; offset: number; limit: number },
): Promise<SnapshotFiles> {
  const snapshot = await oneSnapshot(core, args.repositoryId, args.snapshotId);
  if (snapshot.kind !== 'files') throw new CoreError('backup_snapshot_not_files', 'This snapshot holds a database dump, not files.', { id: snapshot.id });
  const manifest = new RunsStore(core).manifest(snapshot.id);
  let entries: ManifestEntry[];
  if (manifest !== null) entries = manifest.entries;
  else {
    entries = [];
    await readTar(await new RepositoriesService(core).open(args.repositoryId), snapshot, (e) => entries.push(e));
  }
  const needle = args.filter.toLowerCase();
  const matching = needle === '' ? entries : entries.filter((e) => e.path.toLowerCase().includes(needle));
  return {
    snapshotId: snapshot.id,
    total: matching.length,
    entries: matching.slice(args.offset, args.offset + args.limit).map(toSnapshotEntry),
    source: manifest === null ? 'repository' : 'manifest',
  };
}

/** One regular file of a files snapshot, or a dump snapshot's whole dump (`path` ''). */
export async function saveSnapshotFile(core: Core, args: { repositoryId: string; snapshotId: string; path: string }): Promise<FilePayload> {
  const snapshot = await oneSnapshot(core, args.repositoryId, args.snapshotId);
  const repo = await new RepositoriesService(core).open(args.repositoryId);
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (chunk: Buffer): void => {
    size += chunk.length;
    if (size <= MAX_SAVED_BYTES) chunks.push(chunk);
  };
  let found = snapshot.kind === 'dump';
  if (snapshot.kind === 'dump') await readStream(repo, snapshot, [{ write: (chunk) => (keep(chunk), true), once: () => undefined }]);
  else {
    // A hard link's content is stored once, under the name tar met first: read that one.
    let wanted = args.path.replace(/^\/+/, '').replace(/\/+$/, '');
    const linked = new RunsStore(core).manifest(snapshot.id)?.entries.find((e) => e.path === wanted && e.type === 'hardlink');
    if (linked?.linkTarget != null) wanted = linked.linkTarget;
    const onEntry = (e: ManifestEntry): void => {
      if (e.path === wanted && e.type === 'file') found = true;
    };
    await readTar(repo, snapshot, onEntry, (path) => (path === wanted ? keep : null));
  }
  if (!found) throw new CoreError('backup_file_not_found', `No file ${args.path} in this snapshot.`, { path: args.path });
  if (size > MAX_SAVED_BYTES) throw new CoreError('backup_file_too_large', `The file is larger than ${MAX_SAVED_BYTES} bytes: restore it instead.`, { maxBytes: MAX_SAVED_BYTES });
  return { fileName: basename(snapshot.kind === 'dump' ? snapshot.path : args.path) || 'file', mimeType: 'application/octet-stream', base64: Buffer.concat(chunks).toString('base64') };
}

/** Streams the snapshot's tar through the parser (nothing is written on the laptop). */
async function readTar(repo: ResticRepo, snapshot: BackupSnapshot, onEntry: (e: ManifestEntry) => void, onContent?: (path: string) => ((chunk: Buffer) => void) | null): Promise<void> {
  const parser = tarParser(onEntry, onContent);
  try {
    await readStream(repo, snapshot, [parser]);
  } catch (error) {
    parser.destroy();
    throw error;
  }
  await parser.end();
}

async function readStream(repo: ResticRepo, snapshot: BackupSnapshot, sinks: ChunkSink[]): Promise<void> {
  const dump = spawnRestic(repo, ['dump', '--', snapshot.id, snapshot.path]);
  dump.child.stdin.end();
  tee(dump.child.stdout, sinks, () => undefined);
  const exit = await dump.exit;
  if (exit.code !== 0) throw resticError(repo, exit);
}
