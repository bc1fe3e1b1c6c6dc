/** A failure the user can act on: a stable code the UI translates, an English message for logs and the CLI. */
export class CoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}
