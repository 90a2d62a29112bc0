// The frame of a registered item's page (a dataset, a notebook): back link, a header with the
// title, badges, actions and facts, and the loading or not-found state before the detail arrives.
import type { ReactNode, Ref } from 'react';
import type { AppErrorData } from '../../../shared/result.js';
import { IconArrowLeft } from './icons.js';
import { LoadProblem } from './LoadProblem.js';
import { Spinner } from './Spinner.js';

export function BackLink({ href, label }: { href: string; label: string }) {
  return (
    <a className="back-link" href={href}>
      <IconArrowLeft /> {label}
    </a>
  );
}

export interface DetailHeaderProps {
  name: string;
  headingRef?: Ref<HTMLHeadingElement>;
  /** A refresh is under way: a spinner beside the badges. */
  loading: boolean;
  badges?: ReactNode;
  actions?: ReactNode;
  /** The fact grid under the title; absent while the detail loads. */
  facts?: ReactNode;
}

/** The same element before and after the detail arrives, so the heading keeps focus. */
export function DetailHeader({ name, headingRef, loading, badges, actions, facts }: DetailHeaderProps) {
  return (
    <header className="detail-header">
      <div className="detail-header__top">
        <div className="detail-header__titles">
          <h1 className="page-header__title detail-header__title" ref={headingRef} tabIndex={-1}>
            {name}
          </h1>
          {badges}
          {loading && badges !== undefined && <Spinner className="detail-header__spinner" />}
        </div>
        {actions && <div className="detail-header__actions">{actions}</div>}
      </div>
      {facts}
    </header>
  );
}

/**
 * Under the bare header before the detail arrives: loading, or why it could not load. Pages put
 * <DetailHeader> at the same place in both states, so React keeps the element (and its focus).
 */
export function DetailPending({
  name,
  noun,
  error,
  onRetry,
}: {
  name: string;
  /** "dataset", "notebook". */
  noun: string;
  error: AppErrorData | null;
  onRetry: () => void;
}) {
  return (
    <>
      {error ? (
        <LoadProblem error={error} title={error.code === 'NOT_FOUND' ? `No such ${noun}` : `Could not load the ${noun}`} onRetry={onRetry} />
      ) : (
        <p className="muted loading-line" role="status">
          <Spinner /> Loading {name}…
        </p>
      )}
    </>
  );
}
