// The Electron transport: binds every contract method to ipcMain.handle and forwards backend
// events to the app's windows. The only file in the main process that touches ipcMain.
import { ipcMain, type IpcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { METHOD_NAMES } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import type { Result } from '../../shared/result.js';
import { ipcChannel } from '../../shared/transport.js';
import type { AnyEventListener } from '../services/events.js';
import { dispatch, type Handlers } from '../services/rpc/dispatch.js';
import { isAppUrl } from './app-protocol.js';

export interface IpcBackend {
  handlers: Handlers;
  events: { onAny(listener: AnyEventListener): () => void };
}

/** What the trust check reads of a WebFrameMain. */
export interface Frame {
  readonly url: string;
  readonly parent: object | null;
}
type EventSink = Pick<WebContents, 'send' | 'isDestroyed'> & { mainFrame: Frame };

export interface IpcOptions {
  /** Whether a frame may call the backend; defaults to the app page's main frame. */
  isTrustedSender?: (frame: Frame | null) => boolean;
  /** Candidates for events (for example every window's web contents); only trusted ones get them. */
  targets: () => Iterable<EventSink>;
}

/** The main frame of a page served from app://greenhouse; nothing else (subframes, other origins). */
export function isTrustedFrame(frame: Frame | null | undefined): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

const unauthorized = (): Result<never> => ({
  ok: false,
  error: new AppError('UNAUTHORIZED', 'This page may not call Greenhouse.', {
    remedy: 'Only the Greenhouse window can use the backend. Restart Greenhouse if you see this in its window.',
  }).toData(),
});

const senderFrame = (event: IpcMainInvokeEvent): Frame | null => {
  try {
    return event.senderFrame;
  } catch {
    // The frame navigated away or was destroyed mid-call.
    return null;
  }
};

/** Registers one handler per contract method; returns a function that removes them all. */
export function registerIpc(ipc: Pick<IpcMain, 'handle' | 'removeHandler'>, backend: IpcBackend, options: IpcOptions): () => void {
  const trusted = options.isTrustedSender ?? isTrustedFrame;
  const channels = METHOD_NAMES.map((method) => {
    const channel = ipcChannel.invoke(method);
    // One argument per call, as in the contract; anything after it is ignored.
    ipc.handle(channel, (event, input: unknown) => (trusted(senderFrame(event)) ? dispatch(backend.handlers, method, input) : unauthorized()));
    return channel;
  });

  const stopEvents = backend.events.onAny((name, payload) => {
    const channel = ipcChannel.event(name);
    for (const target of options.targets()) {
      if (target.isDestroyed() || !trusted(target.mainFrame)) continue;
      try {
        target.send(channel, payload);
      } catch (e) {
        console.error(`[greenhouse] could not deliver ${name}`, e);
      }
    }
  });

  return () => {
    stopEvents();
    for (const channel of channels) ipc.removeHandler(channel);
  };
}

/** registerIpc on Electron's ipcMain, so no other file needs to import it. */
export const attachIpc = (backend: IpcBackend, options: IpcOptions) => registerIpc(ipcMain, backend, options);
