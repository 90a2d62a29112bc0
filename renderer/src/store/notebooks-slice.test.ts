import { describe, expect, it } from 'vitest';
import { createFakeTransport, fail } from '../testing/fake-transport.js';
import { workspaceInfo } from '../testing/fixtures.js';
import {
  notebookDetail,
  notebookRegisterJob,
  notebookRegisterResult,
  notebookRun,
  notebookRunJob,
  notebookSummary,
} from '../testing/notebook-fixtures.js';
import { bindEvents } from './bind-events.js';
import { createAppStore, notebookRegistrationOutcome, notebookRoute, notebookRunOutcome, selectShownNotebook } from './index.js';

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('notebooks slice: list and detail', () => {
  it('lists with the search query, and only the newest answer counts', async () => {
    const answers: ((v: ReturnType<typeof notebookSummary>[]) => void)[] = [];
    const t = createFakeTransport({ 'notebooks.list': () => new Promise((resolve) => answers.push(resolve)) });
    const store = createAppStore(t, { storage: null });
    const first = store.getState().loadNotebooks();
    store.getState().setNotebooksQuery('  tra ');
    const second = store.getState().loadNotebooks();
    expect(t.calls.map((c) => c.input)).toEqual([{}, { query: 'tra' }]);
    answers[1]!([notebookSummary()]);
    await second;
    answers[0]!([notebookSummary({ name: 'stale' })]);
    await first;
    expect(store.getState().notebooks.map((n) => n.name)).toEqual(['train']);
    expect(store.getState().notebooksStatus).toBe('ready');
  });

  it('keeps a list error to show', async () => {
    const store = createAppStore(createFakeTransport({ 'notebooks.list': () => fail('NO_WORKSPACE', 'No workspace is open.') }), { storage: null });
    await store.getState().loadNotebooks();
    expect(store.getState()).toMatchObject({ notebooksStatus: 'failed', notebooksError: { code: 'NO_WORKSPACE' } });
  });

  it('loads the detail of the page shown, by name and version', async () => {
    const t = createFakeTransport({ 'notebooks.get': ({ name }) => notebookDetail({ name }) });
    const store = createAppStore(t, { storage: null });
    store.getState().showNotebook(notebookRoute('train', { version: 2 }));
    expect(selectShownNotebook(store.getState())).toBeNull();
    await store.getState().loadNotebook('train', 2);
    expect(t.calls.at(-1)?.input).toEqual({ name: 'train', version: 2 });
    expect(selectShownNotebook(store.getState())?.name).toBe('train');
    // Another version is not shown with the old one's detail.
    store.getState().showNotebook(notebookRoute('train'));
    expect(selectShownNotebook(store.getState())).toBeNull();
  });

  it('reports a notebook that does not exist', async () => {
    const store = createAppStore(createFakeTransport({ 'notebooks.get': () => fail('NOT_FOUND', 'No notebook named "x".') }), { storage: null });
    await store.getState().loadNotebook('x', null);
    expect(store.getState()).toMatchObject({ notebookStatus: 'failed', notebookError: { code: 'NOT_FOUND' } });
  });
});

describe('notebooks slice: registrations', () => {
  it('starts notebooks.register with trimmed input and refreshes the list, the page and the counts when it ends', async () => {
    const t = createFakeTransport({
      'notebooks.register': () => notebookRegisterJob(),
      'notebooks.list': () => [notebookSummary()],
      'notebooks.get': () => notebookDetail(),
      'workspace.current': () => workspaceInfo({ counts: { ...workspaceInfo().counts, notebooks: 1 } }),
    });
    const store = createAppStore(t, { storage: null });
    store.setState({ workspace: workspaceInfo() });
    bindEvents(store, t);
    await store.getState().loadNotebooks();
    store.getState().showNotebook(notebookRoute('train'));
    const id = await store.getState().registerNotebook({ path: '  /home/ana/train.ipynb ', name: ' train ' });
    expect(t.calls.find((c) => c.method === 'notebooks.register')?.input).toEqual({ path: '/home/ana/train.ipynb', name: 'train' });
    expect(store.getState().notebookRegistrations[0]).toMatchObject({ id, stage: 'started', jobId: 'nb-reg-1' });

    const before = t.calls.length;
    t.emit('jobs.onUpdate', notebookRegisterJob({ state: 'succeeded', progress: 1, result: notebookRegisterResult({ outcome: 'new-version', version: 2 }) }));
    await settle();
    const after = t.calls.slice(before).map((c) => c.method);
    expect(after).toEqual(expect.arrayContaining(['notebooks.list', 'notebooks.get', 'workspace.current']));
    expect(store.getState().workspace?.counts.notebooks).toBe(1);
    // The same event again (a resync) does not refresh twice.
    const again = t.calls.length;
    t.emit('jobs.onUpdate', notebookRegisterJob({ state: 'succeeded', progress: 1, result: notebookRegisterResult({ outcome: 'new-version', version: 2 }) }));
    await settle();
    expect(t.calls.length).toBe(again);
  });

  it('an unchanged notebook refreshes nothing', async () => {
    const t = createFakeTransport({ 'notebooks.register': () => notebookRegisterJob(), 'notebooks.list': () => [] });
    const store = createAppStore(t, { storage: null });
    bindEvents(store, t);
    await store.getState().loadNotebooks();
    await store.getState().registerNotebook({ path: '/a.ipynb' });
    const before = t.calls.length;
    t.emit('jobs.onUpdate', notebookRegisterJob({ state: 'succeeded', result: notebookRegisterResult({ outcome: 'unchanged' }) }));
    await settle();
    expect(t.calls.length).toBe(before);
    expect(notebookRegistrationOutcome(store.getState().jobsById['nb-reg-1'])?.outcome).toBe('unchanged');
  });

  it('keeps why a registration could not start', async () => {
    const t = createFakeTransport({ 'notebooks.register': () => fail('NOT_FOUND', 'No file at /x.ipynb.', 'Check the path.') });
    const store = createAppStore(t, { storage: null });
    const id = await store.getState().registerNotebook({ path: '/x.ipynb' });
    expect(store.getState().notebookRegistrations.find((r) => r.id === id)).toMatchObject({ stage: 'failed', error: { code: 'NOT_FOUND' } });
  });

  it('uploads a dropped notebook, then registers it under the page’s name', async () => {
    const t = createFakeTransport({ 'notebooks.register': () => notebookRegisterJob() });
    t.handleFileToPath((_file, { onProgress }) => {
      onProgress?.(0.5);
      return '/ws/.greenhouse/uploads/train.ipynb';
    });
    const store = createAppStore(t, { storage: null });
    await store.getState().registerNotebookFile(new File(['{}'], 'train.ipynb'), { name: 'train' });
    expect(t.calls.find((c) => c.method === 'notebooks.register')?.input).toEqual({ path: '/ws/.greenhouse/uploads/train.ipynb', name: 'train' });
    expect(store.getState().notebookRegistrations[0]).toMatchObject({ label: 'train.ipynb', stage: 'started' });
  });

  it('cancels a running registration through its job', async () => {
    const t = createFakeTransport({ 'notebooks.register': () => notebookRegisterJob({ state: 'running' }), 'jobs.cancel': () => notebookRegisterJob({ state: 'cancelled' }) });
    const store = createAppStore(t, { storage: null });
    const id = await store.getState().registerNotebook({ path: '/a.ipynb' });
    await store.getState().cancelNotebookRegistration(id);
    expect(t.calls.at(-1)).toEqual({ method: 'jobs.cancel', input: { id: 'nb-reg-1' } });
    expect(store.getState().jobsById['nb-reg-1']?.state).toBe('cancelled');
  });

  it('asks the native dialog for .ipynb files', async () => {
    const t = createFakeTransport({ 'dialog.pickPath': () => ({ path: '/picked.ipynb' }) });
    const store = createAppStore(t, { storage: null });
    expect(await store.getState().pickNotebookPath()).toEqual({ ok: true, value: '/picked.ipynb' });
    expect(t.calls[0]?.input).toMatchObject({ kind: 'file', filters: [{ name: 'Jupyter notebooks', extensions: ['ipynb'] }, { name: 'All files', extensions: ['*'] }] });
  });
});

describe('notebooks slice: reproduce runs', () => {
  it('starts notebooks.run with the version, the Python and the timeout, then reloads the page when it ends', async () => {
    const t = createFakeTransport({ 'notebooks.run': () => notebookRunJob(), 'notebooks.get': () => notebookDetail({ runs: [notebookRun()] }) });
    const store = createAppStore(t, { storage: null });
    bindEvents(store, t);
    store.getState().showNotebook(notebookRoute('train'));
    expect(await store.getState().runNotebook({ name: 'train', version: 1, python: ' /usr/bin/python3 ', timeoutSeconds: 60 })).toBe(true);
    expect(t.calls[0]).toEqual({ method: 'notebooks.run', input: { name: 'train', version: 1, python: '/usr/bin/python3', timeoutSeconds: 60 } });
    expect(store.getState().notebookRuns.train).toEqual({ jobId: 'nb-run-1', version: 1, error: null });

    t.emit('jobs.onUpdate', notebookRunJob({ state: 'succeeded', progress: 1, result: notebookRun() }));
    await settle();
    expect(t.calls.at(-1)).toEqual({ method: 'notebooks.get', input: { name: 'train' } });
    expect(notebookRunOutcome(store.getState().jobsById['nb-run-1'])).toMatchObject({ state: 'failed', failedCell: 2 });
  });

  it('an empty Python is left to the backend (python3 on its PATH)', async () => {
    const t = createFakeTransport({ 'notebooks.run': () => notebookRunJob() });
    const store = createAppStore(t, { storage: null });
    await store.getState().runNotebook({ name: 'train', version: 1, python: '  ' });
    expect(t.calls[0]?.input).toEqual({ name: 'train', version: 1 });
  });

  it('keeps why a run could not start, until dismissed', async () => {
    const t = createFakeTransport({ 'notebooks.run': () => fail('NOT_FOUND', 'No notebook named "train".') });
    const store = createAppStore(t, { storage: null });
    expect(await store.getState().runNotebook({ name: 'train', version: 1 })).toBe(false);
    expect(store.getState().notebookRuns.train?.error?.code).toBe('NOT_FOUND');
    store.getState().dismissNotebookRun('train');
    expect(store.getState().notebookRuns.train).toBeUndefined();
  });

  it('another workspace forgets the notebooks', async () => {
    const t = createFakeTransport({ 'notebooks.list': () => [notebookSummary()], 'jobs.list': () => [], 'audit.list': () => [] });
    const store = createAppStore(t, { storage: null });
    store.getState().workspaceChanged(workspaceInfo());
    await store.getState().loadNotebooks();
    expect(store.getState().notebooks).toHaveLength(1);
    store.getState().workspaceChanged(workspaceInfo({ path: '/other' }));
    expect(store.getState()).toMatchObject({ notebooks: [], notebooksStatus: 'idle', notebook: null, notebookRuns: {} });
  });
});
