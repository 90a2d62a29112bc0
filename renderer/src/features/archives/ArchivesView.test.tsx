// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { withChartLayout } from '../../testing/chart-layout.js';
import type { ReviewArchive } from '../../../../shared/contract/index.js';
import { archiveRoute, type ArchiveTab } from '../../store/index.js';
import { approvedArchive, ARCHIVE_PATH, archiveReadiness, openJob, reviewArchive, reviewArchiveSummary, writeJob } from '../../testing/archive-fixtures.js';
import { fail, type FakeHandlers } from '../../testing/fake-transport.js';
import { attested, review } from '../../testing/readiness-fixtures.js';
import { emitJob, renderView } from '../../testing/render-view.js';
import { BundlesView } from '../bundles/BundlesView.js';

// jsdom lays nothing out: give the score chart the size a browser would, so recharts draws its bars.
withChartLayout();

afterEach(() => {
  cleanup();
});

function renderBundles(handlers: FakeHandlers = {}, archive?: { id: number; tab?: ArchiveTab }) {
  const r = renderView(<BundlesView />, handlers, {
    defaults: {
      'bundles.list': () => [],
      'archives.list': () => [],
      'archives.get': () => reviewArchive(),
    },
  });
  act(() => {
    r.store.getState().setSection('bundles');
    if (archive) r.store.getState().showArchive(archiveRoute(archive.id, archive.tab));
  });
  return r;
}

/** The archive's page once its readiness has arrived (the score, not just the heading). */
async function loadedPage() {
  const panel = await screen.findByRole('tabpanel');
  await within(panel).findByRole('region', { name: 'Score' });
  return panel;
}

describe('Bundles: the archives opened for review', () => {
  it('lists them beside the bundles: the bundle, verdict, score, last review and the reviews not written yet', async () => {
    renderBundles({
      'archives.list': () => [
        reviewArchiveSummary({ ready: true, score: 2.5, lastReview: { reviewer: 'olu', at: '2026-01-11T08:05:00.000Z', decision: 'approve' }, writtenAt: '2026-01-11T08:06:00.000Z' }),
        reviewArchiveSummary({ id: 4, name: 'fraud', version: 2, path: '/home/olu/in/fraud-2.tar.gz', pendingReviews: 2, lastReview: { reviewer: 'olu', at: '2026-01-11T09:00:00.000Z', decision: 'request-changes' } }),
      ],
    });
    const table = await screen.findByRole('table', { name: 'Archives opened for review, most recently opened first' });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Bundle', 'Verdict', 'Score', 'Last review', 'In the archive', 'Opened']);
    const [first, second] = within(table).getAllByRole('row').slice(1);
    expect(within(first!).getByRole('link', { name: 'churn v1' }).getAttribute('href')).toBe('#/bundles/~archives/3');
    expect(first!.textContent).toContain('churn-1.tar.gz');
    expect(within(first!).getByText('ready').className).toContain('badge--success');
    expect(first!.textContent).toContain('2.5');
    expect(within(first!).getByText('approved').className).toContain('badge--success');
    expect(first!.textContent).toContain('written');
    expect(within(second!).getByRole('link', { name: 'fraud v2' }).getAttribute('href')).toBe('#/bundles/~archives/4');
    expect(within(second!).getByText('not ready').className).toContain('badge--warning');
    expect(within(second!).getByText('changes requested')).toBeTruthy();
    expect(within(second!).getByText('2 reviews not written').className).toContain('badge--warning');
    expect(screen.getByRole('region', { name: 'Archives for review' }).textContent).toContain('2 archives · 1 with reviews not written into the archive yet');
  });

  it('says what an archive for review is while there is none', async () => {
    renderBundles();
    const region = await screen.findByRole('region', { name: 'Archives for review' });
    expect(await within(region).findByText(/No archive opened for review yet/)).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'No bundles yet' })).toBeTruthy();
  });
});

describe('Bundles: opening an archive for review', () => {
  it('asks for the path, starts archives.open with the rerun option, shows its progress with Cancel, then the archive’s page', async () => {
    const { store, transport } = renderBundles({ 'archives.open': () => openJob(), 'jobs.cancel': () => openJob({ state: 'cancelled' }) });
    fireEvent.click(await screen.findByRole('button', { name: /Open archive for review/ }));
    const dialog = screen.getByRole('dialog', { name: 'Open an archive for review' });
    const path = within(dialog).getByLabelText('Archive');
    expect(document.activeElement).toBe(path);
    // Browser mode: the in-app picker, not a native dialog.
    expect(within(dialog).getByRole('button', { name: 'Browse…' })).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Open for review' }));
    expect(dialog.textContent).toContain('Type or choose the path of an exported archive');
    expect(transport.calls.some((c) => c.method === 'archives.open')).toBe(false);

    fireEvent.change(path, { target: { value: ARCHIVE_PATH } });
    fireEvent.click(within(dialog).getByLabelText('Load the included image and rerun its smoke test'));
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Open for review' })));
    expect(transport.calls.find((c) => c.method === 'archives.open')?.input).toEqual({ path: ARCHIVE_PATH, rerun: true });

    emitJob(transport, openJob({ state: 'running', progress: 0.4, message: 'Checking 18 files against the manifest' }));
    const progress = within(dialog).getByRole('group', { name: 'Opening the archive in progress' });
    expect(within(progress).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('40');
    expect(progress.textContent).toContain('Checking 18 files against the manifest');
    expect(within(progress).getByRole('button', { name: 'Cancel opening the archive' })).toBeTruthy();

    emitJob(transport, openJob({ state: 'succeeded', progress: 1, result: reviewArchive() }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(store.getState().archiveRoute).toEqual(archiveRoute(3));
    expect(await screen.findByRole('heading', { level: 1, name: 'churn v1' })).toBeTruthy();
    await loadedPage();
  });

  it('an archive that does not verify: what happened and what to do, nothing recorded, and back to the form', async () => {
    const { transport } = renderBundles({ 'archives.open': () => openJob() });
    fireEvent.click(await screen.findByRole('button', { name: /Open archive for review/ }));
    const dialog = screen.getByRole('dialog', { name: 'Open an archive for review' });
    fireEvent.change(within(dialog).getByLabelText('Archive'), { target: { value: ARCHIVE_PATH } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Open for review' })));
    emitJob(
      transport,
      openJob({
        state: 'failed',
        error: { code: 'INVALID_INPUT', message: 'churn-1.tar.gz did not verify: model/model.joblib differs from the manifest. Nothing was recorded.', remedy: 'Ask its author for the archive again, then open it.' },
      }),
    );
    const alert = within(dialog).getByRole('alert');
    expect(alert.textContent).toContain('The archive was not opened');
    expect(alert.textContent).toContain('Nothing was recorded.');
    expect(alert.textContent).toContain('Ask its author for the archive again');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Back to the form' }));
    expect(within(dialog).getByLabelText('Archive')).toBeTruthy();
  });

  it('a path that cannot be opened is refused with why', async () => {
    renderBundles({ 'archives.open': () => fail('NOT_FOUND', `${ARCHIVE_PATH} does not exist.`, 'Check the path, or browse for the archive.') });
    fireEvent.click(await screen.findByRole('button', { name: /Open archive for review/ }));
    const dialog = screen.getByRole('dialog', { name: 'Open an archive for review' });
    fireEvent.change(within(dialog).getByLabelText('Archive'), { target: { value: ARCHIVE_PATH } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Open for review' })));
    expect(within(dialog).getByRole('alert').textContent).toContain('does not exist.');
    expect(within(dialog).queryByRole('group', { name: /in progress/ })).toBeNull();
  });
});

describe('an archive’s page', () => {
  it('heads with the path, the short SHA-256, the verification and the verdict; its readiness is read-only', async () => {
    // The author attested a manual check before exporting.
    renderBundles({ 'archives.get': () => reviewArchive({ readiness: archiveReadiness({ change: { 'data.6': attested() } }) }) }, { id: 3 });
    const panel = await loadedPage();
    expect(screen.getByRole('heading', { level: 1, name: 'churn v1' })).toBeTruthy();
    const facts = document.querySelector<HTMLElement>('.archive-facts')!;
    expect(facts.textContent).toContain(ARCHIVE_PATH);
    expect(facts.textContent).toContain('c0ffee00d15e…');
    expect(facts.textContent).not.toContain(reviewArchive().sha256);
    expect(within(facts).getByText('verified').className).toContain('badge--success');
    expect(within(facts).getByRole('link', { name: 'Verification details' }).getAttribute('href')).toBe('#/bundles/~archives/3/verification');
    expect(document.querySelector('.archive-verdict-badge')!.textContent).toBe('not ready');

    expect(within(panel).getByRole('region', { name: 'Waiting for a reviewer’s approval' })).toBeTruthy();
    expect(within(within(panel).getByRole('region', { name: 'Score' })).getByTestId('final-score').textContent).toBe('1');
    // The gates: the author's overrides with their reason, and no Override button.
    const gates = within(panel).getByRole('list', { name: 'Hand-off gates' });
    expect(gates.querySelectorAll('[data-state="overridden"]')).toHaveLength(3);
    expect(gates.textContent).toContain('Operations build and smoke-test it in their own CI.');
    expect(within(panel).getByRole('region', { name: 'Hand-off gates' }).textContent).toContain('overrides are its author’s');
    // The checks: filters, and every one expanded shows its evidence, but nothing to attest or withdraw.
    const filters = within(panel).getByRole('group', { name: 'Show checks' });
    fireEvent.click(within(filters).getByRole('button', { name: /^Fail/ }));
    expect(panel.querySelectorAll('[data-check]')).toHaveLength(9);
    fireEvent.click(within(filters).getByRole('button', { name: /^All/ }));
    fireEvent.click(within(panel).getByRole('button', { name: 'Expand all' }));
    const data1 = panel.querySelector<HTMLElement>('[data-check="data.1"]')!;
    expect(data1.textContent).toContain('plan (string), region (string)');
    // A bundle file named in the evidence: there is no Files tab to open it on.
    expect(within(data1).queryByRole('link')).toBeNull();
    expect(data1.textContent).toContain('model/metadata.json');
    expect(within(panel).queryAllByRole('button', { name: /^(Attest \S+…|Override|Withdraw)/ })).toEqual([]);
    expect(within(filters).getByRole('button', { name: /^Attested/ }).textContent).toBe('Attested 1');
    expect(panel.querySelector('[data-check="data.6"]')!.textContent).toContain('Attested by ana');
    expect(within(panel).queryByRole('button', { name: 'Evaluate again' })).toBeNull();
  });

  it('shows what verifying the archive found on its Verification tab', async () => {
    const { store } = renderBundles({}, { id: 3 });
    await loadedPage();
    fireEvent.click(screen.getByRole('tab', { name: 'Verification' }));
    expect(store.getState().archiveRoute).toEqual(archiveRoute(3, 'verification'));
    const panel = screen.getByRole('tabpanel');
    expect(within(panel).getByRole('heading', { name: 'Verified' })).toBeTruthy();
    expect(within(panel).getByRole('list', { name: 'Verification checks' }).textContent).toContain('The manifest’s signature is valid.');
  });

  it('records a review with a comment on a check, shows the write’s progress, then that it was written and the new verdict', async () => {
    let stored: ReviewArchive = reviewArchive();
    const { transport } = renderBundles(
      {
        'archives.get': () => stored,
        'archives.review': () => {
          // In the catalog at once; the archive does not hold it yet.
          stored = { ...approvedArchive(), ready: false, summary: reviewArchive().summary, writtenAt: null, pendingReviews: 1 };
          return writeJob();
        },
        'jobs.cancel': () => writeJob({ state: 'cancelled' }),
      },
      { id: 3 },
    );
    const panel = await loadedPage();
    const region = within(panel).getByRole('region', { name: 'Review' });
    const form = within(region).getByRole('form', { name: 'Record a review' });
    expect(form.textContent).toContain('written into churn-1.tar.gz');
    fireEvent.click(within(form).getByRole('radio', { name: /Approve/ }));
    fireEvent.change(within(form).getByLabelText('Summary'), { target: { value: 'Built and smoke-tested in our CI.' } });
    fireEvent.click(within(form).getByRole('button', { name: /Add a comment/ }));
    const comment = within(form).getByRole('group', { name: 'Comment 1' });
    fireEvent.change(within(comment).getByLabelText('On'), { target: { value: 'infrastructure.1' } });
    fireEvent.change(within(comment).getByLabelText('Comment'), { target: { value: 'Reproduced the training run.' } });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Record the review' })));
    expect(transport.calls.find((c) => c.method === 'archives.review')?.input).toEqual({
      id: 3,
      decision: 'approve',
      summary: 'Built and smoke-tested in our CI.',
      comments: [{ checkId: 'infrastructure.1', text: 'Reproduced the training run.' }],
    });
    expect(within(region).getByText(/^Recorded: approved by/)).toBeTruthy();
    // The history has it already; the write runs, and another review waits for it.
    expect(within(region).getByRole('list', { name: 'Reviews, newest first' }).textContent).toContain('Built and smoke-tested in our CI.');
    emitJob(transport, writeJob({ state: 'running', progress: 0.6, message: 'Signing the reviews' }));
    const progress = within(region).getByRole('group', { name: 'Writing into the archive in progress' });
    expect(within(progress).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('60');
    expect(within(progress).getByRole('button', { name: 'Cancel writing into the archive' })).toBeTruthy();
    expect((within(form).getByRole('button', { name: 'Record the review' }) as HTMLButtonElement).disabled).toBe(true);
    // Not twice: the pending warning is for reviews no write here is following.
    expect(panel.querySelector('[data-pending]')).toBeNull();

    emitJob(transport, writeJob({ state: 'succeeded', progress: 1, result: approvedArchive() }));
    const written = region.querySelector<HTMLElement>('[data-write="written"]')!;
    expect(within(written).getByRole('status').textContent).toContain(`Written into ${ARCHIVE_PATH}`);
    expect(written.textContent).toContain('ready');
    expect(within(panel).getByRole('region', { name: 'Ready to hand off' })).toBeTruthy();
    expect(document.querySelector('.archive-verdict-badge')!.textContent).toBe('ready');
    expect(document.querySelector('.archive-facts')!.textContent).not.toContain('not yet');
    expect(panel.querySelector('[data-check="infrastructure.1"]')!.textContent).toContain('1 comment');
  });

  it('a review refused by the backend is not recorded, and says why', async () => {
    renderBundles({ 'archives.review': () => fail('NOT_FOUND', 'No check data.99 in this archive’s readiness.') }, { id: 3 });
    const panel = await loadedPage();
    const form = within(panel).getByRole('form', { name: 'Record a review' });
    fireEvent.click(within(form).getByRole('radio', { name: /Approve/ }));
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Record the review' })));
    expect(within(form).getByRole('alert').textContent).toContain('The review was not recorded');
    expect(panel.querySelector('[data-write]')).toBeNull();
  });

  it('a failed write keeps the review and offers to write it again', async () => {
    const pending = { ...approvedArchive(), ready: false, writtenAt: null, pendingReviews: 1 };
    let stored: ReviewArchive = reviewArchive();
    const { transport } = renderBundles(
      {
        'archives.get': () => stored,
        'archives.review': () => {
          stored = pending;
          return writeJob();
        },
        'archives.write': () => writeJob({ id: 'awrite-2' }),
      },
      { id: 3 },
    );
    const panel = await loadedPage();
    const region = within(panel).getByRole('region', { name: 'Review' });
    const form = within(region).getByRole('form', { name: 'Record a review' });
    fireEvent.click(within(form).getByRole('radio', { name: /Approve/ }));
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Record the review' })));
    await act(async () =>
      emitJob(
        transport,
        writeJob({
          state: 'failed',
          error: { code: 'CONFLICT', message: 'churn-1.tar.gz is no longer the archive you opened (it was moved or replaced).', remedy: 'Your review is kept in this workspace: put the archive back, then write it again.' },
        }),
      ),
    );
    const alert = within(region).getByRole('alert');
    expect(alert.textContent).toContain('kept in this workspace, but it was not written into the archive');
    expect(alert.textContent).toContain('no longer the archive you opened');
    // One way to retry, where the review was made (not also above).
    expect(screen.getAllByRole('button', { name: 'Write into the archive again' })).toHaveLength(1);
    await act(async () => fireEvent.click(within(alert).getByRole('button', { name: 'Write into the archive again' })));
    expect(transport.calls.at(-1)).toEqual({ method: 'archives.write', input: { id: 3 } });
    emitJob(transport, writeJob({ id: 'awrite-2', state: 'running', progress: 0.2 }));
    expect(within(region).getByRole('group', { name: 'Writing into the archive in progress' })).toBeTruthy();
  });

  it('warns on load about reviews recorded here that the archive does not hold, and writes them', async () => {
    const { transport } = renderBundles(
      { 'archives.get': () => reviewArchive({ pendingReviews: 1, readiness: approvedArchive().readiness }), 'archives.write': () => writeJob() },
      { id: 3 },
    );
    const panel = await loadedPage();
    const warning = panel.querySelector<HTMLElement>('[data-pending="1"]')!;
    expect(warning.textContent).toContain('1 review recorded here is not in the archive yet');
    await act(async () => fireEvent.click(within(warning).getByRole('button', { name: 'Write into the archive again' })));
    expect(transport.calls.at(-1)).toEqual({ method: 'archives.write', input: { id: 3 } });
    emitJob(transport, writeJob({ state: 'running', progress: 0.5 }));
    // The progress shows where the button was (under the verdict), not under the form.
    expect(within(panel).getAllByRole('group', { name: 'Writing into the archive in progress' })).toHaveLength(1);
    expect(within(within(panel).getByRole('region', { name: 'Review' })).queryByRole('group', { name: /in progress/ })).toBeNull();
    expect(panel.querySelector('[data-pending]')).toBeNull();
    emitJob(transport, writeJob({ state: 'succeeded', progress: 1, result: approvedArchive() }));
    const written = panel.querySelector<HTMLElement>('[data-write="written"]')!;
    expect(within(written).getByRole('status').textContent).toContain(`Written into ${ARCHIVE_PATH}`);
    expect(within(panel).getByRole('region', { name: 'Ready to hand off' })).toBeTruthy();
  });

  it('names the documents that stay as exported', async () => {
    renderBundles({ 'archives.get': () => reviewArchive({ staleDocuments: ['readiness-report.pdf'], readiness: reviewArchive().readiness }) }, { id: 3 });
    await loadedPage();
    const note = document.querySelector<HTMLElement>('[data-stale]')!;
    expect(note.textContent).toContain('This document stays as exported: readiness-report.pdf.');
  });

  it('an archive this workspace never opened: not found, with a retry', async () => {
    renderBundles({ 'archives.get': () => fail('NOT_FOUND', 'No archive 9 was opened for review in this workspace.') }, { id: 9 });
    expect((await screen.findByRole('alert')).textContent).toContain('No such archive');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
    expect(screen.getByRole('link', { name: /Bundles/ }).getAttribute('href')).toBe('#/bundles');
  });

  it('keeps the history of earlier reviews, the archive’s own and this workspace’s', async () => {
    const readiness = approvedArchive().readiness;
    const reviews = [review({ id: 1, reviewer: 'ana', decision: 'request-changes', summary: 'Operations: please build it in your CI.', comments: [] }), { ...readiness.reviews[0]!, id: 2 }];
    renderBundles({ 'archives.get': () => reviewArchive({ readiness: { ...readiness, reviews } }) }, { id: 3 });
    const panel = await loadedPage();
    const history = within(panel).getByRole('list', { name: 'Reviews, newest first' });
    expect([...history.querySelectorAll(':scope > li')].map((li) => li.getAttribute('data-decision'))).toEqual(['approve', 'request-changes']);
    expect(history.textContent).toContain('Operations: please build it in your CI.');
  });
});
