// Which restic runs: the configured path, else $PELOTE_RESTIC, else the one packaged builds ship in resources/, else
// PATH. Its version is checked once per core (and again when the path changes).
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
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
  const version = await versionOf(found.path);
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

/** `restic version` prints "restic 0.14.0 compiled with go1.19.8 on linux/amd64". */
async function versionOf(path: string): Promise<string | null> {
  try {
    const { stdout } = await execFileAsync(path, ['version'], { timeout: 10_000 });
    return /^restic (\d+\.\d+\.\d+)/.exec(stdout)?.[1] ?? null;
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
