import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { EventEmitter } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Backend } from '../../services/backend.js';
import { DockerService } from '../../services/docker/docker-service.js';
import type { WorkerScript } from '../../services/jobs/job-manager.js';
import { runCliCaptured } from '../../test-support/cli.js';
import { tempDir } from '../../test-support/temp.js';
import { num } from './dataset-commands.js';
import { parseRef } from './io.js';
import { call, followJob } from './io.js';

const cli = runCliCaptured;

/** A small CSV whose numbers we know exactly. */
function writeCsv(path: string, rows: number, shift = 0, extraColumn = false) {
  const lines = [`id,amount,city${extraColumn ? ',score' : ''}`];
  for (let i = 1; i <= rows; i++) {
    const city = ['Oslo', 'Lima', 'Pune'][i % 3];
    lines.push(`${i},${i % 10 === 0 ? '' : i + shift},${city}${extraColumn ? `,${i / 2}` : ''}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

describe('greenhouse dataset', () => {
  it('adds, re-adds unchanged, versions, shows, lists and diffs a CSV', async () => {
    const ws = tempDir();
    expect((await cli(['init'], ws)).code).toBe(0);
    const csv = join(ws, 'sales.csv');
    writeCsv(csv, 200);

    const add = await cli(['dataset', 'add', 'sales.csv', '--json'], ws);
    expect(add.code, add.err + add.out).toBe(0);
    const added = JSON.parse(add.out);
    expect(added).toMatchObject({
      outcome: 'created',
      name: 'sales',
      version: 1,
      sha256: createHash('sha256').update(readFileSync(csv)).digest('hex'),
      bytes: readFileSync(csv).length,
      format: 'csv',
      rows: 200,
      snapshot: 'copy',
    });
    const amount = added.columns.find((c: { name: string }) => c.name === 'amount');
    // amount = 1..200 without multiples of 10: 180 values, 20 nulls.
    const values = Array.from({ length: 200 }, (_, i) => i + 1).filter((i) => i % 10 !== 0);
    expect(amount).toMatchObject({ nulls: 20, min: 1, max: 199 });
    expect(amount.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 6);
    for (const key of ['name', 'type', 'nulls', 'distinct', 'min', 'max', 'mean', 'std', 'quantiles', 'histogram', 'top']) {
      for (const c of added.columns) expect(c).toHaveProperty(key);
    }
    const city = added.columns.find((c: { name: string }) => c.name === 'city');
    expect(city.top).toEqual(expect.arrayContaining([{ value: 'Oslo', count: 66 }, { value: 'Lima', count: 67 }, { value: 'Pune', count: 67 }]));

    const again = await cli(['dataset', 'add', csv], ws);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/Unchanged: sales version 1 already has these bytes/);

    writeCsv(csv, 250, 50, true);
    const v2 = JSON.parse((await cli(['dataset', 'add', csv, '--json', '--no-snapshot'], ws)).out);
    expect(v2).toMatchObject({ outcome: 'new-version', version: 2, rows: 250, snapshot: 'reference' });

    const show1 = JSON.parse((await cli(['dataset', 'show', 'sales@1', '--json'], ws)).out);
    expect(show1).toMatchObject({ name: 'sales', version: 1, rows: 200, sha256: added.sha256 });
    expect(show1.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const showHuman = await cli(['dataset', 'show', 'sales'], ws);
    expect(showHuman.out).toMatch(/sales version 2 of 2/);
    expect(showHuman.out).toMatch(/^score\s+DOUBLE/m);

    const list = JSON.parse((await cli(['dataset', 'list', '--json'], ws)).out);
    expect(list).toEqual([expect.objectContaining({ name: 'sales', latestVersion: 2, versions: 2, rows: 250 })]);

    const diff = JSON.parse((await cli(['dataset', 'diff', 'sales', '1', '2', '--json'], ws)).out);
    expect(diff).toMatchObject({ from: 1, to: 2, rows: { from: 200, to: 250 }, added: [{ name: 'score' }], removed: [], retyped: [] });
    const amountShift = diff.shifts.find((s: { name: string }) => s.name === 'amount');
    expect(amountShift.psi).toBeGreaterThan(0.1);
    const diffHuman = await cli(['dataset', 'diff', 'sales', 'v1', '2'], ws);
    expect(diffHuman.out).toMatch(/Added\s+score/);
    expect(diffHuman.out).toMatch(/Rows\s+200 → 250 \(\+50\)/);
  }, 60_000);

  it('fails with exit 1 naming the file for bad input, and exit 2 for a bad version', async () => {
    const ws = tempDir();
    await cli(['init'], ws);
    writeFileSync(join(ws, 'empty.csv'), '');
    const empty = await cli(['dataset', 'add', 'empty.csv'], ws);
    expect(empty.code).toBe(1);
    expect(empty.err).toContain(join(ws, 'empty.csv'));
    expect(empty.err).toMatch(/what to do:/);

    const missing = await cli(['dataset', 'show', 'nope', '--json'], ws);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.out)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    expect((await cli(['dataset', 'diff', 'x', 'one', '2'], ws)).code).toBe(2);
    expect(JSON.parse((await cli(['dataset', 'list', '--json'], ws)).out)).toEqual([]);
  }, 30_000);

  it('prints numbers with four significant digits and no exponent for everyday sizes', () => {
    expect([97180.52, 0.0123456, 53.5634, -1234.5, 1e-7, 42].map(num)).toEqual(['97181', '0.01235', '53.56', '-1235', '1.000e-7', '42']);
  });

  it('parses NAME@VERSION', () => {
    expect(parseRef('sales')).toEqual({ name: 'sales' });
    expect(parseRef('sales@3')).toEqual({ name: 'sales', version: 3 });
    expect(parseRef('a@b')).toEqual({ name: 'a@b' });
  });

  it('cancels the followed job on Ctrl+C', async () => {
    const slow: WorkerScript = { url: new URL('../../test-support/slow-job-worker.ts', import.meta.url) };
    const backend = new Backend({ mode: 'cli', configDir: tempDir(), docker: new DockerService(() => []), workerScript: slow });
    try {
      await call(backend, 'workspace.create', { path: tempDir() });
      const job = await backend.requireWorkspace().jobs.start('objects.verify', { steps: 500, stepMs: 20 }, { title: 'slow' });
      const signals = new EventEmitter();
      const stderr = new PassThrough();
      let err = '';
      stderr.on('data', (d) => (err += d));
      setTimeout(() => signals.emit('SIGINT'), 200);
      const done = await followJob(backend, { stdout: new PassThrough(), stderr, env: {}, cwd: '/' }, job, true, signals);
      expect(done.state).toBe('cancelled');
      expect(err).toMatch(/Cancelling/);
      expect(signals.listenerCount('SIGINT')).toBe(0);
    } finally {
      await backend.close();
    }
  }, 30_000);
});
