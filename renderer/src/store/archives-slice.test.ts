import { describe, expect, it } from 'vitest';
import type { ReviewArchive } from '../../../shared/contract/index.js';
import { approvedArchive, ARCHIVE_PATH, openJob, reviewArchive, reviewArchiveSummary, writeJob } from '../testing/archive-fixtures.js';
import { createFakeTransport, fail } from '../testing/fake-transport.js';
import { workspaceInfo } from '../testing/fixtures.js';
import { bindEvents } from './bind-events.js';
import { archiveOutcome, archiveRoute, bundleRoute, createAppStore, selectArchiveOpenJob, selectArchiveWrite, selectArchiveWriteJob, selectShownArchive } from './index.js';

const settle = () => new Promise((r) => setTimeout(r, 0));

function storeWith(handlers: Parameters<typeof createFakeTransport>[0] = {}) {
  const transport = createFakeTransport({ 'jobs.list': () => [], 'audit.list': () => [], 'workspace.current': () => workspaceInfo(), ...handlers });
  const store = createAppStore(transport, { storage: null });
  store.setState({ workspace: workspaceInfo() });
  bindEvents(store, transport);
  return { store, transport };
}

const pendingArchive = (): ReviewArchive => ({ ...approvedArchive(), ready: false, writtenAt: null, pendingReviews: 1 });

describe('archives slice: list, page, route', () => {
  it('loads the archives opened for review, and an archive’s page by its id', async () => {
    const { store, transport } = storeWith({ 'archives.list': () => [reviewArchiveSummary()], 'archives.get': ({ id }) => reviewArchive({ id }) });
    await store.getState().loadReviewArchives();
    expect(store.getState()).toMatchObject({ reviewArchivesStatus: 'ready', reviewArchives: [{ id: 3, name: 'churn', ready: false }] });
    store.getState().showArchive(archiveRoute(3));
    await store.getState().loadArchive(3);
    expect(transport.calls.map((c) => [c.method, c.input])).toEqual([
      ['archives.list', {}],
      ['archives.get', { id: 3 }],
    ]);
    expect(selectShownArchive(store.getState())?.readiness.bundle.name).toBe('churn');
    store.getState().showArchive(archiveRoute(4));
    expect(selectShownArchive(store.getState())).toBeNull();
  });

  it('showing an archive leaves a bundle page or the wizard; null leaves the archive', () => {
    const { store } = storeWith();
    store.getState().showBundle(bundleRoute('churn', { version: 1 }));
    store.getState().showArchive(archiveRoute(3, 'verification'));
    expect(store.getState()).toMatchObject({ archiveRoute: { id: 3, tab: 'verification' }, bundleRoute: null, bundlesView: 'list' });
    store.getState().openBundleWizard(null, null);
    store.getState().showArchive(null);
    expect(store.getState()).toMatchObject({ archiveRoute: null, bundlesView: 'wizard' });
  });

  it('a failed load says why; the archive shown before stays while another loads', async () => {
    const { store } = storeWith({ 'archives.get': ({ id }) => (id === 9 ? fail('NOT_FOUND', 'No archive 9 was opened in this workspace.') : reviewArchive()) });
    store.getState().showArchive(archiveRoute(3));
    await store.getState().loadArchive(3);
    store.getState().showArchive(archiveRoute(9));
    await store.getState().loadArchive(9);
    expect(store.getState()).toMatchObject({ archiveStatus: 'failed', archiveError: { code: 'NOT_FOUND' }, archive: { key: '3' } });
    expect(selectShownArchive(store.getState())).toBeNull();
  });
});

describe('archives slice: opening an archive', () => {
  it('starts archives.open with the trimmed path and the rerun option, follows its job, and shows what it opened', async () => {
    const { store, transport } = storeWith({ 'archives.open': () => openJob(), 'archives.list': () => [reviewArchiveSummary()] });
    await store.getState().loadReviewArchives();
    expect(await store.getState().openArchive(`  ${ARCHIVE_PATH} `, true)).toBe(true);
    expect(transport.calls.find((c) => c.method === 'archives.open')?.input).toEqual({ path: ARCHIVE_PATH, rerun: true });
    expect(store.getState().archiveOpen).toEqual({ path: ARCHIVE_PATH, rerun: true, jobId: 'aopen-1', error: null });
    expect(selectArchiveOpenJob(store.getState())?.state).toBe('queued');

    const opened = reviewArchive();
    transport.emit('jobs.onUpdate', openJob({ state: 'succeeded', progress: 1, result: opened }));
    await settle();
    expect(archiveOutcome(selectArchiveOpenJob(store.getState()))?.id).toBe(3);
    // The page can show it at once, and the list is asked again.
    store.getState().showArchive(archiveRoute(3));
    expect(selectShownArchive(store.getState())).toEqual(opened);
    expect(transport.calls.filter((c) => c.method === 'archives.list')).toHaveLength(2);
    store.getState().dismissArchiveOpen();
    expect(store.getState().archiveOpen).toBeNull();
  });

  it('a refused start keeps why; a job that fails has its error on the job and shows nothing', async () => {
    const { store, transport } = storeWith({ 'archives.open': () => fail('NOT_FOUND', `${ARCHIVE_PATH} does not exist.`) });
    expect(await store.getState().openArchive(ARCHIVE_PATH, false)).toBe(false);
    expect(store.getState().archiveOpen).toMatchObject({ jobId: null, error: { code: 'NOT_FOUND' } });

    transport.handle({ 'archives.open': () => openJob() });
    await store.getState().openArchive(ARCHIVE_PATH, false);
    transport.emit('jobs.onUpdate', openJob({ state: 'failed', error: { code: 'INVALID_INPUT', message: 'churn-1.tar.gz did not verify. Nothing was recorded.', remedy: 'Ask its author for the archive again.' } }));
    expect(archiveOutcome(selectArchiveOpenJob(store.getState()))).toBeNull();
    expect(store.getState().archive).toBeNull();
  });

  it('reads only a finished archives job’s result as an archive', () => {
    expect(archiveOutcome(writeJob({ state: 'succeeded', result: reviewArchive() }))?.path).toBe(ARCHIVE_PATH);
    expect(archiveOutcome(writeJob({ state: 'running', result: reviewArchive() }))).toBeNull();
    expect(archiveOutcome(writeJob({ state: 'succeeded', result: { not: 'an archive' } }))).toBeNull();
    expect(archiveOutcome(openJob({ kind: 'bundles.verify', state: 'succeeded', result: reviewArchive() }))).toBeNull();
    expect(archiveOutcome(undefined)).toBeNull();
  });
});

describe('archives slice: reviewing and writing', () => {
  it('records a review, shows it while the write runs, then the archive the write answers', async () => {
    let stored: ReviewArchive = reviewArchive();
    let whileRecording: unknown = undefined;
    const { store, transport } = storeWith({
      'archives.get': () => stored,
      'archives.review': () => {
        // The page shows the write starting from the moment the review is sent.
        whileRecording = selectArchiveWrite(store.getState(), 3);
        stored = pendingArchive();
        return writeJob();
      },
    });
    store.getState().showArchive(archiveRoute(3));
    await store.getState().loadArchive(3);
    const r = await store.getState().reviewArchive(3, { decision: 'approve', summary: 'Built in our CI.', comments: [{ checkId: 'infrastructure.1', text: 'Reproduced.' }] });
    expect(r.ok).toBe(true);
    expect(transport.calls.find((c) => c.method === 'archives.review')?.input).toEqual({
      id: 3,
      decision: 'approve',
      summary: 'Built in our CI.',
      comments: [{ checkId: 'infrastructure.1', text: 'Reproduced.' }],
    });
    expect(whileRecording).toEqual({ jobId: null, error: null });
    expect(selectArchiveWrite(store.getState(), 3)).toEqual({ jobId: 'awrite-1', error: null });
    // Recorded in the catalog: the history has it, and it waits to be written.
    expect(selectShownArchive(store.getState())).toMatchObject({ pendingReviews: 1, readiness: { reviews: [{ decision: 'approve' }] } });

    transport.emit('jobs.onUpdate', writeJob({ state: 'running', progress: 0.5, message: 'Signing the reviews' }));
    expect(selectArchiveWriteJob(store.getState(), 3)?.progress).toBe(0.5);
    transport.emit('jobs.onUpdate', writeJob({ state: 'succeeded', progress: 1, result: approvedArchive() }));
    expect(selectShownArchive(store.getState())).toMatchObject({ ready: true, pendingReviews: 0, writtenAt: '2026-01-11T08:10:00.000Z' });
  });

  it('an answer to a load started before the write finished does not overwrite the written archive', async () => {
    let answer: (a: ReviewArchive) => void = () => {};
    const { store, transport } = storeWith({ 'archives.get': () => new Promise<ReviewArchive>((resolve) => (answer = resolve)), 'archives.review': () => writeJob() });
    store.getState().showArchive(archiveRoute(3));
    const reviewing = store.getState().reviewArchive(3, { decision: 'approve', summary: '', comments: [] });
    await settle();
    transport.emit('jobs.onUpdate', writeJob({ state: 'succeeded', result: approvedArchive() }));
    answer(pendingArchive());
    await reviewing;
    expect(selectShownArchive(store.getState())).toMatchObject({ ready: true, pendingReviews: 0 });
  });

  it('a refused review records nothing and keeps the last write as it was', async () => {
    const { store } = storeWith({ 'archives.review': () => fail('NOT_FOUND', 'No check data.99 in this archive’s readiness.') });
    const r = await store.getState().reviewArchive(3, { decision: 'approve', summary: '', comments: [{ checkId: 'data.99', text: 'x' }] });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(selectArchiveWrite(store.getState(), 3)).toBeNull();
  });

  it('a failed write leaves the review pending (the archive is asked again); writing again starts a new job, or says why it cannot', async () => {
    const { store, transport } = storeWith({ 'archives.get': () => pendingArchive(), 'archives.review': () => writeJob(), 'archives.write': () => writeJob({ id: 'awrite-2' }) });
    store.getState().showArchive(archiveRoute(3));
    await store.getState().reviewArchive(3, { decision: 'approve', summary: '', comments: [] });
    const gets = () => transport.calls.filter((c) => c.method === 'archives.get').length;
    const before = gets();
    transport.emit('jobs.onUpdate', writeJob({ state: 'failed', error: { code: 'CONFLICT', message: 'churn-1.tar.gz is no longer the archive you opened.', remedy: 'Your review is kept in this workspace.' } }));
    await settle();
    expect(gets()).toBe(before + 1);
    expect(selectShownArchive(store.getState())?.pendingReviews).toBe(1);
    expect(selectArchiveWriteJob(store.getState(), 3)?.state).toBe('failed');

    expect(await store.getState().writeArchive(3)).toBe(true);
    expect(transport.calls.at(-1)).toEqual({ method: 'archives.write', input: { id: 3 } });
    expect(selectArchiveWrite(store.getState(), 3)).toEqual({ jobId: 'awrite-2', error: null });

    transport.handle({ 'archives.write': () => fail('CONFLICT', 'churn-1.tar.gz is busy: "Write reviews into churn-1.tar.gz" is running.') });
    expect(await store.getState().writeArchive(3)).toBe(false);
    expect(selectArchiveWrite(store.getState(), 3)).toMatchObject({ jobId: null, error: { code: 'CONFLICT' } });

    // A review refused meanwhile leaves that as it was.
    transport.handle({ 'archives.review': () => fail('INVALID_INPUT', 'Say what has to change.') });
    expect((await store.getState().reviewArchive(3, { decision: 'request-changes', summary: '', comments: [] })).ok).toBe(false);
    expect(selectArchiveWrite(store.getState(), 3)).toMatchObject({ jobId: null, error: { code: 'CONFLICT' } });
  });

  it('forgets the archives of a workspace that was left (the route stays)', async () => {
    const { store } = storeWith({ 'archives.list': () => [reviewArchiveSummary()], 'archives.get': () => reviewArchive(), 'archives.open': () => openJob() });
    store.getState().showArchive(archiveRoute(3));
    await Promise.all([store.getState().loadReviewArchives(), store.getState().loadArchive(3), store.getState().openArchive(ARCHIVE_PATH, false)]);
    store.getState().workspaceChanged(workspaceInfo({ path: '/elsewhere', name: 'Elsewhere' }));
    expect(store.getState()).toMatchObject({ reviewArchives: [], reviewArchivesStatus: 'idle', archive: null, archiveOpen: null, archiveWrites: {}, archiveRoute: { id: 3 } });
  });
});
