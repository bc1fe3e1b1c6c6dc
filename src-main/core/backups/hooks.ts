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
  let first: Error | null = null;
  for (const words of hooks) {
    try {
      await runHook(pool, target, words, phase, ctx);
    } catch (error) {
      if (phase === 'before') throw error;
      ctx.error(error instanceof Error ? error.message : String(error));
      first ??= asError(error);
    }
  }
  if (first !== null) throw first;
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
