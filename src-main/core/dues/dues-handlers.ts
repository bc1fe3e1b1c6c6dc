import type { Core } from '../core';
import type { HandlersFor } from '../handler-types';
import { CategoriesService } from './categories-service';
import { duesDashboard } from './dashboard';
import { isoToday } from '../clock';
import { PaymentsService } from './payments-service';
import { ReceiptsService } from './receipts-service';

export const duesHandlers = (
  core: Core,
): HandlersFor<
  | 'categories.list'
  | 'categories.create'
  | 'categories.update'
  | 'categories.delete'
  | 'payments.defaultPeriod'
  | 'payments.record'
  | 'payments.recordBulk'
  | 'payments.reverse'
  | 'receipts.render'
  | 'dues.dashboard'
> => {
  const categories = new CategoriesService(core);
  const payments = new PaymentsService(core);
  const receipts = new ReceiptsService(core);
  return {
    'categories.list': (args) => categories.list(args),
    'categories.create': ({ category }) => categories.create(category),
    'categories.update': ({ id, category }) => categories.update(id, category),
    'categories.delete': ({ id }) => categories.delete(id),
    'payments.defaultPeriod': ({ memberId, paidOn }) => payments.defaultPeriod(memberId, paidOn),
    'payments.record': (input) => payments.record(input),
    'payments.recordBulk': (input) => payments.recordBulk(input),
    'payments.reverse': ({ paymentId, reason }) => payments.reverse(paymentId, reason),
    'receipts.render': ({ paymentId, labels }) => receipts.render(paymentId, labels),
    'dues.dashboard': ({ year }) => duesDashboard(core, year, isoToday(core.clock)),
  };
};
