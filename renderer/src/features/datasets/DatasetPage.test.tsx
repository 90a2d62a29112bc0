// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { createRef } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { withChartLayout } from '../../testing/chart-layout.js';
import { createAppStore, datasetRoute, type DatasetRoute } from '../../store/index.js';
import { StoreProvider } from '../../store/store-context.js';
import { createFakeTransport, fail, type FakeHandlers } from '../../testing/fake-transport.js';
import { appInfo, datasetDetail, datasetDiff, datasetVersion, workspaceInfo } from '../../testing/fixtures.js';
import { DatasetsView } from './DatasetsView.js';

// jsdom lays nothing out: give charts the size a browser would, so recharts draws their bars.
withChartLayout();

afterEach(() => {
  cleanup();
});

const twoVersions = () =>
  datasetDetail({
    versions: [datasetVersion(), datasetVersion({ version: 2, rows: 3200, sha256: 'b7c6f56a7c10aa', createdBy: 'ben', snapshot: 'reference' })],
    version: datasetVersion({ version: 2, rows: 3200, sha256: 'b7c6f56a7c10aa', createdBy: 'ben', snapshot: 'reference', snapshotNote: 'Not copied: 3.2 GB is above the snapshot limit.' }),
  });

async function renderPage(route: DatasetRoute, handlers: FakeHandlers = {}) {
  const transport = createFakeTransport({ 'datasets.get': () => datasetDetail(), 'datasets.list': () => [], ...handlers });
  const store = createAppStore(transport, { storage: null });
  store.setState({ appInfo: appInfo(), workspace: workspaceInfo() });
  store.getState().showDataset(route);
  render(
    <StoreProvider store={store}>
      <DatasetsView />
    </StoreProvider>,
  );
  await screen.findByRole('tablist');
  return { store, transport };
}

describe('DatasetPage', () => {
  it('shows the header facts: rows, size, version, the hash to copy and the snapshot', async () => {
    const { transport } = await renderPage(datasetRoute('customers'), { 'datasets.get': () => twoVersions() });
    expect(transport.calls.find((c) => c.method === 'datasets.get')?.input).toEqual({ name: 'customers' });
    expect(screen.getByRole('heading', { level: 1, name: 'customers' })).toBeTruthy();
    const facts = document.querySelector('.fact-grid')!;
    expect(facts.textContent).toContain('3,200');
    expect(facts.textContent).toContain('2 of 2');
    expect(facts.textContent).toContain('b7c6f56a7c10');
    expect(facts.textContent).toContain('reference only');
    expect(facts.textContent).toContain('above the snapshot limit');
    expect(screen.getByRole('button', { name: 'Copy the SHA-256' })).toBeTruthy();
  });

  it('opens a column’s profile with its quantiles and a histogram chart', async () => {
    const { store } = await renderPage(datasetRoute('customers'));
    const schema = screen.getByRole('table', { name: /Columns of customers/ });
    expect(within(schema).getAllByRole('row')).toHaveLength(4);
    const toggle = within(schema).getByRole('button', { name: 'monthly_spend' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(store.getState().datasetRoute?.column).toBe('monthly_spend');
    expect(toggle.getAttribute('aria-expanded')).toBe('true');

    const profile = screen.getByRole('region', { name: 'Profile of monthly_spend' });
    expect(within(profile).getByRole('table', { name: 'Quantiles' }).textContent).toContain('p50');
    const figure = await within(profile).findByRole('figure', { name: 'Distribution of monthly_spend' });
    expect(figure.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(4);
    expect(figure.querySelector('svg title')?.textContent).toBe('Distribution of monthly_spend');
    expect(figure.querySelector('svg desc')?.textContent).toContain('4 bins from 20 to 100');
    // The numbers are there as a table too.
    fireEvent.click(within(figure).getByText('Show the numbers'));
    const details = figure.querySelector('details')!;
    act(() => {
      details.open = true;
      details.dispatchEvent(new Event('toggle'));
    });
    expect(within(figure).getByRole('table').textContent).toContain('20 – 40');
  });

  it('charts the most frequent values of a text column, and date bins as dates', async () => {
    await renderPage(datasetRoute('customers', { column: 'plan' }));
    const top = await screen.findByRole('figure', { name: /Most frequent values of plan/ });
    expect(top.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(3);
    expect(screen.getByRole('region', { name: 'Profile of plan' }).textContent).toContain('3 – 10 characters');

    fireEvent.click(screen.getByRole('button', { name: 'signup_date' }));
    const dates = await screen.findByRole('figure', { name: 'Distribution of signup_date' });
    expect(dates.querySelector('svg desc')?.textContent).toContain('from 2024-01-01 to 2024-12-30');
  });

  it('shows the sample rows with nulls marked', async () => {
    await renderPage(datasetRoute('customers', { tab: 'sample' }));
    const region = screen.getByRole('region', { name: 'Sample rows, scrollable' });
    const rows = within(region).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[2]!.textContent).toContain('null');
    expect(rows[0]!.textContent).toContain('DOUBLE');
  });

  it('moves between tabs with the arrow keys and keeps the tab in the route', async () => {
    const { store } = await renderPage(datasetRoute('customers'));
    const columns = screen.getByRole('tab', { name: /Columns/ });
    expect(columns.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(columns, { key: 'ArrowRight' });
    expect(store.getState().datasetRoute?.tab).toBe('sample');
    expect(screen.getByRole('tab', { name: 'Sample' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Sample' }));
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(store.getState().datasetRoute?.tab).toBe('compare');
  });

  it('edits and saves the datasheet, checking the limits first', async () => {
    const { transport } = await renderPage(datasetRoute('customers', { tab: 'datasheet' }), {
      'datasets.updateDatasheet': ({ datasheet }) => ({ description: '', source: '', owner: '', licence: '', collectionProcess: '', personalData: 'unknown', ...datasheet }),
    });
    const save = screen.getByRole('button', { name: 'Save datasheet' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Owner'), { target: { value: 'x'.repeat(201) } });
    expect(screen.getByText('Too long: 201 characters, at most 200.')).toBeTruthy();
    fireEvent.click(save);
    expect(transport.calls.some((c) => c.method === 'datasets.updateDatasheet')).toBe(false);

    fireEvent.change(screen.getByLabelText('Owner'), { target: { value: 'Ana Analyst' } });
    fireEvent.click(screen.getByRole('radio', { name: 'Yes' }));
    expect(screen.getByText(/It contains personal data/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Collection process'), { target: { value: 'Exported monthly from the CRM, with consent.' } });
    await act(async () => fireEvent.click(save));
    expect(transport.calls.at(-1)?.input).toEqual({
      name: 'customers',
      datasheet: { description: '', source: '', owner: 'Ana Analyst', licence: '', collectionProcess: 'Exported monthly from the CRM, with consent.', personalData: 'yes' },
    });
    expect(screen.getByText('Saved.')).toBeTruthy();
    expect(save.disabled).toBe(true);
  });

  it('shows a refused save with the backend’s message', async () => {
    await renderPage(datasetRoute('customers', { tab: 'datasheet' }), {
      'datasets.updateDatasheet': () => fail('NOT_FOUND', 'No dataset named "customers" in this workspace.'),
    });
    fireEvent.change(screen.getByLabelText('Licence'), { target: { value: 'CC BY 4.0' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save datasheet' })));
    expect(screen.getByRole('alert').textContent).toContain('Could not save the datasheet');
  });

  it('lists the versions and compares any two', async () => {
    const { store } = await renderPage(datasetRoute('customers', { tab: 'versions' }), { 'datasets.get': () => twoVersions() });
    const table = screen.getByRole('table', { name: 'Versions of customers' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]!.textContent).toContain('v2');
    expect(rows[1]!.textContent).toContain('b7c6f56a7c10');
    expect(rows[1]!.textContent).toContain('ben');
    const compare = screen.getByRole('button', { name: 'Compare v1 → v2' }) as HTMLButtonElement;
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select version 1 to compare' }));
    expect((screen.getByRole('button', { name: 'Compare' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select version 1 to compare' }));
    fireEvent.click(compare);
    expect(store.getState().datasetRoute).toMatchObject({ tab: 'compare', compare: { from: 1, to: 2 } });

    act(() => store.getState().showDataset(datasetRoute('customers', { tab: 'versions' })));
    fireEvent.click(screen.getByRole('button', { name: 'Show the profile of version 1' }));
    expect(store.getState().datasetRoute).toMatchObject({ version: 1, tab: 'columns' });
  });

  it('compares two versions: schema changes, rows and PSI with its band', async () => {
    const { transport } = await renderPage(datasetRoute('customers', { tab: 'compare' }), {
      'datasets.get': () => twoVersions(),
      'datasets.diff': () => datasetDiff(),
    });
    const diff = await screen.findByRole('region', { name: 'Changes from version 1 to version 2' });
    expect(transport.calls.find((c) => c.method === 'datasets.diff')?.input).toEqual({ name: 'customers', from: 1, to: 2 });
    expect(diff.textContent).toContain('3,000 → 3,200');
    expect(diff.textContent).toContain('+6.7%');
    expect(diff.querySelector('.schema-change--added')?.textContent).toContain('score');
    expect(diff.querySelector('.schema-change--retyped')?.textContent).toContain('BIGINT');
    const row = (name: string) => diff.querySelector(`tr[data-column="${name}"]`)!;
    expect(row('monthly_spend').textContent).toContain('5.019');
    expect(row('monthly_spend').textContent).toContain('major shift');
    expect(row('plan').textContent).toContain('moderate shift');
    expect(row('region').textContent).toContain('stable');
    expect(row('notes').textContent).toContain('n/a');
    expect(within(diff).getByText('2 columns')).toBeTruthy();
  });

  it('says when there is nothing to compare yet', async () => {
    await renderPage(datasetRoute('customers', { tab: 'compare' }));
    expect(screen.getByRole('heading', { level: 2, name: 'Nothing to compare yet' })).toBeTruthy();
  });

  it('moves focus to the heading of the dataset opened, and keeps it there when the detail arrives', async () => {
    let release!: () => void;
    const transport = createFakeTransport({
      'datasets.list': () => [],
      'datasets.get': () => new Promise((resolve) => (release = () => resolve(datasetDetail()))),
    });
    const store = createAppStore(transport, { storage: null });
    const headingRef = createRef<HTMLHeadingElement>();
    render(
      <StoreProvider store={store}>
        <DatasetsView headingRef={headingRef} />
      </StoreProvider>,
    );
    act(() => store.getState().showDataset(datasetRoute('customers')));
    const heading = screen.getByRole('heading', { level: 1, name: 'customers' });
    expect(document.activeElement).toBe(heading);
    await act(async () => release());
    await screen.findByRole('tablist');
    expect(document.activeElement).toBe(heading);
    expect(screen.getByRole('heading', { level: 1, name: 'customers' })).toBe(heading);
  });

  it('says when the dataset does not exist', async () => {
    const transport = createFakeTransport({ 'datasets.get': () => fail('NOT_FOUND', 'No dataset named "gone" in this workspace.') });
    const store = createAppStore(transport, { storage: null });
    store.getState().showDataset(datasetRoute('gone'));
    render(
      <StoreProvider store={store}>
        <DatasetsView />
      </StoreProvider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('No such dataset');
    expect(screen.getByRole('link', { name: 'Datasets' }).getAttribute('href')).toBe('#/datasets');
  });
});
