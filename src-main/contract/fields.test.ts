import { describe, expect, it } from 'vitest';
import { memberInputSchema, EMPTY_MEMBER_INPUT } from './members';
import { multilineText, text } from './fields';

describe('text fields', () => {
  it('refuse NUL and other controls, DEL, C1 and bidi overrides and isolates', () => {
    for (const bad of ['Hél\u0000ène', 'a\u0007b', 'esc\u001b[2J', 'del\u007f', 'c1\u0085', 'evil\u202egnp.exe', 'x\u202ay', 'x\u2066y\u2069', 'tab\there', 'two\nlines']) {
      expect(text(100).safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('keep ordinary text, accents, emoji and the marks right-to-left scripts need', () => {
    for (const good of ['Hélène Œuvray-Müller', 'جمعية', 'שלום \u200f!', 'Café ☕', 'l’été']) expect(text(100).parse(good)).toBe(good);
  });

  it('multi-line fields keep tabs and line breaks, and refuse the rest', () => {
    expect(multilineText(100).parse('12 rue des Lilas\r\n75011 Paris\tbât. B')).toBe('12 rue des Lilas\r\n75011 Paris\tbât. B');
    for (const bad of ['a\u0000b', 'a\u000bb', 'a\u202eb', 'a\u001bb']) expect(multilineText(100).safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  it('a member with a NUL or a bidi override in a name is refused as invalid_argument material', () => {
    const member = { ...EMPTY_MEMBER_INPUT, number: '1', lastName: 'Roux' };
    expect(memberInputSchema.safeParse(member).success).toBe(true);
    expect(memberInputSchema.safeParse({ ...member, firstName: 'Zo\u0000é' }).success).toBe(false);
    expect(memberInputSchema.safeParse({ ...member, lastName: 'xuoR\u202e' }).success).toBe(false);
    expect(memberInputSchema.safeParse({ ...member, address: '1 rue Haute\n29000 Quimper' }).success).toBe(true);
    expect(memberInputSchema.safeParse({ ...member, city: 'Quimper\n' + 'Brest' }).success).toBe(false);
  });
});
