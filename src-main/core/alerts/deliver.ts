// Sending a message through a channel: tried again with backoff while the failure may pass (a timeout, a refused
// connection, a 5xx), never for one that will not (a refused password or token); the outcome is recorded on the
// channel, so a failing one shows as failing until a message goes through again. Channels are independent: sending to
// several waits for all, and one failing never holds up or hides the others.
import type { ChannelError, ChannelTestResult, Language } from '../../contract';
import { isoNow } from '../clock';
import type { Core } from '../core';
import { CoreError } from '../errors';
import { ChannelsService } from './channels-service';
import { DeliveryError, sendEmail, sendMatrix, sendNtfy, sendWebhook, type ChannelMessage, type SendContext } from './transports';

export interface DeliveryOptions {
  /** Tries in all (1: no retry). */
  attempts?: number;
  /** Wait before the 2nd try; doubled before each next one. */
  backoffMs?: number;
  /** Per try. */
  timeoutMs?: number;
  /** Extra certificate authorities for SMTP TLS. */
  ca?: string[];
}

export interface Delivery {
  channelId: string;
  ok: boolean;
  attempts: number;
  error: ChannelError | null;
}

const DEFAULTS = { attempts: 3, backoffMs: 2000, timeoutMs: 15_000 };

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function sendOnce(core: Core, channelId: string, message: ChannelMessage, context: SendContext): Promise<void> {
  const channel = new ChannelsService(core).forSending(channelId);
  switch (channel.kind) {
    case 'email':
      return sendEmail(channel.settings, channel.secret, message, context);
    case 'ntfy':
      return sendNtfy(channel.settings, channel.secret, message, context);
    case 'matrix':
      return sendMatrix(channel.settings, channel.secret ?? '', message, context);
    case 'webhook':
      return sendWebhook(channel.settings.preset, channel.secret ?? '', message, context);
  }
}

/**
 * One message through one channel, with retries and backoff; records ok or failing on the channel. Never throws for a
 * failed delivery (the result says it); throws channel_not_found for a channel that is gone.
 */
export async function sendToChannel(core: Core, channelId: string, message: ChannelMessage, options: DeliveryOptions = {}): Promise<Delivery> {
  const { attempts, backoffMs, timeoutMs } = { ...DEFAULTS, ...options };
  const service = new ChannelsService(core);
  service.get(channelId);
  let error: ChannelError | null = null;
  let tries = 0;
  while (tries < attempts) {
    if (tries > 0) await pause(backoffMs * 2 ** (tries - 1));
    tries++;
    try {
      await sendOnce(core, channelId, message, { timeoutMs, ...(options.ca ? { ca: options.ca } : {}) });
      error = null;
      break;
    } catch (thrown) {
      if (!(thrown instanceof CoreError)) throw thrown;
      error = { code: thrown.code, message: thrown.message, at: isoNow(core.clock) };
      // A secret that cannot be read, or a refusal that will not change, is not worth another try.
      if (!(thrown instanceof DeliveryError) || !thrown.retryable) break;
    }
  }
  // The channel may have been removed while this was sending: nothing left to record then.
  if (core.db.prepare('select 1 from channels where id = ? and deleted_at is null').get(channelId)) service.recordOutcome(channelId, error);
  return { channelId, ok: error === null, attempts: tries, error };
}

/** One message through several channels at once: each delivers or fails on its own. */
export const sendToChannels = (core: Core, channelIds: readonly string[], message: ChannelMessage, options: DeliveryOptions = {}): Promise<Delivery[]> =>
  Promise.all(channelIds.map((id) => sendToChannel(core, id, message, options)));

/** The team's language: French unless the association chose otherwise. */
export const teamLanguage = (core: Core): Language => core.settings.get().language ?? 'fr';

const TEST_MESSAGE: Record<Language, (channel: string, association: string) => ChannelMessage> = {
  fr: (channel, association) => ({
    title: 'Pelote : message de test',
    body: `Ce message de test a été envoyé par Pelote${association ? ` (${association})` : ''} à travers le canal « ${channel} ». Les alertes arriveront ici.`,
    severity: 'info',
  }),
  en: (channel, association) => ({
    title: 'Pelote: test message',
    body: `This test message was sent by Pelote${association ? ` (${association})` : ''} through the channel “${channel}”. Alerts will arrive here.`,
    severity: 'info',
  }),
};

export function testMessage(core: Core, channelName: string): ChannelMessage {
  return TEST_MESSAGE[teamLanguage(core)](channelName, core.settings.get().associationName);
}

/** `channels.test`: one try, no retry — the person pressing the button wants the answer now. */
export async function testChannel(core: Core, channelId: string, options: DeliveryOptions = {}): Promise<ChannelTestResult> {
  const service = new ChannelsService(core);
  const delivery = await sendToChannel(core, channelId, testMessage(core, service.get(channelId).name), { attempts: 1, ...options });
  return { ok: delivery.ok, attempts: delivery.attempts, error: delivery.error, channel: service.get(channelId) };
}
