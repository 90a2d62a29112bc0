// Contract-shaped archives opened for review, for renderer tests: churn v1 exported by ana with its
// gates overridden (no image), opened in the reviewer's workspace, and the jobs that open and write it.
import { GATE_IDS, type Job, type ReadinessReport, type ReviewArchive, type ReviewArchiveSummary } from '../../../shared/contract/index.js';
import { verifyResult } from './bundle-fixtures.js';
import { job } from './fixtures.js';
import { failingGate, readinessGate, readinessReport, review, type ReadinessOptions } from './readiness-fixtures.js';

export const ARCHIVE_PATH = '/home/olu/handover/churn-1.tar.gz';
const ARCHIVE_SHA = 'c0ffee00d15ea5e0123456789abcdef0123456789abcdef0123456789abcdef0';

/** The gates of an archive exported without an image: the three that need it failed and were overridden. */
export const overriddenGates = () =>
  GATE_IDS.map((id) =>
    id === 'image-builds' || id === 'smoke-test' || id === 'golden-parity' ?
      failingGate(id, { override: { by: 'ana', at: '2026-01-10T09:05:00.000Z', reason: 'Operations build and smoke-test it in their own CI.' } })
    : readinessGate({ id }),
  );

/** The readiness the author exported, with the reviews given. */
export const archiveReadiness = (over: ReadinessOptions = {}): ReadinessReport => readinessReport({ gates: overriddenGates(), ...over });

export const reviewArchiveSummary = (over: Partial<ReviewArchiveSummary> = {}): ReviewArchiveSummary => ({
  id: 3,
  name: 'churn',
  version: 1,
  manifestSha256: archiveReadiness().bundle.manifestSha256,
  path: ARCHIVE_PATH,
  sha256: ARCHIVE_SHA,
  bytes: 84_669,
  includesImage: false,
  openedAt: '2026-01-11T08:00:00.000Z',
  openedBy: 'olu',
  ready: false,
  summary: archiveReadiness().verdict.summary,
  score: 1,
  lastReview: null,
  writtenAt: null,
  pendingReviews: 0,
  ...over,
});

/** An archive as archives.get answers it; its summary follows its readiness unless given. */
export function reviewArchive(over: Partial<ReviewArchive> = {}): ReviewArchive {
  const readiness = over.readiness ?? archiveReadiness();
  const last = readiness.reviews.at(-1);
  return {
    ...reviewArchiveSummary({
      ready: readiness.verdict.ready,
      summary: readiness.verdict.summary,
      score: readiness.score.final,
      lastReview: last ? { reviewer: last.reviewer, at: last.at, decision: last.decision } : null,
    }),
    readiness,
    verify: verifyResult({ source: { path: ARCHIVE_PATH, kind: 'archive' } }),
    staleDocuments: [],
    ...over,
  };
}

/** The archive once olu's approval is written into it. */
export const approvedArchive = (over: Partial<ReviewArchive> = {}): ReviewArchive =>
  reviewArchive({
    readiness: archiveReadiness({ reviews: [review({ id: 1, reviewer: 'olu', decision: 'approve', summary: 'Built and smoke-tested in our CI.', comments: [{ checkId: 'infrastructure.1', text: 'Reproduced the training run.' }] })] }),
    sha256: 'beefbeef'.repeat(8),
    writtenAt: '2026-01-11T08:10:00.000Z',
    ...over,
  });

const archiveJob = (kind: Job['kind'], id: string, title: string) => (over: Partial<Job> = {}): Job =>
  job({ id, kind, title, state: 'queued', progress: null, message: '', ...over });

export const openJob = archiveJob('archives.open', 'aopen-1', 'Open churn-1.tar.gz for review');
export const writeJob = archiveJob('archives.write', 'awrite-1', 'Write reviews into churn-1.tar.gz');
