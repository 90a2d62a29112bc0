import { describe, expect, it } from 'vitest';
import { createFakeTransport, fail } from '../testing/fake-transport.js';
import { auditEntry } from '../testing/fixtures.js';
import { AUDIT_PAGE_SIZE } from './audit-slice.js';
import { createAppStore } from './index.js';

describe('audit slice', () => {
  it('loads newest first and adds appended entries once', async () => {
    const t = createFakeTransport({ 'audit.list': () => [auditEntry({ id: 2 }), auditEntry({ id: 1 })] });
    const store = createAppStore(t, { storage: null });
    await store.getState().loadAudit();
    store.getState().auditAppended(auditEntry({ id: 3, action: 'objects.verified' }));
    store.getState().auditAppended(auditEntry({ id: 3, action: 'objects.verified' }));
    expect(store.getState().auditEntries.map((e) => e.id)).toEqual([3, 2, 1]);
    expect(store.getState().auditHasMore).toBe(false);
  });

  it('pages backwards from the oldest entry it has', async () => {
    const page = (from: number, n: number) => Array.from({ length: n }, (_, i) => auditEntry({ id: from - i }));
    const t = createFakeTransport({ 'audit.list': (input) => (input.beforeId ? page(input.beforeId - 1, 5) : page(105, AUDIT_PAGE_SIZE)) });
    const store = createAppStore(t, { storage: null });
    await store.getState().loadAudit();
    expect(store.getState().auditHasMore).toBe(true);
    await store.getState().loadOlderAudit();
    expect(t.calls.at(-1)?.input).toEqual({ limit: AUDIT_PAGE_SIZE, beforeId: 6 });
    expect(store.getState().auditEntries).toHaveLength(105);
    expect(store.getState().auditEntries.at(-1)?.id).toBe(1);
    expect(store.getState().auditHasMore).toBe(false);
  });

  it('keeps a load error to show', async () => {
    const store = createAppStore(createFakeTransport({ 'audit.list': () => fail('NO_WORKSPACE', 'No workspace is open.') }), { storage: null });
    await store.getState().loadAudit();
    expect(store.getState().auditStatus).toBe('failed');
    expect(store.getState().auditError?.code).toBe('NO_WORKSPACE');
  });
});
