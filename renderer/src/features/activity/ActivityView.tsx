import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { selectJobs } from '../../store/index.js';
import type { JobsAction } from '../../store/jobs-slice.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { IconShieldCheck } from '../../ui/icons.js';
import { PageHeader } from '../../ui/PageHeader.js';
import type { SectionProps } from '../section-props.js';
import { AuditLog } from './AuditLog.js';
import { JobItem } from './JobItem.js';

const ERROR_TITLES: Record<JobsAction, string> = {
  load: 'Could not load the jobs',
  start: 'Could not start the job',
  cancel: 'Could not cancel the job',
};

export function ActivityView({ headingRef }: SectionProps) {
  const verifySnapshots = useAppStore((s) => s.verifySnapshots);
  const [starting, setStarting] = useState(false);

  return (
    <>
      <PageHeader
        title="Activity"
        headingRef={headingRef}
        description="Long operations with their progress, and the audit log of this workspace."
        actions={
          <Button
            variant="primary"
            busy={starting}
            onClick={async () => {
              setStarting(true);
              await verifySnapshots();
              setStarting(false);
            }}
            title="Re-hash every stored snapshot and report any that no longer match"
          >
            {!starting && <IconShieldCheck />}
            Verify snapshots
          </Button>
        }
      />
      <JobList />
      <AuditLog />
    </>
  );
}

function JobList() {
  const jobs = useAppStore(useShallow(selectJobs));
  const status = useAppStore((s) => s.jobsStatus);
  const error = useAppStore((s) => s.jobsError);
  const cancelJob = useAppStore((s) => s.cancelJob);
  const dismiss = useAppStore((s) => s.dismissJobsError);

  return (
    <section className="panel" aria-labelledby="jobs-heading">
      <div className="panel__head">
        <h2 id="jobs-heading" className="panel__title">
          Jobs
        </h2>
        <span className="muted small">Hashing, profiling, building and exporting run here. You can keep working meanwhile.</span>
      </div>
      {error && <ErrorBanner error={error.error} title={ERROR_TITLES[error.action]} onDismiss={dismiss} />}
      {jobs.length === 0 ? (
        <p className="panel__empty muted">
          {status === 'loading' ? 'Loading jobs…' : 'No jobs yet. Long operations appear here with their progress; try Verify snapshots.'}
        </p>
      ) : (
        <ul className="job-list" aria-label="Jobs">
          {jobs.map((job) => (
            <JobItem key={job.id} job={job} onCancel={cancelJob} />
          ))}
        </ul>
      )}
    </section>
  );
}
