import {
  notebookRegisterResult,
  notebookRun,
  type Job,
  type NotebookDetail,
  type NotebookRegisterResult,
  type NotebookRun,
  type NotebookSummary,
} from '../../../shared/contract/index.js';
import type { AppErrorData, Result } from '../../../shared/result.js';
import type { Registration } from './datasets-slice.js';
import type { AppState, LoadStatus, SliceCreator } from './types.js';

export const NOTEBOOK_TABS = ['cells', 'lineage', 'environment', 'reproduce', 'versions'] as const;
export type NotebookTab = (typeof NOTEBOOK_TABS)[number];
export const isNotebookTab = (value: unknown): value is NotebookTab => NOTEBOOK_TABS.includes(value as NotebookTab);

/** Which notebook page is shown, and which tab; kept in the URL hash (see features/notebooks/route.ts). */
export interface NotebookRoute {
  name: string;
  /** null for the latest version. */
  version: number | null;
  tab: NotebookTab;
}

export const notebookRoute = (name: string, over: Partial<Omit<NotebookRoute, 'name'>> = {}): NotebookRoute => ({
  name,
  version: null,
  tab: 'cells',
  ...over,
});

export interface RunNotebookRequest {
  name: string;
  version: number;
  /** A Python with nbclient and ipykernel; empty for python3 on the backend's PATH. */
  python?: string;
  timeoutSeconds?: number;
}

/** A reproduce run started from this window: the job to follow, or why it could not start. */
export interface NotebookRunStart {
  jobId: string | null;
  version: number;
  error: AppErrorData | null;
}

type Keyed<T> = { key: string; value: T };

export interface NotebooksSlice {
  notebooks: NotebookSummary[];
  notebooksStatus: LoadStatus;
  notebooksError: AppErrorData | null;
  /** The search box: filters by name or path on the backend. */
  notebooksQuery: string;
  /** The notebook page shown, or null for the list. */
  notebookRoute: NotebookRoute | null;
  /** The detail loaded for notebookKey(route); kept while another loads so the page does not flash. */
  notebook: Keyed<NotebookDetail> | null;
  notebookStatus: LoadStatus;
  notebookError: AppErrorData | null;
  /** Registrations started here (dialog or drop), newest first; same shape as the datasets'. */
  notebookRegistrations: Registration[];
  /** The last reproduce run started here, by notebook name. */
  notebookRuns: Record<string, NotebookRunStart>;

  setNotebooksQuery(query: string): void;
  loadNotebooks(): Promise<void>;
  showNotebook(route: NotebookRoute | null): void;
  loadNotebook(name: string, version: number | null): Promise<void>;
  /** Start notebooks.register for a path; answers the registration's id. */
  registerNotebook(request: { path: string; name?: string }): Promise<string>;
  /** A dropped .ipynb: turn it into a path (upload in browser mode), then register it. */
  registerNotebookFile(file: File, options?: { name?: string }): Promise<string>;
  /** Something dropped that cannot be registered: say why, as a failed registration. */
  rejectNotebookDrop(label: string, error: AppErrorData): void;
  cancelNotebookRegistration(id: string): Promise<void>;
  dismissNotebookRegistration(id: string): void;
  /** The native file dialog (desktop app); null when the user cancelled it. */
  pickNotebookPath(): Promise<Result<string | null>>;
  /** Start notebooks.run; its progress then arrives as job events. */
  runNotebook(request: RunNotebookRequest): Promise<boolean>;
  dismissNotebookRun(name: string): void;
  /** A notebooks.register or notebooks.run job finished: refresh what it changed. */
  notebookJobFinished(job: Job): void;
  resetNotebooks(): void;
}

export const notebookKey = (name: string, version: number | null) => `${name}@${version ?? 'latest'}`;

/** The result of a succeeded notebooks.register job, when it has the expected shape. */
export function notebookRegistrationOutcome(job: Job | undefined): NotebookRegisterResult | null {
  if (!job || job.kind !== 'notebooks.register' || job.state !== 'succeeded') return null;
  const parsed = notebookRegisterResult.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}

/** The run a succeeded notebooks.run job recorded (it passed or failed at a cell). */
export function notebookRunOutcome(job: Job | undefined): NotebookRun | null {
  if (!job || job.kind !== 'notebooks.run' || job.state !== 'succeeded') return null;
  const parsed = notebookRun.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}

export const createNotebooksSlice: SliceCreator<NotebooksSlice> = (transport) => (set, get) => {
  // Answers can cross: only the newest request of each kind may write its answer.
  let listRequest = 0;
  let detailRequest = 0;
  let nextRegistration = 0;
  const uploads = new Map<string, AbortController>();

  const patchRegistration = (id: string, patch: Partial<Registration>) =>
    set({ notebookRegistrations: get().notebookRegistrations.map((r) => (r.id === id ? { ...r, ...patch } : r)) });

  const addRegistration = (label: string, name: string | null, stage: Registration['stage']): string => {
    nextRegistration += 1;
    const id = `notebook-registration-${nextRegistration}`;
    const registration: Registration = { id, label, name, stage, upload: stage === 'uploading' ? 0 : null, jobId: null, error: null };
    set({ notebookRegistrations: [registration, ...get().notebookRegistrations] });
    return id;
  };

  const start = async (id: string, path: string, name: string | undefined) => {
    patchRegistration(id, { stage: 'starting', error: null });
    const trimmed = name?.trim();
    const r = await transport.invoke('notebooks.register', { path: path.trim(), ...(trimmed ? { name: trimmed } : {}) });
    if (!get().notebookRegistrations.some((x) => x.id === id)) return;
    if (!r.ok) {
      patchRegistration(id, { stage: 'failed', error: r.error });
      return;
    }
    get().jobUpdated(r.value);
    patchRegistration(id, { stage: 'started', jobId: r.value.id });
  };

  return {
    notebooks: [],
    notebooksStatus: 'idle',
    notebooksError: null,
    notebooksQuery: '',
    notebookRoute: null,
    notebook: null,
    notebookStatus: 'idle',
    notebookError: null,
    notebookRegistrations: [],
    notebookRuns: {},

    setNotebooksQuery(notebooksQuery) {
      set({ notebooksQuery });
    },

    async loadNotebooks() {
      const request = ++listRequest;
      const query = get().notebooksQuery.trim();
      set({ notebooksStatus: 'loading' });
      const r = await transport.invoke('notebooks.list', query ? { query } : {});
      if (request !== listRequest) return;
      if (!r.ok) set({ notebooksStatus: 'failed', notebooksError: r.error });
      else set({ notebooks: r.value, notebooksStatus: 'ready', notebooksError: null });
    },

    showNotebook(notebookRoute) {
      set({ notebookRoute });
    },

    async loadNotebook(name, version) {
      const request = ++detailRequest;
      set({ notebookStatus: 'loading', notebookError: null });
      const r = await transport.invoke('notebooks.get', version === null ? { name } : { name, version });
      if (request !== detailRequest) return;
      if (!r.ok) set({ notebookStatus: 'failed', notebookError: r.error });
      else set({ notebook: { key: notebookKey(name, version), value: r.value }, notebookStatus: 'ready', notebookError: null });
    },

    async registerNotebook({ path, name }) {
      const id = addRegistration(path.trim(), name?.trim() || null, 'starting');
      await start(id, path, name);
      return id;
    },

    async registerNotebookFile(file, options = {}) {
      const id = addRegistration(file.name, options.name?.trim() || null, 'uploading');
      const controller = new AbortController();
      uploads.set(id, controller);
      const path = await transport.fileToPath(file, {
        signal: controller.signal,
        onProgress: (fraction) => patchRegistration(id, { upload: fraction }),
      });
      uploads.delete(id);
      if (!get().notebookRegistrations.some((x) => x.id === id)) return id;
      if (!path.ok) {
        patchRegistration(id, path.error.code === 'CANCELLED' ? { stage: 'cancelled', error: null } : { stage: 'failed', error: path.error });
        return id;
      }
      await start(id, path.value, options.name);
      return id;
    },

    rejectNotebookDrop(label, error) {
      const id = addRegistration(label, null, 'failed');
      patchRegistration(id, { error });
    },

    async cancelNotebookRegistration(id) {
      const registration = get().notebookRegistrations.find((r) => r.id === id);
      if (!registration) return;
      const upload = uploads.get(id);
      if (upload) upload.abort();
      else if (registration.jobId) await get().cancelJob(registration.jobId);
    },

    dismissNotebookRegistration(id) {
      uploads.get(id)?.abort();
      set({ notebookRegistrations: get().notebookRegistrations.filter((r) => r.id !== id) });
    },

    async pickNotebookPath() {
      const r = await transport.invoke('dialog.pickPath', {
        kind: 'file',
        title: 'Register a Jupyter notebook',
        filters: [
          { name: 'Jupyter notebooks', extensions: ['ipynb'] },
          { name: 'All files', extensions: ['*'] },
        ],
      });
      return r.ok ? { ok: true, value: r.value.path } : r;
    },

    async runNotebook({ name, version, python, timeoutSeconds }) {
      const runs = { ...get().notebookRuns };
      runs[name] = { jobId: null, version, error: null };
      set({ notebookRuns: runs });
      const interpreter = python?.trim();
      const r = await transport.invoke('notebooks.run', {
        name,
        version,
        ...(interpreter ? { python: interpreter } : {}),
        ...(timeoutSeconds ? { timeoutSeconds } : {}),
      });
      if (!r.ok) {
        set({ notebookRuns: { ...get().notebookRuns, [name]: { jobId: null, version, error: r.error } } });
        return false;
      }
      get().jobUpdated(r.value);
      set({ notebookRuns: { ...get().notebookRuns, [name]: { jobId: r.value.id, version, error: null } } });
      return true;
    },

    dismissNotebookRun(name) {
      const runs = { ...get().notebookRuns };
      delete runs[name];
      set({ notebookRuns: runs });
    },

    notebookJobFinished(job) {
      let name: string | undefined;
      if (job.kind === 'notebooks.register') {
        const outcome = notebookRegistrationOutcome(job);
        if (!outcome || outcome.outcome === 'unchanged') return;
        name = outcome.name;
        // The count beside "Notebooks" in the navigation.
        void get().refreshWorkspace();
      } else if (job.kind === 'notebooks.run' && job.state === 'succeeded') {
        // Runs started elsewhere (the CLI) still change the list's last-run badge.
        name = Object.entries(get().notebookRuns).find(([, r]) => r.jobId === job.id)?.[0];
      } else {
        return;
      }
      // A new version, or a new run in the history.
      if (get().notebooksStatus !== 'idle') void get().loadNotebooks();
      const route = get().notebookRoute;
      if (route && route.name === name) void get().loadNotebook(route.name, route.version);
    },

    resetNotebooks() {
      for (const controller of uploads.values()) controller.abort();
      uploads.clear();
      listRequest += 1;
      detailRequest += 1;
      set({
        notebooks: [],
        notebooksStatus: 'idle',
        notebooksError: null,
        notebooksQuery: '',
        notebook: null,
        notebookStatus: 'idle',
        notebookError: null,
        notebookRegistrations: [],
        notebookRuns: {},
      });
    },
  };
};

/** The detail for the page shown, if it is loaded (null while another notebook or version loads). */
export const selectShownNotebook = (s: AppState): NotebookDetail | null =>
  s.notebookRoute && s.notebook?.key === notebookKey(s.notebookRoute.name, s.notebookRoute.version) ? s.notebook.value : null;
