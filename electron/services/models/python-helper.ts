// The typed side of resources/python/greenhouse_model.py, the helper that runs in the analyst's
// own Python: what an interpreter has installed, and what a model is (introspection, signature,
// golden predictions, metrics). Every answer is validated against the contract's schemas.

import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  goldenSet,
  introspection,
  metricValues,
  modelMetrics,
  pythonInfo,
  signature,
  type ArtifactFormat,
  type ColumnKind,
  type EnvPackage,
  type PythonInfo,
} from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { packageFor } from '../notebooks/analyze.js';
import { lastLines, spawnPython, type PythonExit } from '../python/spawn-python.js';
import { resourcePath } from '../resources.js';

export interface HelperOptions {
  signal?: AbortSignal;
  /** Kill the helper after this long (default: 2 minutes for env, 15 for introspect). */
  timeoutMs?: number;
}

export interface IntrospectRequest {
  modelPath: string;
  format: ArtifactFormat;
  /**
   * The training dataset's columns (target included) with their profile kinds. `nullable`: the
   * profile counted nulls in it (optional; nulls in the given rows count anyway), so an integer
   * column is read as float64, as pandas would, and its signature input is nullable.
   */
  columns: { name: string; kind: ColumnKind; nullable?: boolean }[];
  target: string;
  /** The golden sample rows, in column order. */
  rows: unknown[][];
  /** Evaluation rows (same columns, target included) to compute metrics on; null for none. */
  eval: { rows: unknown[][] } | null;
  /** The trivial model: the majority class (classifiers) or the mean (regressors); the helper picks by task. */
  baseline: { majority?: string | number | boolean | null; mean?: number | null } | null;
}

const onnxValue = z.object({
  name: z.string(),
  /** "float", "int64", "string"…; null for sequences and maps. */
  elemType: z.string().nullable(),
  /** Dimensions; a string for a symbolic one ("N"), null for an unknown one. */
  shape: z.array(z.union([z.number().int(), z.string(), z.null()])).nullable(),
  /** Readable, e.g. "tensor(float)[?,3]" or "seq(map(int64,tensor(float)))". */
  type: z.string(),
});

/** What the helper reads from an ONNX graph (without running it). */
export const onnxGraphInfo = z.object({
  producer: z.string().nullable(),
  producerVersion: z.string().nullable(),
  irVersion: z.number().int(),
  opset: z.record(z.string(), z.number().int()),
  graphName: z.string().nullable(),
  inputs: z.array(onnxValue),
  outputs: z.array(onnxValue),
  nodes: z.number().int(),
  metadata: z.record(z.string(), z.string()),
});
export type OnnxGraphInfo = z.infer<typeof onnxGraphInfo>;

export const introspectResult = z.object({
  introspection,
  signature,
  golden: goldenSet.pick({ predictions: true, probabilities: true, classes: true, libraryVersions: true }),
  /** On the evaluation rows with a target value; null when no evaluation rows were given. */
  metrics: z.object({ rows: z.number().int(), values: metricValues, baseline: modelMetrics.shape.baseline }).nullable(),
  onnx: onnxGraphInfo.nullable(),
  /** Metrics that could not be computed, and why (e.g. roc_auc with one class present). */
  notes: z.array(z.string()),
});
export type IntrospectResult = z.infer<typeof introspectResult>;

const envResult = z.object({
  python: pythonInfo,
  packages: z.array(z.object({ name: z.string(), version: z.string(), requires: z.array(z.string()).optional() })),
});

const helperError = z.object({
  error: z.looseObject({
    code: z.string(),
    message: z.string(),
    module: z.string().optional(),
    fullModule: z.string().optional(),
    installed: z.boolean().optional(),
    missing: z.array(z.string()).optional(),
    columns: z.array(z.string()).optional(),
    expected: z.union([z.number(), z.array(z.string())]).optional(),
    actual: z.number().optional(),
    path: z.string().optional(),
    type: z.string().optional(),
    hint: z.string().optional(),
  }),
});
type HelperErrorData = z.infer<typeof helperError>['error'];

const PICK_INTERPRETER = 'Pick an interpreter that exists (greenhouse env capture --python PATH).';

/** A path as a shell word, for remedies the user may paste. */
const shellWord = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

async function runHelper(python: string, args: string[], opts: HelperOptions & { cwd?: string; what: string; defaultTimeoutMs: number }): Promise<{ exit: PythonExit }> {
  if (opts.signal?.aborted) throw new AppError('CANCELLED', `${opts.what} was cancelled.`);
  const timeoutMs = opts.timeoutMs ?? opts.defaultTimeoutMs;
  const proc = spawnPython(python, [resourcePath('python', 'greenhouse_model.py'), ...args], { cwd: opts.cwd, signal: opts.signal, timeoutMs });
  const exit = await proc.exited;
  if (exit.aborted) throw new AppError('CANCELLED', `${opts.what} was cancelled.`);
  if (exit.spawnError) {
    const code = exit.spawnError.code;
    if (code === 'ENOENT') throw new AppError('NOT_FOUND', `The Python interpreter ${python} does not exist.`, { remedy: PICK_INTERPRETER });
    if (code === 'EACCES' || code === 'EPERM') throw new AppError('NOT_FOUND', `${python} is not an executable file.`, { remedy: PICK_INTERPRETER });
    throw new AppError('PYTHON_ERROR', `Could not start ${python}: ${exit.spawnError.message}`, { remedy: PICK_INTERPRETER });
  }
  if (exit.timedOut) {
    throw new AppError('PYTHON_ERROR', `${python} took longer than ${seconds(timeoutMs)} (${opts.what.toLowerCase()}) and was stopped.`, {
      remedy: 'Check that the model loads quickly in that Python (a very large model or a slow import?), then try again.',
    });
  }
  return { exit };
}

/** The helper's answer file: its document, or the error it wrote; else why there is none. */
async function readAnswer(python: string, outPath: string, exit: PythonExit, what: string): Promise<unknown> {
  const text = exit.code === 0 || exit.code === 2 ? await readFile(outPath, 'utf8').catch(() => null) : null;
  if (text === null) {
    const how = exit.signal ? `was killed by ${exit.signal}` : `stopped with exit code ${exit.code}`;
    const tail = lastLines(exit.stderr);
    throw new AppError('PYTHON_ERROR', `${what} failed: ${python} ${how}${tail ? `:\n${tail}` : ' without saying why.'}`, {
      remedy: `Check that ${python} is a working Python 3.8 or newer; the lines above are what it said.`,
      details: { stderr: tail },
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new AppError('INTERNAL', `${what}: the helper's answer is not JSON (${(e as Error).message}).`);
  }
}

function invalidAnswer(what: string, error: z.ZodError): AppError {
  const first = error.issues[0];
  return new AppError('INTERNAL', `${what}: the helper answered something unexpected (${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'}).`);
}

/** A known failure the helper reported, as the error the user sees. */
function helperFailure(python: string, e: HelperErrorData): AppError {
  const details = { ...e };
  switch (e.code) {
    case 'missing-module': {
      const module = e.module ?? e.fullModule ?? 'unknown';
      const pkg = packageFor(e.fullModule ?? module).package ?? module;
      if (e.installed && e.fullModule && e.fullModule !== module) {
        return new AppError(
          'PYTHON_ERROR',
          `The model needs ${e.fullModule}, which the ${pkg} installed in ${python} does not have: the model was probably saved with another version of ${pkg}.`,
          { remedy: `Install the ${pkg} version the model was saved with (${shellWord(python)} -m pip install "${pkg}==VERSION"), or save the model again with this version.`, details },
        );
      }
      const doing = module === 'onnxruntime' ? 'run the ONNX model' : 'load the model';
      return new AppError('PYTHON_ERROR', `${python} cannot ${doing}: it lacks the package ${pkg} (module ${module}).`, {
        remedy: `${shellWord(python)} -m pip install ${pkg}`,
        details,
      });
    }
    case 'features-mismatch':
      return new AppError('INVALID_INPUT', e.message, {
        remedy: 'Pick the dataset version (and target) the model was trained on, or register a model trained on this data.',
        details,
      });
    case 'load-failed':
      return new AppError('PYTHON_ERROR', `${python} could not load the model${e.path ? ` ${e.path}` : ''}: ${e.message}`, {
        remedy: e.hint ?? 'Load it in that Python yourself to see why; usually the model needs other library versions than this environment has.',
        details,
      });
    case 'predict-failed':
      return new AppError('PYTHON_ERROR', `The model loaded, but ${e.message}`, {
        remedy: 'Check that the dataset is the one the model was trained on (column types, categories, missing values).',
        details,
      });
    case 'metrics-failed':
      return new AppError('PYTHON_ERROR', `The model loaded and predicted, but scoring it on the evaluation data failed: ${e.message}`, {
        remedy: 'Check that the evaluation data\'s target holds the same kind of values as the training target (e.g. "yes"/"no", not 1/0), or record the metrics from a file or the form.',
        details,
      });
    case 'bad-input':
      return new AppError('INTERNAL', `The model helper refused its input: ${e.message}`, { details });
    default:
      return new AppError('PYTHON_ERROR', e.message, { details });
  }
}

/** The answer, or the helper's error as an AppError. */
function answerOrThrow<T extends z.ZodType>(python: string, raw: unknown, schema: T, what: string): z.infer<T> {
  const failed = helperError.safeParse(raw);
  if (failed.success) throw helperFailure(python, failed.data.error);
  const ok = schema.safeParse(raw);
  if (!ok.success) throw invalidAnswer(what, ok.error);
  return ok.data;
}

/** Ask an interpreter for its version, platform and installed distributions (PEP 503 names, sorted). */
export async function captureInterpreter(python: string, opts: HelperOptions = {}): Promise<{ python: PythonInfo; packages: EnvPackage[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'gh-env-'));
  try {
    const out = join(dir, 'env.json');
    const what = 'Capturing the environment';
    const { exit } = await runHelper(python, ['env', '--out', out], { ...opts, what, defaultTimeoutMs: 2 * 60_000 });
    const doc = answerOrThrow(python, await readAnswer(python, out, exit, what), envResult, what);
    return { python: doc.python, packages: doc.packages.map((p) => ({ name: p.name, version: p.version, specifier: null, ...(p.requires ? { requires: p.requires } : {}) })) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Load a model in the analyst's Python (only after Greenhouse's static scan passed or was
 * overridden) and read what it is, its signature against the training columns, its predictions on
 * the golden rows and, given evaluation rows, its metrics and the trivial baseline's.
 * The request and answer files live in `workDir` (created if needed) and are removed afterwards.
 */
export async function introspectModel(python: string, req: IntrospectRequest, opts: HelperOptions & { workDir: string }): Promise<IntrospectResult> {
  await mkdir(opts.workDir, { recursive: true });
  const id = randomUUID().slice(0, 8);
  const input = join(opts.workDir, `introspect-${id}.in.json`);
  const out = join(opts.workDir, `introspect-${id}.out.json`);
  const what = 'Introspecting the model';
  try {
    const { modelPath: _path, format: _format, ...payload } = req;
    await writeFile(input, JSON.stringify(payload));
    const { exit } = await runHelper(python, ['introspect', '--model', req.modelPath, '--format', req.format, '--input', input, '--out', out], {
      ...opts,
      cwd: opts.workDir,
      what,
      defaultTimeoutMs: 15 * 60_000,
    });
    return answerOrThrow(python, await readAnswer(python, out, exit, what), introspectResult, what);
  } finally {
    await Promise.all([rm(input, { force: true }), rm(out, { force: true }), rm(`${out}.part`, { force: true })]);
  }
}
