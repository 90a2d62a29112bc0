// Building a bundle's image and smoke-testing it through the backend, against the real Docker
// engine and the local base image (scripts/base-image.sh): the job worker, the catalog, the
// engine's classic builder, a container on host networking bound to 127.0.0.1 only.
// CI starts both and sets CI=true, where a missing engine is a failure; elsewhere the suite says why it skips.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, MethodInput, MethodName, MethodOutput, SmokeTestResult } from '../../../shared/contract/index.js';
import { runCliCaptured } from '../../test-support/cli.js';
import { DEBIAN_PYTHON, trainModel, writeCustomersCsv } from '../../test-support/models.js';
import { Backend } from '../backend.js';
import { DockerService } from '../docker/docker-service.js';
import { dispatch } from '../rpc/dispatch.js';
import type { BuildTaskOutput } from './build-task.js';
import { BUNDLE_LABEL, SERVICE_UID } from './dockerfile.js';

const BASE_IMAGE = process.env.GREENHOUSE_BASE_IMAGE ?? 'greenhouse/python-base:bookworm';
const engine = new DockerService();
const available = await engine.status().then(() => true, () => false);
const hasBase = available && (await (await engine.client()).docker.getImage(BASE_IMAGE).inspect().then(() => true, () => false));
const runIt = Boolean(available && hasBase);
if (!runIt && process.env.CI) throw new Error(`CI needs a running Docker engine and ${BASE_IMAGE} (scripts/base-image.sh).`);

/** One backend and workspace for the whole file (test-support's temp folders go after each test). */
async function startBackend(root: string) {
  const backend = new Backend({ mode: 'cli', configDir: join(root, 'config'), actor: 'tester', docker: engine });
  const call = async <N extends MethodName>(method: N, input: MethodInput<N>): Promise<MethodOutput<N>> => {
    const r = await dispatch(backend.handlers, method, input);
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.value as MethodOutput<N>;
  };
  const ws = join(root, 'ws');
  await call('workspace.create', { path: ws });
  return { backend, ws, call, finish: (job: { id: string }, timeoutMs = 120_000) => call('jobs.wait', { id: job.id, timeoutMs }), close: () => backend.close() };
}

describe.skipIf(!runIt)(`bundle images: build and smoke test on ${BASE_IMAGE} (needs an engine and the base image)`, () => {
  let root: string;
  let t: Awaited<ReturnType<typeof startBackend>>;
  let bundleDir: string;
  let modelSha: string;
  const updates: Job[] = [];

  /** Containers still carrying the bundle's label (the build's intermediate ones, smoke-test ones). */
  const containersOfModel = async () => {
    const { docker } = await engine.client();
    return docker.listContainers({ all: true, filters: { label: [`${BUNDLE_LABEL}=churn`] } });
  };

  /** Edit a bundle file for one test, then put it back as it was. */
  const withEdited = async (file: string, edit: (text: string) => string, body: () => Promise<void>) => {
    const path = join(bundleDir, file);
    const original = readFileSync(path);
    writeFileSync(path, edit(original.toString('utf8')));
    try {
      await body();
    } finally {
      writeFileSync(path, original);
    }
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gh-build-smoke-'));
    t = await startBackend(root);
    t.backend.events.onAny((name, payload) => {
      if (name === 'jobs.onUpdate') updates.push(payload as Job);
    });
    mkdirSync(join(t.ws, 'data'));
    const csv = writeCustomersCsv(join(t.ws, 'data', 'customers.csv'), 300);
    expect((await t.finish(await t.call('datasets.register', { path: csv, name: 'customers' }))).state).toBe('succeeded');
    const model = trainModel(csv, join(t.ws, 'model.joblib'), 'pipeline');
    const reg = await t.finish(await t.call('models.register', { path: model, name: 'churn', training: { dataset: { name: 'customers' }, target: 'churned' }, python: DEBIAN_PYTHON, sampleSize: 40 }));
    expect(reg.error).toBeNull();
    const created = await t.finish(await t.call('bundles.create', { model: 'churn', options: { strategy: 'base', baseImage: BASE_IMAGE } }));
    expect(created.error).toBeNull();
    bundleDir = (created.result as { path: string }).path;
    modelSha = (await t.call('models.get', { name: 'churn' })).version.sha256;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    const { docker } = await engine.client();
    await docker.getImage('greenhouse/churn:1').remove({ force: true }).catch(() => undefined);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('builds greenhouse/churn:1 with the build log as progress, OCI labels and a numeric user, and records the image', async () => {
    const job = await t.finish(await t.call('bundles.build', { name: 'churn' }), 300_000);
    expect(job.error).toBeNull();
    expect(job.state).toBe('succeeded');
    const out = job.result as BuildTaskOutput;
    expect(out.tag).toBe('greenhouse/churn:1');
    expect(out.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(out.manifest).toEqual({ ok: true, problems: [] });

    // The log streamed live: every line arrives (batched by newlines, as progress is throttled),
    // every "Step N/M" of the build in order, each message's fraction that of its last step.
    const messages = updates.filter((u) => u.id === job.id);
    const stepLines = messages.flatMap((u) => u.message.split('\n')).filter((l) => /^Step \d+\/\d+ :/.test(l));
    const total = Number(/^Step \d+\/(\d+)/.exec(stepLines[0] ?? '')?.[1]);
    expect(total).toBeGreaterThan(5);
    expect(stepLines.map((l) => Number(/^Step (\d+)/.exec(l)![1])), JSON.stringify(messages.map((u) => [u.progress, u.message.slice(0, 300)]))).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    for (const u of messages) {
      const last = u.message.split('\n').filter((l) => /^Step \d+\/\d+ :/.test(l)).at(-1);
      if (last) expect(u.progress).toBeCloseTo(Math.min(0.99, Number(/^Step (\d+)/.exec(last)![1]) / total), 5);
    }

    const { docker } = await engine.client();
    const image = await docker.getImage('greenhouse/churn:1').inspect();
    expect(image.Id).toBe(out.imageId);
    expect(image.Config.User).toBe(`${SERVICE_UID}:${SERVICE_UID}`);
    expect(image.Config.User).toMatch(/^\d+(:\d+)?$/);
    expect(image.Config.Labels).toMatchObject({
      'org.opencontainers.image.title': 'churn',
      'org.opencontainers.image.version': '1',
      'org.opencontainers.image.base.name': BASE_IMAGE,
      'io.greenhouse.model.sha256': modelSha,
    });
    expect(image.Config.Labels['org.opencontainers.image.created']).toMatch(/^\d{4}-\d\d-\d\dT/);

    const detail = await t.call('bundles.get', { name: 'churn', version: 1 });
    expect(detail.image).toMatchObject({ id: out.imageId, tag: 'greenhouse/churn:1' });
    expect(detail.lastBuild).toMatchObject({ state: 'succeeded', imageId: out.imageId, manifestOk: true });
    expect((await t.call('audit.list', { limit: 20 })).find((a) => a.action === 'bundle.built')).toMatchObject({ subject: 'churn@1', details: { imageId: out.imageId } });
  }, 300_000);

  it('smoke-tests the image on host networking: every golden example matches on both endpoints, bad input gets a 4xx, pytest passes, no container is left', async () => {
    const job = await t.finish(await t.call('bundles.smokeTest', { name: 'churn', version: 1, network: 'host' }), 300_000);
    expect(job.error).toBeNull();
    const r = job.result as SmokeTestResult;
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.passed).toBe(true);
    expect(r.network).toBe('host');
    expect(r.parity.examples).toBe(40);
    expect(r.parity.predict).toEqual({ matched: 40, mismatched: 0 });
    expect(r.parity.v2).toEqual({ matched: 40, mismatched: 0 });
    expect(r.parity.maxDifference).toBeLessThanOrEqual(r.parity.tolerance);
    expect(r.malformedRejected).toBe(true);
    expect(r.malformed.length).toBeGreaterThanOrEqual(8);
    expect(r.malformed.every((m) => m.status! >= 400 && m.status! < 500)).toBe(true);
    expect(r.latencyMs.requests).toBe(50);
    expect(r.latencyMs.p50).toBeGreaterThan(0);
    expect(r.latencyMs.p95).toBeGreaterThanOrEqual(r.latencyMs.p50!);
    expect(r.metrics).toMatchObject({ ok: true });
    expect(r.metrics.predictRequests).toBeGreaterThanOrEqual(54);
    expect(r.pytest).toMatchObject({ ran: true, exitCode: 0, failed: 0, errors: 0 });
    expect(r.pytest.passed).toBeGreaterThan(0);
    expect(r.checks.map((c) => c.id)).toEqual(['ready', 'metadata', 'parity.predict', 'parity.v2', 'malformed', 'metrics', 'pytest', 'shutdown']);

    expect(await containersOfModel()).toEqual([]);
    const detail = await t.call('bundles.get', { name: 'churn', version: 1 });
    expect(detail.smoke).toMatchObject({ passed: true, imageId: r.image.id });
    expect(detail.lastSmokeTest).toMatchObject({ passed: true, parity: { examples: 40 } });
    expect((await t.call('audit.list', { limit: 20 })).find((a) => a.action === 'bundle.smoke_tested')).toMatchObject({ subject: 'churn@1', details: { passed: true } });
  }, 300_000);

  it('fails a build whose pins the base image does not have, naming the library, and keeps the failure', async () => {
    await withEdited('requirements.txt', (text) => text.replace(/^scikit-learn==.*$/m, 'scikit-learn==9.9.9'), async () => {
      const job = await t.finish(await t.call('bundles.build', { name: 'churn', version: 1 }), 120_000);
      expect(job.state).toBe('failed');
      expect(job.error).toMatchObject({ code: 'INVALID_INPUT' });
      expect(job.error!.message).toMatch(/scikit-learn: the model needs 9\.9\.9, the base image has 1\.2\.1/);
      expect(job.error!.message).toContain(BASE_IMAGE);
      // The edit broke the signed manifest; the build says so but still reports the real cause.
      expect(job.error!.message).toMatch(/no longer matches its signed manifest: requirements\.txt changed/);
      expect(job.error!.remedy).toMatch(/--strategy pip/);
      await expect.poll(async () => (await t.call('bundles.get', { name: 'churn', version: 1 })).lastBuild?.state).toBe('failed');
      expect(await containersOfModel()).toEqual([]);
    });
  }, 120_000);

  it('a container that never gets ready fails the smoke test with its log, and is removed', async () => {
    await withEdited('model/model.joblib', () => 'not a model', async () => {
      expect((await t.finish(await t.call('bundles.build', { name: 'churn', version: 1 }), 120_000)).state).toBe('succeeded');
      const job = await t.finish(await t.call('bundles.smokeTest', { name: 'churn', version: 1, network: 'host', timeoutSeconds: 30 }), 120_000);
      expect(job.state).toBe('succeeded');
      const r = job.result as SmokeTestResult;
      expect(r.passed).toBe(false);
      expect(r.checks).toEqual([expect.objectContaining({ id: 'ready', ok: false, message: expect.stringMatching(/the container stopped \(exit code 1\)/) })]);
      expect(r.containerLogs).toMatch(/model/i);
      expect(r.readyMs).toBeNull();
      expect(await containersOfModel()).toEqual([]);
      expect((await t.call('bundles.get', { name: 'churn', version: 1 })).smoke).toMatchObject({ passed: false });
    });
  }, 120_000);

  it('names a missing base image', async () => {
    await withEdited('Dockerfile', (text) => text.replace(/^FROM .*$/m, 'FROM greenhouse-test/no-such-base:1'), async () => {
      const job = await t.finish(await t.call('bundles.build', { name: 'churn', version: 1 }), 120_000);
      expect(job.state).toBe('failed');
      expect(job.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('The base image greenhouse-test/no-such-base:1 is not on this machine and the engine could not pull it') });
      expect(job.error!.remedy).toContain('docker pull greenhouse-test/no-such-base:1');
    });
  }, 120_000);

  it('cancels a build mid-way and leaves no container behind', async () => {
    const marker = `cancel-${Date.now()}`;
    await withEdited('Dockerfile', (text) => text.replace(/^ENV /m, `RUN echo ${marker} && sleep 120\nENV `), async () => {
      const started = await t.call('bundles.build', { name: 'churn', version: 1 });
      // Wait until the engine runs the slow step in an intermediate container.
      await expect.poll(async () => (await containersOfModel()).filter((c) => c.State === 'running').length, { timeout: 60_000, interval: 200 }).toBeGreaterThan(0);
      expect(updates.some((u) => u.id === started.id && u.message.includes(marker))).toBe(true);
      // One job at a time per bundle: a second build, a rewrite or an export now would mix their files and records.
      for (const second of [() => t.call('bundles.build', { name: 'churn' }), () => t.call('bundles.create', { model: 'churn', options: { strategy: 'base', baseImage: BASE_IMAGE } }), () => t.call('bundles.export', { name: 'churn' })]) {
        await expect(second()).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('Build greenhouse/churn:1') });
      }
      await t.call('jobs.cancel', { id: started.id });
      const job = await t.finish(started, 30_000);
      expect(job.state).toBe('cancelled');
      expect(await containersOfModel()).toEqual([]);
      // Free again once it ended: an export is no longer refused as busy (its gates decide now).
      await expect(t.call('bundles.export', { name: 'churn' })).rejects.toMatchObject({ code: 'GATE_FAILED' });
      // The recorded image is still the last good build.
      expect((await t.call('bundles.get', { name: 'churn', version: 1 })).image).not.toBeNull();
    });
  }, 120_000);

  it('greenhouse bundle build and bundle smoke --network host --json', async () => {
    await t.close();
    const env = { DOCKER_HOST: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock' };
    const built = await runCliCaptured(['bundle', 'build', 'churn@1', '--json', '--workspace', t.ws], undefined, env);
    expect(built.code, built.err + built.out).toBe(0);
    expect(JSON.parse(built.out)).toMatchObject({ tag: 'greenhouse/churn:1', imageId: expect.stringMatching(/^sha256:/) });
    const smoke = await runCliCaptured(['bundle', 'smoke', 'churn', '--network', 'host', '--json', '--workspace', t.ws], undefined, env);
    expect(smoke.code, smoke.err + smoke.out).toBe(0);
    expect(JSON.parse(smoke.out)).toMatchObject({ passed: true, malformedRejected: true, parity: { predict: { mismatched: 0 }, v2: { mismatched: 0 } } });
    const down = await runCliCaptured(['bundle', 'build', 'churn@1', '--workspace', t.ws]);
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/No container engine answered/);
    expect(await containersOfModel()).toEqual([]);
  }, 300_000);
});
