// What a restore will write on its target, checked there before anything is written: which paths and databases,
// which of them exist (and so are overwritten, which the user must confirm by name), and which cannot be written.
import type { BackupJob, BackupSnapshot, DatabaseDump, RestorePlan, RestoreTarget, RestoreWrite, Server } from '../../contract';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { ServersService } from '../health/servers-service';
import { sshTargetFor } from '../health/ssh-target';
import type { SshPool, SshTarget } from '../ssh';
import { JobsService } from './jobs-service';
import { databaseLabel, dumpFileName, probeTargets, relativeOf } from './remote-commands';
import { RepositoriesService } from './repositories-service';
import type { ResticRepo } from './restic';
import { RunsStore } from './runs-store';
import { listSnapshots } from './snapshots';
import type { ManifestEntry } from './tar-manifest';

export interface PreparedRestore {
  plan: RestorePlan;
  server: Server;
  target: SshTarget;
  repo: ResticRepo;
  job: BackupJob | null;
  /** Where tar extracts: `/` for the original paths, else the target directory. */
  dir: string;
  files: BackupSnapshot | null;
  /** Archived top-level names (relative), as verification walks them. */
  roots: string[];
  manifest: ManifestEntry[] | null;
  dumps: { snapshot: BackupSnapshot; spec: DatabaseDump | null; sha256: string | null }[];
}

export async function prepareRestore(
  core: Core,
  pool: SshPool,
  args: { repositoryId: string; snapshotIds: string[]; serverId: string; target: RestoreTarget },
): Promise<PreparedRestore> {
  const repo = await new RepositoriesService(core).open(args.repositoryId);
  const snapshots = await listSnapshots(core, args.repositoryId, { jobId: null, serverId: null }, args.snapshotIds);
  for (const wanted of args.snapshotIds) {
    if (!snapshots.some((s) => s.id.startsWith(wanted))) throw new CoreError('backup_snapshot_not_found', `No snapshot ${wanted} in this repository.`, { id: wanted });
  }
  const filesSnapshots = snapshots.filter((s) => s.kind === 'files');
  const dumpSnapshots = snapshots.filter((s) => s.kind === 'dump');
  if (filesSnapshots.length > 1) throw new CoreError('restore_several_files_snapshots', 'Pick one files snapshot per restore.', {});
  if (snapshots.some((s) => s.kind === 'other')) throw new CoreError('backup_snapshot_unknown', 'A snapshot was not made by Pelote.', {});
  if (new Set(dumpSnapshots.map((s) => s.dumpName)).size < dumpSnapshots.length) throw new CoreError('restore_several_dumps', 'Pick one snapshot per database.', {});
  const jobIds = new Set(snapshots.map((s) => s.jobId));
  const jobId = jobIds.size === 1 ? ([...jobIds][0] ?? null) : null;
  const jobs = new JobsService(core);
  const job = jobId !== null && core.db.prepare('select 1 from backup_jobs where id = ?').get(jobId) !== undefined ? jobs.get(jobId) : null;

  const servers = new ServersService(core);
  const server = servers.getLive(args.serverId);
  const target = await sshTargetFor(core, server, servers.sealedPassphrase(server.id));
  const dir = args.target.kind === 'original' ? '/' : args.target.path;
  const runs = new RunsStore(core);
  const files = filesSnapshots[0] ?? null;
  const manifest = files === null ? null : runs.manifest(files.id);
  const roots = files === null ? [] : (manifest?.roots ?? (job === null ? null : job.paths.map(relativeOf)));
  if (roots === null) throw new CoreError('restore_roots_unknown', 'This snapshot was not made by this laptop nor its team: restore it into a directory.', {});

  const dumps = dumpSnapshots.map((snapshot) => ({
    snapshot,
    spec: job?.dumps.find((d) => d.name === snapshot.dumpName) ?? null,
    sha256: runs.snapshot(args.repositoryId, snapshot.id)?.sha256 ?? null,
  }));
  const writes: (RestoreWrite & { probe: string | null })[] = [];
  if (args.target.kind === 'directory') writes.push({ kind: 'path', name: dir, exists: false, probe: dir });
  else for (const root of roots) writes.push({ kind: 'path', name: root === '.' ? '/' : `/${root}`, exists: false, probe: root === '.' ? '/' : `/${root}` });
  if (args.target.kind === 'original') {
    for (const d of dumps) {
      if (d.spec === null) throw new CoreError('restore_dump_needs_job', `The database of ${d.snapshot.dumpName ?? ''} is unknown here: restore the dump into a directory.`, {});
      writes.push({ kind: 'database', name: databaseLabel(d.spec), exists: d.spec.kind !== 'sqlite', probe: d.spec.kind === 'sqlite' ? d.spec.path : null });
    }
  }
  const probed = writes.filter((w) => w.probe !== null);
  const notWritable: string[] = [];
  if (probed.length > 0) {
    const result = await pool.exec(target, probeTargets(probed.map((w) => w.probe ?? '')));
    const lines = result.stdout.trim().split('\n');
    if (result.code !== 0 || lines.length !== probed.length) throw new CoreError('restore_probe_failed', 'Cannot check the target paths on the server.', { stderr: result.stderr.slice(-500) });
    probed.forEach((w, i) => {
      const [exists, writable] = (lines[i] ?? '').split(' ');
      if (exists === '1') w.exists = true;
      if (writable !== '1') notWritable.push(w.probe ?? '');
    });
  }
  const plan: RestorePlan = {
    serverId: server.id,
    serverName: server.name,
    snapshots,
    target: args.target,
    writes: writes.map(({ probe: _probe, ...w }) => w),
    overwrites: writes.filter((w) => w.exists).map((w) => w.name),
    notWritable,
    afterRestoreCommands: job?.afterRestoreCommands ?? [],
    verification: files !== null && manifest === null ? 'unavailable' : 'manifest',
  };
  return { plan, server, target, repo, job, dir, files, roots, manifest: manifest?.entries ?? null, dumps };
}

/** The user named the server and exactly the paths the plan overwrites, or nothing is overwritten. */
export function assertConfirmed(plan: RestorePlan, confirm: { serverId: string; paths: string[] } | null): void {
  if (plan.notWritable.length > 0) {
    throw new CoreError('restore_target_not_writable', `${plan.serverName}: cannot write ${plan.notWritable.join(', ')}.`, { serverName: plan.serverName, paths: plan.notWritable });
  }
  if (plan.overwrites.length === 0) return;
  const named = new Set(confirm?.paths ?? []);
  const same = confirm !== null && confirm.serverId === plan.serverId && named.size === plan.overwrites.length && plan.overwrites.every((p) => named.has(p));
  if (!same) {
    throw new CoreError('restore_confirmation_required', `Restoring overwrites on ${plan.serverName}: ${plan.overwrites.join(', ')}. Confirm with the server and these paths.`, {
      serverName: plan.serverName,
      paths: plan.overwrites,
    });
  }
}

export const dumpTargetFile = (dumpName: string | null): string => dumpFileName(dumpName ?? 'dump');
