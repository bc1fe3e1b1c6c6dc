import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupRepository } from '../../contract';
import { RepositoriesService } from '../../core/backups/repositories-service';
import { openCore } from '../../core/core';
import { runCaptured } from '../../testing/cli-captured';
import { tempDataDir, testPlatform } from '../../testing/temp-core';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
const dir = (): string => {
  const { dir: d, cleanup } = tempDataDir();
  cleanups.push(cleanup);
  return d;
};
const cli = (dataDir: string, ...args: string[]) => runCaptured(['--data-dir', dataDir, ...args]);

/** What the laptop at `dataDir` knows of its only repository, after opening it as a backup would. */
async function usedOn(dataDir: string): Promise<{ repository: BackupRepository; ok: boolean; shared: Buffer | null }> {
  const core = openCore({ dataDir, platform: testPlatform({ face: 'cli' }) });
  try {
    const repositories = new RepositoriesService(core);
    const [listed] = repositories.list();
    if (listed === undefined) throw new Error(`no repository in ${dataDir}`);
    const { ok } = await repositories.status(listed.id);
    const shared = core.db.prepare('select shared_password from backup_repositories where id = ?').pluck().get(listed.id) as Buffer | null;
    return { repository: repositories.get(listed.id), ok, shared };
  } finally {
    core.close();
  }
}

describe('pelote backup init --share-with-team and backup share', () => {
  it('shares a new repository’s password with the team, and stops sharing it; outside a team it refuses', async () => {
    const folder = dir();
    const a = dir();
    const b = dir();
    const keyFile = join(dir(), 'team.key');

    const alone = await cli(a, '--json', 'backup', 'init', 'usb', join(a, 'early'), '--share-with-team');
    expect(alone.code).toBe(1);
    expect(JSON.parse(alone.stderr)).toMatchObject({ error: { code: 'sync_not_in_team' } });

    expect((await cli(a, 'sync', 'init', folder, '--key-file', keyFile)).code).toBe(0);
    const init = await cli(a, 'backup', 'init', 'usb', join(a, 'repo'), '--share-with-team');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('Its password is shared with the team');
    expect((await cli(a, 'sync', 'now')).code).toBe(0);

    // B joins; the CLI's first use of the repository keeps the shared password as B's own.
    expect((await cli(b, 'sync', 'join', folder, '--key-file', keyFile)).code).toBe(0);
    const onB = await usedOn(b);
    expect(onB).toMatchObject({ ok: true, repository: { passwordShared: true, passwordSource: { kind: 'file' } } });
    expect(onB.repository.passwordReceivedAt).not.toBeNull();

    const stop = await cli(a, 'backup', 'share', 'usb', '--stop');
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain('no longer shared');
    expect((await cli(a, 'sync', 'now')).code).toBe(0);
    expect((await cli(b, 'sync', 'now')).code).toBe(0);
    const stopped = await usedOn(b);
    expect(stopped).toMatchObject({ ok: true, shared: null, repository: { passwordShared: false, passwordSource: { kind: 'file' } } });

    const again = await cli(a, '--json', 'backup', 'share', 'usb');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ name: 'usb', passwordShared: true });
    expect((await cli(a, 'backup', 'share')).code).toBe(2);
  }, 60_000);
});
