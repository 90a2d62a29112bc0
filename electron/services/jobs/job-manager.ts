import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Worker } from 'node:worker_threads';
import { FINISHED_JOB_STATES, type Job, type JobKind, type JobState } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { AppErrorData } from '../../../shared/result.js';
import type { Catalog, WriteTx } from '../catalog/catalog.js';
import type { EventBus } from '../events.js';
import type { FromWorker, WorkerStart } from './task.js';

interface JobRow {
  id: string;
  kind: string;
  title: string;
  state: JobState;
  progress: number | null;
  message: string;
  result: string | null;
  error: string | null;
  owner_pid: number;
  owner_host: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const rowToJob = (r: JobRow): Job => ({
  id: r.id,
  kind: r.kind as JobKind,
  title: r.title,
  state: r.state,
  progress: r.progress,
  message: r.message,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  error: r.error ? (JSON.parse(r.error) as Job['error']) : null,
  result: r.result ? (JSON.parse(r.result) as unknown) : null,
});

export interface WorkerScript {
  url: URL;
}

/** The bundled worker beside the bundle, or the TypeScript source (run through tsx) in tests and dev. */
export function defaultWorkerScript(): WorkerScript {
  const here = new URL(import.meta.url);
  return { url: new URL(here.pathname.endsWith('.ts') ? './job-worker.ts' : './job-worker.js', here) };
}

/** Start a worker; TypeScript sources get tsx's loader registered inside the worker first. */
export function createWorker(script: WorkerScript, workerData: unknown): Worker {
  if (!script.url.pathname.endsWith('.ts')) return new Worker(script.url, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(script.url.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData });
}

export interface StartOptions<R> {
  title: string;
  /**
   * Record what the job produced in the catalog, in the same transaction that marks it
   * succeeded. What it returns (if anything) becomes the job's stored result instead of the
   * worker's raw output. `jobId` is the job's own id, for records that point back at it.
   */
  commit?: (tx: WriteTx, result: R, jobId: string) => unknown;
}

interface Running {
  worker: Worker;
  cancelRequested: boolean;
  lastPersist: number;
  killTimer?: NodeJS.Timeout;
}

const PERSIST_INTERVAL_MS = 1000;
const CANCEL_GRACE_MS = 5000;

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Runs jobs in worker threads, persists their state in the catalog, publishes every change as
 * `jobs.onUpdate`, and marks jobs whose process died as interrupted.
 */
export class JobManager {
  private readonly running = new Map<string, Running>();
  private readonly waiters = new Map<string, ((job: Job) => void)[]>();
  private readonly workerScript: WorkerScript;

  constructor(
    private readonly catalog: Catalog,
    private readonly events: EventBus,
    private readonly workspaceRoot: string,
    options: { workerScript?: WorkerScript } = {},
  ) {
    this.workerScript = options.workerScript ?? defaultWorkerScript();
  }

  /** Jobs left queued or running by a process that no longer exists become interrupted. */
  recoverInterrupted(): Job[] {
    const host = hostname();
    const orphans = (
      this.catalog.read((db) => db.prepare(`SELECT * FROM jobs WHERE state IN ('queued','running')`).all()) as JobRow[]
    ).filter((r) => r.owner_host === host && r.owner_pid !== process.pid && !isAlive(r.owner_pid));
    if (orphans.length === 0) return [];
    const now = new Date().toISOString();
    const jobs = this.catalog.write((tx) =>
      orphans.map((r) => {
        tx.db
          .prepare(
            `UPDATE jobs SET state='interrupted', finished_at=?, message=?, error=? WHERE id=?`,
          )
          .run(
            now,
            'Interrupted: Greenhouse stopped while this job was running.',
            JSON.stringify(new AppError('INTERRUPTED', 'Greenhouse stopped while this job was running.').toData()),
            r.id,
          );
        tx.audit({ action: 'job.interrupted', subject: r.id, details: { kind: r.kind, title: r.title } });
        return this.get(r.id);
      }),
    );
    for (const job of jobs) this.events.emit('jobs.onUpdate', job);
    return jobs;
  }

  get(id: string): Job {
    const row = this.catalog.read((db) => db.prepare('SELECT * FROM jobs WHERE id = ?').get(id)) as JobRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No job ${id} in this workspace.`);
    return rowToJob(row);
  }

  list(limit = 100): Job[] {
    const rows = this.catalog.read((db) =>
      db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit),
    ) as JobRow[];
    return rows.map(rowToJob);
  }

  countRunning(): number {
    return this.running.size;
  }

  start<R>(kind: JobKind, input: unknown, options: StartOptions<R>): Job {
    const id = randomUUID();
    const now = new Date().toISOString();
    this.catalog.write((tx) => {
      tx.db
        .prepare(
          `INSERT INTO jobs (id, kind, title, state, progress, message, input, owner_pid, owner_host, created_at, started_at)
           VALUES (?, ?, ?, 'running', NULL, 'Starting…', ?, ?, ?, ?, ?)`,
        )
        .run(id, kind, options.title, JSON.stringify(input ?? {}), process.pid, hostname(), now, now);
      tx.audit({ action: 'job.started', subject: id, details: { kind, title: options.title } });
    });

    const start: WorkerStart = { jobId: id, kind, input, workspaceRoot: this.workspaceRoot };
    const worker = createWorker(this.workerScript, start);
    const run: Running = { worker, cancelRequested: false, lastPersist: 0 };
    this.running.set(id, run);
    let settled = false;

    worker.on('message', (m: FromWorker) => {
      if (m.type === 'progress') this.onProgress(id, run, m.progress, m.message);
      else if (m.type === 'done') {
        settled = true;
        this.finish(id, 'succeeded', { result: m.result, commit: options.commit as StartOptions<unknown>['commit'] });
      } else if (m.type === 'failed') {
        settled = true;
        const state = m.error.code === 'CANCELLED' ? 'cancelled' : 'failed';
        this.finish(id, state, { error: m.error });
      }
    });
    worker.on('error', (e) => {
      if (settled) return;
      settled = true;
      this.finish(id, 'failed', { error: new AppError('INTERNAL', `The job crashed: ${e.message}`).toData() });
    });
    worker.on('exit', () => {
      clearTimeout(run.killTimer);
      this.running.delete(id);
      if (settled) return;
      settled = true;
      if (run.cancelRequested) this.finish(id, 'cancelled', { error: new AppError('CANCELLED', 'The job was cancelled.').toData() });
      else this.finish(id, 'failed', { error: new AppError('INTERNAL', 'The job stopped without a result.').toData() });
    });

    const job = this.get(id);
    this.events.emit('jobs.onUpdate', job);
    return job;
  }

  cancel(id: string): Job {
    const run = this.running.get(id);
    const job = this.get(id);
    if (!run) {
      if (FINISHED_JOB_STATES.includes(job.state)) return job;
      throw new AppError('CONFLICT', `Job ${id} is not running in this process.`, {
        remedy: 'Cancel it from the Greenhouse window or command that started it.',
      });
    }
    run.cancelRequested = true;
    run.worker.postMessage({ type: 'cancel' });
    // A task that ignores its signal is stopped the hard way.
    run.killTimer = setTimeout(() => void run.worker.terminate(), CANCEL_GRACE_MS);
    this.catalog.read((db) => db.prepare(`UPDATE jobs SET message='Cancelling…' WHERE id=?`).run(id));
    const updated = this.get(id);
    this.events.emit('jobs.onUpdate', updated);
    return updated;
  }

  /** Resolve with the job once it has finished, or as it is when the timeout passes. */
  wait(id: string, timeoutMs = 600_000): Promise<Job> {
    const job = this.get(id);
    if (FINISHED_JOB_STATES.includes(job.state) || !this.running.has(id)) return Promise.resolve(job);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.get(id)), timeoutMs);
      const list = this.waiters.get(id) ?? [];
      list.push((j) => {
        clearTimeout(timer);
        resolve(j);
      });
      this.waiters.set(id, list);
    });
  }

  /** Cancel everything still running and wait for the workers to end. */
  async shutdown(): Promise<void> {
    const ids = [...this.running.keys()];
    for (const id of ids) this.cancel(id);
    await Promise.all(ids.map((id) => this.wait(id, CANCEL_GRACE_MS + 1000)));
  }

  private onProgress(id: string, run: Running, progress: number | null, message: string) {
    if (run.cancelRequested) return;
    const now = Date.now();
    // Events go out as they come (tasks throttle them); the database is written less often.
    if (now - run.lastPersist >= PERSIST_INTERVAL_MS) {
      run.lastPersist = now;
      this.catalog.read((db) => db.prepare('UPDATE jobs SET progress=?, message=? WHERE id=?').run(progress, message, id));
    }
    const job = this.get(id);
    this.events.emit('jobs.onUpdate', { ...job, progress, message });
  }

  private finish(
    id: string,
    state: JobState,
    outcome: { result?: unknown; error?: AppErrorData; commit?: StartOptions<unknown>['commit'] },
  ) {
    const now = new Date().toISOString();
    const error = outcome.error
      ? { code: outcome.error.code, message: outcome.error.message, remedy: outcome.error.remedy }
      : null;
    const message =
      state === 'succeeded' ? 'Done' : state === 'cancelled' ? 'Cancelled' : `Failed: ${outcome.error?.message ?? ''}`;
    const write = (s: JobState, msg: string, err: typeof error, withCommit: boolean) =>
      this.catalog.write((tx) => {
        const committed = withCommit ? outcome.commit?.(tx, outcome.result, id) : undefined;
        const stored = committed !== undefined ? committed : withCommit ? outcome.result : undefined;
        tx.db
          .prepare(
            `UPDATE jobs SET state=?, progress=?, message=?, result=?, error=?, finished_at=? WHERE id=?`,
          )
          .run(s, s === 'succeeded' ? 1 : null, msg, stored === undefined ? null : JSON.stringify(stored), err ? JSON.stringify(err) : null, now, id);
        const kind = (tx.db.prepare('SELECT kind FROM jobs WHERE id=?').get(id) as { kind: string }).kind;
        tx.audit({ action: `job.${s}`, subject: id, details: { kind, ...(err ? { error: err.message } : {}) } });
      });
    try {
      write(state, message, error, state === 'succeeded');
    } catch (e) {
      // The result could not be recorded: the job failed, and nothing of it was kept.
      const data = e instanceof AppError ? e.toData() : new AppError('INTERNAL', (e as Error).message).toData();
      write('failed', `Failed: ${data.message}`, { code: data.code, message: data.message, remedy: data.remedy }, false);
    }
    const job = this.get(id);
    this.events.emit('jobs.onUpdate', job);
    for (const w of this.waiters.get(id) ?? []) w(job);
    this.waiters.delete(id);
  }
}
