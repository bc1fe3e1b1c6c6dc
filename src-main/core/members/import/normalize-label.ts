/**
 * Comparable form of a header or a label-like cell: no case, no accents, one kind of apostrophe, single
 * spaces, and no trailing colon (Galette writes "Nom&nbsp;:", sometimes with the entity spelled out).
 */
export function normalizeLabel(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/&nbsp;/gi, ' ')
    .replace(/[\u2019\u02bc\u2018`\u00b4]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ ?:$/, '')
    .toLowerCase();
}
