import { beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES } from '../../shared/contract/index.js';
import type { PreloadApi } from '../../shared/transport.js';
import { contextBridge, ipcRenderer, webUtils } from '../test-support/fake-electron.js';

vi.mock('electron', () => import('../test-support/fake-electron.js'));

let api: PreloadApi;

beforeAll(async () => {
  await import('./preload.js');
  expect(contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
  const [key, exposed] = contextBridge.exposeInMainWorld.mock.calls[0]!;
  expect(key).toBe('greenhouse');
  api = exposed as PreloadApi;
});

describe('preload', () => {
  it('exposes invoke, subscribe and pathForFile only, never ipcRenderer', () => {
    expect(Object.keys(api).sort()).toEqual(['invoke', 'pathForFile', 'subscribe']);
    expect(Object.isFrozen(api)).toBe(true);
    for (const value of Object.values(api)) {
      expect(value).not.toBe(ipcRenderer);
      expect(Object.values(ipcRenderer)).not.toContain(value);
    }
  });

  it('gives the path of a real File only, and never throws across the bridge', () => {
    const file = new File(['a,b\n'], 'data.csv');
    webUtils.getPathForFile.mockReturnValueOnce('/home/ana/data.csv');
    expect(api.pathForFile(file)).toBe('/home/ana/data.csv');
    expect(webUtils.getPathForFile).toHaveBeenLastCalledWith(file);
    webUtils.getPathForFile.mockClear();
    for (const notAFile of [{ name: 'x.csv', path: '/etc/passwd' }, 'x', null]) expect(api.pathForFile(notAFile as never)).toBe('');
    expect(webUtils.getPathForFile).not.toHaveBeenCalled();
    webUtils.getPathForFile.mockImplementationOnce(() => {
      throw new Error('not a file');
    });
    expect(api.pathForFile(file)).toBe('');
  });

  it('invokes every contract method on its own channel and hands back the answer', async () => {
    ipcRenderer.invoke.mockResolvedValue({ ok: true, value: 'answer' });
    for (const method of METHOD_NAMES) {
      await expect(api.invoke(method, { a: 1 })).resolves.toEqual({ ok: true, value: 'answer' });
      expect(ipcRenderer.invoke).toHaveBeenLastCalledWith(`rpc:${method}`, { a: 1 });
    }
  });

  it.each(['nope', '__proto__', 'constructor', 'toString', 'app.info ', '', 42, null])('refuses the unknown method %j', async (name) => {
    ipcRenderer.invoke.mockClear();
    expect(await api.invoke(name as string, {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.any(String), remedy: expect.any(String) } });
    expect(ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('refuses an unknown event and a listener that is not a function', () => {
    ipcRenderer.on.mockClear();
    for (const name of ['nope', '__proto__', 'rpc:app.info', 'workspace.onchanged']) {
      expect(() => api.subscribe(name, () => {})).toThrow(/Unknown event/);
    }
    expect(() => api.subscribe('workspace.onChanged', 'x' as never)).toThrow(/listener/);
    expect(ipcRenderer.on).not.toHaveBeenCalled();
  });

  it('passes the payload only, never the IPC event, and unsubscribes', () => {
    for (const name of EVENT_NAMES) {
      ipcRenderer.on.mockClear();
      ipcRenderer.removeListener.mockClear();
      const listener = vi.fn();
      const unsubscribe = api.subscribe(name, listener);
      expect(ipcRenderer.on).toHaveBeenCalledOnce();
      const [channel, forward] = ipcRenderer.on.mock.calls[0]! as [string, (...args: unknown[]) => void];
      expect(channel).toBe(`event:${name}`);

      const ipcEvent = { sender: ipcRenderer, senderId: 0, ports: [] };
      forward(ipcEvent, { some: 'payload' }, 'extra');
      expect(listener).toHaveBeenCalledExactlyOnceWith({ some: 'payload' });

      unsubscribe();
      expect(ipcRenderer.removeListener).toHaveBeenCalledWith(channel, forward);
    }
  });
});
