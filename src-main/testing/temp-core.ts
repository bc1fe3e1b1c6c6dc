import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../core/clock';
import type { Core } from '../core/core';
import { openCore } from '../core/core';
import type { Platform } from '../core/platform';

export const testPlatform = (overrides: Partial<Platform> = {}): Platform => ({
  face: 'host',
  appVersion: '0.0.0-test',
  runtime: { name: 'node', version: process.versions.node },
  openExternal: () => Promise.resolve(),
  ...overrides,
});

/** A fresh data directory in the system temp dir, removed by `cleanup`. */
export function tempDataDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pelote-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real core on a real SQLite file in a temp dir. */
export function tempCore(options: { clock?: Clock; platform?: Partial<Platform> } = {}): Core & { cleanup: () => void } {
  const { dir, cleanup } = tempDataDir();
  const core = openCore({ dataDir: dir, platform: testPlatform(options.platform), ...(options.clock ? { clock: options.clock } : {}) });
  return Object.assign(core, {
    cleanup: () => {
      core.close();
      cleanup();
    },
  });
}

/** A clock that only moves when told to. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (next) => (now = new Date(next)) };
}
