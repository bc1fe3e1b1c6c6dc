import { normalizeLabel } from './normalize-label';

const YES = new Set(['oui', 'o', 'yes', 'y', 'true', 'vrai', '1', 'x']);
const NO = new Set(['non', 'n', 'no', 'false', 'faux', '0']);

/** A checkbox as spreadsheets and exports spell it (Paheko writes "Oui"/"Non"); undefined when unreadable. */
export function parseYesNo(raw: string): boolean | undefined {
  const value = normalizeLabel(raw);
  if (YES.has(value)) return true;
  if (NO.has(value)) return false;
  return undefined;
}
