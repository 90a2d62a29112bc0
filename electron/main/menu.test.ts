import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { Backend } from '../services/backend.js';
import { tempDir } from '../test-support/temp.js';
import { buildMenuTemplate, createWorkspaceActions, type MenuActions } from './menu.js';

const actions: MenuActions = {
  openWorkspace: vi.fn(async () => {}),
  createWorkspace: vi.fn(async () => {}),
  closeWorkspace: vi.fn(async () => {}),
};

/** Every role and id in a template, depth first. */
const entries = (items: MenuItemConstructorOptions[]): string[] =>
  items.flatMap((i) => [i.role ?? i.id ?? i.label ?? i.type ?? '?', ...(Array.isArray(i.submenu) ? entries(i.submenu) : [])]);

describe('application menu', () => {
  it('has the workspace items, edit, zoom and fullscreen, and About under Help', () => {
    const items = entries(buildMenuTemplate({ appName: 'Greenhouse', platform: 'linux', dev: false, actions }));
    expect(items).toEqual(
      expect.arrayContaining(['workspace.open', 'workspace.create', 'workspace.close', 'quit', 'editMenu', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'help', 'about']),
    );
    expect(items).not.toContain('appMenu');
  });

  it('offers reload and devtools in development only', () => {
    const prod = entries(buildMenuTemplate({ appName: 'Greenhouse', platform: 'linux', dev: false, actions }));
    const dev = entries(buildMenuTemplate({ appName: 'Greenhouse', platform: 'linux', dev: true, actions }));
    for (const role of ['reload', 'forceReload', 'toggleDevTools']) {
      expect(prod).not.toContain(role);
      expect(dev).toContain(role);
    }
  });

  it('follows macOS conventions: app menu with About and Quit, Close Window in File', () => {
    const template = buildMenuTemplate({ appName: 'Greenhouse', platform: 'darwin', dev: false, actions });
    expect(template[0]).toMatchObject({ label: 'Greenhouse', role: 'appMenu' });
    const file = entries([template[1]!]);
    expect(file).toContain('close');
    expect(file).not.toContain('quit');
    expect(entries(template)).toContain('windowMenu');
  });

  it('runs the actions from the items and contains their failures', async () => {
    const failing: MenuActions = { ...actions, closeWorkspace: vi.fn(async () => Promise.reject(new Error('boom'))) };
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const [file] = buildMenuTemplate({ appName: 'Greenhouse', platform: 'linux', dev: false, actions: failing });
    const items = file!.submenu as MenuItemConstructorOptions[];
    const click = (id: string) => (items.find((i) => i.id === id)!.click as () => void)();
    click('workspace.open');
    expect(actions.openWorkspace).toHaveBeenCalledOnce();
    click('workspace.close');
    await vi.waitFor(() => expect(error).toHaveBeenCalled());
    error.mockRestore();
  });
});

describe('workspace menu actions', () => {
  let backend: Backend;
  beforeEach(() => {
    backend = new Backend({ mode: 'electron', configDir: tempDir(), actor: 'tester' });
  });
  afterEach(() => backend.close());

  it('creates, closes and opens a workspace through the backend; the window learns of it by event', async () => {
    const dir = tempDir();
    const seen: unknown[] = [];
    backend.events.onAny((name, payload) => name === 'workspace.onChanged' && seen.push(payload === null ? null : 'info'));
    const showError = vi.fn();
    const pickDirectory = vi.fn(async () => dir);
    const menu = createWorkspaceActions({ handlers: backend.handlers, pickDirectory, showError });

    await menu.createWorkspace();
    expect(existsSync(join(dir, '.greenhouse'))).toBe(true);
    expect(backend.workspace?.paths.root).toBe(dir);
    await menu.closeWorkspace();
    expect(backend.workspace).toBeNull();
    await menu.openWorkspace();
    expect(backend.workspace?.paths.root).toBe(dir);
    expect(seen).toEqual(['info', null, 'info']);
    expect(showError).not.toHaveBeenCalled();
  });

  it('does nothing when the dialog is cancelled', async () => {
    const showError = vi.fn();
    const menu = createWorkspaceActions({ handlers: backend.handlers, pickDirectory: async () => null, showError });
    await menu.openWorkspace();
    await menu.createWorkspace();
    expect(backend.workspace).toBeNull();
    expect(showError).not.toHaveBeenCalled();
  });

  it('shows the error and its remedy when the folder is not a workspace', async () => {
    const showError = vi.fn();
    const menu = createWorkspaceActions({ handlers: backend.handlers, pickDirectory: async () => tempDir(), showError });
    await menu.openWorkspace();
    expect(showError).toHaveBeenCalledWith(expect.objectContaining({ code: expect.any(String), message: expect.any(String), remedy: expect.any(String) }));
    expect(backend.workspace).toBeNull();
  });
});
