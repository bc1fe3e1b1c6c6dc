import { describe, expect, it } from 'vitest';
import { compareTree, parseFind, parseSha256sum, type Expected } from './verify';

const sha = (c: string) => c.repeat(64);
const entry = (e: Partial<Expected> & Pick<Expected, 'path' | 'type'>): Expected => ({ size: 0, mode: 0o644, mtime: 1_700_000_000, linkTarget: null, sha256: null, meta: true, ...e });
const findRecord = (type: string, mode: string, size: number, mtime: string, path: string, link = '') => [type, mode, String(size), mtime, path, link].join('\0') + '\0';

describe('verification against the manifest', () => {
  it("reads sha256sum's output, escaped names included", () => {
    const out = `${sha('a')}  www/index.php\n\\${sha('b')}  www/two\\nlines \\\\ back\n${sha('c')} *www/binary\n`;
    expect([...parseSha256sum(out)]).toEqual([
      ['www/index.php', sha('a')],
      ['www/two\nlines \\ back', sha('b')],
      ['www/binary', sha('c')],
    ]);
  });

  it('finds every kind of difference, and passes an identical tree', () => {
    const expected = [
      entry({ path: 'www', type: 'directory', mode: 0o755 }),
      entry({ path: 'www/index.php', type: 'file', size: 3, sha256: sha('a') }),
      entry({ path: 'www/same.php', type: 'hardlink', linkTarget: 'www/index.php' }),
      entry({ path: 'www/link', type: 'symlink', linkTarget: '../x' }),
      entry({ path: 'www/app.sql', type: 'file', size: 9, sha256: sha('d'), meta: false }),
    ];
    const listing =
      findRecord('d', '755', 4096, '1800000000.5', 'www') +
      findRecord('f', '644', 3, '1700000000.9', 'www/index.php') +
      findRecord('f', '644', 3, '1700000000.0', 'www/same.php') +
      findRecord('l', '777', 4, '1700000000.0', 'www/link', '../x') +
      findRecord('f', '600', 9, '1800000000.0', 'www/app.sql');
    const found = parseFind(Buffer.from(listing));
    for (const [path, hash] of [['www/index.php', sha('a')], ['www/same.php', sha('a')], ['www/app.sql', sha('d')]] as const) {
      const f = found.get(path);
      if (f) f.sha256 = hash;
    }
    expect(compareTree(expected, found)).toEqual({ status: 'verified', checked: 5, mismatched: 0, missing: 0, problems: [] });

    const broken = parseFind(Buffer.from(findRecord('d', '700', 4096, '1', 'www') + findRecord('f', '644', 3, '1700000001', 'www/index.php') + findRecord('l', '777', 4, '1700000000', 'www/link', '../y') + findRecord('d', '755', 0, '1', 'www/app.sql')));
    const f = broken.get('www/index.php');
    if (f) f.sha256 = sha('a');
    const result = compareTree(expected, broken);
    expect(result).toMatchObject({ status: 'mismatch', checked: 5, mismatched: 4, missing: 1 });
    expect(result.problems).toEqual([
      { path: 'www', problem: 'mode' },
      { path: 'www/index.php', problem: 'mtime' },
      { path: 'www/same.php', problem: 'missing' },
      { path: 'www/link', problem: 'link' },
      { path: 'www/app.sql', problem: 'type' },
    ]);
  });
});
