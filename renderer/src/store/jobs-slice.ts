import { FINISHED_JOB_STATES, type Job } from '../../../shared/contract/index.js';
import type { AppErrorData } from '../../../shared/result.js';
import type { AppState, LoadStatus, SliceCreator } from './types.js';

export type JobsAction = 'load' | 'start' | 'cancel';

export interface JobsSlice {
  jobsById: Record<string, Job>;
  jobsStatus: LoadStatus;
  /** The last failed jobs request and what it was. */
  jobsError: { action: JobsAction; error: AppErrorData } | null;
  loadJobs(): Promise<void>;
  /** Apply a jobs.onUpdate event or an answer that carries a job. */
  jobUpdated(job: Job): void;
  cancelJob(id: string): Promise<void>;
  /** Start objects.verify; the job's progress then arrives as events. */
  verifySnapshots(): Promise<Job | null>;
  dismissJobsError(): void;
  resetJobs(): void;
}

export const isFinished = (job: Job) => FINISHED_JOB_STATES.includes(job.state);

/**
 * Updates can cross: a list fetched before a job ended may arrive after its last event.
 * A finished job never goes back to running.
 */
const merge = (current: Job | undefined, next: Job): Job => (current && isFinished(current) && !isFinished(next) ? current : next);

export const createJobsSlice: SliceCreator<JobsSlice> = (transport) => (set, get) => ({
  jobsById: {},
  jobsStatus: 'idle',
  jobsError: null,

  async loadJobs() {
    set({ jobsStatus: 'loading' });
    const r = await transport.invoke('jobs.list', { limit: 100 });
    if (!r.ok) {
      set({ jobsStatus: 'failed', jobsError: { action: 'load', error: r.error } });
      return;
    }
    const jobsById = { ...get().jobsById };
    for (const job of r.value) jobsById[job.id] = merge(jobsById[job.id], job);
    set({ jobsById, jobsStatus: 'ready', jobsError: null });
  },

  jobUpdated(job) {
    const current = get().jobsById[job.id];
    const next = merge(current, job);
    if (next !== current) set({ jobsById: { ...get().jobsById, [job.id]: next } });
  },

  async cancelJob(id) {
    const r = await transport.invoke('jobs.cancel', { id });
    if (r.ok) get().jobUpdated(r.value);
    else set({ jobsError: { action: 'cancel', error: r.error } });
  },

  async verifySnapshots() {
    set({ jobsError: null });
    const r = await transport.invoke('objects.verify', {});
    if (!r.ok) {
      set({ jobsError: { action: 'start', error: r.error } });
      return null;
    }
    get().jobUpdated(r.value);
    return r.value;
  },

  dismissJobsError() {
    set({ jobsError: null });
  },

  resetJobs() {
    set({ jobsById: {}, jobsStatus: 'idle', jobsError: null });
  },
});

/** Newest first. Use with useShallow: the array is new, its items are not. */
export const selectJobs = (s: AppState): Job[] =>
  Object.values(s.jobsById).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));

export const selectRunningJobCount = (s: AppState): number =>
  Object.values(s.jobsById).filter((j) => !isFinished(j)).length;
