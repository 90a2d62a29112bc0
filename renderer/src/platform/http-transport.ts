// Browser mode: RPC over `POST /api/rpc/<method>` and events over a WebSocket, both on the
// origin that served the page (the `greenhouse serve` host, authenticated by its cookie).
import { z } from 'zod';
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../../shared/contract/index.js';
import { DEFAULT_REMEDY } from '../../../shared/errors.js';
import type { Result } from '../../../shared/result.js';
import { UPLOAD_ENDPOINT, type Transport } from '../../../shared/transport.js';
import { asEnvelope, failure } from './envelope.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface HttpTransportOptions {
  /** Origin of the host, e.g. http://127.0.0.1:4321. */
  origin: string;
  fetch?: typeof fetch;
  WebSocket?: typeof WebSocket;
  /** For uploads: fetch cannot report upload progress, XMLHttpRequest can. */
  XMLHttpRequest?: typeof XMLHttpRequest;
  /** First reconnect delay; doubles up to maxReconnectMs. */
  reconnectMs?: number;
  maxReconnectMs?: number;
}

export const UNREACHABLE_MESSAGE = 'The Greenhouse backend is not reachable.';
const UNREACHABLE_REMEDY =
  'Check that "greenhouse serve" is still running in its terminal, then reload this page. If you restarted it, open the new URL it printed.';

type Listener = (payload: unknown) => void;

const uploadAnswer = z.object({ path: z.string().min(1) });

export class HttpTransport implements Transport {
  readonly kind = 'browser' as const;
  private readonly fetchImpl: typeof fetch;
  private readonly WebSocketImpl: typeof WebSocket;
  private readonly XhrImpl: typeof XMLHttpRequest;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly stateListeners = new Set<(state: ConnectionState, reconnected: boolean) => void>();
  private socket: WebSocket | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private everOpened = false;
  private disposed = false;

  constructor(private readonly options: HttpTransportOptions) {
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.WebSocketImpl = options.WebSocket ?? globalThis.WebSocket;
    this.XhrImpl = options.XMLHttpRequest ?? globalThis.XMLHttpRequest;
  }

  async invoke<N extends MethodName>(method: N, input: MethodInput<N>): Promise<Result<MethodOutput<N>>> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.options.origin}/api/rpc/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
      });
    } catch {
      return failure('INTERNAL', UNREACHABLE_MESSAGE, UNREACHABLE_REMEDY);
    }
    if (response.status === 401) {
      return failure('UNAUTHORIZED', 'This page is not signed in to the Greenhouse backend.', DEFAULT_REMEDY.UNAUTHORIZED);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return failure(
        'INTERNAL',
        `The Greenhouse backend answered ${method} with HTTP ${response.status} and no result.`,
        response.status >= 500 ? UNREACHABLE_REMEDY : DEFAULT_REMEDY.INTERNAL,
      );
    }
    return asEnvelope<MethodOutput<N>>(body, method);
  }

  /**
   * The backend cannot read the browser's files: upload the bytes into the open workspace
   * (`PUT /api/upload?name=…`, streamed to disk by the host) and answer the path it stored them at.
   */
  fileToPath(file: File, options: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {}): Promise<Result<string>> {
    const { onProgress, signal } = options;
    const cancelled = () =>
      failure('CANCELLED', `The upload of ${file.name} was cancelled.`, 'Nothing was registered. Drop the file again when you are ready.');
    if (signal?.aborted) return Promise.resolve(cancelled());
    return new Promise((resolve) => {
      const xhr = new this.XhrImpl();
      const onAbort = () => xhr.abort();
      const done = (result: Result<string>) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      // Same origin: the session cookie goes along as it does for fetch's credentials 'same-origin'.
      xhr.open('PUT', `${this.options.origin}${UPLOAD_ENDPOINT}?name=${encodeURIComponent(file.name)}`);
      xhr.withCredentials = false;
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) onProgress?.(e.loaded / e.total);
      };
      xhr.onload = () => {
        if (xhr.status === 401) {
          done(failure('UNAUTHORIZED', 'This page is not signed in to the Greenhouse backend.', DEFAULT_REMEDY.UNAUTHORIZED));
          return;
        }
        let body: unknown;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          done(
            failure(
              'INTERNAL',
              `The Greenhouse backend answered the upload of ${file.name} with HTTP ${xhr.status} and no result.`,
              xhr.status >= 500 ? UNREACHABLE_REMEDY : DEFAULT_REMEDY.INTERNAL,
            ),
          );
          return;
        }
        const envelope = asEnvelope<unknown>(body, 'the upload');
        if (!envelope.ok) {
          done(envelope);
          return;
        }
        const answer = uploadAnswer.safeParse(envelope.value);
        if (!answer.success) {
          done(asEnvelope<string>(null, 'the upload'));
          return;
        }
        onProgress?.(1);
        done({ ok: true, value: answer.data.path });
      };
      xhr.onerror = () => done(failure('INTERNAL', UNREACHABLE_MESSAGE, UNREACHABLE_REMEDY));
      xhr.onabort = () => done(cancelled());
      signal?.addEventListener('abort', onAbort, { once: true });
      xhr.send(file);
    });
  }

  subscribe<N extends EventName>(event: N, listener: (payload: EventPayload<N>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const l = listener as Listener;
    set.add(l);
    this.ensureSocket();
    return () => {
      set.delete(l);
    };
  }

  /** Connection changes of the event stream; `reconnected` is true when it came back after a drop. */
  onConnectionChange(listener: (state: ConnectionState, reconnected: boolean) => void): () => void {
    this.stateListeners.add(listener);
    return () => {
      this.stateListeners.delete(listener);
    };
  }

  /** Close the event stream for good (tests, page teardown). */
  dispose(): void {
    this.disposed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.socket?.close();
    this.socket = null;
  }

  private ensureSocket(): void {
    if (this.socket || this.reconnectTimer || this.disposed) return;
    this.connect();
  }

  private connect(): void {
    this.reconnectTimer = null;
    const url = `${this.options.origin.replace(/^http/, 'ws')}/api/events`;
    let socket: WebSocket;
    try {
      socket = new this.WebSocketImpl(url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.emitState('connecting', false);
    socket.onopen = () => {
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      this.emitState('open', reconnected);
    };
    socket.onmessage = (message: MessageEvent) => this.deliver(message.data);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.emitState('closed', false);
      this.scheduleReconnect();
    };
    // An error is always followed by close; reconnecting happens there.
    socket.onerror = () => undefined;
  }

  private scheduleReconnect(): void {
    if (this.disposed) return;
    const base = this.options.reconnectMs ?? 500;
    const max = this.options.maxReconnectMs ?? 10_000;
    const delay = Math.min(max, base * 2 ** this.attempt);
    this.attempt += 1;
    // A little jitter so several tabs do not knock at the same instant.
    this.reconnectTimer = setTimeout(() => this.connect(), delay + Math.floor(Math.random() * (delay / 4)));
  }

  private deliver(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const { event, payload } = message as { event?: unknown; payload?: unknown };
    if (typeof event !== 'string') return;
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        listener(payload);
      } catch (e) {
        console.error(`Listener of ${event} failed`, e);
      }
    }
  }

  private emitState(state: ConnectionState, reconnected: boolean): void {
    for (const l of [...this.stateListeners]) l(state, reconnected);
  }
}
