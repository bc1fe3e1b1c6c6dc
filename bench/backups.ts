/**
 * Backups and restores at size: 1 GB of mixed files on an OpenSSH sshd fixture (127.0.0.1), backed up and restored by
 * Pelote (ssh2 through the pool, tar streamed into restic, sha256 manifest on the way) against the baseline a
 * volunteer would script — `ssh host tar … | restic backup --stdin` and `restic dump … | ssh host tar -x` with
 * OpenSSH — then a second backup after changing 1 % of the files. Run with `npm run bench:backups`; prints each figure
 * next to its goal, never fails on one. `BENCH_BACKUPS_MB` changes the size.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BackupRun } from '../src-main/contract';
import { chownTree, loginOwner, randomish, treeOf } from '../src-main/core/backups/backups-test-fixtures';
import { operationsFor } from '../src-main/core/backups/operations';
import { healthCore, pinnedServer } from '../src-main/core/health/health-test-fixtures';
import { startSshd, type SshdFixture } from '../src-main/testing/sshd';

const TOTAL_MB = Number(process.env.BENCH_BACKUPS_MB ?? 1024);
const MB = 1024 * 1024;
const ROUNDS = Number(process.env.BENCH_BACKUPS_ROUNDS ?? 3);
const execFileAsync = promisify(execFile);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

function report(label: string, value: number, unit: string, goal?: { atLeast?: number; atMost?: number }): void {
  const verdict =
    goal?.atLeast !== undefined ? ` (goal ≥ ${goal.atLeast}) ${value >= goal.atLeast ? 'OK' : 'UNDER'}`
    : goal?.atMost !== undefined ? ` (goal ≤ ${goal.atMost}${unit}) ${value <= goal.atMost ? 'OK' : 'OVER'}`
    : '';
  console.log(`${label}: ${value.toFixed(value < 10 ? 2 : 1)} ${unit}${verdict}`);
}

/**
 * Mixed like a Nextcloud data directory: many small documents, some photos, a few large archives; text compresses,
 * the rest does not (restic 0.14 stores without compression either way). Returns the files, for changing 1 % later.
 */
function makeData(root: string): string[] {
  const files: string[] = [];
  let written = 0;
  let i = 0;
  const target = TOTAL_MB * MB;
  while (written < target) {
    const kind = i % 20;
    const size = kind < 14 ? 16 * 1024 + (i % 7) * 8 * 1024 : kind < 19 ? 2 * MB : 40 * MB;
    const dir = path.join(root, `user-${i % 8}`, kind < 14 ? 'documents' : kind < 19 ? 'photos' : 'archives');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `file-${i}.${kind < 14 ? 'txt' : 'bin'}`);
    const body = kind < 14 ? Buffer.from(`Compte rendu de l'AG n°${i}\n`.repeat(Math.ceil(size / 30))).subarray(0, size) : randomish(i, size);
    writeFileSync(file, body);
    files.push(file);
    written += size;
    i++;
  }
  return files;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  return execFileAsync(cmd, args, { env: { ...process.env, ...env }, maxBuffer: 64 * MB }).then(() => undefined);
}

/** `sh -c` with the words given: the baseline is a shell pipeline, as a volunteer would write it. */
async function timeShell(script: string, env: NodeJS.ProcessEnv): Promise<number> {
  const start = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('sh', ['-c', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`baseline failed (${code}): ${stderr.slice(-500)}`))));
  });
  return performance.now() - start;
}

const q = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

async function main(): Promise<void> {
  const fixture: SshdFixture = await startSshd();
  const work = mkdtempSync(path.join(tmpdir(), 'pelote-bench-backups-'));
  chmodSync(work, 0o755);
  const core = healthCore({ pool: {} });
  try {
    const owner = loginOwner(fixture);
    const source = path.join(work, 'nextcloud');
    console.log(`Writing ${TOTAL_MB} MiB of mixed files…`);
    const files = makeData(source);
    chownTree(source, owner);
    const backupOf = async (jobId: string): Promise<BackupRun> => {
      const started = await core.call('backups.runs.start', { jobId });
      const done = await operationsFor(core).wait(started.id);
      if (done.status !== 'succeeded') throw new Error(`backup ${done.status}: ${done.error?.code} ${done.error?.message}`);
      return done;
    };
    // Both sides read the source from the page cache.
    await run('tar', ['-cf', '/dev/null', '-C', source, '.']);

    const server = await pinnedServer(core.call, fixture, { name: 'garage' });
    const knownHosts = path.join(work, 'known_hosts');
    writeFileSync(knownHosts, `[${fixture.host}]:${fixture.port} ${fixture.hostPublicKey}\n`);
    const ssh = `ssh -i ${q(fixture.privateKeyPath)} -p ${fixture.port} -o UserKnownHostsFile=${q(knownHosts)} -o StrictHostKeyChecking=yes -o BatchMode=yes ${q(`${fixture.username}@${fixture.host}`)}`;
    const relative = source.replace(/^\//, '');
    const password = path.join(work, 'baseline-password');
    writeFileSync(password, createHash('sha256').update('baseline').digest('hex'), { mode: 0o600 });

    /** Each round backs up into fresh repositories (a first backup), then restores into empty directories. */
    const round = async (r: number) => {
      const repository = await core.call('backups.repositories.create', { name: `usb-${r}`, path: path.join(work, `repo-pelote-${r}`), passwordFile: null });
      const job = await core.call('backups.jobs.create', {
        job: { name: `nextcloud-${r}`, serverId: server.id, repositoryId: repository.repository.id, paths: [source], retention: { keepLast: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0 } },
      });
      const restic = { RESTIC_PASSWORD_FILE: password, RESTIC_REPOSITORY: path.join(work, `repo-baseline-${r}`) };
      await run('restic', ['init'], restic);
      const [restoreDir, baselineRestoreDir] = [`restore-pelote-${r}`, `restore-baseline-${r}`].map((name) => path.join(work, name)) as [string, string];
      for (const dir of [restoreDir, baselineRestoreDir]) {
        mkdirSync(dir);
        chownTree(dir, owner);
      }
      const pelote = async () => {
        const backup = await backupOf(job.id);
        const start = performance.now();
        const started = await core.call('backups.restore.start', {
          repositoryId: repository.repository.id,
          snapshotIds: backup.snapshots.map((s) => s.id),
          serverId: server.id,
          target: { kind: 'directory', path: restoreDir },
          confirm: null,
        });
        const restored = await operationsFor(core).wait(started.id);
        if (restored.status !== 'succeeded' || restored.verification?.status !== 'verified') {
          throw new Error(`restore ${restored.status} ${restored.verification?.status}: ${restored.error?.code} ${restored.error?.message}`);
        }
        return { backup, backupMs: backup.durationMs ?? NaN, restoreMs: performance.now() - start };
      };
      const baseline = async () => {
        const backupMs = await timeShell(`${ssh} tar --sort=name -cf - -C / ${q(relative)} | restic backup --stdin --stdin-filename files.tar --quiet`, restic);
        const latest = JSON.parse((await execFileAsync('restic', ['snapshots', '--json', '--latest', '1'], { env: { ...process.env, ...restic } })).stdout) as { id: string }[];
        const restoreMs = await timeShell(`restic dump ${q(latest[0]?.id ?? '')} files.tar | ${ssh} tar -xf - -C ${q(baselineRestoreDir)}`, restic);
        return { backupMs, restoreMs };
      };
      // Alternate who goes first: the page cache and the machine's other work favour neither.
      const [ours, theirs] = r % 2 === 0 ? [await pelote(), await baseline()] : await baseline().then(async (b) => [await pelote(), b] as const);
      const same = JSON.stringify(treeOf(source)) === JSON.stringify(treeOf(path.join(restoreDir, relative)));
      console.log(
        `  round ${r + 1}: backup ${(ours.backupMs / 1000).toFixed(1)} s vs ${(theirs.backupMs / 1000).toFixed(1)} s, restore ${(ours.restoreMs / 1000).toFixed(1)} s vs ${(theirs.restoreMs / 1000).toFixed(1)} s, restored tree identical: ${same ? 'yes' : 'NO'}`,
      );
      return { ours, theirs, job };
    };

    console.log(`Load before: ${load()}`);
    const rounds: Awaited<ReturnType<typeof round>>[] = [];
    for (let r = 0; r < ROUNDS; r++) rounds.push(await round(r));
    const med = (pick: (x: (typeof rounds)[number]) => number) => median(rounds.map(pick));
    const first = rounds[rounds.length - 1]?.ours.backup as BackupRun;
    const firstMs = med((x) => x.ours.backupMs);
    const mib = (first.bytesRead / MB).toFixed(0);
    console.log(`Medians of ${ROUNDS} rounds:`);
    report(`Backup of ${mib} MiB, Pelote (ssh2 → restic, with the sha256 manifest)`, firstMs / 1000, 's');
    report('Backup, baseline (OpenSSH ssh … tar | restic backup --stdin)', med((x) => x.theirs.backupMs) / 1000, 's');
    report('Backup throughput, Pelote', first.bytesRead / MB / (firstMs / 1000), 'MiB/s');
    report('Backup throughput ratio, Pelote / baseline', med((x) => x.theirs.backupMs / x.ours.backupMs), '×', { atLeast: 1 });
    report('Restore, Pelote (restic dump → ssh2 tar -x, then sha256 of every file on the target, and a health sweep)', med((x) => x.ours.restoreMs) / 1000, 's');
    report('Restore, baseline (restic dump | OpenSSH ssh … tar -x, no verification)', med((x) => x.theirs.restoreMs) / 1000, 's');
    report('Restore throughput ratio, Pelote / baseline', med((x) => x.theirs.restoreMs / x.ours.restoreMs), '×', { atLeast: 1 });

    // 1 % of the files changed: a few bytes appended, as documents are edited.
    const changed = files.filter((_, i) => i % 100 === 0);
    for (const file of changed) writeFileSync(file, `\nModifié le ${new Date().toISOString()}\n`, { flag: 'a' });
    const second = await backupOf(rounds[rounds.length - 1]?.job.id ?? '');
    const secondMs = second.durationMs ?? NaN;
    console.log(`Second backup after changing ${changed.length} of ${files.length} files:`);
    report('  time', secondMs / 1000, 's');
    report('  data added', (second.dataAdded ?? NaN) / MB, 'MiB');
    report('  time relative to the first backup', (secondMs / firstMs) * 100, '%', { atMost: 25 });
    console.log(`Load after: ${load()}`);
  } finally {
    await core.dispose();
    await fixture.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
