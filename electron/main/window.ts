// The one window, and the guards every web contents gets (Electron security checklist).
import { BrowserWindow, shell, type App, type Session, type WebContents, type WebPreferences } from 'electron';
import { APP_START_URL, isAppUrl } from './app-protocol.js';

export interface WindowOptions {
  /** Absolute path of the bundled preload (dist/electron/preload.cjs). */
  preload: string;
  /** Unpackaged build: devtools allowed. */
  dev: boolean;
}

export function secureWebPreferences({ preload, dev }: WindowOptions): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: dev,
  };
}

const isWebUrl = (url: string) => {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
};

const hardened = new WeakSet<WebContents>();

/**
 * No navigation away from the app origin, no new windows, no <webview>. A link the app opens
 * in a new window (target=_blank) goes to the system browser if it is http(s).
 * Idempotent: the window factory and `web-contents-created` both call it.
 */
export function hardenWebContents(contents: WebContents): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isWebUrl(url) && isAppUrl(contents.getURL())) {
      shell.openExternal(url).catch((e: unknown) => console.error('[greenhouse] could not open link', e));
    }
    return { action: 'deny' };
  });
}

/** The page needs no camera, notifications, clipboard reads…: refuse every permission. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** Guards for every web contents the app ever creates, including ones we did not expect. */
export function guardAllWebContents(app: Pick<App, 'on'>): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Greenhouse',
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    // Shown once painted, so the user never sees a blank frame.
    show: false,
    webPreferences: secureWebPreferences(options),
  });
  hardenWebContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  win.loadURL(APP_START_URL).catch((e: unknown) => console.error('[greenhouse] could not load the renderer', e));
  return win;
}
