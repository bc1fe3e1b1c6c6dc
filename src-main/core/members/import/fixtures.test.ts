import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, generateFixtures } from './fixtures/generate';

describe('fixture files', () => {
  it('are exactly what fixtures/generate.ts produces from the UTF-8 sources', () => {
    for (const [path, bytes] of generateFixtures()) {
      const file = join(FIXTURES_DIR, path);
      if (process.env.UPDATE_FIXTURES) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, bytes);
      }
      expect(existsSync(file), path).toBe(true);
      expect(new Uint8Array(readFileSync(file)), path).toEqual(bytes);
    }
  });
});
