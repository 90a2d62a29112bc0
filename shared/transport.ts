// What the renderer (and any other client) talks to; it never knows which transport it has.
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from './contract/index.js';
import type { Result } from './result.js';

export interface Transport {
  readonly kind: 'electron' | 'browser';
  invoke<N extends MethodName>(method: N, input: MethodInput<N>): Promise<Result<MethodOutput<N>>>;
  /** Returns an unsubscribe function. */
  subscribe<N extends EventName>(event: N, listener: (payload: EventPayload<N>) => void): () => void;
}

/** The API the preload exposes on window.greenhouse in the desktop app. */
export interface PreloadApi {
  invoke(method: string, input: unknown): Promise<unknown>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

/** Names shared by the Electron IPC adapter and the preload. */
export const ipcChannel = {
  invoke: (method: string) => `rpc:${method}`,
  event: (name: string) => `event:${name}`,
};
