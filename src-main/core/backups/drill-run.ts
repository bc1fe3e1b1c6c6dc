// A restore drill: the job's latest good backup restored into a temporary directory of a server, verified against
// its manifest, then removed. Its success is the job's "last verified restorable".
import type { BackupJob } from '../../contract';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { ServersService } from '../health/servers-service';
import { sshTargetFor } from '../health/ssh-target';
import type { SshPool } from '../ssh';
import { makeTempDir, removeTempDir } from './remote-commands';
import { prepareRestore } from './restore-plan';
import { runRestore, type RestoreResult } from './restore-run';
import type { RunContext } from './run-context';
import { RunsStore } from './runs-store';

/** The snapshots of the job's latest successful backup. */
export function drillSnapshots(core: Core, job: BackupJob): string[] {
  const last = new RunsStore(core).last(job.id, 'backup', true);
  const ids = last?.snapshots.map((s) => s.id) ?? [];
  if (ids.length === 0) throw new CoreError('drill_no_backup', `${job.name} has no successful backup to restore yet.`, { jobId: job.id });
  return ids;
}

export async function runDrill(core: Core, pool: SshPool, job: BackupJob, serverId: string, ctx: RunContext, result: RestoreResult): Promise<void> {
  const snapshotIds = drillSnapshots(core, job);
  const servers = new ServersService(core);
  const server = servers.getLive(serverId);
  const target = await sshTargetFor(core, server, servers.sealedPassphrase(server.id));
  const made = await pool.exec(target, makeTempDir());
  const dir = made.stdout.trim();
  if (made.code !== 0 || dir === '') throw new CoreError('drill_tempdir_failed', `Cannot create a temporary directory on ${server.name}.`, { stderr: made.stderr.slice(-500) });
  ctx.info(`drill into ${server.name}:${dir}`);
  try {
    const prepared = await prepareRestore(core, pool, { repositoryId: job.repositoryId, snapshotIds, serverId, target: { kind: 'directory', path: dir } });
    await runRestore({ core, pool, prepared, ctx, drill: true }, result);
  } finally {
    ctx.setStage('cleanup');
    const removed = await pool.exec(target, removeTempDir(dir)).catch(() => null);
    if (removed?.code !== 0) ctx.warn(`could not remove ${dir} on ${server.name}`);
  }
  const v = result.verification;
  if (v === null || v.status !== 'verified') {
    throw new CoreError('restore_verification_failed', `The restored files do not match the backup: ${String(v?.mismatched ?? 0)} differ, ${String(v?.missing ?? 0)} missing.`, {
      mismatched: v?.mismatched ?? 0,
      missing: v?.missing ?? 0,
      status: v?.status ?? null,
    });
  }
}
