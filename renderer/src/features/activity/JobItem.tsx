import { useState } from 'react';
import type { Job } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { formatTimestamp } from '../../ui/format.js';
import { ProgressBar } from '../../ui/ProgressBar.js';
import { canCancel, JOB_STATE_DISPLAY, jobDuration, resultSummary } from './job-display.js';

export interface JobItemProps {
  job: Job;
  onCancel: (id: string) => Promise<void>;
}

export function JobItem({ job, onCancel }: JobItemProps) {
  const [cancelling, setCancelling] = useState(false);
  const state = JOB_STATE_DISPLAY[job.state];
  const active = canCancel(job);
  const summary = resultSummary(job);
  const progress = job.state === 'succeeded' ? 1 : job.progress;
  const tone = job.state === 'succeeded' ? 'success' : job.state === 'failed' ? 'danger' : active ? 'accent' : 'muted';
  const duration = jobDuration(job);

  return (
    <li className="job" aria-label={`${job.title}: ${state.label}`} data-state={job.state}>
      <div className="job__head">
        <span className="job__title">{job.title}</span>
        <Badge tone={state.tone}>{state.label}</Badge>
        <span className="job__spacer" />
        {active && (
          <Button
            size="sm"
            variant="ghost"
            busy={cancelling}
            onClick={async () => {
              setCancelling(true);
              await onCancel(job.id);
              setCancelling(false);
            }}
            aria-label={`Cancel ${job.title}`}
          >
            Cancel
          </Button>
        )}
      </div>
      <div className="job__progress-row">
        <ProgressBar value={active && job.state === 'queued' ? null : progress} label={`${job.title} progress`} tone={tone} />
        <span className="job__percent" aria-hidden="true">
          {progress === null ? '' : `${Math.round(progress * 100)}%`}
        </span>
      </div>
      <p className="job__meta">
        {job.message && <span className="job__message">{job.message}</span>}
        <span>Started {formatTimestamp(job.startedAt ?? job.createdAt)}</span>
        {duration && <span>{job.finishedAt ? `took ${duration}` : `running for ${duration}`}</span>}
      </p>
      {summary && <p className="job__result">{summary}</p>}
      {job.error && (job.state === 'failed' || job.state === 'interrupted') && (
        <div className="job__error">
          <p>{job.error.message}</p>
          <p className="muted">{job.error.remedy}</p>
        </div>
      )}
    </li>
  );
}
