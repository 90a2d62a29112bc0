import {
  environmentCaptureResult,
  type EnvironmentCaptureResult,
  type EnvironmentComparison,
  type EnvironmentDetail,
  type EnvironmentRef,
  type EnvironmentSummary,
  type Job,
  type PythonCandidate,
} from '../../../shared/contract/index.js';
import type { AppErrorData, Result } from '../../../shared/result.js';
import { createLoader, createRegistrations, keyed, type Keyed, type PathRequest, type Registration } from './slice-helpers.js';
import type { AppState, LoadStatus, SliceCreator } from './types.js';

export const ENVIRONMENT_TABS = ['packages', 'used-by', 'versions', 'compare'] as const;
export type EnvironmentTab = (typeof ENVIRONMENT_TABS)[number];
export const isEnvironmentTab = (value: unknown): value is EnvironmentTab => ENVIRONMENT_TABS.includes(value as EnvironmentTab);

/** Which environment page is shown, and where on it; kept in the URL hash (see features/environments/route.ts). */
export interface EnvironmentRoute {
  name: string;
  /** null for the latest version. */
  version: number | null;
  tab: EnvironmentTab;
  /** What the Compare tab compares this version with; null for the previous version (or nothing). */
  compare: { name: string; version: number } | null;
}

export const environmentRoute = (name: string, over: Partial<Omit<EnvironmentRoute, 'name'>> = {}): EnvironmentRoute => ({
  name,
  version: null,
  tab: 'packages',
  compare: null,
  ...over,
});

/** A capture by path: an interpreter, or a requirements.txt / pyproject.toml / environment.yml. */
export interface CaptureRequest extends PathRequest {
  from: 'python' | 'file';
}

/** The file names a requirement file may have; anything else is taken for an interpreter. */
export const REQUIREMENT_FILE = /(?:\.txt|\.toml|\.ya?ml|\.in)$/i;
export const captureFrom = (path: string): CaptureRequest['from'] => (REQUIREMENT_FILE.test(path.trim()) ? 'file' : 'python');

export interface EnvironmentsSlice {
  environments: EnvironmentSummary[];
  environmentsStatus: LoadStatus;
  environmentsError: AppErrorData | null;
  /** The search box: filters by name or path on the backend. */
  environmentsQuery: string;
  /** The environment page shown, or null for the list. */
  environmentRoute: EnvironmentRoute | null;
  /** The detail loaded for environmentKey(route); kept while another loads so the page does not flash. */
  environment: Keyed<EnvironmentDetail> | null;
  environmentStatus: LoadStatus;
  environmentError: AppErrorData | null;
  environmentComparison: Keyed<EnvironmentComparison> | null;
  environmentComparisonStatus: LoadStatus;
  environmentComparisonError: AppErrorData | null;
  /** Interpreters found on the backend's machine (environments.detect). */
  pythonCandidates: PythonCandidate[];
  pythonCandidatesStatus: LoadStatus;
  pythonCandidatesError: AppErrorData | null;
  /** Captures started here, newest first; the same shape as dataset registrations. */
  captures: Registration[];

  setEnvironmentsQuery(query: string): void;
  loadEnvironments(): Promise<void>;
  showEnvironment(route: EnvironmentRoute | null): void;
  loadEnvironment(name: string, version: number | null): Promise<void>;
  compareEnvironments(from: Required<EnvironmentRef>, to: Required<EnvironmentRef>): Promise<void>;
  detectPythons(): Promise<void>;
  /** Start environments.capture; answers the capture's id. */
  captureEnvironment(request: CaptureRequest): Promise<string>;
  cancelCapture(id: string): Promise<void>;
  dismissCapture(id: string): void;
  /** The native file dialog (desktop app); null when the user cancelled it. */
  pickEnvironmentPath(from: CaptureRequest['from']): Promise<Result<string | null>>;
  /** An environments.capture job finished: refresh what it changed. */
  environmentJobFinished(job: Job): void;
  resetEnvironments(): void;
}

export const environmentKey = (name: string, version: number | null) => `${name}@${version ?? 'latest'}`;
export const comparisonKey = (from: Required<EnvironmentRef>, to: Required<EnvironmentRef>) => `${from.name}@${from.version}..${to.name}@${to.version}`;

/** The result of a succeeded environments.capture job, when it has the expected shape. */
export function captureOutcome(job: Job | undefined): EnvironmentCaptureResult | null {
  if (!job || job.kind !== 'environments.capture' || job.state !== 'succeeded') return null;
  const parsed = environmentCaptureResult.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}

/** What a workspace's environments start as, and are reset to when the workspace changes (the route stays). */
const EMPTY = {
  environments: [],
  environmentsStatus: 'idle',
  environmentsError: null,
  environmentsQuery: '',
  environment: null,
  environmentStatus: 'idle',
  environmentError: null,
  environmentComparison: null,
  environmentComparisonStatus: 'idle',
  environmentComparisonError: null,
  pythonCandidates: [],
  pythonCandidatesStatus: 'idle',
  pythonCandidatesError: null,
  captures: [],
} satisfies Partial<EnvironmentsSlice>;

export const createEnvironmentsSlice: SliceCreator<EnvironmentsSlice> = (transport) => (set, get) => {
  const list = createLoader<EnvironmentSummary[]>(set, {
    status: 'environmentsStatus',
    error: 'environmentsError',
    ready: (environments) => ({ environments }),
  });
  const detail = createLoader<Keyed<EnvironmentDetail>>(set, {
    status: 'environmentStatus',
    error: 'environmentError',
    clearErrorOnStart: true,
    ready: (environment) => ({ environment }),
  });
  const comparison = createLoader<Keyed<EnvironmentComparison>>(set, {
    status: 'environmentComparisonStatus',
    error: 'environmentComparisonError',
    clearErrorOnStart: true,
    ready: (environmentComparison) => ({ environmentComparison }),
  });
  const candidates = createLoader<PythonCandidate[]>(set, {
    status: 'pythonCandidatesStatus',
    error: 'pythonCandidatesError',
    clearErrorOnStart: true,
    ready: (pythonCandidates) => ({ pythonCandidates }),
  });
  const captures = createRegistrations<CaptureRequest>(transport, {
    idPrefix: 'capture',
    get,
    list: (s) => s.captures,
    setList: (list) => set({ captures: list }),
    startJob: ({ path, name, from }) => {
      const trimmed = name?.trim();
      const source = from === 'python' ? { python: path.trim() } : { file: path.trim() };
      return transport.invoke('environments.capture', { ...source, ...(trimmed ? { name: trimmed } : {}) });
    },
  });

  return {
    ...EMPTY,
    environmentRoute: null,

    setEnvironmentsQuery(environmentsQuery) {
      set({ environmentsQuery });
    },

    loadEnvironments() {
      const query = get().environmentsQuery.trim();
      return list.load(() => transport.invoke('environments.list', query ? { query } : {}));
    },

    showEnvironment(environmentRoute) {
      set({ environmentRoute });
    },

    loadEnvironment(name, version) {
      return detail.load(() => keyed(environmentKey(name, version), transport.invoke('environments.get', version === null ? { name } : { name, version })));
    },

    compareEnvironments(from, to) {
      return comparison.load(() => keyed(comparisonKey(from, to), transport.invoke('environments.compare', { from, to })));
    },

    detectPythons() {
      return candidates.load(() => transport.invoke('environments.detect', {}));
    },

    captureEnvironment(request) {
      return captures.register(request);
    },

    cancelCapture(id) {
      return captures.cancel(id);
    },

    dismissCapture(id) {
      captures.dismiss(id);
    },

    async pickEnvironmentPath(from) {
      const r = await transport.invoke('dialog.pickPath', {
        kind: 'file',
        title: from === 'python' ? 'Choose a Python interpreter' : 'Choose a requirement file',
        ...(from === 'file'
          ? {
              filters: [
                { name: 'Requirement files', extensions: ['txt', 'toml', 'yml', 'yaml', 'in'] },
                { name: 'All files', extensions: ['*'] },
              ],
            }
          : {}),
      });
      return r.ok ? { ok: true, value: r.value.path } : r;
    },

    environmentJobFinished(job) {
      const outcome = captureOutcome(job);
      if (!outcome || outcome.outcome === 'unchanged') return;
      if (get().environmentsStatus !== 'idle') void get().loadEnvironments();
      const route = get().environmentRoute;
      if (route?.name === outcome.name) void get().loadEnvironment(route.name, route.version);
      // The count beside "Environments" in the navigation.
      void get().refreshWorkspace();
    },

    resetEnvironments() {
      captures.abortAll();
      list.invalidate();
      detail.invalidate();
      comparison.invalidate();
      candidates.invalidate();
      set(EMPTY);
    },
  };
};

/** The detail for the page shown, if it is loaded (null while another environment or version loads). */
export const selectShownEnvironment = (s: AppState): EnvironmentDetail | null =>
  s.environmentRoute && s.environment?.key === environmentKey(s.environmentRoute.name, s.environmentRoute.version) ? s.environment.value : null;
