// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bindEvents } from '../../store/bind-events.js';
import { createAppStore, notebookRoute, type NotebookRoute } from '../../store/index.js';
import { StoreProvider } from '../../store/store-context.js';
import { createFakeTransport, type FakeHandlers } from '../../testing/fake-transport.js';
import { appInfo, dirListing, workspaceInfo } from '../../testing/fixtures.js';
import {
  notebookCells,
  notebookDetail,
  notebookRegisterJob,
  notebookRegisterResult,
  notebookRun,
  notebookRunJob,
  notebookSummary,
} from '../../testing/notebook-fixtures.js';
import { NotebooksView } from './NotebooksView.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  localStorage.clear();
});

function renderView(route: NotebookRoute | null, handlers: FakeHandlers = {}) {
  const transport = createFakeTransport({
    'notebooks.list': () => [notebookSummary(), notebookSummary({ name: 'eda', lastRun: 'passed', findings: { error: 0, warning: 0, info: 0 } })],
    'notebooks.get': () => notebookDetail(),
    ...handlers,
  });
  const store = createAppStore(transport, { storage: null });
  store.setState({ appInfo: appInfo(), workspace: workspaceInfo() });
  bindEvents(store, transport);
  store.getState().showNotebook(route);
  render(
    <StoreProvider store={store}>
      <NotebooksView />
    </StoreProvider>,
  );
  return { store, transport };
}

const cell = (n: number) => screen.getByRole('article', { name: `Cell ${n}` });

describe('NotebooksView: the list', () => {
  it('lists notebooks with their findings, last run and version, each linking to its page', async () => {
    renderView(null);
    const list = await screen.findByRole('list', { name: 'Notebooks' });
    const rows = within(list).getAllByRole('link');
    expect(rows.map((r) => r.getAttribute('href'))).toEqual(['#/notebooks/train', '#/notebooks/eda']);
    expect(rows[0]!.textContent).toContain('2 errors');
    expect(rows[0]!.textContent).toContain('1 warning');
    expect(rows[0]!.textContent).toContain('Not run');
    expect(rows[0]!.textContent).toContain('v1');
    expect(rows[1]!.textContent).toContain('No findings');
    expect(rows[1]!.textContent).toContain('Reproduced');
  });

  it('searches by name or path on the backend', async () => {
    vi.useFakeTimers();
    try {
      const { transport } = renderView(null);
      await act(async () => {
        await vi.runOnlyPendingTimersAsync();
      });
      fireEvent.change(screen.getByLabelText('Search notebooks'), { target: { value: 'eda' } });
      await act(async () => {
        await vi.advanceTimersByTimeAsync(250);
      });
      expect(transport.calls.filter((c) => c.method === 'notebooks.list').at(-1)?.input).toEqual({ query: 'eda' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('says how to start when there are none', async () => {
    renderView(null, { 'notebooks.list': () => [] });
    expect(await screen.findByRole('heading', { name: 'No notebooks yet' })).toBeTruthy();
    expect(screen.getByText(/Nothing in a notebook runs when you register or view it/)).toBeTruthy();
  });

  it('registers a typed path, follows the job and says clearly when the code did not change', async () => {
    const { transport } = renderView(null, { 'notebooks.register': () => notebookRegisterJob() });
    await screen.findByRole('list', { name: 'Notebooks' });
    fireEvent.click(screen.getByRole('button', { name: 'Register notebook' }));
    const dialog = screen.getByRole('dialog', { name: 'Register a notebook' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Register' }));
    expect(within(dialog).getByText('Enter the path of a .ipynb file, or browse for it.')).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('Notebook file'), { target: { value: '/home/ana/train.ipynb' } });
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Register' }));
    });
    expect(transport.calls.find((c) => c.method === 'notebooks.register')?.input).toEqual({ path: '/home/ana/train.ipynb' });
    act(() => transport.emit('jobs.onUpdate', notebookRegisterJob({ state: 'running', progress: 0.5, message: 'Analysing 4 cells' })));
    expect(within(dialog).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');
    act(() => transport.emit('jobs.onUpdate', notebookRegisterJob({ state: 'succeeded', progress: 1, result: notebookRegisterResult({ outcome: 'unchanged' }) })));
    expect(within(dialog).getByRole('status').textContent).toMatch(/Nothing changed: the code is the same as train version 1.*Outputs and execution counts do not count/);
    expect(within(dialog).getByRole('link', { name: 'Open train' }).getAttribute('href')).toBe('#/notebooks/train@1');
  });

  it('browses the backend’s files for a .ipynb in browser mode', async () => {
    renderView(null, {
      'files.list': () =>
        dirListing({
          entries: [
            { name: 'train.ipynb', kind: 'file', bytes: 4000, modifiedAt: null },
            { name: 'customers.csv', kind: 'file', bytes: 100, modifiedAt: null },
          ],
        }),
    });
    await screen.findByRole('list', { name: 'Notebooks' });
    fireEvent.click(screen.getByRole('button', { name: 'Register notebook' }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Browse…' }));
    });
    const dialog = screen.getByRole('dialog', { name: 'Choose a notebook' });
    expect(within(dialog).queryByRole('button', { name: 'Use this folder' })).toBeNull();
    expect(within(dialog).getByRole('button', { name: 'customers.csv' }).className).toContain('file-picker__entry--other');
    fireEvent.click(within(dialog).getByRole('button', { name: 'train.ipynb' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Choose file' }));
    expect((screen.getByLabelText('Notebook file') as HTMLInputElement).value).toBe('/home/ana/churn/train.ipynb');
  });

  it('registers dropped .ipynb files and refuses other files with a reason', async () => {
    const { transport } = renderView(null, { 'notebooks.register': () => notebookRegisterJob() });
    transport.handleFileToPath(() => '/ws/.greenhouse/uploads/train.ipynb');
    await screen.findByRole('list', { name: 'Notebooks' });
    const view = document.querySelector('.notebooks-view')!;
    const files = [new File(['{}'], 'train.ipynb'), new File(['a,b'], 'data.csv')];
    const dataTransfer = { types: ['Files'], files, items: files.map(() => ({ kind: 'file' })) };
    await act(async () => {
      fireEvent.drop(view, { dataTransfer });
    });
    expect(transport.calls.find((c) => c.method === 'notebooks.register')?.input).toEqual({ path: '/ws/.greenhouse/uploads/train.ipynb' });
    const registrations = screen.getByRole('region', { name: 'Registrations' });
    expect(registrations.textContent).toContain('data.csv is not a Jupyter notebook (.ipynb).');
  });
});

describe('NotebooksView: a notebook page', () => {
  it('shows the header facts: kernel, cells, version, hashes, path and findings', async () => {
    renderView(notebookRoute('train'));
    expect(await screen.findByRole('heading', { level: 1, name: 'train' })).toBeTruthy();
    await screen.findByRole('tabpanel'); // shown once the version has loaded
    const facts = document.querySelector('.nb-facts')!;
    expect(facts.textContent).toContain('Python 3 (ipykernel)');
    expect(facts.textContent).toContain('3 code · 1 markdown');
    expect(facts.textContent).toContain('1 of 1');
    expect(facts.textContent).toContain('a1b2c3d4e5f6…');
    expect(facts.textContent).toContain('f9e8d7c6b5a4…');
    expect(facts.textContent).toContain('/home/ana/churn/train.ipynb');
    expect(document.querySelector('.detail-header__titles')!.textContent).toContain('2 errors');
  });

  it('highlights code into spans, never as HTML', async () => {
    renderView(notebookRoute('train'));
    const code = within(await screen.findByRole('article', { name: 'Cell 2' })).getByLabelText('Code of cell 2');
    expect(code.querySelector('.tok-keyword')?.textContent).toBe('import');
    expect(code.querySelector('.tok-string')?.textContent).toBe("'data/customers.csv'");
    expect(code.querySelectorAll('.nb-code__line')).toHaveLength(3);
    expect(code.textContent).toBe("import pandas as pd\ndf = pd.read_csv('data/customers.csv')\ndf.head()\n");
  });

  it('renders a markdown cell with <script> and a javascript: link without a script or a javascript: href', async () => {
    const cells = notebookCells();
    cells[0] = { ...cells[0]!, source: '# Hi\n\n<script>window.pwned = true</script>\n\n[click me](javascript:alert(1)) and [docs](https://example.com)' };
    renderView(notebookRoute('train'), { 'notebooks.get': () => notebookDetail({ cells }) });
    const md = await screen.findByRole('article', { name: 'Cell 1' });
    expect(document.querySelector('script')).toBeNull();
    expect((window as { pwned?: boolean }).pwned).toBeUndefined();
    expect(md.textContent).toContain('<script>window.pwned = true</script>');
    expect(md.querySelector('a[href^="javascript" i]')).toBeNull();
    expect(within(md).getByRole('link', { name: 'docs' }).getAttribute('target')).toBe('_blank');
    expect(within(md).getByRole('heading', { level: 3, name: 'Hi' })).toBeTruthy();
  });

  it('shows each finding right under its cell, and notebook-level ones at the top', async () => {
    renderView(notebookRoute('train'));
    await screen.findByRole('article', { name: 'Cell 3' });
    const errorCell = within(cell(3)).getByRole('list', { name: 'Findings in cell 3' });
    expect(errorCell.textContent).toContain('Error outputs');
    expect(errorCell.textContent).toContain('Fix the error and re-run');
    const secretCell = within(cell(4)).getByRole('list', { name: 'Findings in cell 4' });
    expect(secretCell.textContent).toContain('Secrets in code or outputs');
    expect(secretCell.textContent).toContain('line 1');
    // The flagged line is marked in the code.
    expect(within(cell(4)).getByLabelText('Code of cell 4').querySelector('.nb-code__line--error')?.getAttribute('data-line')).toBe('1');
    expect(within(cell(2)).queryByRole('list', { name: /Findings/ })).toBeNull();
    expect(screen.getByRole('list', { name: 'Findings about the whole notebook' }).textContent).toContain('scikit-learn is installed without a version.');
  });

  it('renders outputs: text in <pre>, errors with traceback, images as data: URLs, omitted ones with their reason', async () => {
    renderView(notebookRoute('train'));
    await screen.findByRole('article', { name: 'Cell 3' });
    expect(cell(2).querySelector('.nb-output--text pre')?.textContent).toBe('   id  plan\n0   1  pro');
    expect(cell(3).querySelector('.nb-output--error')!.textContent).toContain('ZeroDivisionError: division by zero');
    expect(cell(3).querySelector('.nb-traceback')!.textContent).toContain('Traceback (most recent call last)');
    const img = within(cell(4)).getByRole('img', { name: 'Image output 2 of cell 4' });
    expect(img.getAttribute('src')).toMatch(/^data:image\/png;base64,iVBOR/);
    expect(within(cell(4)).getByText('HTML output is not shown.')).toBeTruthy();
  });

  it('filters findings by severity and jumps to a finding’s cell', async () => {
    const scrolled: string[] = [];
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this.id);
    };
    renderView(notebookRoute('train'));
    const summary = await screen.findByRole('region', { name: 'Findings' });
    expect(within(summary).getAllByRole('listitem')).toHaveLength(3);
    fireEvent.click(within(summary).getByRole('button', { name: /^Warnings/ }));
    expect(within(summary).getAllByRole('listitem')).toHaveLength(1);
    expect(within(cell(3)).queryByRole('list', { name: /Findings/ })).toBeNull();
    fireEvent.click(within(summary).getByRole('button', { name: /^All/ }));
    fireEvent.click(within(summary).getByRole('button', { name: 'Cell 4, line 1' }));
    expect(scrolled).toEqual(['notebook-cell-3']);
    expect(document.activeElement).toBe(cell(4));
  });

  it('links the cell that reads a registered dataset to the dataset page', async () => {
    renderView(notebookRoute('train'));
    await screen.findByRole('article', { name: 'Cell 2' });
    const files = within(cell(2)).getByRole('list', { name: 'Files cell 2 reads and writes' });
    expect(within(files).getByRole('link', { name: /dataset customers v1/ }).getAttribute('href')).toBe('#/datasets/customers@1');
  });

  it('lists the datasets it reads and the files it writes on the Lineage tab', async () => {
    const { store } = renderView(notebookRoute('train', { tab: 'lineage' }));
    const datasets = await screen.findByRole('list', { name: 'Datasets it reads' });
    expect(within(datasets).getByRole('link', { name: /customers/ }).getAttribute('href')).toBe('#/datasets/customers@1');
    expect(datasets.textContent).toContain('same bytes');
    expect(screen.getByRole('table', { name: 'Files it writes' }).textContent).toContain('joblib.dump');
    // A cell reference goes to the Cells tab.
    fireEvent.click(within(screen.getByRole('table', { name: 'Files it reads' })).getByRole('button', { name: 'Cell 2, line 2' }));
    expect(store.getState().notebookRoute?.tab).toBe('cells');
  });

  it('shows imports with their packages, pip installs, seeds and hyperparameters', async () => {
    renderView(notebookRoute('train', { tab: 'environment' }));
    const imports = await screen.findByRole('table', { name: 'Imported modules and the packages that provide them' });
    expect(within(imports).getAllByRole('row').map((r) => r.textContent)).toEqual([
      'ModulePackageFirst imported',
      'pandaspandasCell 2',
      'osstandard libraryCell 2',
    ]);
    expect(screen.getByRole('table', { name: 'Packages the notebook installs with pip' }).textContent).toContain('unpinned');
    expect(screen.getByText('np.random.seed(42)')).toBeTruthy();
    expect(screen.getByText('RandomForestClassifier')).toBeTruthy();
    expect(screen.getByText('n_estimators').nextSibling?.textContent).toBe('200');
  });

  it('reproduces with a chosen Python (remembered), shows progress with Cancel, then the failing cell and the history', async () => {
    localStorage.setItem('greenhouse.notebooks.python.train', '/opt/venv/bin/python');
    const { transport } = renderView(notebookRoute('train', { tab: 'reproduce' }), {
      'notebooks.run': () => notebookRunJob(),
      'jobs.cancel': () => notebookRunJob({ state: 'cancelled' }),
    });
    const python = (await screen.findByLabelText('Python')) as HTMLInputElement;
    expect(python.value).toBe('/opt/venv/bin/python');
    expect(screen.getByText(/Not run yet/)).toBeTruthy();
    fireEvent.change(python, { target: { value: '/usr/bin/python3' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Run notebook' }));
    });
    expect(transport.calls.find((c) => c.method === 'notebooks.run')?.input).toEqual({ name: 'train', version: 1, python: '/usr/bin/python3', timeoutSeconds: 600 });
    expect(localStorage.getItem('greenhouse.notebooks.python.train')).toBe('/usr/bin/python3');

    act(() => transport.emit('jobs.onUpdate', notebookRunJob({ state: 'running', progress: 0.5, message: 'Cell 2: ok' })));
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByText('Cell 2: ok')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Run notebook' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('button', { name: 'Cancel the run' })).toBeTruthy();

    transport.handle({ 'notebooks.get': () => notebookDetail({ runs: [notebookRun()] }) });
    await act(async () => {
      transport.emit('jobs.onUpdate', notebookRunJob({ state: 'succeeded', progress: 1, result: notebookRun() }));
    });
    const result = screen.getByRole('region', { name: 'Latest run' });
    expect(result.textContent).toContain('Failed at cell 3 with ZeroDivisionError');
    expect(within(result).getByRole('group', { name: 'Error of the failing cell' }).textContent).toContain('Traceback (most recent call last)');
    expect(within(screen.getByRole('table', { name: 'Reproduce runs, newest first' })).getByRole('button', { name: 'Cell 3 (ZeroDivisionError)' })).toBeTruthy();

    // The cells carry the run's status.
    fireEvent.click(within(result).getByRole('button', { name: 'Show cell 3' }));
    expect(within(cell(2)).getByText(/Ran OK/)).toBeTruthy();
    expect(within(cell(3)).getByText(/Failed in the last run/)).toBeTruthy();
    expect(within(cell(3)).getByRole('group', { name: 'Reproduce error in cell 3' }).textContent).toContain('ZeroDivisionError');
    expect(within(cell(4)).getByText('Not run in the last run')).toBeTruthy();
  });

  it('says why a run could not run (no nbclient in that Python)', async () => {
    const { transport } = renderView(notebookRoute('train', { tab: 'reproduce' }), { 'notebooks.run': () => notebookRunJob() });
    await screen.findByLabelText('Python');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Run notebook' }));
    });
    act(() =>
      transport.emit(
        'jobs.onUpdate',
        notebookRunJob({
          state: 'failed',
          error: { code: 'INVALID_INPUT', message: 'nbclient is not installed in /usr/bin/python3.', remedy: 'Install nbclient and ipykernel into that Python.' },
        }),
      ),
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Could not run the notebook');
    expect(alert.textContent).toContain('Install nbclient and ipykernel');
  });

  it('reports a notebook that does not exist', async () => {
    const { transport } = renderView(notebookRoute('gone'), { 'notebooks.get': () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'No notebook named "gone".', remedy: 'Register it.' } }) });
    expect(await screen.findByText('No such notebook')).toBeTruthy();
    expect(transport.calls.some((c) => c.method === 'notebooks.get')).toBe(true);
  });
});
