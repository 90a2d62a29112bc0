import { verifyObjectsResult, type Job, type JobState } from '../../../../shared/contract/index.js';
import type { BadgeTone } from '../../ui/Badge.js';
import { formatBytes, formatDuration, plural } from '../../ui/format.js';

export const JOB_STATE_DISPLAY: Record<JobState, { label: string; tone: BadgeTone }> = {
  queued: { label: 'Queued', tone: 'neutral' },
  running: { label: 'Running', tone: 'info' },
  succeeded: { label: 'Succeeded', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
  interrupted: { label: 'Interrupted', tone: 'warning' },
};

export const canCancel = (job: Job) => job.state === 'queued' || job.state === 'running';

/** One line that says what a finished job found, when we know how to read its result. */
export function resultSummary(job: Job): string | null {
  if (job.state !== 'succeeded' || job.result === null) return null;
  if (job.kind === 'objects.verify') {
    const r = verifyObjectsResult.safeParse(job.result);
    if (!r.success) return null;
    const { checked, bytes, corrupt } = r.data;
    const what = `Checked ${plural(checked, 'snapshot')} (${formatBytes(bytes)})`;
    return corrupt.length === 0 ? `${what}: all intact.` : `${what}: ${corrupt.length} no longer match their hash.`;
  }
  return null;
}

export function jobDuration(job: Job, now = Date.now()): string | null {
  if (!job.startedAt) return null;
  const end = job.finishedAt ? Date.parse(job.finishedAt) : now;
  return formatDuration(end - Date.parse(job.startedAt));
}
