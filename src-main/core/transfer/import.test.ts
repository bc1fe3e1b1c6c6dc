import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportPreview } from '../../contract/transfer';
import { fixedClock, tempCore } from '../../testing/temp-core';
import { dispatch } from '../dispatch';
import { createHandlers } from '../handlers';
import { parseImportFile } from '../members/import';
import { largeHelloAssoExport } from '../members/import/fixtures/large-helloasso';

const FIXTURES = join(__dirname, '../members/import/fixtures');
const variant = (name: string) => readFileSync(join(FIXTURES, 'variants', name));
const failure = (name: string) => readFileSync(join(FIXTURES, 'failures', name));

let core: ReturnType<typeof tempCore>;
afterEach(() => core.cleanup());

const count = (table: string) => core.db.prepare(`select count(*) from ${table}`).pluck().get() as number;
const counts = () => ({ members: count('members'), payments: count('payments'), categories: count('categories') });

async function call<T>(method: string, args: unknown): Promise<T> {
  const result = await dispatch(createHandlers(core), method, args);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function refusal(method: string, args: unknown): Promise<{ code: string; details?: Record<string, unknown> }> {
  const result = await dispatch(createHandlers(core), method, args);
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

const request = (fileName: string, bytes: Buffer, extra: object = {}) => ({ fileName, base64: bytes.toString('base64'), ...extra });

describe('member import', () => {
  // One variant per format and encoding; the parser's own tests cover every separator.
  const files = readdirSync(join(FIXTURES, 'variants')).filter((f) => !f.startsWith('csv.') && (f.includes('semicolon') || f.includes('windows-1252.tab')));

  it.each(files)('%s: preview, commit, and a second import changes nothing', async (file) => {
    core = tempCore({ clock: fixedClock('2026-01-15T09:00:00Z') });
    const bytes = variant(file);
    const parsed = parseImportFile(bytes);
    const preview = await call<ImportPreview>('imports.preview', request(file, bytes));
    expect(counts()).toEqual({ members: 0, payments: 0, categories: 0 });
    expect(preview.counts.error).toBe(0);
    expect(preview.counts.create).toBeGreaterThan(0);
    expect(preview.counts.create + preview.counts.update + preview.counts.unchanged).toBe(parsed.rows.length);

    const committed = await call<ImportPreview>('imports.commit', request(file, bytes));
    expect(committed.counts).toEqual(preview.counts);
    const after = counts();
    expect(after.members).toBe(preview.counts.create);
    expect(after.payments).toBe(preview.counts.payments);

    const again = await call<ImportPreview>('imports.preview', request(file, bytes));
    expect(again.counts).toMatchObject({ create: 0, update: 0, payments: 0, error: 0 });
    await call('imports.commit', request(file, bytes));
    expect(counts()).toEqual(after);
  });

  it('keeps every accent and every cent from a Windows-1252 HelloAsso payments export', async () => {
    core = tempCore({ clock: fixedClock('2026-01-15T09:00:00Z') });
    await call('imports.commit', request('paiements.csv', variant('helloasso-payments.windows-1252.semicolon.csv')));
    const members = core.db.prepare('select first_name, last_name, email from members order by last_name').all();
    expect(members).toContainEqual({ first_name: 'Françoise', last_name: 'D’Arcy', email: 'francoise.darcy@example.org' });
    expect(members).toContainEqual({ first_name: 'Zoë', last_name: "O'Brien", email: 'zoe@example.net' });
    const amounts = core.db.prepare('select amount_cents, method, reference from payments order by amount_cents').all();
    expect(amounts).toContainEqual({ amount_cents: 123400, method: 'cheque', reference: expect.any(String) as unknown });
    expect(amounts).toContainEqual({ amount_cents: 1250, method: 'helloasso', reference: expect.any(String) as unknown });
    // The ticketing row and the refunded payment are not memberships: reported, not imported.
    expect(core.db.prepare("select count(*) from members where email in ('agnes@example.org', 'noe@example.org')").pluck().get()).toBe(0);
  });

  it("HelloAsso's membership export then its payments export of the same orders counts each payment once", async () => {
    core = tempCore({ clock: fixedClock('2026-01-15T09:00:00Z') });
    await call('imports.commit', request('adhesions.csv', variant('helloasso-members.utf-8.semicolon.csv')));
    const before = counts();
    const preview = await call<ImportPreview>('imports.preview', request('paiements.csv', variant('helloasso-payments.windows-1252.semicolon.csv')));
    // Hélène and Françoise paid in orders already imported; only the payer of another member's order is new.
    const helene = preview.rows.find((r) => r.displayName === 'Hélène Dupré-Lefèvre');
    expect(helene).toMatchObject({ action: 'unchanged', newPayments: 0 });
    await call('imports.commit', request('paiements.csv', variant('helloasso-payments.windows-1252.semicolon.csv')));
    const heleneId = core.db.prepare("select id from members where email = 'helene.dupre@example.org'").pluck().get();
    expect(core.db.prepare('select count(*) from payments where member_id = ?').pluck().get(heleneId)).toBe(1);
    expect(counts().payments - before.payments).toBe(preview.counts.payments);
  });

  it('records what HelloAsso actually took, even when it differs from the category fee (a donation on top)', async () => {
    core = tempCore({ clock: fixedClock('2026-01-15T09:00:00Z') });
    await call('categories.create', { category: { name: 'Adhésion', fee: { kind: 'fixed', amountCents: 2000 }, period: null, graceDays: null } });
    const file = Buffer.from(largeHelloAssoExport(3, 'Adhésion'));
    const preview = await call<ImportPreview>('imports.preview', request('adhesions.csv', file));
    expect(preview.counts).toMatchObject({ create: 3, payments: 3, error: 0 });
    await call('imports.commit', request('adhesions.csv', file));
    expect(core.db.prepare('select amount_cents from payments order by amount_cents').pluck().all()).toEqual([150, 250, 350]);
  });

  it('a free HelloAsso membership ("Gratuit") makes an exempt category, not a payment', async () => {
    core = tempCore({ clock: fixedClock('2026-01-15T09:00:00Z') });
    await call('imports.commit', request('adhesions.csv', variant('helloasso-members.utf-8.semicolon.csv')));
    const zoe = core.db.prepare("select id from members where email = 'zoe@example.net'").pluck().get() as string;
    const detail = await call<{ status: string; payments: unknown[] }>('members.get', { id: zoe });
    expect(detail.payments).toEqual([]);
    expect(detail.status).toBe('exempt');
  });

  it.each([
    ['empty.csv', 'import_empty'],
    ['binary.png', 'import_binary'],
    ['unknown-format.csv', 'import_unknown_format'],
    ['wrong-columns.csv', 'import_missing_columns'],
    ['truncated-quote.csv', 'import_truncated'],
  ])('refuses %s with %s and writes nothing', async (file, code) => {
    core = tempCore();
    const error = await refusal('imports.commit', request(file, failure(file)));
    expect(error.code).toBe(code);
    expect(error.details?.fileName).toBe(file);
    expect(counts()).toEqual({ members: 0, payments: 0, categories: 0 });
  });

  it('refuses to commit a file whose preview has errors, and writes nothing', async () => {
    core = tempCore();
    const bad = Buffer.from('Numéro de membre;Nom & prénom;Adresse E-Mail;Date d\'inscription\n1;Hélène Dupré;helene@example.org;01/09/2025\n2;Marc Cœur;pas-un-email;31/02/2025\n', 'utf8');
    const preview = await call<ImportPreview>('imports.preview', request('paheko.csv', bad));
    expect(preview.counts).toMatchObject({ create: 1, error: 1 });
    expect(preview.issues.map((i) => [i.line, i.code])).toEqual(expect.arrayContaining([[3, 'invalid_email']]));
    const error = await refusal('imports.commit', request('paheko.csv', bad));
    expect(error).toMatchObject({ code: 'import_has_errors', details: { count: 1 } });
    expect(counts().members).toBe(0);
  });

  it('writes in one transaction: a failure half-way leaves nothing behind', async () => {
    core = tempCore({ clock: fixedClock('2026-01-15T09:00:00Z') });
    core.db.exec("CREATE TRIGGER fail_third BEFORE INSERT ON payments WHEN (select count(*) from payments) >= 1 BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    const result = await dispatch(createHandlers(core), 'imports.commit', request('p.csv', variant('helloasso-payments.utf-8.semicolon.csv')));
    expect(result.ok).toBe(false);
    expect(counts()).toEqual({ members: 0, payments: 0, categories: 0 });
  });

  it('updates a member matched by number with the new values only', async () => {
    core = tempCore({ clock: fixedClock('2026-01-15T09:00:00Z') });
    const first = Buffer.from('Numéro de membre;Nom & prénom;Adresse E-Mail;Ville\n7;Hélène Dupré;helene@example.org;Rennes\n', 'utf8');
    await call('imports.commit', request('a.csv', first));
    const moved = Buffer.from('Numéro de membre;Nom & prénom;Adresse E-Mail;Ville\n7;Hélène Dupré;helene@example.org;Brest\n', 'utf8');
    const preview = await call<ImportPreview>('imports.preview', request('b.csv', moved));
    expect(preview.rows).toEqual([expect.objectContaining({ line: 2, action: 'update', changes: ['city'] })]);
    await call('imports.commit', request('b.csv', moved));
    expect(core.db.prepare("select city from members where number = '7'").pluck().get()).toBe('Brest');
  });

  it('maps a generic CSV through the column-mapping step', async () => {
    core = tempCore({ clock: fixedClock('2026-01-15T09:00:00Z') });
    const csv = Buffer.from('Nom;Prénom;Mail\nDupré;Hélène;helene@example.org\n', 'utf8');
    const columns = await call<{ header: string[]; detectedFormat: string | null }>('imports.columns', request('x.csv', csv));
    expect(columns.header).toEqual(['Nom', 'Prénom', 'Mail']);
    const preview = await call<ImportPreview>('imports.preview', request('x.csv', csv, { format: 'csv', mapping: { lastName: 0, firstName: 1, email: 2 } }));
    expect(preview.counts.create).toBe(1);
  });
});
