import { basename } from 'node:path';
import type {
  LineageLink,
  NotebookAnalysis,
  NotebookCell,
  NotebookDetail,
  NotebookRegisterResult,
  NotebookRun,
  NotebookSummary,
  NotebookVersion,
} from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { containsPattern, type Catalog, type WriteTx } from '../catalog/catalog.js';
import { toEntityName } from '../catalog/entity-name.js';
import type { VersionedKind } from '../catalog/versioned.js';
import type { NotebookReadOutput } from './notebook-tasks.js';
import type { RunTaskOutput } from './run-task.js';

interface NotebookRow {
  id: number;
  name: string;
  path: string;
  created_at: string;
}

interface VersionRow {
  id: number;
  notebook_id: number;
  version: number;
  sha256: string;
  source_sha256: string;
  bytes: number;
  path: string;
  analysis: string;
  cells: string;
  errors: number;
  warnings: number;
  infos: number;
  created_at: string;
  created_by: string;
}

interface RunRow {
  id: string;
  version_id: number;
  state: 'passed' | 'failed';
  python: string;
  started_at: string;
  duration_ms: number;
  result: string;
  executed_path: string | null;
}

const toVersion = (r: VersionRow): NotebookVersion => ({
  version: r.version,
  sha256: r.sha256,
  sourceSha256: r.source_sha256,
  bytes: r.bytes,
  path: r.path,
  createdAt: r.created_at,
  createdBy: r.created_by,
  findings: { error: r.errors, warning: r.warnings, info: r.infos },
});

export const NOTEBOOKS: VersionedKind = { table: 'notebooks', versions: 'notebook_versions', fk: 'notebook_id', noun: 'notebook', listCommand: 'greenhouse notebook list' };

/** A notebook name from its path: the file name without .ipynb. */
export function defaultNotebookName(path: string): string {
  const base = basename(path).replace(/\.ipynb$/i, '');
  return toEntityName(base, 'notebook');
}

const count = (a: NotebookAnalysis, s: 'error' | 'warning' | 'info') => a.findings.filter((f) => f.severity === s).length;

/** Notebooks in the catalog: versions by source hash, their file references and reproduce runs. */
export class NotebookRepo {
  constructor(private readonly catalog: Catalog) {}

  private require(name: string): NotebookRow {
    const row = this.catalog.read((db) => db.prepare('SELECT * FROM notebooks WHERE name = ?').get(name)) as NotebookRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No notebook named "${name}" in this workspace.`, { remedy: 'Check the name with "greenhouse notebook list", or register the .ipynb first.' });
    return row;
  }

  private versionRow(nb: NotebookRow, version?: number): VersionRow {
    const row = this.catalog.read((db) =>
      version === undefined
        ? db.prepare('SELECT * FROM notebook_versions WHERE notebook_id = ? ORDER BY version DESC LIMIT 1').get(nb.id)
        : db.prepare('SELECT * FROM notebook_versions WHERE notebook_id = ? AND version = ?').get(nb.id, version),
    ) as VersionRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `Notebook "${nb.name}" has no version ${version}.`, { remedy: `See its versions with "greenhouse notebook show ${nb.name}".` });
    return row;
  }

  list(query?: string): NotebookSummary[] {
    const rows = this.catalog.read((db) =>
      db
        .prepare(
          `SELECT n.name, v.path, v.version AS latest, v.analysis, v.errors, v.warnings, v.infos, v.created_at,
                  (SELECT count(*) FROM notebook_versions x WHERE x.notebook_id = n.id) AS versions,
                  (SELECT r.state FROM notebook_runs r WHERE r.version_id = v.id ORDER BY r.started_at DESC LIMIT 1) AS last_run
           FROM notebooks n
           JOIN notebook_versions v ON v.notebook_id = n.id
             AND v.version = (SELECT max(version) FROM notebook_versions y WHERE y.notebook_id = n.id)
           WHERE @q IS NULL OR n.name LIKE @q ESCAPE '\\' OR v.path LIKE @q ESCAPE '\\'
           ORDER BY v.created_at DESC, n.name`,
        )
        .all({ q: containsPattern(query) }),
    ) as (Pick<VersionRow, 'path' | 'analysis' | 'errors' | 'warnings' | 'infos' | 'created_at'> & { name: string; latest: number; versions: number; last_run: 'passed' | 'failed' | null })[];
    return rows.map((r) => ({
      name: r.name,
      path: r.path,
      latestVersion: r.latest,
      versions: r.versions,
      kernel: (JSON.parse(r.analysis) as NotebookAnalysis).kernel.name,
      findings: { error: r.errors, warning: r.warnings, info: r.infos },
      lastRun: r.last_run,
      updatedAt: r.created_at,
    }));
  }

  /** The stored raw file of a version (for the reproduce job) and the notebook's folder. */
  versionFile(name: string, version?: number): { sha256: string; path: string; version: number } {
    const nb = this.require(name);
    const v = this.versionRow(nb, version);
    return { sha256: v.sha256, path: v.path, version: v.version };
  }

  get(name: string, version?: number, links: (refs: { direction: 'read' | 'write'; path: string; sha256: string | null }[]) => LineageLink[] = () => []): NotebookDetail {
    const nb = this.require(name);
    const v = this.versionRow(nb, version);
    const versions = (this.catalog.read((db) => db.prepare('SELECT * FROM notebook_versions WHERE notebook_id = ? ORDER BY version').all(nb.id)) as VersionRow[]).map(toVersion);
    const refs = this.catalog.read((db) => db.prepare('SELECT direction, path, sha256 FROM notebook_file_refs WHERE version_id = ?').all(v.id)) as {
      direction: 'read' | 'write';
      path: string;
      sha256: string | null;
    }[];
    const runs = (this.catalog.read((db) => db.prepare('SELECT * FROM notebook_runs WHERE version_id = ? ORDER BY started_at DESC LIMIT 20').all(v.id)) as RunRow[]).map(
      (r): NotebookRun => {
        const res = JSON.parse(r.result) as Pick<NotebookRun, 'cells' | 'failedCell' | 'error'>;
        return { id: r.id, version: v.version, state: r.state, python: r.python, startedAt: r.started_at, durationMs: r.duration_ms, executedPath: r.executed_path, ...res };
      },
    );
    return {
      name: nb.name,
      createdAt: nb.created_at,
      versions,
      version: toVersion(v),
      analysis: JSON.parse(v.analysis) as NotebookAnalysis,
      cells: JSON.parse(v.cells) as NotebookCell[],
      links: links(refs),
      runs,
    };
  }

  /** Notebook versions that read or write a path or a hash: the other side of lineage links. */
  refsMatching(paths: string[], hashes: string[]): { name: string; version: number; direction: 'read' | 'write'; path: string; matchedBy: 'path' | 'sha256' }[] {
    if (paths.length === 0 && hashes.length === 0) return [];
    return this.catalog.read((db) => {
      const out: { name: string; version: number; direction: 'read' | 'write'; path: string; matchedBy: 'path' | 'sha256' }[] = [];
      const seen = new Set<string>();
      const q = db.prepare(
        `SELECT n.name, v.version, r.direction, r.path, r.sha256 FROM notebook_file_refs r
         JOIN notebook_versions v ON v.id = r.version_id JOIN notebooks n ON n.id = v.notebook_id
         WHERE r.path IN (SELECT value FROM json_each(@paths)) OR r.sha256 IN (SELECT value FROM json_each(@hashes))
         ORDER BY n.name, v.version`,
      );
      for (const r of q.all({ paths: JSON.stringify(paths), hashes: JSON.stringify(hashes) }) as { name: string; version: number; direction: 'read' | 'write'; path: string; sha256: string | null }[]) {
        const key = `${r.name}@${r.version}:${r.direction}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ name: r.name, version: r.version, direction: r.direction, path: r.path, matchedBy: paths.includes(r.path) ? 'path' : 'sha256' });
      }
      return out;
    });
  }

  recordRegistration(tx: WriteTx, name: string, out: NotebookReadOutput, actor: string): NotebookRegisterResult {
    let nb = tx.db.prepare('SELECT * FROM notebooks WHERE name = ?').get(name) as NotebookRow | undefined;
    if (nb) {
      const same = tx.db.prepare('SELECT version FROM notebook_versions WHERE notebook_id = ? AND source_sha256 = ?').get(nb.id, out.sourceSha256) as { version: number } | undefined;
      if (same) return { outcome: 'unchanged', name: nb.name, version: same.version, sha256: out.sha256, sourceSha256: out.sourceSha256 };
    }
    const now = new Date().toISOString();
    const created = !nb;
    if (!nb) {
      const id = Number(tx.db.prepare('INSERT INTO notebooks (name, path, created_at) VALUES (?, ?, ?)').run(name, out.path, now).lastInsertRowid);
      nb = tx.db.prepare('SELECT * FROM notebooks WHERE id = ?').get(id) as NotebookRow;
      tx.audit({ action: 'notebook.created', subject: name, details: { path: out.path } });
    } else if (nb.path !== out.path) {
      tx.db.prepare('UPDATE notebooks SET path = ? WHERE id = ?').run(out.path, nb.id);
    }
    const version = ((tx.db.prepare('SELECT max(version) AS v FROM notebook_versions WHERE notebook_id = ?').get(nb.id) as { v: number | null }).v ?? 0) + 1;
    const a = out.analysis;
    const versionId = Number(
      tx.db
        .prepare(
          `INSERT INTO notebook_versions (notebook_id, version, sha256, source_sha256, bytes, path, analysis, cells, errors, warnings, infos, created_at, created_by)
           VALUES (@notebook_id, @version, @sha256, @source_sha256, @bytes, @path, @analysis, @cells, @errors, @warnings, @infos, @created_at, @created_by)`,
        )
        .run({
          notebook_id: nb.id,
          version,
          sha256: out.sha256,
          source_sha256: out.sourceSha256,
          bytes: out.bytes,
          path: out.path,
          analysis: JSON.stringify(a),
          cells: JSON.stringify(out.cells),
          errors: count(a, 'error'),
          warnings: count(a, 'warning'),
          infos: count(a, 'info'),
          created_at: now,
          created_by: actor,
        }).lastInsertRowid,
    );
    const ref = tx.db.prepare('INSERT INTO notebook_file_refs (version_id, direction, path, sha256) VALUES (?, ?, ?, ?)');
    for (const r of a.reads) ref.run(versionId, 'read', r.path, r.sha256);
    for (const w of a.writes) ref.run(versionId, 'write', w.path, w.sha256);
    tx.audit({
      action: 'notebook.version.added',
      subject: `${nb.name}@${version}`,
      details: { sha256: out.sha256, sourceSha256: out.sourceSha256, path: out.path, findings: { error: count(a, 'error'), warning: count(a, 'warning') } },
    });
    return { outcome: created ? 'created' : 'new-version', name: nb.name, version, sha256: out.sha256, sourceSha256: out.sourceSha256 };
  }

  recordRun(tx: WriteTx, name: string, version: number, id: string, startedAt: string, out: RunTaskOutput): NotebookRun {
    const nb = tx.db.prepare('SELECT * FROM notebooks WHERE name = ?').get(name) as NotebookRow | undefined;
    const v = nb && (tx.db.prepare('SELECT id FROM notebook_versions WHERE notebook_id = ? AND version = ?').get(nb.id, version) as { id: number } | undefined);
    if (!nb || !v) throw new AppError('NOT_FOUND', `Notebook "${name}" version ${version} is gone.`);
    const result = { cells: out.cells, failedCell: out.failedCell, error: out.error };
    tx.db
      .prepare('INSERT INTO notebook_runs (id, version_id, state, python, started_at, duration_ms, result, executed_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, v.id, out.state, out.python, startedAt, out.durationMs, JSON.stringify(result), out.executedPath);
    tx.audit({
      action: out.state === 'passed' ? 'notebook.run.passed' : 'notebook.run.failed',
      subject: `${nb.name}@${version}`,
      details: { python: out.python, failedCell: out.failedCell, error: out.error ? `${out.error.ename}: ${out.error.evalue}` : null },
    });
    return { id, version, state: out.state, python: out.python, startedAt, durationMs: out.durationMs, executedPath: out.executedPath, ...result };
  }
}
