// A team folder in a temp dir, for the tests of what lives in it.
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tempDataDir } from '../../../../testing/temp-core';
import type { FolderStore } from '../folder-store';
import { localFolderStore } from '../local-folder-store';
import type { SyncMessage } from '../segments';

export const DEVICE_A = '0123456789abcdef';
export const DEVICE_B = 'fedcba9876543210';
export const DEVICE_C = 'aaaaaaaaaaaaaaaa';

export interface LocalTeamFolder {
  root: string;
  store: FolderStore;
  cleanup(): void;
}

export function localTeamFolder(): LocalTeamFolder {
  const temp = tempDataDir();
  const root = join(temp.dir, 'team');
  mkdirSync(root);
  return { root, store: localFolderStore(root), cleanup: temp.cleanup };
}

/** Every file under `dir`, with its path relative to it. */
export function allFiles(dir: string, prefix = ''): { path: string; bytes: Buffer }[] {
  return readdirSync(join(dir, prefix)).flatMap((name) => {
    const path = prefix === '' ? name : `${prefix}/${name}`;
    return statSync(join(dir, path)).isDirectory() ? allFiles(dir, path) : [{ path, bytes: readFileSync(join(dir, path)) }];
  });
}

let counter = 0;

/** A message as the engine would make it, its timestamp unique within the run. */
export function syncMessage(value: string, node = DEVICE_A, column = 'name'): SyncMessage {
  counter++;
  return {
    timestamp: `2025-01-01T10:00:00.000Z-${counter.toString(16).padStart(4, '0').slice(-4)}-${node}`,
    dataset: 'members',
    row: `member-${counter}`,
    column,
    value,
  };
}
