import { EventEmitter } from 'node:events';
import type { EventName, PayloadOf } from '../contract';

/** Core → faces: each face forwards these to its renderers (IPC or WebSocket). */
export class CoreEvents {
  private readonly emitter = new EventEmitter();

  emit<E extends EventName>(name: E, payload: PayloadOf<E>): void {
    this.emitter.emit('event', name, payload);
  }

  /** Listen to every event; returns the unsubscribe function. */
  onAny(listener: (name: EventName, payload: unknown) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
