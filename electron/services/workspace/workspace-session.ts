import { mkdir, readdir, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { workspaceSettings, type AuditEntry, type WorkspaceInfo, type WorkspaceSettings } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { Catalog } from '../catalog/catalog.js';
import { catalogVersion } from '../catalog/migrate.js';
import { DatasetRepo } from '../datasets/dataset-repo.js';
import type { EventBus } from '../events.js';
import { JobManager, type WorkerScript } from '../jobs/job-manager.js';
import { BundleRepo } from '../bundles/bundle-repo.js';
import { ArchiveRepo } from '../readiness/archive-repo.js';
import { ReadinessRepo } from '../readiness/readiness-repo.js';
import { DriftRepo } from '../monitoring/drift-repo.js';
import { EnvironmentRepo } from '../environments/environment-repo.js';
import { Lineage } from '../lineage/lineage.js';
import { ModelRepo } from '../models/model-repo.js';
import { NotebookRepo } from '../notebooks/notebook-repo.js';
import { ObjectStore } from '../objects/object-store.js';
import { isWorkspace } from './find-workspace.js';
import { workspacePaths, type WorkspacePaths } from './paths.js';

export interface SessionOptions {
  actor: string;
  events: EventBus;
  workerScript?: WorkerScript;
}

/** An open workspace: its catalog, object store and jobs. */
export class WorkspaceSession {
  private constructor(
    readonly paths: WorkspacePaths,
    readonly catalog: Catalog,
    readonly objects: ObjectStore,
    readonly jobs: JobManager,
  ) {
    this.datasets = new DatasetRepo(catalog);
    this.notebooks = new NotebookRepo(catalog);
    this.environments = new EnvironmentRepo(catalog);
    this.models = new ModelRepo(catalog, this.environments);
    this.lineage = new Lineage(catalog, this.notebooks, this.models);
    this.bundles = new BundleRepo(catalog);
    this.readiness = new ReadinessRepo(catalog);
    this.archives = new ArchiveRepo(catalog);
    this.drift = new DriftRepo(catalog);
  }

  readonly bundles: BundleRepo;
  readonly readiness: ReadinessRepo;
  readonly archives: ArchiveRepo;
  readonly drift: DriftRepo;
  readonly datasets: DatasetRepo;
  readonly notebooks: NotebookRepo;
  readonly environments: EnvironmentRepo;
  readonly models: ModelRepo;
  readonly lineage: Lineage;

  static async create(dir: string, name: string | undefined, options: SessionOptions): Promise<WorkspaceSession> {
    const root = resolve(dir);
    if (isWorkspace(root)) {
      throw new AppError('CONFLICT', `${root} is already a Greenhouse workspace.`, { remedy: 'Open it instead of creating it.' });
    }
    try {
      const s = await stat(root);
      if (!s.isDirectory()) throw new AppError('INVALID_INPUT', `${root} is a file, not a folder.`, { remedy: 'Pick a folder.' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const paths = workspacePaths(root);
    await mkdir(paths.objects, { recursive: true });
    await mkdir(paths.tmp, { recursive: true });
    const session = WorkspaceSession.openAt(paths, options);
    const wsName = name?.trim() || basename(root) || 'workspace';
    session.catalog.write((tx) => {
      const put = tx.db.prepare('INSERT INTO workspace_meta (key, value) VALUES (?, ?)');
      put.run('name', wsName);
      put.run('created_at', new Date().toISOString());
      tx.audit({ action: 'workspace.created', subject: root, details: { name: wsName } });
    });
    return session;
  }

  static async open(dir: string, options: SessionOptions): Promise<WorkspaceSession> {
    const root = resolve(dir);
    if (!isWorkspace(root)) {
      const exists = await readdir(root).then(() => true, () => false);
      throw new AppError(
        exists ? 'WORKSPACE_INVALID' : 'NOT_FOUND',
        exists ? `${root} is not a Greenhouse workspace (no .greenhouse/catalog.db).` : `The folder ${root} does not exist.`,
        { remedy: 'Pick a folder created with "Create workspace" or "greenhouse init", or create one there.' },
      );
    }
    const paths = workspacePaths(root);
    await mkdir(paths.objects, { recursive: true });
    await mkdir(paths.tmp, { recursive: true });
    const session = WorkspaceSession.openAt(paths, options);
    session.jobs.recoverInterrupted();
    return session;
  }

  private static openAt(paths: WorkspacePaths, options: SessionOptions): WorkspaceSession {
    const catalog = Catalog.open(paths.catalog, {
      actor: options.actor,
      onAudit: (entry: AuditEntry) => options.events.emit('audit.onAppended', entry),
    });
    const jobs = new JobManager(catalog, options.events, paths.root, { workerScript: options.workerScript });
    return new WorkspaceSession(paths, catalog, new ObjectStore(paths.objects), jobs);
  }

  info(): WorkspaceInfo {
    const count = (table: string) => {
      const exists = this.catalog.read((db) =>
        db.prepare(`SELECT 1 FROM sqlite_master WHERE type='table' AND name=?`).get(table),
      );
      if (!exists) return 0;
      return (this.catalog.read((db) => db.prepare(`SELECT count(*) AS n FROM ${table}`).get()) as { n: number }).n;
    };
    return {
      path: this.paths.root,
      name: this.catalog.getMeta('name') ?? basename(this.paths.root),
      createdAt: this.catalog.getMeta('created_at') ?? new Date(0).toISOString(),
      catalogVersion: catalogVersion(this.catalog.db),
      counts: {
        datasets: count('datasets'),
        notebooks: count('notebooks'),
        environments: count('environments'),
        models: count('models'),
        bundles: count('bundles'),
        jobsRunning: this.jobs.countRunning(),
      },
    };
  }

  settings(): WorkspaceSettings {
    const raw = this.catalog.getMeta('settings');
    const parsed = workspaceSettings.safeParse(raw ? JSON.parse(raw) : {});
    return parsed.success ? parsed.data : workspaceSettings.parse({});
  }

  updateSettings(patch: Partial<WorkspaceSettings>): WorkspaceSettings {
    const next = workspaceSettings.parse({ ...this.settings(), ...patch });
    this.catalog.write((tx) => {
      tx.db.prepare(`INSERT INTO workspace_meta (key, value) VALUES ('settings', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(next));
      tx.audit({ action: 'workspace.settings.updated', details: patch });
    });
    return next;
  }

  async close(): Promise<void> {
    await this.jobs.shutdown();
    this.catalog.close();
  }
}
