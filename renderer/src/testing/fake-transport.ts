// A Transport for tests: answers from handlers you give it, records calls, emits events on demand.
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../../shared/contract/index.js';
import { DEFAULT_REMEDY, type ErrorCode } from '../../../shared/errors.js';
import type { Result } from '../../../shared/result.js';
import type { Transport } from '../../../shared/transport.js';

type Answer<N extends MethodName> = Result<MethodOutput<N>> | MethodOutput<N>;
export type FakeHandlers = { [N in MethodName]?: (input: MethodInput<N>) => Answer<N> | Promise<Answer<N>> };

/** Stands in for fileToPath: a path, or an envelope (e.g. a failure); may report progress. */
export type FakeFileToPath = (
  file: File,
  options: { onProgress?: (fraction: number) => void; signal?: AbortSignal },
) => Result<string> | string | Promise<Result<string> | string>;

export interface FakeTransport extends Transport {
  calls: { method: MethodName; input: unknown }[];
  /** Files given to fileToPath, in order. */
  files: File[];
  /** Replace or add handlers. */
  handle(handlers: FakeHandlers): void;
  /** How fileToPath answers; by default it fails as a file without a path does. */
  handleFileToPath(fn: FakeFileToPath): void;
  emit<N extends EventName>(event: N, payload: EventPayload<N>): void;
  listenerCount(event: EventName): number;
}

export const fail = (code: ErrorCode, message: string, remedy: string = DEFAULT_REMEDY[code]): Result<never> => ({
  ok: false,
  error: { code, message, remedy },
});

const isEnvelope = (v: unknown): v is Result<unknown> =>
  typeof v === 'object' && v !== null && 'ok' in v && typeof (v as { ok: unknown }).ok === 'boolean';

export function createFakeTransport(initial: FakeHandlers = {}): FakeTransport {
  const handlers: FakeHandlers = { ...initial };
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: FakeTransport['calls'] = [];
  const files: File[] = [];
  let fileToPath: FakeFileToPath = () => fail('INVALID_INPUT', 'No fake fileToPath handler.', 'Drop a file from your file manager.');
  return {
    kind: 'browser',
    calls,
    files,
    handle(more) {
      Object.assign(handlers, more);
    },
    handleFileToPath(fn) {
      fileToPath = fn;
    },
    async fileToPath(file, options = {}) {
      files.push(file);
      const answer = await fileToPath(file, options);
      return typeof answer === 'string' ? { ok: true, value: answer } : answer;
    },
    async invoke<N extends MethodName>(method: N, input: MethodInput<N>): Promise<Result<MethodOutput<N>>> {
      calls.push({ method, input });
      const handler = handlers[method] as ((i: MethodInput<N>) => Answer<N> | Promise<Answer<N>>) | undefined;
      if (!handler) return fail('INTERNAL', `No fake handler for ${method}`);
      const answer = await handler(input);
      return isEnvelope(answer) ? (answer as Result<MethodOutput<N>>) : { ok: true, value: answer as MethodOutput<N> };
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    listenerCount(event) {
      return listeners.get(event)?.size ?? 0;
    },
  };
}
