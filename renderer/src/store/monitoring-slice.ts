// Monitoring: the drift check of a batch of production inputs against a model's training
// reference. The section lists the models with their latest verdict; a model's page runs a check
// (a job followed here), shows its history and one stored check, hands a checked batch back as a
// dataset version (a datasets.register job), and edits the model's thresholds.
import {
  driftCheck,
  driftHandBackResult,
  type DriftCheck,
  type DriftCheckSummary,
  type DriftHandBackResult,
  type DriftSettings,
  type DriftThresholdsPatch,
  type Job,
  type ModelDetail,
  type ModelSummary,
} from '../../../shared/contract/index.js';
import type { AppErrorData, Result } from '../../../shared/result.js';
import { isFinished } from './jobs-slice.js';
import { createLoader, keyed, type Keyed } from './slice-helpers.js';
import type { AppState, LoadStatus, SliceCreator } from './types.js';

/** Which model's monitoring page is shown; kept in the URL hash (see features/monitoring/route.ts). */
export interface MonitoringRoute {
  name: string;
  /** The version checks run against; null for the latest. */
  version: number | null;
  /** The stored check shown; null for the newest. */
  check: number | null;
}

export const monitoringRoute = (name: string, over: Partial<Omit<MonitoringRoute, 'name'>> = {}): MonitoringRoute => ({
  name,
  version: null,
  check: null,
  ...over,
});

/** A model of the section's list, with its newest check (null: never checked). */
export interface MonitoredModel {
  model: ModelSummary;
  latest: DriftCheckSummary | null;
  /** Why its history could not be read. */
  error: AppErrorData | null;
}

/** A drift check started here: starting (no job and no error yet), started (its job tells the rest), or refused. */
export interface DriftRun {
  jobId: string | null;
  error: AppErrorData | null;
  /** The batch as given. */
  path: string;
  version: number | null;
  bundle: boolean;
}

/** A hand-back started here, by the same three states. */
export interface HandBackStart {
  jobId: string | null;
  error: AppErrorData | null;
  /** The dataset name asked for. */
  name: string;
}

export interface DriftCheckRequest {
  data: string;
  version: number | null;
  bundle: boolean;
}

export interface MonitoringSlice {
  monitoringRoute: MonitoringRoute | null;
  monitoredModels: MonitoredModel[];
  monitoredModelsStatus: LoadStatus;
  monitoredModelsError: AppErrorData | null;
  /** The model of the page shown (its versions, which are bundled), by name. */
  monitoringModel: Keyed<ModelDetail> | null;
  monitoringModelStatus: LoadStatus;
  monitoringModelError: AppErrorData | null;
  /** The checks of one model, newest first, by model name. */
  driftHistory: Keyed<DriftCheckSummary[]> | null;
  driftHistoryStatus: LoadStatus;
  driftHistoryError: AppErrorData | null;
  /** One stored check, by its id (as text); kept while another loads so the page does not flash. */
  driftCheck: Keyed<DriftCheck> | null;
  driftCheckStatus: LoadStatus;
  driftCheckError: AppErrorData | null;
  /** The thresholds of one model, by model name. */
  driftSettings: Keyed<DriftSettings> | null;
  driftSettingsStatus: LoadStatus;
  driftSettingsError: AppErrorData | null;
  driftSettingsSaving: boolean;
  /** Why the last change of the thresholds was refused. */
  driftSettingsSaveError: AppErrorData | null;
  /** The check started here, by model name. */
  driftRuns: Record<string, DriftRun>;
  /** The hand-back started here, by check id. */
  driftHandBacks: Record<number, HandBackStart>;

  showMonitoring(route: MonitoringRoute | null): void;
  loadMonitoredModels(): Promise<void>;
  loadMonitoringModel(name: string): Promise<void>;
  loadDriftHistory(name: string): Promise<void>;
  loadDriftCheck(id: number): Promise<void>;
  loadDriftSettings(name: string): Promise<void>;
  /** Change some thresholds; answers whether the backend took them. */
  saveDriftSettings(name: string, patch: DriftThresholdsPatch): Promise<boolean>;
  resetDriftSettings(name: string): Promise<boolean>;
  startDriftCheck(name: string, request: DriftCheckRequest): Promise<boolean>;
  dismissDriftRun(name: string): void;
  handBackDriftCheck(id: number, name: string): Promise<boolean>;
  dismissHandBack(id: number): void;
  /** A dropped file's path: its own in the desktop app; in browser mode, the path of a copy uploaded into the workspace. */
  batchPathOf(file: File, onProgress?: (fraction: number) => void): Promise<Result<string>>;
  /** The native file or folder dialog (desktop app); null when the user cancelled it. */
  pickBatchPath(kind: 'file' | 'directory'): Promise<Result<string | null>>;
  /** A drift check or hand-back job finished: refresh what it changed. */
  monitoringJobFinished(job: Job): void;
  resetMonitoring(): void;
}

/** The stored check a succeeded drift.check job produced, when it has the expected shape. */
export function driftOutcome(job: Job | undefined): DriftCheck | null {
  if (!job || job.kind !== 'drift.check' || job.state !== 'succeeded') return null;
  const parsed = driftCheck.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}

/** The dataset version a succeeded hand-back registered. */
export function handBackOutcome(job: Job | undefined): DriftHandBackResult | null {
  if (!job || job.kind !== 'datasets.register' || job.state !== 'succeeded') return null;
  const parsed = driftHandBackResult.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}

/** The file types the native dialog offers first: what the drift check reads. */
export const BATCH_FILE_EXTENSIONS = ['csv', 'tsv', 'txt', 'jsonl', 'ndjson', 'log', 'parquet', 'pq', 'gz'];

/** What a workspace's monitoring starts as, and is reset to when the workspace changes (the route stays). */
const EMPTY = {
  monitoredModels: [],
  monitoredModelsStatus: 'idle',
  monitoredModelsError: null,
  monitoringModel: null,
  monitoringModelStatus: 'idle',
  monitoringModelError: null,
  driftHistory: null,
  driftHistoryStatus: 'idle',
  driftHistoryError: null,
  driftCheck: null,
  driftCheckStatus: 'idle',
  driftCheckError: null,
  driftSettings: null,
  driftSettingsStatus: 'idle',
  driftSettingsError: null,
  driftSettingsSaving: false,
  driftSettingsSaveError: null,
  driftRuns: {},
  driftHandBacks: {},
} satisfies Partial<MonitoringSlice>;

export const createMonitoringSlice: SliceCreator<MonitoringSlice> = (transport) => (set, get) => {
  const overview = createLoader<MonitoredModel[]>(set, { status: 'monitoredModelsStatus', error: 'monitoredModelsError', ready: (monitoredModels) => ({ monitoredModels }) });
  const model = createLoader<Keyed<ModelDetail>>(set, { status: 'monitoringModelStatus', error: 'monitoringModelError', clearErrorOnStart: true, ready: (monitoringModel) => ({ monitoringModel }) });
  const history = createLoader<Keyed<DriftCheckSummary[]>>(set, { status: 'driftHistoryStatus', error: 'driftHistoryError', clearErrorOnStart: true, ready: (driftHistory) => ({ driftHistory }) });
  const check = createLoader<Keyed<DriftCheck>>(set, { status: 'driftCheckStatus', error: 'driftCheckError', clearErrorOnStart: true, ready: (c) => ({ driftCheck: c }) });
  const settings = createLoader<Keyed<DriftSettings>>(set, { status: 'driftSettingsStatus', error: 'driftSettingsError', clearErrorOnStart: true, ready: (driftSettings) => ({ driftSettings }) });
  // An answer that arrives after the workspace changed belongs to the old one.
  let generation = 0;

  const patchRun = (name: string, run: DriftRun) => set({ driftRuns: { ...get().driftRuns, [name]: run } });
  const patchHandBack = (id: number, start: HandBackStart) => set({ driftHandBacks: { ...get().driftHandBacks, [id]: start } });

  /** A short job may have finished (its last event seen) before the answer that started it arrived. */
  const finishedAlready = (jobId: string) => {
    const job = get().jobsById[jobId];
    if (job && isFinished(job)) get().monitoringJobFinished(job);
  };

  const writeSettings = async (name: string, input: { thresholds?: DriftThresholdsPatch; reset?: boolean }): Promise<boolean> => {
    const mine = generation;
    set({ driftSettingsSaving: true, driftSettingsSaveError: null });
    const r = await transport.invoke('drift.updateSettings', { model: name, ...input });
    if (mine !== generation) return false;
    if (!r.ok) {
      set({ driftSettingsSaving: false, driftSettingsSaveError: r.error });
      return false;
    }
    settings.invalidate();
    set({ driftSettingsSaving: false, driftSettings: { key: name, value: r.value }, driftSettingsStatus: 'ready', driftSettingsError: null });
    return true;
  };

  return {
    ...EMPTY,
    monitoringRoute: null,

    showMonitoring(monitoringRoute) {
      set({ monitoringRoute });
    },

    loadMonitoredModels() {
      return overview.load(async (): Promise<Result<MonitoredModel[]>> => {
        const [models, latest] = await Promise.all([transport.invoke('models.list', {}), transport.invoke('drift.latest', {})]);
        if (!models.ok) return models;
        // The newest check of every model, in one read.
        const byModel = new Map(latest.ok ? latest.value.map((c) => [c.model.name, c]) : []);
        return {
          ok: true,
          value: models.value.map((m) => ({ model: m, latest: byModel.get(m.name) ?? null, error: latest.ok ? null : latest.error })),
        };
      });
    },

    loadMonitoringModel(name) {
      return model.load(() => keyed(name, transport.invoke('models.get', { name })));
    },

    loadDriftHistory(name) {
      return history.load(() => keyed(name, transport.invoke('drift.history', { model: name })));
    },

    loadDriftCheck(id) {
      return check.load(() => keyed(String(id), transport.invoke('drift.get', { id })));
    },

    loadDriftSettings(name) {
      return settings.load(() => keyed(name, transport.invoke('drift.settings', { model: name })));
    },

    saveDriftSettings(name, patch) {
      return writeSettings(name, { thresholds: patch });
    },

    resetDriftSettings(name) {
      return writeSettings(name, { reset: true });
    },

    async startDriftCheck(name, { data, version, bundle }) {
      const mine = generation;
      const path = data.trim();
      patchRun(name, { jobId: null, error: null, path, version, bundle });
      const r = await transport.invoke('drift.check', { model: name, data: path, bundle, ...(version !== null ? { version } : {}) });
      if (mine !== generation) return false;
      if (!r.ok) {
        patchRun(name, { jobId: null, error: r.error, path, version, bundle });
        return false;
      }
      get().jobUpdated(r.value);
      patchRun(name, { jobId: r.value.id, error: null, path, version, bundle });
      finishedAlready(r.value.id);
      return true;
    },

    dismissDriftRun(name) {
      const runs = { ...get().driftRuns };
      delete runs[name];
      set({ driftRuns: runs });
    },

    async handBackDriftCheck(id, name) {
      const mine = generation;
      const asked = name.trim();
      patchHandBack(id, { jobId: null, error: null, name: asked });
      const r = await transport.invoke('drift.handBack', { id, name: asked });
      if (mine !== generation) return false;
      if (!r.ok) {
        patchHandBack(id, { jobId: null, error: r.error, name: asked });
        return false;
      }
      get().jobUpdated(r.value);
      patchHandBack(id, { jobId: r.value.id, error: null, name: asked });
      finishedAlready(r.value.id);
      return true;
    },

    dismissHandBack(id) {
      const all = { ...get().driftHandBacks };
      delete all[id];
      set({ driftHandBacks: all });
    },

    batchPathOf(file, onProgress) {
      return transport.fileToPath(file, onProgress ? { onProgress } : {});
    },

    async pickBatchPath(kind) {
      const r = await transport.invoke('dialog.pickPath', {
        kind,
        title: kind === 'file' ? 'Choose a batch of production inputs' : 'Choose a folder of batch files',
        ...(kind === 'file'
          ? {
              filters: [
                { name: 'Batches and prediction logs', extensions: BATCH_FILE_EXTENSIONS },
                { name: 'All files', extensions: ['*'] },
              ],
            }
          : {}),
      });
      return r.ok ? { ok: true, value: r.value.path } : r;
    },

    monitoringJobFinished(job) {
      const state = get();
      if (job.kind === 'drift.check') {
        const name = Object.entries(state.driftRuns).find(([, run]) => run.jobId === job.id)?.[0];
        if (!name) return;
        if (state.monitoredModelsStatus !== 'idle') void state.loadMonitoredModels();
        if (state.driftHistory?.key === name || state.monitoringRoute?.name === name) void state.loadDriftHistory(name);
        const outcome = driftOutcome(job);
        if (!outcome) return;
        // The page of the model shows the check it just ran.
        check.invalidate();
        set({ driftCheck: { key: String(outcome.id), value: outcome }, driftCheckStatus: 'ready', driftCheckError: null });
        const route = get().monitoringRoute;
        if (route?.name === name) set({ monitoringRoute: { ...route, check: outcome.id } });
        return;
      }
      if (job.kind === 'datasets.register') {
        const id = Object.entries(state.driftHandBacks).find(([, h]) => h.jobId === job.id)?.[0];
        if (id === undefined || job.state !== 'succeeded') return;
        // The check now lists its hand-back; so does the history.
        if (state.driftCheck?.key === id) void state.loadDriftCheck(Number(id));
        const route = state.monitoringRoute;
        if (route) void state.loadDriftHistory(route.name);
      }
    },

    resetMonitoring() {
      generation += 1;
      overview.invalidate();
      model.invalidate();
      history.invalidate();
      check.invalidate();
      settings.invalidate();
      set(EMPTY);
    },
  };
};

/** The history of one model, if it is the one loaded. */
export const selectDriftHistory = (s: AppState, name: string): DriftCheckSummary[] | null => (s.driftHistory?.key === name ? s.driftHistory.value : null);

/** One stored check, if it is the one loaded. */
export const selectDriftCheck = (s: AppState, id: number | null): DriftCheck | null => (id !== null && s.driftCheck?.key === String(id) ? s.driftCheck.value : null);

/** The model detail of the monitoring page, if it is the one loaded. */
export const selectMonitoringModel = (s: AppState, name: string): ModelDetail | null => (s.monitoringModel?.key === name ? s.monitoringModel.value : null);

/** The thresholds of one model, if they are the ones loaded. */
export const selectDriftSettings = (s: AppState, name: string): DriftSettings | null => (s.driftSettings?.key === name ? s.driftSettings.value : null);

/** The job of the check started here for a model. */
export const selectDriftRunJob = (s: AppState, name: string): Job | undefined => {
  const id = s.driftRuns[name]?.jobId;
  return id ? s.jobsById[id] : undefined;
};

/** The job of the hand-back started here for a check. */
export const selectHandBackJob = (s: AppState, id: number): Job | undefined => {
  const jobId = s.driftHandBacks[id]?.jobId;
  return jobId ? s.jobsById[jobId] : undefined;
};
