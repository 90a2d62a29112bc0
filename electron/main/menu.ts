// The native application menu. Workspace items call the backend directly; the renderer follows
// through the workspace.onChanged event it already listens to, so no extra contract event.
import type { MenuItemConstructorOptions } from 'electron';
import type { AppErrorData } from '../../shared/result.js';
import { dispatch, type Handlers } from '../services/rpc/dispatch.js';

export interface MenuActions {
  openWorkspace(): Promise<void>;
  createWorkspace(): Promise<void>;
  closeWorkspace(): Promise<void>;
}

export interface MenuOptions {
  appName: string;
  platform: NodeJS.Platform;
  /** Unpackaged build: reload and devtools items. */
  dev: boolean;
  actions: MenuActions;
}

export function buildMenuTemplate({ appName, platform, dev, actions }: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  // A click handler may not return a promise Electron would leave unhandled.
  const run = (action: () => Promise<void>) => () => {
    action().catch((e: unknown) => console.error('[greenhouse] menu action failed', e));
  };

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { id: 'workspace.open', label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: run(actions.openWorkspace) },
      { id: 'workspace.create', label: 'Create Workspace…', accelerator: 'CmdOrCtrl+Shift+N', click: run(actions.createWorkspace) },
      { id: 'workspace.close', label: 'Close Workspace', click: run(actions.closeWorkspace) },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(dev
        ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  return [
    ...(mac ? [{ label: appName, role: 'appMenu' } as MenuItemConstructorOptions] : []),
    file,
    { role: 'editMenu' },
    view,
    ...(mac ? [{ role: 'windowMenu' } as MenuItemConstructorOptions] : []),
    // On macOS "About" lives in the app menu.
    ...(mac ? [] : [{ role: 'help', submenu: [{ role: 'about', label: `About ${appName}` }] } as MenuItemConstructorOptions]),
  ];
}

export interface WorkspaceActionDeps {
  handlers: Handlers;
  /** A native folder picker; null when cancelled. */
  pickDirectory(title: string): Promise<string | null>;
  showError(error: AppErrorData): Promise<void> | void;
}

/** Menu actions through the same dispatch (validation, envelopes) as every transport. */
export function createWorkspaceActions({ handlers, pickDirectory, showError }: WorkspaceActionDeps): MenuActions {
  const call = async (method: 'workspace.open' | 'workspace.create' | 'workspace.close', input: unknown) => {
    const answer = await dispatch(handlers, method, input);
    if (!answer.ok) await showError(answer.error);
  };
  return {
    async openWorkspace() {
      const path = await pickDirectory('Open workspace');
      if (path) await call('workspace.open', { path });
    },
    async createWorkspace() {
      const path = await pickDirectory('Choose a folder for the new workspace');
      if (path) await call('workspace.create', { path });
    },
    closeWorkspace: () => call('workspace.close', {}),
  };
}
