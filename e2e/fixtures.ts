// Fixtures: a real `greenhouse serve` per test, with its own config folder, and a temp folder
// for workspaces. Nothing is mocked: the browser talks to the backend over HTTP + WebSocket.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';

export interface Host {
  /** The start URL with the token (sets the cookie, then redirects to /). */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  token: string;
  configDir: string;
  /** Stop the server now (it is stopped after the test anyway). */
  stop(): Promise<void>;
}

const BIN = fileURLToPath(new URL('../bin/greenhouse.js', import.meta.url));
const START_TIMEOUT_MS = 20_000;

/** The first complete JSON object in the output (--json may pretty-print it over several lines). */
function parseStartInfo(output: string): { url: string; port: number; token: string } | null {
  const start = output.indexOf('{');
  if (start < 0) return null;
  for (let end = output.indexOf('}', start); end >= 0; end = output.indexOf('}', end + 1)) {
    try {
      const value = JSON.parse(output.slice(start, end + 1)) as { url?: unknown; port?: unknown; token?: unknown };
      if (typeof value.url === 'string' && typeof value.port === 'number' && typeof value.token === 'string') {
        return { url: value.url, port: value.port, token: value.token };
      }
    } catch {
      // Not complete yet.
    }
  }
  return null;
}

async function startHost(configDir: string, extraEnv: Record<string, string>): Promise<{ child: ChildProcess; info: { url: string; port: number; token: string } }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json'], {
    // A cwd outside any workspace, so serve opens none.
    cwd: configDir,
    env: { ...process.env, ...extraEnv, GREENHOUSE_CONFIG_DIR: configDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const info = await new Promise<{ url: string; port: number; token: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`greenhouse serve printed no URL within ${START_TIMEOUT_MS} ms.\n${stdout}\n${stderr}`)), START_TIMEOUT_MS);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const parsed = parseStartInfo(stdout);
      if (parsed) {
        clearTimeout(timer);
        resolve(parsed);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`greenhouse serve exited with ${code} before it was ready.\n${stdout}\n${stderr}`));
    });
    child.once('error', reject);
  });
  return { child, info };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

interface Fixtures {
  host: Host;
  tempDir: string;
  hostEnv: Record<string, string>;
  /** Console errors a test expects (e.g. after stopping the server); any other fails the test. */
  allowedConsoleErrors: RegExp | null;
}

export const test = base.extend<Fixtures>({
  /** Extra environment for `greenhouse serve`, e.g. test.use({ hostEnv: { DOCKER_HOST: … } }). */
  hostEnv: [{}, { option: true }],
  allowedConsoleErrors: [null, { option: true }],
  // A page that fails the test on any console error or uncaught exception (a CSP violation, a crash).
  page: async ({ page, allowedConsoleErrors }, use) => {
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !allowedConsoleErrors?.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await use(page);
    expect(problems, 'the page logged errors').toEqual([]);
  },
  host: async ({ hostEnv }, use) => {
    const configDir = await mkdtemp(join(tmpdir(), 'greenhouse-e2e-config-'));
    const { child, info } = await startHost(configDir, hostEnv);
    try {
      await use({ ...info, origin: `http://127.0.0.1:${info.port}`, configDir, stop: () => stop(child) });
    } finally {
      await stop(child);
      await rm(configDir, { recursive: true, force: true });
    }
  },
  // Playwright reads a fixture's dependencies from its destructuring pattern, so it must be there even when empty.
  // eslint-disable-next-line no-empty-pattern
  tempDir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'greenhouse-e2e-ws-'));
    try {
      await use(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
});

export { expect };
