// The frame of a registered item's page (a dataset, a notebook, an environment, a model): back
// link, a header with the title, badges, actions and facts, and the loading or not-found state
// before the detail arrives.
import type { ReactNode, Ref } from 'react';
import type { AppErrorData } from '../../../shared/result.js';
import { Badge } from './Badge.js';
import { Button } from './Button.js';
import { CopyButton } from './CopyButton.js';
import { cx } from './cx.js';
import { IconArrowLeft, IconPlus } from './icons.js';
import { LoadProblem } from './LoadProblem.js';
import { Sha } from './Sha.js';
import { LoadingLine, Spinner } from './Spinner.js';
import { Timestamp } from './Timestamp.js';
import { latestVersion, VersionSelect } from './VersionSelect.js';

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
        <LoadingLine>Loading {name}…</LoadingLine>
      )}
    </>
  );
}

/** "latest" or "older version" beside the title. */
export function VersionBadge({ version, latest }: { version: number; latest: number }) {
  return version === latest ? <Badge tone="info">latest</Badge> : <Badge tone="warning">older version</Badge>;
}

/** The header's version picker and the button that adds a version ("New version"). */
export function VersionActions({
  versions,
  shown,
  onVersion,
  onAdd,
  addLabel = 'New version',
  addTitle,
}: {
  versions: readonly { version: number }[];
  shown: number;
  onVersion: (version: number | null) => void;
  onAdd: () => void;
  addLabel?: string;
  /** What adding does, on hover. */
  addTitle: string;
}) {
  return (
    <>
      <VersionSelect versions={versions} shown={shown} onChange={onVersion} />
      <Button size="sm" onClick={onAdd} title={addTitle}>
        <IconPlus />
        {addLabel}
      </Button>
    </>
  );
}

/** One entry of the header's fact grid; wide and full ones take more of its columns. */
export function Fact({
  label,
  span,
  className,
  title,
  children,
}: {
  label: ReactNode;
  span?: 'wide' | 'full';
  /** On the value. */
  className?: string;
  /** On the value, on hover. */
  title?: string;
  children: ReactNode;
}) {
  return (
    <div className={cx('fact', span && `fact--${span}`)}>
      <dt>{label}</dt>
      <dd className={className} title={title}>
        {children}
      </dd>
    </div>
  );
}

/** "2 of 3": the version shown and the latest. */
export function VersionFact({ version, versions }: { version: number; versions: readonly { version: number }[] }) {
  return (
    <Fact label="Version">
      {version} of {latestVersion(versions)}
    </Fact>
  );
}

/** When and by whom the version was made. */
export function CreatedFact({ label = 'Registered', at, by }: { label?: string; at: string; by: string }) {
  return (
    <Fact label={label}>
      <Timestamp value={at} /> <span className="muted">by {by}</span>
    </Fact>
  );
}

/** A SHA-256, shortened, with a button that copies the whole of it. */
export function ShaFact({ label = 'SHA-256', value, copyLabel = 'Copy the SHA-256', title }: { label?: string; value: string; copyLabel?: string; title?: string }) {
  return (
    <Fact label={label} span="wide" className="sha-line" title={title}>
      <Sha value={value} ellipsis />
      <CopyButton value={value} label={copyLabel} />
    </Fact>
  );
}

/** A path on a line of its own, cut at its start when it is too long; `children` follow it. */
export function PathFact({ label, path, children }: { label: string; path: string; children?: ReactNode }) {
  return (
    <Fact label={label} span="full" className="mono path-start-ellipsis" title={path}>
      <bdi>{path}</bdi>
      {children}
    </Fact>
  );
}
