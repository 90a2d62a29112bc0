// Drift checks in the catalog: each check of a model version with its batch's hash and time (the
// model's drift history), the thresholds per model, and the hand-backs that made a checked batch a
// dataset version, candidate retraining data of the model.

import {
  DEFAULT_DRIFT_THRESHOLDS,
  driftThresholds,
  type DriftCheck,
  type DriftCheckSummary,
  type DriftHandBack,
  type DriftResult,
  type DriftSettings,
  type DriftThresholds,
  type DriftThresholdsPatch,
} from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { Catalog, WriteTx } from '../catalog/catalog.js';
import { requireEntity } from '../catalog/versioned.js';
import { MODELS } from '../models/model-repo.js';

interface CheckRow {
  id: number;
  model_version: number;
  bundle_id: number | null;
  result: string;
  checked_at: string;
  checked_by: string;
  model: string;
  version: number;
}

interface HandBackRow {
  check_id: number;
  dataset: string;
  version: number;
  labelled: number;
  created_at: string;
  created_by: string;
}

const SELECT_CHECK = `SELECT c.id, c.model_version, c.bundle_id, c.result, c.checked_at, c.checked_by, m.name AS model, v.version
  FROM drift_checks c JOIN model_versions v ON v.id = c.model_version JOIN models m ON m.id = v.model_id`;

/** The latest check of a model version, as the readiness checklist takes it as evidence. */
export interface LatestDrift {
  id: number;
  checkedAt: string;
  drift: boolean;
  checked: number;
  drifted: string[];
  rows: number;
  batch: { path: string; sha256: string; format: string };
  features: { name: string; psi: number | null; js: number | null; drifted: boolean }[];
  schemaViolations: { kind: string; column: string; count: number }[];
}

export class DriftRepo {
  constructor(private readonly catalog: Catalog) {}

  private handBacks(checkIds: number[]): Map<number, DriftHandBack[]> {
    const out = new Map<number, DriftHandBack[]>();
    if (checkIds.length === 0) return out;
    const rows = this.catalog.read((db) =>
      db
        .prepare(
          `SELECT h.check_id, d.name AS dataset, dv.version, h.labelled, h.created_at, h.created_by
           FROM drift_handbacks h JOIN dataset_versions dv ON dv.id = h.dataset_version JOIN datasets d ON d.id = dv.dataset_id
           WHERE h.check_id IN (${checkIds.map(() => '?').join(', ')}) ORDER BY h.id`,
        )
        .all(...checkIds),
    ) as HandBackRow[];
    for (const r of rows) {
      const list = out.get(r.check_id) ?? [];
      list.push({ dataset: { name: r.dataset, version: r.version }, labelled: r.labelled === 1, at: r.created_at, by: r.created_by });
      out.set(r.check_id, list);
    }
    return out;
  }

  private toCheck(r: CheckRow, handBacks: DriftHandBack[]): DriftCheck {
    return { ...(JSON.parse(r.result) as DriftResult), id: r.id, checkedBy: r.checked_by, handBacks };
  }

  /** Store a finished check (in the transaction that marks its job succeeded) and audit it. */
  record(tx: WriteTx, modelVersionId: number, bundleId: number | null, result: DriftResult, jobId: string | null, actor: string): DriftCheck {
    const id = Number(
      tx.db
        .prepare(
          `INSERT INTO drift_checks (model_version, bundle_id, batch_path, batch_sha256, batch_format, rows, drift, features_checked, features_drifted, result, job_id, checked_at, checked_by)
           VALUES (@model_version, @bundle_id, @batch_path, @batch_sha256, @batch_format, @rows, @drift, @checked, @drifted, @result, @job_id, @checked_at, @checked_by)`,
        )
        .run({
          model_version: modelVersionId,
          bundle_id: bundleId,
          batch_path: result.batch.path,
          batch_sha256: result.batch.sha256,
          batch_format: result.batch.format,
          rows: result.rows,
          drift: result.drift ? 1 : 0,
          checked: result.checked,
          drifted: result.drifted.length,
          result: JSON.stringify(result),
          job_id: jobId,
          checked_at: result.checkedAt,
          checked_by: actor,
        }).lastInsertRowid,
    );
    const subject = `${result.reference.model.name}@${result.reference.model.version}`;
    tx.audit({
      action: 'drift.checked',
      subject,
      details: { check: id, batch: result.batch.path, sha256: result.batch.sha256, rows: result.rows, drift: result.drift, drifted: result.drifted, schemaViolations: result.schemaViolations.length, bundle: bundleId !== null },
    });
    return { ...result, id, checkedBy: actor, handBacks: [] };
  }

  get(id: number): DriftCheck & { modelVersionId: number } {
    const row = this.catalog.read((db) => db.prepare(`${SELECT_CHECK} WHERE c.id = ?`).get(id)) as CheckRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No drift check ${id} in this workspace.`, { remedy: 'See the checks of a model with "greenhouse drift history MODEL".' });
    return { ...this.toCheck(row, this.handBacks([id]).get(id) ?? []), modelVersionId: row.model_version };
  }

  /** A model's checks (all versions, or one), newest first. */
  history(model: string, version: number | undefined, limit: number): DriftCheckSummary[] {
    const entity = this.catalog.read((db) => requireEntity(db, MODELS, model));
    const rows = this.catalog.read((db) =>
      db.prepare(`${SELECT_CHECK} WHERE m.id = @model AND (@version IS NULL OR v.version = @version) ORDER BY c.checked_at DESC, c.id DESC LIMIT @limit`).all({ model: entity.id, version: version ?? null, limit }),
    ) as CheckRow[];
    return this.summaries(rows);
  }

  /** The newest check of every model that has one, in one read. */
  latestPerModel(): DriftCheckSummary[] {
    const rows = this.catalog.read((db) =>
      db
        .prepare(
          `${SELECT_CHECK} WHERE c.id IN (
             SELECT id FROM (SELECT c2.id, row_number() OVER (PARTITION BY v2.model_id ORDER BY c2.checked_at DESC, c2.id DESC) AS n
                             FROM drift_checks c2 JOIN model_versions v2 ON v2.id = c2.model_version) WHERE n = 1)
           ORDER BY m.name`,
        )
        .all(),
    ) as CheckRow[];
    return this.summaries(rows);
  }

  private summaries(rows: CheckRow[]): DriftCheckSummary[] {
    const handBacks = this.handBacks(rows.map((r) => r.id));
    return rows.map((r) => {
      const d = JSON.parse(r.result) as DriftResult;
      return {
        id: r.id,
        checkedAt: r.checked_at,
        checkedBy: r.checked_by,
        model: { name: r.model, version: r.version },
        bundle: r.bundle_id !== null,
        batch: { path: d.batch.path, sha256: d.batch.sha256, format: d.batch.format },
        rows: d.rows,
        drift: d.drift,
        checked: d.checked,
        drifted: d.drifted,
        share: d.share,
        features: d.features.map((f) => ({ name: f.name, psi: f.psi, js: f.js, drifted: f.drifted })),
        schemaViolations: d.schemaViolations.length,
        predictionDrifted: d.predictionDrift ? d.predictionDrift.drifted : null,
        handBacks: handBacks.get(r.id) ?? [],
      };
    });
  }


  /** The latest check of a model version (by the catalog's row id), or null. */
  latest(modelVersionId: number): LatestDrift | null {
    const row = this.catalog.read((db) => db.prepare(`${SELECT_CHECK} WHERE c.model_version = ? ORDER BY c.checked_at DESC, c.id DESC LIMIT 1`).get(modelVersionId)) as CheckRow | undefined;
    if (!row) return null;
    const d = JSON.parse(row.result) as DriftResult;
    return {
      id: row.id,
      checkedAt: d.checkedAt,
      drift: d.drift,
      checked: d.checked,
      drifted: d.drifted,
      rows: d.rows,
      batch: { path: d.batch.path, sha256: d.batch.sha256, format: d.batch.format },
      features: d.features.map((f) => ({ name: f.name, psi: f.psi, js: f.js, drifted: f.drifted })),
      schemaViolations: d.schemaViolations.map((v) => ({ kind: v.kind, column: v.column, count: v.count })),
    };
  }

  settings(model: string): DriftSettings {
    return this.catalog.read((db) => {
      const entity = requireEntity(db, MODELS, model);
      const row = db.prepare('SELECT thresholds, updated_at, updated_by FROM drift_settings WHERE model_id = ?').get(entity.id) as { thresholds: string; updated_at: string; updated_by: string } | undefined;
      if (!row) return { model: entity.name, thresholds: DEFAULT_DRIFT_THRESHOLDS, custom: false, updatedAt: null, updatedBy: null };
      return { model: entity.name, thresholds: driftThresholds.parse(JSON.parse(row.thresholds)), custom: true, updatedAt: row.updated_at, updatedBy: row.updated_by };
    });
  }

  /** The model's thresholds with `patch` applied (not stored): what a check uses. */
  thresholdsFor(model: string, patch: DriftThresholdsPatch | undefined): DriftThresholds {
    return validThresholds({ ...this.settings(model).thresholds, ...stripUndefined(patch ?? {}) });
  }

  updateSettings(model: string, patch: DriftThresholdsPatch, reset: boolean, actor: string): DriftSettings {
    this.catalog.write((tx) => {
      const entity = requireEntity(tx.db, MODELS, model);
      const now = new Date().toISOString();
      if (reset) {
        tx.db.prepare('DELETE FROM drift_settings WHERE model_id = ?').run(entity.id);
        tx.audit({ action: 'drift.settings.reset', subject: entity.name, details: {} });
        return;
      }
      const before = this.settings(entity.name).thresholds;
      const next = validThresholds({ ...before, ...stripUndefined(patch) });
      tx.db
        .prepare(`INSERT INTO drift_settings (model_id, thresholds, updated_at, updated_by) VALUES (?, ?, ?, ?)
                  ON CONFLICT(model_id) DO UPDATE SET thresholds = excluded.thresholds, updated_at = excluded.updated_at, updated_by = excluded.updated_by`)
        .run(entity.id, JSON.stringify(next), now, actor);
      tx.audit({ action: 'drift.settings.updated', subject: entity.name, details: { from: before, to: next } });
    });
    return this.settings(model);
  }

  /** Link a registered dataset version to the check's model version as candidate retraining data, with the recommendation, audited. */
  recordHandBack(tx: WriteTx, check: DriftCheck & { modelVersionId: number }, dataset: { name: string; version: number }, labelled: boolean, actor: string): void {
    const dv = tx.db
      .prepare('SELECT v.id FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = ? AND v.version = ?')
      .get(dataset.name, dataset.version) as { id: number } | undefined;
    if (!dv) throw new AppError('INTERNAL', `Dataset ${dataset.name}@${dataset.version} vanished while it was being linked.`);
    tx.db
      .prepare(`INSERT INTO drift_handbacks (check_id, model_version, dataset_version, labelled, target, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
      .run(check.id, check.modelVersionId, dv.id, labelled ? 1 : 0, check.reference.target, new Date().toISOString(), actor);
    const model = `${check.reference.model.name}@${check.reference.model.version}`;
    const why = check.drift ? `drift in ${check.drifted.join(', ')}` : check.drifted.length ? `drift in ${check.drifted.join(', ')} (below the dataset-level share)` : 'no drift found, kept for reference';
    tx.audit({
      action: 'drift.handback',
      subject: model,
      details: {
        check: check.id,
        dataset: `${dataset.name}@${dataset.version}`,
        labelled,
        target: check.reference.target,
        recommendation: labelled
          ? `Retrain ${check.reference.model.name} on ${dataset.name}@${dataset.version} (${why}); it carries the target column ${check.reference.target}.`
          : `Label ${dataset.name}@${dataset.version} and retrain ${check.reference.model.name} on it (${why}).`,
      },
    });
  }
}

const stripUndefined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

function validThresholds(t: DriftThresholds): DriftThresholds {
  const parsed = driftThresholds.parse(t);
  if (parsed.psiModerate > parsed.psiSignificant) {
    throw new AppError('INVALID_INPUT', `The moderate PSI threshold (${parsed.psiModerate}) is above the significant one (${parsed.psiSignificant}).`, { remedy: 'Keep psiModerate at or below psiSignificant (the defaults are 0.1 and 0.25).' });
  }
  return parsed;
}
