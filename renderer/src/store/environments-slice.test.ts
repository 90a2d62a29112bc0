import { describe, expect, it } from 'vitest';
import { createFakeTransport, fail } from '../testing/fake-transport.js';
import { workspaceInfo } from '../testing/fixtures.js';
import { captureJob, captureResult, environmentComparison, environmentDetail, environmentSummary, pythonCandidate } from '../testing/model-fixtures.js';
import { bindEvents } from './bind-events.js';
import { captureFrom, captureOutcome, comparisonKey, createAppStore, environmentRoute, selectShownEnvironment } from './index.js';

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('environments slice', () => {
  it('lists with the search query, and loads the detail of the page shown', async () => {
    const t = createFakeTransport({ 'environments.list': () => [environmentSummary()], 'environments.get': ({ name }) => environmentDetail({ name }) });
    const store = createAppStore(t, { storage: null });
    store.getState().setEnvironmentsQuery(' py ');
    await store.getState().loadEnvironments();
    expect(t.calls[0]).toEqual({ method: 'environments.list', input: { query: 'py' } });
    expect(store.getState().environments).toHaveLength(1);
    store.getState().showEnvironment(environmentRoute('python3', { version: 2 }));
    expect(selectShownEnvironment(store.getState())).toBeNull();
    await store.getState().loadEnvironment('python3', 2);
    expect(t.calls.at(-1)?.input).toEqual({ name: 'python3', version: 2 });
    expect(selectShownEnvironment(store.getState())?.name).toBe('python3');
  });

  it('keeps a detail error to show', async () => {
    const store = createAppStore(createFakeTransport({ 'environments.get': () => fail('NOT_FOUND', 'No environment named "x".') }), { storage: null });
    await store.getState().loadEnvironment('x', null);
    expect(store.getState()).toMatchObject({ environmentStatus: 'failed', environmentError: { code: 'NOT_FOUND' } });
  });

  it('detects interpreters, and compares two versions under a key of the pair', async () => {
    const t = createFakeTransport({ 'environments.detect': () => [pythonCandidate()], 'environments.compare': () => environmentComparison() });
    const store = createAppStore(t, { storage: null });
    await store.getState().detectPythons();
    expect(store.getState().pythonCandidates.map((c) => c.path)).toEqual(['/usr/bin/python3']);
    const from = { name: 'python3', version: 1 };
    const to = { name: 'python3', version: 2 };
    await store.getState().compareEnvironments(from, to);
    expect(store.getState().environmentComparison?.key).toBe(comparisonKey(from, to));
    expect(t.calls.at(-1)).toEqual({ method: 'environments.compare', input: { from, to } });
  });

  it('tells interpreters from requirement files by their name', () => {
    expect(captureFrom('/usr/bin/python3')).toBe('python');
    expect(captureFrom('C:\\envs\\ml\\python.exe')).toBe('python');
    expect(captureFrom('/p/requirements.txt')).toBe('file');
    expect(captureFrom('/p/pyproject.toml ')).toBe('file');
    expect(captureFrom('/p/environment.yml')).toBe('file');
  });

  it('captures as a job; a finished capture refreshes the list, the page shown and the counts', async () => {
    const t = createFakeTransport({
      'environments.capture': () => captureJob(),
      'environments.list': () => [environmentSummary()],
      'environments.get': () => environmentDetail(),
      'workspace.current': () => workspaceInfo({ counts: { ...workspaceInfo().counts, environments: 1 } }),
    });
    const store = createAppStore(t, { storage: null });
    store.setState({ workspace: workspaceInfo(), environmentsStatus: 'ready', environmentRoute: environmentRoute('python3') });
    bindEvents(store, t);
    const id = await store.getState().captureEnvironment({ path: ' /p/requirements.txt ', name: 'serving', from: 'file' });
    expect(t.calls[0]).toEqual({ method: 'environments.capture', input: { file: '/p/requirements.txt', name: 'serving' } });
    expect(store.getState().captures[0]).toMatchObject({ id, stage: 'started', jobId: 'cap-1' });

    const done = captureJob({ state: 'succeeded', result: captureResult() });
    expect(captureOutcome(done)?.packages).toBe(3);
    t.emit('jobs.onUpdate', done);
    await settle();
    expect(t.calls.map((c) => c.method)).toEqual(expect.arrayContaining(['environments.list', 'environments.get', 'workspace.current']));
    expect(store.getState().workspace?.counts.environments).toBe(1);
  });

  it('an unchanged capture changes nothing', async () => {
    const t = createFakeTransport({ 'environments.capture': () => captureJob() });
    const store = createAppStore(t, { storage: null });
    store.setState({ environmentsStatus: 'ready' });
    bindEvents(store, t);
    await store.getState().captureEnvironment({ path: '/usr/bin/python3', from: 'python' });
    t.emit('jobs.onUpdate', captureJob({ state: 'succeeded', result: captureResult({ outcome: 'unchanged' }) }));
    await settle();
    expect(t.calls.map((c) => c.method)).toEqual(['environments.capture']);
  });
});
