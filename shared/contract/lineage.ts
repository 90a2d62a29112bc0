import { z } from 'zod';
import { method } from './define.js';

export const LINEAGE_KINDS = ['dataset', 'notebook', 'model', 'environment', 'bundle'] as const;
export const lineageKind = z.enum(LINEAGE_KINDS);
export type LineageKind = z.infer<typeof lineageKind>;

/** A lineage edge seen from one side. */
export const lineageLink = z.object({
  kind: lineageKind,
  name: z.string(),
  version: z.number().int().nullable(),
  relation: z.enum(['reads', 'writes', 'read-by', 'written-by', 'trained-on', 'evaluated-on', 'trained-in', 'runs-in', 'trains', 'evaluates']),
  /** How it was matched: the path as written, the bytes' hash, or a link the analyst recorded. */
  matchedBy: z.enum(['path', 'sha256', 'recorded']),
  path: z.string(),
});
export type LineageLink = z.infer<typeof lineageLink>;

export const lineageNode = z.object({
  /** "kind:name@version" */
  id: z.string(),
  kind: lineageKind,
  name: z.string(),
  version: z.number().int(),
  /** A second line for the node, e.g. "12 000 rows" or "RandomForestClassifier". */
  detail: z.string(),
});
export type LineageNode = z.infer<typeof lineageNode>;

export const lineageEdge = z.object({
  source: z.string(),
  target: z.string(),
  /**
   * Read in the direction of the flow: dataset "read by" notebook, notebook "wrote" model, model
   * "packaged in" bundle, model "handed back" a drifted batch as a dataset version (candidate
   * retraining data).
   */
  relation: z.enum(['read-by', 'wrote', 'trained', 'evaluated', 'environment-of', 'packaged-in', 'handed-back']),
});
export type LineageEdge = z.infer<typeof lineageEdge>;

export const lineageGraph = z.object({ nodes: z.array(lineageNode), edges: z.array(lineageEdge) });
export type LineageGraph = z.infer<typeof lineageGraph>;

export const lineageMethods = {
  'lineage.graph': method({
    input: z.object({
      /** Only what is connected to this node ("model:churn@2"); the whole workspace when absent. */
      focus: z.string().optional(),
    }),
    output: lineageGraph,
    summary: 'The lineage graph: dataset versions, notebook versions, model versions and bundles, and how they connect.',
  }),
};
