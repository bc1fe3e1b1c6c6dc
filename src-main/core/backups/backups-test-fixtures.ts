// Shared by the backup tests: a core with a real restic repository, source trees on the sshd fixture's "server",
// and a comparison of two trees that looks at everything a restore must bring back.
import { createHash } from 'node:crypto';
import { chmodSync, lchownSync, linkSync, lstatSync, lutimesSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import type { BackupJobInput, BackupRun, RepositoryCreated } from '../../contract';
import type { SshdFixture } from '../../testing/sshd';
import { healthCore, pinnedServer } from '../health/health-test-fixtures';
import { operationsFor } from './operations';

export type BackupsCore = ReturnType<typeof healthCore>;

/** A core whose repository (restic init costs ~3 s) is shared by a test file. */
export async function backupsCore(fixture: SshdFixture): Promise<BackupsCore & { repository: RepositoryCreated; serverId: string }> {
  const core = healthCore();
  const repository = await core.call('backups.repositories.create', { name: 'usb', path: join(core.dataDir, 'repo'), passwordFile: null });
  const server = await pinnedServer(core.call, fixture, { name: 'garage' });
  return Object.assign(core, { repository, serverId: server.id });
}

export const jobInput = (core: { repository: RepositoryCreated; serverId: string }, overrides: Partial<BackupJobInput>): BackupJobInput => ({
  name: 'nextcloud',
  serverId: core.serverId,
  repositoryId: core.repository.repository.id,
  retention: { keepLast: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0 },
  ...overrides,
});

/** Starts a backup and waits for it. */
export async function backupNow(core: BackupsCore, jobId: string): Promise<BackupRun> {
  const run = await core.call('backups.runs.start', { jobId });
  return operationsFor(core).wait(run.id);
}

/** The fixture's login user, who must own what the "server" backs up and restores. */
export function loginOwner(fixture: SshdFixture): { uid: number; gid: number } {
  const { uid, gid } = lstatSync(fixture.homeDir);
  return { uid, gid };
}

export function chownTree(root: string, owner: { uid: number; gid: number }): void {
  lchownSync(root, owner.uid, owner.gid);
  if (!lstatSync(root).isDirectory()) return;
  for (const name of readdirSync(root)) chownTree(join(root, name), owner);
}

const PAST = new Date('2024-03-01T10:00:00Z');

/**
 * Every kind of entry a restore must bring back: nested directories, modes, an empty file, a name with spaces,
 * quotes and accents, symlinks (relative and dangling), a hard link, old mtimes, and a real SQLite database.
 */
export function makeTree(root: string, owner: { uid: number; gid: number }, bigFiles = 0): { database: string } {
  mkdirSync(join(root, 'www', 'config'), { recursive: true });
  mkdirSync(join(root, 'www', 'data', 'alice'), { recursive: true });
  writeFileSync(join(root, 'www', 'index.php'), '<?php echo "bonjour";\n');
  writeFileSync(join(root, 'www', 'config', 'config.php'), "<?php $CONFIG = ['maintenance' => false];\n");
  chmodSync(join(root, 'www', 'config', 'config.php'), 0o640);
  writeFileSync(join(root, 'www', 'occ'), '#!/bin/sh\necho occ\n');
  chmodSync(join(root, 'www', 'occ'), 0o755);
  writeFileSync(join(root, 'www', 'data', 'alice', "Relevé d'août 2024 (final).txt"), 'écrit à la main\n');
  writeFileSync(join(root, 'www', 'data', 'alice', 'empty'), '');
  writeFileSync(join(root, 'www', 'data', 'alice', 'photo.bin'), createHash('sha512').update('photo').digest());
  for (let i = 0; i < bigFiles; i++) writeFileSync(join(root, 'www', 'data', `blob-${i}.bin`), randomish(i, 2 * 1024 * 1024));
  symlinkSync('../index.php', join(root, 'www', 'data', 'link-to-index'));
  symlinkSync('/nowhere/at/all', join(root, 'www', 'dangling'));
  linkSync(join(root, 'www', 'index.php'), join(root, 'www', 'index-hardlink.php'));
  const database = join(root, 'app.sqlite3');
  const db = new Database(database);
  db.exec("create table notes (id integer primary key, body text not null); insert into notes (body) values ('première'), ('seconde');");
  db.close();
  chmodSync(join(root, 'www', 'data'), 0o750);
  chownTree(root, owner);
  for (const path of walk(root)) lutimesSync(path, PAST, PAST);
  return { database };
}

/** Deterministic incompressible bytes, fast to make. */
export function randomish(seed: number, size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(`seed-${seed}`).digest();
  for (let offset = 0; offset < size; offset += block.length) {
    block.copy(out, offset);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** Children before their directory, so setting a child's time does not move its parent's afterwards. */
function walk(root: string): string[] {
  return lstatSync(root).isDirectory() ? [...readdirSync(root).flatMap((n) => walk(join(root, n))), root] : [root];
}

export interface TreeEntry {
  type: 'file' | 'directory' | 'symlink';
  mode: number;
  size: number;
  mtime: number;
  link: string | null;
  sha256: string | null;
}

/** Every entry under `root` by relative path, with what a restore must preserve (directory mtimes aside). */
export function treeOf(root: string): Record<string, TreeEntry> {
  const out: Record<string, TreeEntry> = {};
  const visit = (path: string): void => {
    const stat = lstatSync(path);
    const type = stat.isSymbolicLink() ? 'symlink' : stat.isDirectory() ? 'directory' : 'file';
    out[relative(root, path) || '.'] = {
      type,
      mode: type === 'symlink' ? 0 : stat.mode & 0o7777,
      size: type === 'file' ? stat.size : 0,
      mtime: type === 'directory' ? 0 : Math.floor(stat.mtimeMs / 1000),
      link: type === 'symlink' ? readlinkSync(path) : null,
      sha256: type === 'file' ? createHash('sha256').update(readFileSync(path)).digest('hex') : null,
    };
    if (type === 'directory') for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return out;
}
