// For the CLI's tests: one invocation with its outputs captured, as a shell would see them.
import { runCli } from '../cli/run';

export interface CapturedRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `stopSignal` resolves at once by default: `serve` returns; pass a never-resolving one to let a run go to its end. */
export async function runCaptured(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; stopSignal?: () => Promise<void> } = {},
): Promise<CapturedRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: options.env ?? {},
    stopSignal: options.stopSignal ?? (() => Promise.resolve()),
  });
  return { code, stdout, stderr };
}
