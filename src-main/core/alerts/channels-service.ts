// Notification channels: add, edit, remove, list — each one writeTransaction with its audit entry (never a secret in
// it). A channel's secret is kept like Pelote's other secrets (secrets/kept-secret.ts): sealed by the OS keychain in
// the desktop app, else a 0600 file in the data directory's secrets/ folder; only where it is reaches the database.
import { randomBytes } from 'node:crypto';
import type { Channel, ChannelAdd, ChannelError, ChannelKind, ChannelSettings, ChannelUpdate, EmailSettings } from '../../contract';
import { emailSettingsSchema, matrixSettingsSchema, ntfySettingsSchema, webhookSettingsSchema } from '../../contract/alert-channels';
import { isoNow } from '../clock';
import type { Core } from '../core';
import { writeTransaction } from '../db/write-transaction';
import { CoreError } from '../errors';
import { newId } from '../ids';
import { forgetWritten, keepSecret, readSecret, type KeptSecret, type SecretCodes, type SecretSource } from '../secrets/kept-secret';

const CODES: SecretCodes = { unwritable: 'channel_secret_unwritable', unavailable: 'channel_secret_unavailable' };

type StoredSource = SecretSource | { kind: 'none' };

interface ChannelRow {
  id: string;
  name: string;
  kind: ChannelKind;
  settings: string;
  secret_source: string;
  secret_sealed: Buffer | null;
  last_ok_at: string | null;
  last_error: string | null;
  failing_since: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** A channel with its secret in clear, for sending only. */
export type ChannelForSending = ChannelSettings & { id: string; name: string; secret: string | null };

const SCHEMAS = { email: emailSettingsSchema, ntfy: ntfySettingsSchema, matrix: matrixSettingsSchema, webhook: webhookSettingsSchema };

function toChannel(row: ChannelRow): Channel {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    settings: JSON.parse(row.settings) as never,
    hasSecret: (JSON.parse(row.secret_source) as StoredSource).kind !== 'none',
    lastOkAt: row.last_ok_at,
    lastError: row.last_error === null ? null : (JSON.parse(row.last_error) as ChannelError),
    failingSince: row.failing_since,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** What is stored in `settings`: a webhook keeps its URL's origin, to be recognised; the full URL is its secret. */
function storedSettings(kind: ChannelKind, settings: unknown, secret: string | null): unknown {
  if (kind !== 'webhook') return settings;
  return { ...(settings as object), origin: secret === null ? '' : new URL(secret).origin };
}

/** Each secret gets its own file name: a replaced one is written beside the old, which goes once the change is saved. */
const keepChannelSecret = (core: Core, channelId: string, secret: string): KeptSecret =>
  keepSecret(core, secret, { file: null, defaultFileName: `channel-${channelId}-${randomBytes(6).toString('hex')}.secret`, codes: CODES });

/** The secret's file this channel kept, if any: removed with the channel or when the secret is replaced. */
const ownFile = (source: StoredSource): KeptSecret | null => (source.kind === 'file' ? { source, sealed: null, written: source.path } : null);

export class ChannelsService {
  constructor(private readonly core: Core) {}

  list(): Channel[] {
    return (this.core.db.prepare('select * from channels where deleted_at is null order by lower(name)').all() as ChannelRow[]).map(toChannel);
  }

  get(id: string): Channel {
    return toChannel(this.row(id));
  }

  named(name: string): Channel {
    const row = this.core.db.prepare('select * from channels where deleted_at is null and lower(name) = lower(?)').get(name) as ChannelRow | undefined;
    if (!row) throw new CoreError('channel_not_found', `No channel named ${name}.`, { name });
    return toChannel(row);
  }

  add(input: ChannelAdd): Channel {
    const id = newId();
    const kept = input.secret === null ? null : keepChannelSecret(this.core, id, input.secret);
    try {
      return writeTransaction(this.core.db, () => {
        this.refuseTakenName(input.name, null);
        const now = isoNow(this.core.clock);
        const settings = storedSettings(input.kind, input.settings, input.secret);
        this.core.db
          .prepare(`insert into channels (id, name, kind, settings, secret_source, secret_sealed, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)`)
          .run(id, input.name, input.kind, JSON.stringify(settings), JSON.stringify(kept?.source ?? { kind: 'none' }), kept?.sealed ?? null, now, now);
        this.core.audit.record({
          entity: 'channel',
          entityId: id,
          action: 'create',
          changes: { name: { from: null, to: input.name }, kind: { from: null, to: input.kind }, settings: { from: null, to: settings }, hasSecret: { from: null, to: kept !== null } },
        });
        return this.get(id);
      });
    } catch (error) {
      if (kept) forgetWritten(kept);
      throw error;
    }
  }

  update(input: ChannelUpdate): Channel {
    const before = this.row(input.id);
    if (before.kind !== input.kind) throw new CoreError('channel_kind_mismatch', `${before.name} is a ${before.kind} channel, not ${input.kind}.`, { name: before.name, kind: before.kind });
    const oldSource = JSON.parse(before.secret_source) as StoredSource;
    const kept = input.secret === undefined || input.secret === null ? null : keepChannelSecret(this.core, before.id, input.secret);
    const replacesSecret = input.secret !== undefined;
    try {
      const channel = writeTransaction(this.core.db, () => {
        const current = this.row(input.id);
        if (input.name !== undefined) this.refuseTakenName(input.name, current.id);
        const oldSettings = JSON.parse(current.settings) as Record<string, unknown>;
        // A webhook's origin follows its URL; its preset may change alone.
        const merged = SCHEMAS[current.kind].parse(input.settings ?? stripOrigin(current.kind, oldSettings));
        const secretNow = input.secret === undefined ? null : input.secret;
        const settings = current.kind === 'webhook' && input.secret === undefined ? { ...(merged as object), origin: oldSettings.origin } : storedSettings(current.kind, merged, secretNow);
        if (current.kind === 'email') {
          const hasSecret = replacesSecret ? input.secret !== null : oldSource.kind !== 'none';
          if (((merged as EmailSettings).username === null) === hasSecret) {
            throw new CoreError('invalid_argument', 'An SMTP login needs a user name and a password, or neither.', { issues: [{ path: ['secret'], code: 'custom', message: 'a user name and a password, or neither' }] });
          }
        }
        const now = isoNow(this.core.clock);
        const name = input.name ?? current.name;
        this.core.db
          .prepare(`update channels set name = ?, settings = ?, secret_source = ?, secret_sealed = ?, updated_at = ? where id = ?`)
          .run(
            name,
            JSON.stringify(settings),
            replacesSecret ? JSON.stringify(kept?.source ?? { kind: 'none' }) : current.secret_source,
            replacesSecret ? (kept?.sealed ?? null) : current.secret_sealed,
            now,
            current.id,
          );
        const changes: Record<string, { from: unknown; to: unknown }> = {};
        if (name !== current.name) changes.name = { from: current.name, to: name };
        if (JSON.stringify(settings) !== current.settings) changes.settings = { from: oldSettings, to: settings };
        // Only that the secret changed: never its value.
        if (replacesSecret) changes.secret = { from: oldSource.kind !== 'none' ? 'set' : null, to: input.secret === null ? null : 'replaced' };
        this.core.audit.record({ entity: 'channel', entityId: current.id, action: 'update', changes });
        return this.get(current.id);
      });
      if (replacesSecret) forgetOwn(oldSource);
      return channel;
    } catch (error) {
      if (kept) forgetWritten(kept);
      throw error;
    }
  }

  /** A soft delete; the secret itself is forgotten at once (its file removed, the sealed blob cleared). */
  remove(id: string): void {
    const row = this.row(id);
    writeTransaction(this.core.db, () => {
      const now = isoNow(this.core.clock);
      this.core.db.prepare(`update channels set deleted_at = ?, updated_at = ?, secret_source = '{"kind":"none"}', secret_sealed = null where id = ?`).run(now, now, row.id);
      this.core.audit.record({ entity: 'channel', entityId: row.id, action: 'delete', changes: { name: { from: row.name, to: null } } });
    });
    forgetOwn(JSON.parse(row.secret_source) as StoredSource);
  }

  /** The channel with its secret in clear, for one send. */
  forSending(id: string): ChannelForSending {
    const row = this.row(id);
    const source = JSON.parse(row.secret_source) as StoredSource;
    const secret = source.kind === 'none' ? null : readSecret(this.core, source, row.secret_sealed, CODES);
    return { id: row.id, name: row.name, kind: row.kind, settings: JSON.parse(row.settings) as never, secret };
  }

  /** A delivery's outcome, as the UI and `pelote channels list` show it: a success clears the failing state. */
  recordOutcome(id: string, error: ChannelError | null): void {
    writeTransaction(this.core.db, () => {
      const now = isoNow(this.core.clock);
      if (error === null) {
        this.core.db.prepare('update channels set last_ok_at = ?, last_error = null, failing_since = null where id = ?').run(now, id);
      } else {
        this.core.db.prepare('update channels set last_error = ?, failing_since = coalesce(failing_since, ?) where id = ?').run(JSON.stringify(error), error.at, id);
      }
    });
  }

  private row(id: string): ChannelRow {
    const row = this.core.db.prepare('select * from channels where id = ? and deleted_at is null').get(id) as ChannelRow | undefined;
    if (!row) throw new CoreError('channel_not_found', 'This channel does not exist (it may have been removed).', { id });
    return row;
  }

  private refuseTakenName(name: string, except: string | null): void {
    const taken = this.core.db.prepare('select id from channels where deleted_at is null and lower(name) = lower(?) and id is not ?').get(name, except);
    if (taken) throw new CoreError('channel_name_taken', `A channel is already named ${name}.`, { name });
  }
}

function stripOrigin(kind: ChannelKind, settings: Record<string, unknown>): unknown {
  if (kind !== 'webhook') return settings;
  const { origin: _origin, ...rest } = settings;
  return rest;
}

function forgetOwn(source: StoredSource): void {
  const file = ownFile(source);
  if (file) forgetWritten(file);
}
