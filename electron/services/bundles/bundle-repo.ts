import type { BundleDetail, BundleSummary } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { Catalog, WriteTx } from '../catalog/catalog.js';
import type { BundleTaskOutput } from './write-bundle.js';

interface BundleRow {
  id: number;
  model_version: number;
  path: string;
  strategy: BundleSummary['strategy'];
  base_image: string;
  image_tag: string;
  files: string;
  manifest_sha256: string;
  fingerprint: string;
  created_at: string;
  created_by: string;
  name: string;
  version: number;
}

const SELECT = `SELECT b.*, m.name, v.version FROM bundles b JOIN model_versions v ON v.id = b.model_version JOIN models m ON m.id = v.model_id`;

const toSummary = (r: BundleRow): BundleSummary => ({
  name: r.name,
  version: r.version,
  model: { name: r.name, version: r.version },
  path: r.path,
  strategy: r.strategy,
  baseImage: r.base_image,
  imageTag: r.image_tag,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

/** Bundles written for model versions. */
export class BundleRepo {
  constructor(private readonly catalog: Catalog) {}

  list(model?: string): BundleSummary[] {
    const rows = this.catalog.read((db) => db.prepare(`${SELECT} WHERE @m IS NULL OR m.name = @m ORDER BY b.created_at DESC`).all({ m: model ?? null })) as BundleRow[];
    return rows.map(toSummary);
  }

  get(name: string, version: number): BundleDetail {
    const row = this.catalog.read((db) => db.prepare(`${SELECT} WHERE m.name = ? AND v.version = ?`).get(name, version)) as BundleRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No bundle of ${name}@${version}.`, { remedy: `Create it with "greenhouse bundle create ${name}@${version}".` });
    return { ...toSummary(row), files: JSON.parse(row.files) as BundleDetail['files'], manifestSha256: row.manifest_sha256, signatureFingerprint: row.fingerprint };
  }

  /** Record a written bundle and make its model version immutable. */
  record(tx: WriteTx, modelVersionId: number, subject: string, strategy: BundleSummary['strategy'], out: BundleTaskOutput, actor: string): void {
    const now = new Date().toISOString();
    tx.db
      .prepare(
        `INSERT INTO bundles (model_version, path, strategy, base_image, image_tag, files, manifest_sha256, fingerprint, created_at, created_by)
         VALUES (@mv, @path, @strategy, @base, @tag, @files, @sha, @fp, @at, @by)
         ON CONFLICT (model_version) DO UPDATE SET path = excluded.path, strategy = excluded.strategy, base_image = excluded.base_image, image_tag = excluded.image_tag,
           files = excluded.files, manifest_sha256 = excluded.manifest_sha256, fingerprint = excluded.fingerprint, created_at = excluded.created_at, created_by = excluded.created_by`,
      )
      .run({ mv: modelVersionId, path: out.path, strategy, base: out.baseImage, tag: out.imageTag, files: JSON.stringify(out.files), sha: out.manifestSha256, fp: out.fingerprint, at: now, by: actor });
    tx.db.prepare('UPDATE model_versions SET bundled = 1 WHERE id = ?').run(modelVersionId);
    tx.audit({ action: 'bundle.written', subject, details: { path: out.path, files: out.files.length, manifestSha256: out.manifestSha256, fingerprint: out.fingerprint, strategy } });
  }
}
