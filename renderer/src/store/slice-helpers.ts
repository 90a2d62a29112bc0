// What the datasets and notebooks slices share: registrations by path or dropped file, with
// upload progress and cancel, and loads where only the newest answer may be written.
import type { Job } from '../../../shared/contract/index.js';
import type { AppErrorData, Result } from '../../../shared/result.js';
import type { Transport } from '../../../shared/transport.js';
import type { AppState, LoadStatus } from './types.js';

/**
 * A registration the user started here: by path (register dialog) or by dropping a file, which
 * in browser mode is uploaded first. Once its job exists, the job (jobsById) tells the rest.
 */
export interface Registration {
  id: string;
  /** The file name or path it started from. */
  label: string;
  /** The name asked for; null lets the backend name it after the file. */
  name: string | null;
  stage: 'uploading' | 'starting' | 'started' | 'failed' | 'cancelled';
  /** Upload progress 0..1 while a dropped file is sent to the backend (browser mode). */
  upload: number | null;
  jobId: string | null;
  /** Why it could not start (the upload or the register call failed); a job's own failure is on the job. */
  error: AppErrorData | null;
}

/** What a register request has at least; a feature adds its own options. */
export interface PathRequest {
  path: string;
  name?: string;
}

export interface RegistrationsOptions<R extends PathRequest> {
  /** The ids are `${idPrefix}-1`, `${idPrefix}-2`, … */
  idPrefix: string;
  get: () => AppState;
  /** The slice's list of registrations, newest first, and how to replace it. */
  list: (s: AppState) => Registration[];
  setList: (list: Registration[]) => void;
  /** Start the register job for a path. */
  startJob: (request: R) => Promise<Result<Job>>;
}

/** The registrations of one slice: add, start, upload, cancel, dismiss. */
export function createRegistrations<R extends PathRequest>(transport: Transport, o: RegistrationsOptions<R>) {
  let next = 0;
  // Not state: an AbortController is no value to render, only a handle to stop an upload.
  const uploads = new Map<string, AbortController>();
  const list = () => o.list(o.get());
  const exists = (id: string) => list().some((x) => x.id === id);
  const patch = (id: string, change: Partial<Registration>) => o.setList(list().map((r) => (r.id === id ? { ...r, ...change } : r)));

  const add = (label: string, name: string | null, stage: Registration['stage']): string => {
    next += 1;
    const id = `${o.idPrefix}-${next}`;
    const registration: Registration = { id, label, name, stage, upload: stage === 'uploading' ? 0 : null, jobId: null, error: null };
    o.setList([registration, ...list()]);
    return id;
  };

  const start = async (id: string, request: R) => {
    patch(id, { stage: 'starting', error: null });
    const r = await o.startJob(request);
    if (!exists(id)) return;
    if (!r.ok) {
      patch(id, { stage: 'failed', error: r.error });
      return;
    }
    o.get().jobUpdated(r.value);
    patch(id, { stage: 'started', jobId: r.value.id });
  };

  return {
    /** Register by path; answers the registration's id. */
    async register(request: R): Promise<string> {
      const id = add(request.path.trim(), request.name?.trim() || null, 'starting');
      await start(id, request);
      return id;
    },

    /** A dropped file: turn it into a path (upload in browser mode), then register it. */
    async registerFile(file: File, options: Omit<R, 'path'>): Promise<string> {
      const id = add(file.name, options.name?.trim() || null, 'uploading');
      const controller = new AbortController();
      uploads.set(id, controller);
      const path = await transport.fileToPath(file, {
        signal: controller.signal,
        onProgress: (fraction) => patch(id, { upload: fraction }),
      });
      uploads.delete(id);
      if (!exists(id)) return id;
      if (!path.ok) {
        patch(id, path.error.code === 'CANCELLED' ? { stage: 'cancelled', error: null } : { stage: 'failed', error: path.error });
        return id;
      }
      await start(id, { ...options, path: path.value } as R);
      return id;
    },

    /** Something dropped that cannot be registered: say why, as a failed registration. */
    reject(label: string, error: AppErrorData): void {
      const id = add(label, null, 'failed');
      patch(id, { error });
    },

    async cancel(id: string): Promise<void> {
      const registration = list().find((r) => r.id === id);
      if (!registration) return;
      const upload = uploads.get(id);
      if (upload) upload.abort();
      else if (registration.jobId) await o.get().cancelJob(registration.jobId);
    },

    dismiss(id: string): void {
      uploads.get(id)?.abort();
      o.setList(list().filter((r) => r.id !== id));
    },

    /** Stop the uploads (the workspace changed); the caller clears the list with its other state. */
    abortAll(): void {
      for (const controller of uploads.values()) controller.abort();
      uploads.clear();
    },
  };
}

type KeysOf<V> = { [K in keyof AppState]: AppState[K] extends V ? K : never }[keyof AppState];

export interface LoaderOptions<T> {
  status: KeysOf<LoadStatus>;
  error: KeysOf<AppErrorData | null>;
  /** Clear the last error when a load starts (a detail); a list keeps it until its answer. */
  clearErrorOnStart?: boolean;
  /** What a successful answer writes besides the status. */
  ready: (value: T) => Partial<AppState>;
}

/**
 * A load into a status and error pair. Answers can cross: only the newest call may write its
 * answer, and invalidate() makes every call in flight stale.
 */
export function createLoader<T>(set: (patch: Partial<AppState>) => void, o: LoaderOptions<T>) {
  let request = 0;
  const write = (patch: Record<string, unknown>) => set(patch as Partial<AppState>);
  return {
    async load(call: () => Promise<Result<T>>): Promise<void> {
      const mine = ++request;
      write(o.clearErrorOnStart ? { [o.status]: 'loading', [o.error]: null } : { [o.status]: 'loading' });
      const r = await call();
      if (mine !== request) return;
      if (!r.ok) write({ [o.status]: 'failed', [o.error]: r.error });
      else write({ ...o.ready(r.value), [o.status]: 'ready', [o.error]: null });
    },
    invalidate(): void {
      request += 1;
    },
  };
}

export type Keyed<T> = { key: string; value: T };

/** An answer tagged with what it answers, so a page can tell whether it is the one it shows. */
export async function keyed<T>(key: string, answer: Promise<Result<T>>): Promise<Result<Keyed<T>>> {
  const r = await answer;
  return r.ok ? { ok: true, value: { key, value: r.value } } : r;
}
