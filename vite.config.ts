// Builds the renderer (React) into dist/renderer. Relative asset URLs (base './') work both
// from the Electron app:// protocol and from the browser-mode host.
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The dev server injects an inline React Refresh preamble, which the page's strict CSP
 * (script-src 'self') would block. Drop the CSP meta tag in `vite serve` only; builds keep it.
 */
const devWithoutCsp = (): Plugin => ({
  name: 'greenhouse:dev-without-csp',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>\s*/, ''),
});

// `npm run dev:renderer` against a running `greenhouse serve`:
//   GREENHOUSE_HOST=http://127.0.0.1:PORT GREENHOUSE_TOKEN=TOKEN npm run dev:renderer
const host = process.env.GREENHOUSE_HOST;
const auth = process.env.GREENHOUSE_TOKEN ? { Authorization: `Bearer ${process.env.GREENHOUSE_TOKEN}` } : undefined;

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), devWithoutCsp()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Everything as files: no data: fonts or scripts that the CSP would have to allow.
    assetsInlineLimit: 0,
    sourcemap: true,
  },
  server: host
    ? {
        proxy: {
          '/api/rpc': { target: host, changeOrigin: true, headers: auth },
          '/api/events': { target: host.replace(/^http/, 'ws'), ws: true, changeOrigin: true, headers: auth },
        },
      }
    : {},
});
