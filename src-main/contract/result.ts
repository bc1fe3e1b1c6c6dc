/** Every call across the contract resolves to one of these; nothing throws across a process boundary. */
export interface ApiError {
  /** Stable code the renderer translates (`errors.<code>`). */
  code: string;
  /** English fallback for logs and the CLI. */
  message: string;
  /** Structured context: zod issues for `invalid_argument`, interpolation params otherwise. */
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: ApiError): Result<never> => ({ ok: false, error });
