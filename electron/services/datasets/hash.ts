import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { AppError } from '../../../shared/errors.js';
import { sha256File } from '../objects/object-store.js';
import type { DatasetSource } from './source.js';

export interface HashedSource {
  sha256: string;
  files: { path: string; sha256: string; bytes: number }[];
}

/**
 * SHA-256 of a dataset: of the bytes for one file; for a folder, of the sorted list of
 * (relative path, file hash). Each file is checked to be unchanged before and after it is read,
 * so a file that changes or disappears meanwhile is an error, not a wrong hash.
 */
export async function hashSource(
  source: DatasetSource,
  opts: { signal?: AbortSignal; onBytes?: (done: number, total: number) => void } = {},
): Promise<HashedSource> {
  let before = 0;
  const files: HashedSource['files'] = [];
  for (const f of source.files) {
    const sha256 = await sha256File(f.path, { signal: opts.signal, onBytes: (b) => opts.onBytes?.(before + b, source.bytes) });
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
