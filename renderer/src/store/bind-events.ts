import type { Transport } from '../../../shared/transport.js';
import type { AppStore } from './index.js';

/** Feed the backend's events into the store; returns the unsubscribe. */
export function bindEvents(store: AppStore, transport: Transport): () => void {
  const offs = [
    transport.subscribe('workspace.onChanged', (info) => store.getState().workspaceChanged(info)),
    transport.subscribe('jobs.onUpdate', (job) => store.getState().jobUpdated(job)),
    transport.subscribe('audit.onAppended', (entry) => store.getState().auditAppended(entry)),
  ];
  return () => offs.forEach((off) => off());
}

/** After the event stream was down, events may have been missed: ask again. */
export async function resync(store: AppStore): Promise<void> {
  const before = store.getState().workspace?.path;
  await store.getState().loadWorkspace();
  const { workspace, loadJobs, loadAudit } = store.getState();
  // A changed workspace was reloaded by workspaceChanged already.
  if (workspace && workspace.path === before) await Promise.all([loadJobs(), loadAudit()]);
}
