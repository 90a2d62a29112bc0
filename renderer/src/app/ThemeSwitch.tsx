import { useAppStore } from '../store/store-context.js';
import { IconMoon, IconSun } from '../ui/icons.js';
import { useResolvedTheme } from './theme.js';

/** A switch between light and dark; the first click turns "follow the system" into an explicit choice. */
export function ThemeSwitch() {
  const theme = useResolvedTheme();
  const setTheme = useAppStore((s) => s.setTheme);
  const dark = theme === 'dark';
  return (
    <button
      type="button"
      role="switch"
      aria-checked={dark}
      aria-label="Dark theme"
      title={dark ? 'Switch to the light theme' : 'Switch to the dark theme'}
      className="icon-button theme-switch"
      onClick={() => setTheme(dark ? 'light' : 'dark')}
    >
      {dark ? <IconMoon /> : <IconSun />}
    </button>
  );
}
