// A secret Pelote made (a restic repository's password, the team key): sealed by the OS keychain where the face can
// (the desktop app: only the sealed blob reaches the database), else written to a 0600 file — the one the user named,
// else one in the data directory's secrets/ folder. Never in the database in clear, never on a command line.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Core } from '../core';
import { secretsDirIn } from '../data-dir';
import { CoreError } from '../errors';
import { writePrivateFile } from '../private-files';

export type SecretSource = { kind: 'stored' } | { kind: 'file'; path: string };

export interface KeptSecret {
  source: SecretSource;
  sealed: Buffer | null;
  /** A file this call wrote, to remove if what follows fails. */
  written: string | null;
}

/** The error codes of one kind of secret, so each says what it is about. */
export interface SecretCodes {
  unwritable: string;
  unavailable: string;
}

export const defaultSecretFile = (core: Core, fileName: string): string => join(secretsDirIn(core.dataDir), fileName);

/** Keeps a new secret: in `file` when given, else sealed when the face can, else in the data directory. */
export function keepSecret(core: Core, secret: string, options: { file: string | null; defaultFileName: string; codes: SecretCodes }): KeptSecret {
  const secrets = core.platform.secrets;
  if (options.file === null && secrets?.available() === true) return { source: { kind: 'stored' }, sealed: secrets.seal(secret), written: null };
  const path = resolve(options.file ?? defaultSecretFile(core, options.defaultFileName));
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    // Never overwrite a file: it may hold another secret.
    writePrivateFile(path, Buffer.from(secret, 'utf8'), { overwrite: false });
  } catch (error) {
    if (error instanceof CoreError) throw error;
    throw new CoreError(options.codes.unwritable, `Cannot write ${path}.`, { path });
  }
  return { source: { kind: 'file', path }, sealed: null, written: path };
}

export function forgetWritten(kept: KeptSecret): void {
  if (kept.written !== null) rmSync(kept.written, { force: true });
}

/** The secret in clear. */
export function readSecret(core: Core, source: SecretSource, sealed: Buffer | null, codes: SecretCodes): string {
  if (source.kind === 'stored') return unsealSecret(core, sealed, codes);
  try {
    return readFileSync(source.path, 'utf8').replace(/\r?\n$/, '');
  } catch {
    throw new CoreError(codes.unavailable, `Cannot read ${source.path}.`, { path: source.path });
  }
}

export function unsealSecret(core: Core, sealed: Buffer | null, codes: SecretCodes): string {
  const secrets = core.platform.secrets;
  if (sealed === null || secrets === undefined || !secrets.available()) {
    throw new CoreError(codes.unavailable, 'This secret is sealed by the desktop app’s keychain, which is not available here.', {});
  }
  return secrets.open(sealed);
}
