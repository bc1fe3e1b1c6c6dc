/** Where a command writes; tests pass buffers, the binary passes process streams. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Resolves when the user asks a long-running command (serve) to stop. */
  stopSignal: () => Promise<void>;
}

export interface CliContext {
  io: CliIo;
  dataDir: string;
  json: boolean;
}

/** Prints a result as JSON (`--json`, for scripts) or as human-readable lines. */
export function output(ctx: CliContext, value: unknown, human: () => string): void {
  ctx.io.stdout(ctx.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/** A usage mistake: exit code 2, as most Unix tools do. */
export class UsageError extends Error {}
