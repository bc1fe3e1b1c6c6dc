// Every command backups run on a server, built with command(): paths, names and users are always arguments, and
// the few shell scripts are fixed literals that receive them as "$1", "$2"…
import type { DatabaseDump, HookCommand } from '../../contract';
import { CoreError } from '../errors';
import { command, type RemoteCommand, type RemoteExit } from '../ssh';

/** tar is run from `/` (`-C /`), so archived names are relative: `/var/www` → `var/www`, `/` → `.`. */
export const relativeOf = (path: string): string => (path === '/' ? '.' : path.replace(/^\/+/, ''));

export function tarCreate(paths: string[], excludes: string[]): RemoteCommand {
  // --sort=name: the same tree gives the same byte stream, so restic deduplicates an unchanged backup to nothing.
  const exclude = excludes.map((pattern) => `--exclude=${pattern.replace(/^\/+/, '')}`);
  return command('tar', '--sort=name', '-cf', '-', '-C', '/', ...exclude, '--', ...paths.map(relativeOf));
}

/** GNU tar exits 1 when a file changed while it was read: the archive is still complete, the run logs a warning. */
export function tarWarningsOnly(exit: RemoteExit, stderr: string): boolean {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  return exit.code === 1 && lines.length > 0 && lines.every((l) => /: (file changed as we read it|File removed before we read it|socket ignored)$/.test(l));
}

export function diskUsage(paths: string[]): RemoteCommand {
  return command('du', '-sb', '--', ...paths);
}

/** The total of `du -sb` lines, or null when nothing could be read. */
export function parseDiskUsage(stdout: string): number | null {
  const sizes = stdout.split('\n').map((l) => /^(\d+)\s/.exec(l)?.[1]).filter((s) => s !== undefined);
  return sizes.length === 0 ? null : sizes.reduce((sum, s) => sum + Number(s), 0);
}

const asUser = (runAs: string | null): string[] => (runAs === null ? [] : ['sudo', '-n', '-u', runAs, '--']);

const argv = (words: string[]): RemoteCommand => {
  const [program, ...args] = words;
  if (program === undefined) throw new CoreError('invalid_argument', 'An empty command.');
  return command(program, ...args);
};

/** The dump goes to stdout; nothing is written on the server. */
export function dumpCommand(dump: DatabaseDump): RemoteCommand {
  switch (dump.kind) {
    case 'sqlite':
      // sqlite3 would create (and dump) an empty database at a mistyped path.
      return argv([...asUser(dump.runAs), 'sh', '-c', '[ -f "$1" ] || { echo "no such database file: $1" >&2; exit 2; }; exec sqlite3 -bail "$1" .dump', 'sh', dump.path]);
    // Database names after `--`: the contract already refuses a leading `-`, and a name still never becomes an option.
    case 'mysql':
      return argv([...asUser(dump.runAs), 'mysqldump', '--single-transaction', '--quick', '--routines', '--triggers', '--events', ...(dump.user === null ? [] : [`--user=${dump.user}`]), '--databases', '--', dump.database]);
    case 'postgresql':
      return argv([...asUser(dump.runAs), 'pg_dump', '--clean', '--create', '--if-exists', ...(dump.user === null ? [] : ['--username', dump.user]), '--', dump.database]);
  }
}

// A restored dump is data, yet the clients also obey their own commands in it (mysql `\!` and sqlite3 `.shell` run a
// shell, `\T` and `.output` write files). Each loader turns them off with the strongest option its client has, found
// out on the server without reading stdin (the dump): MariaDB 10.5.25+ `--sandbox`; MySQL 8.0.43+/8.4.6+
// `--skip-commands` (DELIMITER and USE still work); MySQL 8.0.40+ `--skip-system-command`; sqlite3 3.37+ `-safe`.
// Older clients have none, and psql has no such switch at all: their dumps are trusted as they are.
const MYSQL_LOAD = String.raw`help=$(mysql --help </dev/null 2>/dev/null)
has() { printf '%s\n' "$help" | grep -Eq -- "^ *--$1( |$)"; }
if has sandbox; then o=--sandbox; elif has commands; then o=--skip-commands; elif has system-command; then o=--skip-system-command; else o=; fi
exec mysql $o "$@"`;

// Built aside, then moved over the old file with its WAL files gone: never a half-loaded database in place.
const SQLITE_LOAD = String.raw`set -e
t="$1.pelote-restore"
mkdir -p -- "$(dirname -- "$1")"
rm -f -- "$t"
s=; if sqlite3 -safe :memory: </dev/null >/dev/null 2>&1; then s=-safe; fi
sqlite3 -bail $s "$t"
rm -f -- "$1-wal" "$1-shm"
mv -f -- "$t" "$1"`;

/** Loads a dump read from stdin into the target's database, replacing it. */
export function loadDumpCommand(dump: DatabaseDump): RemoteCommand {
  switch (dump.kind) {
    case 'sqlite':
      return argv([...asUser(dump.runAs), 'sh', '-c', SQLITE_LOAD, 'sh', dump.path]);
    case 'mysql':
      return argv([...asUser(dump.runAs), 'sh', '-c', MYSQL_LOAD, 'sh', ...(dump.user === null ? [] : [`--user=${dump.user}`])]);
    case 'postgresql':
      return argv([...asUser(dump.runAs), 'psql', '-q', '-v', 'ON_ERROR_STOP=1', ...(dump.user === null ? [] : ['--username', dump.user]), '--dbname', 'postgres']);
  }
}

/** How a dump is named on restore plans and confirmations. */
export function databaseLabel(dump: DatabaseDump): string {
  return dump.kind === 'sqlite' ? `sqlite:${dump.path}` : `${dump.kind}:${dump.database}`;
}

export const dumpFileName = (dumpName: string): string => `${dumpName}.sql`;

export function writeFileCommand(dir: string, fileName: string): RemoteCommand {
  return command('sh', '-c', 'mkdir -p -- "$1" && exec cat > "$1/$2"', 'sh', dir, fileName);
}

export function tarExtract(dir: string): RemoteCommand {
  return command('sh', '-c', 'mkdir -p -- "$1" && exec tar -xpf - -C "$1"', 'sh', dir);
}

export const hookCommand = (words: HookCommand): RemoteCommand => argv(words);

/** Per path, in order: "E W" — whether it exists (a non-empty directory, or anything else) and can be written. */
export function probeTargets(paths: string[]): RemoteCommand {
  return command(
    'sh',
    '-c',
    `for p do
  e=0
  if [ -d "$p" ]; then [ -n "$(ls -A -- "$p" 2>/dev/null)" ] && e=1; elif [ -e "$p" ] || [ -L "$p" ]; then e=1; fi
  q=$p
  while [ ! -e "$q" ]; do q=$(dirname -- "$q"); done
  w=0; [ -w "$q" ] && w=1
  echo "$e $w"
done`,
    'sh',
    ...paths,
  );
}

export function makeTempDir(): RemoteCommand {
  return command('mktemp', '-d', '-t', 'pelote-drill.XXXXXXXXXX');
}

/** Only ever a directory made by makeTempDir(). */
export function removeTempDir(dir: string): RemoteCommand {
  if (!/\/pelote-drill\.[A-Za-z0-9]{10}$/.test(dir)) throw new CoreError('internal', `Refusing to remove ${dir}.`);
  // A restored read-only directory would stop rm.
  return command('sh', '-c', 'chmod -R u+rwX -- "$1" 2>/dev/null; rm -rf -- "$1"', 'sh', dir);
}

/**
 * find reads a starting point that begins with `-` (or is `!`, `(`) as part of its expression: a root named `-delete`
 * would delete the restored tree. Each root goes as `./<root>`, which is always a path; find then prints every path
 * with that `./` in front (verify.ts takes it off).
 */
const findRoots = (roots: string[]): string[] => roots.map((root) => `./${root}`);

/** Type, mode, size, mtime, path and link target of every entry under the roots, NUL-separated. */
export function listTree(dir: string, roots: string[]): RemoteCommand {
  return command('sh', '-c', 'cd -- "$1" || exit 3; shift; exec find "$@" -printf \'%y\\0%m\\0%s\\0%T@\\0%p\\0%l\\0\'', 'sh', dir, ...findRoots(roots));
}

/** sha256sum of every regular file under the roots, computed on the target. */
export function hashTree(dir: string, roots: string[]): RemoteCommand {
  return command('sh', '-c', 'cd -- "$1" || exit 3; shift; find "$@" -type f -print0 | xargs -0 -r sha256sum --', 'sh', dir, ...findRoots(roots));
}
