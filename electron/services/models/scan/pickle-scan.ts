// The static safety gate for model files: pickle, joblib (plain or compressed) and ONNX.
//
// Greenhouse never unpickles anything to decide whether a file is safe. The file is read once, as
// a stream: its bytes are hashed, decompressed when joblib compressed them, and fed to a symbolic
// pickle machine (pickle-vm.ts) that follows every opcode and records every name the pickle would
// import and every construct used to hide one. The allowlist (pickle-allowlist.ts) decides which
// names a scikit-learn / XGBoost / pandas model may need.
//
// Loading contract: a file reported as format 'joblib' must be loaded with joblib.load (the scan
// follows joblib's interleaved array data the way joblib reads it), 'pickle' with pickle.load or
// joblib.load (no interleaved data was seen, so both read it the same way).

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Transform, pipeline, type Readable } from 'node:stream';
import type { ScanFinding, ScanResult } from '../../../../shared/contract/models.js';
import { AppError } from '../../../../shared/errors.js';
import { fsErrorToAppError } from '../../errors.js';
import { type Compression, type Decompressor, SNIFF_BYTES, decompressor, preview, readOnnx, sniff, truncatedError } from './artifact-format.js';
import { ByteReader } from './pickle-reader.js';
import { HIGHEST_PROTOCOL, type Outcome, PickleVM, SEVERITY_RANK, ScanState, scanRest } from './pickle-vm.js';

export interface ScanOptions {
  signal?: AbortSignal;
  /** Fraction of the file read so far (0-1). */
  onProgress?: (fraction: number) => void;
  /** Python used only to decompress bz2/xz/lzma/lz4 joblib files (never to load anything). Default python3. */
  python?: string;
}

type PickleScan = Pick<ScanResult, 'safe' | 'protocol' | 'globals' | 'findings' | 'recordedVersions'>;

const cancelled = (): AppError => new AppError('CANCELLED', 'The scan was cancelled.');

const isSafe = (findings: readonly ScanFinding[]): boolean => !findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.medium);

const MODEL_FILES = 'Choose the model file itself: a pickle (.pkl), a joblib file (.joblib) or an ONNX model (.onnx).';

function notAModel(label: string, head: Uint8Array, detail?: string): AppError {
  return new AppError('INVALID_INPUT', `${label} is not a pickle, joblib or ONNX file: it starts with ${preview(head)}${detail ? ` and ${detail}` : ''}.`, {
    remedy: `${MODEL_FILES} If it is a model saved another way, save it again with joblib.dump or export it to ONNX.`,
  });
}

/**
 * Scans the pickle stream in `reader`: the first pickle, then whatever follows its STOP.
 * Throws an AppError when the stream is not a pickle, is cut short or declares an unknown
 * protocol, unless something dangerous was already found before that point (then the findings
 * are returned, with a 'format' finding saying where the file breaks: a payload is never hidden
 * behind an error).
 */
async function scanPickleStream(reader: ByteReader, label: string, head: Uint8Array, headerless: boolean, compressed: boolean): Promise<ScanState> {
  const state = new ScanState();
  const opts = { joblibArrays: true, depth: 0 };
  const out: Outcome = await new PickleVM(reader, state, opts).run();
  if (out.kind === 'stop') {
    await scanRest(reader, state, opts);
    return state;
  }
  if (out.kind === 'lost') return state; // a finding says why the scan stopped

  const what = out.kind === 'eof' ? `the data ends at byte ${out.at}, before the pickle's STOP` : `${out.reason} at byte ${out.at}`;
  if (state.hasSerious()) {
    state.add({ severity: 'high', kind: 'format', module: null, name: null, offset: out.at, message: `The file is damaged after what was found: ${what}.` });
    return state;
  }
  if (out.kind === 'invalid' && out.protocol !== undefined) {
    throw new AppError('INVALID_INPUT', `${label} declares pickle protocol ${out.protocol}; pickles have protocols 0 to ${HIGHEST_PROTOCOL}, so it is damaged or not a pickle.`, {
      remedy: `Save the model again with Python 3.8 or later (pickle protocol ${HIGHEST_PROTOCOL} or lower, e.g. joblib.dump(model, path)) and scan the new file.`,
    });
  }
  if (headerless) {
    // No PROTO header: a protocol 0/1 pickle, or (far more likely) not a pickle at all.
    throw notAModel(label, head, `does not parse as a pickle (${what}); if it is an old protocol 0 or 1 pickle, it may have been cut short: export it again`);
  }
  if (out.kind === 'eof') throw truncatedError(label, compressed ? 'compressed pickle' : 'pickle');
  // A pickle header followed by something no pickle contains: report it, the file is not safe.
  state.add({
    severity: 'high',
    kind: 'opcode',
    module: null,
    name: null,
    offset: out.at,
    message: `The pickle has ${out.reason} at byte ${out.at}: a loader would fail there, and the scan cannot follow the rest of the file.`,
  });
  return state;
}

function pickleResult(state: ScanState): PickleScan {
  const findings = state.findings();
  return {
    safe: isSafe(findings),
    protocol: state.protocol ?? state.impliedProtocol,
    globals: [...state.globals.values()],
    findings,
    recordedVersions: { ...state.versions },
  };
}

/** Scans an in-memory pickle stream (a .pkl's or an uncompressed joblib file's bytes). */
export async function scanPickleBytes(bytes: Uint8Array): Promise<PickleScan> {
  if (bytes.length === 0) throw new AppError('INVALID_INPUT', 'The pickle data is empty.', { remedy: 'Export the model again.' });
  const head = bytes.subarray(0, SNIFF_BYTES);
  const state = await scanPickleStream(ByteReader.of(bytes), 'The pickle data', head, bytes[0] !== 0x80, false);
  return pickleResult(state);
}

async function readHead(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Hashes `path` from `start` to its end (bytes the decompressor left unread). */
async function hashRest(path: string, start: number, hash: ReturnType<typeof createHash>): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(path, { start, highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    n += (chunk as Buffer).length;
  }
  return n;
}

/**
 * Statically scans a model file. Reads it once, in constant memory, and never loads or runs
 * anything in it. `safe` is true when no finding is critical, high or medium.
 */
export async function scanArtifact(path: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const { signal } = opts;
  if (signal?.aborted) throw cancelled();
  let before;
  let head: Buffer;
  try {
    before = await stat(path);
    if (before.isDirectory()) {
      throw new AppError('INVALID_INPUT', `${path} is a folder, not a model file.`, { remedy: `${MODEL_FILES} Pick the file inside the folder.` });
    }
    if (!before.isFile()) throw new AppError('INVALID_INPUT', `${path} is not a regular file.`, { remedy: MODEL_FILES });
    if (before.size === 0) {
      throw new AppError('INVALID_INPUT', `${path} is empty (0 bytes).`, { remedy: 'Export the model again; the copy or the save may have failed.' });
    }
    head = await readHead(path);
  } catch (e) {
    throw fsErrorToAppError(e, path);
  }
  const size = before.size;
  const sniffed = sniff(head, path);
  if (sniffed.kind === 'unknown') throw notAModel(path, head);
  if (sniffed.kind === 'old-joblib') {
    throw new AppError('INVALID_INPUT', `${path} was saved by joblib older than 0.9.3, a format Greenhouse does not read.`, {
      remedy: 'Load it with that old joblib in a trusted environment and save it again with a current joblib.dump (or export it to ONNX).',
    });
  }
  const compression: Compression | null = sniffed.kind === 'compressed' ? sniffed.compression : null;

  // file → tap (sha256, byte count, progress) → decompressor, if any → reader
  const hash = createHash('sha256');
  let read = 0;
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      read += chunk.length;
      opts.onProgress?.(Math.min(1, read / size));
      cb(null, chunk);
    },
  });
  const dec: Decompressor | null = compression ? decompressor(compression, path, opts.python) : null;
  const output: Readable = dec ? dec.output : tap;
  const fed = new Promise<void>((resolve, reject) => {
    pipeline(dec ? [raw, tap, dec.input] : [raw, tap], (err) => (err ? reject(err) : resolve()));
  });
  fed.catch(() => undefined);

  const stopAll = (why?: Error): void => {
    raw.destroy();
    tap.destroy();
    dec?.stop();
    output.destroy(why);
  };
  const onAbort = (): void => stopAll(cancelled());
  signal?.addEventListener('abort', onAbort, { once: true });

  // The decompressed bytes; a decompressor's own explanation of a failure wins over the read error.
  async function* decoded(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of output) yield chunk as Buffer;
    } catch (e) {
      if (dec) await dec.done;
      throw e;
    }
    if (dec) await dec.done;
  }

  try {
    const reader = new ByteReader(decoded());
    let body: Omit<ScanResult, 'bytes' | 'sha256'>;
    if (sniffed.kind === 'onnx') {
      const onnx = await readOnnx(reader);
      if (!onnx) {
        if (extname(path).toLowerCase() === '.onnx') {
          throw new AppError('INVALID_INPUT', `${path} is named like an ONNX model but is not one (it does not parse as an ONNX ModelProto).`, {
            remedy: 'Export the model to ONNX again (e.g. with skl2onnx) and check that the copy is complete.',
          });
        }
        throw notAModel(path, head);
      }
      body = {
        safe: true,
        format: 'onnx',
        compression: null,
        protocol: null,
        globals: [],
        findings: [],
        recordedVersions: { 'onnx-ir': String(onnx.irVersion), ...(onnx.producer ? { [onnx.producer.name]: onnx.producer.version } : {}) },
      };
    } else {
      const state = await scanPickleStream(reader, path, head, sniffed.kind === 'pickle' && sniffed.headerless, compression !== null);
      const ext = extname(path).toLowerCase();
      body = {
        ...pickleResult(state),
        format: compression || state.joblibArrays || ext === '.joblib' || ext === '.jl' ? 'joblib' : 'pickle',
        compression,
      };
    }
    // Whatever the scan did not need (after a finding that stopped it) is still hashed.
    await reader.drain();
    await fed;
    if (read < size) read += await hashRest(path, read, hash);
    const after = await stat(path);
    if (after.size !== size || after.mtimeMs !== before.mtimeMs || read !== size) {
      throw new AppError('IO_ERROR', `${path} changed while it was being scanned.`, { remedy: 'Wait until whatever writes it has finished, then scan it again.' });
    }
    if (signal?.aborted) throw cancelled();
    opts.onProgress?.(1);
    return { ...body, bytes: size, sha256: hash.digest('hex') };
  } catch (e) {
    if (signal?.aborted) throw cancelled();
    throw fsErrorToAppError(e, path);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stopAll();
  }
}
