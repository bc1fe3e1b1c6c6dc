/**
 * The channel form's draft (what is typed, as text) and its checks: the contract's own schemas validate it, so the
 * form names the same problems the core would refuse, under the field each is about.
 */
import type { z } from 'zod';
import type { ApiError, Channel, ChannelAdd, ChannelKind, ChannelUpdate, WebhookPreset } from '../../../src-main/contract';
import { channelAddSchema, channelUpdateSchema } from '../../../src-main/contract/alert-channels';

export type SmtpSecurity = 'starttls' | 'tls' | 'none';

export interface ChannelDraft {
  kind: ChannelKind;
  name: string;
  host: string;
  port: string;
  security: SmtpSecurity;
  username: string;
  from: string;
  to: string;
  serverUrl: string;
  topic: string;
  /** Not in the form (ntfy's default suits alerts): kept as saved. */
  priority: number;
  homeserverUrl: string;
  roomId: string;
  preset: WebhookPreset;
  /** The kind's secret: SMTP password, ntfy or Matrix token, the webhook's URL. Write-only: empty keeps the saved one. */
  secret: string;
}

export type ChannelField = 'name' | 'host' | 'port' | 'security' | 'username' | 'from' | 'to' | 'serverUrl' | 'topic' | 'homeserverUrl' | 'roomId' | 'preset' | 'secret';

/** Each kind's fields, in the order they are shown (and focused, the first invalid one, on submit). */
export const KIND_FIELDS: Record<ChannelKind, ChannelField[]> = {
  email: ['name', 'host', 'port', 'security', 'username', 'secret', 'from', 'to'],
  ntfy: ['name', 'serverUrl', 'topic', 'secret'],
  matrix: ['name', 'homeserverUrl', 'roomId', 'secret'],
  webhook: ['name', 'preset', 'secret'],
};

export const EMPTY_DRAFT: ChannelDraft = {
  kind: 'email',
  name: '',
  host: '',
  port: '587',
  security: 'starttls',
  username: '',
  from: '',
  to: '',
  serverUrl: 'https://ntfy.sh',
  topic: '',
  priority: 4,
  homeserverUrl: '',
  roomId: '',
  preset: 'slack',
  secret: '',
};

/** The saved channel as a draft: its settings, never its secret. */
export function channelToDraft(channel: Channel): ChannelDraft {
  const draft = { ...EMPTY_DRAFT, kind: channel.kind, name: channel.name };
  switch (channel.kind) {
    case 'email': {
      const s = channel.settings;
      return { ...draft, host: s.host, port: String(s.port), security: s.security, username: s.username ?? '', from: s.from, to: s.to.join(', ') };
    }
    case 'ntfy':
      return { ...draft, serverUrl: channel.settings.serverUrl, topic: channel.settings.topic, priority: channel.settings.priority };
    case 'matrix':
      return { ...draft, homeserverUrl: channel.settings.homeserverUrl, roomId: channel.settings.roomId };
    case 'webhook':
      return { ...draft, preset: channel.settings.preset };
  }
}

/** "a@x.org, b@x.org; c@x.org" → three addresses. */
export const splitAddresses = (text: string): string[] =>
  text
    .split(/[,;\s]+/)
    .map((address) => address.trim())
    .filter((address) => address !== '');

/** A typed port as a number; anything else NaN, which the schema refuses. */
const portNumber = (text: string): number => (/^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);

function settingsOf(draft: ChannelDraft): unknown {
  switch (draft.kind) {
    case 'email':
      return {
        host: draft.host.trim(),
        port: portNumber(draft.port),
        security: draft.security,
        username: draft.username.trim() === '' ? null : draft.username.trim(),
        from: draft.from.trim(),
        to: splitAddresses(draft.to),
      };
    case 'ntfy':
      return { serverUrl: draft.serverUrl.trim(), topic: draft.topic.trim(), priority: draft.priority };
    case 'matrix':
      return { homeserverUrl: draft.homeserverUrl.trim(), roomId: draft.roomId.trim() };
    case 'webhook':
      return { preset: draft.preset };
  }
}

/** The secret to send: on an edit, empty keeps the saved one (left out); on an add, empty is "none" where allowed. */
function secretOf(draft: ChannelDraft, editing: boolean): { secret?: string | null } {
  const secret = draft.kind === 'webhook' ? draft.secret.trim() : draft.secret;
  if (secret !== '') return { secret };
  if (editing) return {};
  return { secret: draft.kind === 'email' || draft.kind === 'ntfy' ? null : '' };
}

export type Checked<T> = { ok: true; value: T; problems: Partial<Record<ChannelField, string>> } | { ok: false; problems: Partial<Record<ChannelField, string>> };

/** The field a schema issue is about: `settings.to.2` is the To field. */
function fieldOfPath(path: readonly PropertyKey[]): ChannelField | null {
  const [first, second] = path;
  const field = first === 'settings' ? second : first;
  return typeof field === 'string' && isField(field) ? field : null;
}

const FIELDS = new Set<string>(Object.values(KIND_FIELDS).flat());
const isField = (name: string): name is ChannelField => FIELDS.has(name);

/** The translation key of a problem with a field, per kind where the secret means different things. */
export function problemKey(field: ChannelField, kind: ChannelKind): string {
  if (field !== 'secret') return `channels.errors.${field}`;
  if (kind === 'email') return 'channels.errors.login';
  if (kind === 'matrix') return 'channels.errors.accessToken';
  if (kind === 'webhook') return 'channels.errors.webhookUrl';
  return 'channels.errors.secretTooLong';
}

function problemsOf(error: z.ZodError, kind: ChannelKind): Partial<Record<ChannelField, string>> {
  const problems: Partial<Record<ChannelField, string>> = {};
  for (const issue of error.issues) {
    const field = fieldOfPath(issue.path);
    if (field && !problems[field]) problems[field] = problemKey(field, kind);
  }
  return problems;
}

export function checkAdd(draft: ChannelDraft): Checked<ChannelAdd> {
  const check = channelAddSchema.safeParse({ kind: draft.kind, name: draft.name.trim(), settings: settingsOf(draft), ...secretOf(draft, false) });
  return check.success ? { ok: true, value: check.data, problems: {} } : { ok: false, problems: problemsOf(check.error, draft.kind) };
}

/**
 * An edit sends the whole settings and the secret only when one was typed. The login rule (a user name with a
 * password) is checked here too: a user name added to a channel saved without a password needs one.
 */
export function checkUpdate(draft: ChannelDraft, channel: Channel): Checked<ChannelUpdate> {
  const secret = secretOf(draft, true);
  const check = channelUpdateSchema.safeParse({ id: channel.id, kind: draft.kind, name: draft.name.trim(), settings: settingsOf(draft), ...secret });
  const problems = check.success ? {} : problemsOf(check.error, draft.kind);
  if (draft.kind === 'email' && draft.username.trim() !== '' && secret.secret === undefined && !channel.hasSecret) problems.secret ??= 'channels.errors.login';
  if (check.success && Object.keys(problems).length === 0) return { ok: true, value: check.data, problems };
  return { ok: false, problems };
}

/** Which field a refusal from the core is about, so it is shown (and focused) there; null: about the whole form. */
export function fieldOfError(error: ApiError): ChannelField | null {
  if (error.code === 'channel_name_taken') return 'name';
  if (error.code === 'invalid_argument') {
    const issues = (error.details?.issues ?? []) as { path?: PropertyKey[] }[];
    return fieldOfPath(issues[0]?.path ?? []);
  }
  return null;
}

/**
 * What a channel's last error names (its host, port, room), taken from its settings, so the translated message can
 * say it: the stored error keeps only its code and English message. The HTTP status is read from that message.
 */
export function errorDetails(channel: Channel): Record<string, unknown> {
  const status = channel.lastError ? /HTTP (\d{3})/.exec(channel.lastError.message)?.[1] : undefined;
  const common = status ? { status } : {};
  switch (channel.kind) {
    case 'email':
      return { ...common, host: channel.settings.host, port: channel.settings.port };
    case 'ntfy':
      return { ...common, host: hostOf(channel.settings.serverUrl) };
    case 'matrix':
      return { ...common, host: hostOf(channel.settings.homeserverUrl), roomId: channel.settings.roomId };
    case 'webhook':
      return { ...common, host: hostOf(channel.settings.origin) };
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
