import { z } from 'zod';
import { method } from './define.js';
import { entityName, fsPath, isoTime } from './common.js';
import { job } from './jobs.js';
import { lineageLink } from './lineage.js';

export const FINDING_SEVERITIES = ['error', 'warning', 'info'] as const;
export const findingSeverity = z.enum(FINDING_SEVERITIES);
export type FindingSeverity = z.infer<typeof findingSeverity>;

/** The hygiene rules, in the order the report lists them. */
export const NOTEBOOK_RULES = {
  'out-of-order': 'Cells executed out of order',
  'not-executed': 'Code cells never executed',
  'error-output': 'Error outputs',
  'absolute-path': 'Absolute paths',
  secret: 'Secrets in code or outputs',
  'large-output': 'Very large outputs',
  'unseeded-randomness': 'Randomness without a seed',
  'unpinned-pip': 'Unpinned pip install',
  'used-before-defined': 'Names used before the cell that defines them',
  'code-not-analysed': 'Code not analysed (not a Python kernel)',
} as const;
export type NotebookRule = keyof typeof NOTEBOOK_RULES;
export const notebookRule = z.enum(Object.keys(NOTEBOOK_RULES) as [NotebookRule, ...NotebookRule[]]);

export const finding = z.object({
  rule: notebookRule,
  severity: findingSeverity,
  /** Index of the cell among all cells (0-based); null for the notebook as a whole. */
  cell: z.number().int().nullable(),
  /** 1-based line within the cell, when known. */
  line: z.number().int().nullable(),
  message: z.string(),
  remedy: z.string(),
});
export type Finding = z.infer<typeof finding>;

export const kernelInfo = z.object({
  name: z.string().nullable(),
  displayName: z.string().nullable(),
  language: z.string().nullable(),
  languageVersion: z.string().nullable(),
});
export type KernelInfo = z.infer<typeof kernelInfo>;

export const notebookImport = z.object({
  /** Top-level module, e.g. "sklearn". */
  module: z.string(),
  /** The package that provides it, e.g. "scikit-learn"; null for the standard library. */
  package: z.string().nullable(),
  stdlib: z.boolean(),
  cell: z.number().int(),
});
export type NotebookImport = z.infer<typeof notebookImport>;

export const pipInstall = z.object({
  /** A requirement as written, e.g. "pandas==2.0" or "scikit-learn". */
  requirement: z.string(),
  pinned: z.boolean(),
  cell: z.number().int(),
  line: z.number().int(),
});
export type PipInstall = z.infer<typeof pipInstall>;

export const fileRef = z.object({
  /** The literal as written in the code. */
  literal: z.string(),
  /** Resolved against the notebook's folder. */
  path: z.string(),
  /** The call that reads or writes it, e.g. "pd.read_csv" or "joblib.dump". */
  call: z.string(),
  cell: z.number().int(),
  line: z.number().int(),
  /** At registration time. */
  exists: z.boolean(),
  /** SHA-256 of the file at registration time (files only, when it existed). */
  sha256: z.string().nullable(),
});
export type FileRef = z.infer<typeof fileRef>;

export const seedCall = z.object({ call: z.string(), value: z.string(), cell: z.number().int(), line: z.number().int() });
export const hyperparameters = z.object({
  estimator: z.string(),
  params: z.record(z.string(), z.string()),
  cell: z.number().int(),
  line: z.number().int(),
});
export type Hyperparameters = z.infer<typeof hyperparameters>;

export const notebookAnalysis = z.object({
  kernel: kernelInfo,
  nbformat: z.string(),
  cells: z.object({ code: z.number().int(), markdown: z.number().int(), raw: z.number().int() }),
  /** Per code cell, in order: its execution count (null = never run). */
  executionCounts: z.array(z.number().int().nullable()),
  /** False for non-Python kernels: imports, reads and writes are not analysed. */
  codeAnalysed: z.boolean(),
  imports: z.array(notebookImport),
  pipInstalls: z.array(pipInstall),
  reads: z.array(fileRef),
  writes: z.array(fileRef),
  seeds: z.array(seedCall),
  hyperparameters: z.array(hyperparameters),
  findings: z.array(finding),
});
export type NotebookAnalysis = z.infer<typeof notebookAnalysis>;

/** A cell as the UI renders it: text only, outputs cut to a safe size; nothing executable. */
export const cellOutput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('stream'), name: z.string(), text: z.string(), truncated: z.boolean() }),
  z.object({ type: z.literal('text'), text: z.string(), truncated: z.boolean() }),
  /** A base64 PNG, JPEG or GIF; SVG and HTML are never passed on. */
  z.object({ type: z.literal('image'), mime: z.enum(['image/png', 'image/jpeg', 'image/gif']), data: z.string() }),
  z.object({ type: z.literal('error'), ename: z.string(), evalue: z.string(), traceback: z.string() }),
  z.object({ type: z.literal('omitted'), reason: z.string() }),
]);
export type CellOutput = z.infer<typeof cellOutput>;

export const notebookCell = z.object({
  index: z.number().int(),
  type: z.enum(['code', 'markdown', 'raw']),
  source: z.string(),
  executionCount: z.number().int().nullable(),
  outputs: z.array(cellOutput),
});
export type NotebookCell = z.infer<typeof notebookCell>;

export const notebookVersion = z.object({
  version: z.number().int().positive(),
  /** Of the raw file. */
  sha256: z.string(),
  /** Of the code cells' sources only: re-running a notebook does not change it. */
  sourceSha256: z.string(),
  bytes: z.number().int(),
  path: z.string(),
  createdAt: isoTime,
  createdBy: z.string(),
  findings: z.object({ error: z.number().int(), warning: z.number().int(), info: z.number().int() }),
});
export type NotebookVersion = z.infer<typeof notebookVersion>;

export const notebookSummary = z.object({
  name: z.string(),
  path: z.string(),
  latestVersion: z.number().int(),
  versions: z.number().int(),
  kernel: z.string().nullable(),
  findings: z.object({ error: z.number().int(), warning: z.number().int(), info: z.number().int() }),
  lastRun: z.enum(['passed', 'failed']).nullable(),
  updatedAt: isoTime,
});
export type NotebookSummary = z.infer<typeof notebookSummary>;

export const runCellResult = z.object({
  index: z.number().int(),
  status: z.enum(['ok', 'error', 'not-run']),
  durationMs: z.number().nullable(),
});

export const notebookRun = z.object({
  id: z.string(),
  version: z.number().int(),
  state: z.enum(['passed', 'failed']),
  python: z.string(),
  startedAt: isoTime,
  durationMs: z.number(),
  cells: z.array(runCellResult),
  /** The failing cell's index, its error and the message to act on. */
  failedCell: z.number().int().nullable(),
  error: z.object({ ename: z.string(), evalue: z.string(), traceback: z.string() }).nullable(),
  /** The executed copy, kept in the workspace; the original is never touched. */
  executedPath: z.string().nullable(),
});
export type NotebookRun = z.infer<typeof notebookRun>;


export const notebookDetail = z.object({
  name: z.string(),
  createdAt: isoTime,
  versions: z.array(notebookVersion),
  version: notebookVersion,
  analysis: notebookAnalysis,
  cells: z.array(notebookCell),
  links: z.array(lineageLink),
  runs: z.array(notebookRun),
});
export type NotebookDetail = z.infer<typeof notebookDetail>;

export const notebookRegisterResult = z.object({
  outcome: z.enum(['created', 'new-version', 'unchanged']),
  name: z.string(),
  version: z.number().int(),
  sha256: z.string(),
  sourceSha256: z.string(),
});
export type NotebookRegisterResult = z.infer<typeof notebookRegisterResult>;

export const notebookName = entityName;

export const notebooksMethods = {
  'notebooks.list': method({
    input: z.object({ query: z.string().max(200).optional() }),
    output: z.array(notebookSummary),
    summary: 'Registered notebooks, newest change first.',
  }),
  'notebooks.get': method({
    input: z.object({ name: z.string().min(1), version: z.number().int().positive().optional() }),
    output: notebookDetail,
    summary: 'One notebook version: its cells, analysis, findings, lineage links and reproduce runs.',
  }),
  'notebooks.register': method({
    input: z.object({ path: fsPath, name: notebookName.optional() }),
    output: job,
    summary: 'Start a job that validates, hashes and analyses a .ipynb file and records it as a notebook version.',
  }),
  'notebooks.lint': method({
    input: z.object({ path: fsPath }),
    output: job,
    summary: 'Start a job that analyses a .ipynb file without registering it; the result is the analysis.',
  }),
  'notebooks.run': method({
    input: z.object({
      name: z.string().min(1),
      version: z.number().int().positive().optional(),
      /** The Python that runs the kernel (needs nbclient and ipykernel); default: python3 on PATH. */
      python: fsPath.optional(),
      /** Per cell. */
      timeoutSeconds: z.number().int().min(1).max(24 * 3600).default(600),
    }),
    output: job,
    summary: 'Start a job that runs a copy of the notebook top to bottom, headless, and records per-cell results.',
  }),
};
