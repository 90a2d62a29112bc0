import type { Writable } from 'node:stream';
import type { Job, MethodInput, MethodName, MethodOutput } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { AppErrorData } from '../../../shared/result.js';
import type { Backend } from '../../services/backend.js';
import { dispatch } from '../../services/rpc/dispatch.js';

export interface CliIo {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A failure the CLI reports and exits 1 on. */
export class CliFailure extends Error {
  /** `quietWhenJson`: the JSON already printed on stdout tells the story; only the exit code is added. */
  constructor(
    readonly error: AppErrorData,
    readonly quietWhenJson = false,
  ) {
    super(error.message);
  }
}

/** Call the backend through the same contract validation as the app's transports. */
export async function call<N extends MethodName>(backend: Backend, method: N, input: MethodInput<N>): Promise<MethodOutput<N>> {
  const result = await dispatch(backend.handlers, method, input);
  if (!result.ok) throw new CliFailure(result.error);
  return result.value as MethodOutput<N>;
}

/** NAME or NAME@VERSION, as every "show" command takes it. */
export function parseRef(ref: string): { name: string; version?: number } {
  const m = /^(.*)@(\d+)$/.exec(ref);
  if (!m) return { name: ref };
  return { name: m[1]!, version: Number(m[2]) };
}

export const line = (stream: Writable, text = '') => stream.write(`${text}\n`);

export function printError(io: CliIo, json: boolean, e: unknown) {
  const error =
    e instanceof CliFailure ? e.error : e instanceof AppError ? e.toData() : new AppError('INTERNAL', (e as Error)?.message ?? String(e)).toData();
  if (json && e instanceof CliFailure && e.quietWhenJson) return;
  if (json) line(io.stdout, JSON.stringify({ ok: false, error }));
  else {
    line(io.stderr, `greenhouse: ${error.message}`);
    line(io.stderr, `  what to do: ${error.remedy}`);
  }
}

/**
 * Show a job's progress on stderr until it ends; the job's final state decides success.
 * Ctrl+C (SIGINT) cancels the job rather than killing the process mid-write.
 */
export async function followJob(backend: Backend, io: CliIo, job: Job, quiet: boolean, signals: NodeJS.EventEmitter = process): Promise<Job> {
  const tty = Boolean(io.stderr.isTTY) && !quiet;
  // Without a terminal, a line every 2 s: a short job prints nothing.
  let lastPrinted = Date.now();
  const off = backend.events.onAny((name, payload) => {
    if (quiet || name !== 'jobs.onUpdate') return;
    const j = payload as Job;
    if (j.id !== job.id) return;
    const pct = j.progress === null ? '' : `${(j.progress * 100).toFixed(0).padStart(3)}% `;
    if (tty) io.stderr.write(`\r\x1b[2K${pct}${j.message}`);
    else if (Date.now() - lastPrinted > 2000) {
      lastPrinted = Date.now();
      line(io.stderr, `${pct}${j.message}`);
    }
  });
  const cancel = () => {
    line(io.stderr, tty ? '\r\x1b[2KCancelling…' : 'Cancelling…');
    void dispatch(backend.handlers, 'jobs.cancel', { id: job.id });
  };
  signals.on('SIGINT', cancel);
  try {
    const done = await call(backend, 'jobs.wait', { id: job.id, timeoutMs: 3_600_000 });
    if (tty) io.stderr.write('\r\x1b[2K');
    return done;
  } finally {
    signals.off('SIGINT', cancel);
    off();
  }
}

/** Follow a job to its end: its result, or a CliFailure carrying its error. */
export async function finishJob<T>(backend: Backend, io: CliIo, started: Job, quiet: boolean): Promise<T> {
  const job = await followJob(backend, io, started, quiet);
  if (job.state !== 'succeeded') throw new CliFailure(job.error ?? new AppError('INTERNAL', job.message).toData());
  return job.result as T;
}
