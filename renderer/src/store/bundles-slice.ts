// Bundles: the list, one bundle's page, the package wizard, and the long operations on a bundle
// (write, build, smoke test, export, verify), each a job followed here so the wizard and the
// bundle page show the same run, with the build's log lines kept as they arrive.
import {
  bundleExport,
  bundleVerifyResult,
  smokeTestResult,
  type BundleDetail,
  type BundleExport,
  type BundleFileContent,
  type BundlePlan,
  type BundleSummary,
  type BundleVerifyResult,
  type InstallStrategyName,
  type Job,
  type MethodInput,
  type ModelSummary,
  type SmokeTestResult,
} from '../../../shared/contract/index.js';
import type { AppErrorData, Result } from '../../../shared/result.js';
import { createLoader, keyed, type Keyed } from './slice-helpers.js';
import type { AppState, LoadStatus, SliceCreator } from './types.js';

export const BUNDLE_TABS = ['overview', 'readiness', 'files', 'build', 'smoke', 'export'] as const;
export type BundleTab = (typeof BUNDLE_TABS)[number];
export const isBundleTab = (value: unknown): value is BundleTab => BUNDLE_TABS.includes(value as BundleTab);

/** Which bundle page is shown, and which tab; kept in the URL hash (see features/bundles/route.ts). */
export interface BundleRoute {
  name: string;
  /** null for the model's latest bundled version. */
  version: number | null;
  tab: BundleTab;
  /** On the Files tab: the file shown (a path inside the bundle); the Dockerfile when absent. */
  file?: string;
}

export const bundleRoute = (name: string, over: Partial<Omit<BundleRoute, 'name'>> = {}): BundleRoute => ({
  name,
  version: null,
  tab: 'overview',
  ...over,
});

/** The Bundles section without a bundle open: the list, or the package wizard. */
export type BundlesView = 'list' | 'wizard';

export const WIZARD_STEPS = ['model', 'options', 'write', 'build', 'smoke', 'export'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];
export const stepIndex = (step: WizardStep) => WIZARD_STEPS.indexOf(step);

/** The package wizard: what is chosen and how far it got. Kept in the store so leaving the section keeps it. */
export interface BundleWizard {
  /** null until a model is chosen (the first one is offered). */
  model: string | null;
  /** null for the model's latest version. */
  version: number | null;
  step: WizardStep;
  /** The furthest step reached; every step up to it can be revisited. */
  reached: WizardStep;
  /** As typed; empty for the plan's default. */
  baseImage: string;
  strategy: InstallStrategyName;
  /** As typed; checked before the bundle is written. */
  tolerance: string;
}

export const DEFAULT_TOLERANCE = '1e-6';

export const newBundleWizard = (model: string | null = null, version: number | null = null): BundleWizard => ({
  model,
  version,
  step: 'model',
  reached: 'model',
  baseImage: '',
  strategy: 'pip',
  tolerance: DEFAULT_TOLERANCE,
});

/** The long operations on a bundle. */
export const BUNDLE_OPS = ['create', 'build', 'smoke', 'export', 'verify'] as const;
export type BundleOp = (typeof BUNDLE_OPS)[number];

/** An operation started here: starting (no job and no error yet), started (its job tells the rest), or refused. */
export interface BundleOpStart {
  jobId: string | null;
  /** Why it could not start (DOCKER_UNAVAILABLE, NOT_FOUND…); a job's own failure is on the job. */
  error: AppErrorData | null;
  /** What verify checked: the archive or folder. */
  path?: string;
}

export type BundleOps = Partial<Record<BundleOp, BundleOpStart>>;

/** What a job said, line by line, as its progress messages arrived. */
export interface JobLog {
  lines: string[];
  /** Earlier lines let go to keep the log short. */
  dropped: number;
  /** The last message seen, so a repeated event (a progress change) adds nothing. */
  last: string;
}

/** Lines kept per log: a long build stays responsive. */
export const JOB_LOG_LINES = 2000;
/** Logs kept at once; the oldest is let go. */
const JOB_LOGS_KEPT = 12;

export type BundleCreateOptions = MethodInput<'bundles.create'>['options'];

export interface BundlesSlice {
  bundles: BundleSummary[];
  bundlesStatus: LoadStatus;
  bundlesError: AppErrorData | null;
  /** The bundle page shown, or null for the list or the wizard. */
  bundleRoute: BundleRoute | null;
  bundlesView: BundlesView;
  bundleWizard: BundleWizard | null;
  /** The detail loaded for bundleKey(name, version); kept while another loads so the page does not flash. */
  bundle: Keyed<BundleDetail> | null;
  bundleStatus: LoadStatus;
  bundleError: AppErrorData | null;
  /** What the wizard offers for the chosen model version. */
  bundlePlan: Keyed<BundlePlan> | null;
  bundlePlanStatus: LoadStatus;
  bundlePlanError: AppErrorData | null;
  /** The models the wizard offers (unfiltered, unlike the Models section's search). */
  bundleModelChoices: ModelSummary[];
  bundleModelChoicesStatus: LoadStatus;
  bundleModelChoicesError: AppErrorData | null;
  /** Operations started here, by bundleKey(name, version). */
  bundleOps: Record<string, BundleOps>;
  /** The log of each bundle job seen, by job id. */
  bundleJobLogs: Record<string, JobLog>;

  loadBundles(): Promise<void>;
  showBundle(route: BundleRoute | null): void;
  /** The wizard for a model version (null: let the user choose); the state of the same model version is kept. */
  openBundleWizard(model: string | null, version: number | null): void;
  updateBundleWizard(change: Partial<BundleWizard>): void;
  /** Start the wizard over: no model chosen, its first step. */
  restartBundleWizard(): void;
  loadBundle(name: string, version: number | null): Promise<void>;
  loadBundleModelChoices(): Promise<void>;
  planBundle(model: string, version: number | null): Promise<void>;
  /** One file of a bundle, for the viewer; nothing is kept. */
  readBundleFile(name: string, version: number, path: string): Promise<Result<BundleFileContent>>;
  createBundle(model: string, version: number, options: BundleCreateOptions): Promise<boolean>;
  buildBundle(name: string, version: number): Promise<boolean>;
  smokeTestBundle(name: string, version: number): Promise<boolean>;
  /** With `overrideGates` (a reason), each failing hand-off gate is overridden (recorded) instead of refusing with GATE_FAILED. */
  exportBundle(name: string, version: number, includeImage: boolean, overrideGates?: string): Promise<boolean>;
  verifyBundle(name: string, version: number, path: string): Promise<boolean>;
  dismissBundleOp(name: string, version: number, op: BundleOp): void;
  /** A bundle job's event: its message becomes the log's next line. */
  bundleJobUpdated(job: Job): void;
  /** A bundle job finished: refresh what it changed. */
  bundleJobFinished(job: Job): void;
  resetBundles(): void;
}

/** A bundle is named after its model and numbered after the model version. */
export const bundleKey = (name: string, version: number | null) => `${name}@${version ?? 'latest'}`;

const OP_KINDS: Record<BundleOp, Job['kind']> = {
  create: 'bundles.create',
  build: 'bundles.build',
  smoke: 'bundles.smoke',
  export: 'bundles.export',
  verify: 'bundles.verify',
};

/** The smoke test a finished bundles.smoke job found, when it has the expected shape. */
export function smokeOutcome(job: Job | undefined): SmokeTestResult | null {
  if (!job || job.kind !== 'bundles.smoke' || job.state !== 'succeeded') return null;
  const parsed = smokeTestResult.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}

/** The archive a finished bundles.export job wrote. */
export function exportOutcome(job: Job | undefined): BundleExport | null {
  if (!job || job.kind !== 'bundles.export' || job.state !== 'succeeded') return null;
  const parsed = bundleExport.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}

/** What a finished bundles.verify job found. */
export function verifyOutcome(job: Job | undefined): BundleVerifyResult | null {
  if (!job || job.kind !== 'bundles.verify' || job.state !== 'succeeded') return null;
  const parsed = bundleVerifyResult.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}

/** A log with the message's lines appended (a message can hold several: a failure quotes a step's output). */
export function appendToLog(log: JobLog | undefined, message: string, cap = JOB_LOG_LINES): JobLog {
  const current = log ?? { lines: [], dropped: 0, last: '' };
  if (message === '' || message === current.last) return log ?? current;
  const lines = current.lines.concat(message.replace(/\r\n?/g, '\n').split('\n'));
  const over = Math.max(0, lines.length - cap);
  return { lines: over > 0 ? lines.slice(over) : lines, dropped: current.dropped + over, last: message };
}

/** What a workspace's bundles start as, and are reset to when the workspace changes (the route stays). */
const EMPTY = {
  bundles: [],
  bundlesStatus: 'idle',
  bundlesError: null,
  bundle: null,
  bundleStatus: 'idle',
  bundleError: null,
  bundlePlan: null,
  bundlePlanStatus: 'idle',
  bundlePlanError: null,
  bundleModelChoices: [],
  bundleModelChoicesStatus: 'idle',
  bundleModelChoicesError: null,
  bundleOps: {},
  bundleJobLogs: {},
} satisfies Partial<BundlesSlice>;

export const createBundlesSlice: SliceCreator<BundlesSlice> = (transport) => (set, get) => {
  const list = createLoader<BundleSummary[]>(set, { status: 'bundlesStatus', error: 'bundlesError', ready: (bundles) => ({ bundles }) });
  const detail = createLoader<Keyed<BundleDetail>>(set, { status: 'bundleStatus', error: 'bundleError', clearErrorOnStart: true, ready: (bundle) => ({ bundle }) });
  const plan = createLoader<Keyed<BundlePlan>>(set, { status: 'bundlePlanStatus', error: 'bundlePlanError', clearErrorOnStart: true, ready: (bundlePlan) => ({ bundlePlan }) });
  const models = createLoader<ModelSummary[]>(set, {
    status: 'bundleModelChoicesStatus',
    error: 'bundleModelChoicesError',
    clearErrorOnStart: true,
    ready: (bundleModelChoices) => ({ bundleModelChoices }),
  });
  // An answer that arrives after the workspace changed belongs to the old one.
  let generation = 0;

  const patchOp = (key: string, op: BundleOp, value: BundleOpStart) => {
    const ops = get().bundleOps;
    set({ bundleOps: { ...ops, [key]: { ...ops[key], [op]: value } } });
  };

  const startOp = async (name: string, version: number, op: BundleOp, call: () => Promise<Result<Job>>, extra: Partial<BundleOpStart> = {}): Promise<boolean> => {
    const key = bundleKey(name, version);
    const mine = generation;
    patchOp(key, op, { jobId: null, error: null, ...extra });
    const r = await call();
    if (mine !== generation) return false;
    if (!r.ok) {
      patchOp(key, op, { jobId: null, error: r.error, ...extra });
      return false;
    }
    // Its first events may have come before this answer: then the log has started already.
    if (!get().bundleJobLogs[r.value.id]) get().bundleJobUpdated(r.value);
    get().jobUpdated(r.value);
    patchOp(key, op, { jobId: r.value.id, error: null, ...extra });
    return true;
  };

  /** The bundle (name@version) an operation started here belongs to. */
  const keyOfJob = (jobId: string): string | null => {
    for (const [key, ops] of Object.entries(get().bundleOps)) {
      if (BUNDLE_OPS.some((op) => ops[op]?.jobId === jobId)) return key;
    }
    return null;
  };

  return {
    ...EMPTY,
    bundleRoute: null,
    bundlesView: 'list',
    bundleWizard: null,

    loadBundles() {
      return list.load(() => transport.invoke('bundles.list', {}));
    },

    showBundle(bundleRoute) {
      set(bundleRoute ? { bundleRoute } : { bundleRoute: null, bundlesView: 'list' });
    },

    openBundleWizard(model, version) {
      const current = get().bundleWizard;
      const same = current && (model === null || (current.model === model && current.version === version));
      set({ bundleRoute: null, bundlesView: 'wizard', bundleWizard: same ? current : newBundleWizard(model, version) });
    },

    updateBundleWizard(change) {
      const current = get().bundleWizard ?? newBundleWizard();
      set({ bundleWizard: { ...current, ...change } });
    },

    restartBundleWizard() {
      set({ bundlesView: 'wizard', bundleWizard: newBundleWizard(), bundleRoute: null });
    },

    loadBundle(name, version) {
      return detail.load(async () => {
        if (version !== null) return keyed(bundleKey(name, version), transport.invoke('bundles.get', { name, version }));
        // The route names no version: the model's newest bundle.
        const all = await transport.invoke('bundles.list', { model: name });
        if (!all.ok) return all;
        const newest = all.value.filter((b) => b.name === name).sort((a, b) => b.version - a.version)[0];
        if (!newest) return { ok: false, error: { code: 'NOT_FOUND', message: `No bundle of ${name}.`, remedy: `Package a version of ${name} first (Models → ${name} → Package).` } };
        return keyed(bundleKey(name, null), transport.invoke('bundles.get', { name, version: newest.version }));
      });
    },

    loadBundleModelChoices() {
      return models.load(() => transport.invoke('models.list', {}));
    },

    planBundle(model, version) {
      return plan.load(() => keyed(bundleKey(model, version), transport.invoke('bundles.plan', version === null ? { model } : { model, version })));
    },

    readBundleFile(name, version, path) {
      return transport.invoke('bundles.readFile', { name, version, path });
    },

    createBundle(model, version, options) {
      return startOp(model, version, 'create', () => transport.invoke('bundles.create', { model, version, options }));
    },

    buildBundle(name, version) {
      return startOp(name, version, 'build', () => transport.invoke('bundles.build', { name, version }));
    },

    smokeTestBundle(name, version) {
      // No network: the backend uses the workspace's smokeNetwork setting.
      return startOp(name, version, 'smoke', () => transport.invoke('bundles.smokeTest', { name, version, timeoutSeconds: 60 }));
    },

    exportBundle(name, version, includeImage, overrideGates) {
      return startOp(name, version, 'export', () => transport.invoke('bundles.export', { name, version, includeImage, ...(overrideGates ? { overrideGates } : {}) }));
    },

    verifyBundle(name, version, path) {
      return startOp(name, version, 'verify', () => transport.invoke('bundles.verify', { path, rerun: true }), { path });
    },

    dismissBundleOp(name, version, op) {
      const key = bundleKey(name, version);
      const ops = { ...get().bundleOps[key] };
      delete ops[op];
      set({ bundleOps: { ...get().bundleOps, [key]: ops } });
    },

    bundleJobUpdated(job) {
      if (!Object.values(OP_KINDS).includes(job.kind)) return;
      const logs = get().bundleJobLogs;
      const before = logs[job.id];
      const after = appendToLog(before, job.message);
      if (after === before) return;
      const next = { ...logs, [job.id]: after };
      if (!before) {
        const ids = Object.keys(next);
        for (const id of ids.slice(0, Math.max(0, ids.length - JOB_LOGS_KEPT))) delete next[id];
      }
      set({ bundleJobLogs: next });
    },

    bundleJobFinished(job) {
      if (!Object.values(OP_KINDS).includes(job.kind) || job.kind === 'bundles.verify') return;
      const state = get();
      if (state.bundlesStatus !== 'idle') void state.loadBundles();
      const key = keyOfJob(job.id);
      // The page shown, or the wizard's bundle, may be the one the job changed.
      const route = state.bundleRoute;
      const shown = state.bundle?.value;
      if (route) {
        if (!key || !shown || bundleKey(shown.name, shown.version) === key) void state.loadBundle(route.name, route.version);
      } else if (state.bundlesView === 'wizard' && state.bundlePlan && key) {
        const m = state.bundlePlan.value.model;
        if (bundleKey(m.name, m.version) === key) {
          void state.loadBundle(m.name, m.version);
          if (job.kind === 'bundles.create') void state.planBundle(m.name, state.bundleWizard?.version ?? null);
        }
      }
      if (job.kind === 'bundles.create' && job.state === 'succeeded') {
        // The count beside "Bundles", and the model version now marked bundled.
        void state.refreshWorkspace();
        const model = state.modelRoute;
        if (model && key?.startsWith(`${model.name}@`)) void state.loadModel(model.name, model.version);
      }
    },

    resetBundles() {
      generation += 1;
      list.invalidate();
      detail.invalidate();
      plan.invalidate();
      models.invalidate();
      // The wizard's choices name models of the old workspace.
      set({ ...EMPTY, bundleWizard: get().bundleWizard ? newBundleWizard() : null });
    },
  };
};

/** The detail for the page shown, if it is loaded (null while another bundle or version loads). */
export const selectShownBundle = (s: AppState): BundleDetail | null =>
  s.bundleRoute && s.bundle?.key === bundleKey(s.bundleRoute.name, s.bundleRoute.version) ? s.bundle.value : null;

/** The detail of one bundle version, if it is the one loaded. */
export const selectBundle = (s: AppState, name: string, version: number): BundleDetail | null =>
  s.bundle?.key === bundleKey(name, version) ? s.bundle.value : null;

/** The plan for the wizard's choice, if it is the one loaded. */
export const selectWizardPlan = (s: AppState, model: string | null, version: number | null): BundlePlan | null =>
  model !== null && s.bundlePlan?.key === bundleKey(model, version) ? s.bundlePlan.value : null;

/** One operation started here on one bundle (select it and its job separately: each is a stable value). */
export const selectOpStart = (s: AppState, name: string, version: number, op: BundleOp): BundleOpStart | null => s.bundleOps[bundleKey(name, version)]?.[op] ?? null;

/** The job of an operation started here. */
export const selectOpJob = (s: AppState, name: string, version: number, op: BundleOp): Job | undefined => {
  const id = selectOpStart(s, name, version, op)?.jobId;
  return id ? s.jobsById[id] : undefined;
};
