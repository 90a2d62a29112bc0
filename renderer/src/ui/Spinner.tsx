import { cx } from './cx.js';

/** Decorative; pair it with text that says what is happening. */
export function Spinner({ className }: { className?: string }) {
  return <span className={cx('spinner', className)} aria-hidden="true" />;
}
