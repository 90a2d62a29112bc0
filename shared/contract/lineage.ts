import { z } from 'zod';

/** A lineage edge seen from one side. */
export const lineageLink = z.object({
  kind: z.enum(['dataset', 'model', 'notebook']),
  name: z.string(),
  version: z.number().int().nullable(),
  relation: z.enum(['reads', 'writes', 'read-by', 'written-by']),
  /** How it was matched: the path as written, or the bytes' hash. */
  matchedBy: z.enum(['path', 'sha256']),
  path: z.string(),
});
export type LineageLink = z.infer<typeof lineageLink>;
