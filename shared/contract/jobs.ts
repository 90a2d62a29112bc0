import { z } from 'zod';
import { event, method } from './define.js';
import { isoTime } from './common.js';
import { appErrorDataSchema } from '../result.js';

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export const jobState = z.enum(JOB_STATES);
export type JobState = z.infer<typeof jobState>;
export const FINISHED_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];

/** Every kind of long operation; each has a task module run in a worker thread. */
export const JOB_KINDS = ['objects.verify', 'datasets.register', 'notebooks.register', 'notebooks.lint', 'notebooks.run',
  'environments.capture', 'models.scan', 'models.register', 'bundles.create', 'bundles.verify', 'bundles.build', 'bundles.smoke', 'bundles.export', 'drift.check', 'archives.open', 'archives.write'] as const;
export const jobKind = z.enum(JOB_KINDS);
export type JobKind = z.infer<typeof jobKind>;

export const job = z.object({
  id: z.string(),
  kind: jobKind,
  title: z.string(),
  state: jobState,
  /** 0..1; null when the total is not known yet. */
  progress: z.number().min(0).max(1).nullable(),
  message: z.string(),
  createdAt: isoTime,
  startedAt: isoTime.nullable(),
  finishedAt: isoTime.nullable(),
  error: appErrorDataSchema.omit({ details: true }).nullable(),
  result: z.unknown().nullable(),
});
export type Job = z.infer<typeof job>;

export const verifyObjectsResult = z.object({
  checked: z.number().int(),
  bytes: z.number().int(),
  corrupt: z.array(z.string()),
});
export type VerifyObjectsResult = z.infer<typeof verifyObjectsResult>;

export const jobsMethods = {
  'jobs.list': method({
    input: z.object({ limit: z.number().int().min(1).max(500).default(100) }),
    output: z.array(job),
    summary: 'Jobs of the open workspace, newest first.',
  }),
  'jobs.get': method({ input: z.object({ id: z.string().min(1) }), output: job, summary: 'One job.' }),
  'jobs.cancel': method({
    input: z.object({ id: z.string().min(1) }),
    output: job,
    summary: 'Ask a running job to stop; it ends as cancelled and changes nothing.',
  }),
  'jobs.wait': method({
    input: z.object({ id: z.string().min(1), timeoutMs: z.number().int().min(0).max(3_600_000).default(600_000) }),
    output: job,
    summary: 'Wait until a job finishes (or the timeout passes) and return it.',
  }),
  'objects.verify': method({
    input: z.object({}).strict(),
    output: job,
    summary: 'Start a job that re-hashes every stored snapshot and reports any that no longer match.',
  }),
};

export const jobsEvents = {
  'jobs.onUpdate': event({ payload: job, summary: 'A job was created, made progress or finished.' }),
};
