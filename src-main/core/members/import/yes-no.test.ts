import { expect, it } from 'vitest';
import { parseYesNo } from './yes-no';

it('reads checkboxes as exports and spreadsheets spell them', () => {
  for (const yes of ['Oui', 'OUI', 'yes', 'true', 'Vrai', '1', 'x']) expect(parseYesNo(yes), yes).toBe(true);
  for (const no of ['Non', 'no', 'FALSE', 'faux', '0']) expect(parseYesNo(no), no).toBe(false);
  expect(parseYesNo('peut-être')).toBeUndefined();
});
