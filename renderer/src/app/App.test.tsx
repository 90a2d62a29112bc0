// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { bindEvents } from '../store/bind-events.js';
import { createAppStore } from '../store/index.js';
import { StoreProvider } from '../store/store-context.js';
import { createFakeTransport } from '../testing/fake-transport.js';
import { appInfo, datasetDetail, datasetSummary, dockerStatus, job, workspaceInfo } from '../testing/fixtures.js';
import { modelDetail, modelSummary } from '../testing/model-fixtures.js';
import { calmCheck, driftCheck, driftSettings, driftSummary } from '../testing/monitoring-fixtures.js';
import { App } from './App.js';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

async function renderApp(open: boolean) {
  const transport = createFakeTransport({
    'app.info': () => appInfo(),
    'workspace.current': () => (open ? workspaceInfo() : null),
    'workspace.recent': () => [],
    'jobs.list': () => [],
    'audit.list': () => [],
    'docker.status': () => dockerStatus(),
    'objects.verify': () => job({ id: 'v', state: 'queued', progress: null }),
    'datasets.list': () => [datasetSummary()],
    'datasets.get': () => datasetDetail(),
    'models.list': () => [modelSummary()],
    'models.get': () => modelDetail(),
    'drift.history': () => [driftSummary(driftCheck()), driftSummary(calmCheck())],
    'drift.latest': () => [driftSummary(driftCheck())],
    'drift.get': ({ id }) => (id === 1 ? calmCheck() : driftCheck()),
    'drift.settings': () => driftSettings(),
  });
  const store = createAppStore(transport, { storage: null });
  bindEvents(store, transport);
  render(
    <StoreProvider store={store}>
      <App />
    </StoreProvider>,
  );
  await act(() => store.getState().loadWorkspace());
  return { store, transport };
}

describe('App', () => {
  it('shows the picker when no workspace is open', async () => {
    await renderApp(false);
    expect(screen.getByRole('heading', { level: 1, name: 'Greenhouse' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create workspace' })).toBeTruthy();
  });

  it('shows the shell with landmarks, the Docker version and the theme switch', async () => {
    await renderApp(true);
    expect(screen.getByRole('banner').textContent).toContain('Churn model');
    expect(screen.getByRole('navigation', { name: 'Workspace sections' })).toBeTruthy();
    expect(screen.getByRole('main')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'Datasets' })).toBeTruthy();
    expect((await screen.findByRole('button', { name: /^Container engine:/ })).textContent).toBe('Docker 20.10.24 · API 1.41');

    const toggle = screen.getByRole('switch', { name: 'Dark theme' });
    expect(document.documentElement.dataset.theme).toBe('light');
    act(() => fireEvent.click(toggle));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(toggle.getAttribute('aria-checked')).toBe('true');
  });

  it('follows job events in Activity', async () => {
    const { transport } = await renderApp(true);
    await act(async () => {
      window.location.hash = '#/activity';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    expect(screen.getByRole('heading', { level: 1, name: 'Activity' })).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Verify snapshots' }));
    });
    act(() => transport.emit('jobs.onUpdate', job({ id: 'v', state: 'running', progress: 0.5 })));
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');
    act(() => transport.emit('jobs.onUpdate', job({ id: 'v', state: 'succeeded', progress: 1, result: { checked: 0, bytes: 0, corrupt: [] } })));
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(screen.getByText('Checked 0 snapshots (0 B): all intact.')).toBeTruthy();
  });
});

describe('App: dataset pages in the URL hash', () => {
  it('opens the dataset page the hash names, and keeps its tab there', async () => {
    window.location.hash = '#/datasets/customers/sample';
    await renderApp(true);
    expect(await screen.findByRole('heading', { level: 1, name: 'customers' })).toBeTruthy();
    expect((await screen.findByRole('tab', { name: 'Sample' })).getAttribute('aria-selected')).toBe('true');

    act(() => fireEvent.click(screen.getByRole('tab', { name: 'Datasheet' })));
    expect(window.location.hash).toBe('#/datasets/customers/datasheet');

    await act(async () => {
      window.location.hash = '#/datasets';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    expect(screen.getByRole('heading', { level: 1, name: 'Datasets' })).toBeTruthy();
    expect(await screen.findByRole('list', { name: 'Datasets' })).toBeTruthy();
  });
});

describe('App: monitoring pages in the URL hash', () => {
  it('opens the check the hash names on the model’s monitoring page, and the section’s list from the navigation', async () => {
    window.location.hash = '#/monitoring/churn/checks/1';
    await renderApp(true);
    expect(await screen.findByRole('heading', { level: 1, name: 'churn' })).toBeTruthy();
    expect(await screen.findByRole('region', { name: 'No drift' })).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Workspace sections' });
    expect(within(nav).getByRole('link', { name: 'Monitoring' }).getAttribute('aria-current')).toBe('page');

    await act(async () => {
      window.location.hash = '#/monitoring';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    expect(screen.getByRole('heading', { level: 1, name: 'Monitoring' })).toBeTruthy();
    const table = await screen.findByRole('table', { name: 'Models and their latest drift check' });
    expect(within(table).getByRole('link', { name: /^churn/ }).getAttribute('href')).toBe('#/monitoring/churn');
  });
});
