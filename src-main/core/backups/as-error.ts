/** What a catch clause caught, as an Error to rethrow (everything the core throws already is one). */
export const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
