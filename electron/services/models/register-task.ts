import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { GoldenSet, Introspection, ModelMetrics, ScanResult, Signature } from '../../../shared/contract/index.js';
import { metricValues } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { captureEnvironment, type CapturedEnvironment } from '../environments/capture-task.js';
import { fsErrorToAppError } from '../errors.js';
import type { Task } from '../jobs/task.js';
import { ObjectStore } from '../objects/object-store.js';
import { workspacePaths } from '../workspace/paths.js';
import { DatasetRows, type DatasetVersionInput } from './dataset-rows.js';
import { scanArtifact } from './scan/pickle-scan.js';
import { introspectModel } from './python-helper.js';

/** Evaluation data is sampled down to this many rows for metrics. */
export const MAX_EVALUATION_ROWS = 100_000;

export interface ModelRegisterTaskInput {
  path: string;
  /** Load it although the scan found something (the reason is recorded when the job commits). */
  overrideScan: boolean;
  /** The interpreter that loads the model; captured as an environment when `capture`. */
  python: string;
  capture: boolean;
  training: { dataset: DatasetVersionInput; target: string };
  evaluation: DatasetVersionInput | null;
  metricsFile: string | null;
  sampleSize: number;
  seed: number;
  maxModelBytes: number;
}

export interface ModelRegisterTaskOutput {
  sha256: string;
  bytes: number;
  scan: ScanResult;
  environment: CapturedEnvironment | null;
  introspection: Introspection;
  signature: Signature;
  golden: Omit<GoldenSet, 'dataset'>;
  metrics: Omit<ModelMetrics, 'recordedAt'> | null;
  warnings: string[];
}

const formatBytes = (n: number) => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : `${(n / 1024 ** 2).toFixed(0)} MB`);

async function checkFile(path: string, maxBytes: number): Promise<void> {
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new AppError('INVALID_INPUT', `${path} is a folder, not a model file.`, { remedy: 'Pick the .joblib, .pkl or .onnx file itself.' });
    if (s.size > maxBytes) {
      throw new AppError('INVALID_INPUT', `${path} is ${formatBytes(s.size)}; model files over ${formatBytes(maxBytes)} are refused.`, {
        remedy: 'A model this large is usually a mistake (training data saved with it?). Save only the fitted estimator, or raise modelLimitBytes in the workspace settings.',
      });
    }
  } catch (e) {
    throw fsErrorToAppError(e, path);
  }
}

/** The scan as an error: what was found, worst first. */
export function unsafeError(path: string, scan: ScanResult): AppError {
  const order = ['critical', 'high', 'medium', 'low', 'info'];
  const worst = [...scan.findings].sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity)).slice(0, 3);
  return new AppError('UNSAFE_ARTIFACT', `${path} did not pass the safety scan: ${worst.map((f) => `${f.severity}: ${f.message}`).join('; ')}${scan.findings.length > 3 ? ` (and ${scan.findings.length - 3} more)` : ''}. Nothing was loaded.`, {
    details: { findings: scan.findings },
  });
}

async function readMetricsFile(path: string): Promise<Record<string, number>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw fsErrorToAppError(e, path);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new AppError('INVALID_INPUT', `${path} is not valid JSON: ${(e as Error).message}`, { remedy: 'Write the metrics as a JSON object, e.g. {"accuracy": 0.91, "f1": 0.87}.' });
  }
  const ok = metricValues.safeParse(parsed);
  if (!ok.success) {
    throw new AppError('INVALID_INPUT', `${path} must be a JSON object of metric names to numbers.`, { remedy: 'Write the metrics as e.g. {"accuracy": 0.91, "f1": 0.87}.' });
  }
  return ok.data;
}

/**
 * models.register: scan the file (never loading it), then, when it is safe or overridden, load
 * it in the analyst's Python to read what it is, its signature, its predictions on a seeded sample
 * of the training data (the golden set) and its metrics; finally keep its bytes in the object store.
 * Nothing is recorded unless all of it succeeds (the catalog write happens when the job commits).
 */
export const registerModel: Task<ModelRegisterTaskInput, ModelRegisterTaskOutput> = async (input, ctx) => {
  const warnings: string[] = [];
  ctx.progress(0, 'Checking the file…');
  await checkFile(input.path, input.maxModelBytes);
  const { dataset, target } = input.training;
  if (!dataset.columns.some((c) => c.name === target)) {
    throw new AppError('INVALID_INPUT', `The target column "${target}" is not in ${dataset.name}@${dataset.version}; its columns are ${dataset.columns.map((c) => c.name).join(', ')}.`, {
      remedy: 'Pick the column the model predicts.',
    });
  }
  const metricsFromFile = input.metricsFile ? await readMetricsFile(input.metricsFile) : null;

  ctx.progress(0.02, 'Scanning the file (nothing is loaded)…');
  const scan = await scanArtifact(input.path, { signal: ctx.signal, python: input.python, onProgress: (f) => ctx.progress(0.02 + 0.3 * f, 'Scanning the file (nothing is loaded)…') });
  if (!scan.safe && !input.overrideScan) throw unsafeError(input.path, scan);
  if (!scan.safe) warnings.push('The safety scan found problems; the model was loaded on an explicit override.');

  let environment: CapturedEnvironment | null = null;
  if (input.capture) {
    ctx.progress(0.35, `Capturing the environment of ${input.python}…`);
    environment = await captureEnvironment({ python: input.python }, { signal: ctx.signal, progress: () => undefined });
  }

  ctx.progress(0.45, `Sampling ${input.sampleSize} rows of ${dataset.name}@${dataset.version}…`);
  const training = await DatasetRows.open(dataset, ctx.signal);
  let sample: { columns: string[]; rows: unknown[][] };
  let baseline: Awaited<ReturnType<DatasetRows['baseline']>> | null = null;
  let evaluation: { columns: string[]; rows: unknown[][] } | null = null;
  try {
    sample = await training.sample(input.sampleSize, input.seed);
    if (input.evaluation) {
      baseline = await training.baseline(target);
      ctx.progress(0.5, `Reading ${input.evaluation.name}@${input.evaluation.version} for metrics…`);
      const rows = await DatasetRows.open(input.evaluation, ctx.signal);
      try {
        evaluation = await rows.sample(MAX_EVALUATION_ROWS, input.seed);
      } finally {
        rows.close();
      }
      if (!evaluation.columns.includes(target)) {
        throw new AppError('INVALID_INPUT', `The evaluation dataset ${input.evaluation.name}@${input.evaluation.version} has no "${target}" column to score against.`, {
          remedy: 'Pick an evaluation dataset with the target column, or record the metrics from a file or the form.',
        });
      }
    }
  } finally {
    training.close();
  }

  ctx.progress(0.55, `Loading the model in ${input.python}…`);
  const workDir = await mkdtemp(join(workspacePaths(ctx.workspaceRoot).tmp, 'model-'));
  try {
    const result = await introspectModel(
      input.python,
      {
        modelPath: input.path,
        format: scan.format,
        columns: training.columns,
        target,
        rows: selectColumns(sample, dataset.columns.map((c) => c.name)),
        eval: evaluation ? { rows: selectColumns(evaluation, dataset.columns.map((c) => c.name)) } : null,
        baseline,
      },
      { signal: ctx.signal, timeoutMs: 15 * 60_000, workDir },
    );
    warnings.push(...result.introspection.warnings);

    ctx.progress(0.9, 'Keeping a copy of the model file…');
    await new ObjectStore(workspacePaths(ctx.workspaceRoot).objects).putFile(input.path, scan.sha256);
    const metrics: ModelRegisterTaskOutput['metrics'] = metricsFromFile
      ? { source: 'file', dataset: null, rows: null, values: metricsFromFile, baseline: null }
      : result.metrics && input.evaluation
        ? { source: 'computed', dataset: { name: input.evaluation.name, version: input.evaluation.version }, ...result.metrics }
        : null;
    ctx.progress(1, 'Registered');
    return {
      sha256: scan.sha256,
      bytes: scan.bytes,
      scan,
      environment,
      introspection: result.introspection,
      signature: result.signature,
      golden: {
        count: sample.rows.length,
        seed: input.seed,
        libraryVersions: result.golden.libraryVersions,
        columns: result.signature.inputs.map((s) => s.name),
        rows: selectColumns(sample, result.signature.inputs.map((s) => s.name)),
        predictions: result.golden.predictions,
        probabilities: result.golden.probabilities,
        classes: result.golden.classes,
      },
      metrics,
      warnings,
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
};

/** The rows with just these columns, in this order (null where a row lacks one). */
function selectColumns(sample: { columns: string[]; rows: unknown[][] }, names: string[]): unknown[][] {
  const idx = names.map((c) => sample.columns.indexOf(c));
  return sample.rows.map((r) => idx.map((i) => (i < 0 ? null : r[i])));
}
