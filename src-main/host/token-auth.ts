import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A new key at each start of `pelote serve`: a printed URL stops working when the host it came from stops. */
export const newAccessToken = (): string => randomBytes(24).toString('base64url');

export function isAccessToken(given: unknown, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
