import { userInfo } from 'node:os';
import { randomUUID } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { platform } from 'node:process';
import type { AppInfo, MethodParsedInput, PythonInfo, ScanResult, WorkspaceInfo } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import { defaultDatasetName } from './datasets/dataset-repo.js';
import { diffProfiles } from './datasets/diff.js';
import type { RegisterTaskInput, RegisterTaskOutput } from './datasets/register-task.js';
import { bundleHandlers } from './bundles/bundle-handlers.js';
import { readinessHandlers } from './readiness/readiness-handlers.js';
import { archiveHandlers } from './readiness/archive-handlers.js';
import { driftHandlers } from './monitoring/drift-handlers.js';
import { renderPdf, type PdfRenderer } from './readiness/report-pdf.js';
import { DockerService } from './docker/docker-service.js';
import { listDir } from './files/list-dir.js';
import type { CaptureTaskInput, CapturedEnvironment } from './environments/capture-task.js';
import { defaultEnvironmentName, defaultRequirementsName, detectInterpreters } from './environments/detect.js';
import { requireEntity, requireVersion } from './catalog/versioned.js';
import { DATASETS } from './datasets/dataset-repo.js';
import type { DatasetVersionInput } from './models/dataset-rows.js';
import { defaultModelName, type ModelRegistration } from './models/model-repo.js';
import type { ModelRegisterTaskInput, ModelRegisterTaskOutput } from './models/register-task.js';
import type { ScanTaskInput } from './models/scan-task.js';
import { NOTEBOOKS } from './notebooks/notebook-repo.js';
import { defaultNotebookName } from './notebooks/notebook-repo.js';
import type { NotebookReadOutput, NotebookTaskInput } from './notebooks/notebook-tasks.js';
import type { RunTaskInput, RunTaskOutput } from './notebooks/run-task.js';
import { EventBus } from './events.js';
import type { WorkerScript } from './jobs/job-manager.js';
import type { Handlers } from './rpc/dispatch.js';
import { RecentWorkspaces } from './workspace/recent.js';
import { WorkspaceSession } from './workspace/workspace-session.js';
import { APP_NAME, APP_VERSION } from './version.js';

/** Native dialogs exist only in the desktop app; the shell provides them. */
export interface DialogProvider {
  pickPath(opts: { kind: 'directory' | 'file'; title?: string; filters?: { name: string; extensions: string[] }[] }): Promise<string | null>;
}

export interface BackendOptions {
  mode: AppInfo['mode'];
  configDir: string;
  actor?: string;
  dialogs?: DialogProvider;
  docker?: DockerService;
  workerScript?: WorkerScript;
  /** How readiness reports become PDFs: Electron's printToPDF in the app; default, headless Chromium. */
  pdf?: PdfRenderer;
}

export const currentUser = () => {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
};

/**
 * Everything the app does, as plain Node: the open workspace and the services around it.
 * The Electron IPC adapter, the browser-mode host and the CLI all serve `backend.handlers`.
 */
export class Backend {
  readonly events = new EventBus();
  readonly recent: RecentWorkspaces;
  readonly docker: DockerService;
  readonly actor: string;
  readonly pdf: PdfRenderer;
  /** Which client the handlers serve; `greenhouse serve` switches the CLI's backend to 'browser'. */
  mode: AppInfo['mode'];
  private session: WorkspaceSession | null = null;
  readonly handlers: Handlers;

  constructor(private readonly options: BackendOptions) {
    this.recent = new RecentWorkspaces(options.configDir);
    this.docker = options.docker ?? new DockerService();
    this.actor = options.actor ?? currentUser();
    this.pdf = options.pdf ?? renderPdf;
    this.mode = options.mode;
    this.handlers = this.createHandlers();
  }

  get workspace(): WorkspaceSession | null {
    return this.session;
  }

  /** The open workspace, or NO_WORKSPACE. */
  requireWorkspace(): WorkspaceSession {
    if (!this.session) throw new AppError('NO_WORKSPACE', 'No workspace is open.');
    return this.session;
  }

  async createWorkspace(path: string, name?: string): Promise<WorkspaceInfo> {
    const next = await WorkspaceSession.create(path, name, this.sessionOptions());
    return this.switchTo(next);
  }

  async openWorkspace(path: string): Promise<WorkspaceInfo> {
    if (this.session && this.session.paths.root === path) return this.session.info();
    const next = await WorkspaceSession.open(path, this.sessionOptions());
    return this.switchTo(next);
  }

  async closeWorkspace(): Promise<void> {
    const s = this.session;
    this.session = null;
    if (s) await s.close();
    this.events.emit('workspace.onChanged', null);
  }

  async close(): Promise<void> {
    if (this.session) await this.session.close();
    this.session = null;
  }

  private sessionOptions() {
    return { actor: this.actor, events: this.events, workerScript: this.options.workerScript };
  }

  private async switchTo(next: WorkspaceSession): Promise<WorkspaceInfo> {
    const previous = this.session;
    this.session = next;
    if (previous) await previous.close();
    const info = next.info();
    await this.recent.add(info.path, info.name);
    this.events.emit('workspace.onChanged', info);
    return info;
  }

  private createHandlers(): Handlers {
    return {
      'app.info': () => ({
        name: APP_NAME,
        version: APP_VERSION,
        mode: this.mode,
        platform,
        nativeDialogs: Boolean(this.options.dialogs),
        user: this.actor,
      }),
      'dialog.pickPath': async (input) => {
        if (!this.options.dialogs) {
          throw new AppError('UNSUPPORTED', 'Native file dialogs exist only in the desktop app.', {
            remedy: 'Type or paste the path instead.',
          });
        }
        return { path: await this.options.dialogs.pickPath(input) };
      },
      'files.list': ({ path, showHidden }) => listDir(path, this.session?.paths.root ?? null, showHidden),
      'workspace.current': () => this.session?.info() ?? null,
      'workspace.create': ({ path, name }) => this.createWorkspace(path, name),
      'workspace.open': ({ path }) => this.openWorkspace(path),
      'workspace.close': async () => {
        await this.closeWorkspace();
        return null;
      },
      'workspace.settings': () => this.requireWorkspace().settings(),
      'workspace.updateSettings': (patch) => this.requireWorkspace().updateSettings(patch),
      'workspace.recent': () => this.recent.list(),
      'workspace.forget': ({ path }) => this.recent.forget(path),
      'audit.list': (input) => this.requireWorkspace().catalog.listAudit(input),
      'jobs.list': ({ limit }) => this.requireWorkspace().jobs.list(limit),
      'jobs.get': ({ id }) => this.requireWorkspace().jobs.get(id),
      'jobs.cancel': ({ id }) => this.requireWorkspace().jobs.cancel(id),
      'jobs.wait': ({ id, timeoutMs }) => this.requireWorkspace().jobs.wait(id, timeoutMs),
      'objects.verify': () => {
        const ws = this.requireWorkspace();
        return ws.jobs.start<{ checked: number; corrupt: string[] }>('objects.verify', {}, {
          title: 'Verify snapshots',
          commit: (tx, result) => {
            tx.audit({ action: 'objects.verified', details: { checked: result.checked, corrupt: result.corrupt } });
          },
        });
      },
      'docker.status': () => this.docker.status(),
      'datasets.list': ({ query }) => this.requireWorkspace().datasets.list(query),
      'datasets.get': ({ name, version }) => {
        const ws = this.requireWorkspace();
        const detail = ws.datasets.get(name, version);
        return { ...detail, links: ws.lineage.datasetLinks(detail.versions) };
      },
      'datasets.register': ({ path, name, snapshot }) => {
        const ws = this.requireWorkspace();
        const abs = resolve(path);
        const datasetName = name ?? defaultDatasetName(abs);
        const input: RegisterTaskInput = {
          path: abs,
          snapshot,
          snapshotLimitBytes: ws.settings().snapshotLimitBytes,
          knownSha256: ws.datasets.knownHashes(datasetName),
        };
        return ws.jobs.start<RegisterTaskOutput>('datasets.register', input, {
          title: `Register ${datasetName}`,
          commit: (tx, out) => ws.datasets.recordRegistration(tx, datasetName, out, this.actor),
        });
      },
      'datasets.diff': ({ name, from, to }) => {
        const repo = this.requireWorkspace().datasets;
        return diffProfiles(name, repo.profile(name, from), repo.profile(name, to));
      },
      'notebooks.list': ({ query }) => this.requireWorkspace().notebooks.list(query),
      'notebooks.get': ({ name, version }) => {
        const ws = this.requireWorkspace();
        return ws.notebooks.get(name, version, (refs) => ws.lineage.notebookLinks(refs));
      },
      'notebooks.register': ({ path, name }) => {
        const ws = this.requireWorkspace();
        const abs = resolve(path);
        const notebookName = name ?? defaultNotebookName(abs);
        return ws.jobs.start<NotebookReadOutput>('notebooks.register', { path: abs } satisfies NotebookTaskInput, {
          title: `Register notebook ${notebookName}`,
          commit: (tx, out) => ws.notebooks.recordRegistration(tx, notebookName, out, this.actor),
        });
      },
      'notebooks.lint': ({ path }) => {
        const abs = resolve(path);
        return this.requireWorkspace().jobs.start<NotebookReadOutput>('notebooks.lint', { path: abs } satisfies NotebookTaskInput, {
          title: `Lint ${basename(abs)}`,
          // The CLI prints the analysis; the cells are only for rendering.
          commit: (_tx, out) => ({ ...out, cells: [] }),
        });
      },
      'notebooks.run': ({ name, version, python, timeoutSeconds }) => {
        const ws = this.requireWorkspace();
        const file = ws.notebooks.versionFile(name, version);
        const id = randomUUID();
        const startedAt = new Date().toISOString();
        const input: RunTaskInput = {
          notebookPath: ws.objects.pathOf(file.sha256),
          workDir: dirname(file.path),
          runDir: join(ws.paths.runs, id),
          python: python ?? 'python3',
          timeoutSeconds,
        };
        return ws.jobs.start<RunTaskOutput>('notebooks.run', input, {
          title: `Reproduce ${name}@${file.version}`,
          commit: (tx, out) => ws.notebooks.recordRun(tx, name, file.version, id, startedAt, out),
        });
      },
      'datasets.updateDatasheet': ({ name, datasheet }) => this.requireWorkspace().datasets.updateDatasheet(name, datasheet),
      'environments.detect': () => detectInterpreters({ workspaceRoot: this.session?.paths.root ?? null }),
      'environments.capture': ({ python, file, name }) => {
        const ws = this.requireWorkspace();
        const input: CaptureTaskInput = file ? { file: resolve(file) } : { python: python! };
        const label = name ?? (file ? defaultRequirementsName(resolve(file)) : null);
        return ws.jobs.start<CapturedEnvironment>('environments.capture', input, {
          title: `Capture environment ${label ?? python}`,
          commit: (tx, out) => {
            const { versionId: _id, ...result } = ws.environments.recordCapture(tx, label ?? defaultEnvironmentName(out.path, out.python?.version ?? null), out, this.actor);
            return { ...result, skipped: out.skipped };
          },
        });
      },
      'environments.list': ({ query }) => this.requireWorkspace().environments.list(query),
      'environments.get': ({ name, version }) => {
        const ws = this.requireWorkspace();
        return ws.environments.get(name, version, (id) => ws.models.usersOfEnvironment(id));
      },
      'environments.compare': ({ from, to }) => this.requireWorkspace().environments.compare(from, to),
      'models.scan': ({ path }) => {
        const abs = resolve(path);
        return this.requireWorkspace().jobs.start<ScanResult>('models.scan', { path: abs } satisfies ScanTaskInput, { title: `Scan ${basename(abs)}`, commit: (_tx, out) => out });
      },
      'models.register': (input) => this.startModelRegistration(input),
      'models.list': ({ query }) => this.requireWorkspace().models.list(query),
      'models.get': ({ name, version }) => {
        const ws = this.requireWorkspace();
        return ws.models.get(name, version, (path, sha) => ws.lineage.modelWrittenBy(path, sha));
      },
      'models.updateCard': ({ name, version, card }) => this.requireWorkspace().models.updateCard(name, version, card),
      'models.recordMetrics': ({ name, version, values }) => this.requireWorkspace().models.recordMetrics(name, version, values),
      'lineage.graph': ({ focus }) => this.requireWorkspace().lineage.graph(focus),
      ...bundleHandlers(this),
      ...readinessHandlers(this),
      ...archiveHandlers(this),
      ...driftHandlers(this),
    };
  }

  /** Resolve what a model registration links to (so a wrong name fails before any work), then start the job. */
  private startModelRegistration(input: MethodParsedInput<'models.register'>) {
    const ws = this.requireWorkspace();
    const abs = resolve(input.path);
    const name = input.name ?? defaultModelName(abs);
    const training = datasetVersionInput(ws, input.training.dataset.name, input.training.dataset.version);
    const evaluation = input.metrics?.source === 'computed' ? datasetVersionInput(ws, input.metrics.dataset.name, input.metrics.dataset.version) : null;
    const notebookVersionId = input.notebook ? ws.catalog.read((db) => requireVersion<{ id: number }>(db, NOTEBOOKS, requireEntity(db, NOTEBOOKS, input.notebook!.name), input.notebook!.version).id) : null;
    let python = input.python ?? 'python3';
    let environmentVersionId: number | null = null;
    if (input.environment) {
      const env = ws.environments.versionRow(input.environment.name, input.environment.version);
      if (env.source !== 'interpreter' || !env.python) {
        throw new AppError('INVALID_INPUT', `Environment ${env.name}@${env.version} was read from ${basename(env.path)}, so there is no interpreter to load the model in.`, {
          remedy: 'Capture the interpreter the model was trained with (greenhouse env capture --python PATH) and pick that environment.',
        });
      }
      python = (JSON.parse(env.python) as PythonInfo).executable || env.path;
      environmentVersionId = env.id;
    }
    const task: ModelRegisterTaskInput = {
      path: abs,
      overrideScan: Boolean(input.overrideScan),
      python,
      capture: environmentVersionId === null,
      training: { dataset: training.input, target: input.training.target },
      evaluation: evaluation?.input ?? null,
      metricsFile: input.metrics?.source === 'file' ? resolve(input.metrics.path) : null,
      sampleSize: input.sampleSize,
      seed: input.seed,
      maxModelBytes: ws.settings().modelLimitBytes,
    };
    const registration: ModelRegistration = {
      name,
      sourcePath: abs,
      training: [{ datasetVersionId: training.id, target: input.training.target }],
      evaluationVersionId: evaluation?.id ?? null,
      notebookVersionId,
      environmentVersionId,
      environmentName: '',
      overrideReason: input.overrideScan?.reason ?? null,
      seed: input.seed,
    };
    const formValues = input.metrics?.source === 'form' ? input.metrics.values : null;
    return ws.jobs.start<ModelRegisterTaskOutput>('models.register', task, {
      title: `Register model ${name}`,
      commit: (tx, out) => {
        const environmentName = out.environment ? defaultEnvironmentName(out.environment.path, out.environment.python?.version ?? null) : '';
        const withForm = formValues ? { ...out, metrics: { source: 'form' as const, dataset: null, rows: null, values: formValues, baseline: null } } : out;
        return ws.models.recordRegistration(tx, { ...registration, environmentName }, withForm, this.actor);
      },
    });
  }
}

/** A dataset version as the model registration job needs it: where its bytes are, its columns. */
function datasetVersionInput(ws: WorkspaceSession, name: string, version: number | undefined): { id: number; input: DatasetVersionInput } {
  const p = ws.datasets.profile(name, version);
  const id = ws.catalog.read((db) => requireVersion<{ id: number }>(db, DATASETS, requireEntity(db, DATASETS, name), p.version.version).id);
  return {
    id,
    input: {
      name,
      version: p.version.version,
      format: p.version.format,
      snapshot: p.version.snapshot,
      sourcePath: p.version.sourcePath,
      files: p.version.files,
      encoding: p.version.dialect?.encoding === 'utf-16' ? 'utf-16' : 'utf-8',
      columns: p.columns.map((c) => ({ name: c.name, kind: c.kind, nullable: c.nulls > 0 })),
      storedPaths: p.version.snapshot === 'copy' ? p.version.files.map((f) => ws.objects.pathOf(f.sha256)) : null,
    },
  };
}
