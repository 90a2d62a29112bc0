import { z } from 'zod';
import { event, method } from './define.js';
import { isoTime } from './common.js';

export const auditEntry = z.object({
  id: z.number().int(),
  at: isoTime,
  actor: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntry>;

export const auditMethods = {
  'audit.list': method({
    input: z.object({
      limit: z.number().int().min(1).max(1000).default(200),
      /** Page backwards: only entries with id below this. */
      beforeId: z.number().int().positive().optional(),
      action: z.string().max(100).optional(),
    }),
    output: z.array(auditEntry),
    summary: 'The audit log of the open workspace, newest first.',
  }),
};

export const auditEvents = {
  'audit.onAppended': event({ payload: auditEntry, summary: 'An entry was added to the audit log.' }),
};
