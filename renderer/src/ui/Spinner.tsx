import type { ReactNode } from 'react';
import { cx } from './cx.js';

/** Decorative; pair it with text that says what is happening. */
export function Spinner({ className }: { className?: string }) {
  return <span className={cx('spinner', className)} aria-hidden="true" />;
}

/** A status line: a spinner and what is under way ("Loading churn…"). */
export function LoadingLine({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <p className={cx('muted loading-line', className)} role="status">
      <Spinner /> {children}
    </p>
  );
}
