import type { MethodName, ParsedArgsOf, ResultOf } from '../contract';

/** A handler receives arguments already validated by the contract's schema. */
export type Handler<M extends MethodName> = (args: ParsedArgsOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;

export type HandlersFor<M extends MethodName> = { [K in M]: Handler<K> };

export type Handlers = HandlersFor<MethodName>;
