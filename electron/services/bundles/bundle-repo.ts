import type Database from 'better-sqlite3';
import type { BundleBuildState, BundleDetail, BundleExport, BundleStatus, BundleSummary, SmokeTestResult } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { AppErrorData } from '../../../shared/result.js';
import type { Catalog, WriteTx } from '../catalog/catalog.js';
import type { BuildTaskOutput } from './build-task.js';
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
  model_sha256: string;
}

interface BuildRow {
  id: number;
  state: 'succeeded' | 'failed';
  image_id: string | null;
  image_tag: string;
  image_bytes: number | null;
  manifest_ok: number | null;
  error: string | null;
  build_log_tail: string;
  duration_ms: number | null;
  built_at: string;
}

interface ExportRow {
  archive: string;
  sha256: string;
  bytes: number;
  tar_sha256: string;
  image_id: string | null;
  exported_at: string;
}

interface SmokeRow {
  image_id: string;
  passed: number;
  started_at: string;
  result: string;
}

/** A bundle as the build and smoke-test jobs need it. */
export interface BundleTarget {
  id: number;
  name: string;
  version: number;
  subject: string;
  path: string;
  strategy: BundleSummary['strategy'];
  baseImage: string;
  imageTag: string;
  manifestSha256: string;
  modelSha256: string;
  /** The image of the last successful build of the bundle as it is now, else null. */
  imageId: string | null;
  imageBytes: number | null;
}

const SELECT = `SELECT b.*, m.name, v.version, v.sha256 AS model_sha256 FROM bundles b JOIN model_versions v ON v.id = b.model_version JOIN models m ON m.id = v.model_id`;

/** Builds of the bundle as it is now (a bundle written again has a new manifest), newest first. */
const builds = (db: Database.Database, r: BundleRow) =>
  db.prepare('SELECT * FROM bundle_builds WHERE bundle_id = ? AND manifest_sha256 = ? ORDER BY id DESC').all(r.id, r.manifest_sha256) as BuildRow[];

function buildState(db: Database.Database, r: BundleRow) {
  const all = builds(db, r);
  const ok = all.find((b) => b.state === 'succeeded') ?? null;
  const smoke = ok
    ? ((db.prepare('SELECT image_id, passed, started_at, result FROM bundle_smoke_tests WHERE bundle_id = ? AND image_id = ? ORDER BY id DESC LIMIT 1').get(r.id, ok.image_id) as SmokeRow | undefined) ?? null)
    : null;
  const exported = (db.prepare('SELECT * FROM bundle_exports WHERE bundle_id = ? AND manifest_sha256 = ? ORDER BY id DESC LIMIT 1').get(r.id, r.manifest_sha256) as ExportRow | undefined) ?? null;
  return { last: all[0] ?? null, ok, smoke, exported };
}

/** Where the bundle stands: the smoke test of its image, else its builds. */
function statusOf(s: ReturnType<typeof buildState>): BundleStatus {
  if (s.smoke) return s.smoke.passed === 1 ? 'tested' : 'smoke-failed';
  if (s.last?.state === 'failed') return 'build-failed';
  return s.ok ? 'built' : 'written';
}

const toExport = (e: ExportRow): BundleExport => ({
  archive: e.archive,
  sha256: e.sha256,
  bytes: e.bytes,
  tarSha256: e.tar_sha256,
  includesImage: e.image_id !== null,
  imageId: e.image_id,
  at: e.exported_at,
});

const toBuildState = (b: BuildRow): BundleBuildState => ({
  state: b.state,
  at: b.built_at,
  imageId: b.image_id,
  durationMs: b.duration_ms,
  error: b.error ? (JSON.parse(b.error) as AppErrorData).message : null,
  logTail: JSON.parse(b.build_log_tail) as string[],
  manifestOk: b.manifest_ok === null ? null : b.manifest_ok === 1,
});

const toSummary = (r: BundleRow, s: ReturnType<typeof buildState>): BundleSummary => ({
  name: r.name,
  version: r.version,
  model: { name: r.name, version: r.version },
  path: r.path,
  strategy: r.strategy,
  baseImage: r.base_image,
  imageTag: r.image_tag,
  createdAt: r.created_at,
  createdBy: r.created_by,
  image: s.ok ? { id: s.ok.image_id!, tag: s.ok.image_tag, bytes: s.ok.image_bytes, builtAt: s.ok.built_at } : null,
  smoke: s.smoke ? { passed: s.smoke.passed === 1, at: s.smoke.started_at, imageId: s.smoke.image_id } : null,
  status: statusOf(s),
  lastExport: s.exported ? toExport(s.exported) : null,
});

/** Bundles written for model versions. */
export class BundleRepo {
  constructor(private readonly catalog: Catalog) {}

  list(model?: string): BundleSummary[] {
    return this.catalog.read((db) => {
      const rows = db.prepare(`${SELECT} WHERE @m IS NULL OR m.name = @m ORDER BY b.created_at DESC`).all({ m: model ?? null }) as BundleRow[];
      return rows.map((r) => toSummary(r, buildState(db, r)));
    });
  }

  get(name: string, version: number): BundleDetail {
    return this.catalog.read((db) => {
      const row = this.row(db, name, version);
      const s = buildState(db, row);
      return {
        ...toSummary(row, s),
        files: JSON.parse(row.files) as BundleDetail['files'],
        manifestSha256: row.manifest_sha256,
        signatureFingerprint: row.fingerprint,
        lastBuild: s.last ? toBuildState(s.last) : null,
        lastSmokeTest: s.smoke ? (JSON.parse(s.smoke.result) as SmokeTestResult) : null,
      };
    });
  }

  /** The bundle of NAME@VERSION, or of the model's latest bundled version when no version is given. */
  target(name: string, version?: number): BundleTarget {
    return this.catalog.read((db) => {
      const row = version === undefined ? this.latestRow(db, name) : this.row(db, name, version);
      const s = buildState(db, row);
      return {
        id: row.id,
        name: row.name,
        version: row.version,
        subject: `${row.name}@${row.version}`,
        path: row.path,
        strategy: row.strategy,
        baseImage: row.base_image,
        imageTag: row.image_tag,
        manifestSha256: row.manifest_sha256,
        modelSha256: row.model_sha256,
        imageId: s.ok?.image_id ?? null,
        imageBytes: s.ok?.image_bytes ?? null,
      };
    });
  }

  private row(db: Database.Database, name: string, version: number): BundleRow {
    const row = db.prepare(`${SELECT} WHERE m.name = ? AND v.version = ?`).get(name, version) as BundleRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No bundle of ${name}@${version}.`, { remedy: `Create it with "greenhouse bundle create ${name}@${version}".` });
    return row;
  }

  private latestRow(db: Database.Database, name: string): BundleRow {
    const row = db.prepare(`${SELECT} WHERE m.name = ? ORDER BY v.version DESC LIMIT 1`).get(name) as BundleRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No bundle of ${name}.`, { remedy: `Create one with "greenhouse bundle create ${name}".` });
    return row;
  }

  /**
   * Record a successful image build of the bundle and audit it. When the build re-signed the
   * manifest with the image id, the bundle as it is now is the re-signed one: the build belongs
   * to it.
   */
  recordBuild(tx: WriteTx, target: BundleTarget, out: BuildTaskOutput, jobId: string | null, actor: string): void {
    const manifest = out.resigned?.manifestSha256 ?? target.manifestSha256;
    if (out.resigned) tx.db.prepare('UPDATE bundles SET manifest_sha256 = ? WHERE id = ?').run(manifest, target.id);
    tx.db
      .prepare(
        `INSERT INTO bundle_builds (bundle_id, manifest_sha256, state, image_id, image_tag, image_bytes, manifest_ok, error, build_log_tail, job_id, duration_ms, built_at, built_by)
         VALUES (@bundle, @manifest, 'succeeded', @image, @tag, @bytes, @ok, NULL, @log, @job, @ms, @at, @by)`,
      )
      .run({ bundle: target.id, manifest, image: out.imageId, tag: out.tag, bytes: out.bytes, ok: out.manifest.ok ? 1 : 0, log: JSON.stringify(out.logTail), job: jobId, ms: out.durationMs, at: out.builtAt, by: actor });
    tx.audit({
      action: 'bundle.built',
      subject: target.subject,
      details: { imageId: out.imageId, tag: out.tag, bytes: out.bytes, durationMs: out.durationMs, steps: out.steps, manifestOk: out.manifest.ok, resigned: out.resigned?.manifestSha256 ?? null, ...(out.manifest.ok ? {} : { manifestProblems: out.manifest.problems.slice(0, 10) }) },
    });
  }

  /** Record a build that failed: the bundle keeps the error and the end of the log. */
  recordFailedBuild(tx: WriteTx, target: BundleTarget, error: AppErrorData, jobId: string | null, actor: string, at: string): void {
    const tail = error.message.split('\n').slice(-30);
    tx.db
      .prepare(
        `INSERT INTO bundle_builds (bundle_id, manifest_sha256, state, image_id, image_tag, image_bytes, manifest_ok, error, build_log_tail, job_id, duration_ms, built_at, built_by)
         VALUES (@bundle, @manifest, 'failed', NULL, @tag, NULL, NULL, @error, @log, @job, NULL, @at, @by)`,
      )
      .run({ bundle: target.id, manifest: target.manifestSha256, tag: target.imageTag, error: JSON.stringify({ code: error.code, message: error.message, remedy: error.remedy }), log: JSON.stringify(tail), job: jobId, at, by: actor });
    tx.audit({ action: 'bundle.build_failed', subject: target.subject, details: { code: error.code, error: error.message.split('\n')[0] } });
  }

  /** Record an export of the bundle as it is now and audit it. */
  recordExport(tx: WriteTx, target: BundleTarget, out: BundleExport, jobId: string | null, actor: string): void {
    tx.db
      .prepare(
        `INSERT INTO bundle_exports (bundle_id, manifest_sha256, archive, sha256, bytes, tar_sha256, image_id, job_id, exported_at, exported_by)
         VALUES (@bundle, @manifest, @archive, @sha, @bytes, @tar, @image, @job, @at, @by)`,
      )
      .run({ bundle: target.id, manifest: target.manifestSha256, archive: out.archive, sha: out.sha256, bytes: out.bytes, tar: out.tarSha256, image: out.imageId, job: jobId, at: out.at, by: actor });
    tx.audit({ action: 'bundle.exported', subject: target.subject, details: { archive: out.archive, sha256: out.sha256, bytes: out.bytes, imageId: out.imageId } });
  }

  /** Record a smoke test of the bundle's image and audit it. */
  recordSmokeTest(tx: WriteTx, target: BundleTarget, result: SmokeTestResult, jobId: string | null, actor: string): void {
    const p = result.parity;
    const matched = Math.min(p.predict.matched, p.v2.matched);
    tx.db
      .prepare(
        `INSERT INTO bundle_smoke_tests (bundle_id, image_id, passed, network, golden_examples, golden_matched, max_deviation, latency_p50_ms, latency_p95_ms,
           malformed_rejected, pytest_summary, result, job_id, started_at, duration_ms, run_by)
         VALUES (@bundle, @image, @passed, @network, @examples, @matched, @dev, @p50, @p95, @malformed, @pytest, @result, @job, @at, @ms, @by)`,
      )
      .run({
        bundle: target.id,
        image: result.image.id,
        passed: result.passed ? 1 : 0,
        network: result.network,
        examples: p.examples,
        matched,
        dev: p.maxDifference,
        p50: result.latencyMs.p50,
        p95: result.latencyMs.p95,
        malformed: result.malformedRejected ? 1 : 0,
        pytest: result.pytest.summary,
        result: JSON.stringify(result),
        job: jobId,
        at: result.startedAt,
        ms: result.durationMs,
        by: actor,
      });
    tx.audit({
      action: 'bundle.smoke_tested',
      subject: target.subject,
      details: {
        passed: result.passed,
        imageId: result.image.id,
        failed: result.checks.filter((c) => !c.ok).map((c) => c.id),
        parity: { examples: p.examples, matched, maxDifference: p.maxDifference },
        latencyMs: { p50: result.latencyMs.p50, p95: result.latencyMs.p95 },
        malformedRejected: result.malformedRejected,
        pytest: result.pytest.summary,
      },
    });
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
