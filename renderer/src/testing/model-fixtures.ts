// Contract-shaped environment, model and lineage values for renderer tests.
import type {
  EnvironmentCaptureResult,
  EnvironmentComparison,
  EnvironmentDetail,
  EnvironmentMismatch,
  EnvironmentSummary,
  EnvironmentVersion,
  Job,
  LineageGraph,
  ModelDetail,
  ModelRegisterResult,
  ModelSummary,
  ModelVersion,
  PythonCandidate,
  ScanResult,
} from '../../../shared/contract/index.js';
import { job } from './fixtures.js';

const SHA = 'b7e23ec29af22b0b4e41da31e868d57226121c84b7e23ec29af22b0b4e41da31';

export const pythonCandidate = (over: Partial<PythonCandidate> = {}): PythonCandidate => ({
  path: '/usr/bin/python3',
  kind: 'system',
  label: 'System Python',
  version: '3.11.2',
  ...over,
});

export const environmentSummary = (over: Partial<EnvironmentSummary> = {}): EnvironmentSummary => ({
  name: 'python3',
  source: 'interpreter',
  path: '/usr/bin/python3',
  latestVersion: 1,
  versions: 1,
  pythonVersion: '3.11.2',
  packages: 3,
  updatedAt: '2026-01-10T09:00:00.000Z',
  ...over,
});

export const environmentVersion = (over: Partial<EnvironmentVersion> = {}): EnvironmentVersion => ({
  version: 1,
  sha256: SHA,
  source: 'interpreter',
  path: '/usr/bin/python3',
  python: { version: '3.11.2', implementation: 'CPython', executable: '/usr/bin/python3', platform: 'Linux-6.1.0-x86_64-with-glibc2.36', machine: 'x86_64' },
  pythonRequires: null,
  packages: [
    { name: 'joblib', version: '1.2.0', specifier: null },
    { name: 'numpy', version: '1.24.2', specifier: null },
    { name: 'scikit-learn', version: '1.2.1', specifier: null },
  ],
  createdAt: '2026-01-10T09:00:00.000Z',
  createdBy: 'ana',
  ...over,
});

export const mismatch = (over: Partial<EnvironmentMismatch> = {}): EnvironmentMismatch => ({
  kind: 'missing-package',
  package: 'xgboost',
  expected: null,
  actual: null,
  source: 'notebook train@1 imports xgboost',
  message: 'xgboost is imported by the notebook but not installed in python3.',
  ...over,
});

export const environmentDetail = (over: Partial<EnvironmentDetail> = {}): EnvironmentDetail => {
  const version = over.version ?? environmentVersion();
  const { packages: _packages, ...withoutPackages } = version;
  return {
    name: 'python3',
    createdAt: '2026-01-10T09:00:00.000Z',
    versions: [withoutPackages],
    usedBy: [],
    ...over,
    version,
  };
};

export const environmentComparison = (over: Partial<EnvironmentComparison> = {}): EnvironmentComparison => ({
  from: { name: 'python3', version: 1 },
  to: { name: 'python3', version: 2 },
  added: [{ name: 'pandas', version: '1.5.3', specifier: null }],
  removed: [{ name: 'joblib', version: '1.2.0', specifier: null }],
  changed: [{ name: 'scikit-learn', from: '1.2.1', to: '1.3.0' }],
  unchanged: 1,
  pythonChanged: { from: '3.11.2', to: '3.12.1' },
  ...over,
});

export const captureResult = (over: Partial<EnvironmentCaptureResult> = {}): EnvironmentCaptureResult => ({
  outcome: 'created',
  name: 'python3',
  version: 1,
  sha256: SHA,
  packages: 3,
  ...over,
});

export const captureJob = (over: Partial<Job> = {}): Job =>
  job({ id: 'cap-1', kind: 'environments.capture', title: 'Capture python3', state: 'queued', progress: null, message: '', ...over });

export const scanResult = (over: Partial<ScanResult> = {}): ScanResult => ({
  safe: true,
  format: 'joblib',
  compression: null,
  protocol: 4,
  globals: [
    { module: 'sklearn.pipeline', name: 'Pipeline', allowed: true, count: 1 },
    { module: 'numpy.core.multiarray', name: '_reconstruct', allowed: true, count: 12 },
  ],
  findings: [],
  recordedVersions: { 'scikit-learn': '1.2.1' },
  bytes: 18_432,
  sha256: SHA,
  ...over,
});

export const unsafeScan = (over: Partial<ScanResult> = {}): ScanResult =>
  scanResult({
    safe: false,
    format: 'pickle',
    globals: [{ module: 'posix', name: 'system', allowed: false, count: 1 }],
    findings: [{ severity: 'critical', kind: 'global', module: 'posix', name: 'system', offset: 2, message: 'posix.system runs a shell command when the file is loaded.' }],
    recordedVersions: {},
    ...over,
  });

export const scanJob = (over: Partial<Job> = {}): Job =>
  job({ id: 'scan-1', kind: 'models.scan', title: 'Scan model.joblib', state: 'queued', progress: null, message: '', ...over });

export const modelRegisterResult = (over: Partial<ModelRegisterResult> = {}): ModelRegisterResult => ({
  outcome: 'created',
  name: 'churn',
  version: 1,
  sha256: SHA,
  environment: { name: 'python3', version: 1 },
  warnings: [],
  ...over,
});

export const modelRegisterJob = (over: Partial<Job> = {}): Job =>
  job({ id: 'mreg-1', kind: 'models.register', title: 'Register churn', state: 'queued', progress: null, message: '', ...over });

export const modelSummary = (over: Partial<ModelSummary> = {}): ModelSummary => ({
  name: 'churn',
  latestVersion: 1,
  versions: 1,
  framework: 'scikit-learn',
  className: 'Pipeline',
  task: 'classification',
  safe: true,
  updatedAt: '2026-01-10T09:00:00.000Z',
  ...over,
});

export const modelVersion = (over: Partial<ModelVersion> = {}): ModelVersion => ({
  version: 1,
  sha256: SHA,
  bytes: 18_432,
  format: 'joblib',
  framework: 'scikit-learn',
  className: 'Pipeline',
  task: 'classification',
  sourcePath: '/home/ana/churn/model.joblib',
  scanOverride: null,
  bundled: false,
  createdAt: '2026-01-10T09:00:00.000Z',
  createdBy: 'ana',
  ...over,
});

const EMPTY_CARD = {
  details: '',
  intendedUse: '',
  factors: '',
  metrics: '',
  evaluationData: '',
  trainingData: '',
  quantitativeAnalyses: '',
  ethicalConsiderations: '',
  caveats: '',
};

export const modelDetail = (over: Partial<ModelDetail> = {}): ModelDetail => {
  const version = over.version ?? modelVersion();
  return {
    name: 'churn',
    createdAt: '2026-01-10T09:00:00.000Z',
    versions: [version],
    scan: scanResult(),
    introspection: {
      className: 'Pipeline',
      module: 'sklearn.pipeline',
      framework: 'scikit-learn',
      task: 'classification',
      libraryVersions: { python: '3.11.2', 'scikit-learn': '1.2.1', numpy: '1.24.2' },
      params: { memory: null, verbose: false, 'clf__C': 1, 'clf__max_iter': 200 },
      nFeatures: 3,
      featureNames: ['plan', 'monthly_spend', 'age'],
      classes: [false, true],
      steps: [
        { path: 'prep', className: 'ColumnTransformer', columns: null },
        { path: 'prep/cat', className: 'OneHotEncoder', columns: ['plan'] },
        { path: 'prep/num', className: 'StandardScaler', columns: ['monthly_spend', 'age'] },
        { path: 'clf', className: 'LogisticRegression', columns: null },
      ],
      featureImportances: [
        { feature: 'monthly_spend', importance: 0.61 },
        { feature: 'plan', importance: 0.27 },
        { feature: 'age', importance: 0.12 },
      ],
      warnings: [],
    },
    signature: {
      inputs: [
        { name: 'plan', dtype: 'string', nullable: false },
        { name: 'monthly_spend', dtype: 'float64', nullable: true },
        { name: 'age', dtype: 'int64', nullable: false },
      ],
      outputs: [
        { name: 'label', kind: 'label', dtype: 'bool', class: null },
        { name: 'probability_true', kind: 'probability', dtype: 'float64', class: true },
      ],
      inputsFrom: 'model',
    },
    golden: {
      count: 2,
      seed: 42,
      dataset: { name: 'customers', version: 1 },
      libraryVersions: { python: '3.11.2', 'scikit-learn': '1.2.1' },
      columns: ['plan', 'monthly_spend', 'age'],
      rows: [
        ['pro', 61.5, 34],
        ['basic', null, 51],
      ],
      predictions: [true, false],
      probabilities: [
        [0.2, 0.8],
        [0.9, 0.1],
      ],
      classes: [false, true],
    },
    metrics: {
      source: 'computed',
      dataset: { name: 'customers', version: 1 },
      rows: 3000,
      values: { accuracy: 0.84, f1: 0.41, log_loss: 0.62 },
      baseline: { strategy: 'majority', values: { accuracy: 0.8, f1: 0.5, log_loss: 0.5 } },
      recordedAt: '2026-01-10T09:00:00.000Z',
    },
    card: { ...EMPTY_CARD, details: 'A **logistic regression** that predicts churn.' },
    lineage: {
      training: [{ name: 'customers', version: 1, target: 'churned' }],
      evaluation: null,
      notebook: { name: 'train', version: 1 },
      environment: { name: 'python3', version: 1 },
    },
    links: [],
    mismatches: [],
    ...over,
    version,
  };
};

export const lineageGraph = (over: Partial<LineageGraph> = {}): LineageGraph => ({
  nodes: [
    { id: 'dataset:customers@1', kind: 'dataset', name: 'customers', version: 1, detail: '3,000 rows' },
    { id: 'notebook:train@1', kind: 'notebook', name: 'train', version: 1, detail: 'python3' },
    { id: 'environment:python3@1', kind: 'environment', name: 'python3', version: 1, detail: 'Python 3.11.2' },
    { id: 'model:churn@1', kind: 'model', name: 'churn', version: 1, detail: 'Pipeline' },
  ],
  edges: [
    { source: 'dataset:customers@1', target: 'notebook:train@1', relation: 'read-by' },
    { source: 'dataset:customers@1', target: 'model:churn@1', relation: 'trained' },
    { source: 'notebook:train@1', target: 'model:churn@1', relation: 'wrote' },
    { source: 'environment:python3@1', target: 'model:churn@1', relation: 'environment-of' },
  ],
  ...over,
});
