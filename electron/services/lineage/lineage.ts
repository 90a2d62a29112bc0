import type { LineageEdge, LineageGraph, LineageLink, LineageNode } from '../../../shared/contract/index.js';
import type { Catalog } from '../catalog/catalog.js';
import type { ModelRepo } from '../models/model-repo.js';
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
    private readonly models: ModelRepo,
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

  /** Notebooks that write a model's file (by the path they write to, or the bytes' hash). */
  modelWrittenBy(sourcePath: string, sha256: string): LineageLink[] {
    return this.notebooks
      .refsMatching([sourcePath], [sha256])
      .filter((r) => r.direction === 'write')
      .map((r) => ({ kind: 'notebook' as const, name: r.name, version: r.version, relation: 'written-by' as const, matchedBy: r.matchedBy, path: r.path }));
  }

  /**
   * The lineage graph: dataset versions read by notebook versions, which wrote model versions
   * (recorded at registration, or matched by the file they write), trained and evaluated on dataset
   * versions, in environments, packaged in bundles, handing drifted batches back as dataset
   * versions. Every latest version is shown, older ones only when connected.
   * With `focus`, only what flows into and out of that node.
   */
  graph(focus?: string): LineageGraph {
    const nodes = new Map<string, LineageNode & { latest: boolean }>();
    const edges = new Map<string, LineageEdge>();
    const id = (kind: LineageNode['kind'], name: string, version: number) => `${kind}:${name}@${version}`;
    const edge = (source: string, target: string, relation: LineageEdge['relation']) => edges.set(`${source}>${target}:${relation}`, { source, target, relation });
    const fmt = (n: number) => n.toLocaleString('en-US');

    const datasets = this.catalog.read((db) =>
      db.prepare(`SELECT v.id, d.name, v.version, v.rows, v.version = (SELECT max(version) FROM dataset_versions x WHERE x.dataset_id = d.id) AS latest
                  FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id`).all(),
    ) as { id: number; name: string; version: number; rows: number; latest: number }[];
    const datasetById = new Map<number, string>();
    for (const d of datasets) {
      const key = id('dataset', d.name, d.version);
      datasetById.set(d.id, key);
      nodes.set(key, { id: key, kind: 'dataset', name: d.name, version: d.version, detail: `${fmt(d.rows)} rows`, latest: d.latest === 1 });
    }
    const notebooks = this.catalog.read((db) =>
      db.prepare(`SELECT v.id, n.name, v.version, v.version = (SELECT max(version) FROM notebook_versions x WHERE x.notebook_id = n.id) AS latest
                  FROM notebook_versions v JOIN notebooks n ON n.id = v.notebook_id`).all(),
    ) as { id: number; name: string; version: number; latest: number }[];
    const notebookById = new Map<number, string>();
    const refs = this.catalog.read((db) => db.prepare('SELECT version_id, direction, path, sha256 FROM notebook_file_refs').all()) as ({ version_id: number } & FileRefKey)[];
    for (const n of notebooks) {
      const key = id('notebook', n.name, n.version);
      notebookById.set(n.id, key);
      nodes.set(key, { id: key, kind: 'notebook', name: n.name, version: n.version, detail: 'notebook', latest: n.latest === 1 });
      for (const l of this.notebookLinks(refs.filter((r) => r.version_id === n.id))) edge(id('dataset', l.name, l.version!), key, 'read-by');
    }
    const environments = this.catalog.read((db) =>
      db.prepare('SELECT v.id, e.name, v.version, v.python ->> \'$.version\' AS python FROM environment_versions v JOIN environments e ON e.id = v.environment_id').all(),
    ) as { id: number; name: string; version: number; python: string | null }[];
    const environmentById = new Map(environments.map((e) => [e.id, e]));
    const latestModel = new Map<string, number>();
    const models = this.models.allVersions();
    for (const m of models) latestModel.set(m.name, Math.max(latestModel.get(m.name) ?? 0, m.version));
    for (const m of models) {
      const key = id('model', m.name, m.version);
      nodes.set(key, { id: key, kind: 'model', name: m.name, version: m.version, detail: m.className, latest: latestModel.get(m.name) === m.version });
      for (const t of m.training) if (datasetById.has(t)) edge(datasetById.get(t)!, key, 'trained');
      if (m.evaluationVersion !== null && datasetById.has(m.evaluationVersion)) edge(datasetById.get(m.evaluationVersion)!, key, 'evaluated');
      if (m.notebookVersion !== null && notebookById.has(m.notebookVersion)) edge(notebookById.get(m.notebookVersion)!, key, 'wrote');
      for (const l of this.modelWrittenBy(m.sourcePath, m.sha256)) edge(id('notebook', l.name, l.version!), key, 'wrote');
      const env = m.environmentVersion !== null ? environmentById.get(m.environmentVersion) : undefined;
      if (env) {
        const envKey = id('environment', env.name, env.version);
        nodes.set(envKey, { id: envKey, kind: 'environment', name: env.name, version: env.version, detail: env.python ? `Python ${env.python}` : 'requirements', latest: false });
        edge(envKey, key, 'environment-of');
      }
    }

    // Bundles of model versions, and drifted batches handed back as candidate retraining data.
    const modelById = new Map(models.map((m) => [m.id, id('model', m.name, m.version)]));
    const bundles = this.catalog.read((db) => db.prepare('SELECT model_version, image_tag FROM bundles').all()) as { model_version: number; image_tag: string }[];
    for (const b of bundles) {
      const model = models.find((m) => m.id === b.model_version);
      if (!model) continue;
      const key = id('bundle', model.name, model.version);
      nodes.set(key, { id: key, kind: 'bundle', name: model.name, version: model.version, detail: b.image_tag, latest: false });
      edge(modelById.get(model.id)!, key, 'packaged-in');
    }
    const handBacks = this.catalog.read((db) => db.prepare('SELECT DISTINCT model_version, dataset_version FROM drift_handbacks').all()) as { model_version: number; dataset_version: number }[];
    for (const h of handBacks) {
      if (modelById.has(h.model_version) && datasetById.has(h.dataset_version)) edge(modelById.get(h.model_version)!, datasetById.get(h.dataset_version)!, 'handed-back');
    }

    let keep: Set<string>;
    if (focus) {
      if (!nodes.has(focus)) return { nodes: [], edges: [] };
      keep = new Set([focus]);
      // Upstream and downstream of the focus, each followed in its own direction.
      for (const dir of ['up', 'down'] as const) {
        const queue = [focus];
        while (queue.length > 0) {
          const at = queue.pop()!;
          for (const e of edges.values()) {
            const next = dir === 'up' ? (e.target === at ? e.source : null) : e.source === at ? e.target : null;
            if (next && !keep.has(next)) {
              keep.add(next);
              queue.push(next);
            }
          }
        }
      }
    } else {
      const connected = new Set([...edges.values()].flatMap((e) => [e.source, e.target]));
      keep = new Set([...nodes.values()].filter((n) => connected.has(n.id) || (n.latest && n.kind !== 'environment')).map((n) => n.id));
    }
    const kindOrder: LineageNode['kind'][] = ['dataset', 'notebook', 'environment', 'model', 'bundle'];
    return {
      nodes: [...nodes.values()]
        .filter((n) => keep.has(n.id))
        .map(({ latest: _latest, ...n }) => n)
        .sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || a.name.localeCompare(b.name) || a.version - b.version),
      edges: [...edges.values()].filter((e) => keep.has(e.source) && keep.has(e.target)),
    };
  }
}
