// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { environmentRoute, type EnvironmentTab } from '../../store/index.js';
import { fail, type FakeHandlers } from '../../testing/fake-transport.js';
import {
  captureJob,
  captureResult,
  environmentComparison,
  environmentDetail,
  environmentSummary,
  environmentVersion,
  mismatch,
  pythonCandidate,
} from '../../testing/model-fixtures.js';
import { emitJob, giveListsHeight, renderView } from '../../testing/render-view.js';
import { EnvironmentsView } from './EnvironmentsView.js';

afterEach(cleanup);

const renderEnvironments = (handlers: FakeHandlers = {}) =>
  renderView(<EnvironmentsView />, handlers, {
    defaults: {
      'environments.list': () => [],
      'environments.detect': () => [pythonCandidate(), pythonCandidate({ path: '/home/ana/churn/.venv/bin/python', kind: 'venv', label: '.venv (workspace)', version: '3.11.2' })],
      'environments.capture': () => captureJob(),
    },
  });

async function openDialog() {
  await screen.findByRole('heading', { level: 2, name: 'No environment captured yet' });
  fireEvent.click(screen.getAllByRole('button', { name: /Capture environment/ })[0]!);
  return screen.getByRole('dialog', { name: 'Capture an environment' });
}

describe('EnvironmentsView: the list and the capture dialog', () => {
  it('lists captured environments with their source, Python and package count', async () => {
    giveListsHeight();
    renderEnvironments({ 'environments.list': () => [environmentSummary(), environmentSummary({ name: 'reqs', source: 'requirements', path: '/p/requirements.txt', pythonVersion: null, packages: 12 })] });
    const list = await screen.findByRole('list', { name: 'Environments' });
    const [first, second] = within(list).getAllByRole('link');
    expect(first!.getAttribute('href')).toBe('#/environments/python3');
    expect(first!.textContent).toContain('Python 3.11.2');
    expect(second!.textContent).toContain('requirements.txt');
    expect(second!.textContent).toContain('12 packages');
  });

  it('offers the interpreters found, and captures the one picked with progress and its outcome', async () => {
    const { transport } = renderEnvironments();
    const dialog = await openDialog();
    const found = within(dialog).getByRole('group', { name: 'Interpreters found on this computer' });
    const venv = await within(found).findByRole('radio', { name: /\.venv \(workspace\)/ });
    expect(within(found).getByText('virtualenv')).toBeTruthy();
    fireEvent.click(venv);
    expect((within(dialog).getByLabelText('Interpreter or requirement file') as HTMLInputElement).value).toBe('/home/ana/churn/.venv/bin/python');
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Capture' })));
    expect(transport.calls.find((c) => c.method === 'environments.capture')?.input).toEqual({ python: '/home/ana/churn/.venv/bin/python' });

    emitJob(transport, captureJob({ state: 'running', progress: 0.5, message: 'Listing installed distributions' }));
    const card = within(dialog).getByRole('region', { name: 'Capture python3' });
    expect(within(card).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');
    expect(within(card).getByText('Listing installed distributions')).toBeTruthy();
    emitJob(transport, captureJob({ state: 'succeeded', progress: 1, result: captureResult({ name: 'venv', packages: 42 }) }));
    expect(within(dialog).getByText('Captured venv as a new environment (version 1, 42 packages).')).toBeTruthy();
    expect(within(dialog).getByRole('link', { name: 'Open venv' }).getAttribute('href')).toBe('#/environments/venv');
  });

  it('captures a requirement file by path, under the name given', async () => {
    const { transport } = renderEnvironments();
    const dialog = await openDialog();
    fireEvent.change(within(dialog).getByLabelText('Interpreter or requirement file'), { target: { value: '/p/requirements.txt' } });
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'serving' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Capture' })));
    expect(transport.calls.find((c) => c.method === 'environments.capture')?.input).toEqual({ file: '/p/requirements.txt', name: 'serving' });
  });

  it('cancels a running capture, and shows a failed one with its remedy', async () => {
    const { transport } = renderEnvironments({ 'jobs.cancel': ({ id }) => captureJob({ id, state: 'cancelled' }) });
    const dialog = await openDialog();
    fireEvent.change(within(dialog).getByLabelText('Interpreter or requirement file'), { target: { value: '/usr/bin/python3' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Capture' })));
    emitJob(transport, captureJob({ state: 'running', progress: 0.1 }));
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel Capture python3' })));
    expect(transport.calls.at(-1)).toEqual({ method: 'jobs.cancel', input: { id: 'cap-1' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Back to the form' }));
    fireEvent.change(within(dialog).getByLabelText('Interpreter or requirement file'), { target: { value: '/nope/python' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Capture' })));
    emitJob(transport, captureJob({ state: 'failed', error: { code: 'PYTHON_ERROR', message: '/nope/python does not run.', remedy: 'Pick an interpreter that starts.' } }));
    expect(within(dialog).getByRole('alert').textContent).toContain('Pick an interpreter that starts.');
  });

  it('says when no interpreter could be looked for', async () => {
    renderEnvironments({ 'environments.detect': () => fail('INTERNAL', 'conda info crashed.') });
    const dialog = await openDialog();
    expect(await within(dialog).findByText(/Could not look for interpreters: conda info crashed/)).toBeTruthy();
  });
});

describe('EnvironmentsView: an environment’s page', () => {
  const showPage = (store: ReturnType<typeof renderEnvironments>['store'], tab: EnvironmentTab = 'packages') => act(() => store.getState().showEnvironment(environmentRoute('python3', { tab })));

  it('shows the interpreter’s facts and filters its packages, rendering only the rows in view when there are many', async () => {
    const packages = Array.from({ length: 400 }, (_, i) => ({ name: `pkg-${String(i).padStart(3, '0')}`, version: '1.0', specifier: null }));
    packages.push({ name: 'scikit-learn', version: '1.2.1', specifier: null });
    const { store } = renderEnvironments({ 'environments.get': () => environmentDetail({ version: environmentVersion({ packages }) }) });
    showPage(store);
    expect(await screen.findByRole('heading', { level: 1, name: 'python3' })).toBeTruthy();
    await screen.findByRole('tabpanel'); // shown once the version has loaded
    const facts = document.querySelector('.env-facts')!;
    expect(facts.textContent).toContain('CPython 3.11.2');
    expect(facts.textContent).toContain('Linux-6.1.0-x86_64-with-glibc2.36');
    const table = screen.getByRole('table', { name: 'Packages of python3 version 1' });
    expect(table.getAttribute('aria-rowcount')).toBe('402');
    expect(within(table).getAllByRole('row').length).toBeLessThan(60);
    fireEvent.change(screen.getByLabelText('Filter packages'), { target: { value: 'scikit_learn' } });
    await waitFor(() => expect(within(screen.getByRole('table', { name: /Packages of/ })).getAllByRole('rowheader').map((r) => r.textContent)).toEqual(['scikit-learn']));
    expect(screen.getByText('1 of 401 packages')).toBeTruthy();
  });

  it('lists the models that use it, with what each lacks', async () => {
    const { store } = renderEnvironments({
      'environments.get': () =>
        environmentDetail({
          usedBy: [
            { model: 'churn', version: 2, mismatches: [mismatch()] },
            { model: 'fraud', version: 1, mismatches: [] },
          ],
        }),
    });
    showPage(store, 'used-by');
    await screen.findByRole('tabpanel'); // shown once the version has loaded
    expect(screen.getByText('1 model lacks packages').className).toContain('badge--danger');
    const users = screen.getByRole('list', { name: 'Models that use this environment' });
    expect(within(users).getByRole('link', { name: 'churn v2' }).getAttribute('href')).toBe('#/models/churn@2');
    expect(within(users).getByText('1 missing').className).toContain('badge--danger');
    expect(within(users).getByText('No mismatches')).toBeTruthy();
    expect(within(users).getByRole('table').textContent).toContain('xgboost');
  });

  it('compares with the previous version by default, and with another environment on request', async () => {
    const v2 = environmentVersion({ version: 2 });
    const { store, transport } = renderEnvironments({
      'environments.list': () => [environmentSummary({ latestVersion: 2, versions: 2 }), environmentSummary({ name: 'conda-ml', latestVersion: 3 })],
      'environments.get': () => environmentDetail({ versions: [environmentVersion(), v2], version: v2 }),
      'environments.compare': ({ from, to }) => environmentComparison({ from: { name: from.name, version: from.version! }, to: { name: to.name, version: to.version! } }),
    });
    showPage(store, 'compare');
    await screen.findByRole('heading', { level: 1, name: 'python3' });
    await waitFor(() => expect(transport.calls.find((c) => c.method === 'environments.compare')?.input).toEqual({ from: { name: 'python3', version: 1 }, to: { name: 'python3', version: 2 } }));
    const note = await screen.findByRole('note');
    expect(note.textContent).toContain('3.11.2');
    expect(note.textContent).toContain('3.12.1');
    expect(within(screen.getByRole('list', { name: 'Added packages' })).getByText(/pandas/)).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Removed packages' })).getByText(/joblib/)).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Packages whose version changed' }).textContent).toContain('1.3.0');

    await screen.findByRole('option', { name: 'conda-ml' });
    fireEvent.change(screen.getByLabelText('with'), { target: { value: 'conda-ml' } });
    expect(store.getState().environmentRoute?.compare).toEqual({ name: 'conda-ml', version: 3 });
    await waitFor(() => expect(transport.calls.at(-1)).toEqual({ method: 'environments.compare', input: { from: { name: 'conda-ml', version: 3 }, to: { name: 'python3', version: 2 } } }));
  });
});
