// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { Suspense } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelDetail } from '../../../../shared/contract/index.js';
import { createAppStore, modelRoute, type ModelTab } from '../../store/index.js';
import { StoreProvider } from '../../store/store-context.js';
import { createFakeTransport, fail, type FakeHandlers } from '../../testing/fake-transport.js';
import { appInfo, workspaceInfo } from '../../testing/fixtures.js';
import { mismatch, modelDetail, modelVersion, unsafeScan } from '../../testing/model-fixtures.js';
import { ModelPage } from './ModelPage.js';

afterEach(cleanup);

function renderPage(detail: ModelDetail = modelDetail(), tab: ModelTab = 'overview', handlers: FakeHandlers = {}) {
  const transport = createFakeTransport({ 'models.get': () => detail, ...handlers });
  const store = createAppStore(transport, { storage: null });
  const route = modelRoute(detail.name, { tab });
  store.setState({ appInfo: appInfo(), workspace: workspaceInfo(), section: 'models', modelRoute: route });
  const view = () => (
    <StoreProvider store={store}>
      <Suspense>
        <ModelPage route={store.getState().modelRoute!} onRegisterVersion={() => undefined} />
      </Suspense>
    </StoreProvider>
  );
  const result = render(view());
  // The page follows the route in the store, as the section does.
  store.subscribe(() => result.rerender(view()));
  return { store, transport };
}

const panel = () => screen.getByRole('tabpanel');

describe('ModelPage', () => {
  it('shows the header facts, the lineage links and the environment’s mismatches on the overview', async () => {
    renderPage(modelDetail({ mismatches: [mismatch(), mismatch({ kind: 'version-differs', package: 'scikit-learn', expected: '1.2.1', actual: '1.3.0', source: 'the model’s pickle', message: 'Recorded 1.2.1, installed 1.3.0.' })] }));
    expect(await screen.findByRole('heading', { level: 1, name: 'churn' })).toBeTruthy();
    await screen.findByRole('tabpanel'); // shown once the version has loaded
    const facts = document.querySelector('.model-facts')!;
    expect(facts.textContent).toContain('Pipeline');
    expect(facts.textContent).toContain('/home/ana/churn/model.joblib');
    expect(within(facts as HTMLElement).getByRole('link', { name: 'python3 v1' }).getAttribute('href')).toBe('#/environments/python3@1');
    expect(screen.getByText('safe').className).toContain('badge--success');
    // The model's drift checks are a click away.
    expect(screen.getByRole('link', { name: 'Monitoring' }).getAttribute('href')).toBe('#/monitoring/churn');

    expect(within(panel()).getByRole('link', { name: /customers/ }).getAttribute('href')).toBe('#/datasets/customers@1');
    expect(within(panel()).getByRole('link', { name: /train/ }).getAttribute('href')).toBe('#/notebooks/train@1');
    const table = within(panel()).getByRole('table', { name: 'What the model needs that its environment lacks' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]!.className).toContain('mismatch--missing-package');
    expect(within(rows[0]!).getByText('Missing').className).toContain('badge--danger');
    expect(rows[0]!.textContent).toContain('not installed');
    expect(within(rows[1]!).getByText('Version differs').className).toContain('badge--warning');
    expect(rows[1]!.textContent).toContain('1.3.0');
  });

  it('lists the scan’s findings with severity badges, its globals with the allowed flag, and the recorded versions', async () => {
    const override = { by: 'ana', reason: 'Built by our own CI from a clean checkout.', at: '2026-01-10T09:00:00.000Z' };
    renderPage(modelDetail({ scan: unsafeScan({ recordedVersions: { 'scikit-learn': '1.2.1' } }), version: modelVersion({ scanOverride: override }) }), 'scan');
    await screen.findByRole('tabpanel'); // shown once the version has loaded
    expect(panel().querySelector('[data-verdict="unsafe"]')!.textContent).toContain('Built by our own CI');
    const findings = within(panel()).getByRole('table', { name: 'Scan findings' });
    expect(within(findings).getByText('critical').className).toContain('badge--danger');
    expect(findings.textContent).toContain('posix.system');
    const globals = within(panel()).getByRole('table', { name: 'Globals the file imports when it loads' });
    expect(within(globals).getByRole('row', { name: /posix system not allowed 1/ })).toBeTruthy();
    expect(panel().textContent).toContain('scikit-learn1.2.1');
    expect(screen.getByText('loaded despite the scan')).toBeTruthy();
  });

  it('shows parameters, the pipeline as a tree with its columns, and the feature importances as a chart and a table', async () => {
    renderPage(modelDetail(), 'parameters');
    await screen.findByRole('tabpanel'); // shown once the version has loaded
    const tree = within(panel()).getByRole('list', { name: 'Pipeline steps' });
    const prep = within(tree).getByText('prep').closest('li')!;
    expect(within(prep).getByText('OneHotEncoder')).toBeTruthy();
    expect(within(prep).getByLabelText('Columns: monthly_spend, age')).toBeTruthy();
    expect(within(panel()).getByRole('rowheader', { name: 'clf__C' })).toBeTruthy();
    expect(panel().querySelector('[data-chart="feature-importances"]')).toBeTruthy();
    const importances = within(panel()).getByRole('table', { name: 'Feature importances' });
    expect(within(importances).getAllByRole('rowheader').map((r) => r.textContent)).toEqual(['monthly_spend', 'plan', 'age']);
  });

  it('shows the signature’s inputs and outputs, and the golden rows with predictions and probabilities', async () => {
    const { store } = renderPage(modelDetail(), 'signature');
    await screen.findByRole('tabpanel'); // shown once the version has loaded
    const inputs = within(panel()).getByRole('table', { name: 'Signature inputs' });
    expect(within(inputs).getByRole('row', { name: /monthly_spend float64 nullable/ })).toBeTruthy();
    expect(within(inputs).getByRole('row', { name: /plan string required/ })).toBeTruthy();
    expect(within(panel()).getByRole('table', { name: 'Signature outputs' }).textContent).toContain('probability');

    act(() => store.getState().showModel(modelRoute('churn', { tab: 'examples' })));
    const golden = within(panel()).getByRole('table', { name: 'Golden examples and predictions' });
    expect(within(golden).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['#', 'plan', 'monthly_spend', 'age', 'Prediction', 'P(false)', 'P(true)']);
    const first = within(golden).getAllByRole('row')[1]!;
    expect(first.textContent).toBe('1pro61.534true0.20.8');
    expect(panel().textContent).toContain('scikit-learn 1.2.1');
  });

  it('says per metric whether it beats the baseline, and records new metrics', async () => {
    const { transport } = renderPage(modelDetail(), 'metrics', {
      'models.recordMetrics': ({ values }) => ({ ...modelDetail().metrics!, source: 'form', values, baseline: null }),
    });
    await screen.findByRole('tabpanel'); // shown once the version has loaded
    const table = within(panel()).getByRole('table', { name: 'Metrics against the baseline' });
    const row = (name: string) => within(table).getByRole('rowheader', { name: new RegExp(`^${name}`) }).closest('tr')!;
    expect(row('accuracy').dataset.verdict).toBe('beats');
    expect(within(row('accuracy')).getByText('beats baseline')).toBeTruthy();
    expect(row('accuracy').textContent).toContain('+0.04');
    expect(row('f1').dataset.verdict).toBe('loses');
    expect(within(row('f1')).getByText('does not beat baseline').closest('.badge')!.className).toContain('badge--danger');
    // For a loss, lower is better: 0.62 against 0.5 does not beat it.
    expect(row('log_loss').dataset.verdict).toBe('loses');
    expect(row('log_loss').textContent).toContain('lower is better');

    const form = within(panel()).getByRole('form', { name: 'Record metrics' });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Record metrics' })));
    expect(within(form).getByText('Enter at least one metric and its value.')).toBeTruthy();
    fireEvent.change(within(form).getByLabelText('Metric 1 name'), { target: { value: 'auc' } });
    fireEvent.change(within(form).getByLabelText('Metric 1 value'), { target: { value: '0.91' } });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Record metrics' })));
    expect(transport.calls.find((c) => c.method === 'models.recordMetrics')?.input).toEqual({ name: 'churn', version: 1, values: { auc: 0.91 } });
    expect(within(panel()).getByRole('table', { name: 'Metrics against the baseline' }).textContent).toContain('no baseline');
  });

  it('renders the card as markdown and saves one section at a time', async () => {
    const { transport } = renderPage(modelDetail(), 'card', {
      'models.updateCard': ({ card }) => ({ ...modelDetail().card, ...card }),
    });
    await screen.findByRole('tabpanel'); // shown once the version has loaded
    const details = within(panel()).getByRole('region', { name: 'Model details' });
    expect(within(details).getByText('logistic regression').tagName).toBe('STRONG');
    const intended = within(panel()).getByRole('region', { name: 'Intended use' });
    expect(intended.textContent).toContain('Not written yet');
    fireEvent.click(within(intended).getByRole('button', { name: 'Edit Intended use' }));
    fireEvent.change(within(intended).getByLabelText('Intended use (markdown)'), { target: { value: 'Rank customers for **retention** calls.' } });
    await act(async () => fireEvent.click(within(intended).getByRole('button', { name: 'Save Intended use' })));
    expect(transport.calls.find((c) => c.method === 'models.updateCard')?.input).toEqual({
      name: 'churn',
      version: 1,
      card: { intendedUse: 'Rank customers for **retention** calls.' },
    });
    expect(within(intended).getByText('retention').tagName).toBe('STRONG');
  });

  it('says why a failed card save failed, and keeps the draft', async () => {
    renderPage(modelDetail(), 'card', { 'models.updateCard': () => fail('CONFLICT', 'Version 1 of churn is bundled.', 'Register a new version to change its card.') });
    await screen.findByRole('tabpanel'); // shown once the version has loaded
    const caveats = within(panel()).getByRole('region', { name: 'Caveats and recommendations' });
    fireEvent.click(within(caveats).getByRole('button', { name: 'Edit Caveats and recommendations' }));
    fireEvent.change(within(caveats).getByRole('textbox'), { target: { value: 'Retrain monthly.' } });
    await act(async () => fireEvent.click(within(caveats).getByRole('button', { name: /^Save/ })));
    expect(within(caveats).getByRole('alert').textContent).toContain('Register a new version to change its card.');
    expect((within(caveats).getByRole('textbox') as HTMLTextAreaElement).value).toBe('Retrain monthly.');
  });

  it('disables editing the card and recording metrics of a bundled version, and says why', async () => {
    const { store } = renderPage(modelDetail({ version: modelVersion({ bundled: true }) }), 'card');
    await screen.findByRole('tabpanel'); // shown once the version has loaded
    expect(within(panel()).getByRole('note').textContent).toContain('went into a bundle');
    for (const button of within(panel()).getAllByRole('button', { name: /^Edit/ })) expect((button as HTMLButtonElement).disabled).toBe(true);
    act(() => store.getState().showModel(modelRoute('churn', { tab: 'metrics' })));
    expect(within(panel()).queryByRole('form', { name: 'Record metrics' })).toBeNull();
    expect(panel().textContent).toContain('can no longer change');
  });

  it('keeps the tab in the route and shows another version from the Versions tab', async () => {
    const v2 = modelVersion({ version: 2, sha256: 'c'.repeat(64) });
    const { store, transport } = renderPage(modelDetail({ versions: [modelVersion(), v2], version: v2 }), 'versions');
    await screen.findByRole('tabpanel'); // shown once the version has loaded
    fireEvent.click(within(panel()).getByRole('button', { name: 'Show version 1' }));
    expect(store.getState().modelRoute).toEqual(modelRoute('churn', { version: 1, tab: 'overview' }));
    await waitFor(() => expect(transport.calls.at(-1)).toEqual({ method: 'models.get', input: { name: 'churn', version: 1 } }));
    fireEvent.click(screen.getByRole('tab', { name: /Scan/ }));
    expect(store.getState().modelRoute?.tab).toBe('scan');
  });
});
