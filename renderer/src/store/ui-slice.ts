import type { StateCreator } from 'zustand';
import type { AppState } from './types.js';

export const THEMES = ['light', 'dark', 'system'] as const;
export type ThemePreference = (typeof THEMES)[number];

export const SECTIONS = ['datasets', 'notebooks', 'environments', 'models', 'bundles', 'monitoring', 'activity'] as const;
export type SectionId = (typeof SECTIONS)[number];

export const isSectionId = (value: unknown): value is SectionId => SECTIONS.includes(value as SectionId);

/** Where the theme choice is kept; localStorage in the app, a fake in tests. */
export interface PreferenceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const THEME_KEY = 'greenhouse.theme';

/** localStorage when the page may use it (it throws in some sandboxed contexts). */
export function browserStorage(): PreferenceStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function readTheme(storage: PreferenceStorage | null): ThemePreference {
  try {
    const value = storage?.getItem(THEME_KEY);
    return THEMES.includes(value as ThemePreference) ? (value as ThemePreference) : 'system';
  } catch {
    return 'system';
  }
}

export const resolveTheme = (preference: ThemePreference, systemPrefersDark: boolean): 'light' | 'dark' =>
  preference === 'system' ? (systemPrefersDark ? 'dark' : 'light') : preference;

/** The live event stream: 'lost' after it dropped, until it is back. */
export type EventStreamState = 'connecting' | 'open' | 'lost';

export interface UiSlice {
  theme: ThemePreference;
  section: SectionId;
  eventStream: EventStreamState;
  setTheme(theme: ThemePreference): void;
  setSection(section: SectionId): void;
  setEventStream(state: EventStreamState): void;
}

/** The only slice that needs no transport; it takes the storage for the theme instead. */
export const createUiSlice =
  (storage: PreferenceStorage | null = browserStorage()): StateCreator<AppState, [], [], UiSlice> =>
  (set) => ({
    theme: readTheme(storage),
    section: 'datasets',
    eventStream: 'connecting',
    setTheme(theme) {
      set({ theme });
      try {
        storage?.setItem(THEME_KEY, theme);
      } catch {
        // A full or blocked storage only costs the choice on the next start.
      }
    },
    setSection(section) {
      set({ section });
    },
    setEventStream(eventStream) {
      set({ eventStream });
    },
  });
