// The app:// protocol that serves the built renderer. A custom standard, secure scheme gives the
// page a real origin (app://greenhouse) to check IPC senders and navigations against, which
// file:// cannot (every file shares one origin).
import { readFile, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { CustomScheme, Protocol } from 'electron';
import { mimeTypeOf, RENDERER_CSP, RENDERER_SECURITY_HEADERS } from '../../shared/renderer-serving.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'greenhouse';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** Registered before `ready`. No corsEnabled: other origins may not read app:// responses. */
export const appScheme: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

export const APP_CSP = RENDERER_CSP;

const SECURITY_HEADERS: Record<string, string> = { ...RENDERER_SECURITY_HEADERS, 'Cache-Control': 'no-cache' };

/**
 * Whether a URL belongs to the app's own origin. WHATWG gives non-special schemes an opaque
 * origin ("null") in Node, so scheme and host are compared instead.
 */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

const respond = (status: number, body: BodyInit | null, type = 'text/plain; charset=utf-8') =>
  new Response(body, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': type } });

/** The request's file under rendererDir, or null if the path could leave it. */
function fileFor(rendererDir: string, pathname: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  // Encoded separators and dot segments survive URL normalisation; refuse them outright.
  if (rel.includes('\0') || rel.includes('\\') || rel.split('/').some((s) => s === '..')) return null;
  const file = resolve(rendererDir, `.${rel === '/' ? '/index.html' : rel}`);
  return file.startsWith(rendererDir + sep) ? file : null;
}

/** Serves files under rendererDir only, each response with the CSP. Plain Node: tested without Electron. */
export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const root = resolve(rendererDir);
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return respond(400, 'Bad request');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return respond(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'Method not allowed');
    const file = fileFor(root, url.pathname);
    if (!file) return respond(403, 'Forbidden');
    try {
      if (!(await stat(file)).isFile()) return respond(404, 'Not found');
    } catch {
      if (url.pathname === '/' || url.pathname === '/index.html') {
        return respond(503, 'The renderer is not built. Run "npm run build" and start Greenhouse again.');
      }
      return respond(404, 'Not found');
    }
    const type = mimeTypeOf(file);
    return respond(200, request.method === 'HEAD' ? null : await readFile(file), type);
  };
}

/** Call after `ready`, on the session the window uses. */
export function registerAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
}
