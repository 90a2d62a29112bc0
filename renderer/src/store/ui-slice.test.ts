import { describe, expect, it } from 'vitest';
import { createFakeTransport } from '../testing/fake-transport.js';
import { createAppStore, resolveTheme } from './index.js';
import { THEME_KEY, type PreferenceStorage } from './ui-slice.js';

const memoryStorage = (initial: Record<string, string> = {}): PreferenceStorage & { data: Record<string, string> } => {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
};

describe('ui slice', () => {
  it('follows the system until the user picks a theme, and keeps the choice', () => {
    const storage = memoryStorage();
    const store = createAppStore(createFakeTransport(), { storage });
    expect(store.getState().theme).toBe('system');
    store.getState().setTheme('dark');
    expect(storage.data[THEME_KEY]).toBe('dark');
    expect(createAppStore(createFakeTransport(), { storage }).getState().theme).toBe('dark');
  });

  it('ignores a stored value it does not know', () => {
    const store = createAppStore(createFakeTransport(), { storage: memoryStorage({ [THEME_KEY]: 'purple' }) });
    expect(store.getState().theme).toBe('system');
  });

  it('resolves "system" with the system preference', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
  });

  it('switches sections', () => {
    const store = createAppStore(createFakeTransport(), { storage: null });
    expect(store.getState().section).toBe('datasets');
    store.getState().setSection('activity');
    expect(store.getState().section).toBe('activity');
  });
});
