import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError } from '../../shared/errors.js';
import { mimeTypeOf, RENDERER_SECURITY_HEADERS } from '../../shared/renderer-serving.js';
import type { Backend } from '../services/backend.js';
import { dispatch } from '../services/rpc/dispatch.js';
import { toAppErrorData } from '../services/errors.js';
import { receiveUpload } from '../services/files/receive-upload.js';
import { UPLOAD_ENDPOINT } from '../../shared/transport.js';

const COOKIE = 'greenhouse_token';
const MAX_BODY = 8 * 1024 * 1024;
export interface HostOptions {
  backend: Backend;
  /** Folder holding the built renderer (index.html). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Defaults to a fresh random token. */
  token?: string;
}

export interface RunningHost {
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

const sameToken = (a: string | undefined, b: string) => {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const cookieToken = (req: IncomingMessage) => {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return decodeURIComponent(v.join('='));
  }
  return undefined;
};

const bearerToken = (req: IncomingMessage) => {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7) : undefined;
};

const securityHeaders = { ...RENDERER_SECURITY_HEADERS, 'Cache-Control': 'no-store' };

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}) {
  res.writeHead(status, { ...securityHeaders, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown) => send(res, status, JSON.stringify(value), 'application/json');

const unauthorized = (res: ServerResponse, api: boolean) =>
  api
    ? sendJson(res, 401, { ok: false, error: new AppError('UNAUTHORIZED', 'Missing or wrong access token.').toData() })
    : send(res, 401, 'Greenhouse: missing or wrong access token. Open the URL printed by "greenhouse serve"; it carries the token.\n');

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new AppError('INVALID_INPUT', `Request body over ${MAX_BODY} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The browser-mode host: serves the built renderer and the contract over HTTP + WebSocket on
 * 127.0.0.1 only. Every request needs the token, from the cookie set by the start URL or a
 * Bearer header; the Host header is checked so DNS rebinding cannot reach it.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const rendererDir = resolve(options.rendererDir);
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const authorized = (req: IncomingMessage) => sameToken(cookieToken(req), token) || sameToken(bearerToken(req), token);

  const serveStatic = async (res: ServerResponse, pathname: string) => {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return send(res, 400, 'Bad path');
    }
    const file = normalize(join(rendererDir, rel === '/' ? 'index.html' : rel));
    if (!file.startsWith(rendererDir + sep)) return send(res, 403, 'Forbidden');
    let size: number;
    try {
      const s = await stat(file);
      if (!s.isFile()) return send(res, 404, 'Not found');
      size = s.size;
    } catch {
      if (rel === '/' || rel === '/index.html') {
        return send(res, 503, 'The renderer is not built. Run "npm run build" and start again.\n');
      }
      return send(res, 404, 'Not found');
    }
    res.writeHead(200, { ...securityHeaders, 'Content-Type': mimeTypeOf(file), 'Content-Length': size });
    createReadStream(file).pipe(res);
  };

  // A dropped file's bytes, streamed to disk in the open workspace (never held in memory).
  const receiveUploadRequest = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (req.method !== 'PUT') return send(res, 405, 'Use PUT', 'text/plain', { Allow: 'PUT' });
    // Like the RPC's JSON rule: a cross-site form cannot send this type without a CORS preflight.
    if (!(req.headers['content-type'] ?? '').startsWith('application/octet-stream')) {
      return sendJson(res, 415, { ok: false, error: new AppError('INVALID_INPUT', 'Send the file as application/octet-stream.').toData() });
    }
    try {
      const uploads = options.backend.requireWorkspace().paths.uploads;
      const length = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
      const path = await receiveUpload(req, uploads, url.searchParams.get('name'), Number.isFinite(length) ? length : undefined);
      return sendJson(res, 200, { ok: true, value: { path } });
    } catch (e) {
      return sendJson(res, 400, { ok: false, error: toAppErrorData(e) });
    }
  };

  const server = createServer(async (req, res) => {
    try {
      if (!allowedHosts().has(req.headers.host ?? '')) return send(res, 403, 'Forbidden host');
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      const api = url.pathname.startsWith('/api/');

      // The start URL trades its token for a cookie, so the token leaves the address bar.
      const queryToken = url.searchParams.get('token');
      if (!api && req.method === 'GET' && queryToken !== null) {
        if (!sameToken(queryToken, token)) return unauthorized(res, false);
        url.searchParams.delete('token');
        return send(res, 302, '', 'text/plain', {
          Location: url.pathname + (url.search || ''),
          'Set-Cookie': `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        });
      }
      if (!authorized(req)) return unauthorized(res, api);

      if (api && url.pathname === UPLOAD_ENDPOINT) return receiveUploadRequest(req, res, url);
      if (api) {
        const m = /^\/api\/rpc\/([\w.]+)$/.exec(url.pathname);
        if (!m) return sendJson(res, 404, { ok: false, error: new AppError('NOT_FOUND', `No such endpoint: ${url.pathname}`).toData() });
        if (req.method !== 'POST') return send(res, 405, 'Use POST', 'text/plain', { Allow: 'POST' });
        const type = req.headers['content-type'] ?? '';
        // Only JSON: a cross-site form post cannot send this content type without CORS preflight.
        if (!type.startsWith('application/json')) {
          return sendJson(res, 415, { ok: false, error: new AppError('INVALID_INPUT', 'Send the input as application/json.').toData() });
        }
        let input: unknown;
        try {
          const body = await readBody(req);
          input = body ? JSON.parse(body) : {};
        } catch (e) {
          return sendJson(res, 400, { ok: false, error: new AppError('INVALID_INPUT', `The request body is not valid JSON: ${(e as Error).message}`).toData() });
        }
        return sendJson(res, 200, await dispatch(options.backend.handlers, m[1], input));
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
      return serveStatic(res, url.pathname);
    } catch (e) {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: new AppError('INTERNAL', (e as Error).message).toData() });
      else res.destroy();
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const origin = req.headers.origin;
    const originOk = !origin || [...allowedHosts()].some((h) => origin === `http://${h}`);
    const ok =
      allowedHosts().has(req.headers.host ?? '') &&
      originOk &&
      url.pathname === '/api/events' &&
      (authorized(req) || sameToken(url.searchParams.get('token') ?? undefined, token));
    if (!ok) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
    });
  });

  const unsubscribe = options.backend.events.onAny((event, payload) => {
    const message = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(message);
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new AppError('CONFLICT', `Port ${options.port} is in use.`, { remedy: 'Pick another port with --port, or 0 for any free one.' })
          : e,
      ),
    );
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`,
    port,
    token,
    server,
    close: async () => {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
