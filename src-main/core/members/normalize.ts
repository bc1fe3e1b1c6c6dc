/**
 * The comparable form of a name, email, city or query: lower case, no accents, ligatures spelled out, one kind of
 * apostrophe, single spaces. `search_text`, `sort_name` and typed queries all go through it, so "HÉLÈNE",
 * "Helene" and "hélène" meet.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[\u2019\u02bc\u2018`\u00b4]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** A typed query as the terms that must all occur in a member's search text. */
export const searchTerms = (query: string): string[] => normalizeText(query).split(' ').filter((term) => term !== '');
