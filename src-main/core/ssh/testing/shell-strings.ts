// Strings that break naive shell quoting, for the quoting property tests (local and over SSH).
import fc from 'fast-check';

const SPECIALS = ["'", '"', '$', '`', '\\', '\n', '\t', ' ', '*', '?', '[', '~', '=', '!', ';', '|', '&', '<', '>',
  '(', ')', '{', '}', '#', '%', '-', '$(', '${IFS}', "'\\''", 'é', '🦀', '\u00a0', '\u202e'];

/** Any string without NUL (which no argument can carry), biased towards shell metacharacters. */
export const shellString = fc
  .string({ unit: fc.oneof(fc.constantFrom(...SPECIALS), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) })
  .filter((text) => !text.includes('\0'));
