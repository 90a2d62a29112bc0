import { useEffect, useSyncExternalStore } from 'react';
import { resolveTheme } from '../store/index.js';
import { useAppStore } from '../store/store-context.js';

const DARK_QUERY = '(prefers-color-scheme: dark)';
const hasMatchMedia = () => typeof window !== 'undefined' && typeof window.matchMedia === 'function';

export const systemPrefersDark = () => hasMatchMedia() && window.matchMedia(DARK_QUERY).matches;

const subscribeToSystemTheme = (onChange: () => void) => {
  if (!hasMatchMedia()) return () => undefined;
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
};

/** The theme in effect: the user's choice, or the system's when they chose "system". */
export function useResolvedTheme(): 'light' | 'dark' {
  const preference = useAppStore((s) => s.theme);
  const dark = useSyncExternalStore(subscribeToSystemTheme, systemPrefersDark, () => false);
  return resolveTheme(preference, dark);
}

export function applyTheme(theme: 'light' | 'dark', root: HTMLElement = document.documentElement): void {
  root.dataset.theme = theme;
  root.style.colorScheme = theme;
}

/** Keeps <html data-theme> in step with the store and the system setting. */
export function useApplyTheme(): void {
  const theme = useResolvedTheme();
  useEffect(() => applyTheme(theme), [theme]);
}
