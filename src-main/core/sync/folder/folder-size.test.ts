// FolderStore.totalBytes on both stores: every file under the root, at any depth, symbolic links not followed.
import { randomBytes } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type SshdFixture } from '../../../testing/sshd';
import { tempDataDir } from '../../../testing/temp-core';
import type { FolderStore } from './folder-store';
import { localFolderStore } from './local-folder-store';
import { sftpFolderStore } from './sftp-folder-store';
import { codeOf } from './testing/folder-store-contract';
import { openSftp, sftpCall, type SftpSession } from './testing/sftp-session';

/** Writes files of several sizes through the store, plus a link to a big file outside it; returns their total. */
async function fill(store: FolderStore, outside: string): Promise<{ total: number; link: string }> {
  const sizes: Record<string, number> = { 'team.json': 311, 'devices/0123456789abcdef/000000000001.seg': 70_001, 'devices/0123456789abcdef/head': 0, 'snapshots/x.snap': 5 };
  for (const [path, size] of Object.entries(sizes)) await store.writeAtomic(path, randomBytes(size));
  writeFileSync(outside, randomBytes(1_000_000));
  return { total: Object.values(sizes).reduce((a, b) => a + b, 0), link: 'devices/elsewhere' };
}

describe('the team folder’s size', () => {
  it('on a local folder: the sum of its files, at any depth, not what a link points to', async () => {
    const temp = tempDataDir();
    try {
      const root = join(temp.dir, 'team');
      mkdirSync(root);
      const store = localFolderStore(root);
      expect(await store.totalBytes()).toBe(0);
      const { total, link } = await fill(store, join(temp.dir, 'big'));
      symlinkSync(join(temp.dir, 'big'), join(root, link));
      expect(await store.totalBytes()).toBe(total);
      // An unplugged stick is said so, not measured as empty.
      expect(await codeOf(localFolderStore(join(temp.dir, 'unplugged')).totalBytes())).toBe('sync_folder_missing');
    } finally {
      temp.cleanup();
    }
  });

  describe('over SFTP', () => {
    let sshd: SshdFixture;
    let session: SftpSession;
    beforeAll(async () => {
      sshd = await startSshd();
      session = await openSftp(sshd);
    });
    afterAll(async () => {
      session.close();
      await sshd.stop();
    });

    it('the sum of its files, from the listings alone, not what a link points to', async () => {
      const root = join(sshd.homeDir, 'team');
      await sftpCall((done) => session.sftp.mkdir(root, done));
      const store = sftpFolderStore(session.sftp, root);
      expect(await store.totalBytes()).toBe(0);
      const outside = join(sshd.homeDir, 'big');
      const { total, link } = await fill(store, outside);
      await sftpCall((done) => session.sftp.symlink(outside, join(root, link), done));
      expect(await store.totalBytes()).toBe(total);
      expect(await codeOf(sftpFolderStore(session.sftp, join(sshd.homeDir, 'not-mounted')).totalBytes())).toBe('sync_folder_missing');
    });
  });
});
