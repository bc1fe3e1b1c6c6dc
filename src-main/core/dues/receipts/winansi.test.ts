import { PDFDocument, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { toSupportedText } from './winansi';

let helvetica: ReadonlySet<number>;

beforeAll(async () => {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  helvetica = new Set(font.getCharacterSet());
});

describe('toSupportedText with Helvetica (WinAnsi)', () => {
  it('keeps French text, œ, €, guillemets and typographic apostrophes as they are', () => {
    const text = 'Hélène Lœuvre, Zoë Çà « ŒUVRE » l’été — 12,50\u00a0€ …';
    expect(toSupportedText(text, helvetica)).toBe(text);
  });

  it('composes decomposed accents before checking them', () => {
    expect(toSupportedText('He\u0301le\u0300ne', helvetica)).toBe('Hélène');
  });

  it('strips only the accents the font lacks (ř, not á) and transliterates stroked letters', () => {
    expect(toSupportedText('Łukasz Ștefan Dvořák Đorđe', helvetica)).toBe('Lukasz Stefan Dvorák Dorde');
  });

  it('replaces each unsupported character once, emoji included', () => {
    expect(toSupportedText('Łukasz 😀', helvetica)).toBe('Lukasz ?');
    expect(toSupportedText('王 👍🏽 ❤️', helvetica)).toBe('? ?? ?');
  });

  it('maps spaces and dashes WinAnsi lacks, and drops invisible characters', () => {
    expect(toSupportedText('12,50\u202f€\tx\u2011y\u200bz', helvetica)).toBe('12,50\u00a0€ x-yz');
  });
});
