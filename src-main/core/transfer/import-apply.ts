import type { Core } from '../core';
import type { ImportPlan, ImportServices } from './import-plan';
import { writeTransaction } from '../db/write-transaction';

/**
 * Writes a plan in ONE transaction: categories first, then members, then their payments. Any failure rolls the
 * whole import back, so a file is either imported or not at all.
 */
export function applyImport(core: Core, services: ImportServices, plan: ImportPlan): void {
  writeTransaction(core.db, () => {
    const categoryIds = new Map<string, string>();
    for (const name of plan.newCategories) {
      // A tariff whose every row is free (HelloAsso "Gratuit") is an exempt category; others accept any amount.
      const free = plan.rows.every((r) => r.categoryName !== name || (r.payment?.amountCents ?? 0) === 0);
      const category = services.categories.create({
        name,
        fee: free ? { kind: 'exempt' } : { kind: 'pay_what_you_want', minimumCents: 0 },
        period: null,
        graceDays: null,
      });
      categoryIds.set(name, category.id);
    }

    const createdIds = new Map<string, string>();
    for (const row of plan.rows) {
      const member = row.categoryName ? { ...row.member, categoryId: categoryIds.get(row.categoryName) ?? null } : row.member;
      let memberId: string;
      if (row.target.kind === 'existing') {
        memberId = row.target.id;
        if (row.changed) services.members.update(memberId, member, { allowDuplicate: true });
      } else {
        const known = createdIds.get(row.target.key);
        if (known) {
          memberId = known;
          if (row.changed) services.members.update(memberId, member, { allowDuplicate: true });
        } else {
          memberId = services.members.create(member, { allowDuplicate: true }).id;
          createdIds.set(row.target.key, memberId);
        }
      }
      // A free membership (0 €) is not a payment: its exempt category carries the status.
      if (row.payment && row.payment.amountCents > 0) {
        services.payments.record({
          memberId,
          amountCents: row.payment.amountCents,
          paidOn: row.payment.date,
          method: row.payment.method,
          reference: row.payment.reference ?? '',
          periodStart: null,
          periodEnd: null,
          notes: '',
          payerName: row.payment.payerName ?? '',
          importRef: row.payment.importRef,
        });
      }
    }
  });
}
