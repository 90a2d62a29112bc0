// Attestations, gate overrides and reviews of bundles: what people recorded about readiness.
// Every write is audited in the same transaction.
import type { Attestation, GateId, Review } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { Catalog, WriteTx } from '../catalog/catalog.js';

interface AttestationRow {
  check_id: string;
  note: string;
  attested_by: string;
  attested_at: string;
}

interface OverrideRow {
  gate_id: GateId;
  reason: string;
  overridden_by: string;
  overridden_at: string;
}

/** A review as the catalog stores it (readiness_reviews, review_archive_reviews). */
export interface ReviewRow {
  id: number;
  manifest_sha256: string;
  reviewer: string;
  decision: Review['decision'];
  summary: string;
  comments: string;
  reviewed_at: string;
}

export const toReview = (r: ReviewRow): Review => ({
  id: r.id,
  reviewer: r.reviewer,
  at: r.reviewed_at,
  decision: r.decision,
  summary: r.summary,
  comments: JSON.parse(r.comments) as Review['comments'],
  manifestSha256: r.manifest_sha256,
});

/** One bundle, as the readiness records name it. */
export interface ReadinessSubject {
  bundleId: number;
  /** NAME@VERSION */
  subject: string;
  manifestSha256: string;
}

export class ReadinessRepo {
  constructor(private readonly catalog: Catalog) {}

  /** The attestations in force, by check id. */
  attestations(bundleId: number): Map<string, Attestation> {
    const rows = this.catalog.read((db) => db.prepare('SELECT * FROM readiness_attestations WHERE bundle_id = ? AND withdrawn_at IS NULL ORDER BY id').all(bundleId) as AttestationRow[]);
    return new Map(rows.map((r) => [r.check_id, { by: r.attested_by, at: r.attested_at, note: r.note }]));
  }

  /** Record an attestation (replacing the one in force for the check). */
  attest(tx: WriteTx, s: ReadinessSubject, checkId: string, note: string, actor: string, at = new Date().toISOString()): void {
    tx.db.prepare('UPDATE readiness_attestations SET withdrawn_at = ?, withdrawn_by = ? WHERE bundle_id = ? AND check_id = ? AND withdrawn_at IS NULL').run(at, actor, s.bundleId, checkId);
    tx.db.prepare('INSERT INTO readiness_attestations (bundle_id, check_id, note, attested_by, attested_at) VALUES (?, ?, ?, ?, ?)').run(s.bundleId, checkId, note, actor, at);
    tx.audit({ action: 'readiness.attested', subject: s.subject, details: { check: checkId, note } });
  }

  withdraw(tx: WriteTx, s: ReadinessSubject, checkId: string, actor: string, at = new Date().toISOString()): void {
    const changed = tx.db.prepare('UPDATE readiness_attestations SET withdrawn_at = ?, withdrawn_by = ? WHERE bundle_id = ? AND check_id = ? AND withdrawn_at IS NULL').run(at, actor, s.bundleId, checkId).changes;
    if (changed === 0) throw new AppError('NOT_FOUND', `${s.subject} has no attestation of ${checkId} to withdraw.`, { remedy: 'Check the check id (greenhouse check shows them).' });
    tx.audit({ action: 'readiness.attestation_withdrawn', subject: s.subject, details: { check: checkId } });
  }

  /** Overrides of the bundle as it is now, by gate. */
  overrides(bundleId: number, manifestSha256: string): Map<GateId, { by: string; at: string; reason: string }> {
    const rows = this.catalog.read((db) => db.prepare('SELECT * FROM readiness_gate_overrides WHERE bundle_id = ? AND manifest_sha256 = ? ORDER BY id').all(bundleId, manifestSha256) as OverrideRow[]);
    return new Map(rows.map((r) => [r.gate_id, { by: r.overridden_by, at: r.overridden_at, reason: r.reason }]));
  }

  override(tx: WriteTx, s: ReadinessSubject, gateId: GateId, reason: string, actor: string, at = new Date().toISOString()): void {
    tx.db.prepare('INSERT INTO readiness_gate_overrides (bundle_id, manifest_sha256, gate_id, reason, overridden_by, overridden_at) VALUES (?, ?, ?, ?, ?, ?)').run(s.bundleId, s.manifestSha256, gateId, reason, actor, at);
    tx.audit({ action: 'readiness.gate_overridden', subject: s.subject, details: { gate: gateId, reason, manifestSha256: s.manifestSha256 } });
  }

  /** Every review of the bundle, oldest first (of any version of its files). */
  reviews(bundleId: number): Review[] {
    return this.catalog.read((db) => (db.prepare('SELECT * FROM readiness_reviews WHERE bundle_id = ? ORDER BY id').all(bundleId) as ReviewRow[]).map(toReview));
  }

  review(tx: WriteTx, s: ReadinessSubject, input: Pick<Review, 'decision' | 'summary' | 'comments'>, actor: string, at = new Date().toISOString()): Review {
    const id = Number(
      tx.db
        .prepare('INSERT INTO readiness_reviews (bundle_id, manifest_sha256, reviewer, decision, summary, comments, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(s.bundleId, s.manifestSha256, actor, input.decision, input.summary, JSON.stringify(input.comments), at).lastInsertRowid,
    );
    tx.audit({ action: 'readiness.reviewed', subject: s.subject, details: { decision: input.decision, comments: input.comments.length, manifestSha256: s.manifestSha256 } });
    return { id, reviewer: actor, at, decision: input.decision, summary: input.summary, comments: input.comments, manifestSha256: s.manifestSha256 };
  }
}
