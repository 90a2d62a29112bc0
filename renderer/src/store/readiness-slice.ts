// Readiness: the ML Test Score checklist of one bundle, evaluated live by the backend, and what a
// reviewer does with it (attest a manual check, override a failing gate, review, write the report).
// There are no readiness events: every action answers the re-evaluated report, and the report is
// fetched again when a bundle job (build, smoke test, export) finishes.
import type { GateId, Job, MethodInput, MethodOutput, ReadinessReport } from '../../../shared/contract/index.js';
import type { AppErrorData, Result } from '../../../shared/result.js';
import { bundleKey } from './bundles-slice.js';
import { createLoader, keyed, type Keyed } from './slice-helpers.js';
import type { AppState, LoadStatus, SliceCreator } from './types.js';

export type ReportFormat = MethodInput<'readiness.writeReport'>['format'];
export type WrittenReport = MethodOutput<'readiness.writeReport'>;
export type ReviewRequest = Pick<MethodInput<'readiness.review'>, 'decision' | 'summary' | 'comments'>;

/** A report being written here, or the last one written (or why it could not be). */
export interface ReportWrite {
  state: 'writing' | 'written' | 'failed';
  written: WrittenReport | null;
  error: AppErrorData | null;
}

export interface ReadinessSlice {
  /** The report of bundleKey(name, version); kept while it is evaluated again so the view does not flash. */
  readiness: Keyed<ReadinessReport> | null;
  readinessStatus: LoadStatus;
  readinessError: AppErrorData | null;
  /** Reports written from here, by bundle key and format. */
  readinessWrites: Record<string, Partial<Record<ReportFormat, ReportWrite>>>;

  loadReadiness(name: string, version: number): Promise<void>;
  /** Each action answers the re-evaluated report, which replaces the one shown. */
  attestCheck(name: string, version: number, checkId: string, note: string): Promise<Result<ReadinessReport>>;
  withdrawAttestation(name: string, version: number, checkId: string): Promise<Result<ReadinessReport>>;
  overrideGate(name: string, version: number, gateId: GateId, reason: string): Promise<Result<ReadinessReport>>;
  reviewBundle(name: string, version: number, review: ReviewRequest): Promise<Result<ReadinessReport>>;
  writeReadinessReport(name: string, version: number, format: ReportFormat): Promise<Result<WrittenReport>>;
  /** A bundle job finished: the evidence may have changed. */
  readinessJobFinished(job: Job): void;
  resetReadiness(): void;
}

const BUNDLE_JOBS: ReadonlySet<Job['kind']> = new Set(['bundles.create', 'bundles.build', 'bundles.smoke', 'bundles.export']);

const EMPTY = {
  readiness: null,
  readinessStatus: 'idle',
  readinessError: null,
  readinessWrites: {},
} satisfies Partial<ReadinessSlice>;

export const createReadinessSlice: SliceCreator<ReadinessSlice> = (transport) => (set, get) => {
  const report = createLoader<Keyed<ReadinessReport>>(set, { status: 'readinessStatus', error: 'readinessError', clearErrorOnStart: true, ready: (readiness) => ({ readiness }) });
  // An answer that arrives after the workspace changed belongs to the old one.
  let generation = 0;

  /** An action's answer: the report it returns is the newest, so any evaluation still on its way is stale. */
  const act = async (name: string, version: number, call: () => Promise<Result<ReadinessReport>>): Promise<Result<ReadinessReport>> => {
    const mine = generation;
    const r = await call();
    if (mine !== generation || !r.ok) return r;
    report.invalidate();
    set({ readiness: { key: bundleKey(name, version), value: r.value }, readinessStatus: 'ready', readinessError: null });
    return r;
  };

  const patchWrite = (key: string, format: ReportFormat, write: ReportWrite) => {
    const all = get().readinessWrites;
    set({ readinessWrites: { ...all, [key]: { ...all[key], [format]: write } } });
  };

  return {
    ...EMPTY,

    loadReadiness(name, version) {
      return report.load(() => keyed(bundleKey(name, version), transport.invoke('readiness.get', { name, version })));
    },

    attestCheck(name, version, checkId, note) {
      return act(name, version, () => transport.invoke('readiness.attest', { name, version, checkId, note }));
    },

    withdrawAttestation(name, version, checkId) {
      return act(name, version, () => transport.invoke('readiness.withdrawAttestation', { name, version, checkId }));
    },

    overrideGate(name, version, gateId, reason) {
      return act(name, version, () => transport.invoke('readiness.overrideGate', { name, version, gateId, reason }));
    },

    reviewBundle(name, version, review) {
      return act(name, version, () => transport.invoke('readiness.review', { name, version, ...review }));
    },

    async writeReadinessReport(name, version, format) {
      const key = bundleKey(name, version);
      const mine = generation;
      const before = get().readinessWrites[key]?.[format];
      patchWrite(key, format, { state: 'writing', written: before?.written ?? null, error: null });
      const r = await transport.invoke('readiness.writeReport', { name, version, format });
      if (mine !== generation) return r;
      patchWrite(key, format, r.ok ? { state: 'written', written: r.value, error: null } : { state: 'failed', written: null, error: r.error });
      return r;
    },

    readinessJobFinished(job) {
      if (!BUNDLE_JOBS.has(job.kind)) return;
      // Jobs carry no bundle name, and one started elsewhere (the CLI) is not known here: evaluating the shown report again is cheap.
      const shown = get().readiness?.value.bundle;
      if (shown) void get().loadReadiness(shown.name, shown.version);
    },

    resetReadiness() {
      generation += 1;
      report.invalidate();
      set(EMPTY);
    },
  };
};

/** The report of one bundle version, if it is the one loaded. */
export const selectReadiness = (s: AppState, name: string, version: number): ReadinessReport | null =>
  s.readiness?.key === bundleKey(name, version) ? s.readiness.value : null;

/** A report format being written or last written for a bundle. */
export const selectReportWrite = (s: AppState, name: string, version: number, format: ReportFormat): ReportWrite | null =>
  s.readinessWrites[bundleKey(name, version)]?.[format] ?? null;
