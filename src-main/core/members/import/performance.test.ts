import { expect, it } from 'vitest';
import { largeHelloAssoExport } from './fixtures/large-helloasso';
import { parseImportFile } from './parse-import-file';

const ROWS = 10_000;

it(`parses a ${ROWS}-row HelloAsso export`, () => {
  const bytes = largeHelloAssoExport(ROWS);
  const started = performance.now();
  const result = parseImportFile(bytes);
  console.log(`${ROWS} HelloAsso rows (${(bytes.length / 1e6).toFixed(1)} MB) parsed in ${(performance.now() - started).toFixed(0)} ms`);
  expect(result).toMatchObject({ format: 'helloasso-members', encoding: 'windows-1252', separator: ';', errors: [] });
  expect(result.rows).toHaveLength(ROWS);
  expect(result.rows[ROWS - 1]).toMatchObject({
    line: ROWS + 1,
    member: { lastName: `Lefèvre-${ROWS - 1}`, email: `membre${ROWS - 1}@example.org` },
    payment: { amountCents: 5050, payerName: 'François Lefèvre-9999' },
  });
});
