// Secrets a volunteer chose to share with the team (a backup repository's password): sealed under a key derived from
// the team key before they reach a table, so the row, the outbox, snapshots and segments only ever hold the sealed
// bytes, and every laptop holding the team key can open them. The additional data binds the table, column and row:
// a sealed value copied into another row or column fails like a damaged one.
//
// Layout: version (1 byte) | team key id (8) | nonce (12) | ciphertext | tag (16).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Core } from '../core';
import { writeTransaction } from '../db/write-transaction';
import { CoreError } from '../errors';
import { readSecret, type SecretCodes, type SecretSource } from '../secrets/kept-secret';
import { teamRow } from './engine/team-clock';
import { keyId, parseTeamKey } from './folder/team-key';

/** Where a sealed secret lives: its table, column and row. */
export interface TeamSecretContext {
  table: string;
  column: string;
  row: string;
}

/** Every column holding team-sealed secrets: rewritten when the team key changes. */
export const TEAM_SEALED_COLUMNS: readonly { table: string; key: string; column: string }[] = [{ table: 'backup_repositories', key: 'id', column: 'shared_password' }];

const VERSION = 1;
const KEY_ID_BYTES = 8;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES;
// The same codes as team-sync.ts uses for the team key: the same key, the same reasons to be unreadable.
const KEY_CODES: SecretCodes = { unwritable: 'sync_key_file_unwritable', unavailable: 'sync_key_unavailable' };

/** Its own HKDF label: never the same bytes as a folder file's subkey. */
const secretKey = (teamKey: Buffer): Buffer => Buffer.from(hkdfSync('sha256', teamKey, 'pelote team secrets', 'pelote team secret key v1', 32));

/** This laptop's team key, or sync_not_in_team. */
export function teamKeyHere(core: Core): Buffer {
  const team = teamRow(core.db);
  if (!team) throw new CoreError('sync_not_in_team', 'This laptop is not in a team yet.');
  return parseTeamKey(readSecret(core, JSON.parse(team.key_source) as SecretSource, team.key_sealed, KEY_CODES));
}

export const sealForTeam = (core: Core, context: TeamSecretContext, secret: string): Buffer => sealWithKey(teamKeyHere(core), context, secret);

export const openFromTeam = (core: Core, context: TeamSecretContext, sealed: Buffer): string => openWithKey(teamKeyHere(core), context, sealed);

export function sealWithKey(teamKey: Buffer, context: TeamSecretContext, secret: string): Buffer {
  const header = Buffer.concat([Buffer.from([VERSION]), Buffer.from(keyId(teamKey), 'hex')]);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', secretKey(teamKey), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(header, context));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([header, nonce, ciphertext, cipher.getAuthTag()]);
}

/** The secret, or sync_team_secret_other_key (sealed under another team key) or sync_team_secret_corrupt. */
export function openWithKey(teamKey: Buffer, context: TeamSecretContext, sealed: Buffer): string {
  if (sealed.length < HEADER_BYTES + NONCE_BYTES + TAG_BYTES || sealed[0] !== VERSION) throw corrupt(context);
  if (!sealedUnder(sealed, teamKey)) {
    throw new CoreError('sync_team_secret_other_key', `A secret shared with the team (${context.table} ${context.row}) was sealed under another team key.`, {
      table: context.table,
      row: context.row,
    });
  }
  const header = sealed.subarray(0, HEADER_BYTES);
  const nonce = sealed.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', secretKey(teamKey), nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(header, context));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES + NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw corrupt(context);
  }
}

const sealedUnder = (sealed: Buffer, teamKey: Buffer): boolean => sealed.subarray(1, HEADER_BYTES).equals(Buffer.from(keyId(teamKey), 'hex'));

/**
 * For a team key change: every team-sealed value under `oldKey` sealed again under `newKey`, in one transaction (a
 * savepoint inside the caller's). Written as ordinary local changes, they reach the team like any edit. Values under
 * neither key are left as they are. Returns how many were rewritten.
 */
export function resealTeamSecrets(core: Core, oldKey: Buffer, newKey: Buffer): number {
  return writeTransaction(core.db, () => {
    let count = 0;
    for (const { table, key, column } of TEAM_SEALED_COLUMNS) {
      const rows = core.db.prepare(`select ${key} as row, ${column} as sealed from ${table} where ${column} is not null`).all() as { row: string; sealed: Buffer }[];
      const update = core.db.prepare(`update ${table} set ${column} = ? where ${key} = ?`);
      for (const { row, sealed } of rows) {
        if (!sealedUnder(sealed, oldKey)) continue;
        const context = { table, column, row };
        update.run(sealWithKey(newKey, context, openWithKey(oldKey, context, sealed)), row);
        count++;
      }
    }
    return count;
  });
}

/** The header, then each field with its length, so that no two contexts encode to the same bytes. */
function additionalData(header: Buffer, context: TeamSecretContext): Buffer {
  const field = (text: string): Buffer => {
    const bytes = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  return Buffer.concat([header, field(context.table), field(context.column), field(context.row)]);
}

function corrupt(context: TeamSecretContext): CoreError {
  return new CoreError('sync_team_secret_corrupt', `A secret shared with the team (${context.table} ${context.row}) is damaged.`, { table: context.table, row: context.row });
}
