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
import { createLoader, createRegistrations, keyed, type Keyed, type PathRequest, type Registration } from './slice-helpers.js';
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
  registerNotebook(request: PathRequest): Promise<string>;
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

/** What a workspace's notebooks start as, and are reset to when the workspace changes (the route stays). */
const EMPTY = {
  notebooks: [],
  notebooksStatus: 'idle',
  notebooksError: null,
  notebooksQuery: '',
  notebook: null,
  notebookStatus: 'idle',
  notebookError: null,
  notebookRegistrations: [],
  notebookRuns: {},
} satisfies Partial<NotebooksSlice>;

export const createNotebooksSlice: SliceCreator<NotebooksSlice> = (transport) => (set, get) => {
  const list = createLoader<NotebookSummary[]>(set, {
    status: 'notebooksStatus',
    error: 'notebooksError',
    ready: (notebooks) => ({ notebooks }),
  });
  const detail = createLoader<Keyed<NotebookDetail>>(set, {
    status: 'notebookStatus',
    error: 'notebookError',
    clearErrorOnStart: true,
    ready: (notebook) => ({ notebook }),
  });
  const registrations = createRegistrations<PathRequest>(transport, {
    idPrefix: 'notebook-registration',
    get,
    list: (s) => s.notebookRegistrations,
    setList: (notebookRegistrations) => set({ notebookRegistrations }),
    startJob: ({ path, name }) => {
      const trimmed = name?.trim();
      return transport.invoke('notebooks.register', { path: path.trim(), ...(trimmed ? { name: trimmed } : {}) });
    },
  });

  return {
    ...EMPTY,
    notebookRoute: null,

    setNotebooksQuery(notebooksQuery) {
      set({ notebooksQuery });
    },

    loadNotebooks() {
      const query = get().notebooksQuery.trim();
      return list.load(() => transport.invoke('notebooks.list', query ? { query } : {}));
    },

    showNotebook(notebookRoute) {
      set({ notebookRoute });
    },

    loadNotebook(name, version) {
      return detail.load(() => keyed(notebookKey(name, version), transport.invoke('notebooks.get', version === null ? { name } : { name, version })));
    },

    registerNotebook(request) {
      return registrations.register(request);
    },

    registerNotebookFile(file, options = {}) {
      return registrations.registerFile(file, options);
    },

    rejectNotebookDrop(label, error) {
      registrations.reject(label, error);
    },

    cancelNotebookRegistration(id) {
      return registrations.cancel(id);
    },

    dismissNotebookRegistration(id) {
      registrations.dismiss(id);
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
      registrations.abortAll();
      list.invalidate();
      detail.invalidate();
      set(EMPTY);
    },
  };
};

/** The detail for the page shown, if it is loaded (null while another notebook or version loads). */
export const selectShownNotebook = (s: AppState): NotebookDetail | null =>
  s.notebookRoute && s.notebook?.key === notebookKey(s.notebookRoute.name, s.notebookRoute.version) ? s.notebook.value : null;
