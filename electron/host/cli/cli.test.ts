import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LATEST_CATALOG_VERSION } from '../../services/catalog/migrations/index.js';
import { runCliCaptured } from '../../test-support/cli.js';
import { tempDir } from '../../test-support/temp.js';

const BIN = fileURLToPath(new URL('../../../bin/greenhouse.js', import.meta.url));

const cli = runCliCaptured;

describe('greenhouse CLI', () => {
  it('creates a workspace with init and reports it with status --json, found by walking up', async () => {
    const dir = tempDir();
    const init = await cli(['init', 'proj', '--name', 'Churn', '--json'], dir);
    expect(init.code).toBe(0);
    expect(JSON.parse(init.out)).toMatchObject({ path: join(dir, 'proj'), name: 'Churn', catalogVersion: LATEST_CATALOG_VERSION });
    expect(existsSync(join(dir, 'proj', '.greenhouse', 'catalog.db'))).toBe(true);

    const nested = join(dir, 'proj', 'notebooks');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(nested);
    const status = await cli(['status', '--json'], nested);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.out)).toMatchObject({
      workspace: { path: join(dir, 'proj'), name: 'Churn' },
      docker: { available: false, error: { code: 'DOCKER_UNAVAILABLE' } },
    });

    const human = await cli(['status', '--workspace', join(dir, 'proj')]);
    expect(human.out).toMatch(/Workspace\s+Churn/);
    expect(human.out).toMatch(/Docker\s+unavailable/);
  });

  it('fails with exit 1, the reason and a remedy, when there is no workspace', async () => {
    const r = await cli(['verify']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/No Greenhouse workspace/);
    expect(r.err).toMatch(/what to do: Run "greenhouse init"/);
    const j = await cli(['verify', '--json']);
    expect(JSON.parse(j.out)).toMatchObject({ ok: false, error: { code: 'NO_WORKSPACE' } });
  });

  it('refuses to init twice in the same folder', async () => {
    const dir = tempDir();
    expect((await cli(['init'], dir)).code).toBe(0);
    const again = await cli(['init'], dir);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already a Greenhouse workspace/);
  });

  it('exits 2 on usage errors and 0 on --help for every command', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['audit', '--limit', 'many'])).code).toBe(2);
    expect((await cli(['serve', '--port', '70000'])).code).toBe(2);
    for (const command of [[], ['init'], ['status'], ['verify'], ['audit'], ['serve']]) {
      const r = await cli([...command, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Usage: greenhouse/);
    }
  });

  it('verifies snapshots, and exits 1 naming a snapshot that was tampered with', async () => {
    const dir = tempDir();
    await cli(['init'], dir);
    const sha = 'ab'.repeat(32);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, '.greenhouse', 'objects', 'ab'), { recursive: true });
    writeFileSync(join(dir, '.greenhouse', 'objects', 'ab', sha.slice(2)), 'not what the name says');
    const r = await cli(['verify', '--workspace', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`CORRUPT ${sha}`);
    const audit = await cli(['audit', '--workspace', dir, '--json']);
    expect(JSON.parse(audit.out).map((e: { action: string }) => e.action)).toContain('objects.verified');
  }, 30_000);

  it('runs as a real executable: usage errors exit 2 and serve refuses requests without the token', async () => {
    const usage = spawnSync(process.execPath, [BIN, 'nope'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/unknown command/);

    const renderer = tempDir();
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>gh</title>');
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', '--renderer', renderer], {
      env: { ...process.env, GREENHOUSE_CONFIG_DIR: tempDir() },
      cwd: tempDir(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: child.stdout! });
      let text = '';
      for await (const l of lines) {
        text += l;
        try {
          JSON.parse(text);
          break;
        } catch {
          /* the JSON spans several lines */
        }
      }
      const { url, port, token } = JSON.parse(text) as { url: string; port: number; token: string };
      expect(url).toBe(`http://127.0.0.1:${port}/?token=${token}`);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
      const start = await fetch(url, { redirect: 'manual' });
      expect(start.status).toBe(302);
      const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
      expect((await fetch(`http://127.0.0.1:${port}/`, { headers: { Cookie: cookie } })).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number];
      expect(code).toBe(0);
    }
  }, 30_000);
});
