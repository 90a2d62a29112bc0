import type { ReactNode } from 'react';
import type { AppErrorData } from '../../../shared/result.js';
import { cx } from './cx.js';
import { IconAlert, IconX } from './icons.js';

export interface ErrorBannerProps {
  error: Pick<AppErrorData, 'message' | 'remedy'> & { code?: string };
  /** A short heading, e.g. "Could not open the workspace". */
  title?: string;
  onDismiss?: () => void;
  /** Extra actions such as a Retry button. */
  actions?: ReactNode;
  className?: string;
}

/** What happened and what to do about it; announced to screen readers when it appears. */
export function ErrorBanner({ error, title, onDismiss, actions, className }: ErrorBannerProps) {
  return (
    <div className={cx('error-banner', className)} role="alert">
      <IconAlert className="error-banner__icon" />
      <div className="error-banner__body">
        {title && <p className="error-banner__title">{title}</p>}
        <p className="error-banner__message">{error.message}</p>
        <p className="error-banner__remedy">{error.remedy}</p>
        {actions && <div className="error-banner__actions">{actions}</div>}
      </div>
      {onDismiss && (
        <button type="button" className="icon-button error-banner__dismiss" aria-label="Dismiss" onClick={onDismiss}>
          <IconX />
        </button>
      )}
    </div>
  );
}
