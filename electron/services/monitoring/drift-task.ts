// The drift.check job's body, run in the job worker (and in-process by `greenhouse drift` on a
// bundle folder outside any workspace): check the batch's files, hash them while DuckDB reads
// them, and make sure nothing changed meanwhile.

import type { DriftResult, DriftThresholds } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { assertUnchanged, hashSource } from '../datasets/hash.js';
import { MAX_JSON_LINE_BYTES, MAX_LINE_BYTES } from '../datasets/profile.js';
import { checkGzip } from '../datasets/source.js';
import type { Task } from '../jobs/task.js';
import { workspacePaths } from '../workspace/paths.js';
import { asDriftError, inspectBatch } from './batch.js';
import { checkBatch } from './check.js';
import type { DriftReference } from './reference.js';

export interface DriftTaskInput {
  /** Absolute path of the batch (a file or a folder of same-format files). */
  batchPath: string;
  reference: DriftReference;
  thresholds: DriftThresholds;
  /** DuckDB's spill folder; default: the workspace's .greenhouse/tmp. */
  tempDir?: string;
}

export const driftCheckTask: Task<DriftTaskInput, DriftResult> = async (input, ctx) => {
  const started = Date.now();
  const checkedAt = new Date(started).toISOString();
  ctx.progress(0, 'Reading the batch…');
  let opened;
  try {
    opened = await inspectBatch(input.batchPath);
  } catch (e) {
    throw asDriftError(e);
  }
  const { source } = opened;

  const stop = new AbortController();
  const stopAll = () => stop.abort();
  ctx.signal.addEventListener('abort', stopAll);
  let hashed = 0;
  let checked = 0;
  let message = 'Reading the batch…';
  const report = () => ctx.progress(Math.min(0.99, 0.25 * hashed + 0.75 * checked), message);

  const hashing = hashSource(source, {
    signal: stop.signal,
    maxLineBytes: source.format === 'parquet' ? undefined : source.format === 'jsonl' ? MAX_JSON_LINE_BYTES : MAX_LINE_BYTES,
    onBytes: (done, total) => {
      hashed = total ? done / total : 1;
      report();
    },
  });
  const checking = checkBatch(input.reference, opened, input.thresholds, {
    signal: stop.signal,
    tempDir: input.tempDir ?? workspacePaths(ctx.workspaceRoot).tmp,
    onProgress: (f, m) => {
      checked = f;
      message = m;
      report();
    },
  });
  // DuckDB stops quietly at the end of a truncated gzip file and does not check its CRC.
  const gzipOk = source.compression === 'gzip' ? Promise.all(source.files.map((f) => checkGzip(f, stop.signal))) : Promise.resolve([]);
  // A check that fails (no model columns, a ragged row…) stops the hashing at once.
  checking.catch(() => stop.abort());
  gzipOk.catch(() => undefined);
  /** A step stopped because the check failed: the check's error is the one to tell. */
  const orCheckError = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      if (stop.signal.aborted && !ctx.signal.aborted) await checking;
      throw e;
    }
  };
  try {
    // The hash and gzip checks name a damaged file more precisely than DuckDB: their errors win.
    const hash = await orCheckError(hashing);
    await orCheckError(gzipOk);
    const outcome = await checking;
    ctx.signal.throwIfAborted();
    for (const f of source.files) await assertUnchanged(f);
    ctx.progress(1, outcome.drift ? 'Drift' : 'No drift');
    return {
      ...outcome,
      batch: { ...outcome.batch, sha256: hash.sha256, bytes: source.bytes },
      checkedAt,
      durationMs: Date.now() - started,
    };
  } catch (e) {
    if (ctx.signal.aborted) throw new AppError('CANCELLED', 'The drift check was cancelled.');
    throw asDriftError(e);
  } finally {
    ctx.signal.removeEventListener('abort', stopAll);
    // On any failure stop DuckDB and wait for it, so the worker ends with the job.
    stop.abort();
    await checking.catch(() => undefined);
  }
};
