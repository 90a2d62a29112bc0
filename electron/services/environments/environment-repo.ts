import type {
  EnvironmentCaptureResult,
  EnvironmentComparison,
  EnvironmentDetail,
  EnvironmentSummary,
  EnvironmentVersion,
  EnvPackage,
  PythonInfo,
} from '../../../shared/contract/index.js';
import { containsPattern, type Catalog, type WriteTx } from '../catalog/catalog.js';
import { nextVersionOf, requireEntity, requireVersion, type VersionedKind } from '../catalog/versioned.js';
import type { CapturedEnvironment } from './capture-task.js';
import { packageLine } from './packages.js';

export const ENVIRONMENTS: VersionedKind = {
  table: 'environments',
  versions: 'environment_versions',
  fk: 'environment_id',
  noun: 'environment',
  listCommand: 'greenhouse env list',
};

export interface EnvironmentVersionRow {
  id: number;
  environment_id: number;
  version: number;
  sha256: string;
  source: EnvironmentVersion['source'];
  path: string;
  python: string | null;
  python_requires: string | null;
  packages: string;
  created_at: string;
  created_by: string;
}

export const toEnvironmentVersion = (r: EnvironmentVersionRow): EnvironmentVersion => ({
  version: r.version,
  sha256: r.sha256,
  source: r.source,
  path: r.path,
  python: r.python ? (JSON.parse(r.python) as PythonInfo) : null,
  pythonRequires: r.python_requires,
  packages: JSON.parse(r.packages) as EnvPackage[],
  createdAt: r.created_at,
  createdBy: r.created_by,
});

/** Captured environments: versions by package-list hash, and comparisons between them. */
export class EnvironmentRepo {
  constructor(private readonly catalog: Catalog) {}

  list(query?: string): EnvironmentSummary[] {
    const rows = this.catalog.read((db) =>
      db
        .prepare(
          `SELECT e.name, v.source, v.path, v.version AS latest, v.python, json_array_length(v.packages) AS packages, v.created_at,
                  (SELECT count(*) FROM environment_versions x WHERE x.environment_id = e.id) AS versions
           FROM environments e
           JOIN environment_versions v ON v.environment_id = e.id
             AND v.version = (SELECT max(version) FROM environment_versions y WHERE y.environment_id = e.id)
           WHERE @q IS NULL OR e.name LIKE @q ESCAPE '\\' OR v.path LIKE @q ESCAPE '\\'
           ORDER BY v.created_at DESC, e.name`,
        )
        .all({ q: containsPattern(query) }),
    ) as { name: string; source: EnvironmentVersion['source']; path: string; latest: number; python: string | null; packages: number; created_at: string; versions: number }[];
    return rows.map((r) => ({
      name: r.name,
      source: r.source,
      path: r.path,
      latestVersion: r.latest,
      versions: r.versions,
      pythonVersion: r.python ? (JSON.parse(r.python) as PythonInfo).version : null,
      packages: r.packages,
      updatedAt: r.created_at,
    }));
  }

  /** One version's row (the latest by default), for links from models. */
  versionRow(name: string, version?: number): EnvironmentVersionRow & { name: string } {
    return this.catalog.read((db) => {
      const e = requireEntity(db, ENVIRONMENTS, name);
      return { ...requireVersion<EnvironmentVersionRow>(db, ENVIRONMENTS, e, version), name: e.name };
    });
  }

  /** A version by its row id, with its environment's name. */
  versionById(id: number): (EnvironmentVersionRow & { name: string }) | undefined {
    return this.catalog.read(
      (db) => db.prepare('SELECT v.*, e.name FROM environment_versions v JOIN environments e ON e.id = v.environment_id WHERE v.id = ?').get(id) as (EnvironmentVersionRow & { name: string }) | undefined,
    );
  }

  get(name: string, version: number | undefined, usedBy: (versionId: number) => EnvironmentDetail['usedBy']): EnvironmentDetail {
    const { entity, row, all } = this.catalog.read((db) => {
      const e = requireEntity(db, ENVIRONMENTS, name);
      const r = requireVersion<EnvironmentVersionRow>(db, ENVIRONMENTS, e, version);
      const rows = db.prepare('SELECT * FROM environment_versions WHERE environment_id = ? ORDER BY version').all(e.id) as EnvironmentVersionRow[];
      return { entity: e, row: r, all: rows };
    });
    return {
      name: entity.name,
      createdAt: entity.created_at,
      versions: all.map((r) => {
        const { packages: _packages, ...rest } = toEnvironmentVersion(r);
        return rest;
      }),
      version: toEnvironmentVersion(row),
      usedBy: usedBy(row.id),
    };
  }

  compare(from: { name: string; version?: number }, to: { name: string; version?: number }): EnvironmentComparison {
    const a = this.versionRow(from.name, from.version);
    const b = this.versionRow(to.name, to.version);
    return compareEnvironments({ name: a.name, ...toEnvironmentVersion(a) }, { name: b.name, ...toEnvironmentVersion(b) });
  }

  /** Record a capture: a new version unless the same package list is already a version of `name`. */
  recordCapture(tx: WriteTx, name: string, out: CapturedEnvironment, actor: string): EnvironmentCaptureResult & { versionId: number } {
    const existing = tx.db
      .prepare('SELECT v.id, v.version, e.name FROM environment_versions v JOIN environments e ON e.id = v.environment_id WHERE e.name = ? AND v.sha256 = ?')
      .get(name, out.sha256) as { id: number; version: number; name: string } | undefined;
    if (existing) return { outcome: 'unchanged', name: existing.name, version: existing.version, sha256: out.sha256, packages: out.packages.length, versionId: existing.id };
    const now = new Date().toISOString();
    const { entity, version, created } = nextVersionOf(tx, ENVIRONMENTS, name, now);
    const versionId = Number(
      tx.db
        .prepare(
          `INSERT INTO environment_versions (environment_id, version, sha256, source, path, python, python_requires, packages, created_at, created_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(entity.id, version, out.sha256, out.source, out.path, out.python ? JSON.stringify(out.python) : null, out.pythonRequires, JSON.stringify(out.packages), now, actor)
        .lastInsertRowid,
    );
    tx.audit({
      action: 'environment.version.added',
      subject: `${entity.name}@${version}`,
      details: { source: out.source, path: out.path, python: out.python?.version ?? out.pythonRequires, packages: out.packages.length, sha256: out.sha256 },
    });
    return { outcome: created ? 'created' : 'new-version', name: entity.name, version, sha256: out.sha256, packages: out.packages.length, versionId };
  }
}

/** Added, removed and changed packages between two environment versions. */
export function compareEnvironments(
  from: { name: string; version: number; python: PythonInfo | null; pythonRequires: string | null; packages: EnvPackage[] },
  to: { name: string; version: number; python: PythonInfo | null; pythonRequires: string | null; packages: EnvPackage[] },
): EnvironmentComparison {
  const a = new Map(from.packages.map((p) => [p.name, p]));
  const b = new Map(to.packages.map((p) => [p.name, p]));
  const describe = (p: EnvPackage) => p.version ?? p.specifier ?? 'any version';
  const changed: EnvironmentComparison['changed'] = [];
  let unchanged = 0;
  for (const [name, p] of a) {
    const q = b.get(name);
    if (!q) continue;
    if (packageLine(p) === packageLine(q)) unchanged++;
    else changed.push({ name, from: describe(p), to: describe(q) });
  }
  const pyFrom = from.python?.version ?? from.pythonRequires;
  const pyTo = to.python?.version ?? to.pythonRequires;
  return {
    from: { name: from.name, version: from.version },
    to: { name: to.name, version: to.version },
    added: to.packages.filter((p) => !a.has(p.name)),
    removed: from.packages.filter((p) => !b.has(p.name)),
    changed,
    unchanged,
    pythonChanged: pyFrom !== pyTo ? { from: pyFrom, to: pyTo } : null,
  };
}
