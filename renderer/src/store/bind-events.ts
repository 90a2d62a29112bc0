import type { Transport } from '../../../shared/transport.js';
import { isFinished, type AppStore } from './index.js';

/** Feed the backend's events into the store; returns the unsubscribe. */
export function bindEvents(store: AppStore, transport: Transport): () => void {
  const offs = [
    transport.subscribe('workspace.onChanged', (info) => store.getState().workspaceChanged(info)),
    transport.subscribe('jobs.onUpdate', (job) => {
      const before = store.getState().jobsById[job.id];
      store.getState().jobUpdated(job);
      // Once per job: a finished registration changes the datasets shown.
      if (job.kind === 'datasets.register' && isFinished(job) && !(before && isFinished(before))) store.getState().datasetJobFinished(job);
      // And a finished notebook registration or reproduce run changes the notebooks shown.
      if ((job.kind === 'notebooks.register' || job.kind === 'notebooks.run') && isFinished(job) && !(before && isFinished(before))) {
        store.getState().notebookJobFinished(job);
      }
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
  ]);
}

function notebooksResync(store: AppStore): Promise<unknown> {
  const { notebooksStatus, loadNotebooks, notebookRoute, loadNotebook } = store.getState();
  return Promise.all([notebooksStatus === 'idle' ? null : loadNotebooks(), notebookRoute ? loadNotebook(notebookRoute.name, notebookRoute.version) : null]);
}
