import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const newAccessToken = (): string => randomBytes(24).toString('base64url');

/** Cookies are shared by every port of a host, so the name carries the port: two hosts side by side stay apart. */
export const cookieName = (port: number): string => `pelote_token_${port}`;

const sameToken = (given: string | undefined | null, token: string): boolean => {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
};

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export const tokenFromQuery = (url: URL, token: string): boolean => sameToken(url.searchParams.get('token'), token);

export const tokenFromCookie = (req: IncomingMessage, port: number, token: string): boolean =>
  sameToken(cookieValue(req, cookieName(port)), token);
