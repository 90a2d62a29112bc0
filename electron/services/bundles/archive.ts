// Export of a bundle folder to NAME-VERSION.tar.gz, deterministic: the same bundle gives the
// same archive bytes, whenever and wherever its files were touched.
//
// - entries sorted by path (directories before their contents), all under NAME-VERSION/;
// - every mtime is the bundle's createdAt (from its manifest), not 0: extracted files then carry
//   a meaningful date, tar does not warn about 1970 dates, and createdAt is part of the
//   bundle's identity anyway (it is in the signed manifest);
// - uid/gid 0, empty uname/gname, mode 0644 for files, 0755 for directories and for files that
//   are executable on disk;
// - gzip written with our own 10-byte header (no name, mtime 0, OS "unknown") around a raw
//   deflate stream, so nothing of the machine or the moment leaks into the header. The deflate
//   bytes are those of Node's bundled zlib at the given level: identical for the same Greenhouse
//   build; `tarSha256` (of the uncompressed tar) is identical everywhere.
//
// Everything is streamed: a multi-gigabyte `docker save` tar is never held in memory.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createDeflateRaw } from 'node:zlib';
import { pack as tarPack, type Header, type Pack } from 'tar-stream';

type Headers = Partial<Header> & Pick<Header, 'name'>;
import { AppError } from '../../../shared/errors.js';
import { tempPathFor } from '../fs/atomic-write.js';
import { BUNDLE_FILES } from './layout.js';
import { comparePaths, ioError, isSafeRelativePath, listBundleFiles, listFolder, parseManifest, type BundleManifest } from './manifest.js';

/** The extra entry holding the image (`docker save` output) for air-gapped hand-off. */
export const IMAGE_TAR = 'image.tar';

export interface ExportProgress {
  bytesDone: number;
  bytesTotal: number;
  /** The entry being written, relative to the bundle root. */
  entry: string;
}

export interface ExportOptions {
  /** Where NAME-VERSION.tar.gz goes; default: the folder that holds the bundle folder (bundles/). */
  outDir?: string;
  /** The image as a `docker save` tar of known size; `stream` is called once, when its turn comes. */
  imageTar?: { size: number; stream: () => NodeJS.ReadableStream };
  onProgress?: (p: ExportProgress) => void;
  /** Aborting removes the partial archive and rejects with CANCELLED. */
  signal?: AbortSignal;
  /** The entries' mtime; default: the bundle's createdAt. */
  mtime?: Date;
  /** zlib level, 0 … 9 (default 6). */
  level?: number;
}

export interface ExportResult {
  /** The archive's path. */
  path: string;
  /** SHA-256 of the .tar.gz. */
  sha256: string;
  bytes: number;
  /** SHA-256 of the uncompressed tar: the same on every platform and zlib. */
  tarSha256: string;
  /** Entry names in archive order. */
  entries: string[];
  includesImage: boolean;
}

/**
 * The deflate level of an export: an image is hundreds of MB of tar, so the fastest level keeps
 * its export quick (still deterministic: the level is fixed either way).
 */
export const archiveLevel = (includesImage: boolean) => (includesImage ? 1 : 6);

/** The archive's top folder and file stem: NAME-VERSION. */
export function archiveStem(manifest: Pick<BundleManifest, 'bundle'>): string {
  const stem = `${manifest.bundle.name}-${manifest.bundle.version}`;
  if (stem.includes('/') || !isSafeRelativePath(stem)) {
    throw new AppError('INVALID_INPUT', `The bundle name ${JSON.stringify(manifest.bundle.name)} cannot be used as a file name.`, {
      remedy: 'Use a name of letters, digits, spaces, dots, dashes or underscores, and package again.',
    });
  }
  return stem;
}

// ---------------------------------------------------------------------------------------------
// Deterministic gzip (RFC 1952): fixed header, raw deflate, CRC-32 and size trailer.

/** ID1 ID2, CM=deflate, FLG=0 (no name, comment or extra), MTIME=0, XFL=0, OS=255 (unknown). */
export const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);

/** Transforms that gzip what passes through, plus the SHA-256 of the uncompressed bytes. */
function deterministicGzip(level: number) {
  let crc = 0;
  let size = 0;
  const rawHash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      rawHash.update(chunk);
      cb(null, chunk);
    },
  });
  let started = false;
  const frame = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (!started) {
        started = true;
        this.push(GZIP_HEADER);
      }
      cb(null, chunk);
    },
    flush(cb) {
      if (!started) this.push(GZIP_HEADER);
      const trailer = Buffer.alloc(8);
      trailer.writeUInt32LE(crc >>> 0, 0);
      trailer.writeUInt32LE(size % 2 ** 32, 4);
      cb(null, trailer);
    },
  });
  return { streams: [tap, createDeflateRaw({ level }), frame] as const, rawSha256: () => rawHash.digest('hex') };
}

// ---------------------------------------------------------------------------------------------
// Tar entries

interface PlannedEntry {
  /** Relative to the bundle root; directories end with "/". */
  path: string;
  type: 'directory' | 'file';
  mode: number;
  size: number;
  open?: () => NodeJS.ReadableStream;
  /** Where a bad stream came from, for the error message. */
  source?: string;
}

const cancelled = () => new AppError('CANCELLED', 'The export was cancelled; no archive was written.');

/** Stream `source` into a tar entry of exactly `size` bytes, honouring backpressure. */
function writeEntry(pack: Pack, header: Headers, entry: PlannedEntry, signal: AbortSignal | undefined, onBytes: (n: number) => void) {
  return new Promise<void>((resolve, reject) => {
    const sink = pack.entry(header, (err) => (err ? reject(err) : resolve()));
    // Failures reach us through the entry callback and our own loop; no stray 'error' events.
    sink.on('error', () => {});
    if (entry.type === 'directory') return;
    const source = entry.open!();
    const fail = (err: unknown) => {
      (source as Readable).destroy?.();
      sink.destroy(err as Error);
      reject(err);
    };
    (async () => {
      let written = 0;
      for await (const chunk of source as AsyncIterable<Buffer | string>) {
        if (signal?.aborted) throw cancelled();
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        written += buf.length;
        if (written > entry.size) throw sizeChanged(entry, written);
        onBytes(buf.length);
        if (!sink.write(buf)) {
          await new Promise<void>((res, rej) => {
            const done = () => {
              sink.off('drain', done);
              sink.off('close', closed);
              res();
            };
            const closed = () => rej(new Error('The archive stream closed while writing.'));
            sink.on('drain', done);
            sink.on('close', closed);
          });
        }
      }
      if (written !== entry.size) throw sizeChanged(entry, written);
      sink.end(null);
    })().catch(fail);
  });
}

const sizeChanged = (entry: PlannedEntry, written: number) =>
  new AppError('CONFLICT', `${entry.source ?? entry.path} changed while it was exported (expected ${entry.size} bytes, got ${written === entry.size ? 'a different count' : `${written} or more`}).`, {
    remedy: entry.path === IMAGE_TAR
      ? 'The image stream did not match its announced size: export again, and make sure nothing removes or retags the image meanwhile.'
      : 'Something is writing into the bundle folder: wait for it to finish (or package again), then export.',
  });

/** The files of the bundle folder as signed: refuse a folder that no longer matches its manifest. */
async function plannedFiles(bundleDir: string): Promise<{ manifest: BundleManifest; files: PlannedEntry[] }> {
  let manifestBytes: Buffer;
  try {
    manifestBytes = await readFile(join(bundleDir, BUNDLE_FILES.manifest));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('NOT_FOUND', `${bundleDir} has no ${BUNDLE_FILES.manifest}: it is not a finished bundle.`, {
        remedy: 'Package the model version first (greenhouse package NAME@V); the export takes a finished, signed bundle folder.',
      });
    }
    throw ioError(e, bundleDir, 'read the manifest of');
  }
  const manifest = parseManifest(manifestBytes);
  // listBundleFiles refuses links and special files among the listed files.
  const listed = await listBundleFiles(bundleDir);
  const all = await listFolder(bundleDir);
  const other = all.find((f) => f.kind !== 'file');
  if (other) {
    throw new AppError('INVALID_INPUT', `${other.path} in the bundle ${bundleDir} is not a regular file.`, {
      remedy: 'A bundle holds plain files only: package the model version again.',
    });
  }
  if (!all.some((f) => f.path === BUNDLE_FILES.signature)) {
    throw new AppError('NOT_FOUND', `${bundleDir} has no ${BUNDLE_FILES.signature}: the bundle is not signed.`, {
      remedy: 'Package the model version again; packaging signs the manifest as its last step.',
    });
  }
  const expected = new Map(manifest.files.map((f) => [f.path, f.bytes]));
  const problems: string[] = [];
  for (const f of listed) {
    if (!expected.has(f.path)) problems.push(`${f.path} is not in the manifest`);
    else if (expected.get(f.path) !== f.bytes) problems.push(`${f.path} has changed size`);
    expected.delete(f.path);
  }
  for (const path of expected.keys()) problems.push(`${path} is missing`);
  if (problems.length > 0) {
    throw new AppError('CONFLICT', `The bundle folder ${bundleDir} no longer matches its manifest: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}.`, {
      remedy: 'Run greenhouse verify on the folder to see every difference, then package the model version again.',
      details: problems,
    });
  }
  const files = all.map<PlannedEntry>((f) => ({
    path: f.path,
    type: 'file',
    mode: f.mode & 0o111 ? 0o755 : 0o644,
    size: f.bytes,
    source: f.absolute,
    open: () => createReadStream(f.absolute, { highWaterMark: 1 << 20 }),
  }));
  return { manifest, files };
}

/** Files plus the directories that hold them, sorted so that a directory precedes its contents. */
function withDirectories(files: PlannedEntry[]): PlannedEntry[] {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(`${parts.slice(0, i).join('/')}/`);
  }
  const entries: PlannedEntry[] = [...files, ...[...dirs].map<PlannedEntry>((path) => ({ path, type: 'directory', mode: 0o755, size: 0 }))];
  return entries.sort((a, b) => comparePaths(a.path, b.path));
}

/**
 * Write bundleDir as NAME-VERSION.tar.gz (through a temp name, renamed when complete), with the
 * image tar as NAME-VERSION/image.tar when given.
 */
export async function exportBundle(bundleDir: string, opts: ExportOptions = {}): Promise<ExportResult> {
  if (opts.signal?.aborted) throw cancelled();
  const { manifest, files } = await plannedFiles(bundleDir);
  const stem = archiveStem(manifest);
  if (opts.imageTar) {
    if (files.some((f) => f.path === IMAGE_TAR)) {
      throw new AppError('CONFLICT', `The bundle folder already holds an ${IMAGE_TAR}.`, {
        remedy: `Export without including the image, or remove ${IMAGE_TAR} from the folder and package again.`,
      });
    }
    if (!Number.isSafeInteger(opts.imageTar.size) || opts.imageTar.size < 0) {
      throw new AppError('INVALID_INPUT', `The image size ${opts.imageTar.size} is not a byte count.`, { remedy: 'Pass the size of the docker save output in bytes.' });
    }
    files.push({ path: IMAGE_TAR, type: 'file', mode: 0o644, size: opts.imageTar.size, open: opts.imageTar.stream, source: 'The image (docker save)' });
  }
  const entries = withDirectories(files);
  const mtime = opts.mtime ?? new Date(manifest.bundle.createdAt);
  if (Number.isNaN(mtime.getTime()) || mtime.getTime() < 0) {
    throw new AppError('INVALID_INPUT', `The archive time ${String(opts.mtime ?? manifest.bundle.createdAt)} is not a date after 1970.`, {
      remedy: 'Pass a valid date, or fix the bundle\'s createdAt by packaging again.',
    });
  }
  const level = opts.level ?? 6;

  const outDir = opts.outDir ?? dirname(bundleDir);
  const target = join(outDir, `${stem}.tar.gz`);
  const tmp = tempPathFor(target);
  const bytesTotal = entries.reduce((n, e) => n + e.size, 0);
  let bytesDone = 0;

  const pack = tarPack();
  // Its failure surfaces through the pipeline and the producer, which both reject.
  pack.on('error', () => {});
  const gzip = deterministicGzip(level);
  const outHash = createHash('sha256');
  let outBytes = 0;
  const hashOut = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      outHash.update(chunk);
      outBytes += chunk.length;
      cb(null, chunk);
    },
  });

  const produce = async () => {
    for (const e of entries) {
      if (opts.signal?.aborted) throw cancelled();
      const header: Headers = {
        name: `${stem}/${e.path}`,
        type: e.type,
        mode: e.mode,
        size: e.size,
        mtime,
        uid: 0,
        gid: 0,
        uname: '',
        gname: '',
      };
      opts.onProgress?.({ bytesDone, bytesTotal, entry: e.path });
      await writeEntry(pack, header, e, opts.signal, (n) => {
        bytesDone += n;
        opts.onProgress?.({ bytesDone, bytesTotal, entry: e.path });
      });
    }
    pack.finalize();
  };

  const onAbort = () => pack.destroy(cancelled());
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await mkdir(outDir, { recursive: true });
    // Opened before streaming so that a bad folder fails here; flushed to disk before closing.
    const out = (await open(tmp, 'wx', 0o644)).createWriteStream({ flush: true });
    const producing = produce().catch((err: unknown) => {
      pack.destroy(err as Error);
      throw err;
    });
    const writing = pipeline(Readable.from(pack), ...gzip.streams, hashOut, out).catch((err: unknown) => {
      pack.destroy(err as Error);
      throw err;
    });
    const [p, w] = await Promise.allSettled([producing, writing]);
    // The producer's error says what went wrong; the pipeline's is its echo.
    if (p.status === 'rejected') throw p.reason;
    if (w.status === 'rejected') throw w.reason;
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    if (opts.signal?.aborted) throw cancelled();
    if ((e as NodeJS.ErrnoException).code === 'ENOSPC') {
      throw new AppError('IO_ERROR', `The disk is full: the archive ${target} could not be written.`, {
        remedy: 'Free some disk space (the archive needs about the size of the bundle, plus the image when included), then export again.',
        cause: e,
      });
    }
    throw ioError(e, target, 'write the archive');
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  opts.onProgress?.({ bytesDone: bytesTotal, bytesTotal, entry: '' });
  return {
    path: target,
    sha256: outHash.digest('hex'),
    bytes: outBytes,
    tarSha256: gzip.rawSha256(),
    entries: entries.map((e) => `${stem}/${e.path}`),
    includesImage: Boolean(opts.imageTar),
  };
}
