import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { open, openAsync, seal, sealAsync, SEALED_MIN_BYTES, type SealContext } from './sealed-file';
import { generateTeamKey } from './team-key';

const key = generateTeamKey();
const context: SealContext = { teamId: '6f1c1c1e-8a86-4a55-9a9e-2d0c7a1b0b1e', kind: 'segment', path: 'devices/0123456789abcdef/000000000001.seg' };

function codeOfOpen(file: Buffer, ctx: SealContext = context, withKey: Buffer = key): string {
  try {
    open(withKey, ctx, file);
  } catch (err) {
    return (err as { code?: string }).code ?? 'not a CoreError';
  }
  return 'opened';
}

describe('sealed files', () => {
  it('round-trips, compressed, behind the PLT1 header with its version and kind', async () => {
    const plaintext = Buffer.from('Alice Martin, 12 rue des Lilas; '.repeat(200));
    const file = seal(key, context, plaintext);
    expect(file.subarray(0, 4).toString('latin1')).toBe('PLT1');
    expect(file[4]).toBe(1);
    expect(file[5]).toBe(2); // segment
    expect(file.length).toBeLessThan(plaintext.length / 10);
    expect(open(key, context, file).equals(plaintext)).toBe(true);
    expect((await openAsync(key, context, file)).equals(plaintext)).toBe(true);
    expect(open(key, context, await sealAsync(key, context, plaintext)).equals(plaintext)).toBe(true);
    expect(open(key, context, seal(key, context, '')).length).toBe(0);
  });

  it('never seals the same plaintext to the same bytes (a fresh nonce each time)', () => {
    expect(seal(key, context, 'x').equals(seal(key, context, 'x'))).toBe(false);
  });

  it('refuses every truncation: short of the header and tag as truncated, longer as corrupt', () => {
    const file = seal(key, context, 'a member’s name');
    for (let length = 0; length < file.length; length++) {
      const code = codeOfOpen(file.subarray(0, length));
      expect(code, `cut at ${length}`).toBe(length < SEALED_MIN_BYTES ? 'sync_file_truncated' : 'sync_file_corrupt');
    }
  });

  it('refuses any truncation or bit flip of any sealed file (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2048 }),
        fc.oneof(
          fc.record({ cut: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }),
          fc.record({ flipAt: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), bit: fc.integer({ min: 0, max: 7 }) }),
        ),
        (plaintext, damage) => {
          const file = Buffer.from(seal(key, context, Buffer.from(plaintext)));
          let damaged: Buffer;
          if ('cut' in damage) damaged = file.subarray(0, Math.floor(damage.cut * file.length));
          else {
            damaged = Buffer.from(file);
            const at = Math.floor(damage.flipAt * file.length);
            damaged[at] = (damaged[at] ?? 0) ^ (1 << damage.bit);
          }
          // A flipped version byte may read as a newer format: refused all the same, never opened.
          expect(['sync_file_truncated', 'sync_file_corrupt', 'sync_file_newer_format']).toContain(codeOfOpen(damaged));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('says a file from a newer Pelote is newer, without trying to read it', () => {
    const file = Buffer.from(seal(key, context, 'x'));
    file[4] = 2;
    expect(codeOfOpen(file)).toBe('sync_file_newer_format');
    expect(codeOfOpen(file.subarray(0, 6))).toBe('sync_file_newer_format');
    file[4] = 0;
    expect(codeOfOpen(file)).toBe('sync_file_corrupt');
  });

  it('binds the team, the kind and the path: a file moved or replayed elsewhere does not open', () => {
    const file = seal(key, context, 'x');
    expect(codeOfOpen(file, { ...context, path: 'devices/fedcba9876543210/000000000001.seg' })).toBe('sync_file_corrupt');
    expect(codeOfOpen(file, { ...context, path: 'devices/0123456789abcdef/000000000002.seg' })).toBe('sync_file_corrupt');
    expect(codeOfOpen(file, { ...context, teamId: '00000000-0000-4000-8000-000000000000' })).toBe('sync_file_corrupt');
    expect(codeOfOpen(file, { ...context, kind: 'head' })).toBe('sync_file_corrupt');
    // The same kind byte but another context's key or data:
    const head = seal(key, { ...context, kind: 'head' }, 'x');
    const relabelled = Buffer.from(head);
    relabelled[5] = 2;
    expect(codeOfOpen(relabelled)).toBe('sync_file_corrupt');
    expect(codeOfOpen(file, context, generateTeamKey())).toBe('sync_file_corrupt');
  });

  it('refuses a file that is not sealed at all', () => {
    expect(codeOfOpen(Buffer.from('{"hello": "this is not a sealed file at all"}'))).toBe('sync_file_corrupt');
  });
});
