// How one message reaches one channel: SMTP through nodemailer, the others with one HTTP request through Node's
// fetch. Each send has a timeout, and every failure becomes a CoreError naming the problem (refused, bad token, room
// not found…) and saying whether trying again later could help (`retryable`): a wrong password stays wrong.
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { EmailSettings, MatrixSettings, NtfySettings, WebhookPreset } from '../../contract';
import { CoreError } from '../errors';

export type Severity = 'critical' | 'warning' | 'info';

/** What the future alerting code hands over: short, already in the team's language. */
export interface ChannelMessage {
  title: string;
  body: string;
  severity: Severity;
}

export interface SendContext {
  timeoutMs: number;
  /** Extra certificate authorities to trust for SMTP TLS (a self-hosted server's own CA); verification stays on. */
  ca?: string[];
}

/** A failed delivery: `retryable` when the same message may go through later (timeout, refused, 5xx). */
export class DeliveryError extends CoreError {
  constructor(
    code: string,
    message: string,
    readonly retryable: boolean,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
  }
}

const NETWORK_DOWN = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET']);
const isTlsCode = (code: string): boolean => /CERT|SELF_SIGNED|TLS|SSL|UNABLE_TO_(GET|VERIFY)/.test(code);

// ---- E-mail

export async function sendEmail(settings: EmailSettings, password: string | null, message: ChannelMessage, context: SendContext): Promise<void> {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    // STARTTLS is required, never optional: a server (or someone in the path) that drops it gets no password.
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    ...(settings.username !== null && password !== null ? { auth: { user: settings.username, pass: password } } : {}),
    connectionTimeout: context.timeoutMs,
    greetingTimeout: context.timeoutMs,
    socketTimeout: context.timeoutMs,
    ...(context.ca ? { tls: { ca: context.ca } } : {}),
  });
  try {
    await transport.sendMail({
      from: settings.from,
      to: settings.to,
      subject: message.title,
      text: message.body,
      headers: { 'X-Pelote-Severity': message.severity },
      signal: AbortSignal.timeout(context.timeoutMs * 3),
    });
  } catch (error) {
    throw smtpFailure(settings, error);
  } finally {
    transport.close();
  }
}

function smtpFailure(settings: EmailSettings, error: unknown): DeliveryError {
  const e = error as { code?: string; originalCode?: string; responseCode?: number; permanent?: boolean; message?: string; name?: string };
  const where = `${settings.host}:${settings.port}`;
  const details = { host: settings.host, port: settings.port, ...(e.responseCode ? { reply: e.responseCode } : {}) };
  const system = e.originalCode ?? e.code ?? '';
  if (e.code === 'EAUTH') return new DeliveryError('channel_smtp_auth_failed', `The SMTP server ${where} refused the user name or password.`, false, details);
  if (e.code === 'ETIMEDOUT' || e.code === 'EABORT' || e.name === 'TimeoutError' || system === 'ETIMEDOUT') {
    return new DeliveryError('channel_timeout', `The SMTP server ${where} did not answer in time.`, true, details);
  }
  if (isTlsCode(system) || e.code === 'ETLS') return new DeliveryError('channel_tls_failed', `TLS with the SMTP server ${where} failed: ${e.message ?? ''}`, false, details);
  if (e.code === 'ECONNECTION' || e.code === 'ESOCKET' || NETWORK_DOWN.has(system)) {
    return new DeliveryError('channel_smtp_refused', `The SMTP server ${where} could not be reached (${system || e.code}).`, true, details);
  }
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') {
    return new DeliveryError('channel_smtp_rejected', `The SMTP server ${where} refused the message: ${e.message ?? ''}`, e.permanent === false, details);
  }
  return new DeliveryError('channel_smtp_failed', `Sending through the SMTP server ${where} failed: ${e.message ?? String(error)}`, e.permanent !== true, details);
}

// ---- HTTP channels

interface HttpTarget {
  /** What to call the server in messages: "the ntfy server", "the homeserver", "the webhook". */
  label: string;
  unreachableCode: string;
}

async function request(url: string, init: { method: string; headers: Record<string, string>; body: string }, target: HttpTarget, context: SendContext): Promise<Response> {
  const host = new URL(url).host;
  try {
    return await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(context.timeoutMs) });
  } catch (error) {
    const e = error as { name?: string; cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new DeliveryError('channel_timeout', `${capitalized(target.label)} (${host}) did not answer in time.`, true, { host });
    const code = e.cause?.code ?? '';
    if (isTlsCode(code)) throw new DeliveryError('channel_tls_failed', `TLS with ${target.label} (${host}) failed: ${e.cause?.message ?? code}`, false, { host });
    throw new DeliveryError(target.unreachableCode, `${capitalized(target.label)} (${host}) could not be reached (${code || 'network error'}).`, true, { host });
  }
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** A refusal by status: 401/403 a bad token, 429 and 5xx worth retrying, anything else said with its status. */
async function statusFailure(response: Response, target: HttpTarget): Promise<DeliveryError> {
  const host = new URL(response.url).host;
  const said = (await response.text().catch(() => '')).slice(0, 200);
  const details = { host, status: response.status };
  if (response.status === 401 || response.status === 403) {
    return new DeliveryError('channel_bad_token', `${capitalized(target.label)} (${host}) refused the access token (HTTP ${response.status}).`, false, details);
  }
  const retryable = response.status === 429 || response.status >= 500;
  return new DeliveryError('channel_http_status', `${capitalized(target.label)} (${host}) answered HTTP ${response.status}${said ? `: ${said}` : ''}.`, retryable, details);
}

const NTFY: HttpTarget = { label: 'the ntfy server', unreachableCode: 'channel_unreachable' };
const NTFY_TAGS: Record<string, string[]> = { critical: ['rotating_light'], warning: ['warning'], info: ['information_source'] };

/** ntfy's JSON publishing (POST to the server's root): titles with accents, which headers cannot carry as such. */
export async function sendNtfy(settings: NtfySettings, token: string | null, message: ChannelMessage, context: SendContext): Promise<void> {
  const url = new URL('/', settings.serverUrl).toString();
  const response = await request(
    url,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ topic: settings.topic, title: message.title, message: message.body, priority: settings.priority, tags: NTFY_TAGS[message.severity] }),
    },
    NTFY,
    context,
  );
  if (!response.ok) throw await statusFailure(response, NTFY);
}

const HOMESERVER: HttpTarget = { label: 'the homeserver', unreachableCode: 'channel_homeserver_unreachable' };

/** The client-server API's send: PUT …/rooms/{roomId}/send/m.room.message/{txnId}, a fresh transaction id per message. */
export async function sendMatrix(settings: MatrixSettings, token: string, message: ChannelMessage, context: SendContext, txnId: string = randomUUID()): Promise<void> {
  const url = new URL(`/_matrix/client/v3/rooms/${encodeURIComponent(settings.roomId)}/send/m.room.message/${encodeURIComponent(txnId)}`, settings.homeserverUrl).toString();
  const response = await request(
    url,
    {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ msgtype: 'm.text', body: `${message.title}\n${message.body}` }),
    },
    HOMESERVER,
    context,
  );
  if (response.ok) return;
  const errcode = ((await response.clone().json().catch(() => ({}))) as { errcode?: string }).errcode;
  const host = new URL(url).host;
  const details = { host, status: response.status, roomId: settings.roomId, ...(errcode ? { errcode } : {}) };
  if (errcode === 'M_UNKNOWN_TOKEN' || errcode === 'M_MISSING_TOKEN' || response.status === 401) {
    throw new DeliveryError('channel_bad_token', `The homeserver (${host}) refused the access token (HTTP ${response.status}${errcode ? ` ${errcode}` : ''}).`, false, details);
  }
  if (errcode === 'M_FORBIDDEN' || response.status === 403) {
    throw new DeliveryError('channel_matrix_forbidden', `The homeserver (${host}) does not let this account post in ${settings.roomId}: invite it to the room and accept the invitation.`, false, details);
  }
  if (errcode === 'M_NOT_FOUND' || response.status === 404) {
    throw new DeliveryError('channel_room_not_found', `The homeserver (${host}) knows no room ${settings.roomId}.`, false, details);
  }
  throw await statusFailure(response, HOMESERVER);
}

const WEBHOOK: HttpTarget = { label: 'the webhook', unreachableCode: 'channel_unreachable' };

/** The body each preset's receiver documents: Slack and Mattermost read `text`; Rocket.Chat `text`, and `alias` as the sender. */
export function webhookBody(preset: WebhookPreset, message: ChannelMessage): unknown {
  const text = `${message.title}\n${message.body}`;
  switch (preset) {
    case 'slack':
      return { text };
    case 'rocketchat':
      return { alias: 'Pelote', text };
    case 'generic':
      return { source: 'pelote', severity: message.severity, title: message.title, body: message.body, text };
  }
}

export async function sendWebhook(preset: WebhookPreset, url: string, message: ChannelMessage, context: SendContext): Promise<void> {
  const response = await request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(webhookBody(preset, message)) }, WEBHOOK, context);
  if (!response.ok) throw await statusFailure(response, WEBHOOK);
}
