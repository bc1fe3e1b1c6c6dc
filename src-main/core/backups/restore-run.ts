// One restore: the files snapshot streamed from `restic dump` into `tar -x` on the target, each dump into its database
// client (or into a .sql file under a target directory), then verification against the manifest, the job's
// after-restore commands, and a health sweep of the target. Verification comes before the after-restore commands on
// purpose: they change restored files by design (Nextcloud's maintenance mode lives in config.php).
import type { BackupRunSummary, Verification } from '../../contract';
import type { Core } from '../core';
import { checkStates } from '../health/check-states';
import { lastJudged } from '../health/summary';
import { sweepServer } from '../health/sweep';
import type { SshPool } from '../ssh';
import { runHooks } from './hooks';
import { loadDumpCommand, tarExtract, writeFileCommand } from './remote-commands';
import { restoreRemoteInput } from './remote-restore';
import { dumpTargetFile, type PreparedRestore } from './restore-plan';
import type { RunContext } from './run-context';
import { tarParser } from './tar-manifest';
import { verifyTree, type Expected } from './verify';

export interface RestoreResult {
  written: { entries: number; bytes: number };
  verification: Verification | null;
  health: BackupRunSummary['health'];
}

export interface RestoreEnv {
  core: Core;
  pool: SshPool;
  prepared: PreparedRestore;
  ctx: RunContext;
  /** A drill checks and removes its directory itself, and runs no commands or health checks. */
  drill: boolean;
}

export async function runRestore(env: RestoreEnv, result: RestoreResult): Promise<void> {
  const { prepared, ctx } = env;
  ctx.bytesTotal = [prepared.files, ...prepared.dumps.map((d) => d.snapshot)].reduce<number | null>((sum, s) => (sum === null || s?.size == null ? null : sum + s.size), 0);
  try {
    await writeAll(env, result);
  } catch (error) {
    // What reached the target: counted on the way, and checked there when a manifest allows.
    result.verification = await verification(env).catch(() => null);
    throw error;
  }
  ctx.setStage('verifying');
  result.verification = await verification(env);
  if (env.drill) return;
  ctx.setStage('after_restore_commands');
  await runHooks(env.pool, prepared.target, prepared.job?.afterRestoreCommands ?? [], 'after_restore', ctx);
  ctx.setStage('health_check');
  result.health = await healthOf(env);
}

async function writeAll(env: RestoreEnv, result: RestoreResult): Promise<void> {
  const { pool, prepared, ctx } = env;
  const directory = prepared.plan.target.kind === 'directory';
  if (prepared.files !== null) {
    ctx.setStage('restore_files');
    const counter = tarParser((entry) => {
      result.written.entries++;
      if (entry.type === 'file') ctx.addFile();
    });
    await restoreRemoteInput({
      pool,
      target: prepared.target,
      cmd: tarExtract(prepared.dir),
      what: 'tar',
      repo: prepared.repo,
      snapshotId: prepared.files.id,
      path: prepared.files.path,
      signal: ctx.signal,
      parser: counter,
      onBytes: (n) => {
        result.written.bytes += n;
        ctx.addBytes(n);
      },
    });
  }
  for (const dump of prepared.dumps) {
    ctx.setStage('restore_dump', dump.snapshot.dumpName);
    const cmd = directory || dump.spec === null ? writeFileCommand(prepared.dir, dumpTargetFile(dump.snapshot.dumpName)) : loadDumpCommand(dump.spec);
    await restoreRemoteInput({
      pool,
      target: prepared.target,
      cmd,
      what: dump.snapshot.dumpName ?? 'dump',
      repo: prepared.repo,
      snapshotId: dump.snapshot.id,
      path: dump.snapshot.path,
      signal: ctx.signal,
      onBytes: (n) => {
        result.written.bytes += n;
        ctx.addBytes(n);
      },
    });
    result.written.entries++;
  }
}

/** null when nothing on disk can be checked (dumps loaded into databases only). */
async function verification(env: RestoreEnv): Promise<Verification | null> {
  const { prepared } = env;
  const directory = prepared.plan.target.kind === 'directory';
  const dumpFiles = directory ? prepared.dumps : [];
  if (prepared.files === null && dumpFiles.length === 0) return null;
  if ((prepared.files !== null && prepared.manifest === null) || dumpFiles.some((d) => d.sha256 === null)) {
    return { status: 'unavailable', checked: 0, mismatched: 0, missing: 0, problems: [] };
  }
  const expected: Expected[] = (prepared.manifest ?? []).map((e) => ({ ...e, meta: true }));
  for (const d of dumpFiles) {
    const path = dumpTargetFile(d.snapshot.dumpName);
    expected.push({ path, type: 'file', size: d.snapshot.size ?? 0, mode: 0, mtime: 0, linkTarget: null, sha256: d.sha256, meta: false });
  }
  const roots = [...prepared.roots, ...dumpFiles.map((d) => dumpTargetFile(d.snapshot.dumpName))];
  return verifyTree(env.pool, prepared.target, prepared.dir, roots, expected);
}

async function healthOf(env: RestoreEnv): Promise<BackupRunSummary['health']> {
  const serverId = env.prepared.server.id;
  const summary = await sweepServer(env.core, env.pool, serverId);
  const failing = checkStates(env.core, serverId, lastJudged(env.core, serverId))
    .filter((c) => c.state === 'failing' && c.ruleId !== 'backup_stale' && c.ruleId !== 'restore_unverified')
    .map((c) => c.ruleId);
  return { colour: summary.colour, failing: [...new Set(failing)] };
}
