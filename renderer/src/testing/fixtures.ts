// Contract-shaped sample values for renderer tests.
import type {
  AppInfo,
  AuditEntry,
  ColumnProfile,
  DatasetDetail,
  DatasetDiff,
  DatasetSummary,
  DatasetVersion,
  DirListing,
  DockerStatus,
  Job,
  RecentWorkspace,
  RegisterResult,
  WorkspaceInfo,
} from '../../../shared/contract/index.js';

export const appInfo = (over: Partial<AppInfo> = {}): AppInfo => ({
  name: 'Greenhouse',
  version: '0.1.0',
  mode: 'browser',
  platform: 'linux',
  nativeDialogs: false,
  user: 'ana',
  ...over,
});

export const workspaceInfo = (over: Partial<WorkspaceInfo> = {}): WorkspaceInfo => ({
  path: '/home/ana/churn',
  name: 'Churn model',
  createdAt: '2026-01-10T09:00:00.000Z',
  catalogVersion: 2,
  counts: { datasets: 0, notebooks: 0, environments: 0, models: 0, bundles: 0, jobsRunning: 0 },
  ...over,
});

export const recentWorkspace = (over: Partial<RecentWorkspace> = {}): RecentWorkspace => ({
  path: '/home/ana/churn',
  name: 'Churn model',
  openedAt: '2026-01-10T09:00:00.000Z',
  exists: true,
  ...over,
});

export const job = (over: Partial<Job> = {}): Job => ({
  id: 'job-1',
  kind: 'objects.verify',
  title: 'Verify snapshots',
  state: 'running',
  progress: 0.4,
  message: 'Hashing',
  createdAt: '2026-01-10T09:00:00.000Z',
  startedAt: '2026-01-10T09:00:01.000Z',
  finishedAt: null,
  error: null,
  result: null,
  ...over,
});

export const auditEntry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  id: 1,
  at: '2026-01-10T09:00:00.000Z',
  actor: 'ana',
  action: 'workspace.created',
  subject: '/home/ana/churn',
  details: {},
  ...over,
});

export const dockerStatus = (over: Partial<DockerStatus> = {}): DockerStatus => ({
  endpoint: 'unix:///var/run/docker.sock',
  version: '20.10.24+dfsg1',
  apiVersion: '1.41',
  os: 'linux',
  arch: 'amd64',
  product: 'Engine',
  ...over,
});

export const datasetSummary = (over: Partial<DatasetSummary> = {}): DatasetSummary => ({
  name: 'customers',
  latestVersion: 1,
  versions: 1,
  format: 'csv',
  rows: 3000,
  columnCount: 3,
  bytes: 128_000,
  sourcePath: '/home/ana/data/customers.csv',
  updatedAt: '2026-01-10T09:00:00.000Z',
  ...over,
});

export const datasetVersion = (over: Partial<DatasetVersion> = {}): DatasetVersion => ({
  version: 1,
  sha256: 'dcd042e4c2585f0a9b1c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607182',
  bytes: 128_000,
  format: 'csv',
  sourcePath: '/home/ana/data/customers.csv',
  files: [{ path: '/home/ana/data/customers.csv', sha256: 'dcd042e4c258', bytes: 128_000 }],
  snapshot: 'copy',
  snapshotNote: null,
  dialect: null,
  rows: 3000,
  columnCount: 3,
  createdAt: '2026-01-10T09:00:00.000Z',
  createdBy: 'ana',
  ...over,
});

export const numberColumn = (over: Partial<ColumnProfile> = {}): ColumnProfile => ({
  name: 'monthly_spend',
  type: 'DOUBLE',
  kind: 'number',
  nulls: 90,
  distinct: 1300,
  min: 20,
  max: 100,
  mean: 60.06,
  std: 23.16,
  quantiles: { '0.01': 21, '0.05': 24, '0.25': 40, '0.5': 60, '0.75': 80, '0.95': 96, '0.99': 99 },
  histogram: [
    { lower: 20, upper: 40, count: 700 },
    { lower: 40, upper: 60, count: 760 },
    { lower: 60, upper: 80, count: 720 },
    { lower: 80, upper: 100, count: 730 },
  ],
  top: null,
  textLength: null,
  ...over,
});

export const textColumn = (over: Partial<ColumnProfile> = {}): ColumnProfile => ({
  name: 'plan',
  type: 'VARCHAR',
  kind: 'text',
  nulls: 0,
  distinct: 3,
  min: 'basic',
  max: 'pro',
  mean: null,
  std: null,
  quantiles: null,
  histogram: null,
  top: [
    { value: 'pro', count: 1029 },
    { value: 'basic', count: 1000 },
    { value: 'enterprise', count: 971 },
  ],
  textLength: { min: 3, max: 10 },
  ...over,
});

export const dateColumn = (over: Partial<ColumnProfile> = {}): ColumnProfile => ({
  name: 'signup_date',
  type: 'DATE',
  kind: 'date',
  nulls: 0,
  distinct: 365,
  min: '2024-01-01',
  max: '2024-12-30',
  mean: null,
  std: null,
  quantiles: null,
  histogram: [
    { lower: '2024-01-01', upper: '2024-07-01', count: 1500 },
    { lower: '2024-07-01', upper: '2024-12-30', count: 1500 },
  ],
  top: null,
  textLength: null,
  ...over,
});

export const datasetDetail = (over: Partial<DatasetDetail> = {}): DatasetDetail => {
  const version = over.version ?? datasetVersion();
  return {
    name: 'customers',
    createdAt: '2026-01-10T09:00:00.000Z',
    datasheet: { description: '', source: '', owner: '', licence: '', collectionProcess: '', personalData: 'unknown' },
    links: [],
    versions: [version],
    columns: [numberColumn(), textColumn(), dateColumn()],
    sample: {
      columns: ['monthly_spend', 'plan', 'signup_date'],
      rows: [
        [61.59, 'pro', '2024-11-29'],
        [null, 'basic', '2024-04-14'],
      ],
    },
    ...over,
    version,
  };
};

export const datasetDiff = (over: Partial<DatasetDiff> = {}): DatasetDiff => ({
  name: 'customers',
  from: 1,
  to: 2,
  rows: { from: 3000, to: 3200 },
  added: [{ name: 'score', type: 'DOUBLE' }],
  removed: [],
  retyped: [{ name: 'age', from: 'BIGINT', to: 'DOUBLE' }],
  shifts: [
    { name: 'monthly_spend', kind: 'number', nullRate: { from: 0.031, to: 0.038 }, mean: { from: 60.06, to: 128.2 }, std: { from: 23.16, to: 40.26 }, psi: 5.019 },
    { name: 'plan', kind: 'text', nullRate: { from: 0, to: 0 }, mean: { from: null, to: null }, std: { from: null, to: null }, psi: 0.17 },
    { name: 'region', kind: 'text', nullRate: { from: 0, to: 0 }, mean: { from: null, to: null }, std: { from: null, to: null }, psi: 0.004 },
    { name: 'notes', kind: 'text', nullRate: { from: 0.5, to: 0.5 }, mean: { from: null, to: null }, std: { from: null, to: null }, psi: null },
  ],
  ...over,
});

export const registerResult = (over: Partial<RegisterResult> = {}): RegisterResult => ({
  outcome: 'created',
  name: 'customers',
  version: 1,
  sha256: 'dcd042e4c258',
  warnings: [],
  ...over,
});

/** A datasets.register job: queued by default; pass state/result for later updates. */
export const registerJob = (over: Partial<Job> = {}): Job =>
  job({ id: 'reg-1', kind: 'datasets.register', title: 'Register customers', state: 'queued', progress: null, message: '', ...over });

export const dirListing = (over: Partial<DirListing> = {}): DirListing => ({
  path: '/home/ana/churn',
  parent: '/home/ana',
  entries: [
    { name: 'data', kind: 'directory', bytes: null, modifiedAt: '2026-01-10T09:00:00.000Z' },
    { name: 'customers.csv', kind: 'file', bytes: 128_000, modifiedAt: '2026-01-10T09:00:00.000Z' },
    { name: 'notes.md', kind: 'file', bytes: 1200, modifiedAt: '2026-01-10T09:00:00.000Z' },
  ],
  truncated: false,
  ...over,
});
