import { useState } from 'react';
import type { Job } from '../../../../shared/contract/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { ProgressBar } from '../../ui/ProgressBar.js';

export interface JobProgressProps {
  /** Undefined while the job is being started. */
  job: Job | undefined;
  /** What runs: "Build", "Export"; names the group and the progress bar. */
  label: string;
  /** The Cancel button's accessible name: "Cancel the build". */
  cancelLabel: string;
  /** Under the bar; the job's latest message by default. */
  note?: string;
}

/** A running job: its progress (the step fraction), its latest message and Cancel. */
export function JobProgress({ job, label, cancelLabel, note }: JobProgressProps) {
  const cancelJob = useAppStore((s) => s.cancelJob);
  const [cancelling, setCancelling] = useState(false);
  const waiting = !job || job.state === 'queued';
  const value = job?.state === 'succeeded' ? 1 : waiting ? null : job.progress;
  const cancellable = job !== undefined && (job.state === 'queued' || job.state === 'running');
  const message = !job ? 'Starting…' : job.state === 'queued' ? 'Waiting for other jobs to finish…' : (note ?? job.message);
  return (
    <div className="job-progress" role="group" aria-label={`${label} in progress`}>
      <div className="job-progress__row">
        <ProgressBar value={value} label={`${label} progress`} />
        <span className="job-progress__percent" aria-hidden="true">
          {value === null ? '' : `${Math.round(value * 100)}%`}
        </span>
        {cancellable && (
          <Button
            size="sm"
            variant="ghost"
            busy={cancelling}
            aria-label={cancelLabel}
            onClick={async () => {
              setCancelling(true);
              await cancelJob(job.id);
              setCancelling(false);
            }}
          >
            Cancel
          </Button>
        )}
      </div>
      <p className="job-progress__message small muted" title={message}>
        {message}
      </p>
    </div>
  );
}
