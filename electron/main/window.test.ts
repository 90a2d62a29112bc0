import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { App, Session, WebContents } from 'electron';
import {
  BrowserWindow,
  FakeWebContents,
  app,
  emitPreventable,
  resetFakeElectron,
  session,
  shell,
} from '../test-support/fake-electron.js';
import { APP_START_URL } from './app-protocol.js';
import { createMainWindow, guardAllWebContents, hardenSession, hardenWebContents } from './window.js';

vi.mock('electron', () => import('../test-support/fake-electron.js'));

beforeEach(() => resetFakeElectron());

const open = () => createMainWindow({ preload: '/app/dist/electron/preload.cjs', dev: false }) as unknown as BrowserWindow;
const asContents = (c: FakeWebContents) => c as unknown as WebContents;

describe('main window', () => {
  it('uses the secure web preferences', () => {
    const prefs = open().options.webPreferences!;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.preload).toBe('/app/dist/electron/preload.cjs');
    expect(prefs.devTools).toBe(false);
    expect(createMainWindow({ preload: '/p.cjs', dev: true }).webContents).toBeDefined();
    expect(BrowserWindow.windows[1]!.options.webPreferences!.devTools).toBe(true);
  });

  it('loads the app origin and shows itself once painted', async () => {
    const win = open();
    expect(win.options.show).toBe(false);
    expect(win.webContents.getURL()).toBe(APP_START_URL);
    expect(win.show).not.toHaveBeenCalled();
    win.emit('ready-to-show');
    expect(win.show).toHaveBeenCalledOnce();
  });

  it.each([
    ['https://evil.example/', true],
    ['http://127.0.0.1:8080/', true],
    ['file:///etc/passwd', true],
    ['app://evil/index.html', true],
    ['javascript:alert(1)', true],
    ['app://greenhouse/index.html#/datasets', false],
  ])('navigation or redirect to %s prevented: %s', (url, prevented) => {
    const { webContents } = open();
    expect(emitPreventable(webContents, 'will-navigate', url)).toBe(prevented);
    expect(emitPreventable(webContents, 'will-redirect', url)).toBe(prevented);
  });

  it('denies every new window; http(s) links from the app go to the system browser', () => {
    const { webContents } = open();
    const deny = (url: string) => webContents.windowOpenHandler!({ url });
    expect(deny('https://docs.docker.com/')).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledWith('https://docs.docker.com/');
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'app://greenhouse/index.html', 'nonsense']) {
      expect(deny(url)).toEqual({ action: 'deny' });
    }
    expect(shell.openExternal).toHaveBeenCalledOnce();
  });

  it('opens nothing externally for a page that is not the app', () => {
    const contents = new FakeWebContents();
    contents.mainFrame.url = 'https://evil.example/';
    hardenWebContents(asContents(contents));
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/phish' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).not.toHaveBeenCalled();
  });

  it('blocks <webview>', () => {
    expect(emitPreventable(open().webContents, 'will-attach-webview', {}, {})).toBe(true);
  });

  it('hardens a web contents once, however often asked', () => {
    const contents = new FakeWebContents();
    hardenWebContents(asContents(contents));
    hardenWebContents(asContents(contents));
    expect(contents.listenerCount('will-navigate')).toBe(1);
  });
});

describe('guards for every web contents', () => {
  it('hardens web contents the app did not create itself', () => {
    guardAllWebContents(app as unknown as App);
    const stray = new FakeWebContents();
    app.emit('web-contents-created', {}, stray);
    expect(emitPreventable(stray, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(stray.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(emitPreventable(stray, 'will-attach-webview', {}, {})).toBe(true);
  });

  it('denies every permission request and check', () => {
    const ses = session.defaultSession;
    hardenSession(ses as unknown as Session);
    const request = ses.setPermissionRequestHandler.mock.calls[0]![0] as (c: unknown, p: string, cb: (ok: boolean) => void) => void;
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const callback = vi.fn();
      request({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    const check = ses.setPermissionCheckHandler.mock.calls[0]![0] as (c: unknown, p: string) => boolean;
    expect(check({}, 'media')).toBe(false);
    const device = ses.setDevicePermissionHandler.mock.calls[0]![0] as () => boolean;
    expect(device()).toBe(false);
  });
});
