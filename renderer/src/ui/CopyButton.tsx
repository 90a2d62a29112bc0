import { useEffect, useState } from 'react';
import { cx } from './cx.js';
import { IconCheck, IconCopy } from './icons.js';

/** Copies a value (a hash, a path) to the clipboard and says so. */
export function CopyButton({ value, label, className }: { value: string; label: string; className?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1800);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <span className={cx('copy-button', className)}>
      <button type="button" className="icon-button icon-button--sm" aria-label={label} title={label} onClick={() => void copy()}>
        {state === 'copied' ? <IconCheck /> : <IconCopy />}
      </button>
      <span className="copy-button__status small" role="status">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy it by hand' : ''}
      </span>
    </span>
  );
}
