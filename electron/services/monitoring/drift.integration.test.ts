// The drift check through the backend's handlers: the real job worker, SQLite catalog, DuckDB,
// a model registered with Debian's Python and scikit-learn, and the bundle's own app/drift.py as
// the independent computation of PSI and JS; scipy for the tests' statistics.
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriftCheck, DriftResult } from '../../../shared/contract/index.js';
import { startTestBackend, type TestBackend } from '../../test-support/backend.js';
import { python, sha256sum } from '../../test-support/datasets.js';
import { DEBIAN_PYTHON } from '../../test-support/models.js';
import { tempDir } from '../../test-support/temp.js';
import { csvToParquet, predictionLogLines, randomHalf, registerChurnModel, startSharedBackend, stored, writeRows, type Project, type Row } from './test-fixture.js';

let t: TestBackend;
let p: Project;
let bundleDir: string;

beforeAll(async () => {
  t = await startSharedBackend();
  p = await registerChurnModel(t);
  const job = await t.finish(await t.call('bundles.create', { model: 'churn', options: { strategy: 'base', baseImage: 'greenhouse/python-base:bookworm' } }));
  expect(job.error).toBeNull();
  bundleDir = (job.result as { path: string }).path;
}, 300_000);
afterAll(() => t?.close());

/** Run a drift check through the backend; the job's stored result. */
async function check(data: string, extra: { bundle?: boolean; thresholds?: Record<string, number> } = {}): Promise<DriftCheck> {
  const job = await t.finish(await t.call('drift.check', { model: 'churn', data, ...extra }));
  expect(job.error, JSON.stringify(job.error)).toBeNull();
  return job.result as DriftCheck;
}
async function failing(data: string) {
  const job = await t.finish(await t.call('drift.check', { model: 'churn', data }));
  expect(job.state).toBe('failed');
  return job.error!;
}
const feature = (r: DriftResult, name: string) => r.features.find((f) => f.name === name)!;
const file = (name: string) => join(tempDir('gh-batch-'), name);

/** app/drift.py of the bundle, run on the batch by Debian's Python: its JSON report. */
function driftPy(batch: string) {
  const out = execFileSync(DEBIAN_PYTHON, ['app/drift.py', batch, '--json'], { cwd: bundleDir, encoding: 'utf8' });
  return JSON.parse(out) as { rows: number; drift: boolean; features: { name: string; psi: number | null; js: number | null; drift: boolean; skipped?: string }[] };
}

/** scipy's two-sample KS per numeric column and chi-square per category column, on the raw values. */
function scipyTests(training: Row[], batch: Row[]) {
  return python<Record<string, { statistic: number; p: number; dof?: number }>>(
    String.raw`
import json, sys
from scipy import stats
d = json.load(sys.stdin)
tr, b = d["training"], d["batch"]
out = {}
for c in ("age", "income"):
    r = stats.ks_2samp([x[c] for x in tr], [x[c] for x in b], method="exact")
    out[c] = {"statistic": float(r.statistic), "p": float(r.pvalue)}
for c, keys in (("plan", ["basic", "pro", "max"]), ("active", [True, False])):
    table = [[sum(1 for x in rows if x[c] == k) for k in keys] for rows in (tr, b)]
    other = [sum(1 for x in rows if x[c] not in keys) for rows in (tr, b)]
    if sum(other): table = [row + [o] for row, o in zip(table, other)]
    chi2, pv, dof, _ = stats.chi2_contingency(table, correction=False)
    out[c] = {"statistic": float(chi2), "p": float(pv), "dof": int(dof)}
print(json.dumps(out))`,
    [],
    JSON.stringify({ training, batch }),
  );
}

describe('drift check: statistical behaviour on generated data', () => {
  it('a random half of the training data shows no dataset-level drift, with every value as drift.py and scipy compute them', async () => {
    for (const seed of [1, 2, 3]) {
      const half = randomHalf(p.rows, seed);
      const batch = writeRows(file(`half-${seed}.csv`), half);
      const r = await check(batch);
      expect(r.drift, `seed ${seed}`).toBe(false);
      expect(r.drifted, `seed ${seed}`).toEqual([]);
      expect(r).toMatchObject({ checked: 4, rows: 1000, skipped: 0, share: 0, batch: { path: batch, format: 'csv', sha256: sha256sum(batch), hasTarget: true }, reference: { source: 'model', model: { name: 'churn', version: 1 }, dataset: { name: 'customers', version: 1, rows: 2000 }, target: 'churned', snapshot: true } });
      // PSI and JS exactly as the bundle's in-container check computes them on the same file.
      const py = driftPy(batch);
      expect(py.drift).toBe(false);
      for (const f of py.features) {
        expect(feature(r, f.name).psi, `${f.name} psi`).toBeCloseTo(f.psi!, 12);
        expect(feature(r, f.name).js, `${f.name} js`).toBeCloseTo(f.js!, 12);
      }
      // The tests against scipy on the raw values: exact KS over the training snapshot, chi-square over the buckets.
      const sp = scipyTests(p.rows, half);
      for (const name of ['age', 'income']) {
        expect(feature(r, name)).toMatchObject({ test: 'ks', testBasis: 'exact' });
        expect(feature(r, name).statistic).toBeCloseTo(sp[name]!.statistic, 12);
        expect(feature(r, name).pValue).toBeCloseTo(sp[name]!.p, 9);
      }
      for (const name of ['plan', 'active']) {
        expect(feature(r, name).test).toBe('chi2');
        expect(feature(r, name).statistic).toBeCloseTo(sp[name]!.statistic, 9);
        expect(feature(r, name).pValue).toBeCloseTo(sp[name]!.p, 12);
      }
    }
  }, 120_000);

  it('a shift of one feature\'s mean flags that feature and not the others', async () => {
    const shifted = randomHalf(p.rows, 4).map((r) => ({ ...r, income: Math.round((r.income + 15_000) * 100) / 100 }));
    const batch = writeRows(file('shifted.csv'), shifted);
    const r = await check(batch);
    expect(r.drifted).toEqual(['income']);
    expect(r.features[0]).toMatchObject({ name: 'income', drifted: true, psiBand: 'significant', test: 'ks' });
    expect(feature(r, 'income').pValue!).toBeLessThan(1e-6);
    expect(feature(r, 'income').reason).toMatch(/^PSI \d+\.\d+ is significant; KS p = .* < 0\.05\.$/);
    for (const name of ['age', 'plan', 'active']) expect(feature(r, name).drifted, name).toBe(false);
    // One of four features: below the default dataset share (half).
    expect(r).toMatchObject({ drift: false, checked: 4, share: 0.25 });
    // Values above the training maximum are schema violations (out of range), counted exactly.
    const above = shifted.filter((x) => x.income > Math.max(...p.rows.map((y) => y.income))).length;
    expect(r.schemaViolations).toContainEqual(expect.objectContaining({ kind: 'out-of-range', column: 'income', count: above }));
    expect(feature(r, 'income')).toMatchObject({ aboveRange: above, belowRange: 0 });
    const py = driftPy(batch);
    expect(py.features.find((f) => f.name === 'income')).toMatchObject({ drift: true });
    expect(feature(r, 'income').psi).toBeCloseTo(py.features.find((f) => f.name === 'income')!.psi!, 12);
    // With a lower dataset share for this check, the same batch drifts.
    const strict = await check(batch, { thresholds: { datasetShare: 0.25 } });
    expect(strict).toMatchObject({ drift: true, thresholds: { datasetShare: 0.25, psiModerate: 0.1, psiSignificant: 0.25, js: 0.1, pValue: 0.05 } });
  }, 60_000);

  it('a new category is flagged: a schema violation with exact counts, and drift of that feature', async () => {
    const rows = randomHalf(p.rows, 5).map((r, i) => (i % 3 === 0 ? { ...r, plan: 'enterprise' } : i % 50 === 1 ? { ...r, plan: 'trial' } : r));
    const batch = writeRows(file('new-plan.csv'), rows);
    const r = await check(batch);
    const enterprise = rows.filter((x) => x.plan === 'enterprise').length;
    const trial = rows.filter((x) => x.plan === 'trial').length;
    expect(r.schemaViolations).toContainEqual({
      kind: 'new-category',
      column: 'plan',
      count: enterprise + trial,
      message: `${enterprise + trial} values of plan are a category training never saw: "enterprise" (${enterprise}), "trial" (${trial}).`,
      examples: ['enterprise', 'trial'],
    });
    expect(feature(r, 'plan')).toMatchObject({ drifted: true, test: 'chi2', unlistedAreNew: true, unlisted: [{ value: 'enterprise', count: enterprise }, { value: 'trial', count: trial }] });
    const other = feature(r, 'plan').buckets.find((b) => b.kind === 'other')!;
    expect(other).toMatchObject({ label: 'other/new', reference: 0, current: enterprise + trial });
    expect(feature(r, 'plan').buckets.filter((b) => b.kind === 'value').map((b) => b.value)).toEqual(expect.arrayContaining(['basic', 'pro', 'max']));
    expect(feature(r, 'plan').psi).toBeCloseTo(driftPy(batch).features.find((f) => f.name === 'plan')!.psi!, 12);
    const sp = scipyTests(p.rows, rows);
    expect(feature(r, 'plan').statistic).toBeCloseTo(sp.plan!.statistic, 9);
  }, 60_000);

  it('reads the serving app\'s prediction log: the same PSI and JS as drift.py, prediction drift against the golden set, malformed lines counted and skipped', async () => {
    const half = randomHalf(p.rows, 6);
    const clean = file('predictions.jsonl');
    writeFileSync(clean, predictionLogLines(half).join('\n') + '\n');
    const r = await check(clean);
    expect(r).toMatchObject({ rows: half.length, skipped: 0, batch: { format: 'prediction-log', hasTarget: false }, drift: false });
    const py = driftPy(clean);
    expect(py.rows).toBe(half.length);
    for (const f of py.features) {
      expect(feature(r, f.name).psi, f.name).toBeCloseTo(f.psi!, 12);
      expect(feature(r, f.name).js, f.name).toBeCloseTo(f.js!, 12);
    }
    // The log's predictions against the model's golden predictions (classes 0 and 1).
    const model = await t.call('models.get', { name: 'churn' });
    expect(r.predictionDrift).toMatchObject({ column: 'prediction', reference: { source: 'golden', rows: 100 }, test: 'chi2' });
    const golden = model.golden.predictions;
    expect(r.predictionDrift!.buckets.filter((b) => b.kind === 'value').map((b) => [b.value, b.reference, b.current])).toEqual([
      [0, golden.filter((x) => x === 0).length, half.filter((x) => x.churned === 0).length],
      [1, golden.filter((x) => x === 1).length, half.filter((x) => x.churned === 1).length],
    ]);
    // The log's own fields are not columns of the batch; its inputs are.
    expect(r.schemaViolations.filter((v) => v.kind === 'unknown-column')).toEqual([]);

    // A log with malformed lines and a line cut off at the end: counted, skipped, said.
    const damaged = file('damaged.jsonl');
    const lines = predictionLogLines(half.slice(0, 300));
    writeFileSync(damaged, [...lines.slice(0, 100), 'not json', '{"time": "x", "request_id": "r"}', '[1, 2]', ...lines.slice(100), lines[0]!.slice(0, 40)].join('\n'));
    const d = await check(damaged);
    expect(d).toMatchObject({ rows: 300, skipped: 4 });
    expect(d.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^4 lines of .*damaged\.jsonl were not a valid record \(malformed JSON, or no "inputs" object\): counted and skipped\.$/), expect.stringMatching(/does not end with a line break: its last line may be incomplete/)]));
  }, 60_000);

  it('checks against the workspace bundle\'s reference, the same figures as the catalog\'s', async () => {
    const batch = writeRows(file('bundle.csv'), randomHalf(p.rows, 7));
    const fromModel = await check(batch);
    const fromBundle = await check(batch, { bundle: true });
    expect(fromBundle.reference).toMatchObject({ source: 'bundle', bundle: { name: 'churn', version: 1, path: bundleDir }, snapshot: true });
    expect(fromBundle.features.map((f) => [f.name, f.psi, f.js, f.statistic, f.pValue])).toEqual(fromModel.features.map((f) => [f.name, f.psi, f.js, f.statistic, f.pValue]));
    expect((await t.call('drift.history', { model: 'churn', limit: 1 }))[0]).toMatchObject({ id: fromBundle.id, bundle: true });
  }, 60_000);

  it('reads Parquet and JSON Lines records, and counts values of the wrong type and unexpected nulls instead of failing', async () => {
    const half = randomHalf(p.rows, 8);
    const csv = writeRows(file('typed.csv'), half);
    const parquet = await csvToParquet(csv, file('typed.parquet'));
    const fromCsv = await check(csv);
    const fromParquet = await check(parquet);
    expect(fromParquet.batch.format).toBe('parquet');
    expect(fromParquet.features.map((f) => [f.name, f.psi, f.js, f.statistic])).toEqual(fromCsv.features.map((f) => [f.name, f.psi, f.js, f.statistic]));

    const jsonl = file('records.jsonl');
    writeFileSync(jsonl, half.map((r, i) => JSON.stringify({ age: i % 100 === 0 ? 'unknown' : r.age, income: i % 250 === 0 ? null : r.income, plan: r.plan, active: i % 125 === 0 ? 'maybe' : r.active })).join('\n') + '\n');
    const r = await check(jsonl);
    expect(r.batch.format).toBe('jsonl');
    expect(r.schemaViolations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'wrong-type', column: 'age', count: 10, examples: ['unknown'] }),
        expect.objectContaining({ kind: 'wrong-type', column: 'active', count: 8, examples: ['maybe'] }),
        expect.objectContaining({ kind: 'unexpected-null', column: 'income', count: 4 }),
      ]),
    );
    expect(feature(r, 'age')).toMatchObject({ invalid: 10, values: 990 });
    expect(feature(r, 'income')).toMatchObject({ nulls: 4, values: 996 });
  }, 60_000);
});

describe('drift check: bad input', () => {
  it('fails with the file named and what to do, and stores nothing', async () => {
    const before = stored(t);
    const unrelated = file('unrelated.csv');
    writeFileSync(unrelated, 'city,temperature\nOslo,3\nRome,18\n');
    expect(await failing(unrelated)).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/unrelated\.csv has none of the columns churn@1 takes \(age, income, plan, active\); its columns are city, temperature\./), remedy: expect.stringContaining('prediction log') });

    const empty = file('empty.csv');
    writeFileSync(empty, '');
    expect(await failing(empty)).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/empty\.csv is empty\./) });

    const headerOnly = file('header.csv');
    writeFileSync(headerOnly, 'age,income,plan,active\n');
    expect(await failing(headerOnly)).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/header\.csv has no rows \(only a header\)\./) });

    // Cut off in the middle of a line: the last row is short.
    const truncated = writeRows(file('truncated.csv'), randomHalf(p.rows, 9));
    const bytes = readFileSync(truncated);
    truncateSync(truncated, bytes.lastIndexOf(',', bytes.length - 2) - 3);
    const cut = await failing(truncated);
    expect(cut).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/truncated\.csv ends in the middle of a line: it looks truncated/), remedy: expect.stringContaining('Copy the file again completely') });

    const parquet = await csvToParquet(writeRows(file('small.csv'), p.rows.slice(0, 3)), file('cut.parquet'));
    truncateSync(parquet, 20);
    expect(await failing(parquet)).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/cut\.parquet is not a complete Parquet file/) });

    const garbage = file('garbage.jsonl');
    writeFileSync(garbage, 'not json\nalso not json\n');
    expect((await failing(garbage)).message).toMatch(/garbage\.jsonl/);

    const ragged = file('ragged.csv');
    writeFileSync(ragged, `age,income,plan,active\n${Array.from({ length: 50 }, (_, i) => `${20 + i},50000,basic,true`).join('\n')}\n30,1,2,3,4,5\n`);
    expect(await failing(ragged)).toMatchObject({ message: expect.stringMatching(/ragged\.csv has rows with a different number of fields than the header/), remedy: expect.stringContaining('run the check again') });

    expect(await failing(join(tempDir(), 'missing.csv'))).toMatchObject({ code: 'NOT_FOUND' });
    const xlsx = file('batch.xlsx');
    writeFileSync(xlsx, 'x');
    expect(await failing(xlsx)).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('not a supported data file') });

    // Cancelled: the job ends cancelled.
    const big = writeRows(file('big.csv'), Array.from({ length: 60 }, () => p.rows).flat());
    const started = await t.call('drift.check', { model: 'churn', data: big });
    await t.call('jobs.cancel', { id: started.id });
    expect(await t.finish(started)).toMatchObject({ state: 'cancelled' });

    // Nothing of a failed check is stored, nor audited.
    expect(stored(t)).toEqual(before);
    await expect(t.call('drift.check', { model: 'nobody', data: unrelated })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }, 120_000);
});

describe('history, hand-back, settings, readiness', () => {
  it('stores each check with the batch\'s hash and time, newest first, and gets one back whole', async () => {
    const batch = writeRows(file('history.csv'), randomHalf(p.rows, 10));
    const before = stored(t);
    const r = await check(batch);
    expect(stored(t)).toEqual({ checks: before.checks + 1, audited: before.audited + 1 });
    const history = await t.call('drift.history', { model: 'churn' });
    expect(history[0]).toMatchObject({ id: r.id, checkedAt: r.checkedAt, checkedBy: 'tester', model: { name: 'churn', version: 1 }, bundle: false, batch: { path: batch, sha256: sha256sum(batch), format: 'csv' }, rows: 1000, drift: false, checked: 4, handBacks: [] });
    expect(history[0]!.features.map((f) => f.name).sort()).toEqual(['active', 'age', 'income', 'plan']);
    expect(history.map((h) => h.checkedAt)).toEqual([...history.map((h) => h.checkedAt)].sort().reverse());
    expect(await t.call('drift.history', { model: 'churn', version: 2 })).toEqual([]);
    const got = await t.call('drift.get', { id: r.id });
    expect(got).toEqual(r);
    expect((await t.call('audit.list', { limit: 5, action: 'drift.checked' }))[0]).toMatchObject({ subject: 'churn@1', actor: 'tester', details: expect.objectContaining({ check: r.id, sha256: r.batch.sha256, drift: false }) });
    await expect(t.call('drift.get', { id: 99_999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }, 60_000);

  it('hands a drifted batch back: a new dataset version with labels, linked to the model and audited with the recommendation', async () => {
    const rows = randomHalf(p.rows, 11).map((r) => ({ ...r, income: r.income + 40_000, age: r.age + 25 }));
    const batch = writeRows(file('drifted.csv'), rows);
    const r = await check(batch);
    expect(r.drift).toBe(true);
    expect(r.drifted.sort()).toEqual(['age', 'income']);
    const job = await t.finish(await t.call('drift.handBack', { id: r.id, name: 'customers-2026-11' }));
    expect(job.error).toBeNull();
    expect(job.result).toEqual({ outcome: 'created', name: 'customers-2026-11', version: 1, sha256: r.batch.sha256, warnings: [], checkId: r.id, model: { name: 'churn', version: 1 }, labelled: true, target: 'churned' });
    const ds = await t.call('datasets.get', { name: 'customers-2026-11' });
    expect(ds.version).toMatchObject({ sha256: sha256sum(batch), rows: 1000, snapshot: 'copy' });
    expect(ds.columns.map((c) => c.name)).toContain('churned');
    expect((await t.call('drift.get', { id: r.id })).handBacks).toEqual([expect.objectContaining({ dataset: { name: 'customers-2026-11', version: 1 }, labelled: true, by: 'tester' })]);
    expect((await t.call('drift.history', { model: 'churn', limit: 1 }))[0]!.handBacks).toHaveLength(1);
    // The overview: the newest check of each model, the same summary as the history's first.
    expect(await t.call('drift.latest', {})).toEqual([(await t.call('drift.history', { model: 'churn', limit: 1 }))[0]]);
    // The lineage shows the batch as the model's candidate retraining data, beside its bundle.
    const lineage = await t.call('lineage.graph', { focus: 'model:churn@1' });
    expect(lineage.edges).toEqual(expect.arrayContaining([
      { source: 'model:churn@1', target: 'dataset:customers-2026-11@1', relation: 'handed-back' },
      { source: 'model:churn@1', target: 'bundle:churn@1', relation: 'packaged-in' },
    ]));
    expect(lineage.nodes).toContainEqual({ id: 'bundle:churn@1', kind: 'bundle', name: 'churn', version: 1, detail: 'greenhouse/churn:1' });
    const audit = (await t.call('audit.list', { limit: 5, action: 'drift.handback' }))[0]!;
    expect(audit).toMatchObject({ subject: 'churn@1', details: { check: r.id, dataset: 'customers-2026-11@1', labelled: true, target: 'churned', recommendation: expect.stringMatching(/^Retrain churn on customers-2026-11@1 \(drift in (income, age|age, income)\); it carries the target column churned\.$/) } });

    // Once the file changes, it is no longer the batch that was checked.
    appendFileSync(batch, '30,40000,basic,true,10,0\n');
    const changed = await t.finish(await t.call('drift.handBack', { id: r.id, name: 'customers-2026-12' }));
    expect(changed).toMatchObject({ state: 'failed', error: { code: 'CONFLICT', message: expect.stringContaining(`changed since drift check ${r.id}`) } });
    await expect(t.call('datasets.get', { name: 'customers-2026-12' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }, 60_000);

  it('hands a prediction log back as a table of its inputs and predictions (no labels)', async () => {
    const log = file('served.jsonl');
    writeFileSync(log, predictionLogLines(randomHalf(p.rows, 12).slice(0, 400)).join('\n') + '\nbroken line\n');
    const r = await check(log);
    const job = await t.finish(await t.call('drift.handBack', { id: r.id, name: 'served-inputs' }));
    expect(job.error).toBeNull();
    expect(job.result).toMatchObject({ outcome: 'created', name: 'served-inputs', labelled: false, target: 'churned' });
    const ds = await t.call('datasets.get', { name: 'served-inputs' });
    expect(ds.version).toMatchObject({ format: 'parquet', rows: 400 });
    expect(ds.columns.map((c) => [c.name, c.kind])).toEqual([
      ['age', 'integer'],
      ['income', 'number'],
      ['plan', 'text'],
      ['active', 'boolean'],
      ['prediction', 'integer'],
    ]);
    expect((await t.call('audit.list', { limit: 1, action: 'drift.handback' }))[0]!.details.recommendation).toMatch(/^Label served-inputs@1 and retrain churn on it/);
  }, 60_000);

  it('keeps thresholds per model: defaults, an update used by later checks, refused nonsense, a reset', async () => {
    expect(await t.call('drift.settings', { model: 'churn' })).toEqual({ model: 'churn', thresholds: { psiModerate: 0.1, psiSignificant: 0.25, js: 0.1, pValue: 0.05, datasetShare: 0.5 }, custom: false, updatedAt: null, updatedBy: null });
    const s = await t.call('drift.updateSettings', { model: 'churn', thresholds: { psiSignificant: 0.5, pValue: 0.01 } });
    expect(s).toMatchObject({ custom: true, updatedBy: 'tester', thresholds: { psiModerate: 0.1, psiSignificant: 0.5, js: 0.1, pValue: 0.01, datasetShare: 0.5 } });
    const r = await check(writeRows(file('settings.csv'), randomHalf(p.rows, 13)));
    expect(r.thresholds).toEqual(s.thresholds);
    await expect(t.call('drift.updateSettings', { model: 'churn', thresholds: { psiModerate: 0.6 } })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('above the significant one') });
    await expect(t.call('drift.updateSettings', { model: 'churn', thresholds: { js: 2 } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await t.call('drift.updateSettings', { model: 'churn', reset: true })).toMatchObject({ custom: false, thresholds: { psiSignificant: 0.25 } });
    expect((await t.call('audit.list', { limit: 2, action: 'drift.settings.updated' }))[0]).toMatchObject({ subject: 'churn', details: { from: { psiSignificant: 0.25 }, to: { psiSignificant: 0.5, pValue: 0.01 } } });
    expect(await t.call('audit.list', { limit: 2, action: 'drift.settings.reset' })).toHaveLength(1);
  }, 60_000);

  it('gives the readiness checklist its evidence: training/serving skew from the latest check, in the report too', async () => {
    const calm = await check(writeRows(file('calm.csv'), randomHalf(p.rows, 14)), { bundle: true });
    let report = await t.call('readiness.get', { name: 'churn', version: 1 });
    expect(report.checks.find((c) => c.id === 'monitoring.3')).toMatchObject({ status: 'pass', points: 1, evidence: expect.arrayContaining([expect.objectContaining({ label: 'Latest drift check', value: expect.stringContaining(`${calm.id}, ${calm.checkedAt}: 1000 rows of`) })]) });
    const drifted = await check(writeRows(file('late.csv'), randomHalf(p.rows, 15).map((r) => ({ ...r, income: r.income * 2, age: r.age + 30 }))));
    report = await t.call('readiness.get', { name: 'churn', version: 1 });
    expect(report.checks.find((c) => c.id === 'monitoring.3')).toMatchObject({ status: 'fail', remedy: expect.stringContaining(`greenhouse drift handback ${drifted.id} --name DATASET`) });
    const html = await t.call('readiness.writeReport', { name: 'churn', version: 1, format: 'html', out: join(tempDir(), 'report.html') });
    const page = readFileSync(html.path, 'utf8');
    expect(page).toContain('Latest drift check');
    expect(page).not.toContain('No drift check has run yet');
  }, 60_000);

  it('a bundle folder alone: the CLI checks it from its own files, as the workspace does, and stores nothing', async () => {
    const copy = join(tempDir('gh-elsewhere-'), 'churn-1');
    cpSync(bundleDir, copy, { recursive: true });
    const batch = writeRows(file('elsewhere.csv'), randomHalf(p.rows, 16));
    const inWorkspace = await check(batch, { bundle: true });
    const before = stored(t);
    const { runCliCaptured } = await import('../../test-support/cli.js');
    const out = await runCliCaptured(['drift', copy, '--data', batch, '--json'], tempDir());
    expect(out.code, out.err).toBe(0);
    const r = JSON.parse(out.out) as DriftResult & { id: null };
    expect(r).toMatchObject({ id: null, drift: false, rows: 1000, reference: { source: 'bundle', bundle: { path: copy }, snapshot: false } });
    // Without the training snapshot the KS test is approximate (and says so); PSI, JS and chi-square are the same.
    for (const f of r.features) {
      const w = feature(inWorkspace, f.name);
      expect([f.psi, f.js]).toEqual([w.psi, w.js]);
      if (f.test === 'ks') expect(f).toMatchObject({ testBasis: 'approximate', testNote: expect.stringContaining('Approximate KS') });
      else expect(f.pValue).toBe(w.pValue);
    }
    expect(r.warnings).toEqual(expect.arrayContaining([expect.stringContaining('KS tests approximated from the reference profile')]));
    expect(stored(t)).toEqual(before);
  }, 60_000);
});

describe('drift check without the training snapshot', () => {
  it('approximates KS from the reference profile and says so; the exact statistic is at least as large', async () => {
    const u = await startTestBackend();
    try {
      const q = await registerChurnModel(u, { snapshot: false });
      const half = randomHalf(q.rows, 21).map((r) => ({ ...r, age: r.age + 3 }));
      const job = await u.finish(await u.call('drift.check', { model: 'churn', data: writeRows(file('approx.csv'), half) }));
      expect(job.error).toBeNull();
      const r = job.result as DriftCheck;
      expect(r.reference.snapshot).toBe(false);
      const sp = scipyTests(q.rows, half);
      for (const name of ['age', 'income']) {
        const f = feature(r, name);
        expect(f).toMatchObject({ test: 'ks', testBasis: 'approximate', testNote: expect.stringContaining('the training data has no snapshot in the workspace') });
        // At most the exact statistic (up to the quantiles' precision, 1/n), and close to it.
        expect(f.statistic!).toBeLessThanOrEqual(sp[name]!.statistic + 1 / 2000);
        expect(sp[name]!.statistic - f.statistic!).toBeLessThan(0.03);
      }
    } finally {
      await u.close();
    }
  }, 120_000);

  it('takes the exact KS into a second pass when the training data has too many distinct values for one', async () => {
    const u = await startTestBackend();
    try {
      const q = await registerChurnModel(u, { rows: 6000, seed: 3 });
      const half = randomHalf(q.rows, 22);
      const job = await u.finish(await u.call('drift.check', { model: 'churn', data: writeRows(file('wide.csv'), half) }));
      expect(job.error).toBeNull();
      const r = job.result as DriftCheck;
      const sp = scipyTests(q.rows, half);
      // income has about 6000 distinct values (more than fit in the one pass), age about 60.
      expect(feature(r, 'income')).toMatchObject({ test: 'ks', testBasis: 'exact', testNote: expect.stringContaining('joined in DuckDB') });
      expect(feature(r, 'age').testNote).not.toContain('joined in DuckDB');
      for (const name of ['age', 'income']) {
        expect(feature(r, name).statistic).toBeCloseTo(sp[name]!.statistic, 12);
        expect(feature(r, name).pValue).toBeCloseTo(sp[name]!.p, 9);
      }
    } finally {
      await u.close();
    }
  }, 120_000);
});
