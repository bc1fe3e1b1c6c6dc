// Notification channels (issue 12): where alerts go — e-mail, ntfy, Matrix, a webhook. A channel's settings are
// checked here, when saved, so a malformed address, URL or room id is refused with the field it concerns. Its secret
// (SMTP password, access token, a webhook's URL, which is itself the key to post) travels only in `secret`: never in
// `settings`, which are stored in clear. (contract/channels.ts holds the IPC channel names: another meaning.)
import { z } from 'zod';
import { method } from './define';
import { id, text } from './fields';

export const CHANNEL_KINDS = ['email', 'ntfy', 'matrix', 'webhook'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const WEBHOOK_PRESETS = ['generic', 'slack', 'rocketchat'] as const;
export type WebhookPreset = (typeof WEBHOOK_PRESETS)[number];

export const SMTP_SECURITY = ['starttls', 'tls', 'none'] as const;

/** http or https only: no file:, javascript: or other schemes reach fetch. */
export const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, { message: 'an http:// or https:// address' });

const emailAddress = z.email({ message: 'an e-mail address such as alerts@example.org' }).max(254);
/** A host name or IP address: letters, digits, dots, dashes, colons (IPv6); never an option-like or spaced value. */
const hostName = z.string().trim().min(1).max(253).regex(/^(?!-)[A-Za-z0-9.:[\]-]+$/, 'a host name such as smtp.example.org');
/** Matrix room ids are `!opaque:server` (an alias `#name:server` is not an id). */
export const MATRIX_ROOM_ID = /^![^\s:]+:[A-Za-z0-9.:[\]-]+$/;
/** ntfy's own rule for topic names. */
export const NTFY_TOPIC = /^[-_A-Za-z0-9]{1,64}$/;

export const emailSettingsSchema = z
  .object({
    host: hostName,
    port: z.number().int().min(1).max(65535),
    /** starttls: plain then upgraded, refused if the server cannot; tls: TLS from the first byte (465); none: a local relay. */
    security: z.enum(SMTP_SECURITY),
    username: text(254).min(1).nullable().default(null),
    from: emailAddress,
    to: z.array(emailAddress).min(1).max(20),
  })
  .strict();

export const ntfySettingsSchema = z
  .object({
    serverUrl: httpUrl,
    topic: z.string().trim().regex(NTFY_TOPIC, 'letters, digits, - and _ (at most 64), as ntfy allows'),
    /** ntfy's priorities: 1 min … 3 default … 5 max. */
    priority: z.number().int().min(1).max(5).default(4),
  })
  .strict();

export const matrixSettingsSchema = z
  .object({
    homeserverUrl: httpUrl,
    roomId: z.string().trim().regex(MATRIX_ROOM_ID, 'a room id such as !abcdef:example.org (Room settings → Advanced)'),
  })
  .strict();

export const webhookSettingsSchema = z.object({ preset: z.enum(WEBHOOK_PRESETS) }).strict();

export type EmailSettings = z.output<typeof emailSettingsSchema>;
export type NtfySettings = z.output<typeof ntfySettingsSchema>;
export type MatrixSettings = z.output<typeof matrixSettingsSchema>;
export type WebhookSettings = z.output<typeof webhookSettingsSchema>;

const secret = z.string().min(1).max(4096);
const name = text(80).min(1);

/** Per kind: its settings and its secret (null: none; an SMTP relay without login, a public ntfy topic). */
const kinds = {
  email: z.object({ kind: z.literal('email'), settings: emailSettingsSchema, secret: secret.nullable() }),
  ntfy: z.object({ kind: z.literal('ntfy'), settings: ntfySettingsSchema, secret: secret.nullable() }),
  matrix: z.object({ kind: z.literal('matrix'), settings: matrixSettingsSchema, secret }),
  // The webhook's URL is its secret: Mattermost, Slack and Rocket.Chat put the key to post in it.
  webhook: z.object({ kind: z.literal('webhook'), settings: webhookSettingsSchema, secret: httpUrl }),
};

const emailLogin = (c: { kind: string; settings: unknown; secret: string | null }): boolean =>
  c.kind !== 'email' || ((c.settings as EmailSettings).username === null) === (c.secret === null);
const LOGIN_MESSAGE = { message: 'a user name and a password, or neither', path: ['secret'] };

export const channelAddSchema = z
  .discriminatedUnion('kind', [
    kinds.email.extend({ name }).strict(),
    kinds.ntfy.extend({ name }).strict(),
    kinds.matrix.extend({ name }).strict(),
    kinds.webhook.extend({ name }).strict(),
  ])
  .refine(emailLogin, LOGIN_MESSAGE);

/** An edit names the kind it expects (a channel never changes kind); `secret` left out keeps the one stored. */
export const channelUpdateSchema = z
  .discriminatedUnion('kind', [
    kinds.email.extend({ id, name }).partial({ settings: true, secret: true, name: true }).strict(),
    kinds.ntfy.extend({ id, name }).partial({ settings: true, secret: true, name: true }).strict(),
    kinds.matrix.extend({ id, name }).partial({ settings: true, secret: true, name: true }).strict(),
    kinds.webhook.extend({ id, name }).partial({ settings: true, secret: true, name: true }).strict(),
  ]);

export type ChannelAdd = z.output<typeof channelAddSchema>;
export type ChannelUpdate = z.output<typeof channelUpdateSchema>;

export type ChannelSettings =
  | { kind: 'email'; settings: EmailSettings }
  | { kind: 'ntfy'; settings: NtfySettings }
  | { kind: 'matrix'; settings: MatrixSettings }
  | { kind: 'webhook'; settings: WebhookSettings & { origin: string } };

export interface ChannelError {
  code: string;
  message: string;
  at: string;
}

/** A channel as listed: never its secret, only whether it has one. A webhook shows its URL's origin only. */
export type Channel = ChannelSettings & {
  id: string;
  name: string;
  hasSecret: boolean;
  lastOkAt: string | null;
  /** The last failure; cleared by the next message that goes through. */
  lastError: ChannelError | null;
  /** Since when every message failed (null: working, or never tried). */
  failingSince: string | null;
  createdAt: string;
  updatedAt: string;
};

export interface ChannelTestResult {
  ok: boolean;
  attempts: number;
  error: ChannelError | null;
  channel: Channel;
}

export const channelMethods = {
  'channels.list': method<Channel[]>()(z.object({}).strict()),
  'channels.add': method<Channel>()(channelAddSchema),
  'channels.update': method<Channel>()(channelUpdateSchema),
  'channels.remove': method<null>()(z.object({ id }).strict()),
  /** Sends a short test message in the team's language through the channel, and records whether it went through. */
  'channels.test': method<ChannelTestResult>()(z.object({ id }).strict()),
};
