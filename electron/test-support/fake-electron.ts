// A stand-in for the 'electron' module (no Electron binary runs on the test machines):
//   vi.mock('electron', () => import('../test-support/fake-electron.js'));
// It records what the shell asks of Electron; tests drive events through it.
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/** Emits an Electron-style preventable event; true when a listener called preventDefault. */
export function emitPreventable(target: EventEmitter, name: string, ...args: unknown[]): boolean {
  let prevented = false;
  target.emit(name, { preventDefault: () => (prevented = true) }, ...args);
  return prevented;
}

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

export class FakeWebContents extends EventEmitter {
  readonly mainFrame: FakeFrame = { url: '', parent: null };
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;
  readonly send = vi.fn();

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  getURL() {
    return this.mainFrame.url;
  }
  isDestroyed() {
    return this.destroyed;
  }
  async loadURL(url: string) {
    this.mainFrame.url = url;
  }
}

export class BrowserWindow extends EventEmitter {
  static windows: BrowserWindow[] = [];
  static getAllWindows = () => BrowserWindow.windows.filter((w) => !w.destroyed);

  readonly webContents = new FakeWebContents();
  destroyed = false;
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();

  constructor(readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> }) {
    super();
    BrowserWindow.windows.push(this);
  }
  loadURL(url: string) {
    return this.webContents.loadURL(url);
  }
  isMinimized() {
    return false;
  }
  close() {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

let markReady: () => void = () => {};
let ready = false;
let readyPromise = Promise.resolve();

const fakeApp = () =>
  Object.assign(new EventEmitter(), {
    isPackaged: false,
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => true),
    whenReady: vi.fn(() => readyPromise),
    isReady: () => ready,
    getAppPath: vi.fn(() => '/app'),
    getPath: vi.fn((_name: string) => '/nonexistent/user-data'),
    setAboutPanelOptions: vi.fn(),
    quit: vi.fn(),
    exit: vi.fn(),
  });

export const app = fakeApp();

/** Resolves app.whenReady(). */
export function fireReady() {
  ready = true;
  markReady();
}

export const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };

export const session = {
  defaultSession: {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
  },
};

export const shell = { openExternal: vi.fn(async (_url: string) => {}) };
export const dialog = {
  showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePaths: [] as string[] })),
  showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 0, checkboxChecked: false })),
  showErrorBox: vi.fn(),
};
export const Menu = { buildFromTemplate: vi.fn((template: unknown[]) => ({ template })), setApplicationMenu: vi.fn() };
export const ipcMain = { handle: vi.fn(), removeHandler: vi.fn() };
export const ipcRenderer = { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() };
export const contextBridge = { exposeInMainWorld: vi.fn() };
export const webUtils = { getPathForFile: vi.fn((_file: unknown) => '') };

/** Fresh state for the next test: listeners, recorded calls, windows, readiness. */
export function resetFakeElectron() {
  vi.clearAllMocks();
  app.removeAllListeners();
  app.isPackaged = false;
  app.requestSingleInstanceLock.mockImplementation(() => true);
  BrowserWindow.windows = [];
  ready = false;
  readyPromise = new Promise<void>((resolve) => (markReady = resolve));
}
resetFakeElectron();
