// Remote commands are text that the server's login shell parses, so every argument is quoted here and the pool only
// runs commands built by this module: user text can never reach a shell unquoted.
import { CoreError } from '../errors';

declare const remoteCommand: unique symbol;

/** A command line for the remote shell, built only by `command()` or `script()`. */
export interface RemoteCommand {
  readonly text: string;
  readonly [remoteCommand]: true;
}

// Words made only of these characters mean the same quoted or not in sh, dash, bash and zsh: left bare for
// readable commands. `=` and `~` are absent on purpose (zsh expands a leading `=word`, shells a leading `~`).
const BARE_WORD = /^[A-Za-z0-9_./:@%+,-]+$/;

const issued = new WeakSet<RemoteCommand>();

/** One shell word that the remote shell reads back as exactly `arg` (POSIX single-quote escaping). */
export function quote(arg: string): string {
  assertNoNul(arg);
  if (BARE_WORD.test(arg)) return arg;
  // Inside single quotes nothing is special; a quote itself closes, is escaped, and reopens: ' → '\''
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** `program` run with `args`, each passed as one word whatever it contains. */
export function command(program: string, ...args: string[]): RemoteCommand {
  return issue([program, ...args].map(quote).join(' '));
}

/**
 * A fixed script shipped in Pelote's code (the health probe...), run as is by the remote shell. NEVER for user text
 * or anything interpolated: the parameter only accepts a string literal type, so `script(`ls ${dir}`)` or
 * `script(someString)` does not compile. Pass variable parts with `command()` instead.
 */
export function script<const T extends string>(text: string extends T ? never : T): RemoteCommand {
  return issue(text);
}

/** Whether `value` came from `command()` or `script()`, for the pool's check at run time (casts do not pass). */
export function isRemoteCommand(value: unknown): value is RemoteCommand {
  return typeof value === 'object' && value !== null && issued.has(value as RemoteCommand);
}

function issue(text: string): RemoteCommand {
  assertNoNul(text);
  const cmd = Object.freeze({ text }) as RemoteCommand;
  issued.add(cmd);
  return cmd;
}

function assertNoNul(text: string): void {
  // A C string ends at NUL: the server would silently run a truncated command.
  if (text.includes('\0')) throw new CoreError('invalid_argument_nul', 'A remote command argument contains a NUL byte');
}
