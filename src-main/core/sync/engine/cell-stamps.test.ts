import { afterEach, describe, expect, it } from 'vitest';
import { EMPTY_MEMBER_INPUT } from '../../../contract/members';
import { tempDataDir } from '../../../testing/temp-core';
import { migrate } from '../../db/migrate';
import { migrations } from '../../db/migrations';
import { openDatabase } from '../../db/open';
import { writeTransaction } from '../../db/write-transaction';
import { dbPathIn } from '../../paths';
import { decodeStamps, encodeStamps } from './cell-stamps';
import { joinTeam, laptop, type Laptop } from './sync-test-fixtures';

const NODE = '0123456789abcdef';
const OTHER = 'fedcba9876543210';
const ts = (ms: string, counter: string, node = NODE) => `2026-12-07T14:42:05.${ms}Z-${counter}-${node}`;

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

const stampsOf = (device: Laptop, dataset: string, row: string) => {
  const held = device.db.prepare('select base, cells from sync_cells where dataset = ? and row = ?').get(dataset, row) as { base: string; cells: string };
  return decodeStamps(held.base, held.cells);
};

describe('cell timestamps, one row per synced row', () => {
  it('keeps only the counter of cells stamped with the row’s millisecond and node, and reads every timestamp back exactly', () => {
    const stamps = new Map([
      ['number', ts('123', '0007', OTHER)],
      ['first_name', ts('123', '0000')],
      ['last_name', ts('123', '0001')],
      ['city', ts('124', '0000')],
      ['email', ts('123', '00FF')],
    ]);
    const { base, cells } = encodeStamps(stamps);
    expect(JSON.parse(cells)).toEqual({ number: ts('123', '0007', OTHER), first_name: '0000', last_name: '0001', city: ts('124', '0000'), email: '00FF' });
    expect(decodeStamps(base, cells)).toEqual(stamps);
  });

  it('records what the capture trigger stamps, in the same encoding', async () => {
    const a = laptop('a');
    cleanups.push(() => a.cleanup());
    joinTeam(a);
    const { id } = await a.call('members.create', { member: { ...EMPTY_MEMBER_INPUT, number: '1', lastName: 'Roux' } });
    await new Promise((r) => setTimeout(r, 5));
    writeTransaction(a.db, () => a.db.prepare(`update members set city = 'Brest' where id = ?`).run(id));
    const outbox = a.db.prepare(`select col, max(timestamp) as ts from sync_outbox where dataset = 'members' and row = ? group by col`).all(id) as { col: string; ts: string }[];
    expect(outbox.length).toBeGreaterThan(10);
    const held = stampsOf(a, 'members', id);
    expect(held).toEqual(new Map(outbox.map((o) => [o.col, o.ts])));
    // The city was stamped later: written whole; a cell stamped in the row's millisecond: its counter only.
    const { base, cells } = a.db.prepare('select base, cells from sync_cells where row = ?').get(id) as { base: string; cells: string };
    const stored = JSON.parse(cells) as Record<string, string>;
    expect(stored.city).toBe(held.get('city'));
    for (const [column, t] of held) expect(stored[column]).toBe(t.slice(0, 25) === base.slice(0, 25) ? t.slice(25, 29) : t);
  });

  it('migration 10 turns one row per cell into one row per synced row, every timestamp kept', () => {
    const data = tempDataDir();
    cleanups.push(data.cleanup);
    const path = dbPathIn(data.dir);
    const db = openDatabase(path);
    cleanups.unshift(() => db.close());
    const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
    migrate(db, migrations.filter((m) => m.version < 10), clock, path);
    const old = [
      ['members', 'm1', 'number', ts('123', '0000')],
      ['members', 'm1', 'first_name', ts('123', '0001')],
      ['members', 'm1', 'city', ts('999', '0000', OTHER)],
      ['payments', 'p1', 'amount_cents', ts('500', '000A')],
    ];
    writeTransaction(db, () => {
      const insert = db.prepare('insert into sync_cells (dataset, row, col, timestamp) values (?, ?, ?, ?)');
      for (const cell of old) insert.run(...cell);
    });
    migrate(db, migrations, clock, path);
    const rows = db.prepare('select dataset, row, base, cells from sync_cells order by dataset, row').all() as { dataset: string; row: string; base: string; cells: string }[];
    expect(rows.map((r) => [r.dataset, r.row])).toEqual([['members', 'm1'], ['payments', 'p1']]);
    const back = rows.flatMap((r) => [...decodeStamps(r.base, r.cells)].map(([col, t]) => [r.dataset, r.row, col, t]));
    expect(back.sort()).toEqual([...old].sort());
    expect(JSON.parse(rows[0]!.cells)).toMatchObject({ number: '0000', first_name: '0001' });
  });
});
