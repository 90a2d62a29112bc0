import {
  registerResult,
  type DatasetDetail,
  type DatasetDiff,
  type DatasetSummary,
  type Datasheet,
  type DirListing,
  type Job,
  type RegisterResult,
} from '../../../shared/contract/index.js';
import type { AppErrorData, Result } from '../../../shared/result.js';
import { createLoader, createRegistrations, keyed, type Keyed, type PathRequest, type Registration } from './slice-helpers.js';
import type { AppState, LoadStatus, SliceCreator } from './types.js';

export const DATASET_TABS = ['columns', 'sample', 'datasheet', 'versions', 'compare'] as const;
export type DatasetTab = (typeof DATASET_TABS)[number];
export const isDatasetTab = (value: unknown): value is DatasetTab => DATASET_TABS.includes(value as DatasetTab);

/** Which dataset page is shown, and where on it; kept in the URL hash (see features/datasets/route.ts). */
export interface DatasetRoute {
  name: string;
  /** The version whose profile is shown; null for the latest. */
  version: number | null;
  tab: DatasetTab;
  /** The column whose profile is open on the Columns tab. */
  column: string | null;
  /** The versions compared on the Compare tab; null for the last two. */
  compare: { from: number; to: number } | null;
}

export const datasetRoute = (name: string, over: Partial<Omit<DatasetRoute, 'name'>> = {}): DatasetRoute => ({
  name,
  version: null,
  tab: 'columns',
  column: null,
  compare: null,
  ...over,
});

export type { Registration } from './slice-helpers.js';

export interface RegisterRequest extends PathRequest {
  snapshot?: boolean;
}

export interface DatasetsSlice {
  datasets: DatasetSummary[];
  datasetsStatus: LoadStatus;
  datasetsError: AppErrorData | null;
  /** The search box: filters by name or source path on the backend. */
  datasetsQuery: string;
  /** The dataset page shown, or null for the list. */
  datasetRoute: DatasetRoute | null;
  /** The detail loaded for datasetKey(route); kept while another one loads so the page does not flash. */
  dataset: Keyed<DatasetDetail> | null;
  datasetStatus: LoadStatus;
  datasetError: AppErrorData | null;
  datasetDiff: Keyed<DatasetDiff> | null;
  datasetDiffStatus: LoadStatus;
  datasetDiffError: AppErrorData | null;
  datasheetSaving: boolean;
  datasheetError: AppErrorData | null;
  /** Newest first. */
  registrations: Registration[];

  setDatasetsQuery(query: string): void;
  loadDatasets(): Promise<void>;
  showDataset(route: DatasetRoute | null): void;
  loadDataset(name: string, version: number | null): Promise<void>;
  loadDatasetDiff(name: string, from: number, to: number): Promise<void>;
  saveDatasheet(name: string, datasheet: Datasheet): Promise<boolean>;
  dismissDatasheetError(): void;
  /** Start datasets.register for a path; answers the registration's id. */
  registerDataset(request: RegisterRequest): Promise<string>;
  /** A dropped file: turn it into a path (upload in browser mode), then register it. */
  registerFile(file: File, options?: { name?: string; snapshot?: boolean }): Promise<string>;
  /** Something dropped that cannot be registered (a folder in browser mode): say why, as a failed registration. */
  rejectDrop(label: string, error: AppErrorData): void;
  cancelRegistration(id: string): Promise<void>;
  dismissRegistration(id: string): void;
  /** A folder on the backend's machine, for the in-app file picker (browser mode); nothing is kept. */
  browseFiles(path: string | undefined, showHidden: boolean): Promise<Result<DirListing>>;
  /** The native file or folder dialog (desktop app); null when the user cancelled it. */
  pickDatasetPath(kind: 'file' | 'directory'): Promise<Result<string | null>>;
  /** A datasets.register job finished: refresh what it changed. */
  datasetJobFinished(job: Job): void;
  resetDatasets(): void;
}

/** The file types the native dialog offers first (also gzip-compressed text). */
export const DATA_FILE_EXTENSIONS = ['csv', 'tsv', 'tab', 'txt', 'jsonl', 'ndjson', 'parquet', 'pq', 'gz'];

export const datasetKey = (name: string, version: number | null) => `${name}@${version ?? 'latest'}`;
export const diffKey = (name: string, from: number, to: number) => `${name}@${from}..${to}`;

/** The result of a succeeded datasets.register job, when it has the expected shape. */
export function registrationOutcome(job: Job | undefined): RegisterResult | null {
  if (!job || job.kind !== 'datasets.register' || job.state !== 'succeeded') return null;
  const parsed = registerResult.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}

/** What a workspace's datasets start as, and are reset to when the workspace changes (the route stays). */
const EMPTY = {
  datasets: [],
  datasetsStatus: 'idle',
  datasetsError: null,
  datasetsQuery: '',
  dataset: null,
  datasetStatus: 'idle',
  datasetError: null,
  datasetDiff: null,
  datasetDiffStatus: 'idle',
  datasetDiffError: null,
  datasheetSaving: false,
  datasheetError: null,
  registrations: [],
} satisfies Partial<DatasetsSlice>;

export const createDatasetsSlice: SliceCreator<DatasetsSlice> = (transport) => (set, get) => {
  const list = createLoader<DatasetSummary[]>(set, {
    status: 'datasetsStatus',
    error: 'datasetsError',
    ready: (datasets) => ({ datasets }),
  });
  const detail = createLoader<Keyed<DatasetDetail>>(set, {
    status: 'datasetStatus',
    error: 'datasetError',
    clearErrorOnStart: true,
    ready: (dataset) => ({ dataset }),
  });
  const diff = createLoader<Keyed<DatasetDiff>>(set, {
    status: 'datasetDiffStatus',
    error: 'datasetDiffError',
    clearErrorOnStart: true,
    ready: (datasetDiff) => ({ datasetDiff }),
  });
  const registrations = createRegistrations<RegisterRequest>(transport, {
    idPrefix: 'registration',
    get,
    list: (s) => s.registrations,
    setList: (registrations) => set({ registrations }),
    startJob: (request) => {
      const name = request.name?.trim();
      return transport.invoke('datasets.register', {
        path: request.path.trim(),
        ...(name ? { name } : {}),
        snapshot: request.snapshot ?? true,
      });
    },
  });

  return {
    ...EMPTY,
    datasetRoute: null,

    setDatasetsQuery(datasetsQuery) {
      set({ datasetsQuery });
    },

    loadDatasets() {
      const query = get().datasetsQuery.trim();
      return list.load(() => transport.invoke('datasets.list', query ? { query } : {}));
    },

    showDataset(route) {
      set({ datasetRoute: route });
    },

    loadDataset(name, version) {
      return detail.load(() => keyed(datasetKey(name, version), transport.invoke('datasets.get', version === null ? { name } : { name, version })));
    },

    loadDatasetDiff(name, from, to) {
      return diff.load(() => keyed(diffKey(name, from, to), transport.invoke('datasets.diff', { name, from, to })));
    },

    async saveDatasheet(name, datasheet) {
      set({ datasheetSaving: true, datasheetError: null });
      const r = await transport.invoke('datasets.updateDatasheet', { name, datasheet });
      set({ datasheetSaving: false });
      if (!r.ok) {
        set({ datasheetError: r.error });
        return false;
      }
      const current = get().dataset;
      if (current && current.value.name === name) set({ dataset: { ...current, value: { ...current.value, datasheet: r.value } } });
      return true;
    },

    dismissDatasheetError() {
      set({ datasheetError: null });
    },

    registerDataset(request) {
      return registrations.register(request);
    },

    registerFile(file, options = {}) {
      return registrations.registerFile(file, options);
    },

    rejectDrop(label, error) {
      registrations.reject(label, error);
    },

    cancelRegistration(id) {
      return registrations.cancel(id);
    },

    dismissRegistration(id) {
      registrations.dismiss(id);
    },

    browseFiles(path, showHidden) {
      return transport.invoke('files.list', path ? { path, showHidden } : { showHidden });
    },

    async pickDatasetPath(kind) {
      const r = await transport.invoke('dialog.pickPath', {
        kind,
        title: kind === 'file' ? 'Register a data file' : 'Register a folder of data files',
        ...(kind === 'file' ? { filters: [{ name: 'Data files', extensions: DATA_FILE_EXTENSIONS }, { name: 'All files', extensions: ['*'] }] } : {}),
      });
      return r.ok ? { ok: true, value: r.value.path } : r;
    },

    datasetJobFinished(job) {
      const outcome = registrationOutcome(job);
      if (!outcome || outcome.outcome === 'unchanged') return;
      if (get().datasetsStatus !== 'idle') void get().loadDatasets();
      const route = get().datasetRoute;
      if (route?.name === outcome.name) void get().loadDataset(route.name, route.version);
      // The count beside "Datasets" in the navigation.
      void get().refreshWorkspace();
    },

    resetDatasets() {
      registrations.abortAll();
      list.invalidate();
      detail.invalidate();
      diff.invalidate();
      set(EMPTY);
    },
  };
};

/** The detail for the page shown, if it is loaded (null while another dataset or version loads). */
export const selectShownDataset = (s: AppState): DatasetDetail | null =>
  s.datasetRoute && s.dataset?.key === datasetKey(s.datasetRoute.name, s.datasetRoute.version) ? s.dataset.value : null;
