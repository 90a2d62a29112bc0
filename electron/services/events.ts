import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../shared/contract/index.js';

export type AnyEventListener = (name: EventName, payload: unknown) => void;

/** Typed fan-out of contract events to whichever adapters are attached. */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    this.emitter.emit('event', name, payload);
  }

  /** Listen to every event; returns an unsubscribe function. */
  onAny(listener: AnyEventListener): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
