import type { z } from 'zod';

/** A method: its argument schema (validated in main) and, as a phantom type, its result. */
export interface MethodSpec<A extends z.ZodType, R> {
  args: A;
  readonly result?: R;
}

/** `method<Result>()(argsSchema)`: curried so the result type is explicit and the schema inferred. */
export const method =
  <R>() =>
  <A extends z.ZodType>(args: A): MethodSpec<A, R> => ({ args });

/** A pushed event (main → renderer) and its payload type. */
export interface EventSpec<P> {
  readonly payload?: P;
}
export const event = <P>(): EventSpec<P> => ({});
