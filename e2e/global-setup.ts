import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Fail early with what to do, instead of every test timing out on a missing build. */
export default function globalSetup(): void {
  const need = ['../dist/renderer/index.html', '../dist/host/cli.js'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const missing = need.filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(`The e2e tests run the built app, and these files are missing:\n  ${missing.join('\n  ')}\nRun "npm run build" first.`);
  }
}
