import { z } from 'zod';
import { event, method } from './define';
import { id, text } from './fields';
import { HOST_KEY_FINGERPRINT, passphraseSourceSchema } from './servers';

/** A local path (a USB stick, a folder the Nextcloud client keeps in step, a share) or ssh://user@host[:port]/path. */
export const teamFolderSchema = z
  .string()
  .trim()
  .min(1)
  .max(4096)
  .refine((f) => f.startsWith('/') || f.startsWith('ssh://'), { message: 'an absolute path or an ssh:// address' });

/** Where to keep the team key when the OS keychain cannot: a file path, written 0600 (null: in the data directory). */
const keyFileSchema = z.string().trim().min(1).max(4096).refine((p) => p.startsWith('/'), { message: 'an absolute path' }).nullable().default(null);

/**
 * Joining through ssh://user@host[:port]/path on a server this laptop does not know yet: this laptop's private key,
 * and the server's host key fingerprint as the team gave it (`ssh-keygen -lf`), pinned from the first connection —
 * never trusted on first use. Where the key's passphrase is read from, when it has one (the keychain can be chosen on
 * the server's page afterwards).
 */
export const joinArgsSchema = z
  .object({
    folder: teamFolderSchema,
    key: z.string().trim().min(1).max(200),
    keyFile: keyFileSchema,
    identity: text(4096).min(1).refine((p) => p.startsWith('/'), { message: 'an absolute path' }).nullable().default(null),
    fingerprint: z.string().trim().regex(HOST_KEY_FINGERPRINT, 'SHA256: then 43 letters, digits, + or /, as ssh-keygen -lf prints it').nullable().default(null),
    passphrase: passphraseSourceSchema
      .refine((p) => p.kind !== 'stored', { message: 'an environment variable or a file: the keychain is set on the server’s page' })
      .default({ kind: 'none' }),
  })
  .strict()
  .refine((j) => (j.identity === null) === (j.fingerprint === null), { message: 'give both the key file and the host key fingerprint, or neither', path: ['fingerprint'] })
  .refine((j) => j.identity === null || j.folder.startsWith('ssh://'), { message: 'a key file and fingerprint only go with an ssh:// folder', path: ['identity'] })
  .refine((j) => j.identity !== null || j.passphrase.kind === 'none', { message: 'a passphrase only goes with a key file', path: ['passphrase'] });

/** The team key sheet: printed once, kept with the association's papers. Without it a lost laptop cannot rejoin. */
export interface TeamKeySheet {
  teamId: string;
  folder: string;
  /** The key in groups of four letters and digits that cannot be misread. */
  key: string;
  createdAt: string;
}

export interface SyncDevice {
  node: string;
  volunteerName: string;
  appVersion: string;
  lastSeenAt: string | null;
  /** Segments of that laptop read so far. */
  lastSeq: number;
  /** Why its changes are not arriving (a damaged or incomplete file, its clock ahead, a newer Pelote). */
  problem: { code: string; details: Record<string, unknown> } | null;
}

/** Which computer numbers new receipts, in a team (see core/sync/receipt-book.ts). */
export interface ReceiptBook {
  /** Its node; null until a computer takes the book. */
  holder: string | null;
  here: boolean;
  /** The holder's volunteer name, when it is another computer and has said it. */
  holderName: string | null;
}

export interface SyncStatus {
  inTeam: boolean;
  teamId: string | null;
  folder: string | null;
  /** This laptop's node in the team. */
  node: string | null;
  joinedAt: string | null;
  sheetConfirmed: boolean;
  lastSyncAt: string | null;
  lastError: { code: string; message: string; details: Record<string, unknown> } | null;
  /** Records (a member, a payment, an audit entry…) changed here and not yet in the folder. */
  waiting: number;
  /** Rows from the team that cannot land yet (a newer Pelote wrote them, or their parent has not arrived). */
  held: number;
  /** Of those, rows a newer Pelote wrote (a table or column this version does not know): update to apply them. */
  heldForNewerPelote: number;
  /** The team folder's size in bytes at the last full sync (every laptop's files); null before the first. */
  folderBytes: number | null;
  devices: SyncDevice[];
  /** Null outside a team. */
  receiptBook: ReceiptBook | null;
}

/** Rows the team must look at: business keys two laptops gave out twice while offline. */
export interface SyncConflict {
  kind:
    | 'member_number'
    | 'category_name'
    | 'payment_reversed_twice'
    | 'payment_imported_twice'
    | 'receipt_number'
    | 'server_name'
    | 'repository_name'
    | 'repository_added_twice'
    | 'job_name'
    | 'member_likely_duplicate';
  /** The shared value (the number, the name, the payment reversed…; for likely duplicates the e-mail or the name). */
  key: string;
  ids: string[];
  /** member_likely_duplicate: the same e-mail, or the same name with nothing telling them apart. */
  reason?: 'email' | 'name';
}

/** One click that resolves a conflict: an ordinary change, synced, with its audit entry. */
export const conflictResolutionSchema = z.discriminatedUnion('action', [
  /** A member sharing its number takes `number`, the next free one the button showed. */
  z.object({ action: z.literal('renumber'), memberId: id, number: text(40).min(1) }).strict(),
  /** Likely duplicate members who are two people: the pair is no longer listed, on any computer. */
  z.object({ action: z.literal('dismiss'), ids: z.tuple([id, id]) }).strict(),
  /** Of likely duplicate members, `memberId` is a copy of `otherId`: deleted (restorable); refused if it has payments. */
  z.object({ action: z.literal('remove_copy'), memberId: id, otherId: id }).strict(),
]);
export type ConflictResolution = z.infer<typeof conflictResolutionSchema>;

export const syncMethods = {
  'sync.status': method<SyncStatus>()(z.object({}).strict()),
  /** Makes `folder` a new team folder with a new key, this laptop its first member. */
  'sync.create': method<TeamKeySheet>()(z.object({ folder: teamFolderSchema, keyFile: keyFileSchema }).strict()),
  'sync.join': method<SyncStatus>()(joinArgsSchema),
  /** The sheet, until confirmed; then never again. */
  'sync.sheet': method<TeamKeySheet>()(z.object({}).strict()),
  'sync.confirmSheet': method<SyncStatus>()(z.object({}).strict()),
  'sync.now': method<SyncStatus>()(z.object({}).strict()),
  'sync.conflicts': method<SyncConflict[]>()(z.object({}).strict()),
  /** Resolves a conflict in one click; the conflicts left. */
  'sync.resolveConflict': method<SyncConflict[]>()(conflictResolutionSchema),
  /** This computer becomes the one that numbers new receipts. */
  'sync.takeReceiptBook': method<SyncStatus>()(z.object({}).strict()),
  /**
   * Removes another computer from the team and rotates the team key: the new key sheet (shown until confirmed), which
   * every other volunteer must enter (sync.rekey); the removed computer opens nothing written from then on.
   */
  'sync.removeDevice': method<TeamKeySheet>()(z.object({ node: z.string().regex(/^[0-9a-f]{16}$/), keyFile: keyFileSchema }).strict()),
  /** The new team key, after another computer rotated it (lastError 'sync_team_key_rotated'). */
  'sync.rekey': method<SyncStatus>()(z.object({ key: z.string().trim().min(1).max(200), keyFile: keyFileSchema }).strict()),
};

export const syncEvents = {
  'sync.changed': event<SyncStatus>(),
};
