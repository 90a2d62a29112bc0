// Environments and models through the backend's handlers: the real job worker, SQLite catalog,
// object store, pickle scanner and Debian's Python with scikit-learn.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../test-support/backend.js';
import { runCliCaptured } from '../../test-support/cli.js';
import { DEBIAN_PYTHON, pythonJson, trainModel, writeCustomersCsv } from '../../test-support/models.js';
import { writeNotebook } from '../../test-support/notebooks.js';

let t: TestBackend;
beforeEach(async () => {
  t = await startTestBackend();
});
afterEach(() => t.close());

const counts = () =>
  t.backend.requireWorkspace().catalog.read((db) => ({
    models: (db.prepare('SELECT count(*) AS n FROM model_versions').get() as { n: number }).n,
    environments: (db.prepare('SELECT count(*) AS n FROM environment_versions').get() as { n: number }).n,
  }));

/** The customers dataset, a notebook that reads it and writes model.joblib, and the model it writes. */
async function project(kind: 'pipeline' | 'classifier' | 'regressor' = 'pipeline') {
  mkdirSync(join(t.ws, 'data'), { recursive: true });
  const csv = writeCustomersCsv(join(t.ws, 'data', 'customers.csv'));
  expect((await t.finish(await t.call('datasets.register', { path: csv, name: 'customers' }))).state).toBe('succeeded');
  const nb = writeNotebook(join(t.ws, 'train.ipynb'), [
    { source: 'import pandas as pd\nimport joblib\nfrom sklearn.linear_model import LogisticRegression', executionCount: 1 },
    { source: 'df = pd.read_csv("data/customers.csv")', executionCount: 2 },
    { source: 'model = LogisticRegression().fit(df[["age", "income"]], df["churned"])\njoblib.dump(model, "model.joblib")', executionCount: 3 },
  ]);
  expect((await t.finish(await t.call('notebooks.register', { path: nb }))).state).toBe('succeeded');
  const model = trainModel(csv, join(t.ws, 'model.joblib'), kind);
  return { csv, nb, model };
}

/** Predictions of a stored model on rows, computed by Python on its own (not through Greenhouse). */
const independentPredictions = (model: string, columns: string[], rows: unknown[][]) =>
  pythonJson<{ predictions: number[]; probabilities: number[][] | null }>(
    `import sys, json, joblib, pandas as pd
m = joblib.load(sys.argv[1]); cols = json.loads(sys.argv[2]); rows = json.loads(sys.argv[3])
X = pd.DataFrame(rows, columns=cols)
print(json.dumps({"predictions": [p.item() if hasattr(p, "item") else p for p in m.predict(X)], "probabilities": m.predict_proba(X).tolist() if hasattr(m, "predict_proba") else None}))`,
    [model, JSON.stringify(columns), JSON.stringify(rows)],
  );

describe('models', () => {
  it('registers a pipeline: scan, environment, signature, golden predictions, metrics, card, lineage', async () => {
    const { model, csv } = await project('pipeline');
    const job = await t.finish(
      await t.call('models.register', {
        path: model,
        name: 'churn',
        training: { dataset: { name: 'customers' }, target: 'churned' },
        notebook: { name: 'train' },
        python: DEBIAN_PYTHON,
        metrics: { source: 'computed', dataset: { name: 'customers' } },
      }),
    );
    expect(job.error).toBeNull();
    expect(job).toMatchObject({ state: 'succeeded', result: { outcome: 'created', name: 'churn', version: 1 } });

    const d = await t.call('models.get', { name: 'churn' });
    expect(d.scan).toMatchObject({ safe: true, format: 'joblib', recordedVersions: { 'scikit-learn': '1.2.1' } });
    expect(d.scan.globals.map((g) => `${g.module}.${g.name}`)).toContain('sklearn.pipeline.Pipeline');
    expect(d.introspection).toMatchObject({ className: 'Pipeline', framework: 'scikit-learn', task: 'classification', nFeatures: 4, classes: [0, 1] });
    expect(d.introspection.steps.map((s) => s.path)).toEqual(expect.arrayContaining(['preprocess', 'preprocess/num', 'preprocess/cat', 'clf']));
    expect(d.signature.inputsFrom).toBe('model');
    expect(d.signature.inputs.map((i) => [i.name, i.dtype])).toEqual([
      ['age', 'int64'],
      ['income', 'float64'],
      ['plan', 'string'],
      ['active', 'bool'],
    ]);
    expect(d.signature.outputs.map((o) => o.name)).toEqual(['label', 'proba_0', 'proba_1']);

    // Golden predictions: 100 seeded rows, and what the model answers on them computed independently.
    expect(d.golden).toMatchObject({ count: 100, seed: 42, dataset: { name: 'customers', version: 1 }, columns: ['age', 'income', 'plan', 'active'] });
    expect(d.golden.libraryVersions['scikit-learn']).toBe('1.2.1');
    const stored = t.backend.requireWorkspace().objects.pathOf(d.version.sha256);
    const independent = independentPredictions(stored, d.golden.columns, d.golden.rows);
    expect(d.golden.predictions).toEqual(independent.predictions);
    d.golden.probabilities!.forEach((row, i) => row.forEach((p, j) => expect(p).toBeCloseTo(independent.probabilities![i]![j]!, 12)));
    // The same seed gives the same rows.
    const again = await t.finish(await t.call('models.register', { path: model, name: 'churn', training: { dataset: { name: 'customers' }, target: 'churned' }, python: DEBIAN_PYTHON }));
    expect(again.state).toBe('succeeded');
    expect((await t.call('models.get', { name: 'churn', version: 2 })).golden.rows).toEqual(d.golden.rows);

    // Metrics on the evaluation data, against sklearn.metrics run separately, and the majority baseline.
    const expected = pythonJson<{ accuracy: number; f1: number; roc_auc: number; majority: number }>(
      `import sys, json, joblib, pandas as pd
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score
m = joblib.load(sys.argv[1]); df = pd.read_csv(sys.argv[2]); X = df[['age','income','plan','active']]; y = df['churned']
p = m.predict(X); pr = m.predict_proba(X)[:, 1]
print(json.dumps({"accuracy": accuracy_score(y, p), "f1": f1_score(y, p, pos_label=1), "roc_auc": roc_auc_score(y, pr), "majority": float((y == y.mode()[0]).mean())}))`,
      [stored, csv],
    );
    expect(d.metrics).toMatchObject({ source: 'computed', dataset: { name: 'customers', version: 1 }, rows: 400 });
    expect(d.metrics!.values.accuracy).toBeCloseTo(expected.accuracy, 12);
    expect(d.metrics!.values.f1).toBeCloseTo(expected.f1, 12);
    expect(d.metrics!.values.roc_auc).toBeCloseTo(expected.roc_auc, 12);
    expect(d.metrics!.baseline).toMatchObject({ strategy: 'majority' });
    expect(d.metrics!.baseline!.values.accuracy).toBeCloseTo(expected.majority, 12);
    expect(d.metrics!.values.accuracy).toBeGreaterThan(d.metrics!.baseline!.values.accuracy!);

    // Environment captured on the way, linked, and nothing the notebook imports is missing.
    const env = d.lineage.environment!;
    expect(env.name).toMatch(/^python-3\.\d+$/);
    const envDetail = await t.call('environments.get', env);
    expect(envDetail.version.packages.find((p) => p.name === 'scikit-learn')?.version).toBe('1.2.1');
    expect(envDetail.usedBy).toEqual([
      { model: 'churn', version: 1, mismatches: [] },
      { model: 'churn', version: 2, mismatches: [] },
    ]);
    expect(d.mismatches).toEqual([]);

    // Card: facts filled in, judgements left to the owner.
    expect(d.card.details).toContain('Pipeline');
    expect(d.card.metrics).toMatch(/\| accuracy \| 0\.\d+ \| 0\.\d+ \| yes \|/);
    expect(d.card.intendedUse).toMatch(/To be written/);
    const edited = await t.call('models.updateCard', { name: 'churn', version: 1, card: { intendedUse: 'Flag customers likely to churn for the retention team.' } });
    expect(edited.intendedUse).toBe('Flag customers likely to churn for the retention team.');
    expect(edited.details).toBe(d.card.details);

    // Lineage: dataset → notebook → model, dataset → model, environment → model; focused graphs.
    expect(d.lineage.notebook).toEqual({ name: 'train', version: 1 });
    const graph = await t.call('lineage.graph', {});
    const edges = graph.edges.map((e) => `${e.source} ${e.relation} ${e.target}`);
    expect(edges).toEqual(
      expect.arrayContaining([
        'dataset:customers@1 read-by notebook:train@1',
        'notebook:train@1 wrote model:churn@1',
        'dataset:customers@1 trained model:churn@1',
        'dataset:customers@1 evaluated model:churn@1',
        `environment:${env.name}@${env.version} environment-of model:churn@1`,
      ]),
    );
    const focused = await t.call('lineage.graph', { focus: 'dataset:customers@1' });
    expect(focused.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(['dataset:customers@1', 'notebook:train@1', 'model:churn@1', 'model:churn@2']));
    // The notebook also writes model.joblib: matched by path for version 2, which names no notebook.
    expect((await t.call('models.get', { name: 'churn', version: 2 })).links).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'notebook', name: 'train', relation: 'written-by', matchedBy: 'path' })]));

    const audit = await t.call('audit.list', { limit: 50 });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['model.version.added', 'environment.version.added', 'model.card.edited']));
  }, 120_000);

  it('registers a regressor with RMSE/MAE/R2 against the mean baseline, and a bundled-free card edit', async () => {
    const { model } = await project('regressor');
    const job = await t.finish(
      await t.call('models.register', { path: model, name: 'spend', training: { dataset: { name: 'customers' }, target: 'spend' }, python: DEBIAN_PYTHON, metrics: { source: 'computed', dataset: { name: 'customers' } } }),
    );
    expect(job.error).toBeNull();
    const d = await t.call('models.get', { name: 'spend' });
    expect(d.introspection).toMatchObject({ className: 'Ridge', task: 'regression' });
    expect(d.signature.outputs).toEqual([{ name: 'value', kind: 'value', dtype: 'float64', class: null }]);
    expect(d.golden.probabilities).toBeNull();
    expect(Object.keys(d.metrics!.values).sort()).toEqual(['mae', 'r2', 'rmse']);
    expect(d.metrics!.baseline!.strategy).toBe('mean');
    expect(d.metrics!.baseline!.values.r2).toBeLessThanOrEqual(0.001);
    expect(d.metrics!.values.rmse).toBeLessThan(d.metrics!.baseline!.values.rmse!);
  }, 120_000);

  it('refuses an unsafe pickle without loading it, and loads it on a recorded override', async () => {
    const { csv } = await project('classifier');
    // Harmless to load, but ipaddress.IPv4Address is not on the allowlist: the scan must flag it.
    const path = join(t.ws, 'odd.pkl');
    execFileSync(DEBIAN_PYTHON, ['-c', `import sys, pickle, ipaddress, pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv(sys.argv[1]); m = LogisticRegression().fit(df[['age','income']], df['churned']); m.note = ipaddress.IPv4Address('127.0.0.1')
pickle.dump(m, open(sys.argv[2], 'wb'), protocol=4)`, csv, path]);
    const base = { path, name: 'odd', training: { dataset: { name: 'customers' }, target: 'churned' }, python: DEBIAN_PYTHON };
    const refused = await t.finish(await t.call('models.register', base));
    expect(refused).toMatchObject({ state: 'failed', error: { code: 'UNSAFE_ARTIFACT', message: expect.stringContaining('ipaddress') } });
    expect(counts()).toEqual({ models: 0, environments: 0 });

    const scan = await t.finish(await t.call('models.scan', { path }));
    expect(scan.result).toMatchObject({ safe: false, globals: expect.arrayContaining([expect.objectContaining({ module: 'ipaddress', name: 'IPv4Address', allowed: false })]) });

    const loaded = await t.finish(await t.call('models.register', { ...base, overrideScan: { reason: 'Address note added by our own tooling' } }));
    expect(loaded.error).toBeNull();
    const d = await t.call('models.get', { name: 'odd' });
    expect(d.version.scanOverride).toMatchObject({ by: 'tester', reason: 'Address note added by our own tooling' });
    expect(d.card.caveats).toMatch(/override/);
    const audit = await t.call('audit.list', { limit: 20 });
    expect(audit.find((a) => a.action === 'model.scan.overridden')).toMatchObject({ subject: 'odd@1', details: { reason: 'Address note added by our own tooling' } });
  }, 120_000);

  it('sees CSV columns as pandas.read_csv does: yes/no stays text and dates stay strings', async () => {
    const csv = join(t.ws, 'leavers.csv');
    const lines = ['age,since,left'];
    for (let i = 0; i < 120; i++) lines.push(`${20 + (i % 40)},2024-0${1 + (i % 9)}-1${i % 10},${i % 3 === 0 ? 'yes' : 'no'}`);
    writeFileSync(csv, lines.join('\n') + '\n');
    expect((await t.finish(await t.call('datasets.register', { path: csv, name: 'leavers' }))).state).toBe('succeeded');
    const kinds = (await t.call('datasets.get', { name: 'leavers' })).columns.map((c) => c.kind);
    expect(kinds).toEqual(['integer', 'date', 'boolean']); // DuckDB's reading; pandas sees object, object
    const model = join(t.ws, 'leavers.joblib');
    execFileSync(DEBIAN_PYTHON, ['-c', `import sys, joblib, pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder
df = pd.read_csv(sys.argv[1])
pre = ColumnTransformer([('num', 'passthrough', ['age']), ('cat', OneHotEncoder(handle_unknown='ignore'), ['since'])])
joblib.dump(Pipeline([('pre', pre), ('clf', LogisticRegression(max_iter=500))]).fit(df[['age', 'since']], df['left']), sys.argv[2])`, csv, model]);
    const job = await t.finish(
      await t.call('models.register', { path: model, training: { dataset: { name: 'leavers' }, target: 'left' }, python: DEBIAN_PYTHON, metrics: { source: 'computed', dataset: { name: 'leavers' } } }),
    );
    expect(job.error).toBeNull();
    const d = await t.call('models.get', { name: 'leavers' });
    expect(d.introspection.classes).toEqual(['no', 'yes']);
    expect(d.signature.inputs.map((i) => [i.name, i.dtype])).toEqual([
      ['age', 'int64'],
      ['since', 'string'],
    ]);
    expect(d.golden.predictions.every((p) => p === 'yes' || p === 'no')).toBe(true);
    expect(d.metrics!.baseline).toMatchObject({ strategy: 'majority' });
    expect(d.metrics!.baseline!.values.accuracy).toBeCloseTo(80 / 120, 12);

    // Evaluation data whose target is 1/0 cannot score a yes/no model: said as such, nothing recorded.
    const coded = join(t.ws, 'leavers01.csv');
    writeFileSync(coded, readFileSync(csv, 'utf8').replace(/,yes$/gm, ',1').replace(/,no$/gm, ',0'));
    expect((await t.finish(await t.call('datasets.register', { path: coded, name: 'coded' }))).state).toBe('succeeded');
    const scored = await t.finish(
      await t.call('models.register', { path: model, training: { dataset: { name: 'leavers' }, target: 'left' }, python: DEBIAN_PYTHON, metrics: { source: 'computed', dataset: { name: 'coded' } } }),
    );
    expect(scored.error).toMatchObject({ code: 'PYTHON_ERROR', message: expect.stringContaining('scoring it on the evaluation data failed'), remedy: expect.stringContaining('same kind of values') });
    expect((await t.call('models.get', { name: 'leavers' })).versions).toHaveLength(1);
  }, 120_000);

  it('records metrics from a JSON file or a form, and refuses edits once the version is bundled', async () => {
    const { model } = await project('classifier');
    const training = { dataset: { name: 'customers' }, target: 'churned' };
    const file = join(t.ws, 'metrics.json');
    writeFileSync(file, JSON.stringify({ accuracy: 0.81, f1: 0.7 }));
    expect((await t.finish(await t.call('models.register', { path: model, name: 'm', training, python: DEBIAN_PYTHON, metrics: { source: 'file', path: file } }))).error).toBeNull();
    expect((await t.call('models.get', { name: 'm' })).metrics).toMatchObject({ source: 'file', values: { accuracy: 0.81, f1: 0.7 }, baseline: null });
    writeFileSync(file, '{"accuracy": "high"}');
    const bad = await t.finish(await t.call('models.register', { path: model, name: 'm', training, python: DEBIAN_PYTHON, metrics: { source: 'file', path: file } }));
    expect(bad.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('metric names to numbers') });
    expect((await t.finish(await t.call('models.register', { path: model, name: 'm', training, python: DEBIAN_PYTHON, metrics: { source: 'form', values: { auc: 0.9 } } }))).error).toBeNull();
    expect((await t.call('models.get', { name: 'm', version: 2 })).metrics).toMatchObject({ source: 'form', values: { auc: 0.9 } });
    expect(await t.call('models.recordMetrics', { name: 'm', version: 2, values: { auc: 0.91 } })).toMatchObject({ source: 'form', values: { auc: 0.91 } });

    t.backend.requireWorkspace().catalog.write((tx) => tx.db.prepare('UPDATE model_versions SET bundled = 1 WHERE version = 1').run());
    await expect(t.call('models.updateCard', { name: 'm', version: 1, card: { caveats: 'x' } })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('bundle') });
    await expect(t.call('models.recordMetrics', { name: 'm', version: 1, values: { auc: 1 } })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await t.call('models.get', { name: 'm', version: 1 })).version.bundled).toBe(true);
  }, 120_000);

  it('flags a model saved with another scikit-learn version, and keeps the loader warning', async () => {
    const { model } = await project('classifier');
    const bytes = readFileSync(model);
    const at = bytes.indexOf(Buffer.from('1.2.1'));
    expect(at).toBeGreaterThan(0);
    const patched = Buffer.from(bytes);
    // Same length, so the pickle stays valid: "0.9.9" for every recorded version.
    for (let i = patched.indexOf('1.2.1'); i >= 0; i = patched.indexOf('1.2.1', i + 1)) patched.write('0.9.9', i);
    const old = join(t.ws, 'old.joblib');
    writeFileSync(old, patched);
    const job = await t.finish(await t.call('models.register', { path: old, name: 'old', training: { dataset: { name: 'customers' }, target: 'churned' }, python: DEBIAN_PYTHON }));
    expect(job.error).toBeNull();
    expect((job.result as { warnings: string[] }).warnings.join('\n')).toMatch(/0\.9\.9/);
    const d = await t.call('models.get', { name: 'old' });
    expect(d.scan.recordedVersions).toEqual({ 'scikit-learn': '0.9.9' });
    expect(d.mismatches).toEqual([expect.objectContaining({ kind: 'version-differs', package: 'scikit-learn', expected: '0.9.9', actual: '1.2.1' })]);
  }, 120_000);

  it('gives clear errors and records nothing for bad input', async () => {
    const { model, csv } = await project('classifier');
    const training = { dataset: { name: 'customers' }, target: 'churned' };
    const fail = async (input: Parameters<TestBackend['call']>[1] & object) => {
      const job = await t.finish(await t.call('models.register', { training, python: DEBIAN_PYTHON, ...(input as object) } as never));
      expect(job.state).toBe('failed');
      return job.error!;
    };
    const text = join(t.ws, 'notes.pkl');
    writeFileSync(text, 'this is not a pickle\n');
    expect(await fail({ path: text })).toMatchObject({ code: 'INVALID_INPUT' });
    const half = join(t.ws, 'half.joblib');
    writeFileSync(half, readFileSync(model).subarray(0, Math.floor(readFileSync(model).length / 2)));
    expect(await fail({ path: half })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/ends|truncat|cut/i) });
    expect(await fail({ path: model, python: join(t.ws, 'no', 'python3') })).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(join(t.ws, 'no', 'python3')) });
    expect(await fail({ path: model, training: { dataset: { name: 'customers' }, target: 'nope' } })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('"nope"') });
    // Features the dataset does not have.
    const narrow = join(t.ws, 'narrow.csv');
    writeFileSync(narrow, readFileSync(csv, 'utf8').split('\n').map((l) => l.split(',').filter((_, i) => i !== 1).join(',')).join('\n'));
    expect((await t.finish(await t.call('datasets.register', { path: narrow, name: 'narrow' }))).state).toBe('succeeded');
    expect(await fail({ path: model, training: { dataset: { name: 'narrow' }, target: 'churned' } })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('income') });
    // A 1 GB file: refused quickly by size, or (under the limit) as not a model, never read into memory.
    const big = join(t.ws, 'big.joblib');
    writeFileSync(big, '');
    truncateSync(big, 1024 ** 3);
    await t.call('workspace.updateSettings', { modelLimitBytes: 512 * 1024 ** 2 });
    expect(await fail({ path: big })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/1\.0 GB; model files over 512 MB/) });
    await t.call('workspace.updateSettings', { modelLimitBytes: 2 * 1024 ** 3 });
    expect(await fail({ path: big })).toMatchObject({ code: 'INVALID_INPUT' });
    // Unknown links fail before any job starts.
    await expect(t.call('models.register', { path: model, training: { dataset: { name: 'ghost' }, target: 'x' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.call('models.register', { path: model, training, notebook: { name: 'ghost' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(counts()).toEqual({ models: 0, environments: 0 });
  }, 180_000);

  it('captures environments from an interpreter and a requirement file, versions them, and compares them', async () => {
    const first = await t.finish(await t.call('environments.capture', { python: DEBIAN_PYTHON, name: 'debian' }));
    expect(first.result).toMatchObject({ outcome: 'created', name: 'debian', version: 1 });
    const same = await t.finish(await t.call('environments.capture', { python: DEBIAN_PYTHON, name: 'debian' }));
    expect(same.result).toMatchObject({ outcome: 'unchanged', version: 1 });
    const req = join(t.ws, 'requirements.txt');
    writeFileSync(req, 'scikit-learn==1.3.0\nnumpy==1.24.2\nxgboost>=1.7\n');
    const fromFile = await t.finish(await t.call('environments.capture', { file: req }));
    expect(fromFile.result).toMatchObject({ outcome: 'created', name: expect.stringMatching(/-requirements$/), version: 1 });
    const name = (fromFile.result as { name: string }).name;
    const cmp = await t.call('environments.compare', { from: { name: 'debian' }, to: { name } });
    expect(cmp.changed).toEqual(expect.arrayContaining([{ name: 'scikit-learn', from: '1.2.1', to: '1.3.0' }]));
    expect(cmp.pythonChanged).toMatchObject({ to: null });
    const list = await t.call('environments.list', {});
    expect(list.map((e) => e.name).sort()).toEqual(['debian', name].sort());
    const bad = await t.finish(await t.call('environments.capture', { python: '/nonexistent/python3' }));
    expect(bad).toMatchObject({ state: 'failed', error: { code: 'NOT_FOUND' } });
    // Detection lists the interpreter the tests use.
    expect((await t.call('environments.detect', {})).map((c) => c.path)).toContain('/usr/bin/python3');
  }, 120_000);
});

describe('greenhouse env and model commands', () => {
  it('captures an environment, registers a model and shows it as JSON; model scan exits 1 on an unsafe file', async () => {
    const { model } = await project('pipeline');
    const cli = (args: string[]) => runCliCaptured([...args, '--workspace', t.ws]);
    await t.close();

    const env = await cli(['env', 'capture', '--python', DEBIAN_PYTHON, '--name', 'debian', '--json']);
    expect(env.code, env.err).toBe(0);
    expect(JSON.parse(env.out)).toMatchObject({ outcome: 'created', name: 'debian', version: 1, source: 'interpreter' });

    const add = await cli(['model', 'add', model, '--name', 'churn', '--dataset', 'customers@1', '--target', 'churned', '--notebook', 'train', '--env', 'debian', '--json']);
    expect(add.code, add.err).toBe(0);
    const json = JSON.parse(add.out) as Record<string, unknown>;
    expect(json).toMatchObject({
      name: 'churn',
      version: 1,
      framework: 'scikit-learn',
      class: 'Pipeline',
      scan: { safe: true, findings: [] },
      golden: { count: 100, libraryVersions: expect.objectContaining({ 'scikit-learn': '1.2.1' }) },
      lineage: { training: [{ name: 'customers', version: 1, target: 'churned' }], notebook: { name: 'train', version: 1 }, environment: { name: 'debian', version: 1 } },
    });
    expect((json.signature as { inputs: unknown[] }).inputs).toContainEqual({ name: 'plan', dtype: 'string', nullable: false });
    expect(json.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(json.params as object)).toContain('clf__C');

    const show = await cli(['model', 'show', 'churn@1', '--json']);
    expect(show.code).toBe(0);
    expect(JSON.parse(show.out)).toMatchObject({ name: 'churn', version: 1, sha256: json.sha256 });
    const human = await cli(['model', 'show', 'churn']);
    expect(human.out).toMatch(/Pipeline \(scikit-learn, classification\)/);

    const evil = join(t.ws, 'evil.pkl');
    execFileSync(DEBIAN_PYTHON, ['-c', `import pickle, os, sys
class E:
    def __reduce__(self): return (os.system, ('echo pwned',))
open(sys.argv[1], 'wb').write(pickle.dumps(E()))`, evil]);
    const scan = await runCliCaptured(['model', 'scan', evil, '--json']);
    expect(scan.code).toBe(1);
    expect(JSON.parse(scan.out)).toMatchObject({ safe: false, findings: expect.arrayContaining([expect.objectContaining({ severity: 'critical', name: 'system' })]) });
    const clean = await runCliCaptured(['model', 'scan', model]);
    expect(clean.code).toBe(0);
    expect(clean.out).toMatch(/^SAFE/);
  }, 180_000);
});
