import type { AppInfo, RecentWorkspace, WorkspaceInfo } from '../../../shared/contract/index.js';
import type { AppErrorData } from '../../../shared/result.js';
import type { SliceCreator } from './types.js';

export type WorkspaceAction = 'load' | 'create' | 'open' | 'close' | 'forget' | 'browse';

export interface WorkspaceSlice {
  appInfo: AppInfo | null;
  workspace: WorkspaceInfo | null;
  /** 'loading' until the backend said which workspace is open; 'failed' if it could not. */
  workspaceStatus: 'loading' | 'ready' | 'failed';
  recent: RecentWorkspace[];
  /** The workspace action in flight, if any. */
  workspaceBusy: WorkspaceAction | null;
  /** The last failed workspace action, shown next to the form that caused it. */
  workspaceError: { action: WorkspaceAction; error: AppErrorData } | null;

  /** Ask the backend what is open (start-up and after a reconnect). */
  loadWorkspace(): Promise<void>;
  /** Re-read the open workspace's facts (its counts) after something changed them. */
  refreshWorkspace(): Promise<void>;
  createWorkspace(path: string, name?: string): Promise<boolean>;
  openWorkspace(path: string): Promise<boolean>;
  closeWorkspace(): Promise<boolean>;
  forgetWorkspace(path: string): Promise<void>;
  /** Native folder dialog (desktop app); null when cancelled or unavailable. */
  browseForFolder(title: string): Promise<string | null>;
  /** Apply a workspace.onChanged event (or the answer of create/open/close). */
  workspaceChanged(info: WorkspaceInfo | null): void;
  dismissWorkspaceError(): void;
}

export const createWorkspaceSlice: SliceCreator<WorkspaceSlice> = (transport) => (set, get) => {
  const refreshRecent = async () => {
    const recent = await transport.invoke('workspace.recent', {});
    if (recent.ok) set({ recent: recent.value });
  };

  return {
    appInfo: null,
    workspace: null,
    workspaceStatus: 'loading',
    recent: [],
    workspaceBusy: null,
    workspaceError: null,

    async loadWorkspace() {
      const [info, current, recent] = await Promise.all([
        get().appInfo ? Promise.resolve(null) : transport.invoke('app.info', {}),
        transport.invoke('workspace.current', {}),
        transport.invoke('workspace.recent', {}),
      ]);
      if (info?.ok) set({ appInfo: info.value });
      if (recent.ok) set({ recent: recent.value });
      if (!current.ok) {
        set({ workspaceStatus: 'failed', workspaceError: { action: 'load', error: current.error } });
        return;
      }
      set({ workspaceStatus: 'ready', workspaceError: null });
      get().workspaceChanged(current.value);
    },

    async refreshWorkspace() {
      const r = await transport.invoke('workspace.current', {});
      if (r.ok && r.value && r.value.path === get().workspace?.path) get().workspaceChanged(r.value);
    },

    async createWorkspace(path, name) {
      set({ workspaceBusy: 'create', workspaceError: null });
      const r = await transport.invoke('workspace.create', { path: path.trim(), ...(name?.trim() ? { name: name.trim() } : {}) });
      set({ workspaceBusy: null });
      if (!r.ok) {
        set({ workspaceError: { action: 'create', error: r.error } });
        return false;
      }
      get().workspaceChanged(r.value);
      return true;
    },

    async openWorkspace(path) {
      set({ workspaceBusy: 'open', workspaceError: null });
      const r = await transport.invoke('workspace.open', { path: path.trim() });
      set({ workspaceBusy: null });
      if (!r.ok) {
        set({ workspaceError: { action: 'open', error: r.error } });
        return false;
      }
      get().workspaceChanged(r.value);
      return true;
    },

    async closeWorkspace() {
      set({ workspaceBusy: 'close', workspaceError: null });
      const r = await transport.invoke('workspace.close', {});
      set({ workspaceBusy: null });
      if (!r.ok) {
        set({ workspaceError: { action: 'close', error: r.error } });
        return false;
      }
      get().workspaceChanged(null);
      return true;
    },

    async forgetWorkspace(path) {
      set({ workspaceError: null });
      const r = await transport.invoke('workspace.forget', { path });
      if (r.ok) set({ recent: r.value });
      else set({ workspaceError: { action: 'forget', error: r.error } });
    },

    async browseForFolder(title) {
      const r = await transport.invoke('dialog.pickPath', { kind: 'directory', title });
      if (r.ok) return r.value.path;
      set({ workspaceError: { action: 'browse', error: r.error } });
      return null;
    },

    workspaceChanged(info) {
      const previous = get().workspace;
      set({ workspace: info, workspaceStatus: 'ready' });
      if (previous?.path === info?.path) return;
      // Another workspace: what we knew about jobs and the audit log belongs to the old one.
      get().resetJobs();
      get().resetAudit();
      get().resetDatasets();
      get().resetNotebooks();
      get().resetEnvironments();
      get().resetModels();
      get().resetLineage();
      get().resetBundles();
      get().resetReadiness();
      get().resetArchives();
      get().resetMonitoring();
      if (info) {
        void get().loadJobs();
        void get().loadAudit();
      } else {
        void refreshRecent();
      }
    },

    dismissWorkspaceError() {
      set({ workspaceError: null });
    },
  };
};
