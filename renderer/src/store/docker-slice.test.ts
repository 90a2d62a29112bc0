import { describe, expect, it } from 'vitest';
import { createFakeTransport, fail } from '../testing/fake-transport.js';
import { dockerStatus } from '../testing/fixtures.js';
import { createAppStore } from './index.js';

describe('docker slice', () => {
  it('reports the engine version when it answers', async () => {
    const store = createAppStore(createFakeTransport({ 'docker.status': () => dockerStatus() }), { storage: null });
    expect(store.getState().docker.state).toBe('unknown');
    const checking = store.getState().checkDocker();
    expect(store.getState().docker.state).toBe('checking');
    await checking;
    expect(store.getState().docker).toMatchObject({ state: 'available', status: { apiVersion: '1.41' }, error: null });
    expect(store.getState().docker.checkedAt).not.toBeNull();
  });

  it('reports an unavailable engine with the remedy, and checks again on demand', async () => {
    const t = createFakeTransport({ 'docker.status': () => fail('DOCKER_UNAVAILABLE', 'No container engine answered.') });
    const store = createAppStore(t, { storage: null });
    await store.getState().checkDocker();
    expect(store.getState().docker.state).toBe('unavailable');
    expect(store.getState().docker.error?.remedy).toMatch(/Start Docker/);
    t.handle({ 'docker.status': () => dockerStatus() });
    await store.getState().checkDocker();
    expect(store.getState().docker.state).toBe('available');
  });

  it('does not stack checks', async () => {
    const t = createFakeTransport({ 'docker.status': () => dockerStatus() });
    const store = createAppStore(t, { storage: null });
    await Promise.all([store.getState().checkDocker(), store.getState().checkDocker()]);
    expect(t.calls.filter((c) => c.method === 'docker.status')).toHaveLength(1);
  });
});
