import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { ImportFormat, ImportPreview } from '../../contract/transfer';
import { IMPORT_FORMATS } from '../../contract/transfer';
import { CoreError } from '../../core/errors';
import { writePrivateFile } from '../../core/private-files';
import { exportCsv, type ExportKind } from '../../core/transfer/exports';
import { planImport } from '../../core/transfer/import-plan';
import { parseRequest } from '../../core/transfer/import-request';
import { commitImport, importServices } from '../../core/transfer/transfer-handlers';
import { openCliCore } from '../open-cli-core';
import type { CliContext } from '../io';
import { output, UsageError } from '../io';

export interface MembersFlags {
  format?: string;
  dryRun: boolean;
  kind?: string;
  output?: string;
  force: boolean;
}

function describe(preview: ImportPreview, dryRun: boolean): string {
  const { counts } = preview;
  const lines = [
    `Format: ${preview.format} (${preview.encoding}, separator ${preview.separator === '\t' ? 'tab' : preview.separator})`,
    `${dryRun ? 'Would create' : 'Created'} ${counts.create}, ${dryRun ? 'update' : 'updated'} ${counts.update}, unchanged ${counts.unchanged}, payments ${counts.payments}, errors ${counts.error}.`,
    ...preview.issues.map((i) => `  line ${i.line}: ${i.code} ${JSON.stringify(i.params)}`),
  ];
  return lines.join('\n');
}

/** `members import FILE`: the same plan as the UI wizard; --dry-run stops at the preview. Exit 1 when rows have errors. */
function importFile(ctx: CliContext, file: string | undefined, flags: MembersFlags): void {
  if (!file) throw new UsageError('members import needs a FILE');
  const format = (flags.format ?? 'auto') as ImportFormat;
  if (!IMPORT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join(', ')}`);
  const path = resolve(file);
  if (!existsSync(path)) throw new CoreError('file_not_found', `No such file: ${path}`, { path });

  const core = openCliCore(ctx, 'cli');
  try {
    const services = importServices(core);
    const plan = planImport(core, services, parseRequest({ fileName: basename(path), bytes: readFileSync(path), format, mapping: null }));
    if (!flags.dryRun) commitImport(core, services, plan);
    output(ctx, { dryRun: flags.dryRun, ...plan.preview }, () => describe(plan.preview, flags.dryRun));
  } finally {
    core.close();
  }
}

/** `members export [--kind members|payments|paheko] [--output FILE [--force]]`: to a 0600 file, or to stdout. */
function exportFile(ctx: CliContext, flags: MembersFlags): void {
  const kind = (flags.kind ?? 'members') as ExportKind;
  if (!['members', 'payments', 'paheko'].includes(kind)) throw new UsageError('--kind must be members, payments or paheko');
  const core = openCliCore(ctx, 'cli');
  try {
    const file = exportCsv(core, kind);
    const bytes = Buffer.from(file.base64, 'base64');
    if (!flags.output) {
      ctx.io.stdout(bytes.toString('utf8'));
      return;
    }
    const path = resolve(flags.output);
    writePrivateFile(path, bytes, { overwrite: flags.force });
    output(ctx, { path, bytes: bytes.length }, () => `Wrote ${path}.`);
  } finally {
    core.close();
  }
}

export function membersCommand(ctx: CliContext, args: string[], flags: MembersFlags): void {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'import':
      return importFile(ctx, rest[0], flags);
    case 'export':
      return exportFile(ctx, flags);
    default:
      throw new UsageError(sub ? `unknown members command: ${sub}` : 'members needs a command: import or export');
  }
}
