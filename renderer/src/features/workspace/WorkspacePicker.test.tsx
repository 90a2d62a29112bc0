// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppStore } from '../../store/index.js';
import { StoreProvider } from '../../store/store-context.js';
import { createFakeTransport, fail } from '../../testing/fake-transport.js';
import { appInfo, recentWorkspace, workspaceInfo } from '../../testing/fixtures.js';
import { WorkspacePicker } from './WorkspacePicker.js';

afterEach(cleanup);

async function renderPicker(handlers: Parameters<typeof createFakeTransport>[0] = {}) {
  const transport = createFakeTransport({
    'app.info': () => appInfo(),
    'workspace.current': () => null,
    'workspace.recent': () => [],
    ...handlers,
  });
  const store = createAppStore(transport, { storage: null });
  await store.getState().loadWorkspace();
  render(
    <StoreProvider store={store}>
      <WorkspacePicker />
    </StoreProvider>,
  );
  return { store, transport };
}

describe('WorkspacePicker', () => {
  it('shows what went wrong and what to do when creating fails', async () => {
    await renderPicker({
      'workspace.create': () => fail('CONFLICT', '/home/ana/churn is already a Greenhouse workspace.', 'Open it instead of creating it.'),
    });
    fireEvent.change(screen.getByLabelText('Folder'), { target: { value: '/home/ana/churn' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Create workspace' }));
    });
    const alert = screen.getByRole('alert');
    expect(within(alert).getByText('Could not create the workspace')).toBeTruthy();
    expect(within(alert).getByText('/home/ana/churn is already a Greenhouse workspace.')).toBeTruthy();
    expect(within(alert).getByText('Open it instead of creating it.')).toBeTruthy();
    // The error sits in the create card, not in the open card.
    const createCard = screen.getByRole('heading', { name: 'Create a workspace' }).closest('section')!;
    expect(createCard.contains(alert)).toBe(true);

    fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows an open error in the open card', async () => {
    await renderPicker({
      'workspace.open': () => fail('WORKSPACE_INVALID', '/tmp is not a Greenhouse workspace (no .greenhouse/catalog.db).', 'Pick a folder created with "Create workspace".'),
    });
    fireEvent.change(screen.getByLabelText('Workspace folder'), { target: { value: '/tmp' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Open workspace' }));
    });
    const openCard = screen.getByRole('heading', { name: 'Open a workspace' }).closest('section')!;
    expect(within(openCard).getByRole('alert').textContent).toContain('Pick a folder created with');
  });

  it('offers Browse… only when native dialogs exist', async () => {
    await renderPicker();
    expect(screen.queryByRole('button', { name: 'Browse…' })).toBeNull();
    cleanup();
    await renderPicker({ 'app.info': () => appInfo({ mode: 'electron', nativeDialogs: true }), 'dialog.pickPath': () => ({ path: '/picked' }) });
    const [createBrowse] = screen.getAllByRole('button', { name: 'Browse…' });
    await act(async () => {
      fireEvent.click(createBrowse!);
    });
    expect((screen.getByLabelText('Folder') as HTMLInputElement).value).toBe('/picked');
  });

  it('lists recent workspaces, marks missing ones, and opens or forgets them', async () => {
    const { transport, store } = await renderPicker({
      'workspace.recent': () => [recentWorkspace(), recentWorkspace({ path: '/gone', name: 'Gone', exists: false })],
      'workspace.open': ({ path }) => workspaceInfo({ path }),
      'workspace.forget': () => [recentWorkspace()],
      'jobs.list': () => [],
      'audit.list': () => [],
    });
    const list = screen.getByRole('list', { name: 'Recent workspaces' });
    expect(within(list).getByText('Missing')).toBeTruthy();
    expect((within(list).getByRole('button', { name: 'Open Gone' }) as HTMLButtonElement).disabled).toBe(true);

    await act(async () => {
      fireEvent.click(within(list).getByRole('button', { name: 'Forget Gone' }));
    });
    expect(screen.queryByText('Gone')).toBeNull();

    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Open Churn model' }));
    });
    expect(transport.calls.some((c) => c.method === 'workspace.open')).toBe(true);
    expect(store.getState().workspace?.path).toBe('/home/ana/churn');
  });
});
