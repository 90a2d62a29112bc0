// Sandboxed preload: exposes invoke/subscribe for contract names only, never ipcRenderer itself.
// Bundled to dist/electron/preload.cjs (a sandboxed preload can require nothing but 'electron').
// An entry without exports: the bundle then needs no `module`, which older sandboxes lack.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createPreloadApi } from './preload-api.js';

contextBridge.exposeInMainWorld('greenhouse', createPreloadApi(ipcRenderer, webUtils));
