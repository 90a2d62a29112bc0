import { rm } from 'node:fs/promises';
import type { ColumnProfile, CsvDialect, DatasetFormat } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { Task } from '../jobs/task.js';
import { ObjectStore } from '../objects/object-store.js';
import { workspacePaths } from '../workspace/paths.js';
import { assertUnchanged, hashSource } from './hash.js';
import { profileSource } from './profile.js';
import { checkGzip, MAX_JSON_LINE_BYTES, MAX_LINE_BYTES, openSource } from './source.js';

export interface RegisterTaskInput {
  path: string;
  snapshot: boolean;
  snapshotLimitBytes: number;
  /** Hashes of the versions the dataset already has: a match skips the profile. */
  knownSha256: string[];
}

export type RegisterTaskOutput =
  | { unchanged: true; sha256: string }
  | {
      unchanged: false;
      sha256: string;
      bytes: number;
      format: DatasetFormat;
      sourcePath: string;
      files: { path: string; sha256: string; bytes: number }[];
      snapshot: 'copy' | 'reference';
      snapshotNote: string | null;
      dialect: CsvDialect | null;
      rows: number;
      columns: ColumnProfile[];
      sample: { columns: string[]; rows: unknown[][] };
      warnings: string[];
    };

/** A byte count for people: 512 bytes, 3.2 KB, 140.0 MB, 2.0 GB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/**
 * Hash and profile a file or folder at the same time (the hash streams the bytes once, DuckDB
 * reads them in two passes), check nothing changed meanwhile, and snapshot the bytes into the
 * object store. Runs in the job worker.
 */
export const registerDataset: Task<RegisterTaskInput, RegisterTaskOutput> = async (input, ctx) => {
  ctx.progress(0, 'Reading the file…');
  const { source, encoding } = await openSource(input.path, { message: `${input.path} is empty.`, remedy: 'Register a file that has a header and rows.' });

  // The profile (and the gzip check) stop early when the hash shows these bytes are already registered.
  const profileAbort = new AbortController();
  const stopProfile = () => profileAbort.abort();
  ctx.signal.addEventListener('abort', stopProfile);
  let hashed = 0;
  let profiled = 0;
  const report = () => ctx.progress(0.35 * hashed + 0.6 * profiled, hashed < 1 ? 'Hashing and profiling…' : 'Profiling…');

  const hashing = hashSource(source, {
    signal: ctx.signal,
    maxLineBytes: source.format === 'parquet' ? undefined : source.format === 'jsonl' ? MAX_JSON_LINE_BYTES : MAX_LINE_BYTES,
    onBytes: (done, total) => {
      hashed = total ? done / total : 1;
      report();
    },
  }).then((h) => {
    if (input.knownSha256.includes(h.sha256)) stopProfile();
    return h;
  });
  const profiling = profileSource(source, {
    encoding,
    signal: profileAbort.signal,
    tempDir: workspacePaths(ctx.workspaceRoot).tmp,
    onProgress: (f) => {
      profiled = f;
      report();
    },
  });
  // DuckDB stops quietly at the end of a truncated gzip file and does not check its CRC.
  const gzipOk = source.compression === 'gzip' ? Promise.all(source.files.map((f) => checkGzip(f, profileAbort.signal))) : Promise.resolve([]);
  // Don't leave a rejection unobserved while waiting on another one.
  profiling.catch(() => undefined);
  gzipOk.catch(() => undefined);

  try {
    // The hash and gzip checks name the problem more precisely than DuckDB: their errors win.
    const hash = await hashing;
    if (input.knownSha256.includes(hash.sha256)) {
      await profiling.catch(() => undefined);
      ctx.progress(1, 'Unchanged');
      return { unchanged: true, sha256: hash.sha256 };
    }
    await gzipOk;
    const profile = await profiling;
    ctx.signal.throwIfAborted();
    for (const f of source.files) await assertUnchanged(f);

    const warnings: string[] = [];
    let snapshot: 'copy' | 'reference' = 'reference';
    let snapshotNote: string | null = null;
    if (!input.snapshot) {
      snapshotNote = 'Snapshot turned off: only the path and hash are kept; later edits of the file will not match this version.';
      warnings.push(snapshotNote);
    } else if (source.bytes > input.snapshotLimitBytes) {
      const [size, limit] = [formatBytes(source.bytes), formatBytes(input.snapshotLimitBytes)];
      const sizes = size === limit ? `${source.bytes} bytes > ${input.snapshotLimitBytes} bytes` : `${size} > ${limit}`;
      snapshotNote = `Larger than the snapshot limit (${sizes}): only the path and hash are kept.`;
      warnings.push(`${snapshotNote} Keep the file unchanged, or raise the limit in the workspace settings.`);
    } else {
      ctx.progress(0.96, 'Saving a snapshot…');
      const store = new ObjectStore(workspacePaths(ctx.workspaceRoot).objects);
      for (const [i, f] of source.files.entries()) {
        ctx.signal.throwIfAborted();
        const sha256 = hash.files[i]!.sha256;
        const existed = await store.has(sha256);
        const stored = await store.putFile(f.path, sha256);
        // Written to while being copied: the copy may not hold the hashed bytes.
        await assertUnchanged(f).catch(async (e: unknown) => {
          if (!existed) await rm(stored, { force: true });
          throw e;
        });
      }
      // Cancelled while copying: the job ends cancelled (the copies are content-addressed, harmless).
      ctx.signal.throwIfAborted();
      snapshot = 'copy';
    }
    ctx.progress(1, 'Profiled');
    return {
      unchanged: false,
      sha256: hash.sha256,
      bytes: source.bytes,
      format: source.format,
      sourcePath: source.root,
      files: hash.files,
      snapshot,
      snapshotNote,
      dialect: profile.dialect,
      rows: profile.rows,
      columns: profile.columns,
      sample: profile.sample,
      warnings,
    };
  } catch (e) {
    // Whichever step noticed first (the hash stream, DuckDB, the gzip check), say it plainly.
    if (ctx.signal.aborted) throw new AppError('CANCELLED', 'The registration was cancelled.');
    throw e;
  } finally {
    ctx.signal.removeEventListener('abort', stopProfile);
    // On any failure, stop DuckDB and wait for it: a profile left running would keep the worker
    // (and its memory) busy after the job has ended.
    stopProfile();
    await profiling.catch(() => undefined);
  }
};
