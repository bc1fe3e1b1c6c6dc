import type { z } from 'zod';

/** A translation key and its parameters: what a form shows under a field. */
export interface FieldMessage {
  key: string;
  params?: Record<string, unknown>;
}

const DATE_FIELDS = /On$|^period(Start|End)$/;

/** The message for one zod issue from the contract's schemas; `custom` names the key of each field's refine rule. */
function issueMessage(issue: z.core.$ZodIssue, custom: Record<string, string>): FieldMessage {
  const field = String(issue.path[0] ?? '');
  switch (issue.code) {
    case 'custom':
      return { key: custom[field] ?? 'members.validation.invalid' };
    case 'too_small':
      return { key: 'validation.required' };
    case 'too_big':
      return { key: 'members.validation.tooLong', params: { max: issue.maximum } };
    case 'invalid_union':
    case 'invalid_format':
      if (field === 'email') return { key: 'members.validation.email' };
      if (DATE_FIELDS.test(field)) return { key: 'members.validation.date' };
      return { key: 'members.validation.invalid' };
    default:
      return { key: 'members.validation.invalid' };
  }
}

/** The first issue of each field, by field name. */
export function fieldMessages(error: z.ZodError | undefined, custom: Record<string, string> = {}): Record<string, FieldMessage> {
  const messages: Record<string, FieldMessage> = {};
  for (const issue of error?.issues ?? []) {
    const field = String(issue.path[0] ?? '');
    messages[field] ??= issueMessage(issue, custom);
  }
  return messages;
}
