import { contract, isMethodName } from '../contract';
import type { MethodName, Result } from '../contract';
import { busyAsCoreError } from './db/write-transaction';
import { CoreError } from './errors';
import type { Handler, Handlers } from './handler-types';

/**
 * The boundary every face calls through: unknown methods and arguments that fail the contract's schema are refused
 * before any core code runs, so an invalid call can never write anything.
 */
export async function dispatch(handlers: Handlers, method: unknown, args: unknown): Promise<Result<unknown>> {
  if (!isMethodName(method)) {
    return { ok: false, error: { code: 'unknown_method', message: `Unknown method: ${String(method)}` } };
  }
  const parsed = contract[method].args.safeParse(args ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'invalid_argument',
        message: `Invalid arguments for ${method}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
        details: { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), code: i.code, message: i.message })) },
      },
    };
  }
  try {
    const handler: Handler<MethodName> = handlers[method];
    return { ok: true, value: await handler(parsed.data) };
  } catch (thrown) {
    // A write outside writeTransaction (a single autocommit statement) can still meet the lock.
    const error = busyAsCoreError(thrown);
    if (error instanceof CoreError) {
      return { ok: false, error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
    }
    console.error(`[pelote] ${method} failed:`, error);
    return { ok: false, error: { code: 'internal', message: 'Internal error' } };
  }
}
