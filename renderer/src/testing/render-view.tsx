// Rendering a section view for a test: a fake transport answering what every view asks for on
// opening (jobs, audit, the workspace) plus the test's own handlers, a store bound to its events.
import { act, render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { onTestFinished, vi } from 'vitest';
import type { Job } from '../../../shared/contract/index.js';
import { bindEvents } from '../store/bind-events.js';
import { createAppStore } from '../store/index.js';
import { StoreProvider } from '../store/store-context.js';
import { createFakeTransport, type FakeHandlers, type FakeTransport } from './fake-transport.js';
import { appInfo, workspaceInfo } from './fixtures.js';

export interface RenderViewOptions {
  /** Handlers of the view's own methods, before the test's. */
  defaults?: FakeHandlers;
  /** What the app says about itself (e.g. whether it has native dialogs). */
  info?: Parameters<typeof appInfo>[0];
}

/** Render `view` in a store on a fake transport with a workspace open. */
export function renderView(view: ReactElement, handlers: FakeHandlers = {}, { defaults = {}, info }: RenderViewOptions = {}) {
  const transport = createFakeTransport({
    'jobs.list': () => [],
    'audit.list': () => [],
    'workspace.current': () => workspaceInfo(),
    ...defaults,
    ...handlers,
  });
  const store = createAppStore(transport, { storage: null });
  store.setState({ appInfo: appInfo(info), workspace: workspaceInfo() });
  bindEvents(store, transport);
  render(<StoreProvider store={store}>{view}</StoreProvider>);
  return { store, transport };
}

/** A job's update from the backend. */
export const emitJob = (transport: FakeTransport, job: Job) => act(() => transport.emit('jobs.onUpdate', job));

/** jsdom lays nothing out: give a list's scroll box the height a browser would, for this test. */
export function giveListsHeight(height = 560) {
  const spy = vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(function (this: HTMLElement) {
    return this.classList.contains('dataset-list__scroll') ? height : 0;
  });
  onTestFinished(() => spy.mockRestore());
}
