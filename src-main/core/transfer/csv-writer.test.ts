import { describe, expect, it } from 'vitest';
import { frenchAmount, frenchCsv, frenchDate } from './csv-writer';

describe('frenchCsv', () => {
  it('starts with a BOM, separates with semicolons, ends lines with CRLF and quotes only when needed', () => {
    const csv = frenchCsv(['Nom', 'Notes'], [['Dupré', 'dit "Lili"; trésorière'], ['Cœur', 'deux\nlignes']]);
    expect(csv).toBe('\uFEFFNom;Notes\r\nDupré;"dit ""Lili""; trésorière"\r\nCœur;"deux\nlignes"\r\n');
  });

  it('keeps cells that a spreadsheet would run as formulas as text, but negative amounts as numbers', () => {
    const csv = frenchCsv(['a', 'b', 'c', 'd'], [['=HYPERLINK("x")', '+33 6', '-1234,00', '@SUM(A1)']]);
    expect(csv.split('\r\n')[1]).toBe(`"'=HYPERLINK(""x"")";'+33 6;"-1234,00";'@SUM(A1)`);
  });

  it('quotes every cell holding a comma or a tab, so a spreadsheet splitting on them cannot start a formula', () => {
    const csv = frenchCsv(['a', 'b', 'c'], [['Dupont,=HYPERLINK("http://x")', 'Roux\t+cmd', '12,50']]);
    expect(csv.split('\r\n')[1]).toBe('"Dupont,=HYPERLINK(""http://x"")";"Roux\t+cmd";"12,50"');
  });

  it('writes French dates and decimal-comma amounts', () => {
    expect(frenchDate('2025-09-01')).toBe('01/09/2025');
    expect(frenchDate(null)).toBe('');
    expect(frenchAmount(123400)).toBe('1234,00');
    expect(frenchAmount(-5)).toBe('-0,05');
  });
});
