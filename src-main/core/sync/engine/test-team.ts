// For a test file: laptops and team folders made in a test, removed after it.
import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { EMPTY_MEMBER_INPUT } from '../../../contract/members';
import { tempDataDir } from '../../../testing/temp-core';
import { laptop, type Laptop } from './sync-test-fixtures';

export const memberInput = (number: string, firstName: string, lastName: string) => ({ member: { ...EMPTY_MEMBER_INPUT, number, firstName, lastName } });

/** Every file under `dir`, for reading the team folder byte by byte. */
export const allFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());

/**
 * A's newest segment cut in half where it lies (`dir`, the folder as this machine sees it), as an upload stopped
 * midway leaves it: B applies nothing of it and says so, then applies it once it is whole.
 */
export async function cutSegmentWaitsUntilWhole(a: Laptop, b: Laptop, dir: string): Promise<void> {
  const zoe = await a.call('members.create', memberInput('3', 'Zoé', 'Martin'));
  const { node } = await a.call('sync.now', {});
  const segment = allFiles(dir).filter((f) => f.includes(`/devices/${node}/`) && f.endsWith('.seg')).sort().at(-1);
  if (segment === undefined) throw new Error(`no segment of ${node ?? '?'} in ${dir}`);
  const whole = readFileSync(segment);
  truncateSync(segment, Math.floor(whole.length / 2));
  const cut = await b.call('sync.now', {});
  expect(cut.devices[0]?.problem?.code).toMatch(/sync_file_(truncated|corrupt)/);
  await expect(b.call('members.get', { id: zoe.id })).rejects.toMatchObject({ code: 'member_not_found' });
  writeFileSync(segment, whole);
  const fixed = await b.call('sync.now', {});
  expect(fixed.devices[0]?.problem).toBeNull();
  expect((await b.call('members.get', { id: zoe.id })).member.firstName).toBe('Zoé');
}

export function testTeam(): { laptop: (name: string) => Laptop; folder: () => string } {
  let cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups) cleanup();
    cleanups = [];
  });
  return {
    laptop: (name) => {
      const made = laptop(name);
      cleanups.push(() => made.cleanup());
      return made;
    },
    folder: () => {
      const { dir, cleanup } = tempDataDir();
      cleanups.push(cleanup);
      return dir;
    },
  };
}
