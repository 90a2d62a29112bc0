import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { METHOD_NAMES } from '../../shared/contract/index.js';
import { ipcChannel } from '../../shared/transport.js';
import { Backend } from '../services/backend.js';
import { DockerService } from '../services/docker/docker-service.js';
import { FakeWebContents, type FakeFrame } from '../test-support/fake-electron.js';
import { tempDir } from '../test-support/temp.js';
import { isTrustedFrame, registerIpc } from './ipc-adapter.js';

vi.mock('electron', () => import('../test-support/fake-electron.js'));

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

/** Like ipcMain: one handler per channel; invoking a channel without one rejects. */
class FakeIpcMain {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  async invoke(channel: string, frame: FakeFrame | null, ...args: unknown[]) {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ senderFrame: frame } as unknown as IpcMainInvokeEvent, ...args);
  }
}

const appFrame = (): FakeFrame => ({ url: 'app://greenhouse/index.html', parent: null });

let ipc: FakeIpcMain;
let backend: Backend;
let window: FakeWebContents;
let dispose: () => void;

beforeEach(() => {
  ipc = new FakeIpcMain();
  backend = new Backend({
    mode: 'electron',
    configDir: tempDir(),
    actor: 'tester',
    docker: new DockerService(() => [{ label: 'unix:///nonexistent/docker.sock', options: { socketPath: '/nonexistent/docker.sock' } }]),
  });
  window = new FakeWebContents();
  window.mainFrame.url = 'app://greenhouse/index.html';
  dispose = registerIpc(ipc, backend, { targets: () => [window] });
});

afterEach(async () => {
  dispose();
  await backend.close();
});

const call = (method: string, input: unknown, frame: FakeFrame | null = appFrame()) => ipc.invoke(ipcChannel.invoke(method), frame, input);

describe('IPC adapter', () => {
  it('registers exactly one handler per contract method', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => `rpc:${m}`).sort());
  });

  it('answers a call from the app window with the Result envelope', async () => {
    expect(await call('app.info', {})).toMatchObject({ ok: true, value: { name: 'Greenhouse', mode: 'electron', user: 'tester' } });
    expect(await call('workspace.recent', {})).toEqual({ ok: true, value: [] });
    // A missing input means "no arguments", as on the HTTP transport.
    expect(await call('workspace.current', undefined)).toEqual({ ok: true, value: null });
  });

  it.each([
    ['another origin', { url: 'https://evil.example/', parent: null }],
    ['a file:// page', { url: 'file:///tmp/x.html', parent: null }],
    ['another app:// host', { url: 'app://evil/index.html', parent: null }],
    ['a subframe of the app page', { url: 'app://greenhouse/index.html', parent: appFrame() }],
    ['a destroyed frame', null],
  ])('refuses %s as sender, without running the method', async (_label, frame) => {
    const spy = vi.spyOn(backend.recent, 'list');
    expect(await call('workspace.recent', {}, frame)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(spy).not.toHaveBeenCalled();
  });

  it('refuses a sender whose frame cannot be read any more', async () => {
    const handler = ipc.handlers.get('rpc:app.info')!;
    const event = Object.defineProperty({}, 'senderFrame', {
      get() {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    }) as IpcMainInvokeEvent;
    expect(await handler(event, {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('has no channel for an unknown method', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 'app.info.extra']) {
      await expect(call(name, {})).rejects.toThrow(/No handler registered/);
    }
  });

  it('answers a bad payload with INVALID_INPUT', async () => {
    expect(await call('workspace.open', { path: 42 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('app.info', { sneaky: true })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('workspace.open', 'not an object')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('turns a failing method into an error envelope', async () => {
    expect(await call('jobs.list', {})).toMatchObject({ ok: false, error: { code: 'NO_WORKSPACE' } });
  });

  it('forwards backend events to trusted windows only', async () => {
    const stranger = new FakeWebContents();
    stranger.mainFrame.url = 'https://evil.example/';
    const closed = new FakeWebContents();
    closed.mainFrame.url = 'app://greenhouse/index.html';
    closed.destroyed = true;
    dispose();
    dispose = registerIpc(ipc, backend, { targets: () => [window, stranger, closed] });

    const dir = tempDir();
    const created = await call('workspace.create', { path: dir, name: 'Events' });
    expect(created).toMatchObject({ ok: true });
    expect(window.send).toHaveBeenCalledWith(ipcChannel.event('workspace.onChanged'), expect.objectContaining({ name: 'Events' }));
    expect(stranger.send).not.toHaveBeenCalled();
    expect(closed.send).not.toHaveBeenCalled();
  });

  it('keeps delivering to other windows when one send throws', () => {
    const broken = new FakeWebContents();
    broken.mainFrame.url = 'app://greenhouse/index.html';
    broken.send.mockImplementation(() => {
      throw new Error('An object could not be cloned');
    });
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    dispose();
    dispose = registerIpc(ipc, backend, { targets: () => [broken, window] });
    backend.events.emit('workspace.onChanged', null);
    expect(window.send).toHaveBeenCalledWith('event:workspace.onChanged', null);
    expect(error).toHaveBeenCalled();
  });

  it('removes its handlers and stops forwarding when disposed', () => {
    dispose();
    expect(ipc.handlers.size).toBe(0);
    backend.events.emit('workspace.onChanged', null);
    expect(window.send).not.toHaveBeenCalled();
    dispose = () => {};
  });
});

describe('isTrustedFrame', () => {
  it('trusts only the main frame of the app origin', () => {
    expect(isTrustedFrame(appFrame())).toBe(true);
    expect(isTrustedFrame({ url: 'app://greenhouse/index.html', parent: appFrame() })).toBe(false);
    expect(isTrustedFrame({ url: 'http://127.0.0.1:5173/', parent: null })).toBe(false);
    expect(isTrustedFrame(null)).toBe(false);
    expect(isTrustedFrame(undefined)).toBe(false);
  });
});
