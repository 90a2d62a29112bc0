import type {
  EnvironmentDetail,
  EnvironmentMismatch,
  GoldenSet,
  Introspection,
  LineageLink,
  ModelCard,
  ModelDetail,
  ModelLinks,
  ModelMetrics,
  ModelRegisterResult,
  ModelSummary,
  ModelVersion,
  NotebookAnalysis,
  ScanResult,
  Signature,
} from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { containsPattern, type Catalog, type WriteTx } from '../catalog/catalog.js';
import { basename } from 'node:path';
import { toEntityName } from '../catalog/entity-name.js';
import { nextVersionOf, requireEntity, requireVersion, type VersionedKind } from '../catalog/versioned.js';
import { toEnvironmentVersion, type EnvironmentRepo } from '../environments/environment-repo.js';
import { findMismatches } from './mismatches.js';
import { draftModelCard } from './model-card.js';
import type { ModelRegisterTaskOutput } from './register-task.js';

export const MODELS: VersionedKind = { table: 'models', versions: 'model_versions', fk: 'model_id', noun: 'model', listCommand: 'greenhouse model list' };

interface ModelVersionRow {
  id: number;
  model_id: number;
  version: number;
  sha256: string;
  bytes: number;
  format: ModelVersion['format'];
  framework: ModelVersion['framework'];
  class_name: string;
  task: ModelVersion['task'];
  source_path: string;
  scan: string;
  scan_override: string | null;
  introspection: string;
  signature: string;
  golden: string;
  metrics: string | null;
  card: string;
  environment_version: number | null;
  notebook_version: number | null;
  evaluation_version: number | null;
  bundled: number;
  created_at: string;
  created_by: string;
}

const toVersion = (r: ModelVersionRow): ModelVersion => ({
  version: r.version,
  sha256: r.sha256,
  bytes: r.bytes,
  format: r.format,
  framework: r.framework,
  className: r.class_name,
  task: r.task,
  sourcePath: r.source_path,
  scanOverride: r.scan_override ? (JSON.parse(r.scan_override) as ModelVersion['scanOverride']) : null,
  bundled: r.bundled === 1,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

/** A model name from its file: the file name without .joblib, .pkl, .pickle or .onnx (and a compression suffix). */
export function defaultModelName(path: string): string {
  return toEntityName(basename(path).replace(/(\.(joblib|jl|pkl|pickle|onnx|sav|model))?(\.(gz|z|bz2|xz|lzma|lz4))?$/i, ''), 'model');
}

/** A catalog version row by id, named: "churn@3". */
interface VersionRef {
  id: number;
  name: string;
  version: number;
}

/** What the registration links to, resolved to catalog row ids before the job starts. */
export interface ModelRegistration {
  name: string;
  sourcePath: string;
  training: { datasetVersionId: number; target: string }[];
  evaluationVersionId: number | null;
  notebookVersionId: number | null;
  /** An already captured environment version, or null when the job captured one. */
  environmentVersionId: number | null;
  /** The name a newly captured environment is recorded under. */
  environmentName: string;
  overrideReason: string | null;
  seed: number;
}

/** Models in the catalog: immutable versions with their scan, introspection, golden set, metrics and card. */
export class ModelRepo {
  constructor(
    private readonly catalog: Catalog,
    private readonly environments: EnvironmentRepo,
  ) {}

  list(query?: string): ModelSummary[] {
    const rows = this.catalog.read((db) =>
      db
        .prepare(
          `SELECT m.name, v.version AS latest, v.framework, v.class_name, v.task, v.scan ->> '$.safe' AS safe, v.created_at,
                  (SELECT count(*) FROM model_versions x WHERE x.model_id = m.id) AS versions
           FROM models m
           JOIN model_versions v ON v.model_id = m.id AND v.version = (SELECT max(version) FROM model_versions y WHERE y.model_id = m.id)
           WHERE @q IS NULL OR m.name LIKE @q ESCAPE '\\' OR v.class_name LIKE @q ESCAPE '\\' OR v.source_path LIKE @q ESCAPE '\\'
           ORDER BY v.created_at DESC, m.name`,
        )
        .all({ q: containsPattern(query) }),
    ) as { name: string; latest: number; framework: ModelSummary['framework']; class_name: string; task: ModelSummary['task']; safe: number; created_at: string; versions: number }[];
    return rows.map((r) => ({
      name: r.name,
      latestVersion: r.latest,
      versions: r.versions,
      framework: r.framework,
      className: r.class_name,
      task: r.task,
      safe: r.safe === 1,
      updatedAt: r.created_at,
    }));
  }

  private row(name: string, version?: number): { entity: { id: number; name: string; created_at: string }; row: ModelVersionRow } {
    return this.catalog.read((db) => {
      const entity = requireEntity(db, MODELS, name);
      return { entity, row: requireVersion<ModelVersionRow>(db, MODELS, entity, version) };
    });
  }

  private datasetRef(id: number): VersionRef {
    return this.catalog.read(
      (db) => db.prepare('SELECT v.id, d.name, v.version FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE v.id = ?').get(id) as VersionRef,
    );
  }

  private notebookRef(id: number): VersionRef & { analysis: string } {
    return this.catalog.read(
      (db) =>
        db.prepare('SELECT v.id, n.name, v.version, v.analysis FROM notebook_versions v JOIN notebooks n ON n.id = v.notebook_id WHERE v.id = ?').get(id) as VersionRef & {
          analysis: string;
        },
    );
  }

  private linksOf(row: ModelVersionRow): ModelLinks {
    const training = this.catalog.read(
      (db) =>
        db
          .prepare(
            `SELECT d.name, v.version, t.target FROM model_training_data t JOIN dataset_versions v ON v.id = t.dataset_version JOIN datasets d ON d.id = v.dataset_id
             WHERE t.model_version = ? ORDER BY d.name`,
          )
          .all(row.id) as { name: string; version: number; target: string }[],
    );
    const env = row.environment_version !== null ? this.environments.versionById(row.environment_version) : undefined;
    const nb = row.notebook_version !== null ? this.notebookRef(row.notebook_version) : null;
    const ev = row.evaluation_version !== null ? this.datasetRef(row.evaluation_version) : null;
    return {
      training,
      evaluation: ev ? { name: ev.name, version: ev.version } : null,
      notebook: nb ? { name: nb.name, version: nb.version } : null,
      environment: env ? { name: env.name, version: env.version } : null,
    };
  }

  /** What the version's environment lacks for its notebook's imports and the versions recorded in the file. */
  private mismatchesOf(row: ModelVersionRow): EnvironmentMismatch[] {
    if (row.environment_version === null) return [];
    const env = this.environments.versionById(row.environment_version);
    if (!env) return [];
    const nb = row.notebook_version !== null ? this.notebookRef(row.notebook_version) : null;
    return findMismatches({
      packages: toEnvironmentVersion(env).packages,
      notebook: nb ? { label: `notebook ${nb.name}@${nb.version}`, imports: (JSON.parse(nb.analysis) as NotebookAnalysis).imports } : null,
      recordedVersions: (JSON.parse(row.scan) as ScanResult).recordedVersions,
    });
  }

  get(name: string, version: number | undefined, writtenBy: (sourcePath: string, sha256: string) => LineageLink[]): ModelDetail {
    const { entity, row } = this.row(name, version);
    const all = this.catalog.read((db) => db.prepare('SELECT * FROM model_versions WHERE model_id = ? ORDER BY version').all(entity.id) as ModelVersionRow[]);
    const lineage = this.linksOf(row);
    const recorded: LineageLink[] = [
      ...lineage.training.map((t) => ({ kind: 'dataset' as const, name: t.name, version: t.version, relation: 'trained-on' as const, matchedBy: 'recorded' as const, path: '' })),
      ...(lineage.evaluation ? [{ kind: 'dataset' as const, ...lineage.evaluation, relation: 'evaluated-on' as const, matchedBy: 'recorded' as const, path: '' }] : []),
      ...(lineage.notebook ? [{ kind: 'notebook' as const, ...lineage.notebook, relation: 'written-by' as const, matchedBy: 'recorded' as const, path: '' }] : []),
      ...(lineage.environment ? [{ kind: 'environment' as const, ...lineage.environment, relation: 'runs-in' as const, matchedBy: 'recorded' as const, path: '' }] : []),
    ];
    const found = writtenBy(row.source_path, row.sha256).filter((l) => !(lineage.notebook && l.name === lineage.notebook.name && l.version === lineage.notebook.version));
    const golden = JSON.parse(row.golden) as GoldenSet;
    return {
      name: entity.name,
      createdAt: entity.created_at,
      versions: all.map(toVersion),
      version: toVersion(row),
      scan: JSON.parse(row.scan) as ScanResult,
      introspection: JSON.parse(row.introspection) as Introspection,
      signature: JSON.parse(row.signature) as Signature,
      golden,
      metrics: row.metrics ? (JSON.parse(row.metrics) as ModelMetrics) : null,
      card: JSON.parse(row.card) as ModelCard,
      lineage,
      links: [...recorded, ...found],
      mismatches: this.mismatchesOf(row),
    };
  }

  /** The catalog row ids of a version and of the environment it was registered with. */
  versionIds(name: string, version: number): { id: number; environment: number | null } {
    const { row } = this.row(name, version);
    return { id: row.id, environment: row.environment_version };
  }

  /** Models that were registered with an environment version, and what each lacks there. */
  usersOfEnvironment(environmentVersionId: number): EnvironmentDetail['usedBy'] {
    const rows = this.catalog.read(
      (db) =>
        db
          .prepare('SELECT v.*, m.name FROM model_versions v JOIN models m ON m.id = v.model_id WHERE v.environment_version = ? ORDER BY m.name, v.version')
          .all(environmentVersionId) as (ModelVersionRow & { name: string })[],
    );
    return rows.map((r) => ({ model: r.name, version: r.version, mismatches: this.mismatchesOf(r) }));
  }

  private requireEditable(name: string, version: number): ModelVersionRow {
    const { row } = this.row(name, version);
    if (row.bundled === 1) {
      throw new AppError('CONFLICT', `${name}@${version} is in a bundle and can no longer change.`, { remedy: 'Register the model again to get a new version, and change that one.' });
    }
    return row;
  }

  updateCard(name: string, version: number, patch: Partial<ModelCard>): ModelCard {
    return this.catalog.write((tx) => {
      const row = this.requireEditable(name, version);
      const card = { ...(JSON.parse(row.card) as ModelCard), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
      tx.db.prepare('UPDATE model_versions SET card = ? WHERE id = ?').run(JSON.stringify(card), row.id);
      tx.audit({ action: 'model.card.edited', subject: `${name}@${version}`, details: { sections: Object.keys(patch) } });
      return card;
    });
  }

  recordMetrics(name: string, version: number, values: Record<string, number>): ModelMetrics {
    return this.catalog.write((tx) => {
      const row = this.requireEditable(name, version);
      const metrics: ModelMetrics = { source: 'form', dataset: null, rows: null, values, baseline: null, recordedAt: new Date().toISOString() };
      tx.db.prepare('UPDATE model_versions SET metrics = ? WHERE id = ?').run(JSON.stringify(metrics), row.id);
      tx.audit({ action: 'model.metrics.recorded', subject: `${name}@${version}`, details: { values } });
      return metrics;
    });
  }

  /** Record a finished registration; every registration is a new version (a model file is never "unchanged": links differ). */
  recordRegistration(tx: WriteTx, reg: ModelRegistration, out: ModelRegisterTaskOutput, actor: string): ModelRegisterResult {
    const now = new Date().toISOString();
    let environmentVersionId = reg.environmentVersionId;
    let environment: { name: string; version: number };
    if (out.environment) {
      const env = this.environments.recordCapture(tx, reg.environmentName, out.environment, actor);
      environmentVersionId = env.versionId;
      environment = { name: env.name, version: env.version };
    } else {
      const env = environmentVersionId !== null ? this.environments.versionById(environmentVersionId) : undefined;
      if (!env) throw new AppError('NOT_FOUND', 'The environment chosen for this model is gone.', { remedy: 'Capture the environment again and register the model.' });
      environment = { name: env.name, version: env.version };
    }
    const { entity, version, created } = nextVersionOf(tx, MODELS, reg.name, now);
    const training = reg.training.map((t) => ({ ...this.datasetRef(t.datasetVersionId), target: t.target }));
    const notebook = reg.notebookVersionId !== null ? this.notebookRef(reg.notebookVersionId) : null;
    const evaluation = reg.evaluationVersionId !== null ? this.datasetRef(reg.evaluationVersionId) : null;
    const golden: GoldenSet = { ...out.golden, dataset: { name: training[0]!.name, version: training[0]!.version } };
    const metrics: ModelMetrics | null = out.metrics ? { ...out.metrics, recordedAt: now } : null;
    const lineage: ModelLinks = {
      training: training.map((t) => ({ name: t.name, version: t.version, target: t.target })),
      evaluation: evaluation ? { name: evaluation.name, version: evaluation.version } : null,
      notebook: notebook ? { name: notebook.name, version: notebook.version } : null,
      environment,
    };
    const trainingRows = Object.fromEntries(
      tx.db
        .prepare(`SELECT d.name || '@' || v.version AS k, v.rows FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE v.id IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(reg.training.map((t) => t.datasetVersionId)))
        .map((r) => [(r as { k: string }).k, (r as { rows: number }).rows]),
    );
    const card = draftModelCard({
      name: entity.name,
      version,
      sha256: out.sha256,
      createdBy: actor,
      createdAt: now,
      introspection: out.introspection,
      signature: out.signature,
      golden,
      metrics,
      lineage,
      scan: out.scan,
      trainingRows,
    });
    const override = reg.overrideReason && !out.scan.safe ? { by: actor, reason: reg.overrideReason, at: now } : null;
    const versionId = Number(
      tx.db
        .prepare(
          `INSERT INTO model_versions (model_id, version, sha256, bytes, format, framework, class_name, task, source_path, scan, scan_override, introspection,
             signature, golden, metrics, card, environment_version, notebook_version, evaluation_version, created_at, created_by)
           VALUES (@model_id, @version, @sha256, @bytes, @format, @framework, @class_name, @task, @source_path, @scan, @scan_override, @introspection,
             @signature, @golden, @metrics, @card, @environment_version, @notebook_version, @evaluation_version, @created_at, @created_by)`,
        )
        .run({
          model_id: entity.id,
          version,
          sha256: out.sha256,
          bytes: out.bytes,
          format: out.scan.format,
          framework: out.introspection.framework,
          class_name: out.introspection.className,
          task: out.introspection.task,
          source_path: reg.sourcePath,
          scan: JSON.stringify(out.scan),
          scan_override: override ? JSON.stringify(override) : null,
          introspection: JSON.stringify(out.introspection),
          signature: JSON.stringify(out.signature),
          golden: JSON.stringify(golden),
          metrics: metrics ? JSON.stringify(metrics) : null,
          card: JSON.stringify(card),
          environment_version: environmentVersionId,
          notebook_version: reg.notebookVersionId,
          evaluation_version: reg.evaluationVersionId,
          created_at: now,
          created_by: actor,
        }).lastInsertRowid,
    );
    const link = tx.db.prepare('INSERT INTO model_training_data (model_version, dataset_version, target) VALUES (?, ?, ?)');
    for (const t of reg.training) link.run(versionId, t.datasetVersionId, t.target);
    if (override) {
      tx.audit({ action: 'model.scan.overridden', subject: `${entity.name}@${version}`, details: { reason: override.reason, findings: out.scan.findings.length, sha256: out.sha256 } });
    }
    tx.audit({
      action: 'model.version.added',
      subject: `${entity.name}@${version}`,
      details: { sha256: out.sha256, class: out.introspection.className, path: reg.sourcePath, training: lineage.training, environment, notebook: lineage.notebook },
    });
    const row = tx.db.prepare('SELECT * FROM model_versions WHERE id = ?').get(versionId) as ModelVersionRow;
    const mismatchWarnings = this.mismatchesOf(row).map((m) => m.message);
    return { outcome: created ? 'created' : 'new-version', name: entity.name, version, sha256: out.sha256, environment, warnings: [...out.warnings, ...mismatchWarnings] };
  }

  /** Every model version with its links, for the lineage graph. */
  allVersions(): { id: number; name: string; version: number; className: string; sha256: string; sourcePath: string; environmentVersion: number | null; notebookVersion: number | null; evaluationVersion: number | null; training: number[] }[] {
    return this.catalog.read((db) =>
      (
        db
          .prepare(
            `SELECT v.id, m.name, v.version, v.class_name, v.sha256, v.source_path, v.environment_version, v.notebook_version, v.evaluation_version,
                    (SELECT json_group_array(t.dataset_version) FROM model_training_data t WHERE t.model_version = v.id) AS training
             FROM model_versions v JOIN models m ON m.id = v.model_id ORDER BY m.name, v.version`,
          )
          .all() as { id: number; name: string; version: number; class_name: string; sha256: string; source_path: string; environment_version: number | null; notebook_version: number | null; evaluation_version: number | null; training: string }[]
      ).map((r) => ({
        id: r.id,
        name: r.name,
        version: r.version,
        className: r.class_name,
        sha256: r.sha256,
        sourcePath: r.source_path,
        environmentVersion: r.environment_version,
        notebookVersion: r.notebook_version,
        evaluationVersion: r.evaluation_version,
        training: JSON.parse(r.training) as number[],
      })),
    );
  }
}
