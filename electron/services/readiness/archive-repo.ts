// Archives opened here for review, and the reviews recorded of them (migration 0011). Every write
// is audited in the same transaction.
import type { BundleVerifyResult, ReadinessReport, Review, ReviewArchive, ReviewArchiveSummary } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { Catalog, WriteTx } from '../catalog/catalog.js';
import { mergeReviews, withReviews } from './archive-review.js';
import { toReview, type ReviewRow } from './readiness-repo.js';

interface ArchiveRow {
  id: number;
  path: string;
  name: string;
  version: number;
  manifest_sha256: string;
  sha256: string;
  bytes: number;
  includes_image: number;
  readiness: string;
  verify: string;
  stale_documents: string;
  opened_at: string;
  opened_by: string;
  written_at: string | null;
}

interface ArchiveReviewRow extends ReviewRow {
  written: number;
}

/** What opening or writing an archive found. */
export interface ArchiveState {
  sha256: string;
  bytes: number;
  includesImage: boolean;
  readiness: ReadinessReport;
  verify: BundleVerifyResult;
  staleDocuments: string[];
}

export class ArchiveRepo {
  constructor(private readonly catalog: Catalog) {}

  private row(id: number): ArchiveRow {
    const row = this.catalog.read((db) => db.prepare('SELECT * FROM review_archives WHERE id = ?').get(id) as ArchiveRow | undefined);
    if (!row) throw new AppError('NOT_FOUND', `No archive ${id} was opened for review in this workspace.`, { remedy: 'Open the archive first (Bundles → Open archive, or greenhouse review ARCHIVE).' });
    return row;
  }

  /** This workspace's reviews of an archive, oldest first, with whether the archive holds each. */
  reviews(archiveId: number): (Review & { written: boolean })[] {
    const rows = this.catalog.read((db) => db.prepare('SELECT * FROM review_archive_reviews WHERE archive_id = ? ORDER BY id').all(archiveId) as ArchiveReviewRow[]);
    return rows.map((r) => ({ ...toReview(r), written: r.written === 1 }));
  }

  private toArchive(row: ArchiveRow): ReviewArchive {
    const local = this.reviews(row.id);
    const exported = JSON.parse(row.readiness) as ReadinessReport;
    const readiness = withReviews(exported, mergeReviews(exported.reviews, local.map(({ written: _w, ...r }) => r)));
    const last = readiness.reviews.at(-1) ?? null;
    return {
      id: row.id,
      name: row.name,
      version: row.version,
      manifestSha256: row.manifest_sha256,
      path: row.path,
      sha256: row.sha256,
      bytes: row.bytes,
      includesImage: row.includes_image === 1,
      openedAt: row.opened_at,
      openedBy: row.opened_by,
      ready: readiness.verdict.ready,
      summary: readiness.verdict.summary,
      score: readiness.score.final,
      lastReview: last ? { reviewer: last.reviewer, at: last.at, decision: last.decision } : null,
      writtenAt: row.written_at,
      pendingReviews: local.filter((r) => !r.written).length,
      readiness,
      verify: JSON.parse(row.verify) as BundleVerifyResult,
      staleDocuments: JSON.parse(row.stale_documents) as string[],
    };
  }

  get(id: number): ReviewArchive {
    return this.toArchive(this.row(id));
  }

  list(): ReviewArchiveSummary[] {
    const rows = this.catalog.read((db) => db.prepare('SELECT * FROM review_archives ORDER BY opened_at DESC, id DESC').all() as ArchiveRow[]);
    return rows.map((r) => {
      const { readiness: _r, verify: _v, staleDocuments: _s, ...summary } = this.toArchive(r);
      return summary;
    });
  }

  /** Record an opened archive (again, for a path opened before: its reviews here stay). */
  open(tx: WriteTx, path: string, state: ArchiveState, actor: string, at = new Date().toISOString()): number {
    const r = state.readiness;
    const existing = tx.db.prepare('SELECT id, manifest_sha256 FROM review_archives WHERE path = ?').get(path) as { id: number; manifest_sha256: string } | undefined;
    const values = [r.bundle.name, r.bundle.version, r.bundle.manifestSha256, state.sha256, state.bytes, state.includesImage ? 1 : 0, JSON.stringify(r), JSON.stringify(state.verify), JSON.stringify(state.staleDocuments), at, actor];
    let id: number;
    if (existing) {
      id = existing.id;
      tx.db
        .prepare('UPDATE review_archives SET name = ?, version = ?, manifest_sha256 = ?, sha256 = ?, bytes = ?, includes_image = ?, readiness = ?, verify = ?, stale_documents = ?, opened_at = ?, opened_by = ? WHERE id = ?')
        .run(...values, id);
    } else {
      id = Number(
        tx.db
          .prepare('INSERT INTO review_archives (name, version, manifest_sha256, sha256, bytes, includes_image, readiness, verify, stale_documents, opened_at, opened_by, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(...values, path).lastInsertRowid,
      );
    }
    tx.audit({ action: 'archive.opened', subject: `${r.bundle.name}@${r.bundle.version}`, details: { path, sha256: state.sha256, manifestSha256: r.bundle.manifestSha256, ok: state.verify.ok } });
    return id;
  }

  review(tx: WriteTx, id: number, input: Pick<Review, 'decision' | 'summary' | 'comments'>, actor: string, at = new Date().toISOString()): void {
    const row = this.row(id);
    tx.db
      .prepare('INSERT INTO review_archive_reviews (archive_id, manifest_sha256, reviewer, decision, summary, comments, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, row.manifest_sha256, actor, input.decision, input.summary, JSON.stringify(input.comments), at);
    tx.audit({ action: 'archive.reviewed', subject: `${row.name}@${row.version}`, details: { path: row.path, decision: input.decision, comments: input.comments.length, manifestSha256: row.manifest_sha256 } });
  }

  /** The archive now holds these reviews of this workspace. */
  written(tx: WriteTx, id: number, state: ArchiveState, reviewIds: number[], at = new Date().toISOString()): void {
    const row = this.row(id);
    tx.db
      .prepare('UPDATE review_archives SET sha256 = ?, bytes = ?, includes_image = ?, readiness = ?, verify = ?, stale_documents = ?, written_at = ? WHERE id = ?')
      .run(state.sha256, state.bytes, state.includesImage ? 1 : 0, JSON.stringify(state.readiness), JSON.stringify(state.verify), JSON.stringify(state.staleDocuments), at, id);
    const mark = tx.db.prepare('UPDATE review_archive_reviews SET written = 1 WHERE archive_id = ? AND id = ?');
    for (const r of reviewIds) mark.run(id, r);
    tx.audit({ action: 'archive.reviews_written', subject: `${row.name}@${row.version}`, details: { path: row.path, sha256: state.sha256, reviews: reviewIds.length } });
  }
}
