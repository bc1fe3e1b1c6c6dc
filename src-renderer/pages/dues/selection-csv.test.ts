import { describe, expect, it } from 'vitest';
import type { MemberRow } from '../../../src-main/contract';
import { csvFile, selectionCsv } from './selection-csv';

const labels = {
  headers: { number: 'N°', name: 'Nom', email: 'Courriel', status: 'État', paidUntil: 'Payé jusqu’au' },
  status: (status: string) => `<${status}>`,
};

const row = (overrides: Partial<MemberRow>): MemberRow => ({
  id: '00000000-0000-4000-8000-000000000000',
  number: '7',
  displayName: 'Hélène Dupré-Lefèvre',
  email: 'helene@example.org',
  city: 'Paris',
  categoryId: null,
  categoryName: null,
  status: 'late',
  paidUntil: '2025-12-31',
  deleted: false,
  ...overrides,
});

describe('selectionCsv', () => {
  it('starts with a BOM, separates with semicolons, ends lines with CRLF and writes French dates', () => {
    const text = selectionCsv([row({}), row({ number: '8', status: 'lapsed', paidUntil: null, email: '' })], labels);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.slice(1).split('\r\n')).toEqual([
      'N°;Nom;Courriel;État;Payé jusqu’au',
      '7;Hélène Dupré-Lefèvre;helene@example.org;<late>;31/12/2025',
      '8;Hélène Dupré-Lefèvre;;<lapsed>;',
      '',
    ]);
  });

  it('keeps a name with a separator or a line break in one cell', () => {
    const text = selectionCsv([row({ displayName: 'Les "Amis"; du Chœur\nNantes' })], labels);
    expect(text.slice(1).split('\r\n')[1]).toBe('7;"Les ""Amis""; du Chœur\nNantes";helene@example.org;<late>;31/12/2025');
  });
});

describe('csvFile', () => {
  it('encodes the text as UTF-8 base64, BOM and accents included', () => {
    const payload = csvFile('relances.csv', '\uFEFFÉtat;Zoë\r\n');
    expect(payload.fileName).toBe('relances.csv');
    expect(payload.mimeType).toMatch(/^text\/csv/);
    const bytes = Uint8Array.from(atob(payload.base64), (c) => c.charCodeAt(0));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe('\uFEFFÉtat;Zoë\r\n');
  });
});
