// Every file in the team folder but team.json's clear fields is sealed: deflated, then AES-256-GCM under the subkey
// for its kind. The additional data binds the team, the kind and the file's path, so a file copied to another
// device's name, another sequence number, another kind or another team fails authentication like a damaged one.
//
// Layout: 'PLT1' | version (1 byte) | kind (1 byte) | nonce (12) | ciphertext | tag (16).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { deflate, deflateSync, inflate, inflateSync } from 'node:zlib';
import { CoreError } from '../../errors';
import { subkey, type KeyPurpose } from './team-key';

export type SealedKind = KeyPurpose;

export interface SealContext {
  teamId: string;
  kind: SealedKind;
  /** The file's path relative to the folder's root. */
  path: string;
}

export const SEALED_FORMAT_VERSION = 1;
const MAGIC = Buffer.from('PLT1', 'latin1');
const HEADER_BYTES = MAGIC.length + 2;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Shorter than this, a file cannot even hold an empty payload. */
export const SEALED_MIN_BYTES = HEADER_BYTES + NONCE_BYTES + TAG_BYTES;
const KIND_BYTE: Record<SealedKind, number> = { check: 1, segment: 2, head: 3, snapshot: 4, lease: 5 };

const deflateAsync = promisify(deflate);
const inflateAsync = promisify(inflate);

export function seal(key: Buffer, context: SealContext, plaintext: Buffer | string): Buffer {
  return encrypt(key, context, deflateSync(plaintext));
}

/** The plaintext, or 'sync_file_truncated', 'sync_file_corrupt' or 'sync_file_newer_format'. */
export function open(key: Buffer, context: SealContext, file: Buffer): Buffer {
  const compressed = decrypt(key, context, file);
  try {
    return inflateSync(compressed);
  } catch {
    throw corrupt(context); // authentic but not deflate: written by something that is not Pelote
  }
}

/** As seal(), compressing off the main thread: snapshots run to hundreds of megabytes. */
export async function sealAsync(key: Buffer, context: SealContext, plaintext: Buffer | string): Promise<Buffer> {
  return encrypt(key, context, await deflateAsync(plaintext));
}

export async function openAsync(key: Buffer, context: SealContext, file: Buffer): Promise<Buffer> {
  const compressed = decrypt(key, context, file);
  try {
    return await inflateAsync(compressed);
  } catch {
    throw corrupt(context);
  }
}

function encrypt(key: Buffer, context: SealContext, payload: Buffer): Buffer {
  const header = Buffer.concat([MAGIC, Buffer.from([SEALED_FORMAT_VERSION, KIND_BYTE[context.kind]])]);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', subkey(key, context.kind), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(header, context));
  const ciphertext = Buffer.concat([cipher.update(payload), cipher.final()]);
  return Buffer.concat([header, nonce, ciphertext, cipher.getAuthTag()]);
}

function decrypt(key: Buffer, context: SealContext, file: Buffer): Buffer {
  if (file.length < HEADER_BYTES) throw truncated(context);
  if (!file.subarray(0, MAGIC.length).equals(MAGIC)) throw corrupt(context);
  const version = file[MAGIC.length] ?? 0;
  // A newer layout may differ past the version byte: nothing more can be checked, and the file is left for later.
  if (version > SEALED_FORMAT_VERSION) {
    throw new CoreError('sync_file_newer_format', `${context.path} was written by a newer Pelote.`, { path: context.path, version });
  }
  if (version < 1 || file[MAGIC.length + 1] !== KIND_BYTE[context.kind]) throw corrupt(context);
  if (file.length < SEALED_MIN_BYTES) throw truncated(context);
  const header = file.subarray(0, HEADER_BYTES);
  const nonce = file.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
  const tag = file.subarray(file.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', subkey(key, context.kind), nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(header, context));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(file.subarray(HEADER_BYTES + NONCE_BYTES, file.length - TAG_BYTES)), decipher.final()]);
  } catch {
    // A partly copied file, a damaged one, one moved from another name, or another team's key: all look alike here.
    throw corrupt(context);
  }
}

/** The header, then each field with its length, so that no two contexts encode to the same bytes. */
function additionalData(header: Buffer, context: SealContext): Buffer {
  const field = (text: string): Buffer => {
    const bytes = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  return Buffer.concat([header, field(context.teamId), field(context.kind), field(context.path)]);
}

function truncated(context: SealContext): CoreError {
  return new CoreError('sync_file_truncated', `${context.path} in the team folder is incomplete.`, { path: context.path });
}

function corrupt(context: SealContext): CoreError {
  return new CoreError('sync_file_corrupt', `${context.path} in the team folder is incomplete, damaged or sealed with another key.`, {
    path: context.path,
  });
}
