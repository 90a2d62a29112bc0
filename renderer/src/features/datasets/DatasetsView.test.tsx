// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { datasetRoute } from '../../store/index.js';
import { fail, type FakeHandlers, type FakeTransport } from '../../testing/fake-transport.js';
import { datasetDetail, datasetSummary, dirListing, registerJob, registerResult } from '../../testing/fixtures.js';
import { giveListsHeight, renderView } from '../../testing/render-view.js';
import { DatasetsView } from './DatasetsView.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const renderDatasets = (handlers: FakeHandlers = {}, options: { nativeDialogs?: boolean } = {}) =>
  renderView(<DatasetsView />, handlers, { defaults: { 'datasets.list': () => [] }, info: { nativeDialogs: options.nativeDialogs ?? false } });

const emitJob = (transport: FakeTransport, over: Parameters<typeof registerJob>[0]) =>
  act(() => transport.emit('jobs.onUpdate', registerJob(over)));

describe('DatasetsView: the list', () => {
  it('says what to do first when there are no datasets', async () => {
    renderDatasets();
    expect(await screen.findByRole('heading', { level: 2, name: 'No datasets yet' })).toBeTruthy();
    expect(screen.getAllByRole('button', { name: /Register dataset/ })).toHaveLength(2);
  });

  it('virtualises a long list: only the rows in view are in the page', async () => {
    giveListsHeight();
    const many = Array.from({ length: 500 }, (_, i) => datasetSummary({ name: `dataset-${String(i).padStart(3, '0')}` }));
    renderDatasets({ 'datasets.list': () => many });
    const list = await screen.findByRole('list', { name: 'Datasets' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]!.getAttribute('aria-setsize')).toBe('500');
    expect(within(rows[0]!).getByRole('link').getAttribute('href')).toBe('#/datasets/dataset-000');
    expect(screen.getByText('500 datasets')).toBeTruthy();
  });

  it('searches on the backend once typing pauses', async () => {
    const { transport } = renderDatasets({
      'datasets.list': ({ query }) => (query ? [datasetSummary({ name: 'churn' })] : [datasetSummary(), datasetSummary({ name: 'churn' })]),
    });
    await screen.findByText('2 datasets');
    vi.useFakeTimers();
    const search = screen.getByRole('searchbox', { name: 'Search datasets' });
    fireEvent.change(search, { target: { value: 'ch' } });
    fireEvent.change(search, { target: { value: 'chu' } });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(250);
    });
    vi.useRealTimers();
    const queries = transport.calls.filter((c) => c.method === 'datasets.list').map((c) => c.input);
    expect(queries).toEqual([{}, { query: 'chu' }]);
    expect(await screen.findByText('1 match')).toBeTruthy();
  });

  it('registers each dropped file, showing the upload and then the job', async () => {
    const { transport } = renderDatasets({ 'datasets.register': () => registerJob({ title: 'Register dropped' }) });
    let report!: (f: number) => void;
    let finish!: (p: string) => void;
    transport.handleFileToPath((_f, { onProgress }) => {
      report = onProgress!;
      return new Promise((resolve) => (finish = resolve));
    });
    await screen.findByRole('heading', { level: 2, name: 'No datasets yet' });
    const view = document.querySelector('.datasets-view')!;
    const file = new File(['a,b\n1,2\n'], 'dropped.csv', { type: 'text/csv' });
    const dataTransfer = { types: ['Files'], files: [file], dropEffect: 'none' };
    fireEvent.dragEnter(view, { dataTransfer });
    expect(screen.getByText('Drop to register')).toBeTruthy();
    fireEvent.drop(view, { dataTransfer });
    expect(screen.queryByText('Drop to register')).toBeNull();

    const card = await screen.findByRole('region', { name: 'Upload dropped.csv' });
    expect(card.dataset.state).toBe('uploading');
    act(() => report(0.25));
    expect(within(card).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25');
    await act(async () => finish('/w/.greenhouse/uploads/1/dropped.csv'));
    expect(transport.calls.find((c) => c.method === 'datasets.register')?.input).toEqual({ path: '/w/.greenhouse/uploads/1/dropped.csv', snapshot: true });
    emitJob(transport, { title: 'Register dropped', state: 'succeeded', progress: 1, result: registerResult({ name: 'dropped' }) });
    const done = screen.getByRole('region', { name: 'Register dropped' });
    expect(done.dataset.state).toBe('succeeded');
    expect(within(done).getByRole('link', { name: 'Open dropped' }).getAttribute('href')).toBe('#/datasets/dropped');
    fireEvent.click(within(done).getByRole('button', { name: 'Dismiss Register dropped' }));
    expect(screen.queryByRole('region', { name: 'Register dropped' })).toBeNull();
  });

  it('on a dataset page a dropped file becomes its next version', async () => {
    const { store, transport } = renderDatasets({ 'datasets.get': () => datasetDetail(), 'datasets.register': () => registerJob() });
    transport.handleFileToPath((f) => `/home/ana/${f.name}`);
    act(() => store.getState().showDataset(datasetRoute('customers')));
    await screen.findByRole('heading', { level: 1, name: 'customers' });
    const view = document.querySelector('.datasets-view')!;
    const dataTransfer = { types: ['Files'], files: [new File(['x'], 'customers-march.csv')] };
    fireEvent.dragEnter(view, { dataTransfer });
    expect(screen.getByText('Drop to register a new version of customers')).toBeTruthy();
    fireEvent.drop(view, { dataTransfer });
    await waitFor(() => expect(transport.calls.some((c) => c.method === 'datasets.register')).toBe(true));
    expect(transport.calls.find((c) => c.method === 'datasets.register')?.input).toEqual({ path: '/home/ana/customers-march.csv', name: 'customers', snapshot: true });
  });

  it('says a dropped folder cannot be uploaded in browser mode, and how to register it instead', async () => {
    const { transport } = renderDatasets();
    await screen.findByRole('heading', { level: 2, name: 'No datasets yet' });
    const folder = new File([], 'parts');
    fireEvent.drop(document.querySelector('.datasets-view')!, {
      dataTransfer: { types: ['Files'], files: [folder], items: [{ kind: 'file', webkitGetAsEntry: () => ({ isDirectory: true }) }] },
    });
    const card = await screen.findByRole('region', { name: 'Register parts' });
    expect(card.dataset.state).toBe('failed');
    expect(within(card).getByRole('alert').textContent).toContain('Register the folder by its path');
    expect(transport.files).toEqual([]);
  });

  it('ignores a drag that carries no files', async () => {
    renderDatasets();
    await screen.findByRole('heading', { level: 2, name: 'No datasets yet' });
    fireEvent.dragEnter(document.querySelector('.datasets-view')!, { dataTransfer: { types: ['text/plain'], files: [] } });
    expect(screen.queryByText('Drop to register')).toBeNull();
  });
});

describe('DatasetsView: the register dialog', () => {
  const openDialog = async () => {
    await screen.findByRole('heading', { level: 2, name: 'No datasets yet' });
    fireEvent.click(screen.getAllByRole('button', { name: /Register dataset/ })[0]!);
    return screen.getByRole('dialog', { name: 'Register a dataset' });
  };

  it('registers a typed path and shows the progress, the message and then the outcome with warnings', async () => {
    const { transport } = renderDatasets({ 'datasets.register': () => registerJob() });
    const dialog = await openDialog();
    expect(document.activeElement).toBe(within(dialog).getByLabelText('File or folder'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Register' }));
    expect(within(dialog).getByText('Enter the path of a file or folder, or browse for it.')).toBeTruthy();

    fireEvent.change(within(dialog).getByLabelText('File or folder'), { target: { value: '/data/customers.csv' } });
    fireEvent.click(within(dialog).getByLabelText('Keep a snapshot copy in the workspace'));
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Register' })));
    expect(transport.calls.find((c) => c.method === 'datasets.register')?.input).toEqual({ path: '/data/customers.csv', snapshot: false });

    emitJob(transport, { state: 'running', progress: 0.42, message: 'Hashing and profiling…' });
    const card = within(dialog).getByRole('region', { name: 'Register customers' });
    expect(within(card).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('42');
    expect(within(card).getByText('Hashing and profiling…')).toBeTruthy();
    // The page does not show the same registration twice behind the dialog.
    expect(screen.queryByRole('region', { name: 'Registrations' })).toBeNull();

    emitJob(transport, {
      state: 'succeeded',
      progress: 1,
      result: registerResult({ warnings: ['Not copied into the workspace: 3.2 GB is above the snapshot limit of 2.0 GB.'] }),
    });
    expect(within(dialog).getByText('Registered customers as a new dataset (version 1).')).toBeTruthy();
    expect(within(within(dialog).getByRole('list', { name: 'Warnings' })).getByText(/above the snapshot limit/)).toBeTruthy();
    expect(within(dialog).getByRole('link', { name: 'Open customers' }).getAttribute('href')).toBe('#/datasets/customers');
    fireEvent.click(within(dialog).getAllByRole('button', { name: 'Close' }).at(-1)!);
    expect(screen.queryByRole('dialog')).toBeNull();
    // Seen in the dialog, so not left on the page.
    expect(screen.queryByRole('region', { name: 'Registrations' })).toBeNull();
  });

  it('says clearly when nothing changed', async () => {
    const { transport } = renderDatasets({ 'datasets.register': () => registerJob() });
    const dialog = await openDialog();
    fireEvent.change(within(dialog).getByLabelText('File or folder'), { target: { value: '/data/customers.csv' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Register' })));
    emitJob(transport, { state: 'succeeded', progress: 1, result: registerResult({ outcome: 'unchanged', version: 2 }) });
    expect(within(dialog).getByRole('region', { name: 'Register customers' }).dataset.state).toBe('unchanged');
    expect(within(dialog).getByText('Nothing changed: the bytes are identical to customers version 2, so no new version was made.')).toBeTruthy();
  });

  it('shows a failed job with its remedy, and goes back to the form', async () => {
    const { transport } = renderDatasets({ 'datasets.register': () => registerJob() });
    const dialog = await openDialog();
    fireEvent.change(within(dialog).getByLabelText('File or folder'), { target: { value: '/data/broken.csv' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Register' })));
    emitJob(transport, {
      state: 'failed',
      error: { code: 'INVALID_INPUT', message: 'Line 12 has 5 fields where the header has 4.', remedy: 'Fix the file, or register it as TSV.' },
    });
    const alert = within(dialog).getByRole('alert');
    expect(alert.textContent).toContain('Registration failed');
    expect(alert.textContent).toContain('Line 12 has 5 fields');
    expect(alert.textContent).toContain('Fix the file, or register it as TSV.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Back to the form' }));
    expect(within(dialog).getByLabelText('File or folder')).toBeTruthy();
  });

  it('cancels a running registration through jobs.cancel', async () => {
    const { transport } = renderDatasets({
      'datasets.register': () => registerJob({ state: 'running', progress: 0.1 }),
      'jobs.cancel': ({ id }) => registerJob({ id, state: 'cancelled' }),
    });
    const dialog = await openDialog();
    fireEvent.change(within(dialog).getByLabelText('File or folder'), { target: { value: '/data/big.csv' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Register' })));
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel Register customers' })));
    expect(transport.calls.at(-1)).toEqual({ method: 'jobs.cancel', input: { id: 'reg-1' } });
    expect(within(dialog).getByText('Cancelled. Nothing was registered.')).toBeTruthy();
  });

  it('checks the name before asking the backend', async () => {
    const { transport } = renderDatasets({ 'datasets.register': () => registerJob() });
    const dialog = await openDialog();
    fireEvent.change(within(dialog).getByLabelText('File or folder'), { target: { value: '/data/a.csv' } });
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'bad/name' } });
    expect(within(dialog).getByText(/Use letters, digits, spaces/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Register' }));
    expect(transport.calls.some((c) => c.method === 'datasets.register')).toBe(false);
  });

  it('in browser mode browses the backend’s folders with the in-app picker', async () => {
    const { transport } = renderDatasets({
      'files.list': ({ path }) =>
        path === '/home/ana'
          ? dirListing({ path: '/home/ana', parent: '/home', entries: [{ name: 'churn', kind: 'directory', bytes: null, modifiedAt: null }] })
          : dirListing(),
    });
    const dialog = await openDialog();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Browse…' }));
    expect(screen.getByRole('dialog', { name: 'Choose a file or folder' })).toBe(dialog);
    await within(dialog).findByRole('list', { name: 'Contents of /home/ana/churn' });
    expect(transport.calls.find((c) => c.method === 'files.list')?.input).toEqual({ showHidden: false });

    // Up a level and back into the folder.
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Up to the parent folder' })));
    expect(transport.calls.at(-1)?.input).toEqual({ path: '/home/ana', showHidden: false });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Open folder churn' })));
    expect(transport.calls.at(-1)?.input).toEqual({ path: '/home/ana/churn', showHidden: false });

    const choose = within(dialog).getByRole('button', { name: 'Choose file' }) as HTMLButtonElement;
    expect(choose.disabled).toBe(true);
    fireEvent.click(within(dialog).getByRole('button', { name: 'customers.csv' }));
    expect(within(dialog).getByRole('button', { name: 'customers.csv' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(choose);
    expect((within(dialog).getByLabelText('File or folder') as HTMLInputElement).value).toBe('/home/ana/churn/customers.csv');

    // A whole folder is one dataset too.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Browse…' }));
    await within(dialog).findByRole('list', { name: 'Contents of /home/ana/churn' });
    // It opened where the typed path points, with that file selected.
    expect(transport.calls.at(-1)?.input).toEqual({ path: '/home/ana/churn', showHidden: false });
    expect(within(dialog).getByRole('button', { name: 'customers.csv' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Use this folder' }));
    expect((within(dialog).getByLabelText('File or folder') as HTMLInputElement).value).toBe('/home/ana/churn');
  });

  it('the picker says why a folder cannot be opened', async () => {
    renderDatasets({ 'files.list': () => fail('IO_ERROR', 'Permission denied: /root.', 'Pick a folder you may read.') });
    const dialog = await openDialog();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Browse…' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('Pick a folder you may read.');
  });

  it('in the desktop app uses the native file and folder dialogs', async () => {
    const { transport } = renderDatasets({ 'dialog.pickPath': ({ kind }) => ({ path: kind === 'file' ? '/data/a.parquet' : '/data/parts' }) }, { nativeDialogs: true });
    const dialog = await openDialog();
    expect(within(dialog).queryByRole('button', { name: 'Browse…' })).toBeNull();
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'File…' })));
    expect((within(dialog).getByLabelText('File or folder') as HTMLInputElement).value).toBe('/data/a.parquet');
    expect(transport.calls.at(-1)?.input).toMatchObject({ kind: 'file', filters: [{ name: 'Data files', extensions: expect.arrayContaining(['csv', 'parquet']) }, { name: 'All files' }] });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Folder…' })));
    expect((within(dialog).getByLabelText('File or folder') as HTMLInputElement).value).toBe('/data/parts');
  });

  it('closes on Escape', async () => {
    renderDatasets();
    const dialog = await openDialog();
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
