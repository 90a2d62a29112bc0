import type { ColumnProfile, CsvDialect, DatasetFormat } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { Task } from '../jobs/task.js';
import { ObjectStore } from '../objects/object-store.js';
import { workspacePaths } from '../workspace/paths.js';
import { assertUnchanged, hashSource } from './hash.js';
import { profileSource } from './profile.js';
import { checkParquet, resolveSource, sniffText } from './source.js';

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

const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`;

/**
 * Hash and profile a file or folder at the same time (the hash streams the bytes once, DuckDB
 * reads them in two passes), check nothing changed meanwhile, and snapshot the bytes into the
 * object store. Runs in the job worker.
 */
export const registerDataset: Task<RegisterTaskInput, RegisterTaskOutput> = async (input, ctx) => {
  ctx.progress(0, 'Reading the file…');
  const source = await resolveSource(input.path);
  if (source.bytes === 0) throw new AppError('INVALID_INPUT', `${input.path} is empty.`, { remedy: 'Register a file that has a header and rows.' });
  let encoding: 'utf-8' | 'utf-16' = 'utf-8';
  for (const f of source.files) {
    if (source.format === 'parquet') await checkParquet(f);
    else if (f === source.files[0]) encoding = (await sniffText(f, source.compression)).encoding;
    else await sniffText(f, source.compression);
  }

  // The profile stops early when the hash shows these bytes are already registered.
  const profileAbort = new AbortController();
  const stopProfile = () => profileAbort.abort();
  ctx.signal.addEventListener('abort', stopProfile);
  let hashed = 0;
  let profiled = 0;
  const report = () => ctx.progress(0.35 * hashed + 0.6 * profiled, hashed < 1 ? 'Hashing and profiling…' : 'Profiling…');

  const hashing = hashSource(source, {
    signal: ctx.signal,
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
  // Don't leave a rejection unobserved while waiting on the other one.
  profiling.catch(() => undefined);

  try {
    const hash = await hashing;
    if (input.knownSha256.includes(hash.sha256)) {
      await profiling.catch(() => undefined);
      ctx.progress(1, 'Unchanged');
      return { unchanged: true, sha256: hash.sha256 };
    }
    const profile = await profiling;
    ctx.signal.throwIfAborted();
    for (const f of source.files) await assertUnchanged(f);

    const warnings: string[] = [];
    let snapshot: 'copy' | 'reference' = 'reference';
    let snapshotNote: string | null = null;
    if (!input.snapshot) {
      snapshotNote = 'Snapshot turned off: only the path and hash are kept; later edits of the file will not match this version.';
    } else if (source.bytes > input.snapshotLimitBytes) {
      snapshotNote = `Larger than the snapshot limit (${gb(source.bytes)} > ${gb(input.snapshotLimitBytes)}): only the path and hash are kept.`;
      warnings.push(`${snapshotNote} Keep the file unchanged, or raise the limit in the workspace settings.`);
    } else {
      ctx.progress(0.96, 'Saving a snapshot…');
      const store = new ObjectStore(workspacePaths(ctx.workspaceRoot).objects);
      for (const [i, f] of source.files.entries()) await store.putFile(f.path, hash.files[i]!.sha256);
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
  } finally {
    ctx.signal.removeEventListener('abort', stopProfile);
  }
};
