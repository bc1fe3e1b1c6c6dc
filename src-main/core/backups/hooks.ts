// A job's before/after commands, run one after the other on the server.
import type { HookCommand } from '../../contract';
import { CoreError } from '../errors';
import { asError } from './as-error';
import type { SshPool, SshTarget } from '../ssh';
import { hookCommand } from './remote-commands';
import { lastLine } from './remote-snapshot';
import type { RunContext } from './run-context';

/** A maintenance command may take a while (a service stopping), never forever. */
const HOOK_TIMEOUT_MS = 10 * 60_000;

export type HookPhase = 'before' | 'after' | 'after_restore';

/**
 * Runs the commands in order. Before a backup the first failure stops the list; after it every command still runs
 * (maintenance mode off, then the service restarted), and the first failure is thrown at the end.
 */
export async function runHooks(pool: SshPool, target: SshTarget, hooks: HookCommand[], phase: HookPhase, ctx: RunContext): Promise<void> {
  if (phase === 'before') {
    for (const words of hooks) await runHook(pool, target, words, phase, ctx);
    return;
  }
  const [first] = await runEach(pool, target, hooks, phase, ctx);
  if (first !== undefined) throw first;
}

/**
 * A backup's after commands, every one run: 'ran' when all exited 0, 'failed' when all reached the server and one
 * exited non-zero, 'pending' when one could not be run (server unreachable, host key changed, timeout…) and must be
 * tried again. `error` is the first failure.
 */
export async function runAfterCommands(
  pool: SshPool,
  target: SshTarget,
  hooks: HookCommand[],
  ctx: RunContext,
): Promise<{ state: 'ran' | 'failed' | 'pending'; error: Error | null }> {
  const errors = await runEach(pool, target, hooks, 'after', ctx);
  const ranOnServer = (error: Error) => error instanceof CoreError && error.code === 'backup_hook_failed';
  return { state: errors.length === 0 ? 'ran' : errors.every(ranOnServer) ? 'failed' : 'pending', error: errors[0] ?? null };
}

/** Each command whatever the previous ones did; their errors, logged, in order. */
async function runEach(pool: SshPool, target: SshTarget, hooks: HookCommand[], phase: HookPhase, ctx: RunContext): Promise<Error[]> {
  const errors: Error[] = [];
  for (const words of hooks) {
    try {
      await runHook(pool, target, words, phase, ctx);
    } catch (error) {
      ctx.error(error instanceof Error ? error.message : String(error));
      errors.push(asError(error));
    }
  }
  return errors;
}

async function runHook(pool: SshPool, target: SshTarget, words: HookCommand, phase: HookPhase, ctx: RunContext): Promise<void> {
  const shown = words.join(' ');
  ctx.info(`${phase}: ${shown}`);
  const result = await pool.exec(target, hookCommand(words), { timeoutMs: HOOK_TIMEOUT_MS });
  if (result.code !== 0) {
    throw new CoreError('backup_hook_failed', `The ${phase.replace('_', '-')} command "${shown}" failed (exit ${String(result.code)}): ${lastLine(result.stderr)}`, {
      phase,
      command: shown,
      exitCode: result.code,
      stderr: result.stderr.slice(-2000),
    });
  }
}
