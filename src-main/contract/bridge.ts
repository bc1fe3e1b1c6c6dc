import type { Result } from './result';

/** What the preload exposes as `window.pelote`; the browser host's WebSocket client offers the same shape. */
export interface PeloteBridge {
  invoke(method: string, args: unknown): Promise<Result<unknown>>;
  /** Every pushed event; returns the unsubscribe function. */
  on(listener: (name: string, payload: unknown) => void): () => void;
}
