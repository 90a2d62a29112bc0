import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BaseWindow, Dialog } from 'electron';
import { dialog, resetFakeElectron } from '../test-support/fake-electron.js';
import { createDialogProvider, openDialogOptions } from './dialogs.js';

vi.mock('electron', () => import('../test-support/fake-electron.js'));

beforeEach(() => resetFakeElectron());

const fakeDialog = dialog as unknown as Pick<Dialog, 'showOpenDialog'>;

describe('native dialogs', () => {
  it('maps the contract options onto showOpenDialog', () => {
    expect(openDialogOptions({ kind: 'directory' })).toEqual({ properties: ['openDirectory', 'createDirectory'] });
    const filters = [{ name: 'Data', extensions: ['csv', 'parquet'] }];
    expect(openDialogOptions({ kind: 'file', title: 'Pick data', filters })).toEqual({ title: 'Pick data', filters, properties: ['openFile'] });
  });

  it('answers the chosen path, or null when cancelled', async () => {
    const parent = {} as BaseWindow;
    const provider = createDialogProvider(fakeDialog, () => parent);
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/data/a.csv'] });
    expect(await provider.pickPath({ kind: 'file' })).toBe('/data/a.csv');
    expect(dialog.showOpenDialog).toHaveBeenLastCalledWith(parent, { properties: ['openFile'] });

    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await provider.pickPath({ kind: 'directory' })).toBeNull();
  });

  it('works without a window', async () => {
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/ws'] });
    expect(await createDialogProvider(fakeDialog, () => null).pickPath({ kind: 'directory' })).toBe('/ws');
    expect(dialog.showOpenDialog).toHaveBeenLastCalledWith({ properties: ['openDirectory', 'createDirectory'] });
  });
});
