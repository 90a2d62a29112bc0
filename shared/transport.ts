// What the renderer (and any other client) talks to; it never knows which transport it has.
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from './contract/index.js';
import type { Result } from './result.js';

export interface Transport {
  readonly kind: 'electron' | 'browser';
  invoke<N extends MethodName>(method: N, input: MethodInput<N>): Promise<Result<MethodOutput<N>>>;
  /** Returns an unsubscribe function. */
  subscribe<N extends EventName>(event: N, listener: (payload: EventPayload<N>) => void): () => void;
  /**
   * A path the backend can read for a file the user dropped on the page: its own path in the
   * desktop app; in browser mode the file is uploaded into the open workspace first.
   */
  fileToPath(file: File, options?: { onProgress?: (fraction: number) => void; signal?: AbortSignal }): Promise<Result<string>>;
}

/** The API the preload exposes on window.greenhouse in the desktop app. */
export interface PreloadApi {
  invoke(method: string, input: unknown): Promise<unknown>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
  /** The path of a dropped or picked File (Electron's webUtils.getPathForFile); '' when it has none. */
  pathForFile(file: File): string;
}

/** Names shared by the Electron IPC adapter and the preload. */
/** Browser mode: `PUT` a dropped file's bytes here (query: name); answers a Result of { path }. */
export const UPLOAD_ENDPOINT = '/api/upload';

export const ipcChannel = {
  invoke: (method: string) => `rpc:${method}`,
  event: (name: string) => `event:${name}`,
};
