// The sha256 manifest of a tar stream, computed while the stream passes through on its way to restic: every entry's
// path, type, size, mode, mtime and link target, and each regular file's sha256. Parsed by tar-stream.
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { extract, type Header } from 'tar-stream';
import type { SnapshotEntry, SnapshotEntryType } from '../../contract';

export interface ManifestEntry {
  /** As in the archive, without a trailing `/`: `var/www/index.php`. */
  path: string;
  type: SnapshotEntryType;
  size: number;
  /** Permission bits (with setuid, setgid, sticky). */
  mode: number;
  /** Seconds since the epoch, as tar stores it. */
  mtime: number;
  /** Symlinks: where they point; hard links: the archived path they share content with. */
  linkTarget: string | null;
  sha256: string | null;
}

export interface TarSink {
  /** false: wait for 'drain' before writing more. */
  write(chunk: Buffer): boolean;
  once(event: 'drain', listener: () => void): unknown;
  /** Ends the stream; resolves once every entry is read. */
  end(): Promise<void>;
  /** Stops parsing (the stream failed or was cancelled). */
  destroy(): void;
}

const TYPES: Partial<Record<Header['type'], SnapshotEntryType>> = {
  file: 'file',
  'contiguous-file': 'file',
  directory: 'directory',
  symlink: 'symlink',
  link: 'hardlink',
};

/**
 * A writable tar parser calling `onEntry` for each entry with its content's sha256 (regular files). `onContent`, when
 * given, also receives the content of the entries it accepts (saving one file).
 */
export function tarParser(onEntry: (entry: ManifestEntry) => void, onContent?: (path: string) => ((chunk: Buffer) => void) | null): TarSink {
  const parser = extract();
  let failure: Error | null = null;
  parser.on('error', (err: Error) => (failure = err));
  parser.on('entry', (full, stream, next) => {
    // tar-stream leaves fields out (null type for unknown entries, no linkname for files) that its types promise.
    const header: Partial<Header> & { name: string } = full;
    const type = TYPES[header.type ?? 'file'] ?? 'other';
    const path = header.name.replace(/\/+$/, '');
    const hash = type === 'file' ? createHash('sha256') : null;
    const sink = onContent?.(path) ?? null;
    stream.on('data', (data) => {
      const chunk = data as Buffer;
      hash?.update(chunk);
      sink?.(chunk);
    });
    stream.on('end', () => {
      onEntry({
        path,
        type,
        size: header.size ?? 0,
        mode: (header.mode ?? 0) & 0o7777,
        mtime: Math.floor((header.mtime?.getTime() ?? 0) / 1000),
        linkTarget: type === 'symlink' || type === 'hardlink' ? (header.linkname ?? '').replace(/\/+$/, '') : null,
        sha256: hash?.digest('hex') ?? null,
      });
      next();
    });
    // A stream cut short (a cancel) destroys the entry being read: the parser's own error reports it.
    stream.on('error', () => undefined);
    stream.resume();
  });
  const closed = new Promise<void>((resolve, reject) => {
    parser.on('close', () => (failure === null ? resolve() : reject(failure)));
  });
  closed.catch(() => undefined);
  return {
    write: (chunk) => parser.write(chunk),
    once: (event, listener) => parser.once(event, listener),
    end: () => {
      parser.end(undefined);
      return closed;
    },
    destroy: () => parser.destroy(),
  };
}

type PackedEntry = [string, SnapshotEntryType, number, number, number, string | null, string | null];

/** Compact storage: gzip'd JSON arrays (a Nextcloud tree of 100,000 files packs to a few MB). */
export function packManifest(entries: ManifestEntry[]): Buffer {
  const rows: PackedEntry[] = entries.map((e) => [e.path, e.type, e.size, e.mode, e.mtime, e.linkTarget, e.sha256]);
  return gzipSync(JSON.stringify(rows));
}

export function unpackManifest(blob: Buffer): ManifestEntry[] {
  const rows = JSON.parse(gunzipSync(blob).toString('utf8')) as PackedEntry[];
  return rows.map(([path, type, size, mode, mtime, linkTarget, sha256]) => ({ path, type, size, mode, mtime, linkTarget, sha256 }));
}

export const toSnapshotEntry = (e: ManifestEntry): SnapshotEntry => ({
  path: e.path,
  type: e.type,
  size: e.size,
  mode: e.mode,
  mtime: new Date(e.mtime * 1000).toISOString(),
  linkTarget: e.linkTarget,
  sha256: e.sha256,
});
