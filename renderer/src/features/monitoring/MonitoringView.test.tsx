// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { withChartLayout } from '../../testing/chart-layout.js';
import { monitoringRoute, type MonitoringRoute } from '../../store/index.js';
import { fail, type FakeHandlers } from '../../testing/fake-transport.js';
import { job } from '../../testing/fixtures.js';
import { modelDetail, modelSummary, modelVersion } from '../../testing/model-fixtures.js';
import { calmCheck, driftCheck, driftFeature, driftJob, driftSettings, driftSummary } from '../../testing/monitoring-fixtures.js';
import { emitJob, renderView, type RenderViewOptions } from '../../testing/render-view.js';
import { MonitoringView } from './MonitoringView.js';

// jsdom lays nothing out: give the charts the size a browser would, so recharts draws them.
withChartLayout({ width: 600, height: 240 });

afterEach(() => {
  cleanup();
});

const DEFAULTS: FakeHandlers = {
  'models.list': () => [modelSummary()],
  'models.get': () => modelDetail(),
  'drift.history': ({ limit }) => [driftSummary(driftCheck()), driftSummary(calmCheck())].slice(0, limit ?? 200),
  'drift.latest': () => [driftSummary(driftCheck())],
  'drift.get': ({ id }) => (id === 1 ? calmCheck() : driftCheck()),
  'drift.settings': () => driftSettings(),
};

function renderPage(handlers: FakeHandlers = {}, route: MonitoringRoute | null = monitoringRoute('churn'), info?: RenderViewOptions['info']) {
  const r = renderView(<MonitoringView />, handlers, { defaults: DEFAULTS, info });
  act(() => {
    r.store.getState().setSection('monitoring');
    r.store.getState().showMonitoring(route);
  });
  return r;
}

/** The shown check once it has arrived: its verdict and its features. */
async function loadedResult() {
  const verdict = await screen.findByRole('region', { name: /^(Drift|No drift)$/ });
  const features = screen.getByRole('region', { name: 'Features' });
  return { verdict, features };
}

const featureOrder = (features: HTMLElement) => [...features.querySelectorAll<HTMLElement>('tbody tr')].map((r) => r.dataset.feature);
/** jsdom does not toggle a <details> on a click of its summary. */
function openNumbers(figure: HTMLElement) {
  const details = figure.querySelector('details')!;
  act(() => {
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
  });
}

/** The bars drawn (an empty share draws none) of each side. */
const bars = (figure: HTMLElement) => ({
  reference: figure.querySelectorAll('.drift-chart__reference .recharts-bar-rectangle path').length,
  current: figure.querySelectorAll('.drift-chart__current .recharts-bar-rectangle path').length,
});

describe('the Monitoring section', () => {
  it('lists the models with their latest verdict, each opening its monitoring page', async () => {
    const { transport, store } = renderPage(
      {
        'models.list': () => [modelSummary(), modelSummary({ name: 'upsell', latestVersion: 2 })],
        'drift.latest': () => [driftSummary()],
      },
      null,
    );
    const table = await screen.findByRole('table', { name: 'Models and their latest drift check' });
    const churn = table.querySelector<HTMLElement>('[data-model="churn"]')!;
    await waitFor(() => expect(churn.dataset.verdict).toBe('drift'));
    expect(churn.textContent).toContain('2 of 4 (50%) · age, monthly_spend');
    expect(churn.textContent).toContain('november.csv · 300 rows');
    expect(table.querySelector<HTMLElement>('[data-model="upsell"]')!.dataset.verdict).toBe('none');
    expect(within(table.querySelector<HTMLElement>('[data-model="upsell"]')!).getByText('never checked')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Models' }).textContent).toContain('2 models, 1 drifting');
    // One read for every model's newest check, none per model.
    expect(transport.calls.filter((c) => c.method === 'drift.latest')).toHaveLength(1);
    expect(transport.calls.filter((c) => c.method === 'drift.history')).toEqual([]);
    expect(within(table).getByRole('link', { name: /^churn/ }).getAttribute('href')).toBe('#/monitoring/churn');
    expect(store.getState().monitoringRoute).toBeNull();
  });

  it('says what monitoring is for while there is no model', async () => {
    renderPage({ 'models.list': () => [] }, null);
    expect(await screen.findByRole('heading', { level: 2, name: 'No models to monitor yet' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go to Models' }).getAttribute('href')).toBe('#/models');
  });
});

describe('a model’s monitoring page', () => {
  it('says the verdict first: drift or not, the share of features drifted against the threshold, rows, skipped lines, warnings', async () => {
    renderPage({ 'drift.get': () => driftCheck({ skipped: 7, warnings: ['3 columns of the batch are not model inputs: id, churned, note.'] }) });
    const { verdict } = await loadedResult();
    expect(screen.getByRole('heading', { level: 1, name: 'churn' })).toBeTruthy();
    const result = verdict.closest<HTMLElement>('.drift-result')!;
    // The verdict comes before the features.
    expect(result.firstElementChild).toBe(verdict);
    expect(verdict.dataset.verdict).toBe('drift');
    expect(within(verdict).getByRole('heading', { level: 2 }).textContent).toBe('Drift');
    expect(verdict.textContent).toContain('2 of 4 features drifted (50%), at or above the 50% that makes the batch drift. Drifted: age, monthly_spend.');
    expect(within(verdict).getByTestId('drift-share').textContent).toBe('50%');
    const facts = verdict.querySelector('.drift-verdict__facts')!;
    expect(facts.textContent).toContain('Rows300');
    expect(facts.textContent).toContain('Malformed lines skipped7');
    expect(facts.textContent).toContain('/data/batches/november.csv');
    expect(within(verdict).getByRole('list', { name: 'Warnings' }).textContent).toContain('3 columns of the batch are not model inputs');
    expect(within(verdict).getByRole('link', { name: 'customers v1' }).getAttribute('href')).toBe('#/datasets/customers@1');
  });

  it('lists the features most severe first, and charts the selected one: reference against current, the special buckets named', async () => {
    const plan = driftFeature({
      unlisted: [{ value: 'platinum', count: 12 }],
      buckets: [...driftFeature().buckets.slice(0, 3), { ...driftFeature().buckets[3]!, current: 12, currentShare: 0.04 }, driftFeature().buckets[4]!],
    });
    renderPage({ 'drift.get': () => driftCheck({ features: [driftCheck().features[0]!, driftCheck().features[1]!, plan, driftCheck().features[3]!] }) });
    const { features } = await loadedResult();
    expect(featureOrder(features)).toEqual(['age', 'monthly_spend', 'plan', 'region']);
    const rows = [...features.querySelectorAll<HTMLElement>('tbody tr')];
    expect(rows.map((r) => r.dataset.drifted)).toEqual(['true', 'true', 'false', 'false']);
    expect(rows[0]!.textContent).toContain('3.905significant');
    expect(rows[0]!.textContent).toContain('KS p = 4.2e-33');
    expect(rows[0]!.textContent).toContain('PSI 3.905 is significant; KS p = 4.2e-33 < 0.05.');
    expect(within(rows[2]!).getByText('no drift')).toBeTruthy();
    expect(rows[2]!.textContent).toContain('χ² p = 0.863');

    // The most severe feature is selected first.
    expect(within(features).getByRole('button', { name: 'age' }).getAttribute('aria-pressed')).toBe('true');
    const age = within(features).getByRole('region', { name: 'age' });
    const ageChart = within(age).getByRole('figure', { name: /Reference vs current: age/ });
    expect(ageChart.querySelectorAll('.drift-chart__reference .recharts-bar-rectangle').length).toBeGreaterThan(0);
    expect(ageChart.querySelectorAll('.drift-chart__current .recharts-bar-rectangle').length).toBeGreaterThan(0);
    // Three bins side by side; the empty null bucket is not drawn, but the numbers list it.
    expect(bars(ageChart)).toEqual({ reference: 3, current: 2 });
    expect(age.querySelector('[data-fact="out-of-range"]')!.textContent).toContain('0 below the minimum · 110 above the maximum');
    openNumbers(ageChart);
    expect(within(ageChart).getByRole('table').textContent).toContain('null (missing values)');

    fireEvent.click(within(features).getByRole('button', { name: 'plan' }));
    expect(within(features).getByRole('button', { name: 'plan' }).getAttribute('aria-pressed')).toBe('true');
    expect(within(features).queryByRole('region', { name: 'age' })).toBeNull();
    const planDetail = within(features).getByRole('region', { name: 'plan' });
    const planChart = within(planDetail).getByRole('figure', { name: /Reference vs current: plan/ });
    // Three categories on both sides, and the batch's new values in the other/new bucket.
    expect(bars(planChart)).toEqual({ reference: 3, current: 4 });
    expect(planChart.querySelector('svg desc')?.textContent).toContain('Category shares of plan in the training reference and in the batch, 4 buckets.');
    openNumbers(planChart);
    const numbers = within(planChart).getByRole('table');
    expect([...numbers.querySelectorAll('tbody th')].map((th) => th.textContent)).toEqual(['enterprise', 'pro', 'basic', 'other/new (values the reference does not list)', 'null (missing values)']);
    expect(within(planDetail).getByRole('list', { name: 'New categories of plan' }).textContent).toBe('platinum ×12');
  });

  it('lists the schema violations on their own, and the predictions like a feature when the batch held them', async () => {
    const prediction = { ...driftFeature({ name: 'prediction', drifted: true, psiBand: 'significant', psi: 0.4, reason: 'PSI 0.400 is significant; χ² p = 1.0e-9 < 0.05.' }), column: 'prediction', reference: { source: 'golden' as const, rows: 100 } };
    renderPage({ 'drift.get': () => driftCheck({ predictionDrift: prediction }) });
    await loadedResult();
    const violations = screen.getByRole('region', { name: 'Schema violations' });
    const list = within(violations).getByRole('list', { name: 'Schema violations' });
    expect(within(list).getAllByRole('listitem').map((li) => li.dataset.column)).toEqual(['monthly_spend', 'age']);
    expect(list.textContent).toContain('186 values of monthly_spend are outside the training range');
    const predictions = screen.getByRole('region', { name: 'Predictions' });
    expect(within(predictions).getByRole('region', { name: 'Prediction drift: prediction' }).dataset.drifted).toBe('true');
    expect(within(predictions).getByRole('figure', { name: /Reference vs current: prediction/ })).toBeTruthy();
  });

  it('shows the history as a time series with drifted checks marked, and opens an earlier check from the list', async () => {
    const { store, transport } = renderPage();
    await loadedResult();
    const history = screen.getByRole('region', { name: 'History' });
    expect(history.textContent).toContain('2 checks, 1 with drift');
    const chart = within(history).getByRole('figure', { name: /Share of features drifted per check/ });
    // Oldest first: the calm check, then the drifted one.
    await waitFor(() => expect([...chart.querySelectorAll<SVGElement>('[data-check]')].map((d) => d.getAttribute('data-check'))).toEqual(['1', '3']));
    expect(chart.querySelectorAll('.drift-history__dot--drift')).toHaveLength(1);
    expect(chart.querySelector('.drift-history__dot--drift')!.getAttribute('data-check')).toBe('3');

    const list = within(history).getByRole('list', { name: 'Drift checks, newest first' });
    const items = within(list).getAllByRole('link');
    expect(items.map((a) => a.getAttribute('href'))).toEqual(['#/monitoring/churn/checks/3', '#/monitoring/churn/checks/1']);
    expect(items[0]!.getAttribute('aria-current')).toBe('true');
    expect(items[1]!.textContent).toContain('october.csv');

    // Following a link changes the route (as the hash does): the earlier check loads.
    act(() => store.getState().showMonitoring(monitoringRoute('churn', { check: 1 })));
    const calm = await screen.findByRole('region', { name: 'No drift' });
    expect(calm.textContent).toContain('0 of 4 features drifted (0%), below the 50% that makes the batch drift.');
    expect(transport.calls.filter((c) => c.method === 'drift.get').map((c) => c.input)).toEqual([{ id: 3 }, { id: 1 }]);
    expect(within(list).getAllByRole('link')[1]!.getAttribute('aria-current')).toBe('true');
  });

  it('runs a check on a typed path as a job with progress and Cancel, then shows its result', async () => {
    const { transport, store } = renderPage({
      'drift.history': () => [driftSummary(calmCheck())],
      'drift.check': () => driftJob(),
      'jobs.cancel': () => driftJob({ state: 'running', progress: 0.4 }),
    });
    await screen.findByRole('region', { name: 'No drift' });
    const form = screen.getByRole('region', { name: 'Check a batch' });
    fireEvent.click(within(form).getByRole('button', { name: 'Run the check' }));
    expect(within(form).getByText('Give the batch to check: a file or folder on this computer.')).toBeTruthy();
    expect(transport.calls.some((c) => c.method === 'drift.check')).toBe(false);

    fireEvent.change(within(form).getByLabelText('Batch file'), { target: { value: ' /data/batches/november.csv ' } });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Run the check' })));
    expect(transport.calls.find((c) => c.method === 'drift.check')?.input).toEqual({ model: 'churn', data: '/data/batches/november.csv', bundle: false });

    emitJob(transport, driftJob({ state: 'running', progress: 0.4, message: 'Comparing age…' }));
    const progress = within(form).getByRole('group', { name: 'Drift check in progress' });
    expect(within(progress).getByRole('progressbar', { name: 'Drift check progress' }).getAttribute('aria-valuenow')).toBe('40');
    expect(progress.textContent).toContain('Comparing age…');
    expect(within(form).getByRole('button', { name: 'Run the check' })).toHaveProperty('disabled', true);
    await act(async () => fireEvent.click(within(progress).getByRole('button', { name: 'Cancel the drift check' })));
    expect(transport.calls.find((c) => c.method === 'jobs.cancel')?.input).toEqual({ id: 'drift-1' });

    transport.handle({ 'drift.history': () => [driftSummary(driftCheck()), driftSummary(calmCheck())] });
    emitJob(transport, driftJob({ state: 'succeeded', progress: 1, message: 'Drift', result: driftCheck() }));
    expect(within(form).queryByRole('group', { name: 'Drift check in progress' })).toBeNull();
    const verdict = await screen.findByRole('region', { name: 'Drift' });
    expect(verdict.dataset.verdict).toBe('drift');
    expect(store.getState().monitoringRoute).toEqual(monitoringRoute('churn', { check: 3 }));
    await waitFor(() => expect(within(screen.getByRole('region', { name: 'History' })).getAllByRole('link')).toHaveLength(2));
  });

  it('checks against the bundle’s reference only for a bundled version', async () => {
    const { transport } = renderPage({
      'models.get': () => modelDetail({ versions: [modelVersion({ version: 1, bundled: true }), modelVersion({ version: 2 })], version: modelVersion({ version: 2 }) }),
      'drift.check': () => driftJob(),
    });
    await loadedResult();
    const form = screen.getByRole('region', { name: 'Check a batch' });
    const bundle = within(form).getByLabelText('Compare with the bundle’s reference');
    expect(bundle).toHaveProperty('disabled', true);
    expect(form.textContent).toContain('v2 has no bundle');
    fireEvent.change(within(form).getByLabelText('Model version'), { target: { value: '1' } });
    await waitFor(() => expect(within(form).getByLabelText('Compare with the bundle’s reference')).toHaveProperty('disabled', false));
    fireEvent.click(within(form).getByLabelText('Compare with the bundle’s reference'));
    fireEvent.change(within(form).getByLabelText('Batch file'), { target: { value: '/data/b.csv' } });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Run the check' })));
    expect(transport.calls.find((c) => c.method === 'drift.check')?.input).toEqual({ model: 'churn', version: 1, data: '/data/b.csv', bundle: true });
  });

  it('says clearly why a check could not start or failed, with what to do', async () => {
    const { transport } = renderPage({ 'drift.check': () => fail('NOT_FOUND', 'No such file: /data/nope.csv', 'Check the path, or pick the file with Browse….') });
    await loadedResult();
    const form = screen.getByRole('region', { name: 'Check a batch' });
    fireEvent.change(within(form).getByLabelText('Batch file'), { target: { value: '/data/nope.csv' } });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Run the check' })));
    const refused = within(form).getByRole('alert');
    expect(refused.textContent).toContain('The drift check could not start');
    expect(refused.textContent).toContain('No such file: /data/nope.csv');
    expect(refused.textContent).toContain('Check the path, or pick the file with Browse….');

    transport.handle({ 'drift.check': () => driftJob({ id: 'drift-2' }) });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Run the check' })));
    expect(within(form).queryByRole('alert')).toBeNull();
    const error = { code: 'INVALID_INPUT' as const, message: '/data/nope.csv has none of the model’s columns (plan, region, monthly_spend, age).', remedy: 'Give a batch of the model’s inputs.' };
    emitJob(transport, driftJob({ id: 'drift-2', state: 'failed', error }));
    const failed = within(form).getByRole('alert');
    expect(failed.textContent).toContain('The drift check failed');
    expect(failed.textContent).toContain('has none of the model’s columns');
    expect(failed.textContent).toContain('Give a batch of the model’s inputs.');
    fireEvent.click(within(failed).getByRole('button', { name: 'Dismiss' }));
    expect(within(form).queryByRole('alert')).toBeNull();
  });

  it('in the browser, a dropped file is uploaded into the workspace with its progress shown, and the copy is checked; a folder cannot be', async () => {
    const { transport } = renderPage();
    let finish: (path: string) => void = () => {};
    let report: (fraction: number) => void = () => {};
    transport.handleFileToPath((_file, { onProgress }) => {
      report = (f) => onProgress?.(f);
      return new Promise<string>((resolve) => (finish = resolve));
    });
    await loadedResult();
    const zone = screen.getByRole('group', { name: 'Drop a batch here' });
    expect(zone.textContent).toContain('the browser uploads a copy into the workspace');
    const file = new File(['a,b\n'], 'november.csv', { type: 'text/csv' });
    await act(async () => fireEvent.drop(zone, { dataTransfer: { types: ['Files'], files: [file], items: [] } }));
    await act(async () => report(0.4));
    expect(within(zone).getByRole('status').textContent).toContain('Uploading november.csv… 40 %');
    await act(async () => finish('/w/.greenhouse/uploads/x/november.csv'));
    expect((screen.getByLabelText('Batch file') as HTMLInputElement).value).toBe('/w/.greenhouse/uploads/x/november.csv');
    expect(within(zone).queryByRole('status')).toBeNull();
    expect(transport.files).toEqual([file]);

    const folder = new File([], 'batches');
    const items = [{ kind: 'file', webkitGetAsEntry: () => ({ isDirectory: true }) }];
    await act(async () => fireEvent.drop(zone, { dataTransfer: { types: ['Files'], files: [folder], items } }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('batches is a folder: the browser can upload files only.');
    expect(transport.files).toEqual([file]);
  });

  it('in the desktop app, a dropped file fills in its path', async () => {
    const { transport } = renderPage({}, monitoringRoute('churn'), { mode: 'electron', nativeDialogs: true });
    transport.handleFileToPath(() => '/home/ana/batches/november.csv');
    await loadedResult();
    const zone = screen.getByRole('group', { name: 'Drop a batch here' });
    const file = new File(['a,b\n'], 'november.csv', { type: 'text/csv' });
    await act(async () => fireEvent.drop(zone, { dataTransfer: { types: ['Files'], files: [file], items: [] } }));
    expect((screen.getByLabelText('Batch file') as HTMLInputElement).value).toBe('/home/ana/batches/november.csv');
    expect(transport.files).toEqual([file]);
  });

  it('hands a checked batch back for retraining, then says the dataset version made and whether it is labelled', async () => {
    let handedBack = false;
    const { transport } = renderPage({
      'drift.get': () =>
        handedBack ? driftCheck({ handBacks: [{ dataset: { name: 'churn-drift-3', version: 1 }, labelled: true, at: '2026-11-29T15:00:00.000Z', by: 'ana' }] }) : driftCheck(),
      'drift.handBack': () => job({ id: 'hb-1', kind: 'datasets.register', title: 'Hand back drift check 3 as churn-drift-3', state: 'queued', progress: null }),
    });
    const { verdict } = await loadedResult();
    const handBack = within(verdict).getByRole('group', { name: 'Hand back for retraining' });
    expect(handBack.textContent).toContain('It has the target column churned, so the version is labelled.');
    fireEvent.click(within(handBack).getByRole('button', { name: 'Hand back…' }));
    const name = within(handBack).getByLabelText('Dataset name') as HTMLInputElement;
    expect(name.value).toBe('churn-drift-3');
    fireEvent.change(name, { target: { value: '  bad/name' } });
    fireEvent.click(within(handBack).getByRole('button', { name: 'Hand back' }));
    expect(handBack.textContent).toContain('Use letters, digits, spaces, dot, dash or underscore');
    fireEvent.change(name, { target: { value: 'churn-drift-3' } });
    await act(async () => fireEvent.click(within(handBack).getByRole('button', { name: 'Hand back' })));
    expect(transport.calls.find((c) => c.method === 'drift.handBack')?.input).toEqual({ id: 3, name: 'churn-drift-3' });

    emitJob(transport, job({ id: 'hb-1', kind: 'datasets.register', state: 'running', progress: 0.5, message: 'Hashing' }));
    expect(within(handBack).getByRole('progressbar', { name: 'Hand-back progress' })).toBeTruthy();
    handedBack = true;
    const result = { outcome: 'created', name: 'churn-drift-3', version: 1, sha256: 'c7'.repeat(32), warnings: [], checkId: 3, model: { name: 'churn', version: 1 }, labelled: true, target: 'churned' };
    emitJob(transport, job({ id: 'hb-1', kind: 'datasets.register', state: 'succeeded', progress: 1, result }));
    const done = await within(handBack).findByText(/Registered as/);
    expect(done.textContent).toBe('Registered as churn-drift-3 v1, labelled (it carries churned), and linked to churn v1 for retraining.');
    const list = await within(handBack).findByRole('list', { name: 'Hand-backs of this check' });
    expect(list.textContent).toContain('churn-drift-3 v1');
    expect(within(list).getByText('labelled')).toBeTruthy();
    expect(within(handBack).getByRole('button', { name: 'Hand back again…' })).toBeTruthy();
  });

  it('shows the model’s thresholds and changes or resets them', async () => {
    const custom = driftSettings({ thresholds: { ...driftSettings().thresholds, datasetShare: 0.25 }, custom: true, updatedAt: '2026-11-29T15:00:00.000Z', updatedBy: 'ana' });
    const { transport } = renderPage({ 'drift.updateSettings': ({ reset }) => (reset ? driftSettings() : custom) });
    await loadedResult();
    const panel = screen.getByRole('region', { name: 'Thresholds' });
    const share = (await within(panel).findByLabelText('Share of features')) as HTMLInputElement;
    expect(share.value).toBe('0.5');
    expect(panel.textContent).toContain('the defaults');
    expect(within(panel).getByRole('button', { name: 'Save thresholds' })).toHaveProperty('disabled', true);
    fireEvent.change(share, { target: { value: '0.25' } });
    await act(async () => fireEvent.click(within(panel).getByRole('button', { name: 'Save thresholds' })));
    expect(transport.calls.find((c) => c.method === 'drift.updateSettings')?.input).toEqual({ model: 'churn', thresholds: { datasetShare: 0.25 } });
    expect(panel.textContent).toContain('set for this model');
    expect(panel.textContent).toContain('Saved: the next checks use these thresholds.');
    expect((within(panel).getByLabelText('Share of features') as HTMLInputElement).value).toBe('0.25');
    await act(async () => fireEvent.click(within(panel).getByRole('button', { name: 'Reset to defaults' })));
    expect(transport.calls.filter((c) => c.method === 'drift.updateSettings').map((c) => c.input)).toEqual([
      { model: 'churn', thresholds: { datasetShare: 0.25 } },
      { model: 'churn', reset: true },
    ]);
    expect((within(panel).getByLabelText('Share of features') as HTMLInputElement).value).toBe('0.5');
  });

  it('a model never checked says so and how to start', async () => {
    renderPage({ 'drift.history': () => [] });
    const history = await screen.findByRole('region', { name: 'History' });
    await waitFor(() => expect(history.textContent).toContain('No check yet.'));
    expect(screen.getByText('never checked')).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Features' })).toBeNull();
  });

  it('an unknown model says so, with Try again', async () => {
    renderPage({ 'models.get': () => fail('NOT_FOUND', 'No model named nope.'), 'drift.history': () => fail('NOT_FOUND', 'No model named nope.') }, monitoringRoute('nope'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('No such model');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
