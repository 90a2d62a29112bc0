// greenhouse drift end to end, in process: a workspace with a registered model, the CLI's exit
// codes (0 ran, 1 drift with --fail-on-drift or an error, 2 usage) and its JSON.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriftCheck, DriftCheckSummary, DriftHandBackResult, DriftSettings } from '../../../shared/contract/index.js';
import { runCliCaptured } from '../../test-support/cli.js';
import type { TestBackend } from '../../test-support/backend.js';
import { tempDir } from '../../test-support/temp.js';
import { randomHalf, registerChurnModel, startSharedBackend, writeRows, type Project } from '../../services/monitoring/test-fixture.js';

let t: TestBackend;
let p: Project;
let calm: string;
let drifted: string;

beforeAll(async () => {
  t = await startSharedBackend();
  p = await registerChurnModel(t);
  await t.backend.closeWorkspace();
  calm = writeRows(join(p.dir, 'calm.csv'), randomHalf(p.rows, 31));
  drifted = writeRows(join(p.dir, 'drifted.csv'), randomHalf(p.rows, 32).map((r) => ({ ...r, income: r.income + 40_000, age: r.age + 25 })));
}, 300_000);
afterAll(() => t?.close());

const gh = (...args: string[]) => runCliCaptured([...args, '--workspace', t.ws]);

describe('greenhouse drift', () => {
  it('exits 0 when the check ran, with the JSON the issue asks for', async () => {
    const r = await gh('drift', 'churn', '--data', calm, '--json');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as DriftCheck;
    expect(out).toMatchObject({ drift: false, rows: 1000, checked: 4, id: expect.any(Number), reference: { model: { name: 'churn', version: 1 } }, batch: { path: calm, format: 'csv' } });
    expect(Array.isArray(out.schemaViolations)).toBe(true);
    expect(out.features).toHaveLength(4);
    for (const f of out.features) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['name', 'psi', 'js', 'test', 'pValue', 'drifted', 'statistic', 'buckets']));
      expect(f.test === 'ks' || f.test === 'chi2').toBe(true);
    }
    // --fail-on-drift passes a batch that did not drift.
    expect((await gh('drift', 'churn@1', '--data', calm, '--fail-on-drift', '--json')).code).toBe(0);
  }, 60_000);

  it('exits 1 with --fail-on-drift when the batch drifts: the JSON on stdout, the reason and what to do without --json', async () => {
    const json = await gh('drift', 'churn', '--data', drifted, '--fail-on-drift', '--json');
    expect(json.code).toBe(1);
    const out = JSON.parse(json.out) as DriftCheck;
    expect(out.drift).toBe(true);
    expect([...out.drifted].sort()).toEqual(['age', 'income']);
    expect(json.err).toBe('');

    const human = await gh('drift', 'churn', '--data', drifted, '--fail-on-drift');
    expect(human.code).toBe(1);
    expect(human.out).toMatch(/^Drift check of churn@1: .*drifted\.csv \(1000 rows, csv\) against customers@1 \(2000 rows\)/);
    expect(human.out).toMatch(/feature\s+kind\s+PSI\s+band\s+JS\s+test\s+statistic\s+p-value\s+drift/);
    expect(human.out).toMatch(/^income\s+number\s+\d+\.\d{3}\s+significant\s+.*DRIFT$/m);
    expect(human.out).toMatch(/^DRIFT: 2 of 4 features drifted \((income, age|age, income)\)/m);
    expect(human.out).toMatch(/Stored as check \d+\. Hand the batch back for retraining: greenhouse drift handback \d+ --name DATASET/);
    expect(human.err).toMatch(/greenhouse: churn@1: the batch drifted \((income, age|age, income): 2 of 4 features\)\./);
    expect(human.err).toMatch(/what to do: .*greenhouse drift handback \d+ --name DATASET/);
    // Without --fail-on-drift a drifted batch is a check that ran.
    expect((await gh('drift', 'churn', '--data', drifted)).code).toBe(0);
  }, 60_000);

  it('exits 2 on usage errors and 1 on errors, saying why', async () => {
    const noData = await gh('drift', 'churn');
    expect(noData.code).toBe(2);
    expect(noData.err).toMatch(/drift needs --data FILE/);
    const badThreshold = await gh('drift', 'churn', '--data', calm, '--threshold', 'psi=0.3');
    expect(badThreshold.code).toBe(2);
    expect(badThreshold.err).toMatch(/psi=0\.3: the thresholds are psiModerate=0\.1, psiSignificant=0\.25, js=0\.1, pValue=0\.05, datasetShare=0\.5/);
    expect((await gh('drift', 'churn', '--data', calm, '--threshold', 'js=2')).code).toBe(2);
    expect((await gh('drift', 'history', 'churn', '--limit', '0')).code).toBe(2);
    expect((await gh('drift', 'handback', 'abc', '--name', 'x')).code).toBe(2);
    expect((await gh('drift', 'handback', '1')).code).toBe(2);
    expect((await gh('drift', calm, '--data', calm)).code).toBe(2);

    const unknown = await gh('drift', 'nobody', '--data', calm);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/No model named "nobody"/);
    const unrelated = join(tempDir(), 'weather.csv');
    writeFileSync(unrelated, 'city,temperature\nOslo,3\n');
    const wrong = await gh('drift', 'churn', '--data', unrelated, '--json');
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.out)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('has none of the columns churn@1 takes') } });
    const missingBundle = await gh('drift', join(tempDir(), 'bundles', 'churn-9'), '--data', calm);
    expect(missingBundle.code).toBe(1);
    expect(missingBundle.err).toMatch(/does not exist/);
  }, 60_000);

  it('lists the history, hands a check back and keeps thresholds per model', async () => {
    const ran = JSON.parse((await gh('drift', 'churn', '--data', drifted, '--threshold', 'datasetShare=0.75', '--json')).out) as DriftCheck;
    expect(ran).toMatchObject({ drift: false, thresholds: { datasetShare: 0.75 } });
    const history = await gh('drift', 'history', 'churn', '--json');
    expect(history.code, history.err).toBe(0);
    const list = JSON.parse(history.out) as DriftCheckSummary[];
    expect(list[0]).toMatchObject({ id: ran.id, drift: false, batch: { path: drifted }, model: { name: 'churn', version: 1 } });
    expect(list.length).toBeGreaterThanOrEqual(4);
    const human = await gh('drift', 'history', 'churn@1', '--limit', '2');
    expect(human.out.split('\n')[0]).toMatch(/^id\s+checked\s+model\s+rows\s+drift\s+drifted/);
    expect(human.out.trim().split('\n')).toHaveLength(3);
    // Without a model: the newest check of every model.
    const overview = JSON.parse((await gh('drift', 'history', '--json')).out) as DriftCheckSummary[];
    expect(overview).toEqual([list[0]]);

    const back = await gh('drift', 'handback', String(ran.id), '--name', 'customers-late', '--json');
    expect(back.code, back.err).toBe(0);
    expect(JSON.parse(back.out) as DriftHandBackResult).toMatchObject({ outcome: 'created', name: 'customers-late', version: 1, checkId: ran.id, labelled: true, target: 'churned' });
    const again = await gh('drift', 'handback', String(ran.id), '--name', 'customers-late');
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/^customers-late@1 already holds these bytes: candidate retraining data of churn@1 \(check \d+\), labelled \(it has the target column churned\)\./);

    const set = await gh('drift', 'settings', 'churn', 'js=0.2', 'pValue=0.01', '--json');
    expect(set.code, set.err).toBe(0);
    expect(JSON.parse(set.out) as DriftSettings).toMatchObject({ custom: true, thresholds: { js: 0.2, pValue: 0.01, psiModerate: 0.1 } });
    expect((await gh('drift', 'settings', 'churn')).out).toMatch(/^churn: set by .* at .*\n\s+psiModerate\s+0\.1\n/);
    const used = JSON.parse((await gh('drift', 'churn', '--data', calm, '--json')).out) as DriftCheck;
    expect(used.thresholds).toMatchObject({ js: 0.2, pValue: 0.01 });
    expect((await gh('drift', 'settings', 'churn', 'psiModerate=0.5')).code).toBe(1);
    expect(JSON.parse((await gh('drift', 'settings', 'churn', '--reset', '--json')).out)).toMatchObject({ custom: false, thresholds: { js: 0.1 } });
  }, 120_000);

  it('documents itself in --help', async () => {
    const help = await runCliCaptured(['drift', '--help']);
    expect(help.code).toBe(0);
    for (const s of ['--data <file>', '--fail-on-drift', '--threshold <key=value>', 'history [options] [model]', 'handback [options] <check>', 'greenhouse drift handback 12 --name', 'settings [options] <model> [pairs...]', 'Exit 0 when the check ran']) expect(help.out).toContain(s);
    expect((await runCliCaptured(['--help'])).out).toMatch(/drift \[options\] <target>/);
  });
});
