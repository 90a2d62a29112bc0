// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeHandlers, FakeTransport } from '../../testing/fake-transport.js';
import { datasetDetail, datasetSummary } from '../../testing/fixtures.js';
import {
  environmentSummary,
  modelRegisterJob,
  modelRegisterResult,
  modelSummary,
  pythonCandidate,
  scanJob,
  scanResult,
  unsafeScan,
} from '../../testing/model-fixtures.js';
import { notebookSummary } from '../../testing/notebook-fixtures.js';
import { emitJob, giveListsHeight, renderView } from '../../testing/render-view.js';
import { ModelsView } from './ModelsView.js';

afterEach(cleanup);

const renderModels = (handlers: FakeHandlers = {}) =>
  renderView(<ModelsView />, handlers, {
    defaults: {
      'models.list': () => [],
      'datasets.list': () => [datasetSummary({ name: 'customers', latestVersion: 2, versions: 2 })],
      'datasets.get': ({ version }) => datasetDetail({ name: 'customers', columns: datasetDetail().columns.concat(version === 2 ? [{ ...datasetDetail().columns[1]!, name: 'churned' }] : []) }),
      'notebooks.list': () => [notebookSummary({ name: 'train', latestVersion: 3 })],
      'environments.list': () => [environmentSummary()],
      'environments.detect': () => [pythonCandidate()],
      'models.scan': () => scanJob(),
      'models.register': () => modelRegisterJob(),
      'lineage.graph': () => ({ nodes: [], edges: [] }),
    },
  });

async function openDialog() {
  await screen.findByRole('heading', { level: 2, name: 'No models yet' });
  fireEvent.click(screen.getAllByRole('button', { name: /Register model/ })[0]!);
  const dialog = screen.getByRole('dialog', { name: 'Register a model' });
  // The choices arrive.
  await within(within(dialog).getByLabelText('Training dataset')).findByRole('option', { name: 'customers' });
  return dialog;
}

/** Fill in what registering needs: the file, the training dataset's target. */
async function fillRequired(dialog: HTMLElement, path = '/home/ana/churn/model.joblib') {
  fireEvent.change(within(dialog).getByLabelText('Model file'), { target: { value: path } });
  await within(dialog).findByRole('option', { name: 'churned' });
  fireEvent.change(within(dialog).getByLabelText('Target column'), { target: { value: 'churned' } });
}

const registerCalls = (transport: FakeTransport) => transport.calls.filter((c) => c.method === 'models.register');

describe('ModelsView: the list', () => {
  it('lists models with framework, class, task and a safe or unsafe badge', async () => {
    giveListsHeight();
    renderModels({ 'models.list': () => [modelSummary(), modelSummary({ name: 'fraud', safe: false, framework: 'xgboost', className: 'XGBClassifier' })] });
    const list = await screen.findByRole('list', { name: 'Models' });
    const rows = within(list).getAllByRole('link');
    expect(rows[0]!.getAttribute('href')).toBe('#/models/churn');
    expect(rows[0]!.textContent).toContain('Pipeline');
    expect(rows[0]!.textContent).toContain('scikit-learn');
    expect(rows[0]!.textContent).toContain('Classification');
    expect(within(rows[0]!).getByText('safe').className).toContain('badge--success');
    expect(within(rows[1]!).getByText('unsafe').className).toContain('badge--danger');
    expect(rows[1]!.textContent).toContain('XGBoost');
  });

  it('switches to the workspace lineage, which says when there is nothing yet', async () => {
    const { store } = renderModels();
    await screen.findByRole('heading', { level: 2, name: 'No models yet' });
    fireEvent.click(screen.getByRole('tab', { name: /Lineage/ }));
    expect(store.getState().modelsView).toBe('lineage');
    expect(await screen.findByRole('heading', { name: 'Nothing to show yet' })).toBeTruthy();
  });
});

describe('ModelsView: the registration form', () => {
  it('says what is missing before asking the backend', async () => {
    const { transport } = renderModels();
    const dialog = await openDialog();
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Register' })));
    expect(within(dialog).getByText('Enter the path of the model file, browse for it, or drop it here.')).toBeTruthy();
    expect(within(dialog).getByText('Choose the column the model predicts.', { selector: '.field__error' })).toBeTruthy();
    expect(transport.calls.some((c) => c.method === 'models.scan' || c.method === 'models.register')).toBe(false);

    fireEvent.change(within(dialog).getByLabelText('Golden examples'), { target: { value: '0' } });
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'bad/name' } });
    expect(within(dialog).getByText(/Use letters, digits, spaces/)).toBeTruthy();
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Register' })));
    expect(within(dialog).getByText('Enter a whole number from 1 to 10,000.')).toBeTruthy();
  });

  it('offers the dataset’s columns as targets, and versions of the dataset and notebook', async () => {
    const { transport } = renderModels();
    const dialog = await openDialog();
    await within(dialog).findByRole('option', { name: 'churned' });
    expect(transport.calls.find((c) => c.method === 'datasets.get')?.input).toEqual({ name: 'customers', version: 2 });
    fireEvent.change(within(dialog).getByLabelText('Dataset version'), { target: { value: '1' } });
    await waitFor(() => expect(within(dialog).queryByRole('option', { name: 'churned' })).toBeNull());
    expect(within(dialog).getByRole('option', { name: 'plan' })).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('Notebook'), { target: { value: 'train' } });
    expect(within(within(dialog).getByLabelText('Notebook version')).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Latest (v3)',
      'Version 2',
      'Version 1',
    ]);
  });

  it('scans first, shows the verdict, then registers a safe file with what was chosen', async () => {
    const { transport } = renderModels();
    const dialog = await openDialog();
    await fillRequired(dialog);
    fireEvent.change(within(dialog).getByLabelText('Notebook'), { target: { value: 'train' } });
    fireEvent.change(within(dialog).getByLabelText('Environment'), { target: { value: 'python:/usr/bin/python3' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Register' })));
    expect(transport.calls.find((c) => c.method === 'models.scan')?.input).toEqual({ path: '/home/ana/churn/model.joblib' });
    expect(registerCalls(transport)).toEqual([]);
    expect(within(dialog).getByText(/Scanning the file first/)).toBeTruthy();

    emitJob(transport, scanJob({ state: 'running', progress: 0.5, message: 'Reading the pickle stream' }));
    expect(within(dialog).getByRole('progressbar', { name: 'Scan progress' }).getAttribute('aria-valuenow')).toBe('50');
    await act(async () => {
      transport.emit('jobs.onUpdate', scanJob({ state: 'succeeded', progress: 1, result: scanResult() }));
    });
    await waitFor(() => expect(registerCalls(transport)).toHaveLength(1));
    expect(registerCalls(transport)[0]!.input).toEqual({
      path: '/home/ana/churn/model.joblib',
      training: { dataset: { name: 'customers', version: 2 }, target: 'churned' },
      notebook: { name: 'train', version: 3 },
      python: '/usr/bin/python3',
      sampleSize: 100,
    });
    expect(dialog.querySelector('[data-verdict="safe"]')?.textContent).toContain('Safe');

    emitJob(transport, modelRegisterJob({ state: 'running', progress: 0.3, message: 'Loading the model in python3' }));
    const card = within(dialog).getByRole('region', { name: 'Register churn' });
    expect(within(card).getByText('Loading the model in python3')).toBeTruthy();
    emitJob(transport, modelRegisterJob({ state: 'succeeded', progress: 1, result: modelRegisterResult() }));
    expect(within(dialog).getByText('Registered churn as a new model (version 1), loaded in python3 v1.')).toBeTruthy();
    expect(within(dialog).getByRole('link', { name: 'Open churn' }).getAttribute('href')).toBe('#/models/churn');
  });

  it('uses a captured environment by default, and sends metrics entered by hand', async () => {
    const { transport } = renderModels();
    const dialog = await openDialog();
    await fillRequired(dialog);
    expect((within(dialog).getByLabelText('Environment') as HTMLSelectElement).value).toBe('env:python3');
    fireEvent.click(within(dialog).getByLabelText('Enter values'));
    fireEvent.change(within(dialog).getByLabelText('Metric 1 name'), { target: { value: 'accuracy' } });
    fireEvent.change(within(dialog).getByLabelText('Metric 1 value'), { target: { value: 'high' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Register' })));
    expect(within(dialog).getByText('Enter a number for accuracy.')).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('Metric 1 value'), { target: { value: '0.87' } });
    // The file was scanned already (with the Scan button), so Register goes straight on.
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Scan the file' })));
    await act(async () => {
      transport.emit('jobs.onUpdate', scanJob({ state: 'succeeded', progress: 1, result: scanResult() }));
    });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Register' })));
    expect(registerCalls(transport)[0]!.input).toMatchObject({
      environment: { name: 'python3', version: 1 },
      metrics: { source: 'form', values: { accuracy: 0.87 } },
    });
  });

  it('computes metrics on an evaluation dataset when one is chosen', async () => {
    const { transport } = renderModels({ 'models.scan': () => scanJob({ state: 'succeeded', progress: 1, result: scanResult() }) });
    const dialog = await openDialog();
    await fillRequired(dialog);
    fireEvent.change(within(dialog).getByLabelText('Evaluation dataset'), { target: { value: 'customers' } });
    expect((within(dialog).getByLabelText('Computed on the evaluation dataset') as HTMLInputElement).checked).toBe(true);
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Register' })));
    await waitFor(() => expect(registerCalls(transport)).toHaveLength(1));
    expect(registerCalls(transport)[0]!.input).toMatchObject({ metrics: { source: 'computed', dataset: { name: 'customers', version: 2 } } });
  });

  it('blocks an unsafe file until “Load anyway” has a reason of at least 10 characters', async () => {
    const { transport } = renderModels({ 'models.scan': () => scanJob({ state: 'succeeded', progress: 1, result: unsafeScan() }) });
    const dialog = await openDialog();
    await fillRequired(dialog, '/tmp/evil.pkl');
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Register' })));
    // The findings, with the dangerous call named and its severity.
    const verdict = dialog.querySelector('[data-verdict="unsafe"]')!;
    expect(verdict.textContent).toContain('Unsafe');
    const findings = within(dialog).getByRole('table', { name: 'Scan findings' });
    expect(findings.textContent).toContain('posix.system');
    expect(within(findings).getByText('critical').className).toContain('badge--danger');
    expect(within(dialog).getByRole('alert').textContent).toContain('Registration is blocked');
    expect(within(dialog).getByRole('group', { name: 'Override the scan' }).textContent).toContain('Tick “Load anyway” and say why');
    expect(registerCalls(transport)).toEqual([]);

    fireEvent.click(within(dialog).getByLabelText('Load anyway'));
    fireEvent.change(within(dialog).getByLabelText('Why is it safe to load?'), { target: { value: 'trust me' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Register' })));
    expect(within(dialog).getByText('Say why in at least 10 characters.', { selector: '.field__error' })).toBeTruthy();
    expect(registerCalls(transport)).toEqual([]);

    fireEvent.change(within(dialog).getByLabelText('Why is it safe to load?'), { target: { value: 'Our own test fixture, built in CI.' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Register' })));
    expect(registerCalls(transport)[0]!.input).toMatchObject({ path: '/tmp/evil.pkl', overrideScan: { reason: 'Our own test fixture, built in CI.' } });
  });

  it('a changed path needs a new scan, and a failed scan says why', async () => {
    const { transport } = renderModels({
      'models.scan': ({ path }) =>
        scanJob({
          state: 'failed',
          error: { code: 'IO_ERROR', message: `No such file: ${path}`, remedy: 'Check the path.' },
        }),
    });
    const dialog = await openDialog();
    await fillRequired(dialog, '/nope.joblib');
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Register' })));
    const alert = within(dialog).getAllByRole('alert').find((a) => a.textContent?.includes('The scan failed'))!;
    expect(alert.textContent).toContain('No such file: /nope.joblib');
    expect(alert.textContent).toContain('Check the path.');
    expect(registerCalls(transport)).toEqual([]);
    fireEvent.change(within(dialog).getByLabelText('Model file'), { target: { value: '/other.joblib' } });
    expect(dialog.querySelector('.scan-panel')?.getAttribute('data-phase')).toBe('idle');
  });

  it('uploads a model file dropped on the dialog, then scans it', async () => {
    const { transport } = renderModels();
    transport.handleFileToPath((f) => `/w/.greenhouse/uploads/1/${f.name}`);
    const dialog = await openDialog();
    const zone = dialog.querySelector('.register-model__drop')!;
    const dataTransfer = { types: ['Files'], files: [new File(['x'], 'model.joblib')] };
    fireEvent.dragEnter(zone, { dataTransfer });
    expect(within(dialog).getByText('Drop to use this model file')).toBeTruthy();
    await act(async () => fireEvent.drop(zone, { dataTransfer }));
    expect((within(dialog).getByLabelText('Model file') as HTMLInputElement).value).toBe('/w/.greenhouse/uploads/1/model.joblib');
    expect(transport.calls.find((c) => c.method === 'models.scan')?.input).toEqual({ path: '/w/.greenhouse/uploads/1/model.joblib' });
  });
});
