// Native file dialogs for the backend's dialog.pickPath (desktop only).
import type { BaseWindow, Dialog, OpenDialogOptions } from 'electron';
import type { DialogProvider } from '../services/backend.js';

type PickOptions = Parameters<DialogProvider['pickPath']>[0];

export function openDialogOptions({ kind, title, filters }: PickOptions): OpenDialogOptions {
  return {
    ...(title ? { title } : {}),
    ...(filters?.length ? { filters } : {}),
    // createDirectory: macOS only; lets "Create workspace" make the folder in the dialog.
    properties: kind === 'directory' ? ['openDirectory', 'createDirectory'] : ['openFile'],
  };
}

/** Dialogs attached to the app window when there is one (a sheet on macOS). */
export function createDialogProvider(dialog: Pick<Dialog, 'showOpenDialog'>, parent: () => BaseWindow | null): DialogProvider {
  return {
    async pickPath(opts) {
      const options = openDialogOptions(opts);
      const win = parent();
      const answer = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return answer.canceled ? null : (answer.filePaths[0] ?? null);
    },
  };
}
