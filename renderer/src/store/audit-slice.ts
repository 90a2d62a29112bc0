import type { AuditEntry } from '../../../shared/contract/index.js';
import type { AppErrorData } from '../../../shared/result.js';
import type { LoadStatus, SliceCreator } from './types.js';

export const AUDIT_PAGE_SIZE = 100;

export interface AuditSlice {
  /** Newest first, unique by id. */
  auditEntries: AuditEntry[];
  auditStatus: LoadStatus;
  auditError: AppErrorData | null;
  /** Whether older entries may exist beyond the ones loaded. */
  auditHasMore: boolean;
  loadAudit(): Promise<void>;
  loadOlderAudit(): Promise<void>;
  /** Apply an audit.onAppended event. */
  auditAppended(entry: AuditEntry): void;
  resetAudit(): void;
}

const mergeEntries = (a: AuditEntry[], b: AuditEntry[]): AuditEntry[] => {
  const byId = new Map<number, AuditEntry>();
  for (const e of [...a, ...b]) byId.set(e.id, e);
  return [...byId.values()].sort((x, y) => y.id - x.id);
};

export const createAuditSlice: SliceCreator<AuditSlice> = (transport) => (set, get) => ({
  auditEntries: [],
  auditStatus: 'idle',
  auditError: null,
  auditHasMore: false,

  async loadAudit() {
    set({ auditStatus: 'loading' });
    const r = await transport.invoke('audit.list', { limit: AUDIT_PAGE_SIZE });
    if (!r.ok) {
      set({ auditStatus: 'failed', auditError: r.error });
      return;
    }
    set({
      // Keep entries that arrived as events while the list was on its way.
      auditEntries: mergeEntries(get().auditEntries, r.value),
      auditStatus: 'ready',
      auditError: null,
      auditHasMore: r.value.length === AUDIT_PAGE_SIZE,
    });
  },

  async loadOlderAudit() {
    const oldest = get().auditEntries.at(-1);
    if (!oldest || get().auditStatus === 'loading') return;
    set({ auditStatus: 'loading' });
    const r = await transport.invoke('audit.list', { limit: AUDIT_PAGE_SIZE, beforeId: oldest.id });
    if (!r.ok) {
      set({ auditStatus: 'failed', auditError: r.error });
      return;
    }
    set({
      auditEntries: mergeEntries(get().auditEntries, r.value),
      auditStatus: 'ready',
      auditError: null,
      auditHasMore: r.value.length === AUDIT_PAGE_SIZE,
    });
  },

  auditAppended(entry) {
    if (get().auditEntries.some((e) => e.id === entry.id)) return;
    set({ auditEntries: mergeEntries([entry], get().auditEntries) });
  },

  resetAudit() {
    set({ auditEntries: [], auditStatus: 'idle', auditError: null, auditHasMore: false });
  },
});
