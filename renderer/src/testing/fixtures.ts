// Contract-shaped sample values for renderer tests.
import type { AppInfo, AuditEntry, DockerStatus, Job, RecentWorkspace, WorkspaceInfo } from '../../../shared/contract/index.js';

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
