import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES } from '../../shared/contract/index.js';
import { Backend } from '../services/backend.js';
import {
  BrowserWindow,
  Menu,
  app,
  emitPreventable,
  fireReady,
  ipcMain,
  protocol,
  resetFakeElectron,
  session,
} from '../test-support/fake-electron.js';
import { tempDir } from '../test-support/temp.js';
import { appPaths, startApp } from './lifecycle.js';

vi.mock('electron', () => import('../test-support/fake-electron.js'));

let userData: string;
beforeEach(() => {
  resetFakeElectron();
  userData = tempDir();
  app.getPath.mockImplementation(() => userData);
});

afterEach(async () => {
  // Let a started app shut its backend down, as quitting would.
  if (emitPreventable(app, 'will-quit')) await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
  vi.restoreAllMocks();
});

const started = async () => {
  startApp();
  fireReady();
  await vi.waitFor(() => expect(BrowserWindow.windows).toHaveLength(1));
  return BrowserWindow.windows[0]!;
};

describe('app lifecycle', () => {
  it('registers the app:// scheme and the sandbox before ready', () => {
    startApp();
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([expect.objectContaining({ scheme: 'app' })]);
    expect(app.enableSandbox).toHaveBeenCalled();
    expect(protocol.handle).not.toHaveBeenCalled();
    expect(BrowserWindow.windows).toHaveLength(0);
  });

  it('quits at once when another instance holds the lock', () => {
    app.requestSingleInstanceLock.mockImplementation(() => false);
    startApp();
    expect(app.quit).toHaveBeenCalled();
    expect(app.whenReady).not.toHaveBeenCalled();
  });

  it('on ready: protocol, hardened session, IPC for every method, menu, and the secure window', async () => {
    const win = await started();
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(ipcMain.handle.mock.calls.map(([channel]) => channel).sort()).toEqual(METHOD_NAMES.map((m) => `rpc:${m}`).sort());
    expect(Menu.setApplicationMenu).toHaveBeenCalled();
    expect(app.listenerCount('web-contents-created')).toBe(1);
    expect(win.options.webPreferences).toMatchObject({ preload: appPaths('/app').preload, sandbox: true, contextIsolation: true });
    expect(win.webContents.getURL()).toBe('app://greenhouse/index.html');
  });

  it('keeps the backend config in userData', async () => {
    await started();
    const handler = ipcMain.handle.mock.calls.find(([channel]) => channel === 'rpc:workspace.recent')![1] as (...a: unknown[]) => Promise<unknown>;
    expect(await handler({ senderFrame: { url: 'app://greenhouse/index.html', parent: null } }, {})).toEqual({ ok: true, value: [] });
    expect(app.getPath).toHaveBeenCalledWith('userData');
  });

  it('focuses the window when a second instance starts, and reopens one on activate', async () => {
    const win = await started();
    app.emit('second-instance');
    expect(win.focus).toHaveBeenCalled();
    win.close();
    app.emit('activate');
    expect(BrowserWindow.windows).toHaveLength(2);
  });

  it('quits when the last window closes (not on macOS)', async () => {
    await started();
    app.emit('window-all-closed');
    expect(app.quit).toHaveBeenCalledTimes(process.platform === 'darwin' ? 0 : 1);
  });

  it('waits for the backend to close before quitting, once', async () => {
    let finish = () => {};
    const close = vi.spyOn(Backend.prototype, 'close').mockImplementation(() => new Promise<void>((resolve) => (finish = resolve)));
    await started();

    expect(emitPreventable(app, 'will-quit')).toBe(true);
    expect(emitPreventable(app, 'will-quit')).toBe(true);
    expect(close).toHaveBeenCalledOnce();
    expect(ipcMain.removeHandler).toHaveBeenCalledTimes(METHOD_NAMES.length);
    expect(app.quit).not.toHaveBeenCalled();

    finish();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledOnce());
    expect(emitPreventable(app, 'will-quit')).toBe(false);
  });

  it('places the built pieces under the app root', () => {
    expect(appPaths('/r')).toEqual({
      rendererDir: join('/r', 'dist', 'renderer'),
      preload: join('/r', 'dist', 'electron', 'preload.cjs'),
      jobWorker: join('/r', 'dist', 'host', 'job-worker.js'),
    });
  });
});
