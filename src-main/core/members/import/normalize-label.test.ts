import { describe, expect, it } from 'vitest';
import { normalizeLabel } from './normalize-label';

describe('normalizeLabel', () => {
  it('ignores case, accents and surrounding spaces', () => {
    expect(normalizeLabel('  PRÉNOM ADHÉRENT ')).toBe('prenom adherent');
    expect(normalizeLabel('Prenom adherent')).toBe('prenom adherent');
    expect(normalizeLabel('Référence\u00a0 commande')).toBe('reference commande');
  });

  it('treats every apostrophe alike', () => {
    const expected = "date d'inscription";
    for (const apostrophe of ["'", '\u2019', '\u02bc', '\u2018']) {
      expect(normalizeLabel(`Date d${apostrophe}inscription`)).toBe(expected);
    }
  });

  it("drops Galette's trailing colon, however the space before it is written", () => {
    expect(normalizeLabel('Nom&nbsp;:')).toBe('nom');
    expect(normalizeLabel('Nom\u00a0:')).toBe('nom');
    expect(normalizeLabel('Code Postal :')).toBe('code postal');
    expect(normalizeLabel('Courriel:')).toBe('courriel');
  });

  it('keeps letters that have no decomposition', () => {
    expect(normalizeLabel('Cœur')).toBe('cœur');
  });
});
