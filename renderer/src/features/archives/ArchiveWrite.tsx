import type { Job, ReviewArchive } from '../../../../shared/contract/index.js';
import { archiveOutcome, type ArchiveJobStart } from '../../store/index.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { IconCheckCircle, IconRefresh, IconWarning } from '../../ui/icons.js';
import { JobProgress } from '../shared/JobProgress.js';
import { pendingText, verdictBadge } from './display.js';

/** Where the last write into an archive started here stands. */
export type WriteState = 'starting' | 'running' | 'written' | 'failed' | 'cancelled';

export function writeState(start: ArchiveJobStart, job: Job | undefined): WriteState {
  if (start.error) return 'failed';
  if (!job) return 'starting';
  if (job.state === 'queued' || job.state === 'running') return 'running';
  if (job.state === 'succeeded') return 'written';
  return job.state === 'cancelled' ? 'cancelled' : 'failed';
}

function WriteAgain({ onWrite, busy }: { onWrite: () => void; busy?: boolean }) {
  return (
    <Button size="sm" variant="primary" onClick={onWrite} busy={busy}>
      <IconRefresh size={14} /> Write into the archive again
    </Button>
  );
}

/**
 * The write into the archive that followed a review (or a retry): its progress with Cancel; then
 * the file it went into with the verdict as it now stands; or why it failed, with a retry (the
 * review is kept in this workspace meanwhile).
 */
export function ArchiveWriteStatus({ start, job, onWrite }: { start: ArchiveJobStart; job: Job | undefined; onWrite: () => void }) {
  const state = writeState(start, job);
  const written = archiveOutcome(job);
  return (
    <div className="archive-write" data-write={state}>
      {(state === 'starting' || state === 'running') && <JobProgress job={job} label="Writing into the archive" cancelLabel="Cancel writing into the archive" />}
      {state === 'written' && written && (
        <div className="archive-write__done" role="status">
          <IconCheckCircle size={18} className="archive-write__icon" />
          <div>
            <p className="archive-write__title">
              Written into <bdi className="mono archive-write__path">{written.path}</bdi>
            </p>
            <p className="small">
              <Badge tone={verdictBadge(written).tone}>{verdictBadge(written).label}</Badge> <span className="archive-write__summary">{written.summary}</span>
            </p>
            <p className="small muted">Its reviews file is signed with this workspace’s key; readiness.json and the HTML report carry the review and the verdict.</p>
          </div>
        </div>
      )}
      {state === 'failed' && (
        <ErrorBanner
          className="bundle-error"
          title="The review is kept in this workspace, but it was not written into the archive"
          error={start.error ?? job?.error ?? { message: 'The write stopped.', remedy: 'Write it into the archive again.' }}
          actions={<WriteAgain onWrite={onWrite} />}
        />
      )}
      {state === 'cancelled' && (
        <div className="archive-notice archive-notice--warning" role="status">
          <IconWarning size={18} className="archive-notice__icon" />
          <p>The write was cancelled: the archive is as it was, and the review waits in this workspace.</p>
          <WriteAgain onWrite={onWrite} />
        </div>
      )}
    </div>
  );
}

/** Reviews recorded here that the archive does not hold yet (its last write failed or was cut off), and the way to write them. */
export function PendingReviews({ archive, onWrite, busy }: { archive: ReviewArchive; onWrite: () => void; busy?: boolean }) {
  return (
    <div className="archive-notice archive-notice--warning" data-pending={archive.pendingReviews}>
      <IconWarning size={18} className="archive-notice__icon" />
      <div className="archive-notice__text">
        <p className="archive-notice__title">{pendingText(archive.pendingReviews)}</p>
        <p className="small muted">
          The last write into the archive failed or was cut off. The reviews are kept in this workspace; write them into the archive when it is back where it was
          opened.
        </p>
      </div>
      <WriteAgain onWrite={onWrite} busy={busy} />
    </div>
  );
}
