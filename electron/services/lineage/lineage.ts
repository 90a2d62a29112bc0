import type { LineageLink } from '../../../shared/contract/index.js';
import type { Catalog } from '../catalog/catalog.js';
import type { NotebookRepo } from '../notebooks/notebook-repo.js';

export interface FileRefKey {
  direction: 'read' | 'write';
  path: string;
  sha256: string | null;
}

/**
 * Lineage edges, computed when asked so they are never stale: a notebook's reads matched to
 * dataset versions (by path, else by the bytes' hash), and the reverse for a dataset's page.
 */
export class Lineage {
  constructor(
    private readonly catalog: Catalog,
    private readonly notebooks: NotebookRepo,
  ) {}

  /** Dataset versions a notebook's reads point at. */
  notebookLinks(refs: FileRefKey[]): LineageLink[] {
    const reads = refs.filter((r) => r.direction === 'read');
    if (reads.length === 0) return [];
    const rows = this.catalog.read((db) =>
      db
        .prepare(
          `SELECT d.name, v.version, v.sha256, v.source_path, f.value ->> '$.path' AS file_path, f.value ->> '$.sha256' AS file_sha
           FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id, json_each(v.files) f
           WHERE v.source_path IN (SELECT value FROM json_each(@paths)) OR f.value ->> '$.path' IN (SELECT value FROM json_each(@paths))
              OR v.sha256 IN (SELECT value FROM json_each(@hashes)) OR f.value ->> '$.sha256' IN (SELECT value FROM json_each(@hashes))
           ORDER BY d.name, v.version`,
        )
        .all({ paths: JSON.stringify(reads.map((r) => r.path)), hashes: JSON.stringify(reads.flatMap((r) => (r.sha256 ? [r.sha256] : []))) }),
    ) as { name: string; version: number; sha256: string; source_path: string; file_path: string; file_sha: string }[];
    const links = new Map<string, LineageLink>();
    for (const ref of reads) {
      // The version whose bytes match wins; else every version registered from that path.
      const byHash = ref.sha256 ? rows.filter((r) => r.sha256 === ref.sha256 || r.file_sha === ref.sha256) : [];
      const byPath = rows.filter((r) => r.source_path === ref.path || r.file_path === ref.path);
      const matched = byHash.length > 0 ? byHash.map((r) => [r, 'sha256'] as const) : byPath.map((r) => [r, 'path'] as const);
      for (const [r, matchedBy] of matched) {
        const key = `${r.name}@${r.version}`;
        if (!links.has(key)) links.set(key, { kind: 'dataset', name: r.name, version: r.version, relation: 'reads', matchedBy, path: ref.path });
      }
    }
    return [...links.values()];
  }

  /** Notebooks that read any version of a dataset. */
  datasetLinks(versions: { sourcePath: string; sha256: string; files: { path: string; sha256: string }[] }[]): LineageLink[] {
    const paths = [...new Set(versions.flatMap((v) => [v.sourcePath, ...v.files.map((f) => f.path)]))];
    const hashes = [...new Set(versions.flatMap((v) => [v.sha256, ...v.files.map((f) => f.sha256)]))];
    return this.notebooks
      .refsMatching(paths, hashes)
      .filter((r) => r.direction === 'read')
      .map((r) => ({ kind: 'notebook' as const, name: r.name, version: r.version, relation: 'read-by' as const, matchedBy: r.matchedBy, path: r.path }));
  }
}
