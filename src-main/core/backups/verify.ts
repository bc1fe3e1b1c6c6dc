// Checks a restored tree against the manifest recorded while it was backed up: the target lists its entries (GNU
// find) and hashes its regular files (sha256sum) under the restored roots; Pelote compares. Directory mtimes are not
// compared: anything created inside a directory (a service starting) changes them.
import type { Verification, VerificationProblem } from '../../contract';
import { CoreError } from '../errors';
import type { RemoteCommand, SshPool, SshTarget } from '../ssh';
import { hashTree, listTree } from './remote-commands';
import type { ManifestEntry } from './tar-manifest';

const MAX_PROBLEMS = 50;
const MAX_OUTPUT = 1024 * 1024 * 1024;

/** What the restore should have produced; `meta: false` for dumps written as files (their mode and mtime are new). */
export interface Expected extends ManifestEntry {
  meta: boolean;
}

interface Found {
  type: string;
  mode: number;
  size: number;
  mtime: number;
  linkTarget: string;
  sha256: string | null;
}

export async function verifyTree(pool: SshPool, target: SshTarget, dir: string, roots: string[], expected: Expected[]): Promise<Verification> {
  const listing = await collect(pool, target, listTree(dir, roots));
  const found = new Map([...parseFind(listing)].map(([path, entry]) => [fromRoot(path), entry]));
  const hashes = parseSha256sum((await collect(pool, target, hashTree(dir, roots))).toString('utf8'));
  for (const [path, sha] of hashes) {
    const entry = found.get(fromRoot(path));
    if (entry !== undefined) entry.sha256 = sha;
  }
  return compareTree(expected, found);
}

/** The roots went to find as `./<root>` (never an option): the paths it printed, as the manifest names them. */
const fromRoot = (path: string): string => (path.startsWith('./') ? path.slice(2) : path);

/** Every expected entry against what the target has; extra entries on the target are not problems. */
export function compareTree(expected: Expected[], found: Map<string, Found>): Verification {
  const byPath = new Map(expected.map((e) => [e.path, e]));
  const problems: VerificationProblem[] = [];
  let mismatched = 0;
  let missing = 0;
  for (const e of expected) {
    const problem = problemOf(e, found.get(e.path), byPath);
    if (problem === null) continue;
    if (problem === 'missing') missing++;
    else mismatched++;
    if (problems.length < MAX_PROBLEMS) problems.push({ path: e.path, problem });
  }
  return { status: problems.length === 0 ? 'verified' : 'mismatch', checked: expected.length, mismatched, missing, problems };
}

const FIND_TYPES: Record<string, string> = { f: 'file', d: 'directory', l: 'symlink' };

function problemOf(e: Expected, f: Found | undefined, byPath: Map<string, Expected>): VerificationProblem['problem'] | null {
  if (f === undefined) return 'missing';
  // A hard link restores as a regular file with its original's content.
  const source = e.type === 'hardlink' ? byPath.get(e.linkTarget ?? '') : e;
  const type = e.type === 'hardlink' ? 'file' : e.type;
  if ((FIND_TYPES[f.type] ?? 'other') !== type) return 'type';
  if (type === 'file' && (f.sha256 !== source?.sha256 || (e.type === 'file' && f.size !== e.size))) return 'content';
  if (type === 'symlink' && f.linkTarget !== e.linkTarget) return 'link';
  if (!e.meta || e.type === 'hardlink') return null;
  if (type !== 'symlink' && f.mode !== e.mode) return 'mode';
  if (type !== 'directory' && f.mtime !== e.mtime) return 'mtime';
  return null;
}

/** find -printf '%y\0%m\0%s\0%T@\0%p\0%l\0' records. */
export function parseFind(output: Buffer): Map<string, Found> {
  const fields = output.toString('utf8').split('\0');
  const found = new Map<string, Found>();
  for (let i = 0; i + 5 < fields.length; i += 6) {
    const [type = '', mode = '', size = '', mtime = '', path = '', link = ''] = fields.slice(i, i + 6);
    found.set(path, { type, mode: parseInt(mode, 8), size: Number(size), mtime: Math.floor(Number(mtime)), linkTarget: link, sha256: null });
  }
  return found;
}

/** sha256sum's lines; a name with a backslash or newline is printed escaped, the line then starting with `\`. */
export function parseSha256sum(output: string): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const line of output.split('\n')) {
    const m = /^(\\?)([0-9a-f]{64}) [ *](.*)$/.exec(line);
    if (m === null) continue;
    const name = m[1] === '\\' ? (m[3] ?? '').replace(/\\(\\|n|r)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : '\\')) : (m[3] ?? '');
    hashes.set(name, m[2] ?? '');
  }
  return hashes;
}

/** A command's whole stdout, without exec()'s output cap (a big tree lists many MB); find's exit 1 is expected. */
async function collect(pool: SshPool, target: SshTarget, cmd: RemoteCommand): Promise<Buffer> {
  const run = await pool.stream(target, cmd, { timeoutMs: 60 * 60_000 });
  run.stdin.end();
  const chunks: Buffer[] = [];
  let size = 0;
  run.stdout.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_OUTPUT) run.cancel();
    else chunks.push(chunk);
  });
  run.stderr.resume();
  const exit = await run.exit;
  if (exit.code === 3) throw new CoreError('restore_verify_failed', 'The restored directory cannot be read on the target.', {});
  return Buffer.concat(chunks);
}
