// Writing a bundle through the backend: the real job worker, catalog, object store, signing key,
// and Debian's Python running the bundle's own generated tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../test-support/backend.js';
import { runCliCaptured } from '../../test-support/cli.js';
import { DEBIAN_PYTHON, trainModel, writeCustomersCsv } from '../../test-support/models.js';
import { BUNDLE_DOCUMENTS, BUNDLE_FILES } from './layout.js';
import { verifyBundle } from './verify.js';
import type { BundleTaskOutput } from './write-bundle.js';

let t: TestBackend;
beforeEach(async () => {
  t = await startTestBackend();
});
afterEach(() => t.close());

async function registeredModel() {
  mkdirSync(join(t.ws, 'data'));
  const csv = writeCustomersCsv(join(t.ws, 'data', 'customers.csv'), 300);
  expect((await t.finish(await t.call('datasets.register', { path: csv, name: 'customers' }))).state).toBe('succeeded');
  const model = trainModel(csv, join(t.ws, 'model.joblib'), 'pipeline');
  const job = await t.finish(await t.call('models.register', { path: model, name: 'churn', training: { dataset: { name: 'customers' }, target: 'churned' }, python: DEBIAN_PYTHON, sampleSize: 40 }));
  expect(job.error).toBeNull();
}

describe('bundles', () => {
  it('writes a signed bundle whose generated tests pass in the analyst\'s Python, and freezes the model version', async () => {
    await registeredModel();
    const job = await t.finish(await t.call('bundles.create', { model: 'churn', options: { strategy: 'base', baseImage: 'greenhouse/python-base:bookworm' } }));
    expect(job.error).toBeNull();
    const out = job.result as BundleTaskOutput;
    expect(out.path).toBe(join(t.ws, 'bundles', 'churn-1'));
    expect(out.imageTag).toBe('greenhouse/churn:1');
    // Every file of the layout; the documents about the bundle (readiness, reviews) come with export and review.
    for (const f of Object.values(BUNDLE_FILES).filter((f) => f !== 'model' && !BUNDLE_DOCUMENTS.includes(f))) expect(existsSync(join(out.path, f)), f).toBe(true);
    for (const f of BUNDLE_DOCUMENTS) expect(existsSync(join(out.path, f)), f).toBe(false);
    expect(existsSync(join(out.path, 'model', 'model.joblib'))).toBe(true);

    const dockerfile = readFileSync(join(out.path, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM greenhouse\/python-base:bookworm$/m);
    expect(dockerfile).toContain('RUN python3 check_versions.py');
    expect(readFileSync(join(out.path, 'requirements.txt'), 'utf8')).toMatch(/^scikit-learn==1\.2\.1$/m);
    const manifest = JSON.parse(readFileSync(join(out.path, 'manifest.json'), 'utf8')) as { model: { sha256: string }; provenance: { datasets: { role: string }[]; environment: { python: string } } };
    expect(manifest.provenance.datasets.map((d) => d.role)).toEqual(['training']);
    expect(manifest.provenance.environment.python).toMatch(/^3\.11/);
    expect(readFileSync(join(out.path, 'model-card.md'), 'utf8')).toMatch(/^# Model card: churn v1/);

    const report = await verifyBundle(out.path);
    expect(report.ok).toBe(true);
    expect(report.signature.fingerprint).toBe(out.fingerprint);

    // The bundle's own tests, run where the model was trained: load, signature, golden parity, bad input, latency.
    const pytest = spawnSync(DEBIAN_PYTHON, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/'], { cwd: out.path, encoding: 'utf8', env: { ...process.env, GREENHOUSE_LATENCY_BUDGET_MS: '2000' } });
    expect(pytest.status, pytest.stdout + pytest.stderr).toBe(0);
    expect(pytest.stdout).toMatch(/\d+ passed/);

    const model = await t.call('models.get', { name: 'churn' });
    expect(model.version.bundled).toBe(true);
    await expect(t.call('models.updateCard', { name: 'churn', version: 1, card: { factors: 'x' } })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await t.call('bundles.list', {})).toMatchObject([{ name: 'churn', version: 1, strategy: 'base', imageTag: 'greenhouse/churn:1' }]);
    expect((await t.call('bundles.get', { name: 'churn', version: 1 })).files.length).toBe(report.files.checked);
    expect((await t.call('audit.list', { limit: 10 })).map((a) => a.action)).toContain('bundle.written');

    // Written again: replaced whole, still verifies.
    const again = await t.finish(await t.call('bundles.create', { model: 'churn', version: 1, options: { strategy: 'pip' } }));
    expect(again.error).toBeNull();
    expect(readFileSync(join(out.path, 'Dockerfile'), 'utf8')).toMatch(/^FROM python:3\.11-slim$/m);
    expect((await verifyBundle(out.path)).ok).toBe(true);
    expect(await t.call('bundles.list', {})).toHaveLength(1);
  }, 180_000);

  it('greenhouse bundle create and greenhouse verify: a tampered file fails verification', async () => {
    await registeredModel();
    await t.close();
    const created = await runCliCaptured(['bundle', 'create', 'churn@1', '--strategy', 'base', '--json', '--workspace', t.ws]);
    expect(created.code, created.err).toBe(0);
    const out = JSON.parse(created.out) as BundleTaskOutput;
    const ok = await runCliCaptured(['verify', out.path]);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/Verified: \d+ files/);
    appendFileSync(join(out.path, 'model', 'golden.json'), ' ');
    const bad = await runCliCaptured(['verify', out.path, '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({ ok: false, files: { mismatched: [expect.objectContaining({ path: 'model/golden.json' })] } });
    expect(execFileSync('ls', [join(t.ws, 'bundles')], { encoding: 'utf8' }).trim()).toBe('churn-1');
  }, 180_000);
});
