import { useLayoutEffect, useRef, useState } from 'react';
import { cx } from '../../ui/cx.js';
import { IconChevronDown } from '../../ui/icons.js';
import { plural } from '../../ui/format.js';

export interface JobLogProps {
  lines: readonly string[];
  /** Earlier lines let go to keep the log short. */
  dropped?: number;
  /** The log's accessible name: "Build log". */
  label: string;
  /** Still growing: it follows the newest line unless the user scrolled up. */
  live?: boolean;
  /** Shown while there are no lines. */
  empty?: string;
  className?: string;
}

/** Closer than this to the end (px) counts as at the end. */
const AT_END = 24;

const lineClass = (line: string) =>
  /^Step \d+\/\d+/.test(line) ? 'job-log__line--step'
  : /^(Failed:|ERROR|Error|error:|FAIL|.*\b(FAILED|Traceback)\b)/.test(line) ? 'job-log__line--error'
  : /^(Warning|WARNING)/.test(line) ? 'job-log__line--warning'
  : undefined;

/**
 * A job's output, line by line, in a scrolling monospace box: a live log follows its end until
 * the user scrolls up to read, and offers a way back to the end.
 */
export function JobLog({ lines, dropped = 0, label, live = false, empty = 'Nothing yet.', className }: JobLogProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  // Whether to follow the end; a ref, as only the scroll handler and the layout effect use it.
  const follow = useRef(true);
  const [away, setAway] = useState(false);

  useLayoutEffect(() => {
    const box = boxRef.current;
    if (box && follow.current) box.scrollTop = box.scrollHeight;
  }, [lines]);

  const onScroll = () => {
    const box = boxRef.current;
    if (!box) return;
    const atEnd = box.scrollHeight - box.scrollTop - box.clientHeight < AT_END;
    follow.current = atEnd;
    setAway(!atEnd);
  };

  const toEnd = () => {
    const box = boxRef.current;
    follow.current = true;
    setAway(false);
    if (box) box.scrollTop = box.scrollHeight;
  };

  return (
    <div className={cx('job-log', className)} data-live={live || undefined}>
      {/* Focusable so the keyboard can scroll it; not announced line by line (the progress bar says how far it is). */}
      <div ref={boxRef} className="job-log__scroll" role="log" aria-label={label} aria-live="off" tabIndex={0} onScroll={onScroll}>
        {dropped > 0 && <p className="job-log__dropped">{plural(dropped, 'earlier line')} not shown</p>}
        {lines.length === 0 ?
          <p className="job-log__empty">{empty}</p>
        : <pre className="job-log__text">
            {lines.map((line, i) => (
              <span key={dropped + i} className={lineClass(line)}>
                {line}
                {'\n'}
              </span>
            ))}
          </pre>
        }
      </div>
      {live && away && (
        <button type="button" className="btn btn--sm job-log__follow" onClick={toEnd}>
          <IconChevronDown /> Follow the log
        </button>
      )}
    </div>
  );
}
