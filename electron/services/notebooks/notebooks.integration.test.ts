// Notebooks through the backend's handlers: the real job worker, SQLite catalog, object store and Python.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract/index.js';
import { Backend } from '../backend.js';
import { DockerService } from '../docker/docker-service.js';
import { dispatch } from '../rpc/dispatch.js';
import { notebookJson, writeNotebook, type TestCell } from '../../test-support/notebooks.js';
import { tempDir } from '../../test-support/temp.js';

let backend: Backend;
let ws: string;

async function call<N extends MethodName>(method: N, input: MethodInput<N>): Promise<MethodOutput<N>> {
  const r = await dispatch(backend.handlers, method, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as MethodOutput<N>;
}

async function finish(job: { id: string }) {
  return call('jobs.wait', { id: job.id, timeoutMs: 60_000 });
}

const rowCounts = () =>
  backend.requireWorkspace().catalog.read((db) => ({
    notebooks: (db.prepare('SELECT count(*) AS n FROM notebooks').get() as { n: number }).n,
    versions: (db.prepare('SELECT count(*) AS n FROM notebook_versions').get() as { n: number }).n,
    refs: (db.prepare('SELECT count(*) AS n FROM notebook_file_refs').get() as { n: number }).n,
  }));

beforeEach(async () => {
  backend = new Backend({ mode: 'cli', configDir: tempDir(), actor: 'tester', docker: new DockerService(() => []) });
  ws = tempDir();
  await call('workspace.create', { path: ws });
});
afterEach(() => backend.close());

const trainCells = (extra = ''): TestCell[] => [
  { type: 'markdown', source: '# Churn model' },
  { source: 'import pandas as pd\nimport joblib\nfrom sklearn.linear_model import LogisticRegression', executionCount: 1 },
  { source: 'df = pd.read_csv("data/customers.csv")', executionCount: 2 },
  { source: `model = LogisticRegression(C=0.5, max_iter=200)${extra}\njoblib.dump(model, "model.joblib")`, executionCount: 3 },
];

describe('notebooks', () => {
  it('registers a notebook, links its read to the dataset on both sides, and versions by code only', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(ws, 'data'));
    const csv = join(ws, 'data', 'customers.csv');
    writeFileSync(csv, 'age,plan\n31,basic\n45,pro\n');
    expect((await finish(await call('datasets.register', { path: csv }))).state).toBe('succeeded');

    const path = writeNotebook(join(ws, 'train.ipynb'), trainCells());
    const job = await finish(await call('notebooks.register', { path }));
    expect(job).toMatchObject({ state: 'succeeded', result: { outcome: 'created', name: 'train', version: 1 } });

    const detail = await call('notebooks.get', { name: 'train' });
    expect(detail.analysis.imports.map((i) => [i.module, i.package])).toEqual(
      expect.arrayContaining([
        ['pandas', 'pandas'],
        ['sklearn', 'scikit-learn'],
      ]),
    );
    expect(detail.analysis.reads).toEqual([expect.objectContaining({ path: csv, exists: true, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    expect(detail.analysis.writes).toEqual([expect.objectContaining({ path: join(ws, 'model.joblib'), call: expect.stringContaining('dump') })]);
    expect(detail.links).toEqual([{ kind: 'dataset', name: 'customers', version: 1, relation: 'reads', matchedBy: 'sha256', path: csv }]);
    expect(detail.cells).toHaveLength(4);
    expect((await call('datasets.get', { name: 'customers' })).links).toEqual([
      { kind: 'notebook', name: 'train', version: 1, relation: 'read-by', matchedBy: 'path', path: csv },
    ]);
    // The exact bytes are kept.
    expect(await backend.requireWorkspace().objects.has(detail.version.sha256)).toBe(true);

    // Re-executed (new outputs and counts), same code: not a new version.
    writeFileSync(path, notebookJson(trainCells().map((c, i) => ({ ...c, executionCount: c.type ? undefined : i + 10, outputs: [{ output_type: 'stream', name: 'stdout', text: 'rerun' }] }))));
    expect((await finish(await call('notebooks.register', { path }))).result).toMatchObject({ outcome: 'unchanged', version: 1 });
    // A code edit is.
    writeNotebook(path, trainCells(' # tuned'));
    expect((await finish(await call('notebooks.register', { path }))).result).toMatchObject({ outcome: 'new-version', version: 2 });
    expect(await call('notebooks.list', {})).toEqual([expect.objectContaining({ name: 'train', latestVersion: 2, versions: 2, kernel: 'python3', lastRun: null })]);
  }, 60_000);

  it('refuses bad notebooks with a clear error and records nothing', async () => {
    const cases: [string, string, RegExp][] = [
      ['broken.ipynb', '{"cells": [', /not valid JSON/],
      ['old.ipynb', JSON.stringify({ nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [] }), /nbformat 3|version 3/i],
      ['notes.txt', 'hello', /not a Jupyter notebook/],
    ];
    for (const [name, text, message] of cases) {
      const path = join(ws, name);
      writeFileSync(path, text);
      const job = await finish(await call('notebooks.register', { path }));
      expect(job.state).toBe('failed');
      expect(job.error!.message).toMatch(message);
      expect(job.error!.message).toContain(path);
      expect(job.error!.remedy.length).toBeGreaterThan(10);
    }
    expect(rowCounts()).toEqual({ notebooks: 0, versions: 0, refs: 0 });
    // Still working afterwards.
    const ok = await finish(await call('notebooks.register', { path: writeNotebook(join(ws, 'ok.ipynb'), [{ source: 'x = 1', executionCount: 1 }]) }));
    expect(ok.state).toBe('succeeded');
  }, 60_000);

  it('lints without recording, and reproduces a version with per-cell results', async () => {
    const path = writeNotebook(join(ws, 'calc.ipynb'), [
      { source: 'values = [1, 2, 3]', executionCount: 1 },
      { source: 'print(sum(values))', executionCount: 2 },
      { source: 'values[10]', executionCount: 3 },
    ]);
    const lint = await finish(await call('notebooks.lint', { path }));
    expect(lint).toMatchObject({ state: 'succeeded', result: { sha256: expect.any(String), analysis: { cells: { code: 3 } } } });
    expect(rowCounts().notebooks).toBe(0);

    await finish(await call('notebooks.register', { path }));
    const run = await finish(await call('notebooks.run', { name: 'calc', python: '/usr/bin/python3', timeoutSeconds: 60 }));
    expect(run).toMatchObject({ state: 'succeeded', result: { state: 'failed', failedCell: 2, error: { ename: 'IndexError' } } });
    const detail = await call('notebooks.get', { name: 'calc' });
    expect(detail.runs).toEqual([expect.objectContaining({ state: 'failed', failedCell: 2, cells: [expect.objectContaining({ status: 'ok' }), expect.objectContaining({ status: 'ok' }), expect.objectContaining({ status: 'error' })] })]);
    expect((await call('notebooks.list', {}))[0]!.lastRun).toBe('failed');
    const audit = await call('audit.list', { limit: 50 });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['notebook.created', 'notebook.version.added', 'notebook.run.failed']));
  }, 90_000);
});
