// A team folder in a directory on a server, over SFTP: nothing to install there, and the host key is pinned by
// whoever opened the connection. The SFTP session is handed in, so that the SSH pool can own the connection.
import { posix } from 'node:path';
import type { FileEntryWithStats, SFTPWrapper, Stats } from 'ssh2';
import { CoreError } from '../../errors';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../private-files';
import {
  fileExists,
  finalPathComponents,
  folderMissing,
  folderUnreachable,
  folderUnreadable,
  folderUnwritable,
  pathComponents,
  temporaryName,
  type FolderStore,
} from './folder-store';
import { mapLimit } from './map-limit';

/** What the store needs of ssh2's SFTPWrapper; the OpenSSH extensions are used when the server offers them. */
export type SftpLike = Pick<SFTPWrapper, 'readdir' | 'readFile' | 'open' | 'write' | 'close' | 'rename' | 'unlink' | 'mkdir' | 'stat' | 'once'> &
  Partial<Pick<SFTPWrapper, 'ext_openssh_rename' | 'ext_openssh_fsync'>>;

export interface SftpFolderOptions {
  /** For messages, e.g. `ssh://user@host:2222/srv/pelote`; defaults to `sftp:<root>`. */
  label?: string;
}

// SFTP v3 status codes (ssh2 puts them on err.code).
const NO_SUCH_FILE = 2;
const PERMISSION_DENIED = 3;
const FAILURE = 4;
const BAD_MESSAGE = 5;
const OP_UNSUPPORTED = 8;
/** Writes are pipelined: one round trip per chunk in sequence would crawl over a real network. */
const WRITE_CHUNK = 32 * 1024;
const WRITES_IN_FLIGHT = 16;
/** Directory listings in flight while measuring the folder: one per device directory. */
const LISTINGS_IN_FLIGHT = 8;

const statusOf = (err: unknown): number | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
};

/** ssh2's callback style as a promise; ssh2 also throws synchronously, e.g. once the channel is gone. */
function settle<T = undefined>(start: (done: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    try {
      start((err, value) => (err ? reject(err) : resolve(value as T)));
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

/** An OpenSSH extension's request, or null when the server does not offer it (ssh2 throws synchronously then). */
function tryExtension(start: (done: (err: Error | null | undefined) => void) => void): Promise<void> | null {
  let request: Promise<void> | null = null;
  try {
    request = new Promise((resolve, reject) => start((err) => (err ? reject(err) : resolve())));
  } catch {
    return null;
  }
  return request;
}

export function sftpFolderStore(sftp: SftpLike, root: string, options: SftpFolderOptions = {}): FolderStore {
  const base = root.replace(/\/+$/, '') || (root.startsWith('/') ? '/' : '.');
  const where = options.label ?? `sftp:${base}`;
  const full = (parts: string[]): string => posix.join(base, ...parts);
  // ssh2 answers requests pending when the channel closes ("No response from server") but silently drops any made
  // after: those must fail here, or they would wait forever.
  let closed = false;
  sftp.once('close', () => (closed = true));
  const sessionClosed = (): Promise<never> => Promise.reject(new Error('the SFTP session is closed'));
  const call = <T = undefined>(start: (done: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> =>
    closed ? sessionClosed() : settle(start);
  const extension = (start: (done: (err: Error | null | undefined) => void) => void): Promise<void> | null =>
    closed ? sessionClosed() : tryExtension(start);

  /** Maps an SFTP failure: a status the server gave, else the session or connection is gone. */
  function failure(err: unknown, op: 'read' | 'write'): Error {
    const status = statusOf(err);
    const reason = err instanceof Error ? err.message : String(err);
    if (status === PERMISSION_DENIED || status === FAILURE || status === BAD_MESSAGE || status === OP_UNSUPPORTED) {
      // OpenSSH reports a read-only mount and a full disk as a bare FAILURE.
      return op === 'write' ? folderUnwritable(where, reason) : folderUnreadable(where, reason);
    }
    return folderUnreachable(where, reason);
  }

  async function requireRoot(): Promise<void> {
    let isDir: boolean;
    try {
      isDir = (await call<Stats>((done) => sftp.stat(base, done))).isDirectory();
    } catch (err) {
      if (statusOf(err) === NO_SUCH_FILE) throw folderMissing(where);
      throw failure(err, 'read');
    }
    if (!isDir) throw folderMissing(where);
  }

  async function exists(path: string): Promise<boolean> {
    try {
      await call<Stats>((done) => sftp.stat(path, done));
      return true;
    } catch (err) {
      if (statusOf(err) === NO_SUCH_FILE) return false;
      throw err;
    }
  }

  /** Creates the directories below the root, 0700; another device creating one at the same time is fine. */
  async function ensureDirs(parts: string[]): Promise<void> {
    if (parts.length === 0 || (await exists(full(parts)))) return;
    for (let depth = 1; depth <= parts.length; depth++) {
      const dir = full(parts.slice(0, depth));
      if (await exists(dir)) continue;
      try {
        await call((done) => sftp.mkdir(dir, { mode: PRIVATE_DIR_MODE }, done));
      } catch (err) {
        if (!(await exists(dir))) throw err;
      }
    }
  }

  async function upload(tmp: string, bytes: Buffer): Promise<void> {
    const handle = await call<Buffer>((done) => sftp.open(tmp, 'wx', { mode: PRIVATE_FILE_MODE }, done));
    try {
      const offsets = Array.from({ length: Math.ceil(bytes.length / WRITE_CHUNK) }, (_, i) => i * WRITE_CHUNK);
      await mapLimit(offsets, WRITES_IN_FLIGHT, (offset) =>
        call((done) => sftp.write(handle, bytes, offset, Math.min(WRITE_CHUNK, bytes.length - offset), offset, done)),
      );
      // fsync@openssh.com: the rename must not publish a name whose bytes are still in the server's cache.
      const fsync = sftp.ext_openssh_fsync;
      if (fsync !== undefined) await extension((done) => fsync.call(sftp, handle, done));
    } catch (err) {
      await call((done) => sftp.close(handle, done)).catch(() => undefined);
      throw err;
    }
    await call((done) => sftp.close(handle, done));
  }

  /** Replaces `target`: posix-rename@openssh.com does it atomically; plain SFTP rename refuses an existing target. */
  async function replace(tmp: string, target: string): Promise<void> {
    const posixRename = sftp.ext_openssh_rename;
    const atomic = posixRename === undefined ? null : extension((done) => posixRename.call(sftp, tmp, target, done));
    if (atomic !== null) return atomic;
    // Readers may find no file for the moment between the two; they treat it like a file not yet written.
    await call((done) => sftp.unlink(target, done)).catch((err: unknown) => {
      if (statusOf(err) !== NO_SUCH_FILE) throw err;
    });
    await call((done) => sftp.rename(tmp, target, done));
  }

  async function write(path: string, bytes: Buffer, exclusive: boolean): Promise<void> {
    const parts = finalPathComponents(path);
    const target = full(parts);
    await requireRoot();
    const tmp = posix.join(posix.dirname(target), temporaryName());
    let published = true;
    try {
      await ensureDirs(parts.slice(0, -1));
      // Checked first to spare the upload; the rename below is what refuses an existing name.
      if (exclusive && (await exists(target))) throw fileExists(where, path);
      await upload(tmp, bytes);
      if (!exclusive) await replace(tmp, target);
      else {
        // Plain SFTP rename (OpenSSH: link then unlink) fails when the target exists: immutable segments stay so.
        published = await call((done) => sftp.rename(tmp, target, done)).then(
          () => true,
          async (err: unknown) => {
            if (await exists(target)) return false;
            throw err;
          },
        );
      }
    } catch (err) {
      await call((done) => sftp.unlink(tmp, done)).catch(() => undefined);
      if (err instanceof CoreError) throw err;
      if (statusOf(err) === NO_SUCH_FILE) await requireRoot(); // the root went away while writing
      throw failure(err, 'write');
    }
    if (!published) {
      await call((done) => sftp.unlink(tmp, done)).catch(() => undefined);
      throw fileExists(where, path);
    }
  }

  return {
    async list(dir) {
      const path = full(pathComponents(dir, { root: true }));
      try {
        const entries = await call<{ filename: string }[]>((done) => sftp.readdir(path, done));
        return entries.map((entry) => entry.filename).filter((name) => name !== '.' && name !== '..');
      } catch (err) {
        if (statusOf(err) !== NO_SUCH_FILE) throw failure(err, 'read');
        await requireRoot();
        return [];
      }
    },
    async read(path) {
      const file = full(pathComponents(path));
      try {
        return await call<Buffer>((done) => sftp.readFile(file, done));
      } catch (err) {
        if (statusOf(err) !== NO_SUCH_FILE) throw failure(err, 'read');
        await requireRoot();
        return null;
      }
    },
    writeAtomic: (path, bytes) => write(path, bytes, false),
    writeNew: (path, bytes) => write(path, bytes, true),
    async remove(path) {
      const file = full(pathComponents(path));
      try {
        await call((done) => sftp.unlink(file, done));
      } catch (err) {
        if (statusOf(err) !== NO_SUCH_FILE) throw failure(err, 'write');
      }
    },
    async totalBytes() {
      await requireRoot();
      /** The server lists each entry with its lstat attributes: one round trip per directory, none per file. */
      const bytesUnder = async (dir: string): Promise<number> => {
        let entries: FileEntryWithStats[];
        try {
          entries = await call<FileEntryWithStats[]>((done) => sftp.readdir(dir, done));
        } catch (err) {
          if (statusOf(err) === NO_SUCH_FILE) return 0; // removed while counted (another laptop compacting)
          throw failure(err, 'read');
        }
        const files = entries.filter((e) => e.filename !== '.' && e.filename !== '..');
        const below = await mapLimit(
          files.filter((e) => e.attrs.isDirectory()),
          LISTINGS_IN_FLIGHT,
          (e) => bytesUnder(posix.join(dir, e.filename)),
        );
        return files.reduce((sum, e) => sum + (e.attrs.isFile() ? e.attrs.size : 0), 0) + below.reduce((sum, n) => sum + n, 0);
      };
      return bytesUnder(base);
    },
    describe: () => where,
  };
}
