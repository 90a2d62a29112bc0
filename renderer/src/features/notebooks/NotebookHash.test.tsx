// @vitest-environment jsdom
// The notebook page lives in the URL hash: reload and back/forward keep it.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../app/App.js';
import { bindEvents } from '../../store/bind-events.js';
import { createAppStore } from '../../store/index.js';
import { StoreProvider } from '../../store/store-context.js';
import { createFakeTransport } from '../../testing/fake-transport.js';
import { appInfo, datasetDetail, dockerStatus, workspaceInfo } from '../../testing/fixtures.js';
import { notebookDetail, notebookSummary } from '../../testing/notebook-fixtures.js';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

async function renderApp() {
  const transport = createFakeTransport({
    'app.info': () => appInfo(),
    'workspace.current': () => workspaceInfo(),
    'workspace.recent': () => [],
    'jobs.list': () => [],
    'audit.list': () => [],
    'docker.status': () => dockerStatus(),
    'notebooks.list': () => [notebookSummary()],
    'notebooks.get': ({ version }) => notebookDetail(version ? { version: { ...notebookDetail().version, version } } : {}),
    'datasets.list': () => [],
    'datasets.get': () => datasetDetail(),
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

const navigate = (hash: string) =>
  act(async () => {
    window.location.hash = hash;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });

describe('notebook pages in the URL hash', () => {
  it('opens the page and tab the hash names, keeps the tab there, and goes back to the list', async () => {
    window.location.hash = '#/notebooks/train@1/lineage';
    const { transport } = await renderApp();
    expect(await screen.findByRole('heading', { level: 1, name: 'train' })).toBeTruthy();
    // The header shows the name at once; the tabs come with the loaded version.
    const lineage = await screen.findByRole('tab', { name: /Lineage/ });
    expect(transport.calls.find((c) => c.method === 'notebooks.get')?.input).toEqual({ name: 'train', version: 1 });
    expect(lineage.getAttribute('aria-selected')).toBe('true');
    act(() => fireEvent.click(screen.getByRole('tab', { name: /Reproduce/ })));
    expect(window.location.hash).toBe('#/notebooks/train@1/reproduce');
    await navigate('#/notebooks');
    expect(await screen.findByRole('list', { name: 'Notebooks' })).toBeTruthy();
  });

  it('a dataset link on the notebook page opens the dataset page', async () => {
    window.location.hash = '#/notebooks/train/lineage';
    await renderApp();
    const link = await screen.findByRole('link', { name: /customers v1/ });
    await navigate(link.getAttribute('href')!);
    expect(await screen.findByRole('heading', { level: 1, name: 'customers' })).toBeTruthy();
    expect(window.location.hash).toBe('#/datasets/customers@1');
  });
});
