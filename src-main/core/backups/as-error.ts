/** What a catch clause caught, as an Error to rethrow (everything the core throws already is one). */
export const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** A remote command's exit, or why it never came (timeout, cancel, lost connection), without throwing. */
export async function settled<T>(exit: Promise<T>): Promise<{ exit: T | null; error: Error | null }> {
  try {
    return { exit: await exit, error: null };
  } catch (error) {
    return { exit: null, error: asError(error) };
  }
}
