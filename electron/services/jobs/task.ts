// What a task (the body of a job, run inside a worker thread) sees.
import type { AppErrorData } from '../../../shared/result.js';
import type { JobKind } from '../../../shared/contract/index.js';

export interface TaskContext {
  /** Aborted when the user cancels; tasks pass it to streams and check it between steps. */
  signal: AbortSignal;
  /** Report progress; calls are throttled, so call as often as convenient. */
  progress(fraction: number | null, message: string): void;
  workspaceRoot: string;
}

export type Task<I = unknown, O = unknown> = (input: I, ctx: TaskContext) => Promise<O>;

export interface WorkerStart {
  jobId: string;
  kind: JobKind;
  input: unknown;
  workspaceRoot: string;
}

export type ToWorker = { type: 'cancel' };
export type FromWorker =
  | { type: 'progress'; progress: number | null; message: string }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: AppErrorData };

/** Throttle progress to at most one message per `intervalMs`, always letting 0 and 1 through. */
export function throttleProgress(send: (p: number | null, m: string) => void, intervalMs = 100) {
  let last = 0;
  return (p: number | null, m: string) => {
    const now = Date.now();
    if (p === 0 || p === 1 || now - last >= intervalMs) {
      last = now;
      send(p, m);
    }
  };
}
