// The static pickle safety gate, against real files: models and payloads written by Debian's
// Python (scikit-learn 1.2.1, joblib 1.2.0, xgboost 1.7.4, onnx) with every pickle protocol and
// every joblib compression, and hand-assembled opcode tricks. Nothing is ever unpickled, here or
// in the code under test.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanFinding, ScanResult } from '../../../../shared/contract/models.js';
import { tempDir } from '../../../test-support/temp.js';
import { scanArtifact, scanPickleBytes } from './pickle-scan.js';

// Debian's Python has scikit-learn, joblib, xgboost, onnx and lz4; `python3` on PATH may not.
const PYTHON = '/usr/bin/python3';
const CORPUS_SCRIPT = fileURLToPath(new URL('../../../test-support/pickle-corpus.py', import.meta.url));

interface Entry {
  path: string;
  group: 'benign' | 'malicious' | 'onnx' | 'big';
  model?: string;
  payload?: string;
  protocol?: number | null;
  compression?: string | null;
  expectGlobal?: [string, string];
  expectCritical?: [string, string][];
  expectEmbedded?: [string, string][];
}

// One corpus for the file (a few seconds to build); per-test files go to tempDir().
let corpus: string;
let files: Entry[];
beforeAll(() => {
  corpus = mkdtempSync(join(tmpdir(), 'gh-pickle-corpus-'));
  execFileSync(PYTHON, [CORPUS_SCRIPT, corpus, '--big'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
  files = (JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8')) as { files: Entry[] }).files;
}, 180_000);
afterAll(() => rmSync(corpus, { recursive: true, force: true }));

const inCorpus = (rel: string) => join(corpus, rel);
const group = (g: Entry['group']) => files.filter((f) => f.group === g);
const scan = (path: string, opts: Parameters<typeof scanArtifact>[1] = {}) => scanArtifact(path, { python: PYTHON, ...opts });
const serious = (r: Pick<ScanResult, 'findings'>) => r.findings.filter((f) => ['critical', 'high', 'medium'].includes(f.severity));
const short = (f: ScanFinding) => `${f.severity}/${f.kind}/${f.module}.${f.name}: ${f.message}`;

// --- hand assembly ---------------------------------------------------------------------------

const bytes = (...parts: (string | number[] | Uint8Array)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const PROTO = (n: number) => bytes([0x80, n]);
const SBU = (s: string) => bytes([0x8c, Buffer.byteLength(s)], Buffer.from(s, 'utf8')); // SHORT_BINUNICODE
const GLOBAL = (m: string, n: string) => bytes(`c${m}\n${n}\n`);
const SHORT_BINBYTES = (b: Uint8Array) => bytes([0x43, b.length], b);
const MEMOIZE = bytes([0x94]);
const STACK_GLOBAL = bytes([0x93]);
const STOP = '.';
const MARK = '(';
const REDUCE = 'R';
const BUILD = 'b';
const TUPLE1 = bytes([0x85]);
const TUPLE3 = bytes([0x87]);
const NEWOBJ = bytes([0x81]);
const EMPTY_TUPLE = ')';
const EMPTY_DICT = '}';
const SETITEMS = 'u';
const NEWTRUE = bytes([0x88]);
const NEWFALSE = bytes([0x89]);
const BININT1 = (n: number) => bytes([0x4b, n]);
/** os.system('id'), protocol 2, GLOBAL opcode. */
const PAYLOAD = bytes(PROTO(2), GLOBAL('os', 'system'), SBU('id'), TUPLE1, REDUCE, STOP);

function expectFinding(r: Pick<ScanResult, 'findings'>, f: Partial<ScanFinding>) {
  expect(r.findings, r.findings.map(short).join('\n')).toContainEqual(expect.objectContaining(f));
}

/** A joblib NumpyArrayWrapper for an array of `descr` with `shape`, as joblib >= 1.2 writes it (before its data). */
function arrayWrapper(descr: string, shape: number[], align: boolean, dtypeState = { elsize: -1, flags: 0 }) {
  const int = (n: number) => (n < 0 ? bytes([0x4a, 0xff, 0xff, 0xff, 0xff]) : BININT1(n));
  return bytes(
    SBU('joblib.numpy_pickle'), SBU('NumpyArrayWrapper'), STACK_GLOBAL, EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, MARK,
    SBU('subclass'), SBU('numpy'), SBU('ndarray'), STACK_GLOBAL,
    SBU('shape'), MARK, ...shape.map(BININT1), 't',
    SBU('order'), SBU('C'),
    SBU('dtype'), SBU('numpy'), SBU('dtype'), STACK_GLOBAL, SBU(descr), NEWFALSE, NEWTRUE, TUPLE3, REDUCE,
    MARK, BININT1(3), SBU('<'), 'NNN', int(dtypeState.elsize), int(-1), int(dtypeState.flags), 't', BUILD,
    SBU('allow_mmap'), NEWTRUE,
    ...(align ? [SBU('numpy_array_alignment_bytes'), BININT1(16)] : []),
    SETITEMS, BUILD,
  );
}

// --- real models ---------------------------------------------------------------------------------

describe('scanArtifact on real models', () => {
  it('passes every benign model in every pickle protocol and joblib compression', async () => {
    const benign = group('benign');
    expect(benign.length).toBeGreaterThan(80);
    const problems: string[] = [];
    for (const f of benign) {
      const r = await scan(inCorpus(f.path));
      const say = (what: string) => problems.push(`${f.path}: ${what}`);
      if (!r.safe) say(`not safe: ${serious(r).map(short).join(' | ')}`);
      const notes = r.findings.filter((x) => x.severity !== 'info');
      if (notes.length) say(`findings: ${notes.map(short).join(' | ')}`);
      const disallowed = r.globals.filter((g) => !g.allowed);
      if (disallowed.length) say(`disallowed globals: ${disallowed.map((g) => `${g.module}.${g.name}`).join(', ')}`);
      const expectedFormat = f.path.endsWith('.joblib') ? 'joblib' : 'pickle';
      if (r.format !== expectedFormat) say(`format ${r.format}`);
      if (r.compression !== (f.compression ?? null)) say(`compression ${r.compression}`);
      if (f.protocol !== null && f.protocol !== undefined && r.protocol !== f.protocol) say(`protocol ${r.protocol}, expected ${f.protocol}`);
      const [m, n] = f.expectGlobal!;
      if (!r.globals.some((g) => g.module === m && g.name === n && g.allowed)) say(`no allowed global ${m}.${n}`);
      const sklearnVersion = f.model === 'xgb' ? undefined : '1.2.1';
      if (r.recordedVersions['scikit-learn'] !== sklearnVersion) say(`recorded versions ${JSON.stringify(r.recordedVersions)}`);
      if (f.model === 'xgb' && r.recordedVersions.xgboost !== '1.7.4') say(`recorded versions ${JSON.stringify(r.recordedVersions)}`);
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('names the pipeline, its steps and the sklearn version of a Pipeline(ColumnTransformer, LogisticRegression)', async () => {
    for (const name of ['pipeline-p4.pkl', 'pipeline-none.joblib', 'pipeline-zlib.joblib']) {
      const r = await scan(inCorpus(`benign/${name}`));
      expect(r).toMatchObject({ safe: true, findings: [], recordedVersions: { 'scikit-learn': '1.2.1' } });
      const names = r.globals.map((g) => `${g.module}.${g.name}`);
      expect(names).toEqual(
        expect.arrayContaining([
          'sklearn.pipeline.Pipeline',
          'sklearn.compose._column_transformer.ColumnTransformer',
          'sklearn.preprocessing._data.StandardScaler',
          'sklearn.preprocessing._encoders.OneHotEncoder',
          'sklearn.linear_model._logistic.LogisticRegression',
        ]),
      );
      // First-seen order: the Pipeline is imported before what it contains.
      expect(names[0]).toBe('sklearn.pipeline.Pipeline');
    }
    // Uncompressed joblib: the arrays are raw data after each NumpyArrayWrapper, and object arrays
    // (OneHotEncoder's categories) nested pickles; the scan follows both.
    const joblib = await scan(inCorpus('benign/pipeline-none.joblib'));
    expect(joblib.globals).toContainEqual(expect.objectContaining({ module: 'joblib.numpy_pickle', name: 'NumpyArrayWrapper', allowed: true }));
  });

  it('reports the size and SHA-256 of the file as stored', async () => {
    for (const name of ['benign/forest-p4.pkl', 'benign/forest-bz2.joblib', 'benign/forest-gzip.joblib']) {
      const path = inCorpus(name);
      const r = await scan(path);
      expect(r.bytes).toBe(statSync(path).size);
      expect(r.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  });

  it('fails every malicious payload, in every protocol and joblib container, naming the global as critical', async () => {
    const malicious = group('malicious');
    expect(malicious.length).toBeGreaterThan(150);
    const problems: string[] = [];
    for (const f of malicious) {
      const r = await scan(inCorpus(f.path));
      const say = (what: string) => problems.push(`${f.path}: ${what} [${r.findings.map(short).join(' | ')}]`);
      if (r.safe) say('called safe');
      for (const [m, n] of f.expectCritical!) {
        if (!r.findings.some((x) => x.severity === 'critical' && x.kind === 'global' && x.module === m && x.name === n)) say(`no critical finding for ${m}.${n}`);
        if (!r.globals.some((g) => g.module === m && g.name === n && !g.allowed)) say(`${m}.${n} not among the globals`);
      }
      for (const [m, n] of f.expectEmbedded!) {
        if (!r.findings.some((x) => x.severity === 'critical' && x.kind === 'embedded' && x.module === m && x.name === n)) say(`no embedded finding for ${m}.${n}`);
      }
      if (r.compression !== (f.compression ?? null)) say(`compression ${r.compression}`);
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('finds a payload hidden in an object array, in the nested pickle joblib writes after the NumpyArrayWrapper', async () => {
    for (const name of ['object-array-none.joblib', 'object-array-zlib.joblib', 'object-array-gzip.joblib']) {
      const r = await scan(inCorpus(`malicious/${name}`));
      expect(r.safe).toBe(false);
      expect(r.format).toBe('joblib');
      expectFinding(r, { severity: 'critical', kind: 'global', module: 'posix', name: 'system' });
      // The model around it is still recognised.
      expect(r.recordedVersions).toEqual({ 'scikit-learn': '1.2.1' });
    }
  });

  it('reports the payload of a pickle inside a pickle (pickle.loads of bytes) as embedded', async () => {
    for (const proto of [0, 1, 2, 3, 4, 5]) {
      const r = await scan(inCorpus(`malicious/pickle-loads-p${proto}.pkl`));
      expectFinding(r, { severity: 'critical', kind: 'global', name: 'loads' });
      expectFinding(r, { severity: 'critical', kind: 'embedded', module: 'posix', name: 'system' });
    }
  });

  it('reads ONNX models as ONNX: no pickle, nothing to find', async () => {
    for (const f of group('onnx')) {
      const r = await scan(inCorpus(f.path));
      expect(r).toMatchObject({ safe: true, format: 'onnx', compression: null, protocol: null, globals: [], findings: [] });
      expect(r.recordedVersions).toMatchObject({ 'greenhouse-test': '0.1' });
    }
  });
});

// --- streaming, progress, cancellation ---------------------------------------------------------

describe('scanArtifact streaming', () => {
  it('scans a 64 MB joblib file, reporting progress by bytes read', async () => {
    const path = inCorpus('big/zeros-64mb.joblib');
    const seen: number[] = [];
    const r = await scan(path, { onProgress: (f) => seen.push(f) });
    expect(r).toMatchObject({ safe: true, format: 'joblib', compression: null, bytes: statSync(path).size });
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= seen[i - 1]!))).toBe(true);
    expect(seen.at(-1)).toBe(1);
  }, 60_000);

  it('is cancelled by the signal mid-scan', async () => {
    const controller = new AbortController();
    const run = scan(inCorpus('big/zeros-64mb.joblib'), { signal: controller.signal, onProgress: (f) => f < 1 && controller.abort() });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('is cancelled mid-scan while Python decompresses (bz2), and the Python process does not outlive it', async () => {
    const controller = new AbortController();
    const run = scan(inCorpus('big/random-8mb-bz2.joblib'), { signal: controller.signal, onProgress: (f) => f < 1 && controller.abort() });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    // The decompressing Python (a child of this process running the -c script) is gone.
    const decompressors = () =>
      execFileSync('ps', ['-o', 'stat=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('shutil') && !l.startsWith('Z'));
    for (let i = 0; i < 40 && decompressors().length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(decompressors()).toEqual([]);
    // A second, uncancelled scan of the same file completes.
    expect(await scan(inCorpus('big/random-8mb-bz2.joblib'))).toMatchObject({ safe: true, compression: 'bz2' });
  }, 60_000);

  it('refuses before reading when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(scan(inCorpus('benign/logreg-p4.pkl'), { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

// --- bad input -------------------------------------------------------------------------------------

describe('scanArtifact on files that are not models', () => {
  it('says a text file is not a pickle, joblib or ONNX file, with a remedy', async () => {
    const path = join(tempDir(), 'notes.txt');
    writeFileSync(path, 'This is a plain text file, not a model.\n');
    await expect(scan(path)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/is not a pickle, joblib or ONNX file/), remedy: expect.stringMatching(/\.pkl.*\.joblib.*\.onnx/) });
    const other = join(tempDir(), 'hello.pkl');
    writeFileSync(other, 'Hello, world');
    await expect(scan(other)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/not a pickle.*"Hello, world"/) });
  });

  it('says a pickle cut in half ends inside the pickle', async () => {
    const whole = readFileSync(inCorpus('benign/forest-p4.pkl'));
    const path = join(tempDir(), 'half.pkl');
    writeFileSync(path, whole.subarray(0, whole.length >> 1));
    await expect(scan(path)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/ends inside the pickle: it was cut short while copying/),
      remedy: expect.stringMatching(/Export it again/),
    });
    // The same for compressed joblib files, whoever decompresses them.
    for (const name of ['forest-zlib.joblib', 'forest-gzip.joblib', 'forest-bz2.joblib', 'forest-xz.joblib']) {
      const data = readFileSync(inCorpus(`benign/${name}`));
      const cut = join(tempDir(), name);
      writeFileSync(cut, data.subarray(0, data.length >> 1));
      await expect(scan(cut), name).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/ends inside the .* data: it was cut short/) });
    }
    // An uncompressed joblib file cut inside an array's raw data.
    const big = readFileSync(inCorpus('benign/forest-none.joblib'));
    const cutJoblib = join(tempDir(), 'cut.joblib');
    writeFileSync(cutJoblib, big.subarray(0, big.length - 40));
    await expect(scan(cutJoblib)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/ends inside the pickle/) });
  });

  it('refuses an unknown pickle protocol', async () => {
    const path = join(tempDir(), 'future.pkl');
    writeFileSync(path, bytes(PROTO(9), 'N', STOP));
    await expect(scan(path)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/declares pickle protocol 9/), remedy: expect.stringMatching(/protocol 5 or lower/) });
  });

  it('refuses an empty file, a missing path and a folder', async () => {
    const dir = tempDir();
    const empty = join(dir, 'empty.pkl');
    writeFileSync(empty, '');
    await expect(scan(empty)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/is empty/), remedy: expect.any(String) });
    await expect(scan(join(dir, 'missing.pkl'))).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/does not exist/) });
    mkdirSync(join(dir, 'model'));
    await expect(scan(join(dir, 'model'))).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/is a folder, not a model file/), remedy: expect.stringMatching(/inside/) });
  });

  it('rejects a 1 GB file of zeros at once, without reading it', async () => {
    const path = join(tempDir(), 'zeros.bin');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, 1 << 30); // sparse: nothing on disk
    closeSync(fd);
    const rss = process.memoryUsage().rss;
    const seen: number[] = [];
    await expect(scan(path, { onProgress: (f) => seen.push(f) })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/not a pickle.*00 00 00/) });
    expect(seen).toEqual([]); // failed on the first bytes: the stream never started
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
  });

  it('says a file named .onnx that is not ONNX is not one', async () => {
    const path = join(tempDir(), 'model.onnx');
    writeFileSync(path, bytes([0x08, 0x07, 0x12, 0x40]));
    await expect(scan(path)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/named like an ONNX model but is not one/) });
  });

  it('names the missing lz4 package, and a Python that cannot start', async () => {
    const dir = tempDir();
    // A Python without site-packages: it has bz2 and lzma (standard library) but not lz4.
    const bare = join(dir, 'bare-python');
    writeFileSync(bare, `#!/bin/sh\nexec ${PYTHON} -S "$@"\n`);
    chmodSync(bare, 0o755);
    await expect(scan(inCorpus('benign/logreg-lz4.joblib'), { python: bare })).rejects.toMatchObject({ code: 'PYTHON_ERROR', message: expect.stringMatching(/lz4 package/), remedy: expect.stringMatching(/pip install lz4/) });
    expect(await scan(inCorpus('benign/logreg-bz2.joblib'), { python: bare })).toMatchObject({ safe: true, compression: 'bz2' });
    await expect(scan(inCorpus('benign/logreg-xz.joblib'), { python: join(dir, 'no-such-python') })).rejects.toMatchObject({ code: 'PYTHON_ERROR', message: expect.stringMatching(/could not start/) });
  });
});

// --- opcode tricks, hand-assembled -------------------------------------------------------------

describe('scanPickleBytes on hand-assembled tricks', () => {
  it('resolves STACK_GLOBAL names fetched from the memo (os.system is critical)', async () => {
    const p = bytes(PROTO(4), SBU('os'), MEMOIZE, '0', SBU('system'), MEMOIZE, '0', 'h\x00', 'h\x01', STACK_GLOBAL, SBU('id'), TUPLE1, REDUCE, STOP);
    const r = await scanPickleBytes(p);
    expect(r.safe).toBe(false);
    expectFinding(r, { severity: 'critical', kind: 'global', module: 'os', name: 'system', offset: 22 });
    expect(r.globals).toEqual([{ module: 'os', name: 'system', allowed: false, count: 1 }]);
  });

  it('flags STACK_GLOBAL whose names are computed, not written', async () => {
    // str('o' 's')-style: the module name is the result of a call.
    const p = bytes(PROTO(4), GLOBAL('builtins', 'str'), SBU('os'), TUPLE1, REDUCE, SBU('system'), STACK_GLOBAL, SBU('id'), TUPLE1, REDUCE, STOP);
    const r = await scanPickleBytes(p);
    expect(r.safe).toBe(false);
    expectFinding(r, { severity: 'high', kind: 'opcode', message: expect.stringMatching(/STACK_GLOBAL .* not written as text/) });
    expectFinding(r, { severity: 'high', kind: 'opcode', message: expect.stringMatching(/REDUCE .* calls a computed import/) });
  });

  it('catches protocol 0 INST os\\nsystem\\n (an import and a call in one opcode)', async () => {
    const r = await scanPickleBytes(bytes(`(S'echo hi'\nios\nsystem\n.`));
    expect(r).toMatchObject({ safe: false, protocol: 0 });
    expectFinding(r, { severity: 'critical', kind: 'global', module: 'os', name: 'system', offset: 12 });
  });

  it('decodes protocol 0 text the way Python does', async () => {
    // STRING with escapes holding a whole pickle (\x80\x02...), and UNICODE with \u escapes.
    const escaped = [...PAYLOAD].map((c) => `\\x${c.toString(16).padStart(2, '0')}`).join('');
    expectFinding(await scanPickleBytes(bytes(`S'${escaped}'\n.`)), { severity: 'critical', kind: 'embedded', module: 'os', name: 'system' });
    const r = await scanPickleBytes(bytes('(Vsklearn.linear_model._logistic\nV\\u004cogisticRegression\n\x93)\x81.'));
    expect(r.globals).toEqual([{ module: 'sklearn.linear_model._logistic', name: 'LogisticRegression', allowed: true, count: 1 }]);
  });

  it('catches GLOBAL posix system, and Python 2 names mapped as the loader maps them', async () => {
    expectFinding(await scanPickleBytes(bytes(`cposix\nsystem\n(S'id'\ntR.`)), { severity: 'critical', module: 'posix', name: 'system' });
    // Below protocol 3 the loader imports __builtin__ as builtins and commands as subprocess.
    expectFinding(await scanPickleBytes(bytes(PROTO(2), GLOBAL('__builtin__', 'eval'), SBU('1'), TUPLE1, REDUCE, STOP)), { severity: 'critical', module: 'builtins', name: 'eval' });
    expectFinding(await scanPickleBytes(bytes(`ccommands\ngetoutput\n(S'id'\ntR.`)), { severity: 'critical', module: 'subprocess', name: 'getoutput' });
    expectFinding(await scanPickleBytes(bytes(`c__builtin__\nreduce\n.`)), { severity: 'critical', module: 'functools', name: 'reduce' });
  });

  it('flags the copyreg extension registry (EXT1/EXT2/EXT4)', async () => {
    const r = await scanPickleBytes(bytes(PROTO(2), [0x83, 0x01, 0x02], EMPTY_TUPLE, REDUCE, STOP));
    expect(r.safe).toBe(false);
    expectFinding(r, { severity: 'high', kind: 'opcode', message: expect.stringMatching(/EXT2 .* extension code 513/) });
    expectFinding(r, { severity: 'high', kind: 'opcode', message: expect.stringMatching(/REDUCE .* calls copyreg extension 513/) });
    expectFinding(await scanPickleBytes(bytes(PROTO(2), [0x82, 0x07], STOP)), { severity: 'high', message: expect.stringMatching(/EXT1/) });
    expectFinding(await scanPickleBytes(bytes(PROTO(2), [0x84, 0x07, 0, 0, 0], STOP)), { severity: 'high', message: expect.stringMatching(/EXT4/) });
  });

  it('flags persistent ids (BINPERSID, PERSID) and out-of-band buffers', async () => {
    expectFinding(await scanPickleBytes(bytes(PROTO(2), SBU('weights'), 'Q', STOP)), { severity: 'high', kind: 'opcode', message: expect.stringMatching(/BINPERSID .* persistent_load/) });
    expectFinding(await scanPickleBytes(bytes('Pweights\n.')), { severity: 'high', kind: 'opcode', message: expect.stringMatching(/PERSID/) });
    const r = await scanPickleBytes(bytes(PROTO(5), [0x97, 0x98], STOP));
    expect(r.safe).toBe(false);
    expectFinding(r, { severity: 'medium', kind: 'opcode', message: expect.stringMatching(/NEXT_BUFFER .* out-of-band/) });
  });

  it('reports a malicious pickle appended after a benign one, and odd trailing data', async () => {
    const benign = readFileSync(inCorpus('benign/logreg-p4.pkl'));
    const path = join(tempDir(), 'polyglot.pkl');
    writeFileSync(path, Buffer.concat([benign, PAYLOAD]));
    const r = await scan(path);
    expect(r.safe).toBe(false);
    expect(r.recordedVersions).toEqual({ 'scikit-learn': '1.2.1' });
    expectFinding(r, { severity: 'high', kind: 'opcode', offset: benign.length, message: expect.stringMatching(/second pickle starts at byte/) });
    expectFinding(r, { severity: 'critical', kind: 'global', module: 'os', name: 'system' });

    const garbage = await scanPickleBytes(Buffer.concat([benign, Buffer.from('\x00\x01trailing junk')]));
    expect(garbage.safe).toBe(false);
    expect(serious(garbage)).toEqual([expect.objectContaining({ severity: 'medium', kind: 'format', message: expect.stringMatching(/15 bytes of data follow the pickle's STOP/) })]);
  });

  it("flags REDUCE on a REDUCE result (calling what a call returned), even with allowed names", async () => {
    const r = await scanPickleBytes(bytes(PROTO(2), GLOBAL('builtins', 'slice'), EMPTY_TUPLE, REDUCE, EMPTY_TUPLE, REDUCE, STOP));
    expect(r.safe).toBe(false);
    expect(r.globals).toEqual([{ module: 'builtins', name: 'slice', allowed: true, count: 1 }]);
    expect(serious(r)).toEqual([expect.objectContaining({ severity: 'high', kind: 'opcode', offset: 21, message: expect.stringMatching(/REDUCE at byte 21 calls the result of calling builtins.slice/) })]);
  });

  it('flags BUILD and SETITEMS on an imported class itself', async () => {
    const build = await scanPickleBytes(bytes(PROTO(2), GLOBAL('collections', 'OrderedDict'), EMPTY_DICT, BUILD, STOP));
    expectFinding(build, { severity: 'high', kind: 'opcode', module: 'collections', name: 'OrderedDict', message: expect.stringMatching(/BUILD .* sets state on collections.OrderedDict itself/) });
    const setitems = await scanPickleBytes(bytes(PROTO(2), GLOBAL('collections', 'OrderedDict'), MARK, SBU('a'), SBU('b'), SETITEMS, STOP));
    expectFinding(setitems, { severity: 'high', kind: 'opcode', message: expect.stringMatching(/SETITEMS .* changes collections.OrderedDict itself/) });
  });

  it('flags a memo read of a slot never written, stack underflow and unknown opcodes', async () => {
    expectFinding(await scanPickleBytes(bytes(PROTO(2), 'h\x05', STOP)), { severity: 'high', kind: 'opcode', message: expect.stringMatching(/memo slot 5 .* never written/) });
    const under = await scanPickleBytes(bytes(PROTO(2), REDUCE, STOP));
    expectFinding(under, { severity: 'high', kind: 'opcode', message: expect.stringMatching(/REDUCE at byte 2 takes more values than the stack holds.*\(2 times\)/) });
    expectFinding(await scanPickleBytes(bytes(PROTO(4), [0xff], STOP)), { severity: 'high', kind: 'opcode', message: expect.stringMatching(/unknown opcode 0xff at byte 2/) });
    // Without a PROTO header a bad first opcode means it is not a pickle at all.
    await expect(scanPickleBytes(bytes('(\xff'))).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/not a pickle/) });
  });

  it('scans a bytes constant that is a pickle of its own, even when nothing unpickles it', async () => {
    const r = await scanPickleBytes(bytes(PROTO(3), SHORT_BINBYTES(PAYLOAD), STOP));
    expect(r.safe).toBe(false);
    expectFinding(r, { severity: 'critical', kind: 'embedded', module: 'os', name: 'system', offset: 2 });
    // Protocols 0-2 store bytes as latin-1 text (_codecs.encode(text, 'latin1')): scanned the same way.
    const text = PAYLOAD.toString('latin1');
    const utf8 = Buffer.from(text, 'utf8');
    const viaText = await scanPickleBytes(bytes(PROTO(2), GLOBAL('_codecs', 'encode'), [0x58], Buffer.from(new Uint32Array([utf8.length]).buffer), utf8, SBU('latin1'), [0x86], REDUCE, STOP));
    expectFinding(viaText, { severity: 'critical', kind: 'embedded', module: 'os', name: 'system' });
    // A benign pickle inside is only noted.
    const inner = await scanPickleBytes(bytes(PROTO(3), SHORT_BINBYTES(bytes(PROTO(2), 'N', STOP)), STOP));
    expect(inner.safe).toBe(true);
    expectFinding(inner, { severity: 'info', kind: 'embedded' });
  });

  it('follows a large bytes constant as a stream and still finds the pickle inside', async () => {
    const padding = Buffer.from('N0'.repeat(10 * 1024 * 1024), 'latin1'); // 20 MB of NONE, POP, then the payload
    const inner = bytes(PROTO(4), padding, GLOBAL('os', 'system'), SBU('id'), TUPLE1, REDUCE, STOP);
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(inner.length));
    const r = await scanPickleBytes(bytes(PROTO(4), [0x8e], length, inner, STOP)); // BINBYTES8
    expectFinding(r, { severity: 'critical', kind: 'embedded', module: 'os', name: 'system' });
    // The same as latin-1 text (BINUNICODE8, protocols 0-2 style), decoded on the fly.
    const text = Buffer.from(inner.toString('latin1'), 'utf8');
    length.writeBigUInt64LE(BigInt(text.length));
    expectFinding(await scanPickleBytes(bytes(PROTO(4), [0x8d], length, text, STOP)), { severity: 'critical', kind: 'embedded', module: 'os', name: 'system' });
    // A protocol 0 text line too long to hold that starts like a pickle (here escaped) cannot be
    // followed: said so, not ignored.
    const line = await scanPickleBytes(bytes('V\\u0080\\u0004', padding, '\n.'));
    expectFinding(line, { severity: 'high', kind: 'embedded', message: expect.stringMatching(/starts like a pickle but is too large/) });
  }, 30_000);

  it('denies dangerous names inside allowed libraries and attribute walks', async () => {
    const one = async (m: string, n: string) => {
      const r = await scanPickleBytes(bytes(PROTO(4), SBU(m), SBU(n), STACK_GLOBAL, STOP));
      return r.findings.find((f) => f.kind === 'global')?.severity ?? 'allowed';
    };
    expect(await one('numpy', 'load')).toBe('critical');
    expect(await one('numpy.lib.npyio', 'fromfile')).toBe('critical');
    expect(await one('numpy.testing', 'assert_equal')).toBe('critical');
    expect(await one('pandas', 'read_pickle')).toBe('critical');
    expect(await one('pandas.core.frame', 'DataFrame.eval')).toBe('critical');
    expect(await one('sklearn.utils._testing', 'assert_run_python_script')).toBe('critical');
    expect(await one('sklearn.base', 'BaseEstimator.__init__.__globals__')).toBe('critical');
    expect(await one('operator', 'attrgetter')).toBe('critical');
    expect(await one('importlib', 'import_module')).toBe('critical');
    expect(await one('torch', 'load')).toBe('critical');
    expect(await one('torch.nn', 'Linear')).toBe('high');
    expect(await one('sklearn.utils', 'indexable')).toBe('high'); // a function, not a class
    expect(await one('mypackage.models', 'MyTransformer')).toBe('high');
    // Attribute walks from an allowed module into one it imported, and dangerous things sklearn or
    // xgboost import under CamelCase names (a real pickle names the defining module).
    expect(await one('sklearn.utils', 'os.system')).toBe('critical');
    expect(await one('xgboost.core', 'ctypes.CDLL')).toBe('critical');
    expect(await one('sklearn', 'utils._testing.assert_run_python_script')).toBe('critical');
    expect(await one('xgboost.core', '_LIB')).toBe('critical');
    expect(await one('sklearn.utils._available_if', 'MethodType')).toBe('critical');
    expect(await one('sklearn.utils.discovery', 'Path')).toBe('critical');
    expect(await one('sklearn.pipeline', 'Pipeline.fit')).toBe('high');
    expect(await one('sklearn.linear_model._logistic', 'LogisticRegression')).toBe('allowed');
    expect(await one('xgboost.sklearn', 'XGBRegressor')).toBe('allowed');
    expect(await one('numpy.core.multiarray', '_reconstruct')).toBe('allowed');
    expect(await one('numpy._core.multiarray', '_reconstruct')).toBe('allowed');
    expect(await one('scipy.sparse._csr', 'csr_matrix')).toBe('allowed');
    expect(await one('pandas.core.frame', 'DataFrame')).toBe('allowed');
    expect(await one('numpy', 'log1p')).toBe('allowed');
  });

  it("checks what numpy's _ufunc_reconstruct imports by name", async () => {
    const call = (m: string, n: string) => scanPickleBytes(bytes(PROTO(2), GLOBAL('numpy.core', '_ufunc_reconstruct'), SBU(m), SBU(n), [0x86], REDUCE, STOP));
    expect((await call('numpy', 'log1p')).safe).toBe(true);
    expectFinding(await call('os', 'system'), { severity: 'critical', kind: 'global', module: 'os', name: 'system' });
  });

  it('keeps the first of two different sklearn versions, with a note', async () => {
    const estimator = (v: string) => bytes(GLOBAL('sklearn.linear_model._base', 'LinearRegression'), EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, SBU('_sklearn_version'), SBU(v), 's', BUILD);
    const r = await scanPickleBytes(bytes(PROTO(2), MARK, estimator('1.0.2'), estimator('1.2.1'), 'l', STOP));
    expect(r).toMatchObject({ safe: true, recordedVersions: { 'scikit-learn': '1.0.2' } });
    expectFinding(r, { severity: 'info', message: expect.stringMatching(/scikit-learn 1.2.1, others by 1.0.2/) });
  });

  it('skips joblib array data exactly, whatever the bytes look like, and fails closed on a dtype it does not know', async () => {
    // A float64 array of 2 items after a 16-byte alignment: its "data" spells os.system opcodes,
    // which joblib reads as numbers, not as opcodes.
    const data = Buffer.alloc(16);
    Buffer.from('cos\nsystem\n').copy(data);
    const ok = await scanPickleBytes(bytes(PROTO(4), arrayWrapper('f8', [2], true), [3], Buffer.alloc(3, 0xff), data, STOP));
    expect(ok).toMatchObject({ safe: true, findings: [] });
    // Without numpy_array_alignment_bytes (joblib < 1.2) there is no padding.
    expect((await scanPickleBytes(bytes(PROTO(4), arrayWrapper('i4', [2, 2], false), Buffer.alloc(16), STOP))).safe).toBe(true);
    // An empty array has no data: what follows is opcodes again, and is scanned.
    const after = await scanPickleBytes(bytes(PROTO(4), arrayWrapper('f8', [0], true), [0], '0', GLOBAL('os', 'system'), STOP));
    expectFinding(after, { severity: 'critical', module: 'os', name: 'system' });
    // numpy ignores the object flag on a float dtype's state: the data is raw, not a nested pickle.
    expect((await scanPickleBytes(bytes(PROTO(4), arrayWrapper('f8', [1], false, { elsize: -1, flags: 63 }), Buffer.alloc(8), STOP))).safe).toBe(true);
    // ...but it takes the item size of S/U/V from the state: one that disagrees is refused, not guessed.
    const resized = await scanPickleBytes(bytes(PROTO(4), arrayWrapper('S4', [1], false, { elsize: 8, flags: 0 }), Buffer.alloc(8), STOP));
    expectFinding(resized, { severity: 'high', kind: 'format', message: expect.stringMatching(/inconsistent item size/) });
    // An array that starts inside an unfinished protocol 4 frame: joblib would read its data from
    // after the frame, and the rest of the frame as opcodes. The scan refuses to guess.
    const body = bytes(arrayWrapper('f8', [1], false), 'N', STOP);
    const frame = Buffer.alloc(9);
    frame[0] = 0x95;
    frame.writeBigUInt64LE(BigInt(body.length), 1);
    const framed = await scanPickleBytes(bytes(PROTO(4), frame, body, Buffer.alloc(8)));
    expectFinding(framed, { severity: 'high', kind: 'format', message: expect.stringMatching(/inside a pickle frame that has 2 more bytes/) });
    // A dtype the scan does not understand: it cannot know where the data ends, so it says so.
    const unknown = await scanPickleBytes(bytes(PROTO(4), arrayWrapper('x9', [2], true), Buffer.alloc(64), STOP));
    expect(unknown.safe).toBe(false);
    expectFinding(unknown, { severity: 'high', kind: 'format', message: expect.stringMatching(/cannot follow the joblib array .*not a dtype the scan understands/) });
  });

  it('stops with a finding rather than hold an unbounded stack', async () => {
    const r = await scanPickleBytes(bytes(PROTO(2), 'N'.repeat(1_100_000), STOP));
    expect(r.safe).toBe(false);
    expectFinding(r, { severity: 'high', kind: 'format', message: expect.stringMatching(/holds more than 1,000,000 values/) });
  });

  it('never hides a payload behind a damaged file: findings before the damage are returned', async () => {
    const r = await scanPickleBytes(bytes(PROTO(2), GLOBAL('os', 'system'), SBU('id'), TUPLE1, REDUCE));
    expect(r.safe).toBe(false);
    expectFinding(r, { severity: 'critical', module: 'os', name: 'system' });
    expectFinding(r, { severity: 'high', kind: 'format', message: expect.stringMatching(/damaged after what was found/) });
  });
});
