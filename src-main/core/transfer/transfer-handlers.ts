import type { Core } from '../core';
import { CoreError } from '../errors';
import { CategoriesService } from '../dues/categories-service';
import { PaymentsService } from '../dues/payments-service';
import type { HandlersFor } from '../handler-types';
import { MembersService } from '../members/members-service';
import { exportCsv } from './exports';
import { applyImport } from './import-apply';
import type { ImportServices } from './import-plan';
import { planImport } from './import-plan';
import { columnsOf, parseRequest } from './import-request';

const bytesOf = (base64: string): Uint8Array => Buffer.from(base64, 'base64');

export function importServices(core: Core): ImportServices {
  return { members: new MembersService(core), categories: new CategoriesService(core), payments: new PaymentsService(core) };
}

export const transferHandlers = (core: Core): HandlersFor<'imports.columns' | 'imports.preview' | 'imports.commit' | 'exports.csv'> => {
  const services = importServices(core);
  const plan = (args: { fileName: string; base64: string; format: Parameters<typeof parseRequest>[0]['format']; mapping: Record<string, number> | null }) =>
    planImport(core, services, parseRequest({ fileName: args.fileName, bytes: bytesOf(args.base64), format: args.format, mapping: args.mapping }));

  return {
    'imports.columns': ({ fileName, base64 }) => columnsOf(fileName, bytesOf(base64)),
    'imports.preview': (args) => plan(args).preview,
    'imports.commit': (args) => commitImport(core, services, plan(args)),
    'exports.csv': ({ kind }) => exportCsv(core, kind),
  };
};

/** Refuses a file with blocking errors (the preview named them); otherwise writes it and reports what it did. */
export function commitImport(core: Core, services: ImportServices, planned: ReturnType<typeof planImport>) {
  if (planned.preview.counts.error > 0) {
    throw new CoreError('import_has_errors', `${planned.preview.counts.error} rows have errors: fix the file and preview again.`, {
      count: planned.preview.counts.error,
    });
  }
  applyImport(core, services, planned);
  return planned.preview;
}
