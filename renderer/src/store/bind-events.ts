import type { JobKind } from '../../../shared/contract/index.js';
import type { Transport } from '../../../shared/transport.js';
import { isFinished, type AppStore } from './index.js';

/** Jobs that record something the lineage graph shows. */
const REGISTERING: ReadonlySet<JobKind> = new Set(['datasets.register', 'notebooks.register', 'environments.capture', 'models.register']);

/** Feed the backend's events into the store; returns the unsubscribe. */
export function bindEvents(store: AppStore, transport: Transport): () => void {
  const offs = [
    transport.subscribe('workspace.onChanged', (info) => store.getState().workspaceChanged(info)),
    transport.subscribe('jobs.onUpdate', (job) => {
      const before = store.getState().jobsById[job.id];
      store.getState().jobUpdated(job);
      // A bundle job's messages are its log (the build's output, line by line).
      store.getState().bundleJobUpdated(job);
      // Once per job: a finished registration changes what its section shows.
      if (!isFinished(job) || (before && isFinished(before))) return;
      const state = store.getState();
      if (job.kind === 'datasets.register') state.datasetJobFinished(job);
      // A finished notebook registration or reproduce run changes the notebooks shown.
      if (job.kind === 'notebooks.register' || job.kind === 'notebooks.run') state.notebookJobFinished(job);
      if (job.kind === 'environments.capture') state.environmentJobFinished(job);
      if (job.kind === 'models.register') state.modelJobFinished(job);
      state.bundleJobFinished(job);
      // Readiness is evaluated from the bundle's image, smoke test and export: ask again.
      state.readinessJobFinished(job);
      // An archive opened or written for review is shown as it now stands.
      state.archiveJobFinished(job);
      // A drift check or a hand-back started on a monitoring page adds to its history.
      state.monitoringJobFinished(job);
      // Any new version may add a node to the lineage graph.
      if (job.state === 'succeeded' && REGISTERING.has(job.kind)) state.invalidateLineage();
    }),
    transport.subscribe('audit.onAppended', (entry) => store.getState().auditAppended(entry)),
  ];
  return () => offs.forEach((off) => off());
}

/** After the event stream was down, events may have been missed: ask again. */
export async function resync(store: AppStore): Promise<void> {
  const before = store.getState().workspace?.path;
  await store.getState().loadWorkspace();
  const { workspace, loadJobs, loadAudit, loadDatasets, loadDataset, datasetsStatus, datasetRoute } = store.getState();
  // A changed workspace was reloaded by workspaceChanged already.
  if (!workspace || workspace.path !== before) return;
  await Promise.all([
    loadJobs(),
    loadAudit(),
    datasetsStatus === 'idle' ? null : loadDatasets(),
    datasetRoute ? loadDataset(datasetRoute.name, datasetRoute.version) : null,
    notebooksResync(store),
    environmentsResync(store),
    modelsResync(store),
    bundlesResync(store),
    archivesResync(store),
    monitoringResync(store),
  ]);
  store.getState().invalidateLineage();
}

function notebooksResync(store: AppStore): Promise<unknown> {
  const { notebooksStatus, loadNotebooks, notebookRoute, loadNotebook } = store.getState();
  return Promise.all([notebooksStatus === 'idle' ? null : loadNotebooks(), notebookRoute ? loadNotebook(notebookRoute.name, notebookRoute.version) : null]);
}

function environmentsResync(store: AppStore): Promise<unknown> {
  const { environmentsStatus, loadEnvironments, environmentRoute, loadEnvironment } = store.getState();
  return Promise.all([
    environmentsStatus === 'idle' ? null : loadEnvironments(),
    environmentRoute ? loadEnvironment(environmentRoute.name, environmentRoute.version) : null,
  ]);
}

function modelsResync(store: AppStore): Promise<unknown> {
  const { modelsStatus, loadModels, modelRoute, loadModel } = store.getState();
  return Promise.all([modelsStatus === 'idle' ? null : loadModels(), modelRoute ? loadModel(modelRoute.name, modelRoute.version) : null]);
}

function bundlesResync(store: AppStore): Promise<unknown> {
  const { bundlesStatus, loadBundles, bundleRoute, loadBundle, readiness, loadReadiness } = store.getState();
  return Promise.all([
    bundlesStatus === 'idle' ? null : loadBundles(),
    bundleRoute ? loadBundle(bundleRoute.name, bundleRoute.version) : null,
    readiness ? loadReadiness(readiness.value.bundle.name, readiness.value.bundle.version) : null,
  ]);
}

function archivesResync(store: AppStore): Promise<unknown> {
  const { reviewArchivesStatus, loadReviewArchives, archiveRoute, loadArchive } = store.getState();
  return Promise.all([reviewArchivesStatus === 'idle' ? null : loadReviewArchives(), archiveRoute ? loadArchive(archiveRoute.id) : null]);
}

function monitoringResync(store: AppStore): Promise<unknown> {
  const { monitoredModelsStatus, loadMonitoredModels, monitoringRoute, loadMonitoringModel, loadDriftHistory } = store.getState();
  // A check that finished meanwhile is in the history (and shown, when the page shows the newest).
  return Promise.all([
    monitoredModelsStatus === 'idle' ? null : loadMonitoredModels(),
    monitoringRoute ? loadMonitoringModel(monitoringRoute.name) : null,
    monitoringRoute ? loadDriftHistory(monitoringRoute.name) : null,
  ]);
}
