import { cx } from './cx.js';

export interface ProgressBarProps {
  /** 0..1, or null while the total is not known (shows an indeterminate bar). */
  value: number | null;
  /** Accessible name, e.g. "Verify snapshots progress". */
  label: string;
  tone?: 'accent' | 'success' | 'danger' | 'muted';
  className?: string;
}

export function ProgressBar({ value, label, tone = 'accent', className }: ProgressBarProps) {
  const percent = value === null ? null : Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div
      className={cx('progress', `progress--${tone}`, percent === null && 'progress--indeterminate', className)}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
      aria-valuetext={percent === null ? 'In progress' : `${percent}%`}
    >
      <div className="progress__fill" style={percent === null ? undefined : { width: `${percent}%` }} />
    </div>
  );
}
