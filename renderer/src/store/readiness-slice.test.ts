import { describe, expect, it } from 'vitest';
import type { ReadinessReport } from '../../../shared/contract/index.js';
import { buildJob, exportJob, verifyJob } from '../testing/bundle-fixtures.js';
import { createFakeTransport, fail } from '../testing/fake-transport.js';
import { workspaceInfo } from '../testing/fixtures.js';
import { attested, readinessReport, review } from '../testing/readiness-fixtures.js';
import { bindEvents } from './bind-events.js';
import { createAppStore, selectReadiness, selectReportWrite } from './index.js';

const settle = () => new Promise((r) => setTimeout(r, 0));

function storeWith(handlers: Parameters<typeof createFakeTransport>[0] = {}) {
  const transport = createFakeTransport({ 'jobs.list': () => [], 'audit.list': () => [], 'workspace.current': () => workspaceInfo(), ...handlers });
  const store = createAppStore(transport, { storage: null });
  store.setState({ workspace: workspaceInfo() });
  return { store, transport };
}

describe('readiness slice', () => {
  it('evaluates a bundle version; the report is shown only for that version', async () => {
    const { store, transport } = storeWith({ 'readiness.get': () => readinessReport() });
    await store.getState().loadReadiness('churn', 1);
    expect(transport.calls).toEqual([{ method: 'readiness.get', input: { name: 'churn', version: 1 } }]);
    expect(selectReadiness(store.getState(), 'churn', 1)?.score.final).toBe(1);
    expect(selectReadiness(store.getState(), 'churn', 2)).toBeNull();
    expect(store.getState().readinessStatus).toBe('ready');
  });

  it('each action sends its input and shows the report it answers', async () => {
    const after = readinessReport({ change: { 'data.3': attested() } });
    const { store, transport } = storeWith({
      'readiness.attest': () => after,
      'readiness.withdrawAttestation': () => readinessReport(),
      'readiness.overrideGate': () => readinessReport(),
      'readiness.review': () => readinessReport({ reviews: [review()] }),
    });
    const s = () => store.getState();
    expect((await s().attestCheck('churn', 1, 'data.3', 'Weighed each feature.')).ok).toBe(true);
    expect(selectReadiness(s(), 'churn', 1)?.score.data).toBe(4.5);
    await s().withdrawAttestation('churn', 1, 'data.3');
    expect(selectReadiness(s(), 'churn', 1)?.score.data).toBe(4);
    await s().overrideGate('churn', 1, 'smoke-test', 'Operations build it themselves.');
    await s().reviewBundle('churn', 1, { decision: 'request-changes', summary: 'Tune it.', comments: [{ checkId: 'model.3', text: 'Which search?' }] });
    expect(selectReadiness(s(), 'churn', 1)?.reviews).toHaveLength(1);
    expect(transport.calls.map((c) => [c.method, c.input])).toEqual([
      ['readiness.attest', { name: 'churn', version: 1, checkId: 'data.3', note: 'Weighed each feature.' }],
      ['readiness.withdrawAttestation', { name: 'churn', version: 1, checkId: 'data.3' }],
      ['readiness.overrideGate', { name: 'churn', version: 1, gateId: 'smoke-test', reason: 'Operations build it themselves.' }],
      ['readiness.review', { name: 'churn', version: 1, decision: 'request-changes', summary: 'Tune it.', comments: [{ checkId: 'model.3', text: 'Which search?' }] }],
    ]);
  });

  it('a refused action answers its error and leaves the report as it was', async () => {
    const { store } = storeWith({ 'readiness.get': () => readinessReport(), 'readiness.attest': () => fail('INVALID_INPUT', 'model.5 is automated.', 'Do what its remedy says.') });
    await store.getState().loadReadiness('churn', 1);
    const before = selectReadiness(store.getState(), 'churn', 1);
    const r = await store.getState().attestCheck('churn', 1, 'model.5', 'Looked at it.');
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(selectReadiness(store.getState(), 'churn', 1)).toBe(before);
    expect(store.getState().readinessError).toBeNull();
  });

  it('an evaluation still on its way when an action answers does not overwrite the action’s report', async () => {
    let answer: (r: ReadinessReport) => void = () => {};
    const { store } = storeWith({
      'readiness.get': () => new Promise<ReadinessReport>((resolve) => (answer = resolve)),
      'readiness.attest': () => readinessReport({ change: { 'model.3': attested() } }),
    });
    const loading = store.getState().loadReadiness('churn', 1);
    await store.getState().attestCheck('churn', 1, 'model.3', 'Grid search over C.');
    answer(readinessReport());
    await loading;
    expect(selectReadiness(store.getState(), 'churn', 1)?.score.model).toBe(1.5);
    expect(store.getState().readinessStatus).toBe('ready');
  });

  it('writes a report and keeps where it went, per format; a failure says why', async () => {
    const { store, transport } = storeWith({
      'readiness.writeReport': ({ format }) => (format === 'pdf' ? fail('IO_ERROR', 'No browser to print with.') : { path: `/w/bundles/churn-1/readiness.${format}`, bytes: 2048, format }),
    });
    const writing = store.getState().writeReadinessReport('churn', 1, 'html');
    expect(selectReportWrite(store.getState(), 'churn', 1, 'html')?.state).toBe('writing');
    await writing;
    expect(transport.calls[0]).toEqual({ method: 'readiness.writeReport', input: { name: 'churn', version: 1, format: 'html' } });
    expect(selectReportWrite(store.getState(), 'churn', 1, 'html')).toEqual({ state: 'written', written: { path: '/w/bundles/churn-1/readiness.html', bytes: 2048, format: 'html' }, error: null });
    await store.getState().writeReadinessReport('churn', 1, 'pdf');
    expect(selectReportWrite(store.getState(), 'churn', 1, 'pdf')).toMatchObject({ state: 'failed', error: { code: 'IO_ERROR' } });
    expect(selectReportWrite(store.getState(), 'churn', 1, 'json')).toBeNull();
    expect(selectReportWrite(store.getState(), 'churn', 2, 'html')).toBeNull();
  });

  it('evaluates the shown report again when a build, smoke test or export finishes (there are no readiness events)', async () => {
    const { store, transport } = storeWith({ 'readiness.get': () => readinessReport(), 'bundles.list': () => [] });
    bindEvents(store, transport);
    transport.emit('jobs.onUpdate', buildJob({ state: 'succeeded' }));
    await settle();
    // Nothing shown yet: nothing to evaluate.
    expect(transport.calls.filter((c) => c.method === 'readiness.get')).toHaveLength(0);
    await store.getState().loadReadiness('churn', 1);
    transport.emit('jobs.onUpdate', exportJob({ state: 'succeeded' }));
    transport.emit('jobs.onUpdate', verifyJob({ state: 'succeeded' }));
    await settle();
    expect(transport.calls.filter((c) => c.method === 'readiness.get').map((c) => c.input)).toEqual([
      { name: 'churn', version: 1 },
      { name: 'churn', version: 1 },
    ]);
  });

  it('forgets everything when the workspace changes', async () => {
    const { store } = storeWith({ 'readiness.get': () => readinessReport(), 'readiness.writeReport': () => ({ path: '/w/r.html', bytes: 1, format: 'html' as const }) });
    await store.getState().loadReadiness('churn', 1);
    await store.getState().writeReadinessReport('churn', 1, 'html');
    store.getState().workspaceChanged(workspaceInfo({ path: '/elsewhere' }));
    expect(store.getState()).toMatchObject({ readiness: null, readinessStatus: 'idle', readinessWrites: {} });
  });
});
