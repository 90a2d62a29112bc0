import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { DatasetFormat } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { fsErrorToAppError } from '../errors.js';

/** DuckDB reads CSV in buffers of 16 lines' worth; 2 MB keeps them at 32 MB. */
export const MAX_LINE_BYTES = 2 * 1024 * 1024;
/** The largest JSON object (one line of JSON Lines) DuckDB is allowed to read. */
export const MAX_JSON_LINE_BYTES = 16 * 1024 * 1024;
/** Rows the CSV sniffer reads from the start of a file. */
export const SNIFF_ROWS = 20_480;

export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Relative to the registered folder (the file name for a single file), with forward slashes. */
  rel: string;
  bytes: number;
  mtimeMs: number;
}

export interface DatasetSource {
  root: string;
  isFolder: boolean;
  format: DatasetFormat;
  compression: 'none' | 'gzip';
  files: SourceFile[];
  bytes: number;
}

const EXTENSIONS: [RegExp, DatasetFormat, 'none' | 'gzip'][] = [
  [/\.csv$/i, 'csv', 'none'],
  [/\.csv\.gz$/i, 'csv', 'gzip'],
  [/\.tsv$/i, 'tsv', 'none'],
  [/\.tsv\.gz$/i, 'tsv', 'gzip'],
  [/\.tab$/i, 'tsv', 'none'],
  [/\.txt$/i, 'csv', 'none'],
  [/\.jsonl$/i, 'jsonl', 'none'],
  [/\.ndjson$/i, 'jsonl', 'none'],
  [/\.jsonl\.gz$/i, 'jsonl', 'gzip'],
  [/\.ndjson\.gz$/i, 'jsonl', 'gzip'],
  [/\.parquet$/i, 'parquet', 'none'],
  [/\.pq$/i, 'parquet', 'none'],
];

export const formatOf = (name: string) => {
  const hit = EXTENSIONS.find(([re]) => re.test(name));
  return hit ? { format: hit[1], compression: hit[2] } : null;
};

const SUPPORTED = 'CSV, TSV (optionally .gz), JSON Lines (.jsonl, .ndjson) or Parquet';

async function walk(dir: string, out: string[]) {
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue; // _SUCCESS, .crc, hidden files
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, out);
    else if (entry.isFile()) out.push(full);
  }
}

/** What a registration path holds: one file, or a folder of same-format files (e.g. partitioned Parquet). */
export async function resolveSource(path: string): Promise<DatasetSource> {
  let s;
  try {
    s = await stat(path);
  } catch (e) {
    throw fsErrorToAppError(e, path);
  }
  if (s.isFile()) {
    const f = formatOf(basename(path));
    if (!f) throw new AppError('INVALID_INPUT', `${basename(path)} is not a supported data file.`, { remedy: `Register a ${SUPPORTED} file.` });
    return {
      root: path,
      isFolder: false,
      ...f,
      files: [{ path, rel: basename(path), bytes: s.size, mtimeMs: s.mtimeMs }],
      bytes: s.size,
    };
  }
  if (!s.isDirectory()) throw new AppError('INVALID_INPUT', `${path} is neither a file nor a folder.`, { remedy: `Register a ${SUPPORTED} file or a folder of them.` });
  const all: string[] = [];
  await walk(path, all);
  const data = all.map((p) => ({ p, f: formatOf(basename(p)) })).filter((x) => x.f);
  if (data.length === 0) throw new AppError('INVALID_INPUT', `The folder ${path} holds no data files.`, { remedy: `Put ${SUPPORTED} files in it.` });
  const kinds = new Set(data.map((x) => `${x.f!.format}/${x.f!.compression}`));
  if (kinds.size > 1) {
    throw new AppError('INVALID_INPUT', `The folder ${path} mixes formats (${[...kinds].join(', ')}).`, {
      remedy: 'A dataset folder holds files of one format; register the others separately.',
    });
  }
  const files: SourceFile[] = [];
  for (const { p } of data) {
    const fs = await stat(p);
    files.push({ path: p, rel: relative(path, p).split(sep).join('/'), bytes: fs.size, mtimeMs: fs.mtimeMs });
  }
  return { root: path, isFolder: true, ...data[0]!.f!, files, bytes: files.reduce((n, f) => n + f.bytes, 0) };
}

const UTF16_LE = [0xff, 0xfe];
const UTF16_BE = [0xfe, 0xff];
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const startsWith = (buf: Buffer, bytes: number[]) => bytes.every((b, i) => buf[i] === b);

/**
 * Look at the first bytes of a text file: refuse empty and binary files, find the encoding from
 * the byte-order mark (UTF-8 otherwise).
 */
export async function sniffText(file: SourceFile, compression: 'none' | 'gzip'): Promise<{ encoding: 'utf-8' | 'utf-16' }> {
  if (file.bytes === 0) throw new AppError('INVALID_INPUT', `${file.path} is empty.`, { remedy: 'Register a file that has a header and rows.' });
  const fh = await open(file.path, 'r').catch((e: unknown) => {
    throw fsErrorToAppError(e, file.path);
  });
  const head = Buffer.alloc(Math.min(65_536, file.bytes));
  try {
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  if (compression === 'gzip') {
    if (head[0] !== 0x1f || head[1] !== 0x8b) {
      throw new AppError('INVALID_INPUT', `${file.path} is named .gz but is not gzip-compressed.`, { remedy: 'Rename it without .gz, or compress it with gzip.' });
    }
    return { encoding: 'utf-8' };
  }
  // DuckDB's 'utf-16' is little-endian: a big-endian file would read as no rows at all.
  if (startsWith(head, UTF16_BE)) {
    throw new AppError('INVALID_INPUT', `${file.path} is UTF-16 big-endian text, which Greenhouse cannot read.`, {
      remedy: 'Save the file as UTF-8 (or UTF-16 little-endian), then register it again.',
    });
  }
  if (startsWith(head, UTF16_LE)) return { encoding: 'utf-16' };
  const body = startsWith(head, UTF8_BOM) ? head.subarray(3) : head;
  if (body.includes(0)) {
    throw new AppError('INVALID_INPUT', `${file.path} looks like a binary file, not text (it contains NUL bytes).`, {
      remedy: 'Check that this is the data file you meant; export it as CSV, JSON Lines or Parquet.',
    });
  }
  return { encoding: 'utf-8' };
}

/** Parquet files start and end with the magic bytes PAR1; a truncated file lacks the footer. */
export async function checkParquet(file: SourceFile): Promise<void> {
  const fh = await open(file.path, 'r').catch((e: unknown) => {
    throw fsErrorToAppError(e, file.path);
  });
  try {
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    if (file.bytes >= 8) await fh.read(tail, 0, 4, file.bytes - 4);
    if (head.toString('latin1') !== 'PAR1' || tail.toString('latin1') !== 'PAR1') {
      throw new AppError('INVALID_INPUT', `${file.path} is not a complete Parquet file (${head.toString('latin1') !== 'PAR1' ? 'wrong header' : 'missing footer: truncated?'}).`, {
        remedy: 'Write the Parquet file again, or copy it completely.',
      });
    }
  } finally {
    await fh.close();
  }
}

const size = (n: number) => (n % 1024 ** 2 === 0 ? `${n / 1024 ** 2} MB` : n % 1024 === 0 ? `${n / 1024} KB` : `${n} bytes`);

export function lineTooLong(path: string, limit: number, where: string): AppError {
  return new AppError('INVALID_INPUT', `${path} has a line longer than ${size(limit)} (${where}).`, {
    remedy:
      'Check that the file holds one record per line and really is of the type its name says (a missing closing quote also causes this).',
  });
}

/**
 * Finds a physical line longer than `limit` bytes in a stream of chunks without holding it. When
 * lines are not counted it costs two memchr calls per chunk: a line inside a chunk no longer
 * than the limit cannot exceed it, so only the runs across chunk boundaries matter.
 */
export class LineLengthGuard {
  private seen = 0;
  private lineStart = 0;
  /** Complete lines seen (only when counting). */
  lines = 0;

  constructor(
    private readonly path: string,
    private readonly limit: number,
    private readonly countLines = false,
  ) {}

  private fail(): never {
    throw lineTooLong(this.path, this.limit, this.countLines ? `line ${this.lines + 1}` : `the line starting at byte ${this.lineStart}`);
  }

  feed(chunk: Buffer): void {
    if (this.countLines || chunk.length > this.limit) {
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, nl + 1)) {
        if (this.seen + nl - this.lineStart > this.limit) this.fail();
        this.lineStart = this.seen + nl + 1;
        this.lines++;
      }
    } else {
      const first = chunk.indexOf(10);
      if (first !== -1) {
        if (this.seen + first - this.lineStart > this.limit) this.fail();
        this.lineStart = this.seen + chunk.lastIndexOf(10) + 1;
      }
    }
    this.seen += chunk.length;
    if (this.seen - this.lineStart > this.limit) this.fail();
  }
}

const gzipError = (path: string, e: unknown) =>
  new AppError('INVALID_INPUT', `${path} is a damaged or truncated gzip file (${(e as Error).message}).`, {
    remedy: 'Copy or download the file again completely, or register the uncompressed file.',
  });

const isZlibError = (e: unknown) => typeof (e as NodeJS.ErrnoException)?.code === 'string' && (e as NodeJS.ErrnoException).code!.startsWith('Z_');

/**
 * Read the start of a text file (decompressed) until `lines` lines have been seen, refusing a line
 * longer than `maxLineBytes` before the CSV sniffer, which reads the start of the file and cannot
 * be interrupted, spends seconds and hundreds of MB on it. Returns the first line.
 */
export async function scanHead(
  file: SourceFile,
  compression: 'none' | 'gzip',
  opts: { maxLineBytes: number; lines: number; encoding: 'utf-8' | 'utf-16' },
): Promise<string> {
  const raw = createReadStream(file.path, { highWaterMark: 65_536 });
  const stream: Readable = compression === 'gzip' ? raw.pipe(createGunzip()) : raw;
  if (stream !== raw) raw.on('error', (e) => stream.destroy(e));
  const guard = new LineLengthGuard(file.path, opts.maxLineBytes, true);
  const first: Buffer[] = [];
  let firstDone = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (!firstDone) {
        const nl = chunk.indexOf(10);
        first.push(nl === -1 ? chunk : chunk.subarray(0, nl));
        firstDone = nl !== -1;
      }
      guard.feed(chunk);
      if (guard.lines >= opts.lines) break;
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    if (isZlibError(e)) throw gzipError(file.path, e);
    throw fsErrorToAppError(e, file.path);
  } finally {
    raw.destroy();
    stream.destroy();
  }
  let line = Buffer.concat(first);
  if (opts.encoding === 'utf-16') return line.toString('utf16le').replace(/^\uFEFF/, '').replace(/\r?\0?$/, '');
  if (startsWith(line, UTF8_BOM)) line = line.subarray(3);
  return line.toString('utf8').replace(/\r$/, '');
}

/**
 * Decompress a whole gzip file and discard the output: DuckDB stops quietly at a truncated end
 * and does not check the CRC, so a damaged file would otherwise register with rows missing.
 */
export async function checkGzip(file: SourceFile, signal?: AbortSignal): Promise<void> {
  try {
    await pipeline(
      createReadStream(file.path, { highWaterMark: 1 << 20 }),
      createGunzip(),
      new Writable({
        write(_chunk, _enc, cb) {
          cb();
        },
      }),
      { signal },
    );
  } catch (e) {
    if (isZlibError(e)) throw gzipError(file.path, e);
    throw fsErrorToAppError(e, file.path);
  }
}

/**
 * Resolve a file or folder and check its files before any reader touches them: not empty, a
 * readable Parquet footer, a text encoding, no line too long for the CSV sniffer (which cannot
 * be interrupted). Returns the source and the first file's encoding. `empty` says what to do
 * about an empty one.
 */
export async function openSource(path: string, empty: { message: string; remedy: string }): Promise<{ source: DatasetSource; encoding: 'utf-8' | 'utf-16' }> {
  const source = await resolveSource(path);
  if (source.bytes === 0) throw new AppError('INVALID_INPUT', empty.message, { remedy: empty.remedy });
  let encoding: 'utf-8' | 'utf-16' = 'utf-8';
  const maxLineBytes = source.format === 'jsonl' ? MAX_JSON_LINE_BYTES : MAX_LINE_BYTES;
  for (const f of source.files) {
    if (source.format === 'parquet') {
      await checkParquet(f);
      continue;
    }
    const sniffed = await sniffText(f, source.compression);
    if (f === source.files[0]) encoding = sniffed.encoding;
    await scanHead(f, source.compression, { maxLineBytes, lines: SNIFF_ROWS + 1, encoding: sniffed.encoding });
  }
  return { source, encoding };
}
