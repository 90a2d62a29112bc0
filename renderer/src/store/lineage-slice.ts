import type { LineageGraph } from '../../../shared/contract/index.js';
import type { AppErrorData } from '../../../shared/result.js';
import { createLoader, keyed, type Keyed } from './slice-helpers.js';
import type { AppState, LoadStatus, SliceCreator } from './types.js';

export interface LineageSlice {
  /** The graph last loaded, keyed by its focus ("*" for the whole workspace). */
  lineage: Keyed<LineageGraph> | null;
  lineageStatus: LoadStatus;
  lineageError: AppErrorData | null;
  /** Bumped when something registered may have changed the graph; views showing one load it again. */
  lineageRevision: number;
  /** The whole workspace (focus null), or what is connected to one node ("model:churn@2"). */
  loadLineage(focus: string | null): Promise<void>;
  invalidateLineage(): void;
  resetLineage(): void;
}

export const lineageKey = (focus: string | null) => focus ?? '*';

/** The node id of a catalog entry, as lineage.graph names it: "model:churn@2". */
export const lineageNodeId = (kind: string, name: string, version: number) => `${kind}:${name}@${version}`;

export const createLineageSlice: SliceCreator<LineageSlice> = (transport) => (set, get) => {
  const graph = createLoader<Keyed<LineageGraph>>(set, {
    status: 'lineageStatus',
    error: 'lineageError',
    clearErrorOnStart: true,
    ready: (lineage) => ({ lineage }),
  });
  return {
    lineage: null,
    lineageStatus: 'idle',
    lineageError: null,
    lineageRevision: 0,

    loadLineage(focus) {
      return graph.load(() => keyed(lineageKey(focus), transport.invoke('lineage.graph', focus === null ? {} : { focus })));
    },

    invalidateLineage() {
      set({ lineageRevision: get().lineageRevision + 1 });
    },

    resetLineage() {
      graph.invalidate();
      set({ lineage: null, lineageStatus: 'idle', lineageError: null, lineageRevision: get().lineageRevision + 1 });
    },
  };
};

/** The graph for a focus, if it is the one loaded. */
export const selectLineage = (focus: string | null) => (s: AppState): LineageGraph | null =>
  s.lineage?.key === lineageKey(focus) ? s.lineage.value : null;
