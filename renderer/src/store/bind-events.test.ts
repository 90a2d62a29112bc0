import { describe, expect, it } from 'vitest';
import { createFakeTransport } from '../testing/fake-transport.js';
import { auditEntry, job, workspaceInfo } from '../testing/fixtures.js';
import { bindEvents } from './bind-events.js';
import { createAppStore } from './index.js';

describe('bindEvents', () => {
  it('feeds backend events into the store until unbound', () => {
    const t = createFakeTransport({ 'jobs.list': () => [], 'audit.list': () => [] });
    const store = createAppStore(t, { storage: null });
    const unbind = bindEvents(store, t);
    t.emit('workspace.onChanged', workspaceInfo());
    t.emit('jobs.onUpdate', job());
    t.emit('audit.onAppended', auditEntry({ id: 9 }));
    expect(store.getState().workspace?.name).toBe('Churn model');
    expect(store.getState().jobsById['job-1']).toBeDefined();
    expect(store.getState().auditEntries[0]?.id).toBe(9);
    unbind();
    expect(t.listenerCount('jobs.onUpdate')).toBe(0);
  });
});
