import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../../shared/errors.js';
import { fsErrorToAppError } from '../errors.js';
import { LineLengthGuard, type DatasetSource, type SourceFile } from './source.js';

export interface HashedSource {
  sha256: string;
  files: { path: string; sha256: string; bytes: number }[];
}

/** SHA-256 of one file, streamed; `inspect` sees each chunk (and may throw to stop). */
async function hashFile(
  f: SourceFile,
  opts: { signal?: AbortSignal; onBytes?: (done: number) => void; inspect?: (chunk: Buffer) => void },
): Promise<string> {
  const hash = createHash('sha256');
  let done = 0;
  try {
    await pipeline(
      createReadStream(f.path, { highWaterMark: 1 << 20 }),
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          try {
            opts.inspect?.(chunk);
          } catch (e) {
            cb(e as Error);
            return;
          }
          hash.update(chunk);
          done += chunk.length;
          opts.onBytes?.(done);
          cb();
        },
      }),
      { signal: opts.signal },
    );
  } catch (e) {
    throw fsErrorToAppError(e, f.path);
  }
  return hash.digest('hex');
}

/**
 * SHA-256 of a dataset: of the bytes for one file; for a folder, of the sorted list of
 * (relative path, file hash). Each file is checked to be unchanged before and after it is read,
 * so a file that changes or disappears meanwhile is an error, not a wrong hash.
 *
 * With `maxLineBytes`, uncompressed text is also checked, in the same pass, for a line longer
 * than that (the profile cannot read one, and explains it less clearly).
 */
export async function hashSource(
  source: DatasetSource,
  opts: { signal?: AbortSignal; onBytes?: (done: number, total: number) => void; maxLineBytes?: number } = {},
): Promise<HashedSource> {
  let before = 0;
  const files: HashedSource['files'] = [];
  const checkLines = opts.maxLineBytes !== undefined && source.format !== 'parquet' && source.compression === 'none';
  for (const f of source.files) {
    const guard = checkLines ? new LineLengthGuard(f.path, opts.maxLineBytes!) : null;
    const sha256 = await hashFile(f, {
      signal: opts.signal,
      onBytes: (b) => opts.onBytes?.(before + b, source.bytes),
      inspect: guard ? (chunk) => guard.feed(chunk) : undefined,
    });
    await assertUnchanged(f);
    before += f.bytes;
    files.push({ path: f.rel, sha256, bytes: f.bytes });
  }
  if (!source.isFolder) return { sha256: files[0]!.sha256, files };
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) h.update(`${f.path}\0${f.sha256}\n`);
  return { sha256: h.digest('hex'), files };
}

export async function assertUnchanged(f: { path: string; bytes: number; mtimeMs: number }) {
  let now;
  try {
    now = await stat(f.path);
  } catch {
    throw new AppError('IO_ERROR', `${f.path} disappeared while Greenhouse was reading it.`, {
      remedy: 'Register it again once the file is in place and no program is writing it.',
    });
  }
  if (now.size !== f.bytes || now.mtimeMs !== f.mtimeMs) {
    throw new AppError('IO_ERROR', `${f.path} changed while Greenhouse was reading it.`, {
      remedy: 'Wait until the program writing it has finished, then register it again.',
    });
  }
}
