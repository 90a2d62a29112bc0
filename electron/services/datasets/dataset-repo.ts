import { basename } from 'node:path';
import type {
  ColumnProfile,
  DatasetDetail,
  DatasetSummary,
  DatasetVersion,
  Datasheet,
  RegisterResult,
} from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { containsPattern, type Catalog, type WriteTx } from '../catalog/catalog.js';
import { toEntityName } from '../catalog/entity-name.js';
import type { VersionedKind } from '../catalog/versioned.js';
import type { RegisterTaskOutput } from './register-task.js';

interface VersionRow {
  version: number;
  sha256: string;
  bytes: number;
  format: DatasetVersion['format'];
  source_path: string;
  files: string;
  snapshot: DatasetVersion['snapshot'];
  snapshot_note: string | null;
  dialect: string | null;
  rows: number;
  column_count: number;
  profile: string;
  created_at: string;
  created_by: string;
}

interface DatasetRow {
  id: number;
  name: string;
  created_at: string;
  description: string;
  source: string;
  owner: string;
  licence: string;
  collection_process: string;
  personal_data: Datasheet['personalData'];
}

const toVersion = (r: VersionRow): DatasetVersion => ({
  version: r.version,
  sha256: r.sha256,
  bytes: r.bytes,
  format: r.format,
  sourcePath: r.source_path,
  files: JSON.parse(r.files) as DatasetVersion['files'],
  snapshot: r.snapshot,
  snapshotNote: r.snapshot_note,
  dialect: r.dialect ? (JSON.parse(r.dialect) as DatasetVersion['dialect']) : null,
  rows: r.rows,
  columnCount: r.column_count,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

const toDatasheet = (r: DatasetRow): Datasheet => ({
  description: r.description,
  source: r.source,
  owner: r.owner,
  licence: r.licence,
  collectionProcess: r.collection_process,
  personalData: r.personal_data,
});

export const DATASETS: VersionedKind = { table: 'datasets', versions: 'dataset_versions', fk: 'dataset_id', noun: 'dataset', listCommand: 'greenhouse dataset list' };

/** A dataset name from a path: the file or folder name without its data extensions. */
export function defaultDatasetName(path: string): string {
  const base = basename(path.replace(/[\\/]+$/, '')).replace(/(\.(csv|tsv|tab|txt|jsonl|ndjson|parquet|pq))?(\.gz)?$/i, '');
  return toEntityName(base, 'dataset');
}

/** Datasets in the catalog: reads, and the writes that record a registration or a datasheet edit. */
export class DatasetRepo {
  constructor(private readonly catalog: Catalog) {}

  private findDataset(name: string): DatasetRow | undefined {
    return this.catalog.read((db) => db.prepare('SELECT * FROM datasets WHERE name = ?').get(name)) as DatasetRow | undefined;
  }

  private requireDataset(name: string): DatasetRow {
    const row = this.findDataset(name);
    if (!row) throw new AppError('NOT_FOUND', `No dataset named "${name}" in this workspace.`, { remedy: 'Check the name with "greenhouse dataset list", or register the file first.' });
    return row;
  }

  knownHashes(name: string): string[] {
    const row = this.findDataset(name);
    if (!row) return [];
    return (this.catalog.read((db) => db.prepare('SELECT sha256 FROM dataset_versions WHERE dataset_id = ?').all(row.id)) as { sha256: string }[]).map(
      (r) => r.sha256,
    );
  }

  list(query?: string): DatasetSummary[] {
    const rows = this.catalog.read((db) =>
      db
        .prepare(
          `SELECT d.name, v.version AS latest, v.format, v.rows, v.column_count, v.bytes, v.source_path, v.created_at,
                  (SELECT count(*) FROM dataset_versions x WHERE x.dataset_id = d.id) AS versions
           FROM datasets d
           JOIN dataset_versions v ON v.dataset_id = d.id
             AND v.version = (SELECT max(version) FROM dataset_versions y WHERE y.dataset_id = d.id)
           WHERE @q IS NULL OR d.name LIKE @q ESCAPE '\\' OR v.source_path LIKE @q ESCAPE '\\'
           ORDER BY v.created_at DESC, d.name`,
        )
        .all({ q: containsPattern(query) }),
    ) as { name: string; latest: number; format: DatasetSummary['format']; rows: number; column_count: number; bytes: number; source_path: string; created_at: string; versions: number }[];
    return rows.map((r) => ({
      name: r.name,
      latestVersion: r.latest,
      versions: r.versions,
      format: r.format,
      rows: r.rows,
      columnCount: r.column_count,
      bytes: r.bytes,
      sourcePath: r.source_path,
      updatedAt: r.created_at,
    }));
  }

  versions(name: string): DatasetVersion[] {
    const d = this.requireDataset(name);
    return (this.catalog.read((db) => db.prepare('SELECT * FROM dataset_versions WHERE dataset_id = ? ORDER BY version').all(d.id)) as VersionRow[]).map(
      toVersion,
    );
  }

  /** A version's stored profile. */
  profile(name: string, version?: number): { version: DatasetVersion; columns: ColumnProfile[]; sample: DatasetDetail['sample'] } {
    const d = this.requireDataset(name);
    const row = this.catalog.read((db) =>
      version === undefined
        ? db.prepare('SELECT * FROM dataset_versions WHERE dataset_id = ? ORDER BY version DESC LIMIT 1').get(d.id)
        : db.prepare('SELECT * FROM dataset_versions WHERE dataset_id = ? AND version = ?').get(d.id, version),
    ) as VersionRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `Dataset "${name}" has no version ${version}.`, { remedy: `See its versions with "greenhouse dataset show ${name}".` });
    const profile = JSON.parse(row.profile) as { columns: ColumnProfile[]; sample: DatasetDetail['sample'] };
    return { version: toVersion(row), ...profile };
  }

  get(name: string, version?: number): Omit<DatasetDetail, 'links'> {
    const d = this.requireDataset(name);
    const p = this.profile(d.name, version);
    return {
      name: d.name,
      createdAt: d.created_at,
      datasheet: toDatasheet(d),
      versions: this.versions(d.name),
      version: p.version,
      columns: p.columns,
      sample: p.sample,
    };
  }

  /** Record a finished registration: a new dataset, a new version, or nothing when the bytes are known. */
  recordRegistration(tx: WriteTx, name: string, out: RegisterTaskOutput, actor: string): RegisterResult {
    let d = tx.db.prepare('SELECT * FROM datasets WHERE name = ?').get(name) as DatasetRow | undefined;
    if (d) {
      const same = tx.db.prepare('SELECT version FROM dataset_versions WHERE dataset_id = ? AND sha256 = ?').get(d.id, out.sha256) as
        | { version: number }
        | undefined;
      if (same) return { outcome: 'unchanged', name: d.name, version: same.version, sha256: out.sha256, warnings: [] };
    }
    if (out.unchanged) {
      // The hash matched when the job started but the version is gone now: nothing to record.
      throw new AppError('CONFLICT', `Dataset "${name}" changed while it was being registered.`, { remedy: 'Register the file again.' });
    }
    const now = new Date().toISOString();
    const created = !d;
    if (!d) {
      const id = Number(tx.db.prepare('INSERT INTO datasets (name, created_at) VALUES (?, ?)').run(name, now).lastInsertRowid);
      d = tx.db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as DatasetRow;
      tx.audit({ action: 'dataset.created', subject: name, details: { path: out.sourcePath } });
    }
    const version = ((tx.db.prepare('SELECT max(version) AS v FROM dataset_versions WHERE dataset_id = ?').get(d.id) as { v: number | null }).v ?? 0) + 1;
    tx.db
      .prepare(
        `INSERT INTO dataset_versions (dataset_id, version, sha256, bytes, format, source_path, files, snapshot, snapshot_note, dialect, rows, column_count, profile, created_at, created_by)
         VALUES (@dataset_id, @version, @sha256, @bytes, @format, @source_path, @files, @snapshot, @snapshot_note, @dialect, @rows, @column_count, @profile, @created_at, @created_by)`,
      )
      .run({
        dataset_id: d.id,
        version,
        sha256: out.sha256,
        bytes: out.bytes,
        format: out.format,
        source_path: out.sourcePath,
        files: JSON.stringify(out.files),
        snapshot: out.snapshot,
        snapshot_note: out.snapshotNote,
        dialect: out.dialect ? JSON.stringify(out.dialect) : null,
        rows: out.rows,
        column_count: out.columns.length,
        profile: JSON.stringify({ columns: out.columns, sample: out.sample }),
        created_at: now,
        created_by: actor,
      });
    tx.audit({
      action: 'dataset.version.added',
      subject: `${d.name}@${version}`,
      details: { sha256: out.sha256, bytes: out.bytes, rows: out.rows, path: out.sourcePath, snapshot: out.snapshot },
    });
    return { outcome: created ? 'created' : 'new-version', name: d.name, version, sha256: out.sha256, warnings: out.warnings };
  }

  updateDatasheet(name: string, sheet: Datasheet): Datasheet {
    return this.catalog.write((tx) => {
      const d = tx.db.prepare('SELECT * FROM datasets WHERE name = ?').get(name) as DatasetRow | undefined;
      if (!d) throw new AppError('NOT_FOUND', `No dataset named "${name}" in this workspace.`);
      tx.db
        .prepare(
          `UPDATE datasets SET description=@description, source=@source, owner=@owner, licence=@licence,
             collection_process=@collectionProcess, personal_data=@personalData WHERE id=@id`,
        )
        .run({ ...sheet, id: d.id });
      const changed = (Object.keys(sheet) as (keyof Datasheet)[]).filter((k) => toDatasheet(d)[k] !== sheet[k]);
      tx.audit({ action: 'dataset.datasheet.updated', subject: d.name, details: { fields: changed } });
      return sheet;
    });
  }
}
