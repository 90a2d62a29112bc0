// The API the preload exposes: invoke/subscribe for contract names only.
import type { IpcRenderer, IpcRendererEvent, WebUtils } from 'electron';
import { isEventName, isMethodName } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import { ipcChannel, type PreloadApi } from '../../shared/transport.js';

const shown = (name: unknown) => (typeof name === 'string' ? name.slice(0, 100) : typeof name);

export function createPreloadApi(
  ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>,
  webUtils: Pick<WebUtils, 'getPathForFile'>,
): PreloadApi {
  return Object.freeze({
    invoke(method: string, input: unknown): Promise<unknown> {
      if (!isMethodName(method)) {
        // Same envelope the main side's dispatch gives an unknown method.
        return Promise.resolve({
          ok: false,
          error: new AppError('NOT_FOUND', `Unknown method: ${shown(method)}`, {
            remedy: 'Update Greenhouse: the app and its backend disagree.',
          }).toData(),
        });
      }
      return ipc.invoke(ipcChannel.invoke(method), input);
    },

    subscribe(event: string, listener: (payload: unknown) => void): () => void {
      if (!isEventName(event)) throw new TypeError(`Unknown event: ${shown(event)}`);
      if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function');
      const channel = ipcChannel.event(event);
      // The page gets the payload only: the IpcRendererEvent (with its sender) stays here.
      const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipc.on(channel, forward);
      return () => {
        ipc.removeListener(channel, forward);
      };
    },

    pathForFile(file: File): string {
      // Only a real File from the page: anything else would make getPathForFile throw across the bridge.
      if (typeof File === 'undefined' || !(file instanceof File)) return '';
      try {
        return webUtils.getPathForFile(file);
      } catch {
        return '';
      }
    },
  });
}

