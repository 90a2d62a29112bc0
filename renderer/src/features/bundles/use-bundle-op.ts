import { selectOpJob, selectOpStart, type BundleOp } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';

/**
 * One operation on a bundle started here (in the wizard or on the bundle page): how its start
 * went, its job, the job's log, and what that adds up to.
 */
export function useBundleOp(name: string, version: number, op: BundleOp) {
  const start = useAppStore((s) => selectOpStart(s, name, version, op));
  const job = useAppStore((s) => selectOpJob(s, name, version, op));
  const log = useAppStore((s) => (start?.jobId ? s.bundleJobLogs[start.jobId] : undefined));
  const starting = start !== null && start.jobId === null && start.error === null;
  const running = starting || job?.state === 'queued' || job?.state === 'running';
  /** Why it could not start, or why its job failed. */
  const failure = start?.error ?? (job && (job.state === 'failed' || job.state === 'interrupted') ? job.error : null);
  return { start, job, log, starting, running, failure, succeeded: job?.state === 'succeeded', cancelled: job?.state === 'cancelled' };
}
