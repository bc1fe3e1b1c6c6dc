import { describe, expect, it } from 'vitest';
import { wrapText } from './wrap-text';

const chars = (s: string): number => Array.from(s).length;

describe('wrapText', () => {
  it('keeps short text on one line', () => {
    expect(wrapText('vingt euros', 20, chars)).toEqual(['vingt euros']);
  });

  it('breaks at spaces and never exceeds the width', () => {
    const lines = wrapText('quatre-vingt-dix-neuf euros et quatre-vingt-dix-neuf centimes', 30, chars);
    expect(lines).toEqual(['quatre-vingt-dix-neuf euros et', 'quatre-vingt-dix-neuf centimes']);
  });

  it('does not break at no-break spaces', () => {
    expect(wrapText('total 1\u00a0250,00\u00a0€', 10, chars)).toEqual(['total', '1\u00a0250,00\u00a0€']);
  });

  it('cuts a word longer than the width between characters', () => {
    expect(wrapText('ref ABCDEFGHIJ x', 4, chars)).toEqual(['ref', 'ABCD', 'EFGH', 'IJ x']);
  });

  it('collapses repeated spaces and returns no line for blank text', () => {
    expect(wrapText('  a   b ', 10, chars)).toEqual(['a b']);
    expect(wrapText('   ', 10, chars)).toEqual([]);
  });
});
