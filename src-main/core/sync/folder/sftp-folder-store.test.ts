import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSshd, type SshdFixture } from '../../../testing/sshd';
import type { FolderStore } from './folder-store';
import { readHeads, writeHead } from './heads';
import { readSegmentsAfter, writeSegment, type SyncMessage } from './segments';
import { sftpFolderStore, type SftpLike } from './sftp-folder-store';
import { initTeamFolder, openTeamFolder } from './team-folder';
import { formatTeamKey, generateTeamKey } from './team-key';
import { codeOf, folderStoreContract } from './testing/folder-store-contract';
import { allFiles } from './testing/local-team';
import { openSftp, sftpCall, type SftpSession } from './testing/sftp-session';

const A = '0123456789abcdef';
const B = 'fedcba9876543210';

const message = (n: number, value: string): SyncMessage => ({
  timestamp: `2025-01-01T10:00:00.000Z-${n.toString(16).padStart(4, '0')}-${A}`,
  dataset: 'members',
  row: `row-${n}`,
  column: 'name',
  value,
});

/** The session without the OpenSSH extensions, as a server other than OpenSSH may be. */
function withoutExtensions(sftp: SftpLike): SftpLike {
  return new Proxy(sftp, {
    get(target, property) {
      if (property === 'ext_openssh_rename' || property === 'ext_openssh_fsync') return undefined;
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('sftpFolderStore on the sshd fixture', () => {
  let sshd: SshdFixture;
  let session: SftpSession;
  let store: FolderStore;
  let rootName: string;
  let counter = 0;

  beforeAll(async () => {
    sshd = await startSshd();
    session = await openSftp(sshd);
  });

  afterAll(async () => {
    session.close();
    await sshd.stop();
  });

  beforeEach(async () => {
    rootName = `team-${++counter}`;
    // Made over SFTP, so that the login user owns it (the tests may run as root).
    await sftpCall((done) => session.sftp.mkdir(join(sshd.homeDir, rootName), done));
    store = sftpFolderStore(session.sftp, join(sshd.homeDir, rootName), { label: `ssh://${sshd.username}@127.0.0.1/${rootName}` });
  });

  afterEach(async () => {
    // A read-only test directory is made writable again so that the fixture can remove it.
    await sftpCall((done) => session.sftp.chmod(join(sshd.homeDir, rootName), 0o755, done)).catch(() => undefined);
  });

  folderStoreContract(() => ({
    store,
    missingRoot: sftpFolderStore(session.sftp, join(sshd.homeDir, 'not-mounted', 'team')),
    modeOf: async (path) => (await stat(join(sshd.homeDir, rootName, path))).mode & 0o777,
    missingRootExists: () => Promise.resolve(existsSync(join(sshd.homeDir, 'not-mounted'))),
  }));

  it('describes itself by the label it was given', () => {
    expect(store.describe()).toBe(`ssh://${sshd.username}@127.0.0.1/${rootName}`);
  });

  it('replaces files and refuses existing ones without the OpenSSH extensions too', async () => {
    const plain = sftpFolderStore(withoutExtensions(session.sftp), join(sshd.homeDir, rootName));
    await plain.writeAtomic('devices/x/head', Buffer.from('one'));
    await plain.writeAtomic('devices/x/head', Buffer.from('two'));
    expect((await plain.read('devices/x/head'))?.toString()).toBe('two');
    await plain.writeNew('devices/x/1.seg', Buffer.from('first'));
    expect(await codeOf(plain.writeNew('devices/x/1.seg', Buffer.from('second')))).toBe('sync_folder_file_exists');
    expect((await plain.read('devices/x/1.seg'))?.toString()).toBe('first');
    expect((await plain.list('devices/x')).sort()).toEqual(['1.seg', 'head']);
  });

  it('reports a read-only directory as sync_folder_unwritable and leaves nothing in it', async () => {
    await store.writeAtomic('devices/keep', Buffer.from('x'));
    await sftpCall((done) => session.sftp.chmod(join(sshd.homeDir, rootName), 0o555, done));
    // The login user is never root (see sshd.ts), so the mode holds.
    expect(sshd.username === 'root').toBe(false);
    const error = await store.writeNew('snapshots/a.snap', Buffer.from('x')).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'sync_folder_unwritable', details: { folder: store.describe() } });
    expect(await codeOf(store.writeAtomic('team.json', Buffer.from('x')))).toBe('sync_folder_unwritable');
    expect((await store.list('')).sort()).toEqual(['devices']);
    // What is there still reads.
    expect((await store.read('devices/keep'))?.toString()).toBe('x');
  });

  it('carries a team: init, two devices’ segments and heads, read back by a second session', async () => {
    const key = generateTeamKey();
    const team = await initTeamFolder(store, key, new Date('2025-01-01T10:00:00Z'));
    await writeSegment(store, team, A, 1, [message(1, 'Alice Martin'), message(2, 'Bob')]);
    await writeSegment(store, team, A, 2, [message(3, 'Chloé')]);
    await writeSegment(store, team, B, 1, [message(4, 'Dominique')]);
    await writeHead(store, team, A, { seq: 2, cursors: { [B]: 1 }, volunteerName: 'Alice', appVersion: '0.1.0', schemaVersion: 1, at: '2025-01-01T10:00:00Z', merkle: {} });

    const other = await openSftp(sshd);
    try {
      const theirs = sftpFolderStore(other.sftp, join(sshd.homeDir, rootName));
      const joined = await openTeamFolder(theirs, formatTeamKey(key));
      expect(joined.teamId).toBe(team.teamId);
      const read = await readSegmentsAfter(theirs, joined, new Map());
      expect(read.problems).toEqual([]);
      expect(read.segments.map((s) => [s.device, s.seq, s.messages.map((m) => m.value)])).toEqual([
        [A, 1, ['Alice Martin', 'Bob']],
        [A, 2, ['Chloé']],
        [B, 1, ['Dominique']],
      ]);
      expect(await readHeads(theirs, joined)).toEqual([
        expect.objectContaining({ device: A, head: expect.objectContaining({ seq: 2, volunteerName: 'Alice' }) as unknown }),
        { device: B, code: 'sync_head_missing' },
      ]);
    } finally {
      other.close();
    }
    // Nothing the server's admin can read: the names are in no byte of the folder.
    for (const { path, bytes } of allFiles(join(sshd.homeDir, rootName))) {
      for (const name of ['Alice Martin', 'Chloé', 'Dominique', 'Alice']) expect(bytes.includes(Buffer.from(name)), `${path} holds ${name}`).toBe(false);
    }
  });

  it('never publishes a segment whose upload was cut off, and writes it again on the next connection', async () => {
    const team = await initTeamFolder(store, generateTeamKey(), new Date('2025-01-01T10:00:00Z'));
    const doomed = await openSftp(sshd);
    let writes = 0;
    // The connection dies after a few chunks of the upload have gone out.
    const dying = new Proxy(doomed.sftp, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property);
        if (typeof value !== 'function') return value;
        const bound = (value as (...args: unknown[]) => unknown).bind(target);
        if (property !== 'write') return bound;
        return (...args: unknown[]) => {
          if (++writes === 3) doomed.client.destroy();
          return bound(...args);
        };
      },
    });
    const big = Array.from({ length: 40 }, (_, i) => message(i, randomBytes(48 * 1024).toString('base64')));
    const cut = sftpFolderStore(dying, join(sshd.homeDir, rootName));
    expect(await codeOf(writeSegment(cut, team, A, 1, big))).toBe('sync_folder_unreachable');
    expect(writes).toBeGreaterThanOrEqual(3);

    const names = await store.list(`devices/${A}`);
    expect(names.every((name) => name.startsWith('.tmp-'))).toBe(true);
    expect(await readSegmentsAfter(store, team, new Map())).toEqual({ segments: [], problems: [], more: false });
    await writeSegment(store, team, A, 1, big);
    const read = await readSegmentsAfter(store, team, new Map());
    expect(read.segments.map((s) => [s.device, s.seq, s.messages.length])).toEqual([[A, 1, 40]]);
  });

  it('reports a closed session as sync_folder_unreachable', async () => {
    const doomed = await openSftp(sshd);
    const doomedStore = sftpFolderStore(doomed.sftp, join(sshd.homeDir, rootName));
    const gone = new Promise((resolve) => doomed.sftp.once('close', resolve));
    doomed.client.destroy();
    await gone;
    expect(await codeOf(doomedStore.list(''))).toBe('sync_folder_unreachable');
    expect(await codeOf(doomedStore.writeAtomic('x', Buffer.from('x')))).toBe('sync_folder_unreachable');
  });
});
