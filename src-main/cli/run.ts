import { parseArgs } from 'node:util';
import { CoreError } from '../core/errors';
import { resolveDataDir } from '../core/paths';
import { APP_VERSION } from '../core/version';
import { backupCommand, restoreCommand } from './commands/backup';
import { channelsCommand } from './commands/channels';
import { checkCommand } from './commands/check';
import { dbCommand } from './commands/db';
import { incidentsCommand } from './commands/incidents';
import { membersCommand } from './commands/members';
import { serveCommand } from './commands/serve';
import type { CliIo } from './io';
import { UsageError } from './io';
import { syncCommand } from './commands/sync';

const HELP = `Usage: pelote [--data-dir DIR] [--json] <command>

Pelote — the admin console of a small hosting association, from the command line.

Commands:
  db info            Database file, schema version and row counts
  db migrate         Apply pending schema migrations (the old file is copied aside first)
  db backup FILE     Write a consistent copy of the live database to FILE
  serve [--port N]   Serve the console to a browser on 127.0.0.1, behind a random token
  members import FILE [--format auto|paheko|galette|galette-template|helloasso-members|helloasso-payments] [--dry-run]
                     Import members (and payments) from a Paheko, Galette or HelloAsso export; exits 1 if rows have errors
  members export [--kind members|payments|paheko] [--output FILE [--force]]
                     Export a CSV for Excel/LibreOffice (UTF-8 with BOM, ';', French dates)
  check [--server NAME]
                     Sweep the servers' health once; exits 1 if one is unreachable or a check fails
  backup init NAME PATH [--password-file FILE] [--share-with-team]
                     Create a restic repository at PATH and print its recovery sheet (the password is written to
                     FILE, mode 0600, else to the data directory's secrets/ folder); --share-with-team (in a team)
                     also shares the password, sealed with the team key, so the other computers need no sheet
  backup share REPOSITORY [--stop]
                     Share the repository's password with the team (sealed with the team key); --stop stops sharing
                     (computers that already received it keep their copy)
  backup sheet-saved REPOSITORY
                     Confirm that the repository's recovery sheet is saved
  backup list        Backup jobs with their last run; exits 1 if one is stale or its last run failed
  backup run JOB     Back up now (JOB: a name, or SERVER/NAME); exits 1 unless it succeeded
  backup snapshots JOB
                     The job's snapshots
  backup drill JOB [--server NAME]
                     Restore the latest backup into a temporary directory, verify it, remove it; exits 1 unless verified
  backup after-commands RUN
                     Run now the after commands a backup owes (RUN: its id or a prefix); exits 1 unless they ran
  restore SNAPSHOT... --server NAME [--target DIR] [--repository NAME] [--yes]
                     Restore snapshots onto a server: the original paths, or under DIR; --yes confirms overwriting
                     what exists there (named otherwise); exits 1 unless restored and verified
  sync init FOLDER [--key-file FILE]
                     Make FOLDER (a local path) this association's team folder and print the team key sheet (the
                     key is written to FILE, mode 0600, else to the data directory's secrets/ folder)
  sync join FOLDER --key-file FILE [--identity KEY --fingerprint SHA256:… [--passphrase-file FILE | --passphrase-env NAME]]
                     Join the team whose folder is FOLDER, with the team key (as on the sheet) read from FILE; for an
                     ssh:// FOLDER on a server Pelote does not know yet, log in with the private key KEY and accept only
                     the host key with that fingerprint (the server is then added, with that key)
  sync now           Sync with the team folder once; exits 1 if it could not (the changes stay queued)
  sync status        The team folder, the last sync, the changes waiting and the other devices
  sync remove-device NODE [--key-file FILE]
                     Remove another computer (its node id, or its volunteer name if unique) and change the team key:
                     prints the new team key sheet (the key is written to FILE, mode 0600, else to secrets/); every
                     other computer must then enter it with sync rekey
  sync rekey --key-file FILE
                     Enter the new team key (read from FILE) after another computer changed it; what this computer
                     changed meanwhile goes out
  channels add email NAME --host HOST [--port N] [--security starttls|tls|none] --from ADDR --to ADDR [--to ADDR…]
                     [--username USER --password-file FILE]
  channels add ntfy NAME --url SERVER --topic TOPIC [--priority 1-5] [--token-file FILE]
  channels add matrix NAME --homeserver URL --room '!ID:SERVER' --token-file FILE
  channels add webhook NAME [--preset generic|slack|rocketchat] --url-file FILE
                     Add a notification channel (slack also suits Mattermost). The secret is read from the file
                     named, else from $PELOTE_CHANNEL_SECRET, never from the command line; a webhook's URL is its secret
  channels list      The channels and whether each delivers; exits 1 if one is failing
  channels test NAME Send a short test message through the channel; exits 1 unless it went through
  channels remove NAME
                     Remove the channel and forget its secret
  incidents [--all]  The unresolved incidents (--all: also the resolved ones); exits 1 if one is open and unacknowledged
  incidents ack ID [--note TEXT]
                     Acknowledge an incident (ID: its id or a prefix of 6 characters or more) as this computer's
                     volunteer, and add the note to its timeline

Options:
  --data-dir DIR     Data directory (default: $PELOTE_DATA_DIR, else $XDG_DATA_HOME/pelote)
  --json             Machine-readable output
  -h, --help         Show this help
  -v, --version      Show the version
`;

/** Runs one CLI invocation and returns its exit code: 0 done, 1 failed, 2 usage mistake. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let json = false;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
        port: { type: 'string' },
        format: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        kind: { type: 'string' },
        output: { type: 'string' },
        server: { type: 'string' },
        target: { type: 'string' },
        repository: { type: 'string' },
        'password-file': { type: 'string' },
        'key-file': { type: 'string' },
        identity: { type: 'string' },
        fingerprint: { type: 'string' },
        'passphrase-file': { type: 'string' },
        'passphrase-env': { type: 'string' },
        'share-with-team': { type: 'boolean', default: false },
        stop: { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        host: { type: 'string' },
        security: { type: 'string' },
        username: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string', multiple: true },
        url: { type: 'string' },
        topic: { type: 'string' },
        priority: { type: 'string' },
        homeserver: { type: 'string' },
        room: { type: 'string' },
        preset: { type: 'string' },
        'token-file': { type: 'string' },
        'url-file': { type: 'string' },
        all: { type: 'boolean', default: false },
        note: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    json = values.json;
    if (values.help) return write(io.stdout, HELP, 0);
    if (values.version) return write(io.stdout, `${APP_VERSION}\n`, 0);
    const ctx = { io, json, dataDir: resolveDataDir(values['data-dir'], io.env) };
    const [command, ...rest] = positionals;
    switch (command) {
      case 'db':
        await dbCommand(ctx, rest);
        return 0;
      case 'serve':
        await serveCommand(ctx, values.port === undefined ? rest : ['--port', values.port, ...rest]);
        return 0;
      case 'members':
        membersCommand(ctx, rest, {
          dryRun: values['dry-run'],
          force: values.force,
          ...(values.format === undefined ? {} : { format: values.format }),
          ...(values.kind === undefined ? {} : { kind: values.kind }),
          ...(values.output === undefined ? {} : { output: values.output }),
        });
        return 0;
      case 'check':
        return await checkCommand(ctx, values.server);
      case 'backup':
      case 'restore': {
        const options = {
          yes: values.yes,
          shareWithTeam: values['share-with-team'],
          stop: values.stop,
          ...(values.server === undefined ? {} : { server: values.server }),
          ...(values.target === undefined ? {} : { target: values.target }),
          ...(values.repository === undefined ? {} : { repository: values.repository }),
          ...(values['password-file'] === undefined ? {} : { passwordFile: values['password-file'] }),
        };
        return await (command === 'backup' ? backupCommand(ctx, rest, options) : restoreCommand(ctx, rest, options));
      }
      case 'sync':
        return await syncCommand(ctx, rest, {
          ...(values['key-file'] === undefined ? {} : { keyFile: values['key-file'] }),
          ...(values.identity === undefined ? {} : { identity: values.identity }),
          ...(values.fingerprint === undefined ? {} : { fingerprint: values.fingerprint }),
          ...(values['passphrase-file'] === undefined ? {} : { passphraseFile: values['passphrase-file'] }),
          ...(values['passphrase-env'] === undefined ? {} : { passphraseEnv: values['passphrase-env'] }),
        });
      case 'channels': {
        const { host, port, security, username, from, to, url, topic, priority, homeserver, room, preset } = values;
        const given = { host, port, security, username, from, to, url, topic, priority, homeserver, room, preset, passwordFile: values['password-file'], tokenFile: values['token-file'], urlFile: values['url-file'] };
        return await channelsCommand(ctx, rest, Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)));
      }
      case 'incidents':
        return incidentsCommand(ctx, rest, { all: values.all, ...(values.note === undefined ? {} : { note: values.note }) });
      case undefined:
        return write(io.stdout, HELP, 0);
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (error) {
    return reportError(io, json, error);
  }
}

function write(stream: (text: string) => void, text: string, code: number): number {
  stream(text);
  return code;
}

/** One clear line on stderr (JSON with --json), never a stack trace for an expected failure. */
function reportError(io: CliIo, json: boolean, error: unknown): number {
  const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  const code = error instanceof CoreError ? error.code : usage ? 'usage' : 'internal';
  const message = error instanceof Error ? error.message : String(error);
  const line = json
    ? JSON.stringify({ ok: false, error: { code, message } })
    : `pelote: ${message}${usage ? " (see 'pelote --help')" : ''}`;
  io.stderr(`${line}\n`);
  return usage ? 2 : 1;
}
