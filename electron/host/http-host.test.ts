import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_CATALOG_VERSION } from '../services/catalog/migrations/index.js';
import WebSocket from 'ws';
import { METHOD_NAMES, type MethodName } from '../../shared/contract/index.js';
import { Backend } from '../services/backend.js';
import { DockerService } from '../services/docker/docker-service.js';
import { DEBIAN_PYTHON, trainModel, writeCustomersCsv } from '../test-support/models.js';
import { writeNotebook } from '../test-support/notebooks.js';
import { tempDir } from '../test-support/temp.js';
import { startHost, type RunningHost } from './http-host.js';

let backend: Backend;
let host: RunningHost;
let rendererDir: string;

beforeEach(async () => {
  rendererDir = tempDir();
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Greenhouse</title>');
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  backend = new Backend({
    mode: 'browser',
    configDir: tempDir(),
    actor: 'tester',
    // No engine anywhere: docker.status must answer DOCKER_UNAVAILABLE, not hang.
    docker: new DockerService(() => [{ label: 'unix:///nonexistent/docker.sock', options: { socketPath: '/nonexistent/docker.sock' } }]),
  });
  host = await startHost({ backend, rendererDir });
});

afterEach(async () => {
  await host.close();
  await backend.close();
});

const base = () => `http://127.0.0.1:${host.port}`;
const auth = () => ({ Authorization: `Bearer ${host.token}` });
const rpc = async (method: string, input: unknown, headers: Record<string, string> = auth()) => {
  const res = await fetch(`${base()}/api/rpc/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; value?: any; error?: any } };
};

describe('access control', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(host.server.address()).toMatchObject({ address: '127.0.0.1' });
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  });

  it('refuses requests without the token or with a wrong one', async () => {
    expect((await fetch(`${base()}/`)).status).toBe(401);
    expect((await fetch(`${base()}/assets/app.js`)).status).toBe(401);
    expect((await rpc('app.info', {}, {})).status).toBe(401);
    const wrong = await rpc('app.info', {}, { Authorization: 'Bearer nope' });
    expect(wrong).toMatchObject({ status: 401, body: { ok: false, error: { code: 'UNAUTHORIZED' } } });
    expect((await fetch(`${base()}/?token=wrong`, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${base()}/`, { headers: { Cookie: 'greenhouse_token=wrong' } })).status).toBe(401);
  });

  it('trades the start URL token for an HttpOnly SameSite cookie that then works', async () => {
    const res = await fetch(host.url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(`${base()}/`, { headers: { Cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<title>Greenhouse</title>');
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: '/', headers: { Host: 'evil.example:80', ...auth() } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('accepts JSON only, so a cross-site form cannot call methods', async () => {
    const res = await fetch(`${base()}/api/rpc/workspace.recent`, { method: 'POST', headers: { ...auth(), 'Content-Type': 'text/plain' }, body: '{}' });
    expect(res.status).toBe(415);
  });

  it('does not serve files outside the renderer folder', async () => {
    for (const path of ['/..%2f..%2fetc%2fpasswd', '/assets/..%2f..%2f..%2fetc%2fpasswd']) {
      const res = await fetch(`${base()}${path}`, { headers: auth() });
      expect([403, 404]).toContain(res.status);
    }
  });

  it('refuses a WebSocket without the token, and streams events with it', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${host.port}/api/events`);
    const err = await new Promise<Error>((resolve) => refused.on('error', resolve));
    expect(err.message).toMatch(/401/);

    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/events`, { headers: auth() });
    await new Promise((resolve) => ws.on('open', resolve));
    const events: { event: string; payload: any }[] = [];
    ws.on('message', (data) => events.push(JSON.parse(String(data))));
    const dir = tempDir();
    await rpc('workspace.create', { path: dir });
    const started = await rpc('objects.verify', {});
    await rpc('jobs.wait', { id: started.body.value.id });
    await new Promise((r) => setTimeout(r, 100));
    ws.close();
    const names = events.map((e) => e.event);
    expect(names).toContain('workspace.onChanged');
    expect(names).toContain('audit.onAppended');
    expect(events.filter((e) => e.event === 'jobs.onUpdate').at(-1)?.payload).toMatchObject({ id: started.body.value.id, state: 'succeeded' });
  });
});

describe('every contract method round-trips over HTTP', () => {
  it('answers bad JSON, bad input and unknown methods with error envelopes', async () => {
    const bad = await fetch(`${base()}/api/rpc/app.info`, { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body: '{nope' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await rpc('workspace.open', { path: 42 })).body).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await rpc('app.info', { extra: true })).body).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await rpc('no.such.method', {})).body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('covers each method', async () => {
    const ws = tempDir();
    const seen = new Set<MethodName>();
    const call = async (method: MethodName, input: unknown) => {
      seen.add(method);
      return (await rpc(method, input)).body;
    };

    expect(await call('app.info', {})).toMatchObject({ ok: true, value: { name: 'Greenhouse', mode: 'browser', nativeDialogs: false, user: 'tester' } });
    expect(await call('dialog.pickPath', { kind: 'directory' })).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
    expect(await call('workspace.current', {})).toEqual({ ok: true, value: null });
    expect(await call('audit.list', {})).toMatchObject({ ok: false, error: { code: 'NO_WORKSPACE' } });
    const created = await call('workspace.create', { path: ws, name: 'Churn model' });
    expect(created).toMatchObject({ ok: true, value: { path: ws, name: 'Churn model', catalogVersion: LATEST_CATALOG_VERSION } });
    expect(await call('workspace.create', { path: ws })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await call('workspace.current', {})).toMatchObject({ ok: true, value: { path: ws } });
    expect(await call('workspace.recent', {})).toMatchObject({ ok: true, value: [{ path: ws, name: 'Churn model', exists: true }] });

    const job = await call('objects.verify', {});
    expect(job).toMatchObject({ ok: true, value: { kind: 'objects.verify', state: 'running' } });
    const id = (job.value as { id: string }).id;
    expect(await call('jobs.wait', { id })).toMatchObject({ ok: true, value: { id, state: 'succeeded', result: { checked: 0, corrupt: [] } } });
    expect(await call('jobs.get', { id })).toMatchObject({ ok: true, value: { id, state: 'succeeded' } });
    expect(await call('jobs.list', {})).toMatchObject({ ok: true, value: [{ id }] });
    expect(await call('jobs.cancel', { id })).toMatchObject({ ok: true, value: { id, state: 'succeeded' } });
    expect(await call('jobs.get', { id: 'missing' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const audit = await call('audit.list', { limit: 10 });
    expect((audit.value as { action: string }[]).map((e) => e.action)).toEqual(
      expect.arrayContaining(['workspace.created', 'job.started', 'job.succeeded', 'objects.verified']),
    );
    const docker = await call('docker.status', {});
    expect(docker).toMatchObject({ ok: false, error: { code: 'DOCKER_UNAVAILABLE' } });
    expect(docker.error.message).toContain('/nonexistent/docker.sock');
    expect(docker.error.remedy).toMatch(/Start Docker/);

    expect(await call('workspace.settings', {})).toEqual({ ok: true, value: { snapshotLimitBytes: 2 * 1024 ** 3, modelLimitBytes: 2 * 1024 ** 3, smokeNetwork: 'publish' } });
    expect(await call('workspace.updateSettings', { snapshotLimitBytes: 10 })).toEqual({ ok: true, value: { snapshotLimitBytes: 10, modelLimitBytes: 2 * 1024 ** 3, smokeNetwork: 'publish' } });
    expect(await call('workspace.updateSettings', { smokeNetwork: 'bridge' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('workspace.updateSettings', { snapshotLimitBytes: -1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    // Datasets: register, a new version, list, get, diff, datasheet.
    const csv = join(tempDir(), 'customers.csv');
    writeFileSync(csv, 'age,plan\n31,basic\n45,pro\n28,basic\n');
    const reg = await call('datasets.register', { path: csv });
    expect(reg).toMatchObject({ ok: true, value: { kind: 'datasets.register', state: 'running' } });
    expect(await call('jobs.wait', { id: reg.value.id })).toMatchObject({
      ok: true,
      value: { state: 'succeeded', result: { outcome: 'created', name: 'customers', version: 1 } },
    });
    writeFileSync(csv, 'age,plan\n31,basic\n45,pro\n28,basic\n60,pro\n');
    const reg2 = await call('datasets.register', { path: csv });
    expect((await call('jobs.wait', { id: reg2.value.id })).value.result).toMatchObject({ outcome: 'new-version', version: 2 });
    expect(await call('datasets.list', { query: 'cust' })).toMatchObject({ ok: true, value: [{ name: 'customers', latestVersion: 2, rows: 4, versions: 2 }] });
    expect(await call('datasets.list', { query: 'nothing-like-it' })).toEqual({ ok: true, value: [] });
    const detail = await call('datasets.get', { name: 'customers', version: 1 });
    expect(detail).toMatchObject({ ok: true, value: { name: 'customers', version: { version: 1, rows: 3, snapshot: 'reference' } } });
    expect(await call('datasets.get', { name: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('datasets.diff', { name: 'customers', from: 1, to: 2 })).toMatchObject({ ok: true, value: { rows: { from: 3, to: 4 }, added: [], removed: [] } });
    expect(await call('datasets.updateDatasheet', { name: 'customers', datasheet: { owner: 'Ana', personalData: 'no' } })).toMatchObject({
      ok: true,
      value: { owner: 'Ana', personalData: 'no', description: '' },
    });

    // Notebooks: register, lint, list, get with its link to the dataset, reproduce.
    const nbPath = join(ws, 'train.ipynb');
    writeNotebook(nbPath, [{ source: `import pandas as pd\ndf = pd.read_csv(${JSON.stringify(csv)})`, executionCount: 1 }]);
    const nbJob = await call('notebooks.register', { path: nbPath });
    expect((await call('jobs.wait', { id: nbJob.value.id })).value).toMatchObject({ state: 'succeeded', result: { outcome: 'created', name: 'train' } });
    const lint = await call('notebooks.lint', { path: nbPath });
    expect((await call('jobs.wait', { id: lint.value.id })).value).toMatchObject({ state: 'succeeded', result: { analysis: { cells: { code: 1 } } } });
    expect(await call('notebooks.list', {})).toMatchObject({ ok: true, value: [{ name: 'train', latestVersion: 1 }] });
    expect(await call('notebooks.get', { name: 'train' })).toMatchObject({ ok: true, value: { links: [{ kind: 'dataset', name: 'customers', version: 2 }] } });
    const run = await call('notebooks.run', { name: 'train', python: '/usr/bin/python3', timeoutSeconds: 60 });
    expect((await call('jobs.wait', { id: run.value.id, timeoutMs: 60_000 })).value).toMatchObject({ state: 'succeeded', result: { state: 'passed' } });

    // Environments and models: capture, detect, compare, scan, register, read, edit, lineage.
    const env = await call('environments.capture', { python: DEBIAN_PYTHON, name: 'debian' });
    expect((await call('jobs.wait', { id: env.value.id })).value).toMatchObject({ state: 'succeeded', result: { outcome: 'created', name: 'debian', version: 1 } });
    expect(await call('environments.list', {})).toMatchObject({ ok: true, value: [{ name: 'debian', source: 'interpreter' }] });
    expect((await call('environments.detect', {})).value.map((c: { path: string }) => c.path)).toContain('/usr/bin/python3');
    expect(await call('environments.compare', { from: { name: 'debian' }, to: { name: 'debian', version: 1 } })).toMatchObject({ ok: true, value: { added: [], removed: [], changed: [] } });
    const people = writeCustomersCsv(join(ws, 'people.csv'), 120);
    await call('jobs.wait', { id: (await call('datasets.register', { path: people, name: 'people' })).value.id });
    const modelPath = trainModel(people, join(ws, 'model.joblib'), 'classifier');
    const scanJob = await call('models.scan', { path: modelPath });
    expect((await call('jobs.wait', { id: scanJob.value.id })).value).toMatchObject({ state: 'succeeded', result: { safe: true, format: 'joblib' } });
    const modelJob = await call('models.register', { path: modelPath, training: { dataset: { name: 'people' }, target: 'churned' }, environment: { name: 'debian' }, sampleSize: 10 });
    expect((await call('jobs.wait', { id: modelJob.value.id, timeoutMs: 60_000 })).value).toMatchObject({ state: 'succeeded', result: { name: 'model', version: 1 } });
    expect(await call('models.list', {})).toMatchObject({ ok: true, value: [{ name: 'model', className: 'LogisticRegression', safe: true }] });
    expect(await call('models.get', { name: 'model' })).toMatchObject({ ok: true, value: { golden: { count: 10 }, lineage: { environment: { name: 'debian', version: 1 } } } });
    expect(await call('models.updateCard', { name: 'model', version: 1, card: { factors: 'Age bands.' } })).toMatchObject({ ok: true, value: { factors: 'Age bands.' } });
    expect(await call('models.recordMetrics', { name: 'model', version: 1, values: { accuracy: 0.8 } })).toMatchObject({ ok: true, value: { source: 'form' } });
    expect((await call('environments.get', { name: 'debian' })).value.usedBy).toEqual([{ model: 'model', version: 1, mismatches: [] }]);
    expect((await call('lineage.graph', { focus: 'model:model@1' })).value.edges).toContainEqual({ source: 'dataset:people@1', target: 'model:model@1', relation: 'trained' });

    // Bundles: write, list, read, verify.
    const bundleJob = await call('bundles.create', { model: 'model', options: { strategy: 'base', baseImage: 'greenhouse/python-base:bookworm' } });
    const written = (await call('jobs.wait', { id: bundleJob.value.id, timeoutMs: 60_000 })).value;
    expect(written).toMatchObject({ state: 'succeeded', result: { imageTag: 'greenhouse/model:1' } });
    expect(await call('bundles.list', {})).toMatchObject({ ok: true, value: [{ name: 'model', version: 1, strategy: 'base' }] });
    expect(await call('bundles.get', { name: 'model', version: 1 })).toMatchObject({ ok: true, value: { imageTag: 'greenhouse/model:1' } });
    const verifyJob = await call('bundles.verify', { path: (written.result as { path: string }).path });
    expect((await call('jobs.wait', { id: verifyJob.value.id })).value).toMatchObject({ state: 'succeeded', result: { ok: true } });
    // Building and smoke-testing need the engine, which this backend deliberately lacks: refused at once, with what to do.
    const build = await call('bundles.build', { name: 'model', version: 1 });
    expect(build).toMatchObject({ ok: false, error: { code: 'DOCKER_UNAVAILABLE', remedy: expect.stringMatching(/Start Docker/) } });
    expect(await call('bundles.smokeTest', { name: 'model', network: 'host' })).toMatchObject({ ok: false, error: { code: 'DOCKER_UNAVAILABLE' } });
    expect(await call('bundles.build', { name: 'nothing' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('bundles.get', { name: 'model', version: 1 })).toMatchObject({ ok: true, value: { image: null, smoke: null, lastBuild: null, lastSmokeTest: null, status: 'written', lastExport: null } });
    // The wizard's plan works without an engine; it says so and offers no local images.
    expect(await call('bundles.plan', { model: 'model' })).toMatchObject({
      ok: true,
      value: { model: { name: 'model', version: 1 }, environment: { name: 'debian', python: expect.stringMatching(/^3\.11/) }, defaultBaseImage: 'python:3.11-slim', localImages: [], dockerAvailable: false, existing: { status: 'written' } },
    });
    const dockerfile = await call('bundles.readFile', { name: 'model', version: 1, path: 'Dockerfile' });
    expect(dockerfile).toMatchObject({ ok: true, value: { path: 'Dockerfile', truncated: false } });
    expect(dockerfile.value.text).toMatch(/^FROM greenhouse\/python-base:bookworm/m);
    expect((await call('bundles.readFile', { name: 'model', version: 1, path: 'model/model.joblib' })).value).toMatchObject({ text: null });
    expect(await call('bundles.readFile', { name: 'model', version: 1, path: '../../catalog.sqlite' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // Readiness without an image: the gates that need one fail, with what to do; manual checks can be attested.
    const readiness = await call('readiness.get', { name: 'model', version: 1 });
    expect(readiness).toMatchObject({ ok: true, value: { schema: 'greenhouse.readiness/1', gatesPassed: false, verdict: { ready: false } } });
    const gates = Object.fromEntries(readiness.value.gates.map((g: { id: string; passed: boolean }) => [g.id, g.passed]));
    expect(gates).toEqual({ 'image-builds': false, 'smoke-test': false, 'golden-parity': false, 'pickle-safe': true, 'no-secrets': true, 'dependencies-pinned': true, 'provenance-complete': true });
    expect(readiness.value.checks).toHaveLength(28);
    const attested = await call('readiness.attest', { name: 'model', version: 1, checkId: 'data.3', note: 'Both features come from the CRM export we already pay for.' });
    expect(attested.value.checks.find((c: { id: string }) => c.id === 'data.3')).toMatchObject({ status: 'pass', points: 0.5, basis: 'attested', attestation: { by: 'tester' } });
    expect(attested.value.score.data).toBe(readiness.value.score.data + 0.5);
    expect(await call('readiness.attest', { name: 'model', version: 1, checkId: 'infrastructure.3', note: 'it works' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await call('readiness.withdrawAttestation', { name: 'model', version: 1, checkId: 'data.3' })).value.score.data).toBe(readiness.value.score.data);
    expect(await call('readiness.overrideGate', { name: 'model', version: 1, gateId: 'no-secrets', reason: 'nothing to override here' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const reviewed = await call('readiness.review', { name: 'model', version: 1, decision: 'request-changes', comments: [{ checkId: 'smoke-test', text: 'Build and smoke-test it first.' }] });
    expect(reviewed.value.reviews).toEqual([expect.objectContaining({ reviewer: 'tester', decision: 'request-changes', comments: [{ checkId: 'smoke-test', text: 'Build and smoke-test it first.' }] })]);
    const json = await call('readiness.writeReport', { name: 'model', version: 1, format: 'json', out: join(tempDir(), 'readiness.json') });
    expect(json).toMatchObject({ ok: true, value: { path: expect.stringMatching(/readiness\.json$/), format: 'json' } });
    expect(JSON.parse(readFileSync(json.value.path, 'utf8'))).toMatchObject({ bundle: { name: 'model', version: 1 }, reviews: [{ decision: 'request-changes' }] });

    // Docker down: asking for the image says to build first; the gates keep it from leaving unless overridden with a reason.
    expect(await call('bundles.export', { name: 'model', includeImage: true })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', remedy: expect.stringMatching(/Build it first/) } });
    expect(await call('bundles.export', { name: 'model' })).toMatchObject({ ok: false, error: { code: 'GATE_FAILED', message: expect.stringContaining('The image builds'), remedy: expect.stringContaining('--override-gates') } });
    const exportJob = await call('bundles.export', { name: 'model', overrideGates: 'Operations build and smoke-test it in their own CI.' });
    const exported = (await call('jobs.wait', { id: exportJob.value.id, timeoutMs: 60_000 })).value;
    expect(exported).toMatchObject({ state: 'succeeded', result: { archive: join(ws, 'bundles', 'model-1.tar.gz'), includesImage: false, imageId: null } });
    expect((await call('bundles.list', {})).value[0].lastExport).toMatchObject({ archive: join(ws, 'bundles', 'model-1.tar.gz'), sha256: (exported.result as { sha256: string }).sha256 });
    expect((await call('readiness.get', { name: 'model', version: 1 })).value.gates.find((g: { id: string }) => g.id === 'image-builds')).toMatchObject({ passed: false, override: { by: 'tester', reason: 'Operations build and smoke-test it in their own CI.' } });
    const verifyArchive = await call('bundles.verify', { path: join(ws, 'bundles', 'model-1.tar.gz') });
    expect((await call('jobs.wait', { id: verifyArchive.value.id })).value).toMatchObject({
      state: 'succeeded',
      result: { ok: true, source: { kind: 'archive' }, bundle: { name: 'model', version: 1 }, rerun: { state: 'skipped', reason: expect.stringMatching(/does not include its image/) } },
    });

    // The in-app file picker lists the workspace by default, folders first, hidden entries on request.
    mkdirSync(join(ws, 'data'));
    writeFileSync(join(ws, 'notes.txt'), 'hello');
    const listing = await call('files.list', {});
    expect(listing).toMatchObject({ ok: true, value: { path: ws, truncated: false } });
    expect(listing.value.entries.map((e: { name: string; kind: string }) => `${e.kind}:${e.name}`)).toEqual(['directory:bundles', 'directory:data', 'file:model.joblib', 'file:notes.txt', 'file:people.csv', 'file:train.ipynb']);
    expect(listing.value.entries.find((e: { name: string }) => e.name === 'notes.txt')).toMatchObject({ bytes: 5 });
    const hidden = await call('files.list', { path: ws, showHidden: true });
    expect(hidden.value.entries.map((e: { name: string }) => e.name)).toContain('.greenhouse');
    expect(await call('files.list', { path: join(ws, 'missing') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining(join(ws, 'missing')) } });
    expect(await call('files.list', { path: join(ws, 'notes.txt') })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('files.list', { path: 'relative/dir' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await call('files.list', { path: '/' })).value.parent).toBeNull();

    expect(await call('workspace.close', {})).toEqual({ ok: true, value: null });
    expect(await call('workspace.current', {})).toEqual({ ok: true, value: null });
    expect(await call('workspace.open', { path: ws })).toMatchObject({ ok: true, value: { path: ws, name: 'Churn model' } });
    expect(await call('workspace.open', { path: join(ws, 'nope') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('workspace.forget', { path: ws })).toEqual({ ok: true, value: [] });

    expect(await call('workspace.open', { path: ws })).toMatchObject({ ok: true });
    // Drift: a batch of the training data's shape, checked, stored, handed back for retraining.
    const batch = writeCustomersCsv(join(tempDir(), 'batch.csv'), 60, 11);
    const driftJob = await call('drift.check', { model: 'model', data: batch });
    const checked = (await call('jobs.wait', { id: driftJob.value.id })).value;
    expect(checked).toMatchObject({ state: 'succeeded', result: { rows: 60 } });
    const checkId = (checked.result as { id: number }).id;
    expect(await call('drift.history', { model: 'model' })).toMatchObject({ ok: true, value: [{ id: checkId }] });
    expect(await call('drift.get', { id: checkId })).toMatchObject({ ok: true, value: { id: checkId } });
    expect(await call('drift.latest', {})).toMatchObject({ ok: true, value: [{ id: checkId, model: { name: 'model' } }] });
    const handBack = await call('drift.handBack', { id: checkId, name: 'people-batch' });
    expect((await call('jobs.wait', { id: handBack.value.id })).value).toMatchObject({ state: 'succeeded', result: { labelled: true } });
    expect(await call('drift.settings', { model: 'model' })).toMatchObject({ ok: true, value: { custom: false } });
    expect(await call('drift.updateSettings', { model: 'model', thresholds: { js: 0.2 } })).toMatchObject({ ok: true, value: { custom: true } });
    // The exported archive, opened for review (here, in its own workspace), reviewed, the review written into it.
    const openJob = await call('archives.open', { path: join(ws, 'bundles', 'model-1.tar.gz') });
    const openedArchive = (await call('jobs.wait', { id: openJob.value.id })).value;
    expect(openedArchive).toMatchObject({ state: 'succeeded', result: { name: 'model', version: 1, pendingReviews: 0 } });
    const archiveId = (openedArchive.result as { id: number }).id;
    expect(await call('archives.list', {})).toMatchObject({ ok: true, value: [{ id: archiveId }] });
    const reviewJob = await call('archives.review', { id: archiveId, decision: 'approve' });
    expect((await call('jobs.wait', { id: reviewJob.value.id })).value).toMatchObject({ state: 'succeeded', result: { pendingReviews: 0, lastReview: { decision: 'approve' } } });
    const rewrite = await call('archives.write', { id: archiveId });
    expect((await call('jobs.wait', { id: rewrite.value.id })).value).toMatchObject({ state: 'succeeded' });
    expect(await call('archives.get', { id: archiveId })).toMatchObject({ ok: true, value: { readiness: { reviews: [{ decision: 'request-changes' }, { decision: 'approve' }] } } });
    expect(await call('workspace.close', {})).toEqual({ ok: true, value: null });

    expect([...seen].sort()).toEqual([...METHOD_NAMES].sort());
  }, 120_000);
});

describe('upload of dropped files', () => {
  const upload = (name: string | null, body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${base()}/api/upload${name === null ? '' : `?name=${encodeURIComponent(name)}`}`, {
      method: 'PUT',
      headers: { ...auth(), 'Content-Type': 'application/octet-stream', ...headers },
      body,
    });

  it('streams the bytes into the workspace and answers the path, which then registers', async () => {
    const ws = tempDir();
    await rpc('workspace.create', { path: ws });
    const bytes = Buffer.from('id,score\n1,0.5\n2,0.7\n');
    const res = await upload('../../etc/scores.csv', bytes);
    expect(res.status).toBe(200);
    const { value } = (await res.json()) as { value: { path: string } };
    expect(value.path.startsWith(join(ws, '.greenhouse', 'uploads') + '/')).toBe(true);
    expect(value.path.endsWith('/scores.csv')).toBe(true);
    expect(readFileSync(value.path)).toEqual(bytes);
    const job = (await rpc('datasets.register', { path: value.path })).body.value;
    expect((await rpc('jobs.wait', { id: job.id })).body.value).toMatchObject({ state: 'succeeded', result: { name: 'scores', version: 1 } });
  });

  it('refuses without a workspace, a token, the octet-stream type, a name or PUT', async () => {
    expect(await (await upload('a.csv', 'x')).json()).toMatchObject({ ok: false, error: { code: 'NO_WORKSPACE' } });
    await rpc('workspace.create', { path: tempDir() });
    expect((await upload('a.csv', 'x', { Authorization: 'Bearer nope' })).status).toBe(401);
    expect((await upload('a.csv', 'x', { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect(await (await upload(null, 'x')).json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/no file name/) } });
    expect(await (await upload('...', 'x')).json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await fetch(`${base()}/api/upload?name=a.csv`, { method: 'POST', headers: auth() })).status).toBe(405);
  });

  it('leaves nothing behind when the upload is cut short', async () => {
    const ws = tempDir();
    await rpc('workspace.create', { path: ws });
    const { request } = await import('node:http');
    await new Promise<void>((done) => {
      const req = request(`${base()}/api/upload?name=big.csv`, {
        method: 'PUT',
        headers: { ...auth(), 'Content-Type': 'application/octet-stream', 'Content-Length': 1_000_000 },
      });
      req.on('error', () => done());
      req.write(Buffer.alloc(1000, 'a'));
      setTimeout(() => {
        req.destroy();
        setTimeout(done, 200);
      }, 100);
    });
    const uploads = join(ws, '.greenhouse', 'uploads');
    const left = () => (existsSync(uploads) ? readdirSync(uploads) : []);
    await expect.poll(left, { timeout: 3000 }).toEqual([]);
  });
});
