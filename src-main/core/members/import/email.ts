import { memberInputSchema } from '../../../contract/members';

// The member form's own rule, so that an address accepted here is accepted when the member is saved.
const email = memberInputSchema.shape.email;

/** Trimmed and lowercased, or null when it cannot be an address. */
export function parseEmail(raw: string): string | null {
  const address = raw.trim().toLowerCase();
  return address !== '' && email.safeParse(address).success ? address : null;
}
