// Contract-shaped notebook values for renderer tests.
import type {
  Finding,
  Job,
  NotebookAnalysis,
  NotebookCell,
  NotebookDetail,
  NotebookRegisterResult,
  NotebookRun,
  NotebookSummary,
  NotebookVersion,
} from '../../../shared/contract/index.js';
import { job } from './fixtures.js';

export const notebookSummary = (over: Partial<NotebookSummary> = {}): NotebookSummary => ({
  name: 'train',
  path: '/home/ana/churn/train.ipynb',
  latestVersion: 1,
  versions: 1,
  kernel: 'python3',
  findings: { error: 2, warning: 1, info: 0 },
  lastRun: null,
  updatedAt: '2026-01-10T09:00:00.000Z',
  ...over,
});

export const notebookVersion = (over: Partial<NotebookVersion> = {}): NotebookVersion => ({
  version: 1,
  sha256: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607182930a4b5c6d7e8f9',
  sourceSha256: 'f9e8d7c6b5a40312f9e8d7c6b5a40312f9e8d7c6b5a40312f9e8d7c6b5a40312',
  bytes: 4200,
  path: '/home/ana/churn/train.ipynb',
  createdAt: '2026-01-10T09:00:00.000Z',
  createdBy: 'ana',
  findings: { error: 2, warning: 1, info: 0 },
  ...over,
});

export const finding = (over: Partial<Finding> = {}): Finding => ({
  rule: 'error-output',
  severity: 'error',
  cell: 2,
  line: null,
  message: 'This cell saved an error output (ZeroDivisionError).',
  remedy: 'Fix the error and re-run the notebook top to bottom before saving.',
  ...over,
});

/** A markdown cell, a code cell that reads a CSV, a failing cell and one with a password. */
export const notebookCells = (): NotebookCell[] => [
  { index: 0, type: 'markdown', source: '# Churn model\n\nReads **customers.csv**.', executionCount: null, outputs: [] },
  {
    index: 1,
    type: 'code',
    source: "import pandas as pd\ndf = pd.read_csv('data/customers.csv')\ndf.head()",
    executionCount: 1,
    outputs: [{ type: 'text', text: '   id  plan\n0   1  pro', truncated: false }],
  },
  {
    index: 2,
    type: 'code',
    source: '1 / 0',
    executionCount: 2,
    outputs: [{ type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: 'Traceback (most recent call last)\n  Cell In[2], line 1\nZeroDivisionError: division by zero' }],
  },
  {
    index: 3,
    type: 'code',
    source: "db_password = 'hunter2-s3cret-Value'\nprint('connected')",
    executionCount: 3,
    outputs: [
      { type: 'stream', name: 'stdout', text: 'connected\n', truncated: false },
      { type: 'image', mime: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==' },
      { type: 'omitted', reason: 'HTML output is not shown' },
    ],
  },
];

export const notebookAnalysis = (over: Partial<NotebookAnalysis> = {}): NotebookAnalysis => ({
  kernel: { name: 'python3', displayName: 'Python 3 (ipykernel)', language: 'python', languageVersion: '3.11.2' },
  nbformat: '4.5',
  cells: { code: 3, markdown: 1, raw: 0 },
  executionCounts: [1, 2, 3],
  codeAnalysed: true,
  imports: [
    { module: 'pandas', package: 'pandas', stdlib: false, cell: 1 },
    { module: 'os', package: null, stdlib: true, cell: 1 },
  ],
  pipInstalls: [{ requirement: 'scikit-learn', pinned: false, cell: 1, line: 1 }],
  reads: [
    { literal: 'data/customers.csv', path: '/home/ana/churn/data/customers.csv', call: 'pd.read_csv', cell: 1, line: 2, exists: true, sha256: 'dcd042e4c258' },
  ],
  writes: [{ literal: 'model.joblib', path: '/home/ana/churn/model.joblib', call: 'joblib.dump', cell: 3, line: 2, exists: false, sha256: null }],
  seeds: [{ call: 'np.random.seed', value: '42', cell: 1, line: 1 }],
  hyperparameters: [{ estimator: 'RandomForestClassifier', params: { n_estimators: '200', max_depth: '8' }, cell: 3, line: 1 }],
  findings: [
    finding(),
    finding({
      rule: 'secret',
      cell: 3,
      line: 1,
      message: 'The code holds a password (h… (20 characters)).',
      remedy: 'Revoke and rotate this credential now, then read it from an environment variable.',
    }),
    finding({ rule: 'unpinned-pip', severity: 'warning', cell: null, line: null, message: 'scikit-learn is installed without a version.', remedy: 'Pin it.' }),
  ],
  ...over,
});

export const notebookRun = (over: Partial<NotebookRun> = {}): NotebookRun => ({
  id: 'run-1',
  version: 1,
  state: 'failed',
  python: '/usr/bin/python3',
  startedAt: '2026-01-10T09:05:00.000Z',
  durationMs: 2400,
  cells: [
    { index: 1, status: 'ok', durationMs: 300 },
    { index: 2, status: 'error', durationMs: 20 },
    { index: 3, status: 'not-run', durationMs: null },
  ],
  failedCell: 2,
  error: { ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: 'Traceback (most recent call last)\nZeroDivisionError: division by zero' },
  executedPath: '/home/ana/churn/.greenhouse/runs/run-1/executed.ipynb',
  ...over,
});

export const notebookDetail = (over: Partial<NotebookDetail> = {}): NotebookDetail => {
  const version = over.version ?? notebookVersion();
  return {
    name: 'train',
    createdAt: '2026-01-10T09:00:00.000Z',
    versions: [version],
    analysis: notebookAnalysis(),
    cells: notebookCells(),
    links: [{ kind: 'dataset', name: 'customers', version: 1, relation: 'reads', matchedBy: 'sha256', path: '/home/ana/churn/data/customers.csv' }],
    runs: [],
    ...over,
    version,
  };
};

export const notebookRegisterResult = (over: Partial<NotebookRegisterResult> = {}): NotebookRegisterResult => ({
  outcome: 'created',
  name: 'train',
  version: 1,
  sha256: 'a1b2c3d4e5f6',
  sourceSha256: 'f9e8d7c6b5a4',
  ...over,
});

/** A notebooks.register job: queued by default; pass state/result for later updates. */
export const notebookRegisterJob = (over: Partial<Job> = {}): Job =>
  job({ id: 'nb-reg-1', kind: 'notebooks.register', title: 'Register notebook train', state: 'queued', progress: null, message: '', ...over });

/** A notebooks.run job: queued by default. */
export const notebookRunJob = (over: Partial<Job> = {}): Job =>
  job({ id: 'nb-run-1', kind: 'notebooks.run', title: 'Reproduce train@1', state: 'queued', progress: null, message: '', ...over });
