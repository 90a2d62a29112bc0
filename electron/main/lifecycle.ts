// The app's life: one instance, the app:// protocol, the backend, IPC, menu and window, and a
// clean shutdown that waits for the backend (open catalog, running jobs) to close.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, Menu, protocol, session } from 'electron';
import type { AppErrorData } from '../../shared/result.js';
import { Backend } from '../services/backend.js';
import { APP_NAME, APP_VERSION } from '../services/version.js';
import { appScheme, registerAppProtocol } from './app-protocol.js';
import { createDialogProvider } from './dialogs.js';
import { createReportPrinter } from './report-printer.js';
import { attachIpc } from './ipc-adapter.js';
import { buildMenuTemplate, createWorkspaceActions } from './menu.js';
import { createMainWindow, guardAllWebContents, hardenSession } from './window.js';

/** Where the built pieces sit under the app root (the repo, or app.asar when packaged). */
export function appPaths(appRoot: string) {
  return {
    rendererDir: join(appRoot, 'dist', 'renderer'),
    preload: join(appRoot, 'dist', 'electron', 'preload.cjs'),
    // Passed explicitly: the bundled main is CJS, where import.meta.url (the backend's default) is empty.
    jobWorker: join(appRoot, 'dist', 'host', 'job-worker.js'),
  };
}

/** A hung close must not keep the app from quitting. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

export function startApp(): void {
  // Both must happen before `ready`.
  protocol.registerSchemesAsPrivileged([appScheme]);
  app.enableSandbox();

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  const dev = !app.isPackaged;
  const paths = appPaths(app.getAppPath());
  let mainWindow: BrowserWindow | null = null;
  let backend: Backend | null = null;
  let disposeIpc = () => {};

  guardAllWebContents(app);

  const openWindow = () => {
    const win = createMainWindow({ preload: paths.preload, dev });
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = null;
    });
    mainWindow = win;
    return win;
  };

  const showError = async (error: AppErrorData) => {
    const options = { type: 'error' as const, message: error.message, detail: error.remedy, buttons: ['OK'] };
    if (mainWindow) await dialog.showMessageBox(mainWindow, options);
    else await dialog.showMessageBox(options);
  };

  const ready = () => {
    hardenSession(session.defaultSession);
    registerAppProtocol(protocol, paths.rendererDir);
    const dialogs = createDialogProvider(dialog, () => mainWindow);
    backend = new Backend({
      mode: 'electron',
      configDir: app.getPath('userData'),
      dialogs,
      // Readiness PDFs through Chromium's own printToPDF, in a hidden sandboxed window.
      pdf: createReportPrinter((options) => new BrowserWindow(options)),
      workerScript: { url: pathToFileURL(paths.jobWorker) },
    });
    disposeIpc = attachIpc(backend, { targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents) });

    app.setAboutPanelOptions({ applicationName: APP_NAME, applicationVersion: APP_VERSION });
    const actions = createWorkspaceActions({
      handlers: backend.handlers,
      pickDirectory: (title) => dialogs.pickPath({ kind: 'directory', title }),
      showError,
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({ appName: APP_NAME, platform: process.platform, dev, actions })));
    openWindow();
  };

  app.on('second-instance', () => {
    if (!mainWindow) {
      if (app.isReady()) openWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // macOS keeps the app running without windows and reopens one from the dock.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) openWindow();
  });

  let closed = false;
  let closing: Promise<void> | null = null;
  app.on('will-quit', (event) => {
    if (closed || !backend) return;
    event.preventDefault();
    const b = backend;
    closing ??= (async () => {
      disposeIpc();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          console.error('[greenhouse] the backend did not close in time; quitting anyway');
          resolve();
        }, SHUTDOWN_TIMEOUT_MS);
      });
      try {
        await Promise.race([b.close(), timeout]);
      } catch (e) {
        console.error('[greenhouse] closing the backend failed', e);
      } finally {
        clearTimeout(timer);
        closed = true;
        app.quit();
      }
    })();
  });

  app
    .whenReady()
    .then(ready)
    .catch((e: unknown) => {
      dialog.showErrorBox('Greenhouse could not start', e instanceof Error ? (e.stack ?? e.message) : String(e));
      app.exit(1);
    });
}
