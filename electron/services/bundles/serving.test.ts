// The serving app, the drift check and the generated tests (resources/serving/) on bundles assembled
// by hand: a model trained by Debian's scikit-learn, the training CSV profiled by the real backend,
// golden predictions computed by the model itself, and app/server.py started with Debian's python3
// on a free loopback port, as the image runs it.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnProfile } from '../../../shared/contract/index.js';
import { psi } from '../../../shared/stats/psi.js';
import { startTestBackend } from '../../test-support/backend.js';
import { DEBIAN_PYTHON, trainModel, writeCustomersCsv } from '../../test-support/models.js';
import { BUNDLE_FILES, type ServingMetadata } from './layout.js';

const SERVING = fileURLToPath(new URL('../../../resources/serving/', import.meta.url));

type Json = unknown;
type Row = (string | number | boolean | null)[];
interface Golden {
  columns: string[];
  rows: Row[];
  predictions: (string | number | boolean | null)[];
  probabilities: number[][] | null;
  classes: (string | number | boolean)[] | null;
  tolerance: number;
}
interface Reference {
  dataset: { name: string; version: number; rows: number; sha256: string };
  columns: ColumnProfile[];
}
interface Bundle {
  dir: string;
  metadata: ServingMetadata;
  golden: Golden;
  reference: Reference;
  records: Record<string, Json>[];
}

// ---------------------------------------------------------------------------------------------
// fixtures

const roots: string[] = [];
const processes: ChildProcess[] = [];
afterAll(() => {
  for (const p of processes) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function newRoot(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  roots.push(dir);
  return dir;
}

/** The training CSV and its profile, made once: the backend registers it as the app does. */
let training: Promise<{ csv: string; reference: Reference }> | null = null;
function trainingData(): Promise<{ csv: string; reference: Reference }> {
  training ??= (async () => {
    const csv = writeCustomersCsv(join(newRoot('gh-serving-data-'), 'customers.csv'));
    const t = await startTestBackend();
    try {
      const job = await t.finish(await t.call('datasets.register', { path: csv, name: 'customers' }));
      if (job.state !== 'succeeded') throw new Error(`registering the CSV failed: ${JSON.stringify(job)}`);
      const d = await t.call('datasets.get', { name: 'customers' });
      return { csv, reference: { dataset: { name: d.name, version: d.version.version, rows: d.version.rows, sha256: d.version.sha256 }, columns: d.columns } };
    } finally {
      await t.close();
    }
  })();
  return training;
}

/** Golden predictions: the model itself on every 20th training row, read as pandas reads the CSV. */
const GOLDEN = String.raw`
import json, sys, joblib, pandas as pd, sklearn
csv, model_path = sys.argv[1], sys.argv[2]
cols = json.loads(sys.argv[3])
df = pd.read_csv(csv)
sample = df.iloc[::20][cols]
model = joblib.load(model_path)
scalar = lambda v: v.item() if hasattr(v, 'item') else v
proba = model.predict_proba(sample).tolist() if hasattr(model, 'predict_proba') else None
print(json.dumps({
    'count': len(sample), 'seed': 0, 'dataset': {'name': 'customers', 'version': 1},
    'libraryVersions': {'scikit-learn': sklearn.__version__, 'pandas': pd.__version__},
    'columns': cols, 'rows': [[scalar(v) for v in r] for r in sample.itertuples(index=False)],
    'predictions': [scalar(v) for v in model.predict(sample)], 'probabilities': proba,
    'classes': [scalar(c) for c in model.classes_] if hasattr(model, 'classes_') else None, 'tolerance': 1e-6,
}))
`;

const DTYPES: Record<string, ServingMetadata['signature']['inputs'][number]['dtype']> = {
  integer: 'int64',
  number: 'float64',
  text: 'string',
  boolean: 'bool',
  date: 'datetime',
  timestamp: 'datetime',
  other: 'object',
};

/** A bundle folder as the generator lays it out: app/, tests/, model/, monitoring/. */
async function assembleBundle(kind: 'pipeline' | 'regressor', opts: { inputsFrom?: 'model' | 'dataset' } = {}): Promise<Bundle> {
  const { csv, reference } = await trainingData();
  const dir = join(newRoot(`gh-bundle-${kind}-`), 'bundle');
  for (const sub of ['app', 'tests', 'model', 'monitoring']) mkdirSync(join(dir, sub), { recursive: true });
  const modelFile = `${BUNDLE_FILES.modelDir}/model.joblib`;
  trainModel(csv, join(dir, modelFile), kind);
  const features = kind === 'pipeline' ? ['age', 'income', 'plan', 'active'] : ['age', 'income'];
  const golden = JSON.parse(execFileSync(DEBIAN_PYTHON, ['-c', GOLDEN, csv, join(dir, modelFile), JSON.stringify(features)], { encoding: 'utf8' })) as Golden;
  const classification = kind === 'pipeline';
  const metadata: ServingMetadata = {
    name: classification ? 'churn' : 'spend',
    version: 3,
    format: 'joblib',
    modelFile,
    framework: 'scikit-learn',
    className: classification ? 'Pipeline' : 'Ridge',
    task: classification ? 'classification' : 'regression',
    classes: golden.classes,
    signature: {
      inputsFrom: 'model',
      inputs: features.map((name) => ({ name, dtype: DTYPES[reference.columns.find((c) => c.name === name)!.kind]!, nullable: false })),
      outputs: classification
        ? [
            { name: 'label', kind: 'label', dtype: 'int64', class: null },
            ...golden.classes!.map((c) => ({ name: `proba_${String(c)}`, kind: 'probability' as const, dtype: 'float64', class: c })),
          ]
        : [{ name: 'value', kind: 'value', dtype: 'float64', class: null }],
    },
    createdAt: new Date(Date.now() - 3600_000).toISOString(),
    sha256: createHash('sha256').update(readFileSync(join(dir, modelFile))).digest('hex'),
  };
  // The contract's Signature also says where the input names come from; without it the app asks the model.
  const written = opts.inputsFrom ? { ...metadata, signature: { ...metadata.signature, inputsFrom: opts.inputsFrom } } : metadata;
  writeFileSync(join(dir, BUNDLE_FILES.metadata), JSON.stringify(written, null, 2));
  writeFileSync(join(dir, BUNDLE_FILES.golden), JSON.stringify(golden, null, 2));
  writeFileSync(join(dir, BUNDLE_FILES.reference), JSON.stringify(reference, null, 2));
  copyFileSync(join(SERVING, 'server.py'), join(dir, BUNDLE_FILES.server));
  copyFileSync(join(SERVING, 'drift.py'), join(dir, BUNDLE_FILES.drift));
  copyFileSync(join(SERVING, 'test_model.py'), join(dir, BUNDLE_FILES.tests));
  const records = golden.rows.map((r) => Object.fromEntries(golden.columns.map((c, i) => [c, r[i]])));
  return { dir, metadata, golden, reference, records };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
  const { port } = srv.address() as AddressInfo;
  await new Promise((ok) => srv.close(ok));
  return port;
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

interface Served {
  proc: ChildProcess;
  url: string;
  port: number;
  exit: Promise<number | null>;
  logs(): Record<string, Json>[];
  stderr(): string;
}

/** `python3 app/server.py` from the bundle root on 127.0.0.1, once /v2/health/ready answers 200. */
async function serve(bundle: string, env: Record<string, string> = {}): Promise<Served> {
  const port = await freePort();
  const proc = spawn(DEBIAN_PYTHON, ['app/server.py'], {
    cwd: bundle,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PORT: String(port), HOST: '127.0.0.1', GREENHOUSE_PREDICTION_LOG: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  processes.push(proc);
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  let exited = false;
  const exit = new Promise<number | null>((ok) =>
    proc.on('exit', (code) => {
      exited = true;
      ok(code);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`server.py exited before it was ready:\n${out}\n${err}`);
    const status = await fetch(`${url}/v2/health/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() > deadline) throw new Error(`server.py was not ready within 30 s:\n${out}\n${err}`);
    await sleep(50);
  }
  return {
    proc,
    url,
    port,
    exit,
    logs: () =>
      out
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Record<string, Json>),
    stderr: () => err,
  };
}

interface Answer {
  status: number;
  body: Record<string, Json>;
  headers: Headers;
}

async function call(s: Served, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const init: RequestInit = { method, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const r = await fetch(s.url + path, init);
  const text = await r.text();
  return { status: r.status, body: (text ? JSON.parse(text) : null) as Record<string, Json>, headers: r.headers };
}

const tensor = (name: string, datatype: string, shape: number[], data: unknown[]) => ({ name, datatype, shape, data });
const V2_TYPES: Record<string, string> = { int64: 'INT64', float64: 'FP64', bool: 'BOOL', string: 'BYTES' };

/** One tensor per column, named as in the signature (MLServer's pandas codec). */
function columnTensors(b: Bundle, records = b.records) {
  return b.metadata.signature.inputs.map((i) => tensor(i.name, V2_TYPES[i.dtype]!, [records.length], records.map((r) => r[i.name])));
}

function runPython(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(DEBIAN_PYTHON, args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectProbabilities(actual: number[][], expected: number[][]) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((p, j) => expect(Math.abs(p - expected[i]![j]!)).toBeLessThanOrEqual(1e-12)));
}

// ---------------------------------------------------------------------------------------------
// Prometheus text format 0.0.4, parsed strictly

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new Error(`bad labels in: ${line}`);
    labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    at = re.lastIndex;
  }
  return labels;
}

function parseValue(v: string, line: string): number {
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  if (v === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) throw new Error(`bad value in: ${line}`);
  return Number(v);
}

/** Samples of an exposition; throws on anything the format does not allow. */
function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const samples: Sample[] = [];
  const finished = new Set<string>();
  let current: string | null = null;
  const familyOf = (name: string) => {
    for (const suffix of ['_bucket', '_sum', '_count']) {
      const base = name.slice(0, -suffix.length);
      if (name.endsWith(suffix) && types.get(base) === 'histogram') return base;
    }
    return name;
  };
  const enter = (family: string, line: string) => {
    if (family !== current) {
      if (finished.has(family)) throw new Error(`family ${family} is not contiguous at: ${line}`);
      if (current) finished.add(current);
      current = family;
    }
  };
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const [, what, name, rest] = meta;
      enter(name!, line);
      if (what === 'TYPE') {
        if (types.has(name!)) throw new Error(`second TYPE for ${name}`);
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest!)) throw new Error(`bad type: ${line}`);
        if (samples.some((s) => familyOf(s.name) === name)) throw new Error(`TYPE after samples: ${line}`);
        types.set(name!, rest!);
      } else {
        if (helps.has(name!)) throw new Error(`second HELP for ${name}`);
        helps.add(name!);
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const sample = { name: m[1]!, labels: m[2] ? parseLabels(m[2], line) : {}, value: parseValue(m[3]!, line) };
    enter(familyOf(sample.name), line);
    samples.push(sample);
  }
  // Histograms: cumulative buckets ending at +Inf, equal to _count.
  for (const [name, type] of types) {
    if (type !== 'histogram') continue;
    const series = new Map<string, Sample[]>();
    for (const s of samples.filter((x) => x.name === `${name}_bucket`)) {
      const { le, ...rest } = s.labels;
      if (le === undefined) throw new Error(`${name}_bucket without le`);
      const key = JSON.stringify(rest);
      series.set(key, [...(series.get(key) ?? []), s]);
    }
    for (const [key, buckets] of series) {
      const les = buckets.map((b) => parseValue(b.labels.le!, b.labels.le!));
      expect(les, `${name} ${key} bucket bounds ascend`).toEqual([...les].sort((a, b) => a - b));
      expect(les.at(-1)).toBe(Infinity);
      const counts = buckets.map((b) => b.value);
      expect(counts, `${name} ${key} buckets are cumulative`).toEqual([...counts].sort((a, b) => a - b));
      const count = samples.find((x) => x.name === `${name}_count` && JSON.stringify(x.labels) === key);
      expect(count?.value, `${name}_count ${key}`).toBe(counts.at(-1));
      expect(samples.some((x) => x.name === `${name}_sum` && JSON.stringify(x.labels) === key)).toBe(true);
    }
  }
  return { samples, types };
}

function metric(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found.reduce((sum, s) => sum + s.value, 0);
}

async function scrape(s: Served) {
  const r = await fetch(`${s.url}/metrics`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheus(await r.text());
}

// ---------------------------------------------------------------------------------------------
// independent PSI / JS (TypeScript, from the raw batch values)

function jsDistance(expected: number[], actual: number[]): number {
  const te = expected.reduce((a, b) => a + b, 0);
  const ta = actual.reduce((a, b) => a + b, 0);
  let d = 0;
  expected.forEach((e, i) => {
    const p = e / te;
    const q = actual[i]! / ta;
    const m = (p + q) / 2;
    if (p > 0) d += 0.5 * p * Math.log2(p / m);
    if (q > 0) d += 0.5 * q * Math.log2(q / m);
  });
  return Math.sqrt(Math.max(d, 0));
}

/** Reference and batch counts over the reference's buckets: histogram bins (lower, upper] or frequent values + other, and nulls. */
function bucketCounts(col: ColumnProfile, refRows: number, values: (string | null)[]): { expected: number[]; actual: number[] } {
  const nulls = values.filter((v) => v === null || v === '').length;
  const present = values.filter((v): v is string => v !== null && v !== '');
  if (col.histogram) {
    const edges = [col.histogram[0]!.lower as number, ...col.histogram.map((b) => b.upper as number)];
    const k = edges.length - 1;
    const actual = new Array<number>(k).fill(0);
    for (const v of present.map(Number)) {
      let i = 0;
      while (i < k - 1 && v > edges[i + 1]!) i++;
      actual[i]!++;
    }
    return { expected: [...col.histogram.map((b) => b.count), col.nulls], actual: [...actual, nulls] };
  }
  const top = col.top!;
  const keys = top.map((t) => String(t.value));
  const complete = col.distinct <= top.length;
  const listed = top.reduce((s, t) => s + t.count, 0);
  const actual = new Array<number>(top.length + 1).fill(0);
  for (const v of present) {
    const i = keys.indexOf(col.kind === 'boolean' ? v.toLowerCase() : v);
    actual[i < 0 ? top.length : i]!++;
  }
  return { expected: [...top.map((t) => t.count), complete ? 0 : refRows - col.nulls - listed, col.nulls], actual: [...actual, nulls] };
}

interface DriftFeature {
  name: string;
  psi: number;
  js: number;
  psiBand: string;
  drift: boolean;
  batch: { rows: number; aboveRange?: number; newValues?: { value: string; count: number }[] };
  skipped?: string;
}
interface DriftReport {
  rows: number;
  drift: boolean;
  checked: number;
  drifted: string[];
  features: DriftFeature[];
  batch: { format: string };
}

function drift(bundle: string, batch: string): DriftReport {
  const r = runPython(bundle, ['app/drift.py', batch, '--json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as DriftReport;
}

// ---------------------------------------------------------------------------------------------

describe('serving app: a classifier pipeline (mixed-type columns)', () => {
  let b: Bundle;
  let s: Served;
  let logPath: string;

  beforeAll(async () => {
    b = await assembleBundle('pipeline', { inputsFrom: 'model' });
    logPath = join(b.dir, '..', 'predictions.jsonl');
    s = await serve(b.dir, { GREENHOUSE_PREDICTION_LOG: logPath, GREENHOUSE_MAX_ROWS: '500', GREENHOUSE_MAX_BODY_BYTES: '200000' });
  }, 180_000);

  it('answers the V2 server metadata, health and model metadata', async () => {
    expect((await call(s, 'GET', '/v2/health/live')).body).toEqual({ live: true });
    expect((await call(s, 'GET', '/v2/health/ready')).body).toEqual({ ready: true });
    expect((await call(s, 'GET', '/v2/models/churn/ready')).status).toBe(200);
    const server = await call(s, 'GET', '/v2');
    expect(server.body).toMatchObject({ name: 'greenhouse-serving', extensions: [] });
    const meta = await call(s, 'GET', '/v2/models/churn');
    expect(meta.status).toBe(200);
    expect(meta.body).toMatchObject({
      name: 'churn',
      versions: ['3'],
      platform: 'scikit-learn',
      inputs: [
        { name: 'age', datatype: 'INT64', shape: [-1] },
        { name: 'income', datatype: 'FP64', shape: [-1] },
        { name: 'plan', datatype: 'BYTES', shape: [-1] },
        { name: 'active', datatype: 'BOOL', shape: [-1] },
      ],
      outputs: [
        { name: 'label', datatype: 'INT64', shape: [-1] },
        { name: 'probabilities', datatype: 'FP64', shape: [-1, 2], parameters: { classes: [0, 1] } },
      ],
    });
    expect((await call(s, 'GET', '/v2/models/churn/versions/3')).status).toBe(200);
    expect((await call(s, 'GET', '/v2/models/churn/versions/4')).status).toBe(404);
  });

  it('infers the golden rows from one tensor per column and from one 2-D tensor', async () => {
    const n = b.records.length;
    const perColumn = await call(s, 'POST', '/v2/models/churn/infer', { id: 'req-columns', inputs: columnTensors(b) });
    expect(perColumn.status, JSON.stringify(perColumn.body)).toBe(200);
    expect(perColumn.body).toMatchObject({ model_name: 'churn', model_version: '3', id: 'req-columns' });
    const outputs = perColumn.body.outputs as { name: string; datatype: string; shape: number[]; data: number[] }[];
    expect(outputs.map((o) => [o.name, o.datatype, o.shape])).toEqual([
      ['label', 'INT64', [n]],
      ['probabilities', 'FP64', [n, 2]],
    ]);
    expect(outputs[0]!.data).toEqual(b.golden.predictions);
    const rows = Array.from({ length: n }, (_, i) => outputs[1]!.data.slice(i * 2, i * 2 + 2));
    expectProbabilities(rows, b.golden.probabilities!);

    // [n, 1] column tensors are columns too.
    const tall = columnTensors(b).map((t) => ({ ...t, shape: [n, 1] }));
    const tallAnswer = await call(s, 'POST', '/v2/models/churn/infer', { inputs: tall });
    expect((tallAnswer.body.outputs as { data: unknown[] }[])[0]!.data).toEqual(b.golden.predictions);

    // One [n, 4] tensor, columns in signature order, row-major and flat.
    const flat = b.golden.rows.flat();
    const matrix = await call(s, 'POST', '/v2/models/churn/versions/3/infer', { inputs: [tensor('input-0', 'BYTES', [n, 4], flat)] });
    expect(matrix.status, JSON.stringify(matrix.body)).toBe(200);
    const mOut = matrix.body.outputs as { name: string; data: number[] }[];
    expect(mOut[0]!.data).toEqual(b.golden.predictions);
    expectProbabilities(
      Array.from({ length: n }, (_, i) => mOut[1]!.data.slice(i * 2, i * 2 + 2)),
      b.golden.probabilities!,
    );
    // Nested rows are accepted too, and "outputs" selects what comes back.
    const nested = await call(s, 'POST', '/v2/models/churn/infer', { inputs: [tensor('x', 'BYTES', [n, 4], b.golden.rows)], outputs: [{ name: 'label' }] });
    expect((nested.body.outputs as { name: string }[]).map((o) => o.name)).toEqual(['label']);
  });

  it('answers /predict records as the golden set, with the request id echoed', async () => {
    const r = await call(s, 'POST', '/predict', { records: b.records }, { 'X-Request-Id': 'golden-check-1' });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-request-id')).toBe('golden-check-1');
    expect(r.body).toMatchObject({ predictions: b.golden.predictions, classes: [0, 1], id: 'golden-check-1', model_name: 'churn', model_version: '3' });
    expectProbabilities(r.body.probabilities as number[][], b.golden.probabilities!);
    // A bare list of records; no incoming id: one is made.
    const bare = await call(s, 'POST', '/predict', b.records.slice(0, 2));
    expect(bare.body.predictions).toEqual(b.golden.predictions.slice(0, 2));
    expect(bare.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(bare.body.id).toBe(bare.headers.get('x-request-id'));
  });

  it('rejects every kind of bad input with a 4xx that names the problem, and stays up', async () => {
    const good = b.records[0]!;
    const without = (k: string) => Object.fromEntries(Object.entries(good).filter(([key]) => key !== k));
    const n = 2;
    const cols = columnTensors(b, b.records.slice(0, n));
    const cases: [string, string, unknown, number, string, string[], Record<string, string>?][] = [
      ['missing column', '/predict', { records: [without('plan')] }, 422, 'missing_column', ['records[0]', "'plan'"]],
      ['unknown column', '/predict', { records: [{ ...good, colour: 'red' }] }, 422, 'unknown_column', ['records[0]', "'colour'"]],
      ['text for an integer', '/predict', { records: [good, { ...good, age: '42' }] }, 422, 'wrong_type', ['records[1].age', 'integer', '"42"']],
      ['a fraction for an integer', '/predict', { records: [{ ...good, age: 30.5 }] }, 422, 'wrong_type', ['records[0].age', 'integer']],
      ['text for a number', '/predict', { records: [{ ...good, income: 'a lot' }] }, 422, 'wrong_type', ['records[0].income', 'number']],
      ['a number for text', '/predict', { records: [{ ...good, plan: 3 }] }, 422, 'wrong_type', ['records[0].plan', 'text']],
      ['a number for a boolean', '/predict', { records: [{ ...good, active: 1 }] }, 422, 'wrong_type', ['records[0].active', 'true or false']],
      ['a nested value', '/predict', { records: [{ ...good, plan: ['pro'] }] }, 422, 'wrong_type', ['records[0].plan', 'a list']],
      ['null in a non-nullable column', '/predict', { records: [{ ...good, income: null }] }, 422, 'null_value', ['records[0].income', 'null']],
      ['empty batch', '/predict', { records: [] }, 422, 'empty_batch', ['empty']],
      ['too many rows', '/predict', { records: Array.from({ length: 501 }, () => good) }, 413, 'too_many_rows', ['501', '500', 'GREENHOUSE_MAX_ROWS']],
      ['a record that is not an object', '/predict', { records: [good, 7] }, 400, 'bad_request', ['records[1]']],
      ['no records', '/predict', { rows: [good] }, 400, 'bad_request', ['records']],
      ['malformed JSON', '/predict', '{"records": [', 400, 'malformed_json', ['not valid JSON']],
      ['NaN', '/predict', '{"records": [{"age": NaN}]}', 400, 'malformed_json', ['NaN']],
      ['wrong content type', '/predict', JSON.stringify({ records: [good] }), 415, 'unsupported_media_type', ['application/json', 'text/plain'], { 'content-type': 'text/plain' }],
      ['body too large', '/predict', JSON.stringify({ records: [good], pad: 'x'.repeat(250_000) }), 413, 'body_too_large', ['200000']],
      ['V2: unknown tensor', '/v2/models/churn/infer', { inputs: [...cols, tensor('colour', 'BYTES', [n], ['a', 'b'])] }, 422, 'unknown_column', ["'colour'"]],
      ['V2: missing tensor', '/v2/models/churn/infer', { inputs: cols.filter((t) => t.name !== 'active') }, 422, 'missing_column', ["'active'"]],
      ['V2: wrong datatype', '/v2/models/churn/infer', { inputs: cols.map((t) => (t.name === 'age' ? { ...t, datatype: 'BYTES', data: ['1', '2'] } : t)) }, 422, 'wrong_type', ["'age'", 'INT64']],
      ['V2: wrong value', '/v2/models/churn/infer', { inputs: cols.map((t) => (t.name === 'income' ? { ...t, data: [1, 'x'] } : t)) }, 422, 'wrong_type', ["input 'income'[1]"]],
      ['V2: null value', '/v2/models/churn/infer', { inputs: cols.map((t) => (t.name === 'active' ? { ...t, data: [true, null] } : t)) }, 422, 'null_value', ["input 'active'[1]"]],
      ['V2: shape and data disagree', '/v2/models/churn/infer', { inputs: cols.map((t) => (t.name === 'plan' ? { ...t, shape: [3] } : t)) }, 400, 'bad_request', ["'plan'", '[3]']],
      ['V2: 2-D tensor with too few columns', '/v2/models/churn/infer', { inputs: [tensor('x', 'FP64', [1, 3], [1, 2, 3])] }, 422, 'missing_column', ['3 columns', 'needs 4', 'age, income, plan, active']],
      ['V2: not a V2 datatype', '/v2/models/churn/infer', { inputs: [tensor('age', 'FLOAT', [1], [1])] }, 400, 'bad_request', ['FLOAT']],
      ['V2: no inputs', '/v2/models/churn/infer', { inputs: [] }, 400, 'bad_request', ['inputs']],
      ['V2: unknown model', '/v2/models/other/infer', { inputs: cols }, 404, 'unknown_model', ["'other'", "'churn'"]],
    ];
    for (const [name, path, body, status, kind, words, headers] of cases) {
      const r = await call(s, 'POST', path, body, headers);
      expect(r.status, `${name}: ${JSON.stringify(r.body)}`).toBe(status);
      expect(r.body.kind, name).toBe(kind);
      for (const w of words) expect(r.body.error, name).toContain(w);
      expect(r.headers.get('x-request-id'), name).toBeTruthy();
      expect(r.body.id, name).toBe(r.headers.get('x-request-id'));
    }
    // Every problem of a request is listed, not only the first.
    const many = await call(s, 'POST', '/predict', { records: [{ ...good, age: 'x' }, { ...good, income: null, colour: 1 }] });
    expect((many.body.violations as { kind: string }[]).map((v) => v.kind).sort()).toEqual(['null_value', 'unknown_column', 'wrong_type']);
    expect(many.body.violationCount).toBe(3);
    // Wrong method, unknown path, odd verbs: 4xx too.
    const get = await call(s, 'GET', '/predict');
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    expect((await call(s, 'DELETE', '/v2/models/churn')).status).toBe(405);
    expect((await call(s, 'GET', '/nowhere')).status).toBe(404);
    expect((await call(s, 'PATCH', '/v2/health/live')).status).toBe(405);
    // Still up and still right.
    expect((await call(s, 'GET', '/v2/health/live')).status).toBe(200);
    expect((await call(s, 'POST', '/predict', { records: b.records })).body.predictions).toEqual(b.golden.predictions);
    expect(s.proc.exitCode).toBeNull();
    expect(s.stderr()).toBe('');
    // The access log: one JSON line per request, errors with their kind.
    const rejected = s.logs().find((l) => l.event === 'request' && l.status === 413 && l.error_kind === 'too_many_rows');
    expect(rejected).toMatchObject({ level: 'info', method: 'POST', path: '/predict', endpoint: '/predict' });
  }, 60_000);

  it('serves /metrics in Prometheus text format that counts what was sent', async () => {
    const before = (await scrape(s)).samples;
    const chunks = [b.records.slice(0, 5), b.records.slice(5, 12), b.records.slice(12)];
    const labels = [b.golden.predictions.slice(0, 5), b.golden.predictions.slice(5, 12), b.golden.predictions.slice(12)];
    for (const c of chunks) expect((await call(s, 'POST', '/predict', { records: c })).status).toBe(200);
    expect((await call(s, 'POST', '/v2/models/churn/infer', { inputs: columnTensors(b) })).status).toBe(200);
    expect((await call(s, 'POST', '/predict', { records: [{ ...b.records[0], age: 'old' }] })).status).toBe(422);
    expect((await call(s, 'POST', '/predict', { records: [{ ...b.records[0], colour: 'red' }] })).status).toBe(422);
    expect((await call(s, 'POST', '/predict', 'x', { 'content-type': 'text/plain' })).status).toBe(415);
    const { samples: after, types } = await scrape(s);
    const delta = (name: string, l: Record<string, string> = {}) => metric(after, name, l) - metric(before, name, l);

    expect(types.get('greenhouse_requests_total')).toBe('counter');
    expect(types.get('greenhouse_request_duration_seconds')).toBe('histogram');
    expect(delta('greenhouse_requests_total', { endpoint: '/predict', method: 'POST', code: '200' })).toBe(3);
    expect(delta('greenhouse_requests_total', { endpoint: '/v2/models/{name}/infer', code: '200' })).toBe(1);
    expect(delta('greenhouse_requests_total', { endpoint: '/predict', code: '422' })).toBe(2);
    expect(delta('greenhouse_requests_total', { endpoint: '/predict', code: '415' })).toBe(1);
    expect(delta('greenhouse_request_duration_seconds_count', { endpoint: '/predict' })).toBe(6);
    expect(delta('greenhouse_request_errors_total', { endpoint: '/predict', kind: 'wrong_type' })).toBe(1);
    expect(delta('greenhouse_request_errors_total', { endpoint: '/predict', kind: 'unsupported_media_type' })).toBe(1);
    expect(delta('greenhouse_input_schema_violations_total', { kind: 'wrong_type' })).toBe(1);
    expect(delta('greenhouse_input_schema_violations_total', { kind: 'unknown_column' })).toBe(1);
    expect(delta('greenhouse_input_schema_violations_total', { kind: 'missing_column' })).toBe(0);
    // Predictions by class: the golden labels, twice (records and the infer tensors).
    const sent = [...labels.flat(), ...b.golden.predictions];
    for (const c of [0, 1]) expect(delta('greenhouse_predictions_total', { class: String(c) }), `class ${c}`).toBe(sent.filter((p) => p === c).length);
    expect(delta('greenhouse_predicted_rows_total')).toBe(sent.length);
    expect(delta('greenhouse_batch_rows_count')).toBe(4);
    expect(delta('greenhouse_prediction_confidence_count')).toBe(sent.length);
    expect(delta('greenhouse_input_values_total', { feature: 'age' })).toBe(sent.length);
    expect(metric(after, 'greenhouse_nonfinite_outputs_total')).toBe(0);
    expect(metric(after, 'greenhouse_model_info', { name: 'churn', version: '3', framework: 'scikit-learn', sha256: b.metadata.sha256 })).toBe(1);
    expect(metric(after, 'greenhouse_model_ready')).toBe(1);
    const age = metric(after, 'greenhouse_model_age_seconds');
    expect(age).toBeGreaterThanOrEqual(3600);
    expect(age).toBeLessThan(3600 + 600);
    expect(types.get('greenhouse_model_age_seconds')).toBe('gauge');
  });

  it('writes one prediction log line per record, which the drift check reads as a batch', async () => {
    const r = await call(s, 'POST', '/predict', { records: b.records }, { 'X-Request-Id': 'log-check-1' });
    expect(r.status).toBe(200);
    const lines = readFileSync(logPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { request_id: string; row: number; inputs: Record<string, Json>; prediction: number; probabilities: number[]; model: string; version: string; time: string; endpoint: string });
    const mine = lines.filter((l) => l.request_id === 'log-check-1');
    expect(mine.map((l) => l.row)).toEqual(b.records.map((_, i) => i));
    mine.forEach((l, i) => {
      expect(l).toMatchObject({ model: 'churn', version: '3', endpoint: '/predict', inputs: b.records[i], prediction: b.golden.predictions[i] });
      expect(Math.abs(l.probabilities[1]! - b.golden.probabilities![i]![1]!)).toBeLessThanOrEqual(1e-12);
      expect(Number.isNaN(Date.parse(l.time))).toBe(false);
    });
    const report = drift(b.dir, logPath);
    expect(report.batch.format).toBe('prediction-log');
    expect(report.rows).toBe(lines.length);
    expect(report.features.map((f) => f.name)).toEqual(['age', 'income', 'plan', 'active']);
  });

  it('reports no drift for rows of the training data, and the feature that moved, with PSI and JS as computed independently', async () => {
    const { csv } = await trainingData();
    const [header, ...lines] = readFileSync(csv, 'utf8').trim().split('\n');
    const names = header!.split(',');
    const rows = lines.filter((_, i) => i % 4 !== 0).map((l) => l.split(','));
    const at = (n: string) => names.indexOf(n);
    const writeBatch = (file: string, data: string[][]) => {
      writeFileSync(join(b.dir, '..', file), [header, ...data.map((r) => r.join(','))].join('\n') + '\n');
      return join(b.dir, '..', file);
    };
    const byName = new Map(b.reference.columns.map((c) => [c.name, c]));
    const checkIndependently = (report: DriftReport, data: string[][]) => {
      for (const f of report.features) {
        const { expected, actual } = bucketCounts(byName.get(f.name)!, b.reference.dataset.rows, data.map((r) => r[at(f.name)] ?? null));
        expect(f.psi, `${f.name} PSI`).toBeCloseTo(psi(expected, actual)!, 9);
        expect(f.js, `${f.name} JS`).toBeCloseTo(jsDistance(expected, actual), 9);
      }
    };

    // 300 of the 400 training rows.
    const same = drift(b.dir, writeBatch('same.csv', rows));
    expect(same.rows).toBe(300);
    expect(same.checked).toBe(4);
    expect(same.features.map((f) => [f.name, f.drift])).toEqual([
      ['age', false],
      ['income', false],
      ['plan', false],
      ['active', false],
    ]);
    for (const f of same.features) expect(f.psi, f.name).toBeLessThan(0.1);
    expect(same.drift).toBe(false);
    checkIndependently(same, rows);

    // The same rows with income moved by three standard deviations.
    const std = byName.get('income')!.std!;
    const shiftedRows = rows.map((r) => r.map((v, i) => (i === at('income') ? (Number(v) + 3 * std).toFixed(2) : v)));
    const shifted = drift(b.dir, writeBatch('shifted.csv', shiftedRows));
    const income = shifted.features.find((f) => f.name === 'income')!;
    expect(income.psi).toBeGreaterThan(0.25);
    expect(income).toMatchObject({ psiBand: 'significant', drift: true });
    expect(income.js).toBeGreaterThan(0.1);
    expect(income.batch.aboveRange).toBeGreaterThan(0);
    expect(shifted.features.filter((f) => f.drift).map((f) => f.name)).toEqual(['income']);
    expect(shifted.drifted).toEqual(['income']);
    expect(shifted.drift).toBe(false); // one feature of four
    checkIndependently(shifted, shiftedRows);

    // A plan the training data never had, and two moved features: half of them, so the dataset drifts.
    const newRows = shiftedRows.map((r, j) => r.map((v, i) => (i === at('plan') && j % 10 === 0 ? 'enterprise' : i === at('age') ? String(Number(v) + 40) : v)));
    const moved = drift(b.dir, writeBatch('new-plan.csv', newRows));
    const plan = moved.features.find((f) => f.name === 'plan')!;
    expect(plan.batch.newValues).toEqual([{ value: 'enterprise', count: 30 }]);
    expect(moved.drifted).toEqual(['age', 'income', 'plan']);
    expect(moved.drift).toBe(true);
    checkIndependently(moved, newRows);

    // The text report and --fail-on-drift.
    const text = runPython(b.dir, ['app/drift.py', join(b.dir, '..', 'new-plan.csv')]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('Dataset: DRIFT (3 of 4 features drifted: age, income, plan)');
    expect(text.stdout).toContain('new: enterprise (30)');
    expect(runPython(b.dir, ['app/drift.py', join(b.dir, '..', 'new-plan.csv'), '--fail-on-drift']).status).toBe(3);
    const missing = runPython(b.dir, ['app/drift.py', 'no-such-batch.csv']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no-such-batch.csv does not exist');
  }, 60_000);

  it("computes drift.py's PSI and JS as an independent implementation does", () => {
    const pairs: [number[], number[]][] = [
      [
        [10, 20, 30, 40],
        [40, 30, 20, 10],
      ],
      [
        [5, 0, 5, 90],
        [0, 10, 10, 80],
      ],
      [
        [1, 1],
        [1, 1],
      ],
      [
        [100, 0],
        [0, 100],
      ],
    ];
    const code = 'import json, sys; sys.path.insert(0, "app"); import drift; print(json.dumps([[drift.psi(a, b), drift.js_distance(a, b)] for a, b in json.loads(sys.argv[1])]))';
    const r = runPython(b.dir, ['-c', code, JSON.stringify(pairs)]);
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as [number, number][];
    pairs.forEach(([e, a], i) => {
      expect(got[i]![0]).toBeCloseTo(psi(e, a)!, 12);
      expect(got[i]![1]).toBeCloseTo(jsDistance(e, a), 12);
    });
    expect(got[2]).toEqual([0, 0]);
    expect(got[3]![1]).toBeCloseTo(1, 12); // disjoint distributions: the largest distance
  });

  it('is not ready, and does not predict, until the model is loaded', () => {
    const code = [
      'import json, sys; sys.path.insert(0, "app"); import server',
      'app = server.App(server.Settings(bundle_dir=".", prediction_log="", log_level="error"), server.JsonLogger("error"))',
      'ready = lambda: app.handle("GET", "/v2/health/ready", {}, b"")',
      'before = [ready().status, app.handle("POST", "/predict", {"content-type": "application/json"}, b\'{"records": []}\').status]',
      'app.load()',
      'print(json.dumps(before + [ready().status]))',
    ].join('\n');
    const r = runPython(b.dir, ['-c', code]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('[503, 503, 200]\n'); // and nothing logged at level error
  });

  it('passes its generated tests inside the bundle, and fails them when golden.json is wrong', () => {
    const ok = runPython(b.dir, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/']);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/\b7 passed\b/);

    const broken = join(newRoot('gh-bundle-broken-'), 'bundle');
    cpSync(b.dir, broken, { recursive: true });
    const golden = JSON.parse(readFileSync(join(broken, BUNDLE_FILES.golden), 'utf8')) as Golden;
    golden.predictions[3] = golden.predictions[3] === 1 ? 0 : 1;
    writeFileSync(join(broken, BUNDLE_FILES.golden), JSON.stringify(golden));
    const bad = runPython(broken, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('row 3 label: expected');
    expect(bad.stdout).toMatch(/FAILED tests\/test_model.py::test_golden_predictions_match/);
  }, 60_000);

  it('runs its generated tests without pytest too (images of the pip strategy lack it): the same verdicts, a pytest-like summary', () => {
    // As the smoke test runs them: python3 tests/test_model.py (pytest when present).
    const viaPytest = runPython(b.dir, ['tests/test_model.py']);
    expect(viaPytest.status, viaPytest.stdout + viaPytest.stderr).toBe(0);
    expect(viaPytest.stdout).toMatch(/\b7 passed\b/);

    const withoutPytest = (dir: string) =>
      runPython(dir, ['-c', "import sys, runpy; sys.modules['pytest'] = None; sys.argv = ['tests/test_model.py']; runpy.run_path('tests/test_model.py', run_name='__main__')"]);
    const ok = withoutPytest(b.dir);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^==== 7 passed in [\d.]+s \(built-in runner: pytest is not installed\) ====$/m);

    const broken = join(newRoot('gh-bundle-broken-'), 'bundle');
    cpSync(b.dir, broken, { recursive: true });
    const golden = JSON.parse(readFileSync(join(broken, BUNDLE_FILES.golden), 'utf8')) as Golden;
    golden.predictions[3] = golden.predictions[3] === 1 ? 0 : 1;
    writeFileSync(join(broken, BUNDLE_FILES.golden), JSON.stringify(golden));
    const bad = withoutPytest(broken);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^FAILED test_golden_predictions_match - AssertionError: .*row 3 label: expected/m);
    expect(bad.stdout).toMatch(/^==== 2 failed, 5 passed in /m); // the golden check and the serving app's answer
  }, 60_000);

  it('logs nothing at sampling 0, and on SIGTERM finishes the request in flight, then exits 0', async () => {
    const sampled = join(b.dir, '..', 'sampled.jsonl');
    const quiet = await serve(b.dir, { GREENHOUSE_PREDICTION_LOG: sampled, GREENHOUSE_LOG_SAMPLE: '0' });
    for (let i = 0; i < 3; i++) expect((await call(quiet, 'POST', '/predict', { records: b.records })).status).toBe(200);
    expect(existsSync(sampled) ? readFileSync(sampled, 'utf8') : '').toBe('');

    // A request whose body is still on its way when SIGTERM arrives.
    const body = Buffer.from(JSON.stringify({ records: b.records.slice(0, 2) }));
    const socket = connect(quiet.port, '127.0.0.1');
    await new Promise((ok) => socket.once('connect', ok));
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    const closed = new Promise((ok) => socket.once('close', ok));
    socket.write(`POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    await sleep(200);
    quiet.proc.kill('SIGTERM');
    await sleep(300);
    socket.write(body);
    await closed;
    expect(answer).toMatch(/^HTTP\/1.1 200 OK\r\n/);
    expect(answer).toContain('Connection: close');
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).predictions).toEqual(b.golden.predictions.slice(0, 2));
    expect(await quiet.exit).toBe(0);
    const events = quiet.logs().map((l) => l.event);
    expect(events).toContain('shutting_down');
    expect(events.at(-1)).toBe('stopped');
    expect(quiet.stderr()).toBe('');

    // The main server too: its keep-alive connections do not hold it.
    s.proc.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  }, 60_000);
});

describe('serving app: a regressor', () => {
  let b: Bundle;
  let s: Served;

  beforeAll(async () => {
    // No inputsFrom in the metadata: the app asks the model (fitted on a DataFrame: feature names).
    b = await assembleBundle('regressor');
    s = await serve(b.dir);
  }, 180_000);

  it('describes a value output and answers the golden values through V2 and /predict', async () => {
    const meta = await call(s, 'GET', '/v2/models/spend');
    expect(meta.body).toMatchObject({
      name: 'spend',
      inputs: [
        { name: 'age', datatype: 'INT64' },
        { name: 'income', datatype: 'FP64' },
      ],
      outputs: [{ name: 'value', datatype: 'FP64', shape: [-1] }],
    });
    const n = b.records.length;
    const close = (got: number[]) => got.forEach((v, i) => expect(Math.abs(v - (b.golden.predictions[i] as number))).toBeLessThanOrEqual(1e-9));
    const perColumn = await call(s, 'POST', '/v2/models/spend/infer', { inputs: columnTensors(b) });
    const outputs = perColumn.body.outputs as { name: string; datatype: string; shape: number[]; data: number[] }[];
    expect(outputs.map((o) => [o.name, o.datatype, o.shape])).toEqual([['value', 'FP64', [n]]]);
    close(outputs[0]!.data);
    const matrix = await call(s, 'POST', '/v2/models/spend/infer', { inputs: [tensor('x', 'FP64', [n, 2], b.golden.rows.flat())] });
    close((matrix.body.outputs as { data: number[] }[])[0]!.data);
    const records = await call(s, 'POST', '/predict', { records: b.records });
    expect(records.body).toMatchObject({ probabilities: null, classes: null, model_name: 'spend' });
    close(records.body.predictions as number[]);
  });

  it('counts predicted values in a histogram', async () => {
    const before = (await scrape(s)).samples;
    await call(s, 'POST', '/predict', { records: b.records });
    const { samples, types } = await scrape(s);
    expect(types.get('greenhouse_prediction_value')).toBe('histogram');
    expect(types.has('greenhouse_predictions_total')).toBe(false);
    expect(metric(samples, 'greenhouse_prediction_value_count') - metric(before, 'greenhouse_prediction_value_count')).toBe(b.records.length);
    const sum = (b.golden.predictions as number[]).reduce((a, v) => a + v, 0);
    expect(metric(samples, 'greenhouse_prediction_value_sum') - metric(before, 'greenhouse_prediction_value_sum')).toBeCloseTo(sum, 6);
    expect((await call(s, 'POST', '/predict', { records: [{ age: 30 }] })).body.kind).toBe('missing_column');
  });

  it('passes its generated tests, and fails them when a golden value moves beyond the tolerance', () => {
    const ok = runPython(b.dir, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/']);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    const golden = JSON.parse(readFileSync(join(b.dir, BUNDLE_FILES.golden), 'utf8')) as Golden;
    golden.predictions[0] = (golden.predictions[0] as number) + 1e-3;
    writeFileSync(join(b.dir, BUNDLE_FILES.golden), JSON.stringify(golden));
    const bad = runPython(b.dir, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('row 0 value: expected');
  }, 60_000);

  it('exits 0 on SIGTERM', async () => {
    s.proc.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// HTTP/1.1 on a raw connection: what fetch does not show

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A raw TCP connection to the server; responses() waits for whole responses (all carry Content-Length). */
async function rawConnection(port: number) {
  const socket = connect(port, '127.0.0.1');
  await new Promise((ok, bad) => {
    socket.once('connect', ok);
    socket.once('error', bad);
  });
  let data = Buffer.alloc(0);
  let closed = false;
  let wake: (() => void) | null = null;
  socket.on('data', (d: Buffer) => {
    data = Buffer.concat([data, d]);
    wake?.();
  });
  socket.on('close', () => {
    closed = true;
    wake?.();
  });
  socket.on('error', () => undefined);
  const parse = (): RawResponse | null => {
    const end = data.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length'] ?? 0);
    if (data.length < end + 4 + length) return null;
    const body = data.subarray(end + 4, end + 4 + length).toString('utf8');
    data = data.subarray(end + 4 + length);
    return { status: Number(statusLine!.split(' ')[1]), headers, body };
  };
  return {
    socket,
    write: (chunk: string | Buffer) => socket.write(chunk),
    isClosed: () => closed,
    /** The next `n` responses; fewer when the connection closes or `timeoutMs` passes. */
    async responses(n: number, timeoutMs = 10_000): Promise<RawResponse[]> {
      const out: RawResponse[] = [];
      const deadline = Date.now() + timeoutMs;
      while (out.length < n) {
        const r = parse();
        if (r) {
          out.push(r);
          continue;
        }
        if (closed || Date.now() > deadline) break;
        await new Promise<void>((ok) => {
          wake = ok;
          setTimeout(ok, 50);
        });
        wake = null;
      }
      return out;
    },
    async closedWithin(ms: number): Promise<boolean> {
      const deadline = Date.now() + ms;
      while (!closed && Date.now() < deadline) await sleep(20);
      return closed;
    },
    end: () => socket.destroy(),
  };
}

const postHead = (path: string, length: number, extra = '') => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n`;

describe('serving app: HTTP/1.1', () => {
  let b: Bundle;
  let s: Served;
  let body: string;

  beforeAll(async () => {
    b = await assembleBundle('regressor');
    s = await serve(b.dir, { GREENHOUSE_MAX_BODY_BYTES: '200000' });
    body = JSON.stringify({ records: b.records.slice(0, 2) });
  }, 180_000);

  afterAll(() => {
    s.proc.kill('SIGTERM');
  });

  const predictions = (r: RawResponse) => (JSON.parse(r.body) as { predictions: number[] }).predictions;
  const expectGolden = (got: number[], from = 0) => got.forEach((v, i) => expect(Math.abs(v - (b.golden.predictions[from + i] as number))).toBeLessThanOrEqual(1e-9));

  it('keeps a connection open across requests and answers pipelined requests in order', async () => {
    const c = await rawConnection(s.port);
    const one = JSON.stringify({ records: [b.records[3]] });
    c.write(postHead('/predict', Buffer.byteLength(body)) + body + 'GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n' + postHead('/predict', Buffer.byteLength(one)) + one);
    const [first, second, third] = await c.responses(3);
    expect([first?.status, second?.status, third?.status]).toEqual([200, 200, 200]);
    expectGolden(predictions(first!));
    expect(JSON.parse(second!.body)).toEqual({ live: true });
    expectGolden(predictions(third!), 3);
    for (const r of [first!, second!, third!]) {
      expect(r.headers.connection).toBeUndefined();
      expect(r.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    }
    // The same connection, later, byte by byte.
    await sleep(100);
    for (const ch of postHead('/predict', Buffer.byteLength(body)) + body) c.write(ch);
    const [later] = await c.responses(1);
    expect(later?.status).toBe(200);
    expectGolden(predictions(later!));
    expect(c.isClosed()).toBe(false);
    c.end();
  });

  it('reads chunked bodies, answers "100 Continue", and closes on Connection: close', async () => {
    const c = await rawConnection(s.port);
    const half = Math.floor(body.length / 2);
    c.write(
      'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n' +
        `${half.toString(16)}\r\n${body.slice(0, half)}\r\n${(body.length - half).toString(16)};ext=1\r\n${body.slice(half)}\r\n0\r\n\r\n`,
    );
    const [chunked] = await c.responses(1);
    expect(chunked?.status).toBe(200);
    expectGolden(predictions(chunked!));

    c.write(postHead('/predict', Buffer.byteLength(body), 'Expect: 100-continue\r\n'));
    const [go] = await c.responses(1);
    expect(go?.status).toBe(100);
    c.write(body);
    const [after] = await c.responses(1);
    expect(after?.status).toBe(200);
    expectGolden(predictions(after!));

    c.write('GET /v2/health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const [last] = await c.responses(1);
    expect([last?.status, last?.headers.connection]).toEqual([200, 'close']);
    expect(await c.closedWithin(2000)).toBe(true);
  });

  it('refuses a body over the limit with a 413 and keeps the connection; refuses bad framing and closes', async () => {
    const c = await rawConnection(s.port);
    const big = JSON.stringify({ records: b.records, pad: 'x'.repeat(250_000) });
    c.write(postHead('/predict', Buffer.byteLength(big)));
    const [refused] = await c.responses(1);
    expect(refused?.status).toBe(413);
    expect(JSON.parse(refused!.body).kind).toBe('body_too_large');
    c.write(big); // dropped as it comes
    c.write(postHead('/predict', Buffer.byteLength(body)) + body);
    const [next] = await c.responses(1);
    expect(next?.status).toBe(200);
    expectGolden(predictions(next!));
    c.end();

    const cases: [string, number, string][] = [
      ['POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\r\n', 411, 'Content-Length'],
      [postHead('/predict', 0).replace('Content-Length: 0', 'Content-Length: ten'), 400, 'not a byte count'],
      ['POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n', 400, 'Transfer-Encoding'],
      ['POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400, 'chunk size'],
      ['GET /v2 HTTP/2.0\r\nHost: x\r\n\r\n', 505, 'HTTP version'],
      ['NONSENSE\r\n\r\n', 400, 'Bad request'],
      [`GET /${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 414, ''],
      [`GET /v2 HTTP/1.1\r\n${Array.from({ length: 101 }, (_, i) => `X-H${i}: 1\r\n`).join('')}\r\n`, 431, 'Too many headers'],
      [`GET /v2 HTTP/1.1\r\nX-Long: ${'a'.repeat(70_000)}\r\n\r\n`, 431, 'Line too long'],
    ];
    for (const [request, status, word] of cases) {
      const bad = await rawConnection(s.port);
      bad.write(request);
      const [r] = await bad.responses(1);
      expect(r?.status, request.slice(0, 60)).toBe(status);
      expect(r?.headers.connection, request.slice(0, 60)).toBe('close');
      expect(JSON.parse(r!.body).error, request.slice(0, 60)).toContain(word);
      expect(await bad.closedWithin(2000), request.slice(0, 60)).toBe(true);
    }
    expect((await call(s, 'GET', '/v2/health/live')).status).toBe(200);
    expect(s.stderr()).toBe('');
  });

  it('answers other clients while one sends its request slowly', async () => {
    const slow = await rawConnection(s.port);
    slow.write(postHead('/predict', Buffer.byteLength(body)) + body.slice(0, 10));
    const started = Date.now();
    for (let i = 0; i < 5; i++) expect((await call(s, 'POST', '/predict', { records: b.records.slice(0, 2) })).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
    slow.write(body.slice(10));
    const [r] = await slow.responses(1);
    expect(r?.status).toBe(200);
    slow.end();
  });

  it('closes connections that stay idle past GREENHOUSE_REQUEST_TIMEOUT', async () => {
    const quick = await serve(b.dir, { GREENHOUSE_REQUEST_TIMEOUT: '0.5' });
    const idle = await rawConnection(quick.port);
    const stalled = await rawConnection(quick.port);
    stalled.write(postHead('/predict', Buffer.byteLength(body)) + body.slice(0, 5));
    expect(await idle.closedWithin(3000)).toBe(true);
    expect(await stalled.closedWithin(3000)).toBe(true);
    expect((await call(quick, 'GET', '/v2/health/live')).status).toBe(200);
    quick.proc.kill('SIGTERM');
    expect(await quick.exit).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// the input path: an array instead of a DataFrame where it answers the same

describe('serving app: the array input path', () => {
  let regressor: Bundle;
  let pipeline: Bundle;

  beforeAll(async () => {
    regressor = await assembleBundle('regressor');
    pipeline = await assembleBundle('pipeline', { inputsFrom: 'model' });
  }, 180_000);

  it('serves a numeric model fitted on a DataFrame through the array, bit for bit as through the DataFrame', () => {
    const code = String.raw`
import json, sys, random
sys.path.insert(0, "app")
import numpy as np, server
m = server.ServingModel.load(".")
g = server.load_golden(".")
inputs = m.inputs
records = [dict(zip(g["columns"], r)) for r in g["rows"]]
full = server.parse_records(records, inputs, 1000)
reason = m.enable_array_input(full)
rng = random.Random(3)
more = [{"age": rng.randint(-10**6, 10**6), "income": rng.uniform(-1e9, 1e9)} for _ in range(300)] + [{"age": 2**62, "income": 1e-300}, {"age": -3, "income": 0.1 + 0.2}]
same = 0
for batch in [full, server.parse_records(more, inputs, 1000)] + [server.parse_records([r], inputs, 1) for r in records[:10] + more[:50] + more[-2:]]:
    a = m.predict_batch(batch)
    f = m.predict(server.to_frame(batch, inputs))
    assert a.labels == f.labels and a.proba == f.proba, (a.labels, f.labels)
    same += 1
X = server.to_array(full, inputs, m.array_dtype)
F = np.asarray(server.to_frame(full, inputs))
print(json.dumps({"reason": reason, "dtype": m.array_dtype, "skip": m.skip_finite_check, "same": same, "layout": [X.dtype == F.dtype, X.strides == F.strides, bool((X == F).all())]}))
`;
    const r = runPython(regressor.dir, ['-c', code]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ reason: null, dtype: 'float64', skip: true, same: 64, layout: [true, true, true] });
  });

  it('keeps the DataFrame for mixed-type inputs, DataFrame-reading estimators and GREENHOUSE_ARRAY_INPUT=off', async () => {
    const code = String.raw`
import json, sys, warnings
sys.path.insert(0, "app")
warnings.simplefilter("ignore")
import numpy as np, pandas as pd, server
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
m = server.ServingModel.load(".")
g = server.load_golden(".")
full = server.parse_records([dict(zip(g["columns"], r)) for r in g["rows"]], m.inputs, 1000)
out = {"pipeline": m.enable_array_input(full), "dtype": m.array_dtype}
X = pd.DataFrame({"a": [1, 2, 3, 4, 5, 6], "b": [0.5, 0.1, 0.9, 0.3, 0.7, 0.2]})
y = [0, 0, 1, 1, 1, 0]
out["scaled"] = server.array_safe(make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y))
out["function"] = server.array_safe(make_pipeline(FunctionTransformer(lambda d: d[["a", "b"]]), LogisticRegression()).fit(X, y))
print(json.dumps(out))
`;
    const r = runPython(pipeline.dir, ['-c', code]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ pipeline: 'not every input is numeric', dtype: null, scaled: true, function: false });

    const paths = async (dir: string, env: Record<string, string> = {}) => {
      const srv = await serve(dir, env);
      const ans = await call(srv, 'POST', '/predict', { records: regressor.records.slice(0, 3).map((rec) => (dir === pipeline.dir ? pipeline.records[0]! : rec)) });
      expect(ans.status).toBe(200);
      srv.proc.kill('SIGTERM');
      expect(await srv.exit).toBe(0);
      return srv.logs().filter((l) => l.event === 'input_path').map((l) => [l.path, l.reason]);
    };
    expect(await paths(regressor.dir)).toEqual([['array', null]]);
    expect(await paths(regressor.dir, { GREENHOUSE_ARRAY_INPUT: 'off' })).toEqual([]);
    expect(await paths(pipeline.dir)).toEqual([['dataframe', 'not every input is numeric']]);
    const bad = spawnSync(DEBIAN_PYTHON, ['app/server.py'], { cwd: regressor.dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PORT: '0', GREENHOUSE_ARRAY_INPUT: 'sometimes' } });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toContain('GREENHOUSE_ARRAY_INPUT');
  }, 60_000);
});
