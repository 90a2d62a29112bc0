import { describe, expect, it } from 'vitest';
import { createFakeTransport, fail } from '../testing/fake-transport.js';
import { datasetDetail, datasetDiff, datasetSummary, registerJob, registerResult, workspaceInfo } from '../testing/fixtures.js';
import { bindEvents } from './bind-events.js';
import { createAppStore, datasetRoute, registrationOutcome, selectShownDataset } from './index.js';

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('datasets slice: list and detail', () => {
  it('lists with the search query, and only the newest answer counts', async () => {
    const answers: ((v: ReturnType<typeof datasetSummary>[]) => void)[] = [];
    const t = createFakeTransport({ 'datasets.list': () => new Promise((resolve) => answers.push(resolve)) });
    const store = createAppStore(t, { storage: null });
    const first = store.getState().loadDatasets();
    store.getState().setDatasetsQuery('  cust ');
    const second = store.getState().loadDatasets();
    expect(t.calls.map((c) => c.input)).toEqual([{}, { query: 'cust' }]);
    answers[1]!([datasetSummary()]);
    await second;
    answers[0]!([datasetSummary({ name: 'stale' }), datasetSummary({ name: 'older' })]);
    await first;
    expect(store.getState().datasets.map((d) => d.name)).toEqual(['customers']);
    expect(store.getState().datasetsStatus).toBe('ready');
  });

  it('keeps a list error to show', async () => {
    const store = createAppStore(createFakeTransport({ 'datasets.list': () => fail('NO_WORKSPACE', 'No workspace is open.') }), { storage: null });
    await store.getState().loadDatasets();
    expect(store.getState()).toMatchObject({ datasetsStatus: 'failed', datasetsError: { code: 'NO_WORKSPACE' } });
  });

  it('loads the detail of the page shown, by name and version', async () => {
    const t = createFakeTransport({ 'datasets.get': ({ name }) => datasetDetail({ name }) });
    const store = createAppStore(t, { storage: null });
    store.getState().showDataset(datasetRoute('customers', { version: 2 }));
    expect(selectShownDataset(store.getState())).toBeNull();
    await store.getState().loadDataset('customers', 2);
    expect(t.calls.at(-1)?.input).toEqual({ name: 'customers', version: 2 });
    expect(selectShownDataset(store.getState())?.name).toBe('customers');
    // Another version is not shown with the old one's detail.
    store.getState().showDataset(datasetRoute('customers'));
    expect(selectShownDataset(store.getState())).toBeNull();
  });

  it('reports a dataset that does not exist', async () => {
    const t = createFakeTransport({ 'datasets.get': () => fail('NOT_FOUND', 'No dataset named "x" in this workspace.') });
    const store = createAppStore(t, { storage: null });
    await store.getState().loadDataset('x', null);
    expect(store.getState()).toMatchObject({ datasetStatus: 'failed', datasetError: { code: 'NOT_FOUND' } });
  });

  it('loads a diff keyed by its versions', async () => {
    const t = createFakeTransport({ 'datasets.diff': () => datasetDiff() });
    const store = createAppStore(t, { storage: null });
    await store.getState().loadDatasetDiff('customers', 1, 2);
    expect(t.calls.at(-1)).toEqual({ method: 'datasets.diff', input: { name: 'customers', from: 1, to: 2 } });
    expect(store.getState().datasetDiff).toMatchObject({ key: 'customers@1..2', value: { added: [{ name: 'score' }] } });
  });

  it('saves the datasheet into the detail shown, or keeps the error', async () => {
    const t = createFakeTransport({
      'datasets.get': () => datasetDetail(),
      'datasets.updateDatasheet': ({ datasheet }) => ({ description: '', source: '', owner: '', licence: '', collectionProcess: '', personalData: 'unknown', ...datasheet }),
    });
    const store = createAppStore(t, { storage: null });
    await store.getState().loadDataset('customers', null);
    const sheet = { ...datasetDetail().datasheet, owner: 'Ana', personalData: 'no' as const };
    expect(await store.getState().saveDatasheet('customers', sheet)).toBe(true);
    expect(store.getState().dataset?.value.datasheet).toMatchObject({ owner: 'Ana', personalData: 'no' });

    t.handle({ 'datasets.updateDatasheet': () => fail('INVALID_INPUT', 'owner: too long') });
    expect(await store.getState().saveDatasheet('customers', sheet)).toBe(false);
    expect(store.getState().datasheetError?.message).toBe('owner: too long');
    expect(store.getState().datasheetSaving).toBe(false);
  });
});

describe('datasets slice: registrations', () => {
  it('starts datasets.register with trimmed input and follows its job', async () => {
    const t = createFakeTransport({ 'datasets.register': () => registerJob() });
    const store = createAppStore(t, { storage: null });
    const id = await store.getState().registerDataset({ path: ' /data/customers.csv ', name: '  ', snapshot: false });
    expect(t.calls.at(-1)?.input).toEqual({ path: '/data/customers.csv', snapshot: false });
    expect(store.getState().registrations[0]).toMatchObject({ id, stage: 'started', jobId: 'reg-1', label: '/data/customers.csv' });
    expect(store.getState().jobsById['reg-1']?.state).toBe('queued');
  });

  it('keeps why a registration could not start', async () => {
    const t = createFakeTransport({ 'datasets.register': () => fail('NOT_FOUND', '/nope.csv does not exist.', 'Check the path.') });
    const store = createAppStore(t, { storage: null });
    await store.getState().registerDataset({ path: '/nope.csv', name: 'x' });
    expect(t.calls.at(-1)?.input).toEqual({ path: '/nope.csv', name: 'x', snapshot: true });
    expect(store.getState().registrations[0]).toMatchObject({ stage: 'failed', error: { remedy: 'Check the path.' } });
  });

  it('turns a dropped file into a path with progress, then registers it', async () => {
    const t = createFakeTransport({ 'datasets.register': () => registerJob() });
    let report!: (f: number) => void;
    let finish!: (path: string) => void;
    t.handleFileToPath((_file, { onProgress }) => {
      report = onProgress!;
      return new Promise((resolve) => (finish = resolve));
    });
    const store = createAppStore(t, { storage: null });
    const done = store.getState().registerFile(new File(['a\n1\n'], 'dropped.csv'), { name: 'customers' });
    await settle();
    expect(store.getState().registrations[0]).toMatchObject({ stage: 'uploading', upload: 0, label: 'dropped.csv', name: 'customers' });
    report(0.5);
    expect(store.getState().registrations[0]?.upload).toBe(0.5);
    finish('/w/.greenhouse/uploads/x/dropped.csv');
    await done;
    expect(t.files.map((f) => f.name)).toEqual(['dropped.csv']);
    expect(t.calls.at(-1)?.input).toEqual({ path: '/w/.greenhouse/uploads/x/dropped.csv', name: 'customers', snapshot: true });
    expect(store.getState().registrations[0]?.stage).toBe('started');
  });

  it('cancels an upload through its signal, and a job through jobs.cancel', async () => {
    const t = createFakeTransport({
      'datasets.register': () => registerJob({ state: 'running', progress: 0.2 }),
      'jobs.cancel': ({ id }) => registerJob({ id, state: 'cancelled' }),
    });
    t.handleFileToPath(
      (_file, { signal }) =>
        new Promise((resolve) => signal!.addEventListener('abort', () => resolve(fail('CANCELLED', 'The upload of big.csv was cancelled.')))),
    );
    const store = createAppStore(t, { storage: null });
    const upload = store.getState().registerFile(new File(['x'], 'big.csv'));
    await settle();
    await store.getState().cancelRegistration(store.getState().registrations[0]!.id);
    await upload;
    expect(store.getState().registrations[0]).toMatchObject({ stage: 'cancelled', error: null });
    expect(t.calls.some((c) => c.method === 'datasets.register')).toBe(false);

    const id = await store.getState().registerDataset({ path: '/data/a.csv' });
    await store.getState().cancelRegistration(id);
    expect(t.calls.at(-1)).toEqual({ method: 'jobs.cancel', input: { id: 'reg-1' } });
    expect(store.getState().jobsById['reg-1']?.state).toBe('cancelled');
    store.getState().dismissRegistration(id);
    expect(store.getState().registrations.map((r) => r.id)).not.toContain(id);
  });

  it('a failed upload keeps the error with its remedy', async () => {
    const t = createFakeTransport();
    const store = createAppStore(t, { storage: null });
    await store.getState().registerFile(new File(['x'], 'from-a-web-page.csv'));
    expect(store.getState().registrations[0]).toMatchObject({ stage: 'failed', error: { remedy: 'Drop a file from your file manager.' } });
  });

  it('refreshes the list, the page and the counts when a registration job succeeds', async () => {
    const t = createFakeTransport({
      'jobs.list': () => [],
      'audit.list': () => [],
      'workspace.current': () => workspaceInfo({ counts: { ...workspaceInfo().counts, datasets: 1 } }),
      'datasets.list': () => [datasetSummary()],
      'datasets.get': () => datasetDetail(),
    });
    const store = createAppStore(t, { storage: null });
    store.getState().workspaceChanged(workspaceInfo());
    bindEvents(store, t);
    await store.getState().loadDatasets();
    store.getState().showDataset(datasetRoute('customers'));
    const before = t.calls.length;

    t.emit('jobs.onUpdate', registerJob({ state: 'running', progress: 0.5 }));
    expect(t.calls.length).toBe(before);
    t.emit('jobs.onUpdate', registerJob({ state: 'succeeded', progress: 1, result: registerResult({ outcome: 'new-version', version: 2 }) }));
    // A repeated final event does not refresh twice.
    t.emit('jobs.onUpdate', registerJob({ state: 'succeeded', progress: 1, result: registerResult({ outcome: 'new-version', version: 2 }) }));
    await settle();
    const methods = t.calls.slice(before).map((c) => c.method).sort();
    expect(methods).toEqual(['datasets.get', 'datasets.list', 'workspace.current']);
    expect(store.getState().workspace?.counts.datasets).toBe(1);
  });

  it('reads the outcome of a finished job only when it has the contract shape', () => {
    expect(registrationOutcome(registerJob({ state: 'succeeded', result: registerResult({ outcome: 'unchanged' }) }))?.outcome).toBe('unchanged');
    expect(registrationOutcome(registerJob({ state: 'succeeded', result: { nope: true } }))).toBeNull();
    expect(registrationOutcome(registerJob({ state: 'running', result: registerResult() }))).toBeNull();
    expect(registrationOutcome(undefined)).toBeNull();
  });

  it('forgets registrations and datasets when another workspace opens', async () => {
    const t = createFakeTransport({ 'jobs.list': () => [], 'audit.list': () => [], 'datasets.list': () => [datasetSummary()], 'datasets.register': () => registerJob() });
    const store = createAppStore(t, { storage: null });
    store.getState().workspaceChanged(workspaceInfo());
    await store.getState().loadDatasets();
    await store.getState().registerDataset({ path: '/a.csv' });
    store.getState().workspaceChanged(workspaceInfo({ path: '/other', name: 'other' }));
    expect(store.getState()).toMatchObject({ datasets: [], registrations: [], datasetsStatus: 'idle' });
  });
});
