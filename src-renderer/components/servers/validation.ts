import type { z } from 'zod';
import type { FieldMessage } from '../members/validation';

/** Fields whose format has its own explanation (what a host name or a unit looks like). */
const FORMAT_HINTS = new Set(['host', 'username', 'name', 'url', 'unit', 'process', 'keyPath']);

function issueMessage(issue: z.core.$ZodIssue): FieldMessage {
  const field = issue.path.filter((part): part is string => typeof part === 'string').at(-1) ?? '';
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'number' ? { key: 'servers.validation.min', params: { min: issue.minimum } } : { key: 'validation.required' };
    case 'too_big':
      return issue.origin === 'number'
        ? { key: 'servers.validation.max', params: { max: issue.maximum } }
        : { key: 'servers.validation.tooLong', params: { max: issue.maximum } };
    case 'invalid_type':
      return { key: 'servers.validation.number' };
    default:
      return { key: FORMAT_HINTS.has(field) ? `servers.validation.format.${field}` : 'servers.validation.invalid' };
  }
}

/**
 * The first issue of each field, by its dotted path ("host", "services.0.url", "auth.passphrase.name"), from the
 * contract's own schema: one rule for the form and the core.
 */
export function fieldMessagesByPath(error: z.ZodError | undefined): Record<string, FieldMessage> {
  const messages: Record<string, FieldMessage> = {};
  for (const issue of error?.issues ?? []) messages[issue.path.join('.')] ??= issueMessage(issue);
  return messages;
}
