import { describe, expect, it } from 'vitest';
import { detectSeparator, parseRecords } from './csv-table';
import { ImportError } from './import-error';

describe('detectSeparator', () => {
  it('counts separators in the first record only, outside quotes', () => {
    expect(detectSeparator('Nom;Prénom;Montant\nA;B;"1,00"')).toBe(';');
    expect(detectSeparator('"Nom, prénom","Ville"\n"A;B","C"')).toBe(',');
    expect(detectSeparator('Nom\tPrénom\tMontant\n"1,00";;;')).toBe('\t');
    expect(detectSeparator('"Adresse\n;;;;",Ville,Pays\nx,y,z')).toBe(',');
  });

  it("prefers ';' on a tie: French files write decimal commas", () => {
    expect(detectSeparator('Nom;Montant,Tarif\n')).toBe(';');
    expect(detectSeparator('Nom\n')).toBe(';');
  });
});

describe('parseRecords', () => {
  it('gives each record the line it starts on, across multi-line cells and blank lines', () => {
    const text = 'a;b\r\n\r\n1;"x\r\ny"\r\n;\r\n3;4';
    expect(parseRecords(text, ';')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 3, cells: ['1', 'x\ny'] },
      { line: 6, cells: ['3', '4'] },
    ]);
  });

  it('counts lines the same with \\n, \\r\\n or \\r line ends and non-ASCII text', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = ['Nom;Ville', 'Hélène;"Brest', 'Œ"', 'Zoë;Nantes'].join(eol);
      expect(parseRecords(text, ';').map((r) => r.line)).toEqual([1, 2, 4]);
    }
  });

  it('reports a quote left open as a truncated file', () => {
    try {
      parseRecords('a;b\n1;"x\ny', ';');
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(ImportError);
      expect(error).toMatchObject({ code: 'import_truncated', params: { line: 3 } });
    }
  });
});
