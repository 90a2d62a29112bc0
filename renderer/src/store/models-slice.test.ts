import { describe, expect, it } from 'vitest';
import { createFakeTransport, fail } from '../testing/fake-transport.js';
import { workspaceInfo } from '../testing/fixtures.js';
import { environmentDetail, lineageGraph, modelDetail, modelRegisterJob, modelRegisterResult, modelSummary, scanJob, scanResult } from '../testing/model-fixtures.js';
import { bindEvents } from './bind-events.js';
import { createAppStore, environmentRoute, lineageKey, modelRoute, scanOutcome, selectLineage, selectShownModel } from './index.js';

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('models slice: list, detail, form options', () => {
  it('lists with the search query; only the newest answer counts', async () => {
    const answers: ((v: ReturnType<typeof modelSummary>[]) => void)[] = [];
    const t = createFakeTransport({ 'models.list': () => new Promise((resolve) => answers.push(resolve)) });
    const store = createAppStore(t, { storage: null });
    const first = store.getState().loadModels();
    store.getState().setModelsQuery(' chu ');
    const second = store.getState().loadModels();
    expect(t.calls.map((c) => c.input)).toEqual([{}, { query: 'chu' }]);
    answers[1]!([modelSummary()]);
    await second;
    answers[0]!([modelSummary({ name: 'stale' })]);
    await first;
    expect(store.getState().models.map((m) => m.name)).toEqual(['churn']);
  });

  it('loads the detail of the page shown, by name and version', async () => {
    const t = createFakeTransport({ 'models.get': ({ name }) => modelDetail({ name }) });
    const store = createAppStore(t, { storage: null });
    store.getState().showModel(modelRoute('churn', { version: 1 }));
    await store.getState().loadModel('churn', 1);
    expect(t.calls.at(-1)?.input).toEqual({ name: 'churn', version: 1 });
    expect(selectShownModel(store.getState())?.name).toBe('churn');
    store.getState().showModel(modelRoute('churn'));
    expect(selectShownModel(store.getState())).toBeNull();
  });

  it('switching to the lineage view closes the model page', () => {
    const store = createAppStore(createFakeTransport(), { storage: null });
    store.getState().showModel(modelRoute('churn'));
    store.getState().showModelsView('lineage');
    expect(store.getState()).toMatchObject({ modelRoute: null, modelsView: 'lineage' });
  });

  it('loads what the form offers; only the datasets are required', async () => {
    const t = createFakeTransport({
      'datasets.list': () => [],
      'notebooks.list': () => fail('INTERNAL', 'boom'),
      'environments.list': () => [],
      'environments.detect': () => fail('INTERNAL', 'boom'),
    });
    const store = createAppStore(t, { storage: null });
    await store.getState().loadModelFormOptions();
    expect(store.getState()).toMatchObject({ modelFormOptionsStatus: 'ready', modelFormOptions: { datasets: [], notebooks: [], environments: [], pythons: [] } });
    t.handle({ 'datasets.list': () => fail('NO_WORKSPACE', 'No workspace is open.') });
    await store.getState().loadModelFormOptions();
    expect(store.getState()).toMatchObject({ modelFormOptionsStatus: 'failed', modelFormOptionsError: { code: 'NO_WORKSPACE' } });
  });
});

describe('models slice: scan, register, edits', () => {
  it('starts a scan job and follows it in the jobs', async () => {
    const t = createFakeTransport({ 'models.scan': () => scanJob() });
    const store = createAppStore(t, { storage: null });
    const r = await store.getState().scanModel(' /m/model.joblib ');
    expect(r.ok).toBe(true);
    expect(t.calls[0]).toEqual({ method: 'models.scan', input: { path: '/m/model.joblib' } });
    expect(store.getState().jobsById['scan-1']?.kind).toBe('models.scan');
    expect(scanOutcome(scanJob({ state: 'succeeded', result: scanResult() }))?.safe).toBe(true);
    expect(scanOutcome(scanJob({ state: 'succeeded', result: { nonsense: true } }))).toBeNull();
  });

  it('registers as a job; a finished registration refreshes the list, the page, its environment and the counts', async () => {
    const t = createFakeTransport({
      'models.register': () => modelRegisterJob(),
      'models.list': () => [modelSummary()],
      'models.get': () => modelDetail(),
      'environments.get': () => environmentDetail(),
      'environments.list': () => [],
      'workspace.current': () => workspaceInfo({ counts: { ...workspaceInfo().counts, models: 1 } }),
    });
    const store = createAppStore(t, { storage: null });
    store.setState({ workspace: workspaceInfo(), modelsStatus: 'ready', modelRoute: modelRoute('churn'), environmentRoute: environmentRoute('python3') });
    bindEvents(store, t);
    const revision = store.getState().lineageRevision;
    const request = { path: '/m/model.joblib', training: { dataset: { name: 'customers', version: 1 }, target: 'churned' }, sampleSize: 50 };
    await store.getState().registerModel(request);
    expect(t.calls[0]).toEqual({ method: 'models.register', input: request });
    t.emit('jobs.onUpdate', modelRegisterJob({ state: 'succeeded', result: modelRegisterResult() }));
    await settle();
    expect(t.calls.map((c) => c.method)).toEqual(expect.arrayContaining(['models.list', 'models.get', 'environments.get', 'workspace.current']));
    expect(store.getState().workspace?.counts.models).toBe(1);
    expect(store.getState().lineageRevision).toBe(revision + 1);
  });

  it('saves a card section and records metrics into the detail shown; a refusal is kept to show', async () => {
    const t = createFakeTransport({
      'models.get': () => modelDetail(),
      'models.updateCard': ({ card }) => ({ ...modelDetail().card, ...card }),
      'models.recordMetrics': ({ values }) => ({ ...modelDetail().metrics!, source: 'form', values }),
    });
    const store = createAppStore(t, { storage: null });
    store.getState().showModel(modelRoute('churn'));
    await store.getState().loadModel('churn', null);
    expect(await store.getState().saveModelCard('churn', 1, 'caveats', 'Retrain monthly.')).toBe(true);
    expect(t.calls.at(-1)?.input).toEqual({ name: 'churn', version: 1, card: { caveats: 'Retrain monthly.' } });
    expect(selectShownModel(store.getState())?.card.caveats).toBe('Retrain monthly.');
    expect(await store.getState().recordModelMetrics('churn', 1, { auc: 0.9 })).toBe(true);
    expect(selectShownModel(store.getState())?.metrics?.values).toEqual({ auc: 0.9 });

    t.handle({ 'models.updateCard': () => fail('CONFLICT', 'Bundled.') });
    expect(await store.getState().saveModelCard('churn', 1, 'details', 'x')).toBe(false);
    expect(store.getState().modelCardError).toMatchObject({ section: 'details', error: { code: 'CONFLICT' } });
    store.getState().dismissModelEditError();
    expect(store.getState().modelCardError).toBeNull();
  });
});

describe('lineage slice', () => {
  it('loads the graph for a focus, or the whole workspace, keyed so a page shows only its own', async () => {
    const t = createFakeTransport({ 'lineage.graph': () => lineageGraph() });
    const store = createAppStore(t, { storage: null });
    await store.getState().loadLineage('model:churn@1');
    expect(t.calls.at(-1)?.input).toEqual({ focus: 'model:churn@1' });
    expect(selectLineage('model:churn@1')(store.getState())?.nodes).toHaveLength(4);
    expect(selectLineage(null)(store.getState())).toBeNull();
    await store.getState().loadLineage(null);
    expect(t.calls.at(-1)?.input).toEqual({});
    expect(store.getState().lineage?.key).toBe(lineageKey(null));
  });

  it('a registration of any kind invalidates the graph', async () => {
    const t = createFakeTransport();
    const store = createAppStore(t, { storage: null });
    bindEvents(store, t);
    const before = store.getState().lineageRevision;
    t.emit('jobs.onUpdate', modelRegisterJob({ id: 'd', kind: 'datasets.register', state: 'succeeded', result: null }));
    t.emit('jobs.onUpdate', modelRegisterJob({ id: 'd', kind: 'datasets.register', state: 'succeeded', result: null }));
    t.emit('jobs.onUpdate', scanJob({ state: 'succeeded' }));
    expect(store.getState().lineageRevision).toBe(before + 1);
  });
});
