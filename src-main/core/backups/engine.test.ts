// The restic binary Pelote runs receives every repository's password: it must be restic, and nobody else may be able
// to swap it. Real files, real modes, real processes.
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { healthCore } from '../health/health-test-fixtures';

let core: ReturnType<typeof healthCore>;
let marker: string;

beforeAll(() => {
  core = healthCore({ platform: { face: 'cli' } });
  marker = join(core.dataDir, 'binary-ran');
});

afterAll(async () => {
  await core.dispose();
});

beforeEach(() => rmSync(marker, { force: true }));

/** A script standing in for restic: it leaves a mark when run, then prints `answer` for `version`. */
function fakeRestic(dir: string, answer: string, mode = 0o755): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'restic');
  writeFileSync(path, `#!/bin/sh\ntouch '${marker}'\necho '${answer}'\n`);
  chmodSync(path, mode);
  return path;
}

const setPath = (path: string | null) => core.call('backups.setResticPath', { path });

describe('choosing the restic binary', () => {
  it('uses a binary only its owner can change, even under a sticky world-writable directory like /tmp', async () => {
    const shared = join(core.dataDir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const path = fakeRestic(join(shared, 'mine'), 'restic 0.16.4 compiled with go1.22.1 on linux/amd64');
    chmodSync(join(shared, 'mine'), 0o755);
    expect(await setPath(path)).toMatchObject({ available: true, source: 'configured', path, version: '0.16.4', error: null });
    expect((await setPath(null)).source).toBe('path');
  });

  it('refuses, without running it, a binary anyone can replace: world-writable, or under a world-writable directory', async () => {
    const writable = fakeRestic(join(core.dataDir, 'a'), 'restic 0.16.4 compiled with go1.22.1 on linux/amd64', 0o777);
    await expect(setPath(writable)).rejects.toMatchObject({ code: 'restic_unsafe', details: { path: writable, reason: 'world_writable' } });

    const open = join(core.dataDir, 'open');
    const inOpenDir = fakeRestic(join(open, 'bin'), 'restic 0.16.4 compiled with go1.22.1 on linux/amd64');
    chmodSync(open, 0o777);
    await expect(setPath(inOpenDir)).rejects.toMatchObject({ code: 'restic_unsafe', details: { path: inOpenDir, reason: 'directory_world_writable', directory: open } });

    await expect(setPath(core.dataDir)).rejects.toMatchObject({ code: 'restic_unsafe', details: { reason: 'not_a_file' } });
    expect(existsSync(marker)).toBe(false);
    expect(await core.call('backups.engine', {})).toMatchObject({ available: true, configuredPath: null });
  });

  it('refuses a binary that does not answer `version` as restic does', async () => {
    const impostor = fakeRestic(join(core.dataDir, 'impostor'), 'Pelote helper 2.0');
    await expect(setPath(impostor)).rejects.toMatchObject({ code: 'restic_not_restic', details: { path: impostor } });
    const silent = fakeRestic(join(core.dataDir, 'silent'), '');
    await expect(setPath(silent)).rejects.toMatchObject({ code: 'restic_not_restic' });
    expect(await core.call('backups.engine', {})).toMatchObject({ available: true, configuredPath: null });
  });
});
