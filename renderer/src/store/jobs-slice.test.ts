import { describe, expect, it } from 'vitest';
import { createFakeTransport, fail } from '../testing/fake-transport.js';
import { job } from '../testing/fixtures.js';
import { createAppStore, selectJobs, selectRunningJobCount } from './index.js';

describe('jobs slice', () => {
  it('adds and updates jobs from events', () => {
    const store = createAppStore(createFakeTransport(), { storage: null });
    store.getState().jobUpdated(job({ progress: 0.1 }));
    store.getState().jobUpdated(job({ progress: 0.6, message: 'Half way' }));
    expect(store.getState().jobsById['job-1']).toMatchObject({ progress: 0.6, message: 'Half way' });
  });

  it('never moves a finished job back to running when updates cross', () => {
    const store = createAppStore(createFakeTransport(), { storage: null });
    store.getState().jobUpdated(job({ state: 'succeeded', progress: 1 }));
    store.getState().jobUpdated(job({ state: 'running', progress: 0.5 }));
    expect(store.getState().jobsById['job-1']?.state).toBe('succeeded');
  });

  it('merges a listed job with a newer event that arrived while the list was loading', async () => {
    let release!: () => void;
    const t = createFakeTransport({
      'jobs.list': () => new Promise((resolve) => (release = () => resolve([job({ state: 'running', progress: 0.2 })]))),
    });
    const store = createAppStore(t, { storage: null });
    const loading = store.getState().loadJobs();
    expect(store.getState().jobsStatus).toBe('loading');
    store.getState().jobUpdated(job({ state: 'succeeded', progress: 1 }));
    release();
    await loading;
    expect(store.getState().jobsById['job-1']?.state).toBe('succeeded');
    expect(store.getState().jobsStatus).toBe('ready');
  });

  it('starts Verify snapshots and shows the job at once', async () => {
    const t = createFakeTransport({ 'objects.verify': () => job({ id: 'v1', state: 'queued', progress: null }) });
    const store = createAppStore(t, { storage: null });
    const started = await store.getState().verifySnapshots();
    expect(started?.id).toBe('v1');
    expect(store.getState().jobsById['v1']?.state).toBe('queued');
  });

  it('keeps the error when a job cannot start', async () => {
    const t = createFakeTransport({ 'objects.verify': () => fail('NO_WORKSPACE', 'No workspace is open.') });
    const store = createAppStore(t, { storage: null });
    expect(await store.getState().verifySnapshots()).toBeNull();
    expect(store.getState().jobsError).toMatchObject({ action: 'start', error: { code: 'NO_WORKSPACE' } });
    store.getState().dismissJobsError();
    expect(store.getState().jobsError).toBeNull();
  });

  it('cancel applies the answer', async () => {
    const t = createFakeTransport({ 'jobs.cancel': ({ id }) => job({ id, state: 'cancelled', finishedAt: '2026-01-10T09:00:05.000Z' }) });
    const store = createAppStore(t, { storage: null });
    store.getState().jobUpdated(job());
    await store.getState().cancelJob('job-1');
    expect(store.getState().jobsById['job-1']?.state).toBe('cancelled');
    expect(t.calls.at(-1)).toEqual({ method: 'jobs.cancel', input: { id: 'job-1' } });
  });

  it('selects jobs newest first and counts the unfinished ones', () => {
    const store = createAppStore(createFakeTransport(), { storage: null });
    store.getState().jobUpdated(job({ id: 'old', createdAt: '2026-01-10T08:00:00.000Z', state: 'succeeded' }));
    store.getState().jobUpdated(job({ id: 'new', createdAt: '2026-01-10T10:00:00.000Z', state: 'running' }));
    store.getState().jobUpdated(job({ id: 'mid', createdAt: '2026-01-10T09:00:00.000Z', state: 'queued' }));
    expect(selectJobs(store.getState()).map((j) => j.id)).toEqual(['new', 'mid', 'old']);
    expect(selectRunningJobCount(store.getState())).toBe(2);
  });
});
