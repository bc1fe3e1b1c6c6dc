// A GDPR erasure must win over every laptop's older or concurrent edits: once a member's erased_at has arrived, what
// erasure blanks stays blank, whatever another laptop wrote before it heard of it. Applied to every row written by a
// batch, the same way on every laptop, so they still converge; nothing here is captured or sent back.
import type { Db } from '../../db/open';
import { redactAudit } from '../../audit/audit-log';
import { ERASED, inputOf, memberParams, toMember, type MemberDbRow } from '../../members/member-record';

export function enforceErasures(db: Db, written: ReadonlyMap<string, ReadonlySet<string>>): void {
  const erased = new Set<string>();
  const isErased = db.prepare('select 1 from members where id = ? and erased_at is not null').pluck();
  for (const id of written.get('members') ?? []) if (isErased.get(id)) erased.add(id);
  for (const id of written.get('payments') ?? []) {
    const memberId = db.prepare('select member_id from payments where id = ?').pluck().get(id) as string | undefined;
    if (memberId && isErased.get(memberId)) erased.add(memberId);
  }
  for (const id of written.get('audit_log') ?? []) {
    const entry = db.prepare(`select entity_id from audit_log where id = ? and entity = 'member'`).pluck().get(id) as string | undefined;
    if (entry && isErased.get(entry)) erased.add(entry);
  }
  for (const id of erased) blank(db, id);
}

// Kept by an erasure for the books.
const KEPT = new Set(['number', 'category_id', 'joined_on', 'left_on']);

function blank(db: Db, id: string): void {
  const row = db.prepare('select * from members where id = ?').get(id) as MemberDbRow;
  const params = Object.entries(memberParams({ ...inputOf(toMember(row)), ...ERASED })).filter(([column]) => !KEPT.has(column));
  db.prepare(`update members set ${params.map(([c]) => `${c} = @${c}`).join(', ')} where id = @id`).run({ id, ...Object.fromEntries(params) });
  db.prepare(`update payments set payer_name = '', notes = '' where member_id = ? and (payer_name <> '' or notes <> '')`).run(id);
  redactAudit(db, { entity: 'member', entityId: id });
}
