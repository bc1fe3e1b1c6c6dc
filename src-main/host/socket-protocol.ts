// The browser host's WebSocket messages, shared by the host and the renderer's bridge.
import type { Result } from '../contract/result';

/** The page's first message: the access key it read from the fragment of the URL `pelote serve` printed. */
export interface AuthMessage {
  type: 'auth';
  token: string;
}

/** A contract call, sent once the socket is authenticated. */
export interface CallMessage {
  id: number;
  method: string;
  args?: unknown;
}

export type HostMessage =
  | { type: 'auth'; ok: true }
  /** `id` is null when the message was not a call at all (protocol_error). */
  | { type: 'result'; id: number | null; result: Result<unknown> }
  | { type: 'event'; name: string; payload: unknown };

/** The host closes a socket that did not authenticate with this code: the page must not retry with the same key. */
export const AUTH_REFUSED = 4401;
