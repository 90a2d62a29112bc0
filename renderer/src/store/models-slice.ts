import {
  modelRegisterResult,
  scanResult,
  type DatasetDetail,
  type DatasetSummary,
  type EnvironmentSummary,
  type Job,
  type MethodInput,
  type ModelCardSection,
  type ModelDetail,
  type ModelRegisterResult,
  type ModelSummary,
  type NotebookSummary,
  type PythonCandidate,
  type ScanResult,
} from '../../../shared/contract/index.js';
import type { AppErrorData, Result } from '../../../shared/result.js';
import { createLoader, createRegistrations, keyed, type Keyed, type Registration } from './slice-helpers.js';
import type { AppState, LoadStatus, SliceCreator } from './types.js';

export const MODEL_TABS = ['overview', 'scan', 'parameters', 'signature', 'examples', 'metrics', 'card', 'versions', 'lineage'] as const;
export type ModelTab = (typeof MODEL_TABS)[number];
export const isModelTab = (value: unknown): value is ModelTab => MODEL_TABS.includes(value as ModelTab);

/** Which model page is shown, and which tab; kept in the URL hash (see features/models/route.ts). */
export interface ModelRoute {
  name: string;
  /** null for the latest version. */
  version: number | null;
  tab: ModelTab;
}

export const modelRoute = (name: string, over: Partial<Omit<ModelRoute, 'name'>> = {}): ModelRoute => ({
  name,
  version: null,
  tab: 'overview',
  ...over,
});

/** The Models section without a model open: the list, or the lineage graph of the whole workspace. */
export type ModelsView = 'list' | 'lineage';

export type ModelRegisterRequest = MethodInput<'models.register'>;

/** What the registration form offers to pick from; loaded when it opens. */
export interface ModelFormOptions {
  datasets: DatasetSummary[];
  notebooks: NotebookSummary[];
  environments: EnvironmentSummary[];
  /** Interpreters found on the backend's machine; empty when detection failed. */
  pythons: PythonCandidate[];
}

export interface ModelsSlice {
  models: ModelSummary[];
  modelsStatus: LoadStatus;
  modelsError: AppErrorData | null;
  /** The search box: filters by name on the backend. */
  modelsQuery: string;
  /** The model page shown, or null for the section's list or lineage view. */
  modelRoute: ModelRoute | null;
  modelsView: ModelsView;
  /** The detail loaded for modelKey(route); kept while another loads so the page does not flash. */
  model: Keyed<ModelDetail> | null;
  modelStatus: LoadStatus;
  modelError: AppErrorData | null;
  /** Registrations started here, newest first; the same shape as the datasets'. */
  modelRegistrations: Registration[];
  modelFormOptions: ModelFormOptions | null;
  modelFormOptionsStatus: LoadStatus;
  modelFormOptionsError: AppErrorData | null;
  /** The card section being saved, and the last save that failed. */
  modelCardSaving: ModelCardSection | null;
  modelCardError: { section: ModelCardSection; error: AppErrorData } | null;
  modelMetricsSaving: boolean;
  modelMetricsError: AppErrorData | null;

  setModelsQuery(query: string): void;
  loadModels(): Promise<void>;
  showModel(route: ModelRoute | null): void;
  showModelsView(view: ModelsView): void;
  loadModel(name: string, version: number | null): Promise<void>;
  loadModelFormOptions(): Promise<void>;
  /** One dataset version's columns and versions, for the target select; nothing is kept. */
  peekDataset(name: string, version: number | null): Promise<Result<DatasetDetail>>;
  /** Start models.scan; its progress then arrives as job events. */
  scanModel(path: string): Promise<Result<Job>>;
  /** A dropped model file: its path for the backend (uploaded first in browser mode). */
  modelFileToPath(file: File, options: { onProgress?: (fraction: number) => void; signal?: AbortSignal }): Promise<Result<string>>;
  /** The native file dialog (desktop app); null when the user cancelled it. */
  pickModelPath(kind: 'model' | 'metrics'): Promise<Result<string | null>>;
  /** Start models.register; answers the registration's id. */
  registerModel(request: ModelRegisterRequest): Promise<string>;
  cancelModelRegistration(id: string): Promise<void>;
  dismissModelRegistration(id: string): void;
  saveModelCard(name: string, version: number, section: ModelCardSection, text: string): Promise<boolean>;
  recordModelMetrics(name: string, version: number, values: Record<string, number>): Promise<boolean>;
  dismissModelEditError(): void;
  /** A models.register job finished: refresh what it changed. */
  modelJobFinished(job: Job): void;
  resetModels(): void;
}

export const modelKey = (name: string, version: number | null) => `${name}@${version ?? 'latest'}`;

/** The file types the native dialog offers first. */
export const MODEL_FILE_EXTENSIONS = ['joblib', 'pkl', 'pickle', 'onnx', 'sav', 'gz', 'z'];

/** The result of a succeeded models.register job, when it has the expected shape. */
export function modelRegistrationOutcome(job: Job | undefined): ModelRegisterResult | null {
  if (!job || job.kind !== 'models.register' || job.state !== 'succeeded') return null;
  const parsed = modelRegisterResult.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}

/** The result of a succeeded models.scan job, when it has the expected shape. */
export function scanOutcome(job: Job | undefined): ScanResult | null {
  if (!job || job.kind !== 'models.scan' || job.state !== 'succeeded') return null;
  const parsed = scanResult.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}

/** What a workspace's models start as, and are reset to when the workspace changes (the route stays). */
const EMPTY = {
  models: [],
  modelsStatus: 'idle',
  modelsError: null,
  modelsQuery: '',
  model: null,
  modelStatus: 'idle',
  modelError: null,
  modelRegistrations: [],
  modelFormOptions: null,
  modelFormOptionsStatus: 'idle',
  modelFormOptionsError: null,
  modelCardSaving: null,
  modelCardError: null,
  modelMetricsSaving: false,
  modelMetricsError: null,
} satisfies Partial<ModelsSlice>;

export const createModelsSlice: SliceCreator<ModelsSlice> = (transport) => (set, get) => {
  const list = createLoader<ModelSummary[]>(set, {
    status: 'modelsStatus',
    error: 'modelsError',
    ready: (models) => ({ models }),
  });
  const detail = createLoader<Keyed<ModelDetail>>(set, {
    status: 'modelStatus',
    error: 'modelError',
    clearErrorOnStart: true,
    ready: (model) => ({ model }),
  });
  const options = createLoader<ModelFormOptions>(set, {
    status: 'modelFormOptionsStatus',
    error: 'modelFormOptionsError',
    clearErrorOnStart: true,
    ready: (modelFormOptions) => ({ modelFormOptions }),
  });
  const registrations = createRegistrations<ModelRegisterRequest>(transport, {
    idPrefix: 'model-registration',
    get,
    list: (s) => s.modelRegistrations,
    setList: (modelRegistrations) => set({ modelRegistrations }),
    startJob: (request) => transport.invoke('models.register', request),
  });

  /** The shown detail, changed in place after an edit the backend accepted. */
  const patchShown = (name: string, version: number, change: (d: ModelDetail) => ModelDetail) => {
    const current = get().model;
    if (current && current.value.name === name && current.value.version.version === version) set({ model: { ...current, value: change(current.value) } });
  };

  return {
    ...EMPTY,
    modelRoute: null,
    modelsView: 'list',

    setModelsQuery(modelsQuery) {
      set({ modelsQuery });
    },

    loadModels() {
      const query = get().modelsQuery.trim();
      return list.load(() => transport.invoke('models.list', query ? { query } : {}));
    },

    showModel(modelRoute) {
      set({ modelRoute });
    },

    showModelsView(modelsView) {
      set({ modelsView, modelRoute: null });
    },

    loadModel(name, version) {
      return detail.load(() => keyed(modelKey(name, version), transport.invoke('models.get', version === null ? { name } : { name, version })));
    },

    loadModelFormOptions() {
      return options.load(async (): Promise<Result<ModelFormOptions>> => {
        const [datasets, notebooks, environments, pythons] = await Promise.all([
          transport.invoke('datasets.list', {}),
          transport.invoke('notebooks.list', {}),
          transport.invoke('environments.list', {}),
          transport.invoke('environments.detect', {}),
        ]);
        // Datasets are required to register; the rest only offer choices.
        if (!datasets.ok) return datasets;
        return {
          ok: true,
          value: {
            datasets: datasets.value,
            notebooks: notebooks.ok ? notebooks.value : [],
            environments: environments.ok ? environments.value : [],
            pythons: pythons.ok ? pythons.value : [],
          },
        };
      });
    },

    peekDataset(name, version) {
      return transport.invoke('datasets.get', version === null ? { name } : { name, version });
    },

    async scanModel(path) {
      const r = await transport.invoke('models.scan', { path: path.trim() });
      if (r.ok) get().jobUpdated(r.value);
      return r;
    },

    modelFileToPath(file, fileOptions) {
      return transport.fileToPath(file, fileOptions);
    },

    async pickModelPath(kind) {
      const r = await transport.invoke('dialog.pickPath', {
        kind: 'file',
        title: kind === 'model' ? 'Choose a trained model file' : 'Choose a metrics JSON file',
        filters:
          kind === 'model'
            ? [
                { name: 'Model files', extensions: MODEL_FILE_EXTENSIONS },
                { name: 'All files', extensions: ['*'] },
              ]
            : [
                { name: 'JSON', extensions: ['json'] },
                { name: 'All files', extensions: ['*'] },
              ],
      });
      return r.ok ? { ok: true, value: r.value.path } : r;
    },

    registerModel(request) {
      return registrations.register(request);
    },

    cancelModelRegistration(id) {
      return registrations.cancel(id);
    },

    dismissModelRegistration(id) {
      registrations.dismiss(id);
    },

    async saveModelCard(name, version, section, text) {
      set({ modelCardSaving: section, modelCardError: null });
      const r = await transport.invoke('models.updateCard', { name, version, card: { [section]: text } });
      set({ modelCardSaving: null });
      if (!r.ok) {
        set({ modelCardError: { section, error: r.error } });
        return false;
      }
      patchShown(name, version, (d) => ({ ...d, card: r.value }));
      return true;
    },

    async recordModelMetrics(name, version, values) {
      set({ modelMetricsSaving: true, modelMetricsError: null });
      const r = await transport.invoke('models.recordMetrics', { name, version, values });
      set({ modelMetricsSaving: false });
      if (!r.ok) {
        set({ modelMetricsError: r.error });
        return false;
      }
      patchShown(name, version, (d) => ({ ...d, metrics: r.value }));
      return true;
    },

    dismissModelEditError() {
      set({ modelCardError: null, modelMetricsError: null });
    },

    modelJobFinished(job) {
      const outcome = modelRegistrationOutcome(job);
      if (!outcome) return;
      if (get().modelsStatus !== 'idle') void get().loadModels();
      const route = get().modelRoute;
      if (route?.name === outcome.name) void get().loadModel(route.name, route.version);
      // The environment's page lists the models that use it.
      const environment = get().environmentRoute;
      if (environment?.name === outcome.environment.name) void get().loadEnvironment(environment.name, environment.version);
      if (get().environmentsStatus !== 'idle') void get().loadEnvironments();
      // The counts beside "Models" (and "Environments": an interpreter is captured on the way) in the navigation.
      void get().refreshWorkspace();
    },

    resetModels() {
      registrations.abortAll();
      list.invalidate();
      detail.invalidate();
      options.invalidate();
      set(EMPTY);
    },
  };
};

/** The detail for the page shown, if it is loaded (null while another model or version loads). */
export const selectShownModel = (s: AppState): ModelDetail | null =>
  s.modelRoute && s.model?.key === modelKey(s.modelRoute.name, s.modelRoute.version) ? s.model.value : null;
