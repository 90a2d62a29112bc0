// Test helpers for the drift check (imported by *.test.ts only): a workspace with the customers
// dataset and a scikit-learn pipeline trained on it by Debian's Python, and batches made from the
// training rows: a random half, shifted, with new categories, as the serving app's prediction log.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract/index.js';
import { Backend } from '../backend.js';
import { DockerService } from '../docker/docker-service.js';
import { dispatch } from '../rpc/dispatch.js';
import type { TestBackend } from '../../test-support/backend.js';
import { rng } from '../../test-support/datasets.js';
import { DEBIAN_PYTHON, trainModel, writeCustomersCsv } from '../../test-support/models.js';

export const HEADER = ['age', 'income', 'plan', 'active', 'spend', 'churned'] as const;
export type Row = { age: number; income: number; plan: string; active: boolean; spend: number; churned: number };

export function readRows(csv: string): Row[] {
  const [, ...lines] = readFileSync(csv, 'utf8').trim().split('\n');
  return lines.map((l) => {
    const f = l.split(',');
    return { age: Number(f[0]), income: Number(f[1]), plan: f[2]!, active: f[3] === 'true', spend: Number(f[4]), churned: Number(f[5]) };
  });
}

export function writeRows(path: string, rows: Row[], columns: readonly string[] = HEADER): string {
  writeFileSync(path, [columns.join(','), ...rows.map((r) => columns.map((c) => String(r[c as keyof Row])).join(','))].join('\n') + '\n');
  return path;
}

/** A seeded random half of the rows. */
export function randomHalf(rows: Row[], seed: number): Row[] {
  return rng(seed).shuffle([...rows]).slice(0, Math.floor(rows.length / 2));
}

/** The serving app's prediction log lines for rows (as PredictionLog.write writes them). */
export function predictionLogLines(rows: Row[], predict: (r: Row) => number = (r) => r.churned): string[] {
  return rows.map((r, i) =>
    JSON.stringify({
      time: '2026-11-29T10:00:00.000Z',
      request_id: `req-${Math.floor(i / 10)}`,
      model: 'churn',
      version: 1,
      endpoint: '/predict',
      row: i % 10,
      inputs: { age: r.age, income: r.income, plan: r.plan, active: r.active },
      prediction: predict(r),
      probabilities: [0.4, 0.6],
    }),
  );
}

/**
 * A test backend whose workspace outlives single tests (test-support/backend.ts's is removed after
 * each one), for a file of tests that share one registered model and bundle; `close` removes it.
 */
export async function startSharedBackend(): Promise<TestBackend> {
  const root = mkdtempSync(join(tmpdir(), 'gh-drift-'));
  const backend = new Backend({ mode: 'cli', configDir: join(root, 'config'), actor: 'tester', docker: new DockerService(() => []) });
  const call = async <N extends MethodName>(method: N, input: MethodInput<N>): Promise<MethodOutput<N>> => {
    const r = await dispatch(backend.handlers, method, input);
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.value as MethodOutput<N>;
  };
  const ws = join(root, 'ws');
  await call('workspace.create', { path: ws });
  return {
    backend,
    ws,
    call,
    finish: (job, timeoutMs = 120_000) => call('jobs.wait', { id: job.id, timeoutMs }),
    close: async () => {
      await backend.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface Project {
  csv: string;
  rows: Row[];
  dir: string;
}

/** customers.csv (rows, seed) registered as "customers", and the pipeline "churn" trained on it (target churned). */
export async function registerChurnModel(t: TestBackend, opts: { rows?: number; seed?: number; snapshot?: boolean; sampleSize?: number } = {}): Promise<Project> {
  const dir = join(t.ws, 'data');
  mkdirSync(dir, { recursive: true });
  const csv = writeCustomersCsv(join(dir, 'customers.csv'), opts.rows ?? 2000, opts.seed ?? 7);
  const reg = await t.finish(await t.call('datasets.register', { path: csv, name: 'customers', snapshot: opts.snapshot ?? true }));
  expect(reg.error).toBeNull();
  const model = trainModel(csv, join(t.ws, 'model.joblib'), 'pipeline');
  const job = await t.finish(await t.call('models.register', { path: model, name: 'churn', training: { dataset: { name: 'customers' }, target: 'churned' }, python: DEBIAN_PYTHON, sampleSize: opts.sampleSize ?? 100 }));
  expect(job.error).toBeNull();
  return { csv, rows: readRows(csv), dir };
}

/** How many checks the catalog holds, and how many audit entries say a check was stored. */
export const stored = (t: TestBackend) =>
  t.backend.requireWorkspace().catalog.read((db) => ({
    checks: (db.prepare('SELECT count(*) AS n FROM drift_checks').get() as { n: number }).n,
    audited: (db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'drift.checked'`).get() as { n: number }).n,
  }));

/** A CSV written again as Parquet, by DuckDB (Debian's Python has no Parquet writer). */
export async function csvToParquet(csv: string, out: string): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  try {
    await con.run(`COPY (SELECT * FROM read_csv('${csv.replace(/'/g, "''")}')) TO '${out.replace(/'/g, "''")}' (FORMAT parquet)`);
  } finally {
    con.closeSync();
    instance.closeSync();
  }
  return out;
}
