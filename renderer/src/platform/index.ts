// Picks the transport: the desktop app's preload API when present, else the browser-mode host.
// Only this folder touches window.greenhouse or fetch.
import type { PreloadApi, Transport } from '../../../shared/transport.js';
import { HttpTransport } from './http-transport.js';
import { IpcTransport } from './ipc-transport.js';

declare global {
  interface Window {
    greenhouse?: PreloadApi;
  }
}

export function createTransport(win: Window = window): Transport {
  if (win.greenhouse) return new IpcTransport(win.greenhouse);
  return new HttpTransport({ origin: win.location.origin });
}

export { HttpTransport, type ConnectionState } from './http-transport.js';
export { IpcTransport } from './ipc-transport.js';
