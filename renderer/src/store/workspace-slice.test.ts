import { describe, expect, it } from 'vitest';
import { createFakeTransport, fail } from '../testing/fake-transport.js';
import { appInfo, auditEntry, job, recentWorkspace, workspaceInfo } from '../testing/fixtures.js';
import { createAppStore } from './index.js';

const settle = () => new Promise((r) => setTimeout(r, 0));

const backend = () =>
  createFakeTransport({
    'app.info': () => appInfo(),
    'workspace.current': () => null,
    'workspace.recent': () => [recentWorkspace()],
    'jobs.list': () => [job({ state: 'succeeded', progress: 1 })],
    'audit.list': () => [auditEntry()],
  });

describe('workspace slice', () => {
  it('loads what the backend has open, and the recent list', async () => {
    const t = backend();
    const store = createAppStore(t, { storage: null });
    expect(store.getState().workspaceStatus).toBe('loading');
    await store.getState().loadWorkspace();
    const s = store.getState();
    expect(s.workspaceStatus).toBe('ready');
    expect(s.workspace).toBeNull();
    expect(s.appInfo?.version).toBe('0.1.0');
    expect(s.recent).toHaveLength(1);
  });

  it('reports a backend it cannot reach as a failed start with the error', async () => {
    const t = backend();
    t.handle({ 'workspace.current': () => fail('INTERNAL', 'The Greenhouse backend is not reachable.', 'Start it.') });
    const store = createAppStore(t, { storage: null });
    await store.getState().loadWorkspace();
    expect(store.getState().workspaceStatus).toBe('failed');
    expect(store.getState().workspaceError).toEqual({
      action: 'load',
      error: { code: 'INTERNAL', message: 'The Greenhouse backend is not reachable.', remedy: 'Start it.' },
    });
  });

  it('creates a workspace with trimmed input, then loads its jobs and audit log', async () => {
    const t = backend();
    t.handle({ 'workspace.create': (input) => workspaceInfo({ path: input.path, name: input.name ?? 'churn' }) });
    const store = createAppStore(t, { storage: null });
    await store.getState().loadWorkspace();

    expect(await store.getState().createWorkspace('  /home/ana/churn ', '  ')).toBe(true);
    await settle();
    expect(t.calls.find((c) => c.method === 'workspace.create')?.input).toEqual({ path: '/home/ana/churn' });
    const s = store.getState();
    expect(s.workspace?.path).toBe('/home/ana/churn');
    expect(s.workspaceBusy).toBeNull();
    expect(Object.keys(s.jobsById)).toEqual(['job-1']);
    expect(s.auditEntries).toHaveLength(1);
  });

  it('keeps a failed create as an error of the create action, with its remedy', async () => {
    const t = backend();
    t.handle({ 'workspace.create': () => fail('CONFLICT', '/x is already a Greenhouse workspace.', 'Open it instead of creating it.') });
    const store = createAppStore(t, { storage: null });
    await store.getState().loadWorkspace();
    expect(await store.getState().createWorkspace('/x', 'X')).toBe(false);
    const s = store.getState();
    expect(s.workspace).toBeNull();
    expect(s.workspaceBusy).toBeNull();
    expect(s.workspaceError?.action).toBe('create');
    expect(s.workspaceError?.error.remedy).toBe('Open it instead of creating it.');
    s.dismissWorkspaceError();
    expect(store.getState().workspaceError).toBeNull();
  });

  it('closing forgets the old workspace data and refreshes the recent list', async () => {
    const t = backend();
    t.handle({ 'workspace.current': () => workspaceInfo(), 'workspace.close': () => null });
    const store = createAppStore(t, { storage: null });
    await store.getState().loadWorkspace();
    await settle();
    expect(store.getState().auditEntries).toHaveLength(1);

    t.handle({ 'workspace.recent': () => [recentWorkspace(), recentWorkspace({ path: '/b', name: 'b' })] });
    expect(await store.getState().closeWorkspace()).toBe(true);
    await settle();
    const s = store.getState();
    expect(s.workspace).toBeNull();
    expect(s.jobsById).toEqual({});
    expect(s.auditEntries).toEqual([]);
    expect(s.recent).toHaveLength(2);
  });

  it('a change of counts in the same workspace does not reload its jobs', async () => {
    const t = backend();
    t.handle({ 'workspace.current': () => workspaceInfo() });
    const store = createAppStore(t, { storage: null });
    await store.getState().loadWorkspace();
    await settle();
    const listed = t.calls.filter((c) => c.method === 'jobs.list').length;
    store.getState().workspaceChanged(workspaceInfo({ counts: { ...workspaceInfo().counts, datasets: 3 } }));
    await settle();
    expect(store.getState().workspace?.counts.datasets).toBe(3);
    expect(t.calls.filter((c) => c.method === 'jobs.list')).toHaveLength(listed);
  });

  it('forget replaces the recent list with the answer', async () => {
    const t = backend();
    t.handle({ 'workspace.forget': () => [] });
    const store = createAppStore(t, { storage: null });
    await store.getState().loadWorkspace();
    await store.getState().forgetWorkspace('/home/ana/churn');
    expect(store.getState().recent).toEqual([]);
  });

  it('browse returns the picked folder, or null and an error when dialogs are not available', async () => {
    const t = backend();
    t.handle({ 'dialog.pickPath': () => ({ path: '/picked' }) });
    const store = createAppStore(t, { storage: null });
    expect(await store.getState().browseForFolder('Pick')).toBe('/picked');
    t.handle({ 'dialog.pickPath': () => fail('UNSUPPORTED', 'Native file dialogs exist only in the desktop app.', 'Type the path.') });
    expect(await store.getState().browseForFolder('Pick')).toBeNull();
    expect(store.getState().workspaceError?.action).toBe('browse');
  });
});
