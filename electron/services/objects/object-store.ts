import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, constants, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { AppError } from '../../../shared/errors.js';
import { tempPathFor, writeFileAtomic } from '../fs/atomic-write.js';

export interface HashProgress {
  (bytesDone: number): void;
}

/** SHA-256 of a file, streamed; `onBytes` sees the running total; the signal stops it. */
export async function sha256File(path: string, opts: { signal?: AbortSignal; onBytes?: HashProgress } = {}): Promise<string> {
  const hash = createHash('sha256');
  let done = 0;
  await pipeline(
    createReadStream(path, { highWaterMark: 1 << 20 }),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        done += chunk.length;
        opts.onBytes?.(done);
        cb();
      },
    }),
    { signal: opts.signal },
  );
  return hash.digest('hex');
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Content-addressed snapshots: objects/ab/cdef… named by the SHA-256 of their bytes, so the
 * exact bytes behind a model survive later edits of the original.
 */
export class ObjectStore {
  constructor(readonly root: string) {}

  pathOf(sha256: string): string {
    if (!HEX64.test(sha256)) throw new AppError('INVALID_INPUT', `Not a SHA-256 digest: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2));
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await stat(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Copy a file in under its known digest (clone on filesystems that can, else copy), through a
   * temp name so that a crash never leaves a half object under a real name.
   */
  async putFile(source: string, sha256: string): Promise<string> {
    const target = this.pathOf(sha256);
    if (await this.has(sha256)) return target;
    await mkdir(join(this.root, sha256.slice(0, 2)), { recursive: true });
    const tmp = tempPathFor(target);
    try {
      await copyFile(source, tmp, constants.COPYFILE_FICLONE);
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    return target;
  }

  /** Store bytes already in memory under their digest (checked), atomically. */
  async putBytes(bytes: Uint8Array, sha256: string): Promise<string> {
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) {
      throw new AppError('INTERNAL', `The bytes do not match the digest ${sha256}.`);
    }
    const target = this.pathOf(sha256);
    if (await this.has(sha256)) return target;
    await writeFileAtomic(target, bytes);
    return target;
  }

  /** Every stored object with its size. Temp files are skipped. */
  async list(): Promise<{ sha256: string; path: string; bytes: number }[]> {
    const out: { sha256: string; path: string; bytes: number }[] = [];
    let prefixes: string[];
    try {
      prefixes = await readdir(this.root);
    } catch {
      return out;
    }
    for (const prefix of prefixes.sort()) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const rest of (await readdir(join(this.root, prefix))).sort()) {
        const sha256 = prefix + rest;
        if (!HEX64.test(sha256)) continue;
        const path = join(this.root, prefix, rest);
        out.push({ sha256, path, bytes: (await stat(path)).size });
      }
    }
    return out;
  }
}
