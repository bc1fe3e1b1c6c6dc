// Which restic runs: the configured path, else $PELOTE_RESTIC, else the one packaged builds ship in resources/, else
// PATH. It is checked once per core (and again when the path changes): a file nobody else can swap, that answers
// `version` as restic, recent enough. Only then does it get repositories' passwords.
import { execFile } from 'node:child_process';
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { EngineInfo, ResticSource } from '../../contract';
import { RESTIC_MINIMUM_VERSION } from '../../contract/backups';
import { isoNow } from '../clock';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { writeTransaction } from '../db/write-transaction';

const execFileAsync = promisify(execFile);
const RESTIC_PATH_KEY = 'restic_path';

const cache = new WeakMap<Core, Promise<EngineInfo>>();

export function configuredResticPath(core: Core): string | null {
  return (core.db.prepare('select value from backup_settings where key = ?').pluck().get(RESTIC_PATH_KEY) as string | undefined) ?? null;
}

/** The engine as found now (cached per core). */
export function engineInfo(core: Core): Promise<EngineInfo> {
  let info = cache.get(core);
  if (info === undefined) {
    info = detect(configuredResticPath(core));
    cache.set(core, info);
  }
  return info;
}

/** The restic binary to run, or the reason there is none. */
export async function resticBinary(core: Core): Promise<string> {
  const info = await engineInfo(core);
  if (!info.available || info.path === null) {
    const error = info.error ?? { code: 'restic_missing', message: 'restic was not found.', details: {} };
    throw new CoreError(error.code, error.message, error.details);
  }
  return info.path;
}

/** Checks `path` (null: search again), then keeps it, with its audit entry. */
export async function setResticPath(core: Core, path: string | null): Promise<EngineInfo> {
  const info = await detect(path);
  if (path !== null && !info.available) {
    const error = info.error ?? { code: 'restic_missing', message: 'restic was not found.', details: {} };
    throw new CoreError(error.code, error.message, error.details);
  }
  writeTransaction(core.db, () => {
    const before = configuredResticPath(core);
    if (path === null) core.db.prepare('delete from backup_settings where key = ?').run(RESTIC_PATH_KEY);
    else {
      core.db
        .prepare('insert into backup_settings (key, value, updated_at) values (?, ?, ?) on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at')
        .run(RESTIC_PATH_KEY, path, isoNow(core.clock));
    }
    core.audit.record({ entity: 'backup_settings', entityId: RESTIC_PATH_KEY, action: 'update', changes: { resticPath: { from: before, to: path } } });
  });
  cache.set(core, Promise.resolve(info));
  return info;
}

async function detect(configured: string | null): Promise<EngineInfo> {
  const base = { minimumVersion: RESTIC_MINIMUM_VERSION, configuredPath: configured };
  const found = locate(configured);
  if (found === null) {
    const message = configured === null ? 'restic was not found: install it or set its path.' : `restic is not at ${configured}.`;
    return { ...base, available: false, path: configured, source: null, version: null, error: { code: 'restic_missing', message, details: { path: configured } } };
  }
  const unsafe = unsafeBinary(found.path);
  if (unsafe !== null) {
    const message = `Pelote will not run ${found.path}: ${UNSAFE_REASONS[unsafe.reason]}${unsafe.directory === undefined ? '' : ` (${unsafe.directory})`}.`;
    return { ...base, available: false, ...found, version: null, error: { code: 'restic_unsafe', message, details: { path: found.path, ...unsafe } } };
  }
  const answer = await versionOutput(found.path);
  if (answer === null || !answer.startsWith('restic ')) {
    const message = `${found.path} does not answer \`version\` as restic does.`;
    return { ...base, available: false, ...found, version: null, error: { code: 'restic_not_restic', message, details: { path: found.path } } };
  }
  const version = /^restic (\d+\.\d+\.\d+)/.exec(answer)?.[1] ?? null;
  if (version === null || compareVersions(version, RESTIC_MINIMUM_VERSION) < 0) {
    const message = `restic ${version ?? '(unknown version)'} at ${found.path} is too old: Pelote needs ${RESTIC_MINIMUM_VERSION} or later.`;
    return { ...base, available: false, ...found, version, error: { code: 'restic_too_old', message, details: { path: found.path, version, minimumVersion: RESTIC_MINIMUM_VERSION } } };
  }
  return { ...base, available: true, ...found, version, error: null };
}

function locate(configured: string | null): { path: string; source: ResticSource } | null {
  if (configured !== null) return executable(configured) ? { path: configured, source: 'configured' } : null;
  const fromEnv = process.env.PELOTE_RESTIC;
  if (fromEnv !== undefined && fromEnv !== '' && executable(fromEnv)) return { path: fromEnv, source: 'env' };
  // Packaged Electron builds put restic next to the app's resources.
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const bundled = resources === undefined ? null : join(resources, process.platform === 'win32' ? 'restic.exe' : 'restic');
  if (bundled !== null && executable(bundled)) return { path: bundled, source: 'bundled' };
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, process.platform === 'win32' ? 'restic.exe' : 'restic');
    if (dir !== '' && executable(candidate)) return { path: candidate, source: 'path' };
  }
  return null;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const UNSAFE_REASONS = {
  not_a_file: 'it is not a regular file',
  world_writable: 'every user of this computer can change it',
  directory_world_writable: 'every user of this computer can replace it, in a folder writable by all',
} as const;

/**
 * Why the binary at `path` could be someone else's program by the time it runs, or null: not a regular file, writable
 * by all, or in a folder where anyone may rename it or what leads to it (world-writable without the sticky bit that
 * /tmp has). Both the path as given and the file its symlinks lead to are checked, up to `/`.
 */
function unsafeBinary(path: string): { reason: keyof typeof UNSAFE_REASONS; directory?: string } | null {
  try {
    const real = realpathSync(path);
    const file = statSync(real);
    if (!file.isFile()) return { reason: 'not_a_file' };
    // Windows reports made-up mode bits: only the file check means something there.
    if (process.platform === 'win32') return null;
    if ((file.mode & 0o002) !== 0) return { reason: 'world_writable' };
    for (const start of [dirname(resolve(path)), dirname(real)]) {
      for (let dir = start; ; dir = dirname(dir)) {
        const mode = statSync(dir).mode;
        if ((mode & 0o002) !== 0 && (mode & 0o1000) === 0) return { reason: 'directory_world_writable', directory: dir };
        if (dirname(dir) === dir) break;
      }
    }
    return null;
  } catch {
    return { reason: 'not_a_file' };
  }
}

/** What `restic version` prints, e.g. "restic 0.14.0 compiled with go1.19.8 on linux/amd64"; null if it failed. */
async function versionOutput(path: string): Promise<string | null> {
  try {
    return (await execFileAsync(path, ['version'], { timeout: 10_000 })).stdout;
  } catch {
    return null;
  }
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
