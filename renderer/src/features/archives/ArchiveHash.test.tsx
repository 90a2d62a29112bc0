// @vitest-environment jsdom
// An archive opened for review lives in the URL hash (#/bundles/~archives/ID): reload and back/forward keep it.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../app/App.js';
import { bindEvents } from '../../store/bind-events.js';
import { createAppStore } from '../../store/index.js';
import { StoreProvider } from '../../store/store-context.js';
import { reviewArchive, reviewArchiveSummary } from '../../testing/archive-fixtures.js';
import { createFakeTransport } from '../../testing/fake-transport.js';
import { appInfo, dockerStatus, workspaceInfo } from '../../testing/fixtures.js';

beforeEach(() => {
  // The score chart measures itself; jsdom has no ResizeObserver.
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
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
    'bundles.list': () => [],
    'archives.list': () => [reviewArchiveSummary()],
    'archives.get': ({ id }) => reviewArchive({ id }),
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

describe('archive pages in the URL hash', () => {
  it('opens the archive and tab the hash names, keeps the tab there, and goes back to the list', async () => {
    window.location.hash = '#/bundles/~archives/3/verification';
    const { transport } = await renderApp();
    expect(await screen.findByRole('heading', { level: 1, name: 'churn v1' })).toBeTruthy();
    expect(transport.calls.find((c) => c.method === 'archives.get')?.input).toEqual({ id: 3 });
    expect(screen.getByRole('tab', { name: 'Verification' }).getAttribute('aria-selected')).toBe('true');
    expect(await screen.findByRole('heading', { name: 'Verified' })).toBeTruthy();
    act(() => fireEvent.click(screen.getByRole('tab', { name: 'Readiness & review' })));
    expect(window.location.hash).toBe('#/bundles/~archives/3');
    expect(await screen.findByRole('form', { name: 'Record a review' })).toBeTruthy();

    await navigate('#/bundles');
    expect(await screen.findByRole('table', { name: /Archives opened for review/ })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'Bundles' })).toBeTruthy();
    // Its row links back to the page.
    await navigate(screen.getByRole('link', { name: 'churn v1' }).getAttribute('href')!);
    expect(await screen.findByRole('heading', { level: 1, name: 'churn v1' })).toBeTruthy();
    expect(window.location.hash).toBe('#/bundles/~archives/3');
  });
});
