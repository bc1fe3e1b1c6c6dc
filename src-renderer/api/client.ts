import type { ArgsOf, EventName, MethodName, PayloadOf, Result, ResultOf } from '../../src-main/contract';
import type { PeloteBridge } from '../../src-main/contract/bridge';
import { createWebSocketBridge } from './ws-bridge';

declare global {
  interface Window {
    pelote?: PeloteBridge;
  }
}

/** Electron's preload bridge when present, otherwise the browser host's WebSocket. */
const bridge: PeloteBridge = window.pelote ?? createWebSocketBridge();

export const isElectron = window.pelote !== undefined;

export function call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<Result<ResultOf<M>>> {
  return bridge.invoke(method, args) as Promise<Result<ResultOf<M>>>;
}

export function onEvent<E extends EventName>(name: E, listener: (payload: PayloadOf<E>) => void): () => void {
  return bridge.on((eventName, payload) => {
    if (eventName === name) listener(payload as PayloadOf<E>);
  });
}
