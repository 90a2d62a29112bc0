// Archives opened for review: an exported NAME-VERSION.tar.gz from any workspace, verified and
// opened as a job (archives.open), read, reviewed here (the review is kept in this workspace's
// catalog at once) and the reviews written into the archive as a job (archives.write). A failed
// write loses nothing: the review waits in the catalog (pendingReviews) until written again.
import { reviewArchive as reviewArchiveSchema, type Job, type ReviewArchive, type ReviewArchiveSummary } from '../../../shared/contract/index.js';
import type { AppErrorData, Result } from '../../../shared/result.js';
import type { ReviewRequest } from './readiness-slice.js';
import { createLoader, keyed, type Keyed } from './slice-helpers.js';
import type { AppState, LoadStatus, SliceCreator } from './types.js';

export const ARCHIVE_TABS = ['review', 'verification'] as const;
export type ArchiveTab = (typeof ARCHIVE_TABS)[number];
export const isArchiveTab = (value: unknown): value is ArchiveTab => ARCHIVE_TABS.includes(value as ArchiveTab);

/** Which archive's page is shown, and which tab; kept in the URL hash (#/bundles/~archives/ID, see features/bundles/route.ts). */
export interface ArchiveRoute {
  id: number;
  tab: ArchiveTab;
}

export const archiveRoute = (id: number, tab: ArchiveTab = 'review'): ArchiveRoute => ({ id, tab });

/** An archives.open or archives.write started here: starting (no job and no error yet), started (its job tells the rest), or refused. */
export interface ArchiveJobStart {
  jobId: string | null;
  /** Why it could not start (NOT_FOUND, CONFLICT: the archive is busy…); a job's own failure is on the job. */
  error: AppErrorData | null;
}

/** Opening an archive: what was asked for, and its job. */
export interface ArchiveOpenStart extends ArchiveJobStart {
  path: string;
  rerun: boolean;
}

export interface ArchivesSlice {
  /** The archives opened for review in this workspace, most recently opened first. */
  reviewArchives: ReviewArchiveSummary[];
  reviewArchivesStatus: LoadStatus;
  reviewArchivesError: AppErrorData | null;
  /** The archive page shown (the Bundles section), or null. */
  archiveRoute: ArchiveRoute | null;
  /** The archive loaded, keyed by its id; kept while it loads again so the page does not flash. */
  archive: Keyed<ReviewArchive> | null;
  archiveStatus: LoadStatus;
  archiveError: AppErrorData | null;
  /** The last archive opened from here (one at a time). */
  archiveOpen: ArchiveOpenStart | null;
  /** The last write into each archive started here (by a review or again), by archive id. */
  archiveWrites: Record<number, ArchiveJobStart>;

  loadReviewArchives(): Promise<void>;
  /** Show an archive's page (null: none); showing one leaves a bundle page or the wizard. */
  showArchive(route: ArchiveRoute | null): void;
  loadArchive(id: number): Promise<void>;
  /** The native file dialog (desktop app), for an archive. */
  pickArchivePath(): Promise<Result<string | null>>;
  /** Start archives.open; its job's result is the opened archive. */
  openArchive(path: string, rerun: boolean): Promise<boolean>;
  dismissArchiveOpen(): void;
  /** Record a review in the catalog, then follow the job that writes it into the archive. Answers the job, or why nothing was recorded. */
  reviewArchive(id: number, review: ReviewRequest): Promise<Result<Job>>;
  /** Write this workspace's reviews into the archive again (after a failed write). */
  writeArchive(id: number): Promise<boolean>;
  /** An archives.* job finished: what it read or wrote is the archive as it now stands. */
  archiveJobFinished(job: Job): void;
  resetArchives(): void;
}

const ARCHIVE_JOBS: ReadonlySet<Job['kind']> = new Set(['archives.open', 'archives.write']);

/** The archive a finished archives.open or archives.write job answered. */
export function archiveOutcome(job: Job | undefined): ReviewArchive | null {
  if (!job || !ARCHIVE_JOBS.has(job.kind) || job.state !== 'succeeded') return null;
  const parsed = reviewArchiveSchema.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}

const archiveKey = (id: number) => String(id);

/** What a workspace's archives start as, and are reset to when the workspace changes (the route stays). */
const EMPTY = {
  reviewArchives: [],
  reviewArchivesStatus: 'idle',
  reviewArchivesError: null,
  archive: null,
  archiveStatus: 'idle',
  archiveError: null,
  archiveOpen: null,
  archiveWrites: {},
} satisfies Partial<ArchivesSlice>;

export const createArchivesSlice: SliceCreator<ArchivesSlice> = (transport) => (set, get) => {
  const list = createLoader<ReviewArchiveSummary[]>(set, { status: 'reviewArchivesStatus', error: 'reviewArchivesError', ready: (reviewArchives) => ({ reviewArchives }) });
  const detail = createLoader<Keyed<ReviewArchive>>(set, { status: 'archiveStatus', error: 'archiveError', clearErrorOnStart: true, ready: (archive) => ({ archive }) });
  // An answer that arrives after the workspace changed belongs to the old one.
  let generation = 0;

  const patchWrite = (id: number, start: ArchiveJobStart) => set({ archiveWrites: { ...get().archiveWrites, [id]: start } });

  /** Follow a write job started here, once it started. */
  const follow = async (id: number, call: () => Promise<Result<Job>>): Promise<Result<Job>> => {
    const mine = generation;
    const r = await call();
    if (mine !== generation || !r.ok) return r;
    get().jobUpdated(r.value);
    patchWrite(id, { jobId: r.value.id, error: null });
    return r;
  };

  return {
    ...EMPTY,
    archiveRoute: null,

    loadReviewArchives() {
      return list.load(() => transport.invoke('archives.list', {}));
    },

    showArchive(archiveRoute) {
      set(archiveRoute ? { archiveRoute, bundleRoute: null, bundlesView: 'list' } : { archiveRoute: null });
    },

    loadArchive(id) {
      return detail.load(() => keyed(archiveKey(id), transport.invoke('archives.get', { id })));
    },

    async pickArchivePath() {
      const r = await transport.invoke('dialog.pickPath', {
        kind: 'file',
        title: 'Choose an exported archive to review',
        filters: [
          { name: 'Greenhouse archives', extensions: ['gz', 'tgz'] },
          { name: 'All files', extensions: ['*'] },
        ],
      });
      return r.ok ? { ok: true, value: r.value.path } : r;
    },

    async openArchive(path, rerun) {
      const mine = generation;
      const request = { path: path.trim(), rerun };
      set({ archiveOpen: { ...request, jobId: null, error: null } });
      const r = await transport.invoke('archives.open', request);
      if (mine !== generation || get().archiveOpen?.path !== request.path) return false;
      if (!r.ok) {
        set({ archiveOpen: { ...request, jobId: null, error: r.error } });
        return false;
      }
      get().jobUpdated(r.value);
      set({ archiveOpen: { ...request, jobId: r.value.id, error: null } });
      return true;
    },

    dismissArchiveOpen() {
      set({ archiveOpen: null });
    },

    async reviewArchive(id, review) {
      const mine = generation;
      const before = get().archiveWrites[id];
      // The write follows the review at once: it is starting from now on.
      patchWrite(id, { jobId: null, error: null });
      const r = await follow(id, () => transport.invoke('archives.review', { id, ...review }));
      if (!r.ok && mine === generation) {
        // Refused (an unknown check, a request for changes that says nothing): nothing was recorded, and the last write stays as it was.
        const { [id]: _started, ...others } = get().archiveWrites;
        set({ archiveWrites: before ? { ...others, [id]: before } : others });
      }
      // The review is in the catalog now: the history shows it while the write runs.
      if (r.ok && get().archiveRoute?.id === id) await get().loadArchive(id);
      return r;
    },

    async writeArchive(id) {
      const mine = generation;
      patchWrite(id, { jobId: null, error: null });
      const r = await follow(id, () => transport.invoke('archives.write', { id }));
      if (!r.ok && mine === generation) patchWrite(id, { jobId: null, error: r.error });
      return r.ok;
    },

    archiveJobFinished(job) {
      if (!ARCHIVE_JOBS.has(job.kind)) return;
      const state = get();
      if (state.reviewArchivesStatus !== 'idle') void state.loadReviewArchives();
      const outcome = archiveOutcome(job);
      const shown = state.archiveRoute?.id ?? null;
      if (outcome) {
        // The job answers the archive as it now stands: show it, and let any older answer on its way go.
        if (outcome.id === shown || state.archive?.value.id === outcome.id || job.kind === 'archives.open') {
          detail.invalidate();
          set({ archive: { key: archiveKey(outcome.id), value: outcome }, archiveStatus: 'ready', archiveError: null });
        }
      } else if (job.kind === 'archives.write' && shown !== null) {
        // A failed or cancelled write: the review waits in the catalog (pending), which the page says.
        void state.loadArchive(shown);
      }
    },

    resetArchives() {
      generation += 1;
      list.invalidate();
      detail.invalidate();
      set(EMPTY);
    },
  };
};

/** The archive of the page shown, if it is loaded. */
export const selectShownArchive = (s: AppState): ReviewArchive | null =>
  s.archiveRoute && s.archive?.key === archiveKey(s.archiveRoute.id) ? s.archive.value : null;

/** The last write into an archive started here. */
export const selectArchiveWrite = (s: AppState, id: number): ArchiveJobStart | null => s.archiveWrites[id] ?? null;

/** The job of the last write into an archive started here. */
export const selectArchiveWriteJob = (s: AppState, id: number): Job | undefined => {
  const jobId = s.archiveWrites[id]?.jobId;
  return jobId ? s.jobsById[jobId] : undefined;
};

/** The job of the archive being opened from here. */
export const selectArchiveOpenJob = (s: AppState): Job | undefined => {
  const jobId = s.archiveOpen?.jobId;
  return jobId ? s.jobsById[jobId] : undefined;
};
