import { describe, expect, it } from 'vitest';
import type { Job } from '../../../shared/contract/index.js';
import { bundleDetail, bundleExport, bundlePlan, bundleSummary, buildJob, createJob, exportJob, smokeJob, smokeResult, verifyJob, verifyResult } from '../testing/bundle-fixtures.js';
import { createFakeTransport, fail } from '../testing/fake-transport.js';
import { job, workspaceInfo } from '../testing/fixtures.js';
import { bindEvents } from './bind-events.js';
import {
  appendToLog,
  bundleRoute,
  createAppStore,
  exportOutcome,
  selectBundle,
  selectOpJob,
  selectOpStart,
  selectShownBundle,
  selectWizardPlan,
  smokeOutcome,
  verifyOutcome,
  JOB_LOG_LINES,
} from './index.js';

const settle = () => new Promise((r) => setTimeout(r, 0));

function storeWith(handlers: Parameters<typeof createFakeTransport>[0] = {}) {
  const transport = createFakeTransport({ 'jobs.list': () => [], 'audit.list': () => [], 'workspace.current': () => workspaceInfo(), ...handlers });
  const store = createAppStore(transport, { storage: null });
  store.setState({ workspace: workspaceInfo() });
  return { store, transport };
}

describe('bundles slice: list, page, wizard', () => {
  it('loads the list and the page of a bundle by name and version', async () => {
    const { store, transport } = storeWith({ 'bundles.list': () => [bundleSummary()], 'bundles.get': ({ version }) => bundleDetail({ version }) });
    await store.getState().loadBundles();
    expect(store.getState()).toMatchObject({ bundlesStatus: 'ready', bundles: [{ name: 'churn', status: 'written' }] });
    store.getState().showBundle(bundleRoute('churn', { version: 1, tab: 'files' }));
    await store.getState().loadBundle('churn', 1);
    expect(transport.calls.at(-1)).toEqual({ method: 'bundles.get', input: { name: 'churn', version: 1 } });
    expect(selectShownBundle(store.getState())?.version).toBe(1);
    expect(selectBundle(store.getState(), 'churn', 1)?.name).toBe('churn');
    expect(selectBundle(store.getState(), 'churn', 2)).toBeNull();
  });

  it('a route without a version shows the model’s newest bundle; none is NOT_FOUND with what to do', async () => {
    const { store, transport } = storeWith({
      'bundles.list': () => [bundleSummary({ version: 1 }), bundleSummary({ version: 3 }), bundleSummary({ name: 'other', version: 9 })],
      'bundles.get': ({ version }) => bundleDetail({ version }),
    });
    store.getState().showBundle(bundleRoute('churn'));
    await store.getState().loadBundle('churn', null);
    expect(transport.calls.map((c) => c.input)).toEqual([{ model: 'churn' }, { name: 'churn', version: 3 }]);
    expect(selectShownBundle(store.getState())?.version).toBe(3);

    transport.handle({ 'bundles.list': () => [] });
    store.getState().showBundle(bundleRoute('fraud'));
    await store.getState().loadBundle('fraud', null);
    expect(store.getState()).toMatchObject({ bundleStatus: 'failed', bundleError: { code: 'NOT_FOUND' } });
    expect(store.getState().bundleError!.remedy).toContain('Package');
  });

  it('the wizard keeps its state for the same model version and starts afresh for another', () => {
    const { store } = storeWith();
    store.getState().openBundleWizard('churn', 1);
    store.getState().updateBundleWizard({ step: 'build', reached: 'build', strategy: 'base' });
    store.getState().showBundle(null);
    expect(store.getState().bundlesView).toBe('list');
    // Back to it (the hash, or "Package a model" without a model): where it was.
    store.getState().openBundleWizard(null, null);
    expect(store.getState()).toMatchObject({ bundlesView: 'wizard', bundleWizard: { model: 'churn', step: 'build', strategy: 'base' } });
    store.getState().openBundleWizard('churn', 1);
    expect(store.getState().bundleWizard?.step).toBe('build');
    store.getState().openBundleWizard('churn', 2);
    expect(store.getState().bundleWizard).toMatchObject({ model: 'churn', version: 2, step: 'model', reached: 'model', strategy: 'pip', tolerance: '1e-6' });
    store.getState().restartBundleWizard();
    expect(store.getState()).toMatchObject({ bundlesView: 'wizard', bundleWizard: { model: null, version: null, step: 'model', reached: 'model' } });
  });

  it('plans a model version; only the plan of the wizard’s choice is shown', async () => {
    const { store, transport } = storeWith({ 'bundles.plan': ({ model, version }) => bundlePlan({ model: { name: model, version: version ?? 4 } }) });
    await store.getState().planBundle('churn', null);
    expect(transport.calls[0]).toEqual({ method: 'bundles.plan', input: { model: 'churn' } });
    expect(selectWizardPlan(store.getState(), 'churn', null)?.model.version).toBe(4);
    expect(selectWizardPlan(store.getState(), 'churn', 2)).toBeNull();
    await store.getState().planBundle('churn', 2);
    expect(transport.calls[1]!.input).toEqual({ model: 'churn', version: 2 });
    expect(selectWizardPlan(store.getState(), 'churn', 2)?.model.version).toBe(2);
  });
});

describe('bundles slice: operations', () => {
  it('starts each operation as a job and follows it; smoke tests leave the network to the workspace setting', async () => {
    const { store, transport } = storeWith({
      'bundles.create': () => createJob(),
      'bundles.build': () => buildJob({ message: 'Connecting to the container engine…' }),
      'bundles.smokeTest': () => smokeJob(),
      'bundles.export': () => exportJob(),
      'bundles.verify': () => verifyJob(),
    });
    const s = () => store.getState();
    expect(await s().createBundle('churn', 1, { strategy: 'base', tolerance: 1e-6, baseImage: 'greenhouse/python-base:bookworm' })).toBe(true);
    expect(transport.calls[0]).toEqual({ method: 'bundles.create', input: { model: 'churn', version: 1, options: { strategy: 'base', tolerance: 1e-6, baseImage: 'greenhouse/python-base:bookworm' } } });
    await s().buildBundle('churn', 1);
    await s().smokeTestBundle('churn', 1);
    await s().exportBundle('churn', 1, true);
    await s().verifyBundle('churn', 1, '/w/bundles/churn-1.tar.gz');
    expect(transport.calls.slice(1).map((c) => [c.method, c.input])).toEqual([
      ['bundles.build', { name: 'churn', version: 1 }],
      ['bundles.smokeTest', { name: 'churn', version: 1, timeoutSeconds: 60 }],
      ['bundles.export', { name: 'churn', version: 1, includeImage: true }],
      ['bundles.verify', { path: '/w/bundles/churn-1.tar.gz', rerun: true }],
    ]);
    expect(selectOpStart(s(), 'churn', 1, 'build')).toEqual({ jobId: 'bbuild-1', error: null });
    expect(selectOpJob(s(), 'churn', 1, 'build')?.kind).toBe('bundles.build');
    expect(selectOpStart(s(), 'churn', 1, 'verify')?.path).toBe('/w/bundles/churn-1.tar.gz');
    // The first message starts the log.
    expect(s().bundleJobLogs['bbuild-1']?.lines).toEqual(['Connecting to the container engine…']);
    expect(selectOpStart(s(), 'churn', 2, 'build')).toBeNull();
  });

  it('exports past failing gates only with a reason, which is passed as overrideGates', async () => {
    const { store, transport } = storeWith({
      'bundles.export': ({ overrideGates }) => (overrideGates ? exportJob() : fail('GATE_FAILED', 'churn@1 cannot be exported: 1 hand-off gate fails.')),
    });
    expect(await store.getState().exportBundle('churn', 1, false)).toBe(false);
    expect(selectOpStart(store.getState(), 'churn', 1, 'export')?.error?.code).toBe('GATE_FAILED');
    expect(await store.getState().exportBundle('churn', 1, false, 'Operations build the image themselves.')).toBe(true);
    expect(transport.calls.map((c) => c.input)).toEqual([
      { name: 'churn', version: 1, includeImage: false },
      { name: 'churn', version: 1, includeImage: false, overrideGates: 'Operations build the image themselves.' },
    ]);
    expect(selectOpStart(store.getState(), 'churn', 1, 'export')).toEqual({ jobId: 'bexport-1', error: null });
  });

  it('keeps why an operation could not start (no container engine) until it is dismissed or started again', async () => {
    const { store } = storeWith({ 'bundles.build': () => fail('DOCKER_UNAVAILABLE', 'No container engine answered.') });
    expect(await store.getState().buildBundle('churn', 1)).toBe(false);
    expect(selectOpStart(store.getState(), 'churn', 1, 'build')).toMatchObject({ jobId: null, error: { code: 'DOCKER_UNAVAILABLE' } });
    store.getState().dismissBundleOp('churn', 1, 'build');
    expect(selectOpStart(store.getState(), 'churn', 1, 'build')).toBeNull();
  });

  it('an answer that arrives after the workspace changed is dropped, and the change clears the operations and logs', async () => {
    let answer: (j: Job) => void = () => undefined;
    const { store } = storeWith({ 'bundles.build': () => new Promise<Job>((r) => (answer = r)) });
    const started = store.getState().buildBundle('churn', 1);
    store.getState().openBundleWizard('churn', 1);
    store.getState().workspaceChanged(workspaceInfo({ path: '/elsewhere' }));
    answer(buildJob());
    expect(await started).toBe(false);
    expect(store.getState().bundleOps).toEqual({});
    expect(store.getState().bundleJobLogs).toEqual({});
    // The wizard stays open, empty: its model belonged to the other workspace.
    expect(store.getState()).toMatchObject({ bundlesView: 'wizard', bundleWizard: { model: null, step: 'model' } });
  });

  it('reads the results of finished jobs only when they have the contract’s shape', () => {
    expect(smokeOutcome(smokeJob({ state: 'succeeded', result: smokeResult() }))?.passed).toBe(true);
    expect(smokeOutcome(smokeJob({ state: 'succeeded', result: { passed: true } }))).toBeNull();
    expect(smokeOutcome(smokeJob({ state: 'running', result: smokeResult() }))).toBeNull();
    expect(exportOutcome(exportJob({ state: 'succeeded', result: bundleExport() }))?.archive).toContain('churn-1.tar.gz');
    expect(verifyOutcome(verifyJob({ state: 'succeeded', result: verifyResult() }))?.ok).toBe(true);
    expect(verifyOutcome(buildJob({ state: 'succeeded', result: verifyResult() }))).toBeNull();
  });
});

describe('bundles slice: job logs', () => {
  it('appends each new message as lines; a repeated message (a progress change) adds nothing', () => {
    let log = appendToLog(undefined, 'Step 1/3 : FROM base');
    log = appendToLog(log, 'Step 1/3 : FROM base');
    log = appendToLog(log, ' ---> 68a2c8295e8f');
    log = appendToLog(log, '');
    log = appendToLog(log, 'Failed: step 2/3 failed:\r\nERROR: no such file\nexit code 1');
    expect(log.lines).toEqual(['Step 1/3 : FROM base', ' ---> 68a2c8295e8f', 'Failed: step 2/3 failed:', 'ERROR: no such file', 'exit code 1']);
    expect(log.dropped).toBe(0);
  });

  it(`keeps the last ${JOB_LOG_LINES} lines and counts the rest`, () => {
    let log = appendToLog(undefined, 'line 0');
    for (let i = 1; i < JOB_LOG_LINES + 500; i++) log = appendToLog(log, `line ${i}`);
    expect(log.lines).toHaveLength(JOB_LOG_LINES);
    expect(log.dropped).toBe(500);
    expect(log.lines[0]).toBe('line 500');
    expect(log.lines.at(-1)).toBe(`line ${JOB_LOG_LINES + 499}`);
  });

  it('fills a bundle job’s log from its events, ignores other jobs, and keeps a dozen logs at most', () => {
    const { store, transport } = storeWith();
    bindEvents(store, transport);
    for (const message of ['Sending 31 files (0.1 MB) to the engine…', 'Step 1/12 : FROM greenhouse/python-base:bookworm', 'Step 1/12 : FROM greenhouse/python-base:bookworm']) {
      transport.emit('jobs.onUpdate', buildJob({ state: 'running', progress: 0.08, message }));
    }
    transport.emit('jobs.onUpdate', job({ id: 'v-1', kind: 'objects.verify', message: 'Hashing…' }));
    expect(store.getState().bundleJobLogs['bbuild-1']?.lines).toEqual(['Sending 31 files (0.1 MB) to the engine…', 'Step 1/12 : FROM greenhouse/python-base:bookworm']);
    expect(store.getState().bundleJobLogs['v-1']).toBeUndefined();
    for (let i = 0; i < 20; i++) transport.emit('jobs.onUpdate', buildJob({ id: `b-${i}`, state: 'running', message: `job ${i}` }));
    const ids = Object.keys(store.getState().bundleJobLogs);
    expect(ids).toHaveLength(12);
    expect(ids.at(-1)).toBe('b-19');
    expect(ids).not.toContain('bbuild-1');
  });
});

describe('bundles slice: what a finished job changes', () => {
  it('a written bundle refreshes the list, the wizard’s bundle and plan, the counts, and the model page', async () => {
    const { store, transport } = storeWith({
      'bundles.create': () => createJob(),
      'bundles.list': () => [bundleSummary()],
      'bundles.get': () => bundleDetail(),
      'bundles.plan': () => bundlePlan({ existing: bundleSummary() }),
      'models.get': () => fail('NOT_FOUND', 'gone'),
      'workspace.current': () => workspaceInfo({ counts: { ...workspaceInfo().counts, bundles: 1 } }),
    });
    bindEvents(store, transport);
    await store.getState().loadBundles();
    store.getState().openBundleWizard('churn', 1);
    await store.getState().planBundle('churn', 1);
    store.setState({ modelRoute: { name: 'churn', version: null, tab: 'overview' } });
    await store.getState().createBundle('churn', 1, { strategy: 'pip', tolerance: 1e-6 });
    transport.calls.length = 0;
    transport.emit('jobs.onUpdate', createJob({ state: 'succeeded', progress: 1, message: 'Done', result: {} }));
    await settle();
    const methods = transport.calls.map((c) => c.method).sort();
    expect(methods).toEqual(['bundles.get', 'bundles.list', 'bundles.plan', 'models.get', 'workspace.current']);
    expect(selectBundle(store.getState(), 'churn', 1)).not.toBeNull();
    expect(store.getState().workspace?.counts.bundles).toBe(1);
  });

  it('a finished build reloads the bundle page shown; a verification changes nothing', async () => {
    const { store, transport } = storeWith({ 'bundles.build': () => buildJob(), 'bundles.get': () => bundleDetail(), 'bundles.verify': () => verifyJob() });
    bindEvents(store, transport);
    store.getState().showBundle(bundleRoute('churn', { version: 1, tab: 'build' }));
    await store.getState().loadBundle('churn', 1);
    await store.getState().buildBundle('churn', 1);
    await store.getState().verifyBundle('churn', 1, '/a.tar.gz');
    transport.calls.length = 0;
    transport.emit('jobs.onUpdate', verifyJob({ state: 'succeeded', result: verifyResult() }));
    transport.emit('jobs.onUpdate', buildJob({ state: 'failed', error: { code: 'INVALID_INPUT', message: 'Step 5/12 failed', remedy: 'Fix it.' } }));
    await settle();
    expect(transport.calls).toEqual([{ method: 'bundles.get', input: { name: 'churn', version: 1 } }]);
    // Once per job: a repeated final event changes nothing more.
    transport.emit('jobs.onUpdate', buildJob({ state: 'failed', error: { code: 'INVALID_INPUT', message: 'Step 5/12 failed', remedy: 'Fix it.' } }));
    await settle();
    expect(transport.calls).toHaveLength(1);
  });
});
