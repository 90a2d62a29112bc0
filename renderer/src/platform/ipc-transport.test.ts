import { describe, expect, it, vi } from 'vitest';
import type { PreloadApi } from '../../../shared/transport.js';
import { IpcTransport } from './ipc-transport.js';
import { createTransport } from './index.js';
import { HttpTransport } from './http-transport.js';

describe('IpcTransport', () => {
  it('invokes through the preload API and returns its envelope', async () => {
    const api: PreloadApi = { invoke: vi.fn(async () => ({ ok: true, value: null })), subscribe: vi.fn(() => () => undefined), pathForFile: () => '' };
    const t = new IpcTransport(api);
    expect(t.kind).toBe('electron');
    expect(await t.invoke('workspace.close', {})).toEqual({ ok: true, value: null });
    expect(api.invoke).toHaveBeenCalledWith('workspace.close', {});
  });

  it('turns a rejected call into an envelope', async () => {
    const t = new IpcTransport({ invoke: async () => Promise.reject(new Error('gone')), subscribe: () => () => undefined, pathForFile: () => '' });
    const r = await t.invoke('app.info', {});
    expect(!r.ok && r.error.message).toBe('The Greenhouse backend is not reachable.');
  });

  it('subscribes through the preload API', () => {
    const off = vi.fn();
    let deliver: (p: unknown) => void = () => undefined;
    const api: PreloadApi = {
      invoke: async () => null,
      subscribe: (_event, listener) => {
        deliver = listener;
        return off;
      },
      pathForFile: () => '',
    };
    const seen: unknown[] = [];
    const unsubscribe = new IpcTransport(api).subscribe('jobs.onUpdate', (p) => seen.push(p));
    deliver({ id: 'j' });
    unsubscribe();
    expect(seen).toEqual([{ id: 'j' }]);
    expect(off).toHaveBeenCalled();
  });
});

describe('IpcTransport.fileToPath', () => {
  const api = (pathForFile: PreloadApi['pathForFile']): PreloadApi => ({ invoke: async () => null, subscribe: () => () => undefined, pathForFile });
  const file = new File(['a,b\n1,2\n'], 'scores.csv');

  it("answers the dropped file's own path: nothing is uploaded in the desktop app", async () => {
    const pathForFile = vi.fn(() => '/home/ana/scores.csv');
    expect(await new IpcTransport(api(pathForFile)).fileToPath(file)).toEqual({ ok: true, value: '/home/ana/scores.csv' });
    expect(pathForFile).toHaveBeenCalledWith(file);
  });

  it('fails with what to do when the file has no path (dragged from a web page)', async () => {
    for (const pathForFile of [() => '', () => { throw new Error('not a File'); }]) {
      const r = await new IpcTransport(api(pathForFile)).fileToPath(file);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('INVALID_INPUT');
        expect(r.error.message).toContain('scores.csv');
        expect(r.error.remedy).toMatch(/Drop a file from your file manager/);
      }
    }
  });
});

describe('createTransport', () => {
  const fakeWindow = (greenhouse?: PreloadApi) => ({ greenhouse, location: { origin: 'http://127.0.0.1:1' } }) as unknown as Window;

  it('uses the preload API in the desktop app', () => {
    expect(createTransport(fakeWindow({ invoke: async () => null, subscribe: () => () => undefined, pathForFile: () => '' }))).toBeInstanceOf(IpcTransport);
  });

  it('uses HTTP in a plain browser', () => {
    expect(createTransport(fakeWindow())).toBeInstanceOf(HttpTransport);
  });
});
