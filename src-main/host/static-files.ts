import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * A request target's path, percent-decoded, without its query; null for anything else than a path (absolute or `*`
 * forms) or for a malformed percent-encoding. Parsed by hand: `new URL` would read `//evil.example/` as a host.
 */
export function requestPath(target: string | undefined): string | null {
  const path = (target ?? '').split(/[?#]/, 1)[0] ?? '';
  if (!path.startsWith('/')) return null;
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

/** Reads a file of the built renderer; `null` for anything missing or outside its root (no `..` escapes). */
export async function readStatic(root: string, path: string): Promise<{ body: Buffer; type: string } | null> {
  const relative = normalize(path === '/' ? '/index.html' : path).replace(/^([/\\])+/, '');
  const file = join(root, relative);
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  try {
    return { body: await readFile(file), type: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
