#!/usr/bin/env node
// The `greenhouse` command. Runs the built CLI (dist/host/cli.js, made by `npm run build:node`,
// which `npm ci` runs through "prepare"); in a checkout without a build it runs the sources
// through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist/host/cli.js', import.meta.url));
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    console.error('greenhouse: the CLI is not built. Run "npm run build:node" (or "npm ci") in the Greenhouse checkout.');
    process.exit(1);
  }
  await import(new URL('../electron/host/cli.ts', import.meta.url).href);
}
