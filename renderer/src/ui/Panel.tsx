import type { ReactNode } from 'react';
import { cx } from './cx.js';

export interface PanelProps {
  /** The id of the heading, which names the section. */
  headingId: string;
  title: ReactNode;
  /** A muted note beside the title (a count, what the section shows). */
  note?: ReactNode;
  /** More in the head after the note: a badge, a filter. */
  aside?: ReactNode;
  /** 3 for a panel inside a tab's own sections. */
  level?: 2 | 3;
  className?: string;
  headClassName?: string;
  children?: ReactNode;
}

/** A titled section of a page or tab: the head (title, note, extras), then its content. */
export function Panel({ headingId, title, note, aside, level = 2, className, headClassName, children }: PanelProps) {
  const Heading = level === 3 ? 'h3' : 'h2';
  return (
    <section className={cx('panel', className)} aria-labelledby={headingId}>
      <div className={cx('panel__head', headClassName)}>
        <Heading id={headingId} className="panel__title">
          {title}
        </Heading>
        {note !== undefined && note !== null && note !== false && <span className="muted small">{note}</span>}
        {aside}
      </div>
      {children}
    </section>
  );
}
