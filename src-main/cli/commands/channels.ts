// `pelote channels add|list|test|remove`: notification channels from the command line, for a headless watcher.
// Secrets (SMTP password, tokens, a webhook's URL) come from a file or from $PELOTE_CHANNEL_SECRET, never from the
// command line, which every account on the machine can read in the process list.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Channel, ChannelKind, ChannelTestResult } from '../../contract';
import { CHANNEL_KINDS, channelAddSchema } from '../../contract/alert-channels';
import { ChannelsService } from '../../core/alerts/channels-service';
import { testChannel } from '../../core/alerts/deliver';
import { CoreError } from '../../core/errors';
import type { CliContext } from '../io';
import { output, UsageError } from '../io';
import { openCliCore } from '../open-cli-core';

export const SECRET_ENV = 'PELOTE_CHANNEL_SECRET';

export interface ChannelsOptions {
  host?: string;
  port?: string;
  security?: string;
  username?: string;
  from?: string;
  to?: string[];
  url?: string;
  topic?: string;
  priority?: string;
  homeserver?: string;
  room?: string;
  preset?: string;
  passwordFile?: string;
  tokenFile?: string;
  urlFile?: string;
}

const USAGE = 'channels add KIND NAME [options] | list | test NAME | remove NAME';

/** Each settings field's option, so a refused value is named as the user typed it. */
const OPTION_OF: Record<string, string> = {
  'settings.host': '--host',
  'settings.port': '--port',
  'settings.security': '--security',
  'settings.username': '--username',
  'settings.from': '--from',
  'settings.to': '--to',
  'settings.serverUrl': '--url',
  'settings.topic': '--topic',
  'settings.priority': '--priority',
  'settings.homeserverUrl': '--homeserver',
  'settings.roomId': '--room',
  'settings.preset': '--preset',
  name: 'NAME',
};
const SECRET_OPTION: Record<ChannelKind, string> = { email: '--password-file', ntfy: '--token-file', matrix: '--token-file', webhook: '--url-file' };

/** `channels …`: exit 1 when a test failed, or (list) when a channel is failing. */
export async function channelsCommand(ctx: CliContext, args: string[], options: ChannelsOptions): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'add') {
    // Read and checked before the database is opened: a usage mistake writes nothing.
    const [kind, name] = rest;
    if (!isKind(kind) || name === undefined || rest.length > 2) throw new UsageError(`channels add KIND NAME: KIND is one of ${CHANNEL_KINDS.join(', ')}`);
    const input = addInput(ctx, kind, name, options);
    const core = openCliCore(ctx, 'cli');
    try {
      const channel = new ChannelsService(core).add(input);
      output(ctx, channel, () => `Added the ${channel.kind} channel ${channel.name}. Send a test: pelote channels test ${quoted(channel.name)}`);
      return 0;
    } finally {
      core.close();
    }
  }
  const [name, ...extra] = rest;
  if (extra.length > 0) throw new UsageError(USAGE);
  const core = openCliCore(ctx, 'cli');
  try {
    const service = new ChannelsService(core);
    switch (sub) {
      case 'list': {
        if (name !== undefined) throw new UsageError(USAGE);
        const channels = service.list();
        output(ctx, channels, () => (channels.length === 0 ? 'No channel yet: add one with `pelote channels add KIND NAME …`.' : channels.map(describe).join('\n')));
        return channels.some((c) => c.failingSince !== null) ? 1 : 0;
      }
      case 'test': {
        if (name === undefined) throw new UsageError('channels test needs a NAME');
        const result = await testChannel(core, service.named(name).id);
        output(ctx, result, () => describeTest(result));
        return result.ok ? 0 : 1;
      }
      case 'remove': {
        if (name === undefined) throw new UsageError('channels remove needs a NAME');
        const channel = service.named(name);
        service.remove(channel.id);
        output(ctx, { id: channel.id, name: channel.name, removed: true }, () => `Removed the channel ${channel.name}.`);
        return 0;
      }
      default:
        throw new UsageError(USAGE);
    }
  } finally {
    core.close();
  }
}

const isKind = (kind: string | undefined): kind is ChannelKind => (CHANNEL_KINDS as readonly string[]).includes(kind ?? '');

const quoted = (name: string): string => (/^[\w.-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`);

function addInput(ctx: CliContext, kind: ChannelKind, name: string, options: ChannelsOptions) {
  const secret = readSecretOption(ctx, kind, options);
  const number = (value: string | undefined): number | undefined => (value === undefined ? undefined : /^\d+$/.test(value) ? Number(value) : NaN);
  const settings = {
    email: {
      host: options.host,
      port: number(options.port) ?? (options.security === 'tls' ? 465 : 587),
      security: options.security ?? 'starttls',
      username: options.username ?? null,
      from: options.from,
      to: (options.to ?? []).flatMap((to) => to.split(',')).map((to) => to.trim()).filter((to) => to !== ''),
    },
    ntfy: { serverUrl: options.url, topic: options.topic, ...(options.priority === undefined ? {} : { priority: number(options.priority) }) },
    matrix: { homeserverUrl: options.homeserver, roomId: options.room },
    webhook: { preset: options.preset ?? 'generic' },
  }[kind];
  const parsed = channelAddSchema.safeParse({ name, kind, settings, secret });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String);
    const field = path.join('.');
    const option = field === 'secret' ? `${SECRET_OPTION[kind]} (or $${SECRET_ENV})` : (OPTION_OF[field] ?? OPTION_OF[path.slice(0, 2).join('.')] ?? field);
    return `${option}: ${issue.code === 'invalid_type' && issue.input === undefined ? 'missing' : issue.message}`;
  });
  throw new UsageError(`channels add ${kind}: ${problems.join('; ')}`);
}

/** The secret from the file its option names, else from $PELOTE_CHANNEL_SECRET, else none. */
function readSecretOption(ctx: CliContext, kind: ChannelKind, options: ChannelsOptions): string | null {
  const given = { '--password-file': options.passwordFile, '--token-file': options.tokenFile, '--url-file': options.urlFile };
  const wrong = Object.entries(given).find(([option, value]) => value !== undefined && option !== SECRET_OPTION[kind]);
  if (wrong) throw new UsageError(`a ${kind} channel takes ${SECRET_OPTION[kind]}, not ${wrong[0]}`);
  const file = given[SECRET_OPTION[kind] as keyof typeof given];
  if (file !== undefined) {
    const path = resolve(file);
    try {
      return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch {
      throw new CoreError('file_not_found', `Cannot read ${path}.`, { path });
    }
  }
  const env = ctx.io.env[SECRET_ENV];
  return env === undefined || env === '' ? null : env;
}

function target(channel: Channel): string {
  switch (channel.kind) {
    case 'email':
      return `${channel.settings.host}:${channel.settings.port} (${channel.settings.security}) → ${channel.settings.to.join(', ')}`;
    case 'ntfy':
      return `${channel.settings.serverUrl} topic ${channel.settings.topic}`;
    case 'matrix':
      return `${channel.settings.homeserverUrl} room ${channel.settings.roomId}`;
    case 'webhook':
      return `${channel.settings.preset} ${channel.settings.origin}`;
  }
}

function describe(channel: Channel): string {
  const state =
    channel.failingSince !== null
      ? `FAILING since ${channel.failingSince}: ${channel.lastError?.code ?? ''} ${channel.lastError?.message ?? ''}`.trimEnd()
      : channel.lastOkAt !== null
        ? `ok (last sent ${channel.lastOkAt})`
        : 'not tried yet';
  return `${channel.name}  ${channel.kind}  ${target(channel)}  ${state}`;
}

const describeTest = (result: ChannelTestResult): string =>
  result.ok ? `Test message sent through ${result.channel.name}.` : `The test message did not go through ${result.channel.name}: ${result.error?.code ?? ''} ${result.error?.message ?? ''}`.trimEnd();
