// Exported archives opened for review: a reviewer on the operations team opens NAME-VERSION.tar.gz
// (from any workspace), reads the readiness the author exported with it, comments per check and
// records approve or request-changes. The review is kept in the reviewer's catalog and written
// into the archive itself: its reviews.json (signed with the reviewer's workspace key, whose public
// key travels beside it), readiness.json (reviews and verdict brought up to date) and
// readiness-report.html (rendered again from the data it embeds).
import { z } from 'zod';
import { method } from './define.js';
import { fsPath, isoTime } from './common.js';
import { bundleVerifyResult } from './bundles.js';
import { job } from './jobs.js';
import { readinessReport, review, reviewDecisionInput } from './readiness.js';

/** An archive as this workspace knows it (one per path). */
export const reviewArchiveSummary = z.object({
  id: z.number().int(),
  /** The bundle inside: NAME@VERSION and the manifest it was reviewed as. */
  name: z.string(),
  version: z.number().int(),
  manifestSha256: z.string(),
  /** Where the archive is, its hash and size as last opened or written. */
  path: z.string(),
  sha256: z.string(),
  bytes: z.number().int(),
  includesImage: z.boolean(),
  openedAt: isoTime,
  openedBy: z.string(),
  /** The verdict as it stands with this workspace's reviews merged in. */
  ready: z.boolean(),
  summary: z.string(),
  score: z.number(),
  /** The latest review (from the archive or from here). */
  lastReview: review.pick({ reviewer: true, at: true, decision: true }).nullable(),
  /** When this workspace last wrote its reviews into the archive; null if never (or the last write failed). */
  writtenAt: isoTime.nullable(),
  /** Reviews recorded here that the archive does not hold yet (its last write failed or is running). */
  pendingReviews: z.number().int(),
});
export type ReviewArchiveSummary = z.infer<typeof reviewArchiveSummary>;

export const reviewArchive = reviewArchiveSummary.extend({
  /** The readiness the author exported, with every review (the archive's and this workspace's) and the verdict updated. */
  readiness: readinessReport,
  /** What verifying the archive found when it was opened (or last written). */
  verify: bundleVerifyResult,
  /** Files the author wrote that a review cannot bring up to date (a PDF of the report): they stay as exported. */
  staleDocuments: z.array(z.string()),
});
export type ReviewArchive = z.infer<typeof reviewArchive>;

export const archivesMethods = {
  'archives.open': method({
    input: z.object({
      path: fsPath,
      /** Load the included image and rerun its smoke test when Docker answers. */
      rerun: z.boolean().default(false),
    }),
    output: job,
    summary: 'Start a job that verifies an exported archive and opens it for review (its result is the ReviewArchive); nothing is recorded when it does not verify.',
  }),
  'archives.list': method({
    input: z.object({}).default({}),
    output: z.array(reviewArchiveSummary),
    summary: 'The archives opened for review in this workspace, most recently opened first.',
  }),
  'archives.get': method({
    input: z.object({ id: z.number().int().positive() }),
    output: reviewArchive,
    summary: 'An archive opened for review: its readiness with every review, and its verification.',
  }),
  'archives.review': method({
    input: z.object({ id: z.number().int().positive(), ...reviewDecisionInput }),
    output: job,
    summary: 'Record a review of an opened archive in the catalog (audited), then start the job that writes it into the archive (signed reviews.json, readiness.json, the report).',
  }),
  'archives.write': method({
    input: z.object({ id: z.number().int().positive() }),
    output: job,
    summary: 'Start the job that writes this workspace\'s reviews into the archive again (after a failed write).',
  }),
};
