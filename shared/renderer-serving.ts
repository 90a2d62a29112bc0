// How the built renderer is served, by the Electron app:// protocol and the browser-mode host alike.

export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // React sets style attributes; the stylesheet itself is a file.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  // Calls go to the app's own origin only (IPC in Electron, /api in browser mode).
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

export const RENDERER_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The Content-Type of a renderer file, by its extension. */
export const mimeTypeOf = (path: string) => MIME_TYPES[/\.[^./\\]+$/.exec(path)?.[0]?.toLowerCase() ?? ''] ?? 'application/octet-stream';
