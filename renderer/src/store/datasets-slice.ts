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

/**
 * A registration the user started here: by path (register dialog) or by dropping a file, which
 * in browser mode is uploaded first. Once its job exists, the job (jobsById) tells the rest.
 */
export interface Registration {
  id: string;
  /** The file name or path it started from. */
  label: string;
  /** The dataset name asked for; null lets the backend name it after the file. */
  name: string | null;
  stage: 'uploading' | 'starting' | 'started' | 'failed' | 'cancelled';
  /** Upload progress 0..1 while a dropped file is sent to the backend (browser mode). */
  upload: number | null;
  jobId: string | null;
  /** Why it could not start (the upload or datasets.register failed); a job's own failure is on the job. */
  error: AppErrorData | null;
}

export interface RegisterRequest {
  path: string;
  name?: string;
  snapshot?: boolean;
}

type Keyed<T> = { key: string; value: T };

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

export const createDatasetsSlice: SliceCreator<DatasetsSlice> = (transport) => (set, get) => {
  // Answers can cross: only the newest request of each kind may write its answer.
  let listRequest = 0;
  let detailRequest = 0;
  let diffRequest = 0;
  let nextRegistration = 0;
  // Not state: an AbortController is no value to render, only a handle to stop an upload.
  const uploads = new Map<string, AbortController>();

  const patchRegistration = (id: string, patch: Partial<Registration>) =>
    set({ registrations: get().registrations.map((r) => (r.id === id ? { ...r, ...patch } : r)) });

  const addRegistration = (label: string, name: string | null, stage: Registration['stage']): string => {
    nextRegistration += 1;
    const id = `registration-${nextRegistration}`;
    const registration: Registration = { id, label, name, stage, upload: stage === 'uploading' ? 0 : null, jobId: null, error: null };
    set({ registrations: [registration, ...get().registrations] });
    return id;
  };

  const start = async (id: string, request: RegisterRequest) => {
    patchRegistration(id, { stage: 'starting', error: null });
    const name = request.name?.trim();
    const r = await transport.invoke('datasets.register', {
      path: request.path.trim(),
      ...(name ? { name } : {}),
      snapshot: request.snapshot ?? true,
    });
    if (!get().registrations.some((x) => x.id === id)) return;
    if (!r.ok) {
      patchRegistration(id, { stage: 'failed', error: r.error });
      return;
    }
    get().jobUpdated(r.value);
    patchRegistration(id, { stage: 'started', jobId: r.value.id });
  };

  return {
    datasets: [],
    datasetsStatus: 'idle',
    datasetsError: null,
    datasetsQuery: '',
    datasetRoute: null,
    dataset: null,
    datasetStatus: 'idle',
    datasetError: null,
    datasetDiff: null,
    datasetDiffStatus: 'idle',
    datasetDiffError: null,
    datasheetSaving: false,
    datasheetError: null,
    registrations: [],

    setDatasetsQuery(datasetsQuery) {
      set({ datasetsQuery });
    },

    async loadDatasets() {
      const request = ++listRequest;
      const query = get().datasetsQuery.trim();
      set({ datasetsStatus: 'loading' });
      const r = await transport.invoke('datasets.list', query ? { query } : {});
      if (request !== listRequest) return;
      if (!r.ok) set({ datasetsStatus: 'failed', datasetsError: r.error });
      else set({ datasets: r.value, datasetsStatus: 'ready', datasetsError: null });
    },

    showDataset(route) {
      set({ datasetRoute: route });
    },

    async loadDataset(name, version) {
      const request = ++detailRequest;
      const key = datasetKey(name, version);
      set({ datasetStatus: 'loading', datasetError: null });
      const r = await transport.invoke('datasets.get', version === null ? { name } : { name, version });
      if (request !== detailRequest) return;
      if (!r.ok) set({ datasetStatus: 'failed', datasetError: r.error });
      else set({ dataset: { key, value: r.value }, datasetStatus: 'ready', datasetError: null });
    },

    async loadDatasetDiff(name, from, to) {
      const request = ++diffRequest;
      set({ datasetDiffStatus: 'loading', datasetDiffError: null });
      const r = await transport.invoke('datasets.diff', { name, from, to });
      if (request !== diffRequest) return;
      if (!r.ok) set({ datasetDiffStatus: 'failed', datasetDiffError: r.error });
      else set({ datasetDiff: { key: diffKey(name, from, to), value: r.value }, datasetDiffStatus: 'ready', datasetDiffError: null });
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

    async registerDataset(request) {
      const id = addRegistration(request.path.trim(), request.name?.trim() || null, 'starting');
      await start(id, request);
      return id;
    },

    async registerFile(file, options = {}) {
      const id = addRegistration(file.name, options.name?.trim() || null, 'uploading');
      const controller = new AbortController();
      uploads.set(id, controller);
      const path = await transport.fileToPath(file, {
        signal: controller.signal,
        onProgress: (fraction) => patchRegistration(id, { upload: fraction }),
      });
      uploads.delete(id);
      if (!get().registrations.some((x) => x.id === id)) return id;
      if (!path.ok) {
        patchRegistration(id, path.error.code === 'CANCELLED' ? { stage: 'cancelled', error: null } : { stage: 'failed', error: path.error });
        return id;
      }
      await start(id, { path: path.value, ...(options.name ? { name: options.name } : {}), snapshot: options.snapshot ?? true });
      return id;
    },

    rejectDrop(label, error) {
      const id = addRegistration(label, null, 'failed');
      patchRegistration(id, { error });
    },

    async cancelRegistration(id) {
      const registration = get().registrations.find((r) => r.id === id);
      if (!registration) return;
      const upload = uploads.get(id);
      if (upload) upload.abort();
      else if (registration.jobId) await get().cancelJob(registration.jobId);
    },

    dismissRegistration(id) {
      uploads.get(id)?.abort();
      set({ registrations: get().registrations.filter((r) => r.id !== id) });
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
      for (const controller of uploads.values()) controller.abort();
      uploads.clear();
      listRequest += 1;
      detailRequest += 1;
      diffRequest += 1;
      set({
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
      });
    },
  };
};

/** The detail for the page shown, if it is loaded (null while another dataset or version loads). */
export const selectShownDataset = (s: AppState): DatasetDetail | null =>
  s.datasetRoute && s.dataset?.key === datasetKey(s.datasetRoute.name, s.datasetRoute.version) ? s.dataset.value : null;
