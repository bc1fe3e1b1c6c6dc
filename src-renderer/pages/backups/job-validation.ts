import type { z } from 'zod';
import type { BackupJobInput } from '../../../src-main/contract';
import type { FieldMessage } from '../../components/members/validation';

/** Lists typed one item per line are checked item by item; the form shows the message under the whole text area. */
const LIST_FIELDS = new Set(['paths', 'excludes', 'beforeCommands', 'afterCommands', 'afterRestoreCommands']);

/** Where a message is shown: `paths.2` → `paths`, `beforeCommands.0.1` → `beforeCommands`, `dumps.1.name` as is. */
export function fieldOf(path: readonly PropertyKey[]): string {
  const first = String(path[0] ?? '');
  return LIST_FIELDS.has(first) ? first : path.map(String).join('.');
}

/** The item of a list field the issue is about, as typed (after trimming): named in its message. */
function itemOf(path: readonly PropertyKey[], input: BackupJobInput): string | null {
  const [field, index] = path;
  if (typeof index !== 'number') return null;
  if (field === 'paths') return input.paths?.[index] ?? null;
  if (field === 'excludes') return input.excludes?.[index] ?? null;
  return null;
}

const FORMAT_KEYS: Record<string, string> = {
  name: 'backups.validation.dumpName',
  database: 'backups.validation.databaseName',
  user: 'backups.validation.unixUser',
  runAs: 'backups.validation.unixUser',
  path: 'backups.validation.absolutePath',
  at: 'backups.validation.time',
  serverId: 'backups.validation.pickServer',
  repositoryId: 'backups.validation.pickRepository',
};

function issueMessage(issue: z.core.$ZodIssue, input: BackupJobInput): FieldMessage {
  const { path } = issue;
  const first = String(path[0] ?? '');
  const last = String(path.at(-1) ?? '');
  const value = itemOf(path, input);
  const line = typeof path[1] === 'number' ? path[1] + 1 : null;
  if (first.endsWith('Commands')) return line === null ? { key: 'backups.validation.invalid' } : { key: 'backups.validation.command', params: { line } };
  switch (issue.code) {
    case 'custom':
      if (first === 'paths' && path.length === 1) return { key: 'backups.validation.nothingToBackUp' };
      if (issue.params?.rule === 'leadingDash') return first === 'paths' ? { key: 'backups.validation.leadingDashItem', params: { value } } : { key: 'backups.validation.leadingDash' };
      if (first === 'paths') return { key: 'backups.validation.noDotDot', params: { value } };
      if (first === 'dumps' && path.length === 1) return { key: 'backups.validation.dumpNamesDiffer' };
      return { key: 'backups.validation.invalid' };
    case 'too_small':
      if (issue.origin === 'number') return { key: 'backups.validation.min', params: { min: issue.minimum } };
      return { key: 'validation.required' };
    case 'too_big':
      if (issue.origin === 'number') return { key: 'backups.validation.max', params: { max: issue.maximum } };
      if (issue.origin === 'array') return { key: 'backups.validation.tooMany', params: { max: issue.maximum } };
      return { key: 'backups.validation.tooLong', params: { max: issue.maximum } };
    case 'invalid_type':
      return { key: 'backups.validation.wholeNumber' };
    case 'invalid_format':
      if (first === 'paths') return { key: 'backups.validation.absolutePathItem', params: { value } };
      return { key: FORMAT_KEYS[last] ?? 'backups.validation.invalid' };
    default:
      return { key: 'backups.validation.invalid' };
  }
}

/**
 * The first issue of each field from the contract's own schema (one rule for the form and the core), keyed as the
 * form shows them: list fields as a whole, other fields by their dotted path (`dumps.0.name`, `retention.keepLast`).
 */
export function jobFieldMessages(error: z.ZodError | undefined, input: BackupJobInput): Record<string, FieldMessage> {
  const messages: Record<string, FieldMessage> = {};
  for (const issue of error?.issues ?? []) messages[fieldOf(issue.path)] ??= issueMessage(issue, input);
  return messages;
}
