import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLock } from './repositories-service';
import type { ResticRepo } from './restic';

let dir: string;
let repo: ResticRepo;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pelote-locks-'));
  repo = { binary: 'restic', path: join(dir, 'repo'), password: { value: 'not a secret' }, cacheDir: join(dir, 'cache') };
  execFileSync('restic', ['init', '--repo', repo.path], { env: { ...process.env, RESTIC_PASSWORD: 'not a secret' }, stdio: 'ignore' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reading a lock', () => {
  it('reports a lock that vanished since it was listed as gone, at once rather than after restic retries for ~45 s', async () => {
    const started = Date.now();
    expect(await readLock(repo, 'ab'.repeat(32))).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
