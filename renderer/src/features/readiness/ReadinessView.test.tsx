// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { withChartLayout } from '../../testing/chart-layout.js';
import type { MethodInput } from '../../../../shared/contract/index.js';
import { bundleRoute, type BundleTab } from '../../store/index.js';
import { bundleFiles, fileContent, readyBundle, smokeJob } from '../../testing/bundle-fixtures.js';
import { fail, type FakeHandlers } from '../../testing/fake-transport.js';
import { attested, earlierReview, failingGate, readinessGate, readinessReport, review } from '../../testing/readiness-fixtures.js';
import { emitJob, renderView } from '../../testing/render-view.js';
import { BundlesView } from '../bundles/BundlesView.js';

// jsdom lays nothing out: give the chart the size a browser would, so recharts draws its bars.
withChartLayout();

afterEach(() => {
  cleanup();
});

function renderTab(handlers: FakeHandlers = {}, tab: BundleTab = 'readiness') {
  const r = renderView(<BundlesView />, handlers, {
    defaults: {
      'bundles.list': () => [],
      'bundles.get': () => readyBundle(),
      'bundles.readFile': ({ path }) => fileContent({ path, text: `contents of ${path}\n` }),
      'readiness.get': () => readinessReport(),
    },
  });
  act(() => {
    r.store.getState().setSection('bundles');
    r.store.getState().showBundle(bundleRoute('churn', { version: 1, tab }));
  });
  return r;
}

/** The tab panel once the report has arrived. */
async function loadedPanel() {
  const panel = await screen.findByRole('tabpanel');
  await within(panel).findByRole('region', { name: 'Score' });
  return panel;
}

const checkRow = (panel: HTMLElement, id: string) => panel.querySelector<HTMLElement>(`[data-check="${id}"]`)!;

describe('the Readiness tab', () => {
  it('says the verdict first, then the score per section with the final one marked, and the band', async () => {
    renderTab();
    const panel = await loadedPanel();
    expect(screen.getByRole('tab', { name: 'Readiness' }).getAttribute('aria-selected')).toBe('true');
    // The gates pass, but nobody approved it yet.
    const verdict = within(panel).getByRole('region', { name: 'Waiting for a reviewer’s approval' });
    expect(panel.firstElementChild!.contains(verdict)).toBe(true);
    expect(verdict.textContent).toContain("Not ready yet: gates pass, waiting for a reviewer's approval. Score 1 (not totally untested).");

    const score = within(panel).getByRole('region', { name: 'Score' });
    const figure = within(score).getByRole('figure', { name: /Score per section/ });
    expect(figure.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(4);
    // The model section (1 point) is the minimum: its bar is the marked one.
    expect(figure.querySelectorAll('.readiness-chart__bar--weakest')).toHaveLength(1);
    expect(score.querySelector('[data-section="model"]')!.className).toContain('is-weakest');
    expect(score.querySelector('[data-section="data"]')!.textContent).toBe('Data4 / 7');
    expect(within(score).getByTestId('final-score').textContent).toBe('1');
    expect(score.textContent).toContain('Not totally untested');
    expect(score.textContent).toContain('(0, 1]');
  });

  it('lists the seven gates; a failing one can be overridden with a reason of at least 10 characters, which is explained', async () => {
    const gates = readinessReport().gates.map((g) => (g.id === 'smoke-test' ? failingGate('smoke-test') : g));
    const after = readinessReport({ gates: gates.map((g) => (g.id === 'smoke-test' ? { ...g, override: { by: 'ana', at: '2026-01-10T10:00:00.000Z', reason: 'Operations run it on their side.' } } : g)) });
    const { transport } = renderTab({ 'readiness.get': () => readinessReport({ gates }), 'readiness.overrideGate': () => after });
    const panel = await loadedPanel();
    expect(within(panel).getByRole('region', { name: 'Not ready to hand off' })).toBeTruthy();
    const list = within(panel).getByRole('list', { name: 'Hand-off gates' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(7);
    const smoke = list.querySelector<HTMLElement>('[data-gate="smoke-test"]')!;
    expect(smoke.dataset.state).toBe('failed');
    expect(smoke.textContent).toContain('Build the image and run the smoke test');
    expect(smoke.textContent).toContain('no image built');
    expect(within(list).getAllByRole('button', { name: /^Override/ })).toHaveLength(1);

    fireEvent.click(within(smoke).getByRole('button', { name: /^Override/ }));
    const dialog = screen.getByRole('dialog', { name: 'Override a hand-off gate' });
    expect(dialog.textContent).toContain('recorded as ana');
    expect(dialog.textContent).toContain('audit log');
    const reason = within(dialog).getByLabelText('Reason');
    expect(document.activeElement).toBe(reason);
    fireEvent.change(reason, { target: { value: 'too short' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Override the gate' }));
    expect(dialog.textContent).toContain('Write at least 10 characters (9 so far).');
    expect(transport.calls.some((c) => c.method === 'readiness.overrideGate')).toBe(false);
    fireEvent.change(reason, { target: { value: '  Operations run it on their side.  ' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Override the gate' })));
    expect(transport.calls.find((c) => c.method === 'readiness.overrideGate')?.input).toEqual({ name: 'churn', version: 1, gateId: 'smoke-test', reason: 'Operations run it on their side.' });
    expect(screen.queryByRole('dialog')).toBeNull();
    const overridden = panel.querySelector<HTMLElement>('[data-gate="smoke-test"]')!;
    expect(overridden.dataset.state).toBe('overridden');
    expect(overridden.textContent).toContain('Operations run it on their side.');
    expect(within(panel).getByRole('region', { name: 'Hand-off gates' }).textContent).toContain('7 of 7 pass (1 overridden)');
  });

  it('groups the checks by section and filters them by status, with a count per filter', async () => {
    renderTab({ 'readiness.get': () => readinessReport({ change: { 'data.3': attested() } }) });
    const panel = await loadedPanel();
    const filters = within(panel).getByRole('group', { name: 'Show checks' });
    expect(within(filters).getAllByRole('button').map((b) => b.textContent)).toEqual(['All 28', 'Fail 9', 'Warn 1', 'Pass 18', 'Attested 1']);
    expect(within(panel).getAllByRole('list', { name: / checks$/ }).map((l) => l.getAttribute('aria-label'))).toEqual(['Data checks', 'Model checks', 'Infrastructure checks', 'Monitoring checks']);
    expect(within(panel).getByRole('heading', { name: /^Data/ }).textContent).toBe('Data 4.5 of 7 points');

    fireEvent.click(within(filters).getByRole('button', { name: /^Warn/ }));
    expect(within(filters).getByRole('button', { name: /^Warn/ }).getAttribute('aria-pressed')).toBe('true');
    expect([...panel.querySelectorAll('[data-check]')].map((c) => c.getAttribute('data-check'))).toEqual(['model.1']);
    expect(within(panel).queryByRole('list', { name: 'Data checks' })).toBeNull();

    fireEvent.click(within(filters).getByRole('button', { name: /^Attested/ }));
    expect([...panel.querySelectorAll('[data-check]')].map((c) => c.getAttribute('data-check'))).toEqual(['data.3']);
    fireEvent.click(within(filters).getByRole('button', { name: /^Fail/ }));
    expect(panel.querySelectorAll('[data-check]')).toHaveLength(9);
    expect(panel.querySelector('[data-check="data.3"]')).toBeNull();
  });

  it('expands a check to how it is evaluated, its evidence with bundle files that open on the Files tab, and what to do', async () => {
    const { store } = renderTab({ 'bundles.get': () => readyBundle({ files: [...bundleFiles(), { path: 'model/metadata.json', sha256: 'ab'.repeat(32), bytes: 900 }] }) });
    const panel = await loadedPanel();
    const row = checkRow(panel, 'data.1');
    const summary = within(row).getByRole('button', { expanded: false });
    fireEvent.click(summary);
    expect(summary.getAttribute('aria-expanded')).toBe('true');
    const details = document.getElementById(summary.getAttribute('aria-controls')!)!;
    expect(details.textContent).toContain('How Greenhouse evaluates data.1.');
    expect(details.textContent).toContain('Automated: Greenhouse computes it.');
    expect(details.textContent).toContain('plan (string), region (string)');
    const file = within(details).getByRole('link', { name: 'model/metadata.json' });
    expect(file.getAttribute('href')).toBe('#/bundles/churn@1/files/model%2Fmetadata.json');
    // Following the link (the hash) opens the Files tab on that file.
    act(() => store.getState().showBundle(bundleRoute('churn', { version: 1, tab: 'files', file: 'model/metadata.json' })));
    const files = await screen.findByRole('listbox', { name: 'Files of the bundle' });
    expect(within(files).getByRole('option', { selected: true }).textContent).toContain('model/metadata.json');
    expect((await screen.findByLabelText('model/metadata.json, read only')).textContent).toContain('contents of model/metadata.json');
    // Choosing another file keeps it in the route.
    fireEvent.click(within(files).getByRole('option', { name: /requirements\.txt/ }));
    expect(store.getState().bundleRoute).toMatchObject({ tab: 'files', file: 'requirements.txt' });

    act(() => store.getState().showBundle(bundleRoute('churn', { version: 1, tab: 'readiness' })));
    const again = await loadedPanel();
    fireEvent.click(within(checkRow(again, 'model.6')).getByRole('button', { expanded: false }));
    expect(checkRow(again, 'model.6').textContent).toContain('What to do');
    expect(checkRow(again, 'model.6').textContent).toContain('Do what model.6 needs.');
  });

  it('attests a manual check with a note (half a point) and withdraws the attestation', async () => {
    const { transport } = renderTab({
      'readiness.attest': () => readinessReport({ change: { 'model.3': attested('ana', 'Grid search over C and the penalty.') } }),
      'readiness.withdrawAttestation': () => readinessReport(),
    });
    const panel = await loadedPanel();
    fireEvent.click(within(checkRow(panel, 'model.3')).getByRole('button', { expanded: false }));
    // An automated check offers no attestation.
    fireEvent.click(within(checkRow(panel, 'model.5')).getByRole('button', { expanded: false }));
    expect(within(checkRow(panel, 'model.5')).queryByRole('button', { name: /^Attest/ })).toBeNull();

    fireEvent.click(within(checkRow(panel, 'model.3')).getByRole('button', { name: 'Attest model.3…' }));
    const dialog = screen.getByRole('dialog', { name: 'Attest model.3' });
    expect(dialog.textContent).toContain('All hyperparameters have been tuned');
    expect(dialog.textContent).toContain('half a point');
    expect(dialog.textContent).toContain('the model section goes from 1 to 1.5 points');
    fireEvent.change(within(dialog).getByLabelText('Note'), { target: { value: 'Grid search over C and the penalty.' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Attest' })));
    expect(transport.calls.find((c) => c.method === 'readiness.attest')?.input).toEqual({ name: 'churn', version: 1, checkId: 'model.3', note: 'Grid search over C and the penalty.' });
    expect(screen.queryByRole('dialog')).toBeNull();

    const row = checkRow(panel, 'model.3');
    expect(row.dataset.basis).toBe('attested');
    expect(row.textContent).toContain('0.5 pt · attested');
    expect(row.textContent).toContain('Attested by ana');
    expect(row.textContent).toContain('Grid search over C and the penalty.');
    expect(within(panel).getByRole('heading', { name: /^Model/ }).textContent).toBe('Model 1.5 of 7 points');
    expect(within(panel).getByTestId('final-score').textContent).toBe('1.5');

    await act(async () => fireEvent.click(within(row).getByRole('button', { name: 'Withdraw the attestation of model.3' })));
    expect(transport.calls.find((c) => c.method === 'readiness.withdrawAttestation')?.input).toEqual({ name: 'churn', version: 1, checkId: 'model.3' });
    expect(checkRow(panel, 'model.3').dataset.basis).toBe('none');
    expect(within(checkRow(panel, 'model.3')).getByRole('button', { name: 'Attest model.3…' })).toBeTruthy();
  });

  it('keeps the attest dialog open with the reason when the backend refuses', async () => {
    renderTab({ 'readiness.attest': () => fail('NOT_FOUND', 'No bundle churn@1.', 'Package it again.') });
    const panel = await loadedPanel();
    fireEvent.click(within(checkRow(panel, 'data.6')).getByRole('button', { expanded: false }));
    fireEvent.click(within(panel).getByRole('button', { name: 'Attest data.6…' }));
    const dialog = screen.getByRole('dialog', { name: 'Attest data.6' });
    fireEvent.change(within(dialog).getByLabelText('Note'), { target: { value: 'A day, scripted.' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Attest' })));
    expect(within(dialog).getByRole('alert').textContent).toContain('No bundle churn@1.');
  });

  it('records a review: request changes with a comment on a chosen check, then approve; the history marks reviews of an earlier manifest', async () => {
    const requested = review({ id: 2, summary: 'Document the tuning.', comments: [{ checkId: 'model.3', text: 'Which search space?' }] });
    const approved = review({ id: 3, decision: 'approve', at: '2026-01-10T11:00:00.000Z', summary: 'Good to go.', comments: [] });
    let reviews = [earlierReview()];
    const { transport } = renderTab({
      'readiness.get': () => readinessReport({ reviews }),
      'readiness.review': (input: MethodInput<'readiness.review'>) => {
        reviews = [...reviews, input.decision === 'approve' ? approved : requested];
        return readinessReport({ reviews });
      },
    });
    const panel = await loadedPanel();
    const reviewPanel = within(panel).getByRole('region', { name: 'Review' });
    expect(reviewPanel.textContent).toContain('not reviewed yet');
    const history = within(reviewPanel).getByRole('list', { name: 'Reviews, newest first' });
    expect(within(history).getAllByRole('listitem')[0]!.textContent).toContain('earlier manifest');

    const form = within(reviewPanel).getByRole('form', { name: 'Record a review' });
    // Nothing chosen: say what is missing.
    fireEvent.click(within(form).getByRole('button', { name: 'Record the review' }));
    expect(within(form).getByRole('alert').textContent).toBe('Choose approve or request changes.');
    fireEvent.click(within(form).getByRole('radio', { name: /Request changes/ }));
    fireEvent.click(within(form).getByRole('button', { name: 'Record the review' }));
    expect(within(form).getByRole('alert').textContent).toContain('a summary or a comment on a check');

    fireEvent.click(within(form).getByRole('button', { name: /Add a comment/ }));
    const comment = within(form).getByRole('group', { name: 'Comment 1' });
    const on = within(comment).getByLabelText('On') as HTMLSelectElement;
    expect(within(on).getAllByRole('option')).toHaveLength(1 + 7 + 28);
    fireEvent.change(on, { target: { value: 'model.3' } });
    fireEvent.change(within(comment).getByLabelText('Comment'), { target: { value: 'Which search space?' } });
    fireEvent.change(within(form).getByLabelText('Summary'), { target: { value: 'Document the tuning.' } });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Record the review' })));
    expect(transport.calls.find((c) => c.method === 'readiness.review')?.input).toEqual({
      name: 'churn',
      version: 1,
      decision: 'request-changes',
      summary: 'Document the tuning.',
      comments: [{ checkId: 'model.3', text: 'Which search space?' }],
    });
    expect(within(reviewPanel).getByRole('status').textContent).toContain('changes requested by olu');
    expect(within(form).queryByRole('group', { name: 'Comment 1' })).toBeNull();
    // The comment shows on the check.
    expect(within(checkRow(panel, 'model.3')).getByRole('button', { expanded: false }).textContent).toContain('1 comment');
    fireEvent.click(within(checkRow(panel, 'model.3')).getByRole('button', { expanded: false }));
    expect(checkRow(panel, 'model.3').textContent).toContain('Which search space?');

    fireEvent.click(within(form).getByRole('radio', { name: /Approve/ }));
    fireEvent.change(within(form).getByLabelText('Summary'), { target: { value: 'Good to go.' } });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Record the review' })));
    const items = [...within(reviewPanel).getByRole('list', { name: 'Reviews, newest first' }).querySelectorAll(':scope > li')];
    expect(items.map((i) => i.getAttribute('data-decision'))).toEqual(['approve', 'request-changes', 'approve']);
    expect(items.map((i) => i.getAttribute('data-current'))).toEqual(['true', 'true', 'false']);
    expect(items[1]!.textContent).toContain('model.3 · All hyperparameters have been tuned');
    expect(items[1]!.textContent).toContain('Which search space?');
    expect(within(reviewPanel).getAllByText('approved')[0]!.className).toContain('badge--success');
    // Approved with every gate passing: ready.
    expect(within(panel).getByRole('region', { name: 'Ready to hand off' }).textContent).toContain('Ready: gates pass and approved by olu.');
  });

  it('writes the report as HTML, PDF or JSON and shows the path written', async () => {
    const { transport } = renderTab({
      'readiness.writeReport': ({ format }) => (format === 'pdf' ? fail('IO_ERROR', 'No browser to print the PDF with.', 'Install Chromium.') : { path: `/home/ana/churn/bundles/churn-1/readiness-report.${format}`, bytes: 48_000, format }),
    });
    const panel = await loadedPanel();
    const report = within(panel).getByRole('group', { name: 'Report' });
    await act(async () => fireEvent.click(within(report).getByRole('button', { name: 'Write the HTML report' })));
    expect(transport.calls.find((c) => c.method === 'readiness.writeReport')?.input).toEqual({ name: 'churn', version: 1, format: 'html' });
    expect(report.querySelector('[data-format="html"]')!.textContent).toContain('/home/ana/churn/bundles/churn-1/readiness-report.html');
    expect(within(report).getByRole('button', { name: 'Copy the HTML report’s path' })).toBeTruthy();
    await act(async () => fireEvent.click(within(report).getByRole('button', { name: 'Write the PDF report' })));
    expect(within(report).getByRole('alert').textContent).toContain('No browser to print the PDF with.');
  });

  it('evaluates again when a bundle job finishes', async () => {
    let final = 1;
    const { transport } = renderTab({ 'readiness.get': () => readinessReport({ change: final > 1 ? { 'model.3': attested() } : {} }) });
    const panel = await loadedPanel();
    expect(within(panel).getByTestId('final-score').textContent).toBe('1');
    final = 1.5;
    emitJob(transport, smokeJob({ state: 'succeeded' }));
    await waitFor(() => expect(within(panel).getByTestId('final-score').textContent).toBe('1.5'));
  });

  it('says why the checklist could not be evaluated, with a retry', async () => {
    let calls = 0;
    renderTab({ 'readiness.get': () => (++calls === 1 ? fail('IO_ERROR', 'manifest.json is unreadable.') : readinessReport()) });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('manifest.json is unreadable.');
    fireEvent.click(within(alert).getByRole('button', { name: /Try again|Retry/ }));
    await loadedPanel();
  });
});

describe('the Overview’s readiness summary', () => {
  it('shows the final score, band, gates and review state, and links to the checklist', async () => {
    renderTab(
      {
        'readiness.get': () =>
          readinessReport({
            gates: readinessReport().gates.map((g) => (g.id === 'no-secrets' ? failingGate('no-secrets') : g.id === 'smoke-test' ? readinessGate({ id: 'smoke-test', passed: false, override: { by: 'ana', at: '2026-01-10T10:00:00.000Z', reason: 'Run by operations.' } }) : g)),
            reviews: [review()],
          }),
      },
      'overview',
    );
    const panel = await screen.findByRole('tabpanel');
    const summary = await within(panel).findByRole('region', { name: 'Readiness' });
    await waitFor(() => expect(summary.textContent).toContain('Final score'));
    expect(summary.textContent).toContain('Not ready: 1 hand-off gates fail.');
    expect(summary.textContent).toContain('Not totally untested, score in (0, 1]');
    expect(summary.textContent).toContain('export blocked by failing gates');
    expect(summary.textContent).toContain('6 of 7 pass · 1 overridden · 1 blocking export');
    expect(summary.textContent).toContain('changes requested by olu');
    expect(within(summary).getByRole('link', { name: 'Open the checklist' }).getAttribute('href')).toBe('#/bundles/churn@1/readiness');
  });
});
