import { z } from 'zod';

export const empty = z.object({}).strict();
export const isoTime = z.string().describe('ISO 8601 timestamp');
/** A path on the machine that runs the backend. */
export const fsPath = z.string().min(1, 'A path is required').max(4096);

/** The name of a catalog entry (dataset, notebook, environment, model). */
export const entityName = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .regex(/^[\w][\w.\- ]*$/, 'Use letters, digits, spaces, dot, dash or underscore');
