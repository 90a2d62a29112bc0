// What kind of model file this is (by its first bytes), how to decompress a joblib container
// as a stream, and a check that an ONNX file is shaped like an ONNX model.

import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { extname } from 'node:path';
import { type Readable, type Writable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { AppError } from '../../../../shared/errors.js';
import { type ByteReader, EndOfStream } from './pickle-reader.js';
import { PROTO01_START } from './pickle-vm.js';

export type Compression = 'zlib' | 'gzip' | 'bz2' | 'xz' | 'lzma' | 'lz4';

export type Sniffed =
  /** A pickle stream; `headerless` when it has no PROTO opcode first (protocol 0 or 1). */
  | { kind: 'pickle'; headerless: boolean }
  /** A joblib file compressed as a whole (joblib.dump(..., compress=...)). */
  | { kind: 'compressed'; compression: Compression }
  | { kind: 'onnx' }
  | { kind: 'old-joblib' }
  | { kind: 'unknown' };

/** Bytes to read before deciding. */
export const SNIFF_BYTES = 16;

const startsWith = (head: Uint8Array, magic: readonly number[]): boolean => magic.every((b, i) => head[i] === b);

/** Decides the format from the first bytes (content wins over the extension). */
export function sniff(head: Uint8Array, path: string): Sniffed {
  // joblib's compressors, by the magic numbers joblib itself checks (joblib/compressor.py).
  // None of these first bytes is a pickle opcode a pickle can start with, except as noted.
  if (startsWith(head, [0x1f, 0x8b])) return { kind: 'compressed', compression: 'gzip' };
  if (startsWith(head, [0x42, 0x5a, 0x68])) return { kind: 'compressed', compression: 'bz2' }; // "BZh"
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return { kind: 'compressed', compression: 'xz' };
  // ']' is EMPTY_LIST, but a pickle never follows it with 00 00.
  if (startsWith(head, [0x5d, 0x00, 0x00])) return { kind: 'compressed', compression: 'lzma' };
  if (startsWith(head, [0x04, 0x22, 0x4d, 0x18])) return { kind: 'compressed', compression: 'lz4' };
  if (head[0] === 0x78) return { kind: 'compressed', compression: 'zlib' };
  if (startsWith(head, [0x5a, 0x46])) return { kind: 'old-joblib' }; // "ZF": joblib < 0.9.3
  if (head[0] === 0x80) return { kind: 'pickle', headerless: false };
  // ONNX is a protobuf ModelProto whose first field is ir_version (field 1, varint: 0x08).
  if (head[0] === 0x08 || extname(path).toLowerCase() === '.onnx') return { kind: 'onnx' };
  if (head[0] !== undefined && PROTO01_START.has(head[0])) return { kind: 'pickle', headerless: true };
  return { kind: 'unknown' };
}

/** A printable preview of the first bytes, for error messages. */
export function preview(head: Uint8Array): string {
  const bytes = [...head.subarray(0, 16)];
  const printable = bytes.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09);
  if (printable) return JSON.stringify(Buffer.from(bytes).toString('latin1'));
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Decompression

export interface Decompressor {
  input: Writable;
  output: Readable;
  /** Resolves when the decompressor finished well; rejects with an AppError saying what went wrong. */
  done: Promise<void>;
  stop(): void;
}

/**
 * bz2, lzma, xz and lz4 have no decoder in Node, so a Python subprocess decompresses stdin to stdout
 * with the standard library (and the lz4 package for lz4). Decompressing is not unpickling: nothing
 * in the file runs. Exit codes: 3 = lz4 missing, 4 = data ends early, 5 = damaged data.
 */
const PY_DECOMPRESS = `
import sys, shutil
kind = sys.argv[1]
if kind == 'bz2':
    import bz2; f = bz2.BZ2File(sys.stdin.buffer)
elif kind in ('xz', 'lzma'):
    import lzma; f = lzma.LZMAFile(sys.stdin.buffer, format=lzma.FORMAT_AUTO)
else:
    try:
        import lz4.frame
    except ImportError:
        sys.exit(3)
    f = lz4.frame.LZ4FrameFile(sys.stdin.buffer)
try:
    shutil.copyfileobj(f, sys.stdout.buffer, 1 << 20)
    sys.stdout.buffer.flush()
except EOFError as e:
    sys.stderr.write(str(e)); sys.exit(4)
except BrokenPipeError:
    sys.exit(0)
except Exception as e:
    sys.stderr.write(type(e).__name__ + ': ' + str(e)); sys.exit(5)
`;

export function truncatedError(path: string, what: string): AppError {
  return new AppError('INVALID_INPUT', `${path} ends inside the ${what}: it was cut short while copying.`, {
    remedy: 'Export it again (or copy the whole file again) and scan the new copy.',
  });
}

function damagedError(path: string, compression: Compression, detail: string): AppError {
  return new AppError('INVALID_INPUT', `The ${compression} data in ${path} is damaged (${detail}), so it cannot be scanned.`, {
    remedy: 'Export the model again with joblib.dump and scan the new file.',
  });
}

export function decompressor(compression: Compression, path: string, python: string | undefined): Decompressor {
  if (compression === 'zlib' || compression === 'gzip') {
    const z = compression === 'zlib' ? createInflate() : createGunzip();
    const done = new Promise<void>((resolve, reject) => {
      z.once('end', resolve);
      z.once('error', (e: NodeJS.ErrnoException) => {
        reject(e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message) ? truncatedError(path, `${compression} data`) : damagedError(path, compression, e.message));
      });
    });
    done.catch(() => undefined);
    return { input: z, output: z, done, stop: () => z.destroy() };
  }

  const exe = python ?? 'python3';
  // -I: isolated mode (no PYTHON* variables, no user site, no script folder on sys.path), run
  // from the temp folder so nothing next to the model can shadow the standard library.
  const child = spawn(exe, ['-I', '-c', PY_DECOMPRESS, compression], { cwd: tmpdir(), stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 4000) stderr += d;
  });
  // The reader may stop early (an error elsewhere); a closed pipe is not a failure of its own.
  child.stdin.on('error', () => undefined);
  let stopped = false;
  const done = new Promise<void>((resolve, reject) => {
    child.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        new AppError('PYTHON_ERROR', `Greenhouse needs Python to decompress ${compression} joblib files, and could not start ${exe} (${e.code ?? e.message}).`, {
          remedy: 'Install Python 3, or choose the Python interpreter to use; it only decompresses the file, nothing is loaded.',
          cause: e,
        }),
      );
    });
    child.once('close', (code, signal) => {
      if (code === 0 || stopped) return resolve();
      if (code === 3) {
        return reject(
          new AppError('PYTHON_ERROR', `${path} is compressed with lz4, and ${exe} cannot import the lz4 package to decompress it.`, {
            remedy: `Install it in that Python (${exe} -m pip install lz4), or save the model with another compression (compress=3 uses zlib).`,
          }),
        );
      }
      if (code === 4) return reject(truncatedError(path, `${compression} data`));
      if (code === 5) return reject(damagedError(path, compression, stderr.trim().split('\n').pop() ?? 'unreadable'));
      reject(new AppError('PYTHON_ERROR', `Decompressing ${path} with ${exe} failed (${signal ?? `exit code ${code}`}): ${stderr.trim().slice(-500)}`));
    });
  });
  done.catch(() => undefined);
  return {
    input: child.stdin,
    output: child.stdout,
    done,
    stop: () => {
      stopped = true;
      child.kill('SIGKILL');
    },
  };
}

// ---------------------------------------------------------------------------------------------
// ONNX

/** Reads a protobuf varint; null when it is not one. */
async function varint(r: ByteReader): Promise<number | null> {
  let v = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    await r.fill(1);
    const b = r.u8();
    v += (b & 0x7f) * scale;
    if (!(b & 0x80)) return v;
    scale *= 128;
  }
  return null;
}

export interface OnnxInfo {
  irVersion: number;
  producer: { name: string; version: string } | null;
}

/**
 * Walks the top-level fields of an ONNX ModelProto (protobuf) without holding them: the file must
 * parse as a sequence of well-formed fields and have an ir_version (1) and a graph (7). ONNX has no
 * pickle inside to scan; this only confirms what the file is. Returns null when it is not ONNX.
 */
export async function readOnnx(r: ByteReader): Promise<OnnxInfo | null> {
  let irVersion: number | null = null;
  let graph = false;
  const text: Record<number, string> = {};
  try {
    while (!(await r.atEnd())) {
      const key = await varint(r);
      if (key === null) return null;
      const field = Math.floor(key / 8);
      const wire = key % 8;
      if (field === 0) return null;
      if (wire === 0) {
        const v = await varint(r);
        if (v === null) return null;
        if (field === 1) irVersion = v;
      } else if (wire === 1) await r.skip(8);
      else if (wire === 5) await r.skip(4);
      else if (wire === 2) {
        const n = await varint(r);
        if (n === null) return null;
        if ((field === 2 || field === 3) && n <= 1024) text[field] = (await r.take(n)).toString('utf8');
        else await r.skip(n);
        if (field === 7) graph = true;
      } else return null; // groups (3, 4) are not used by ONNX; 6, 7 do not exist
    }
  } catch (e) {
    if (e instanceof EndOfStream) return null;
    throw e;
  }
  if (irVersion === null || !graph) return null;
  return { irVersion, producer: text[2] ? { name: text[2], version: text[3] ?? '' } : null };
}
