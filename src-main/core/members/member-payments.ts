import type { PaymentView } from '../../contract';
import type { Core } from '../core';
import { PaymentsService } from '../dues/payments-service';

/** A member's ledger in the order it happened: by payment date, then by when it was recorded. */
export const memberPayments = (core: Core, memberId: string): PaymentView[] =>
  new PaymentsService(core).listForMember(memberId).reverse();
