// bundles.smoke: run the bundle's image and check it the way an operations team would: it gets
// ready, says what it serves, answers every golden example like the analyst's model did on both
// endpoints, refuses bad input with a 4xx, is fast enough, exposes its metrics, passes its own
// tests inside the container and stops cleanly. The container is always removed.

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import type { GoldenSet, SmokeCheck, SmokeTestResult } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { Task, TaskContext } from '../jobs/task.js';
import { connectEngine, engineGone, isConnectionError, ROLE_LABEL } from './build-task.js';
import { dnsLabel } from './deploy-files.js';
import { SERVICE_PORT } from './dockerfile.js';
import { BUNDLE_FILES, IMAGE_APP_DIR, type ServingMetadata } from './layout.js';

export interface SmokeTaskInput {
  engine: Docker.DockerOptions;
  engineLabel: string;
  bundleDir: string;
  subject: string;
  name: string;
  version: number;
  /** What to run: the recorded image id, else the tag. */
  image: string;
  tag: string;
  network: 'host' | 'publish';
  /** How long the container may take to become ready. */
  timeoutSeconds: number;
  /** Single-row requests timed for p50/p95 (default 50). */
  latencyRequests?: number;
  /** How long the generated tests may run inside the container (default 300 s). */
  pytestTimeoutSeconds?: number;
}

type Golden = GoldenSet & { tolerance?: number };
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The serving app's V2 datatype per signature dtype (server.py DTYPE_V2). */
const DTYPE_V2: Record<string, string> = { int64: 'INT64', float64: 'FP64', bool: 'BOOL', string: 'BYTES', datetime: 'BYTES', object: 'BYTES' };

/** A value of the wrong type for a column of each dtype (as the generated tests use). */
const WRONG_VALUE: Record<string, Json> = { int64: 'forty-two', float64: 'not a number', bool: 'yes', string: 42, datetime: 42, object: { nested: true } };

const LOG_TAIL_CHARS = 8000;

/** A free TCP port on 127.0.0.1 (for host networking: the container binds it). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Demultiplex a non-TTY container log buffer (8-byte frame headers) into text. */
export function demuxLogs(buf: Buffer): string {
  let out = '';
  let i = 0;
  while (i + 8 <= buf.length) {
    const type = buf[i]!;
    const size = buf.readUInt32BE(i + 4);
    if (type > 2 || buf[i + 1] !== 0 || buf[i + 2] !== 0 || buf[i + 3] !== 0) return out + buf.subarray(i).toString('utf8');
    out += buf.subarray(i + 8, i + 8 + size).toString('utf8');
    i += 8 + size;
  }
  return out;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const tail = (text: string, n = LOG_TAIL_CHARS) => (text.length > n ? `…${text.slice(-n)}` : text);

/** Labels exactly as the serving app compares them (server.py same_label). */
function sameLabel(want: unknown, got: unknown): boolean {
  if (typeof want === 'boolean' || typeof got === 'boolean') return want === got;
  if (isNumber(want) && isNumber(got)) return want === got;
  return want === got;
}

/** The text a class takes in a BYTES tensor (server.py class_label). */
const classLabel = (c: unknown) => (typeof c === 'boolean' ? (c ? 'true' : 'false') : c === null ? 'null' : String(c));

// ---------------------------------------------------------------------------------------------
// Prometheus text format

export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parse the Prometheus text exposition format 0.0.4; throws naming the first line that is not. */
export function parsePrometheus(text: string): { samples: MetricSample[]; families: Map<string, string> } {
  const samples: MetricSample[] = [];
  const families = new Map<string, string>();
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    if (line.startsWith('#')) {
      if (line.startsWith('# TYPE ')) {
        const t = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
        if (!t) throw new Error(`line ${i + 1}: ${line}`);
        families.set(t[1]!, t[2]!);
      }
      return;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/.exec(line);
    if (!m) throw new Error(`line ${i + 1}: ${line}`);
    const labels: Record<string, string> = {};
    const text = (m[2] ?? '').trim();
    const pair = /([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(?:,\s*)?/y;
    let pos = 0;
    while (pos < text.length) {
      pair.lastIndex = pos;
      const lm = pair.exec(text);
      if (!lm) throw new Error(`line ${i + 1}: bad labels in ${line}`);
      labels[lm[1]!] = lm[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
      pos = pair.lastIndex;
    }
    const v = m[3]!;
    const value = v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : v === 'NaN' ? NaN : Number(v);
    if (Number.isNaN(value) && v !== 'NaN') throw new Error(`line ${i + 1}: ${v} is not a number`);
    samples.push({ name: m[1]!, labels, value });
  });
  return { samples, families };
}

// ---------------------------------------------------------------------------------------------

interface HttpAnswer {
  status: number;
  json: unknown;
  text: string;
  ms: number;
}

function httpClient(base: string, signal: AbortSignal) {
  return async (method: 'GET' | 'POST', path: string, body?: unknown, opts: { raw?: string; contentType?: string; timeoutMs?: number } = {}): Promise<HttpAnswer> => {
    const t0 = performance.now();
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body !== undefined || opts.raw !== undefined ? { 'Content-Type': opts.contentType ?? 'application/json' } : {},
      body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      signal: AbortSignal.any([signal, AbortSignal.timeout(opts.timeoutMs ?? 30_000)]),
    });
    const text = await res.text();
    const ms = performance.now() - t0;
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: res.status, json, text, ms };
  };
}

type Http = ReturnType<typeof httpClient>;

function emptyResult(input: SmokeTaskInput, startedAt: string, tolerance: number, examples: number): SmokeTestResult {
  return {
    passed: false,
    bundle: { name: input.name, version: input.version },
    image: { id: input.image, tag: input.tag },
    network: input.network,
    port: null,
    startedAt,
    durationMs: 0,
    readyMs: null,
    checks: [],
    parity: { examples, tolerance, predict: { matched: 0, mismatched: 0 }, v2: { matched: 0, mismatched: 0 }, maxDifference: null, mismatches: [] },
    malformed: [],
    malformedRejected: false,
    latencyMs: { requests: 0, p50: null, p95: null, max: null },
    metrics: { ok: false, families: 0, predictRequests: null, clientErrors: null },
    pytest: { ran: false, exitCode: null, passed: 0, failed: 0, errors: 0, skipped: 0, summary: 'not run', output: '' },
    containerLogs: null,
  };
}

/** Compare one endpoint's answer to the golden set; returns the mismatches and the largest numeric difference. */
function compareGolden(
  golden: Golden,
  task: ServingMetadata['task'],
  labels: unknown[],
  proba: unknown[][] | null,
  tolerance: number,
  endpoint: 'predict' | 'v2',
  labelsAsText: boolean,
) {
  const mismatches: SmokeTestResult['parity']['mismatches'] = [];
  let maxDifference: number | null = null;
  const diff = (a: number, b: number) => {
    const d = Math.abs(a - b);
    maxDifference = maxDifference === null ? d : Math.max(maxDifference, d);
    return d;
  };
  const expected = golden.predictions;
  expected.forEach((want, row) => {
    if (row >= labels.length) return;
    const got = labels[row];
    if (task === 'regression' && isNumber(want) && isNumber(got)) {
      if (!(diff(want, got) <= tolerance)) mismatches.push({ endpoint, row, output: 'value', expected: want, actual: got });
    } else {
      const w = labelsAsText && want !== null && typeof want !== 'string' ? classLabel(want) : want;
      if (!sameLabel(w, got)) mismatches.push({ endpoint, row, output: 'label', expected: want, actual: got });
    }
  });
  if (labels.length !== expected.length) mismatches.push({ endpoint, row: null, output: 'count', expected: expected.length, actual: labels.length });
  if (golden.probabilities && proba) {
    golden.probabilities.forEach((want, row) => {
      const got = proba[row];
      if (!got || got.length !== want.length || want.some((w, j) => !isNumber(got[j]) || !(diff(w, got[j] as number) <= tolerance))) {
        mismatches.push({ endpoint, row, output: 'probabilities', expected: want, actual: got ?? null });
      }
    });
  } else if (golden.probabilities && !proba) {
    mismatches.push({ endpoint, row: null, output: 'probabilities', expected: 'probabilities', actual: null });
  }
  return { mismatches, maxDifference: maxDifference as number | null };
}

/** Rows (of `n`) with at least one mismatch; a whole-response problem counts for every row. */
function mismatchedRows(mismatches: { row: number | null }[], n: number): number {
  if (mismatches.some((m) => m.row === null)) return n;
  return new Set(mismatches.map((m) => m.row)).size;
}

/** Run the generated tests inside the running container (docker exec). */
async function runPytest(docker: Docker, container: Docker.Container, timeoutMs: number, signal: AbortSignal): Promise<SmokeTestResult['pytest']> {
  const exec = await container.exec({
    // pytest when the image has it, else the file's built-in runner (pip-strategy images lack pytest).
    Cmd: ['python3', 'tests/test_model.py'],
    Env: ['GREENHOUSE_LATENCY_BUDGET_MS=2000', 'PYTHONDONTWRITEBYTECODE=1'],
    WorkingDir: IMAGE_APP_DIR,
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  let output = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      output += chunk.toString('utf8');
      if (output.length > 200_000) output = output.slice(-100_000);
      cb();
    },
  });
  docker.modem.demuxStream(stream, sink, sink);
  let timedOut = false;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      timedOut = true;
      stream.destroy();
      resolve();
    }, timeoutMs);
    const abort = () => {
      clearTimeout(timer);
      stream.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', abort, { once: true });
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', abort);
      resolve();
    };
    stream.once('end', done);
    stream.once('close', done);
    stream.once('error', done);
  });
  const info = timedOut ? null : await exec.inspect();
  const exitCode = info?.ExitCode ?? null;
  const lines = output.trim().split('\n');
  const summary = [...lines].reverse().find((l) => /\b\d+ (passed|failed|error|errors|skipped)\b/.test(l) || /no tests ran/.test(l))?.replace(/^=+\s*|\s*=+$/g, '').trim();
  const count = (word: string) => Number(new RegExp(`(\\d+) ${word}\\b`).exec(summary ?? '')?.[1] ?? 0);
  return {
    ran: true,
    exitCode,
    passed: count('passed'),
    failed: count('failed'),
    errors: count('errors?'),
    skipped: count('skipped'),
    summary: timedOut ? `did not finish within ${Math.round(timeoutMs / 1000)} s` : (summary ?? (lines.at(-1) || `exit code ${exitCode}`)),
    output: tail(output),
  };
}

/** Wait until /v2/health/ready answers 200, the container exits, or the timeout passes. */
async function waitReady(http: Http, container: Docker.Container, timeoutMs: number, signal: AbortSignal): Promise<{ ok: true } | { ok: false; why: string }> {
  const deadline = Date.now() + timeoutMs;
  let polls = 0;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    signal.throwIfAborted();
    try {
      const r = await http('GET', '/v2/health/ready', undefined, { timeoutMs: 2000 });
      if (r.status === 200) return { ok: true };
      last = `HTTP ${r.status} ${r.text.slice(0, 200)}`;
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      last = (e as Error).message;
    }
    if (++polls % 5 === 0) {
      const state = (await container.inspect()).State;
      if (!state.Running) return { ok: false, why: `the container stopped (exit code ${state.ExitCode}) before it was ready` };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ok: false, why: `it was not ready within ${Math.round(timeoutMs / 1000)} s (last answer: ${last})` };
}

async function readJson<T>(path: string): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (e) {
    throw new AppError('NOT_FOUND', `Cannot read ${path}: ${(e as Error).message}`, { remedy: 'Write the bundle again (greenhouse bundle create NAME@VERSION), build it, then run the smoke test.' });
  }
}

/** The checks after the container is ready: each fills its part of `r` and adds its check. */
async function checkServing(http: Http, r: SmokeTestResult, meta: ServingMetadata, golden: Golden, input: SmokeTaskInput, ctx: TaskContext, onChecks: (c: SmokeCheck) => void) {
  const name = encodeURIComponent(meta.name);
  const infer = `/v2/models/${name}/infer`;
  const tolerance = r.parity.tolerance;
  const columns = golden.columns.length > 0 ? golden.columns : meta.signature.inputs.map((i) => i.name);
  const records = golden.rows.map((row) => Object.fromEntries(columns.map((c, j) => [c, row[j] as Json])));
  const tensors = (recs: Record<string, Json>[], skip?: string) =>
    meta.signature.inputs.filter((i) => i.name !== skip).map((i) => ({ name: i.name, datatype: DTYPE_V2[i.dtype] ?? 'BYTES', shape: [recs.length], data: recs.map((rec) => rec[i.name] ?? null) }));
  let predictSent = 0;

  // Metadata: the inputs are the signature's, in order, with its types.
  ctx.progress(0.25, 'Reading the V2 model metadata…');
  const md = await http('GET', `/v2/models/${name}`);
  const mdDoc = md.json as { inputs?: { name: string; datatype: string; parameters?: { dtype?: string; nullable?: boolean } }[]; outputs?: { name: string; datatype: string }[] } | null;
  const problems: string[] = [];
  if (md.status !== 200 || !mdDoc) problems.push(`GET /v2/models/${meta.name} answered ${md.status}`);
  else {
    const want = meta.signature.inputs.map((i) => `${i.name}:${DTYPE_V2[i.dtype]}:${i.dtype}:${Boolean(i.nullable)}`);
    const got = (mdDoc.inputs ?? []).map((i) => `${i.name}:${i.datatype}:${i.parameters?.dtype}:${Boolean(i.parameters?.nullable)}`);
    if (want.join(',') !== got.join(',')) problems.push(`inputs are ${got.join(', ') || 'none'}; the signature says ${want.join(', ')}`);
    const outs = (mdDoc.outputs ?? []).map((o) => o.name);
    const mainOut = meta.task === 'classification' ? 'label' : 'value';
    if (!outs.includes(mainOut)) problems.push(`outputs ${outs.join(', ') || 'none'} lack "${mainOut}"`);
    if (golden.probabilities && !outs.includes('probabilities')) problems.push('outputs lack "probabilities", which the golden set has');
  }
  onChecks({ id: 'metadata', ok: problems.length === 0, message: problems.length === 0 ? `The metadata lists the signature's ${meta.signature.inputs.length} inputs with their types.` : `The V2 metadata does not match the signature: ${problems.join('; ')}.` });
  const labelsAsText = (mdDoc?.outputs ?? []).find((o) => o.name === 'label')?.datatype === 'BYTES';

  // Golden parity: every example through /predict and through V2 infer (one tensor per column).
  ctx.progress(0.3, `Replaying ${records.length} golden examples through /predict and ${infer}…`);
  const n = records.length;
  const pr = await http('POST', '/predict', { records });
  predictSent++;
  let predictMismatches: SmokeTestResult['parity']['mismatches'];
  let maxes: (number | null)[] = [];
  if (pr.status === 200) {
    const doc = pr.json as { predictions: unknown[]; probabilities: unknown[][] | null };
    const c = compareGolden(golden, meta.task, doc.predictions ?? [], doc.probabilities ?? null, tolerance, 'predict', false);
    predictMismatches = c.mismatches;
    maxes.push(c.maxDifference);
  } else predictMismatches = [{ endpoint: 'predict', row: null, output: `HTTP ${pr.status}`, expected: 200, actual: pr.json ?? pr.text.slice(0, 500) }];
  const vr = await http('POST', infer, { inputs: tensors(records) });
  let v2Mismatches: SmokeTestResult['parity']['mismatches'];
  if (vr.status === 200) {
    const outputs = new Map(((vr.json as { outputs?: { name: string; shape: number[]; data: unknown[] }[] }).outputs ?? []).map((o) => [o.name, o]));
    const main = outputs.get(meta.task === 'classification' ? 'label' : 'value');
    const p = outputs.get('probabilities');
    let proba: unknown[][] | null = null;
    if (p) {
      const [rows, k] = p.shape as [number, number];
      proba = Array.from({ length: rows }, (_, i) => p.data.slice(i * k, (i + 1) * k));
    }
    const c = compareGolden(golden, meta.task, main?.data ?? [], proba, tolerance, 'v2', labelsAsText);
    v2Mismatches = c.mismatches;
    maxes.push(c.maxDifference);
  } else v2Mismatches = [{ endpoint: 'v2', row: null, output: `HTTP ${vr.status}`, expected: 200, actual: vr.json ?? vr.text.slice(0, 500) }];
  maxes = maxes.filter((x) => x !== null);
  const pBad = mismatchedRows(predictMismatches, n);
  const vBad = mismatchedRows(v2Mismatches, n);
  r.parity = {
    ...r.parity,
    predict: { matched: n - pBad, mismatched: pBad },
    v2: { matched: n - vBad, mismatched: vBad },
    maxDifference: maxes.length > 0 ? Math.max(...(maxes as number[])) : null,
    mismatches: [...predictMismatches, ...v2Mismatches].slice(0, 20),
  };
  const describe = (ms: SmokeTestResult['parity']['mismatches']) =>
    ms.slice(0, 3).map((m) => `${m.row === null ? '' : `row ${m.row} `}${m.output}: expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.actual)}`).join('; ');
  for (const [id, bad, ms, label] of [['parity.predict', pBad, predictMismatches, '/predict'], ['parity.v2', vBad, v2Mismatches, infer]] as const) {
    onChecks({
      id,
      ok: ms.length === 0 && n > 0,
      message:
        n === 0
          ? 'The bundle has no golden examples to replay.'
          : ms.length === 0
            ? `${label}: all ${n} golden examples match (labels exactly, numbers within ${tolerance}).`
            : `${label}: ${bad} of ${n} golden examples differ: ${describe(ms)}.`,
    });
  }
  ctx.signal.throwIfAborted();

  // Malformed requests: each must be refused with a 4xx, never a 5xx or a crash.
  ctx.progress(0.4, 'Sending malformed requests…');
  const good = records[0] ?? {};
  const first = meta.signature.inputs[0];
  const cases: { case: string; endpoint: string; body?: unknown; raw?: string; contentType?: string }[] = [
    { case: 'malformed JSON', endpoint: '/predict', raw: '{"records": [{' },
    { case: 'malformed JSON', endpoint: infer, raw: '{"inputs": [' },
    { case: 'not JSON (text/plain)', endpoint: '/predict', raw: 'age=3', contentType: 'text/plain' },
    { case: 'empty batch', endpoint: '/predict', body: { records: [] } },
    { case: 'empty batch', endpoint: infer, body: { inputs: tensors([]) } },
  ];
  if (first) {
    const missing = Object.fromEntries(Object.entries(good).filter(([k]) => k !== first.name));
    cases.push(
      { case: `missing column ${first.name}`, endpoint: '/predict', body: { records: [missing] } },
      { case: `missing input tensor ${first.name}`, endpoint: infer, body: { inputs: tensors([good], first.name) } },
      { case: `wrong type for ${first.name} (${first.dtype})`, endpoint: '/predict', body: { records: [{ ...good, [first.name]: WRONG_VALUE[first.dtype] ?? { nested: true } }] } },
      { case: `wrong type for ${first.name} (${first.dtype})`, endpoint: infer, body: { inputs: tensors([{ ...good, [first.name]: WRONG_VALUE[first.dtype] ?? { nested: true } }]) } },
    );
  }
  for (const c of cases) {
    const a = await http('POST', c.endpoint, c.body, { raw: c.raw, contentType: c.contentType });
    if (c.endpoint === '/predict') predictSent++;
    const kind = (a.json as { kind?: string } | null)?.kind ?? null;
    r.malformed.push({ case: c.case, endpoint: c.endpoint, status: a.status, ok: a.status >= 400 && a.status < 500, kind });
  }
  const refused = r.malformed.filter((m) => m.ok).length;
  r.malformedRejected = refused === r.malformed.length;
  onChecks({
    id: 'malformed',
    ok: r.malformedRejected,
    message: r.malformedRejected
      ? `All ${r.malformed.length} malformed requests were refused with a 4xx (${[...new Set(r.malformed.map((m) => m.status))].sort().join(', ')}).`
      : `Malformed requests not refused with a 4xx: ${r.malformed.filter((m) => !m.ok).map((m) => `${m.case} on ${m.endpoint} → ${m.status}`).join('; ')}.`,
  });
  ctx.signal.throwIfAborted();

  // Latency: single-row requests one after another, after a short warm-up.
  const count = input.latencyRequests ?? 50;
  ctx.progress(0.5, `Timing ${count} single-row requests…`);
  const one = { records: [good] };
  for (let i = 0; i < 3; i++) {
    await http('POST', '/predict', one);
    predictSent++;
  }
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const a = await http('POST', '/predict', one);
    predictSent++;
    if (a.status === 200) times.push(a.ms);
  }
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 0.5);
  const p95 = percentile(times, 0.95);
  r.latencyMs = { requests: times.length, p50: p50 === null ? null : round(p50), p95: p95 === null ? null : round(p95), max: times.length ? round(times.at(-1)!) : null };
  ctx.signal.throwIfAborted();

  // Metrics: the scrape parses and counted what was sent.
  ctx.progress(0.6, 'Scraping /metrics…');
  const mr = await http('GET', '/metrics');
  try {
    if (mr.status !== 200) throw new Error(`GET /metrics answered ${mr.status}`);
    const { samples, families } = parsePrometheus(mr.text);
    const sum = (pred: (s: MetricSample) => boolean) => samples.filter((s) => s.name === 'greenhouse_requests_total' && pred(s)).reduce((t, s) => t + s.value, 0);
    const predictRequests = sum((s) => s.labels.endpoint === '/predict');
    const clientErrors = sum((s) => /^4\d\d$/.test(s.labels.code ?? ''));
    const ready = samples.find((s) => s.name === 'greenhouse_model_ready')?.value;
    r.metrics = { ok: false, families: families.size, predictRequests, clientErrors };
    const wrong: string[] = [];
    if (predictRequests < predictSent) wrong.push(`greenhouse_requests_total counts ${predictRequests} /predict requests; ${predictSent} were sent`);
    if (clientErrors < r.malformed.length) wrong.push(`it counts ${clientErrors} 4xx answers; ${r.malformed.length} were given`);
    if (ready !== 1) wrong.push(`greenhouse_model_ready is ${ready ?? 'missing'}`);
    r.metrics.ok = wrong.length === 0;
    onChecks({ id: 'metrics', ok: r.metrics.ok, message: r.metrics.ok ? `/metrics parses (${families.size} metric families) and counted the ${predictSent} /predict requests and ${r.malformed.length} refusals.` : `/metrics: ${wrong.join('; ')}.` });
  } catch (e) {
    onChecks({ id: 'metrics', ok: false, message: `/metrics is not valid Prometheus text: ${(e as Error).message}` });
  }
}

export const smokeTestBundle: Task<SmokeTaskInput, SmokeTestResult> = async (input, ctx) => {
  const t0 = Date.now();
  const startedAt = new Date(t0).toISOString();
  ctx.progress(0, `Connecting to the container engine (${input.engineLabel})…`);
  const docker = await connectEngine(input.engine, input.engineLabel);
  const meta = await readJson<ServingMetadata>(join(input.bundleDir, BUNDLE_FILES.metadata));
  const golden = await readJson<Golden>(join(input.bundleDir, BUNDLE_FILES.golden));
  const tolerance = isNumber(golden.tolerance) ? golden.tolerance : 1e-6;
  const r = emptyResult(input, startedAt, tolerance, golden.rows.length);
  const check = (c: SmokeCheck) => {
    r.checks.push(c);
    ctx.progress(null, `${c.ok ? 'ok' : 'FAILED'}: ${c.message}`);
  };

  const image = await docker
    .getImage(input.image)
    .inspect()
    .catch((e: unknown) => {
      if (isConnectionError(e)) throw engineGone(input.engineLabel, e);
      throw new AppError('NOT_FOUND', `The image of ${input.subject} (${input.image === input.tag ? input.tag : `${input.tag}, ${input.image}`}) is not on this machine.`, {
        remedy: `Build it first: greenhouse bundle build ${input.subject}.`,
      });
    });
  r.image = { id: image.Id, tag: input.tag };

  const port = input.network === 'host' ? await freeLoopbackPort() : null;
  const suffix = randomBytes(3).toString('hex');
  ctx.progress(0.05, `Starting ${input.tag} (${input.network === 'host' ? `host network, 127.0.0.1:${port}` : 'published on 127.0.0.1'})…`);
  const container = await docker
    .createContainer({
      name: `greenhouse-smoke-${dnsLabel(input.name)}-${input.version}-${suffix}`,
      Image: image.Id,
      Env: input.network === 'host' ? [`PORT=${port}`, 'HOST=127.0.0.1'] : [`PORT=${SERVICE_PORT}`, 'HOST=0.0.0.0'],
      Labels: { [ROLE_LABEL]: 'smoke', 'io.greenhouse.bundle': input.subject },
      ...(input.network === 'publish' ? { ExposedPorts: { [`${SERVICE_PORT}/tcp`]: {} } } : {}),
      HostConfig:
        input.network === 'host'
          ? { NetworkMode: 'host', AutoRemove: false }
          : { AutoRemove: false, PortBindings: { [`${SERVICE_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] } },
    })
    .catch((e: unknown) => {
      throw isConnectionError(e) ? engineGone(input.engineLabel, e) : new AppError('INVALID_INPUT', `The container of ${input.subject} could not be created: ${(e as Error).message}`);
    });

  let stopped = false;
  try {
    await container.start();
    const started = Date.now();
    if (input.network === 'publish') {
      const ports = (await container.inspect()).NetworkSettings.Ports?.[`${SERVICE_PORT}/tcp`];
      r.port = Number(ports?.find((p) => p.HostIp === '127.0.0.1')?.HostPort ?? ports?.[0]?.HostPort) || null;
      if (!r.port) throw new AppError('INTERNAL', `The engine published no port for ${SERVICE_PORT}/tcp.`);
    } else r.port = port;
    const http = httpClient(`http://127.0.0.1:${r.port}`, ctx.signal);

    ctx.progress(0.1, `Waiting up to ${input.timeoutSeconds} s for /v2/health/ready…`);
    const ready = await waitReady(http, container, input.timeoutSeconds * 1000, ctx.signal);
    if (!ready.ok) {
      check({ id: 'ready', ok: false, message: `The container never got ready: ${ready.why}.` });
    } else {
      r.readyMs = Date.now() - started;
      check({ id: 'ready', ok: true, message: `Ready ${r.readyMs} ms after the container started.` });
      try {
        await checkServing(http, r, meta, golden, input, ctx, check);
        ctx.signal.throwIfAborted();
        ctx.progress(0.65, 'Running the generated tests inside the container…');
        r.pytest = await runPytest(docker, container, (input.pytestTimeoutSeconds ?? 300) * 1000, ctx.signal);
        check({
          id: 'pytest',
          ok: r.pytest.exitCode === 0,
          message: r.pytest.exitCode === 0 ? `The generated tests pass inside the container: ${r.pytest.summary}.` : `The generated tests fail inside the container: ${r.pytest.summary}.`,
        });
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        if (isConnectionError(e) && !(await docker.ping().then(() => true, () => false))) throw engineGone(input.engineLabel, e);
        check({ id: 'error', ok: false, message: `The smoke test stopped: ${(e as Error).message}` });
      }
    }
    ctx.signal.throwIfAborted();

    // A clean stop: SIGTERM, in-flight requests finish, exit code 0.
    ctx.progress(0.95, 'Stopping the container…');
    await container.stop({ t: 10 }).catch(() => undefined);
    stopped = true;
    const state = (await container.inspect()).State;
    if (ready.ok) check({ id: 'shutdown', ok: state.ExitCode === 0, message: state.ExitCode === 0 ? 'The server stopped cleanly on SIGTERM (exit code 0).' : `The server did not stop cleanly on SIGTERM (exit code ${state.ExitCode}).` });
    r.passed = r.checks.length > 0 && r.checks.every((c) => c.ok);
    if (!r.passed) r.containerLogs = tail(demuxLogs((await container.logs({ stdout: true, stderr: true, follow: false, tail: 300 })) as unknown as Buffer));
  } catch (e) {
    if (ctx.signal.aborted) throw new AppError('CANCELLED', 'The smoke test was cancelled; its container was removed.');
    if (isConnectionError(e)) throw engineGone(input.engineLabel, e);
    throw e;
  } finally {
    // Always: the container goes, whatever happened (a cancelled job has 5 s, so no graceful stop then).
    if (!stopped && !ctx.signal.aborted) await container.stop({ t: 5 }).catch(() => undefined);
    await container.remove({ force: true, v: true }).catch(() => undefined);
  }
  r.durationMs = Date.now() - t0;
  ctx.progress(1, r.passed ? `Smoke test passed: ${r.checks.length} checks` : `Smoke test FAILED: ${r.checks.filter((c) => !c.ok).map((c) => c.id).join(', ')}`);
  return r;
};
