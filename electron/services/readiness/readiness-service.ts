// Readiness of a workspace's bundle: the facts gathered from the catalog and the bundle folder,
// the evaluated checklist, the report's data, and the documents written beside the bundle's files
// (readiness.json, readiness-report.html, reviews.json and its signature). The documents are not
// in the signed manifest (they change as people attest and review); each names the manifest it
// is about, and reviews.json is signed with the workspace's key.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ColumnProfile, ReadinessReport, Review } from '../../../shared/contract/index.js';
import { readinessReport } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { BUNDLE_FILES } from '../bundles/layout.js';
import { parseManifest, stableJson, type BundleManifest } from '../bundles/manifest.js';
import { loadSigningKey } from '../bundles/signing.js';
import { bundleFolderName } from '../bundles/write-bundle.js';
import { toEnvironmentVersion } from '../environments/environment-repo.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { WorkspaceSession } from '../workspace/workspace-session.js';
import { DEFAULT_READINESS_SETTINGS, evaluateReadiness, type ReadinessInputs } from './evaluate.js';
import type { ReadinessSubject } from './readiness-repo.js';
import type { ReportData } from './report-data.js';
import { scanBundleFiles, scanText } from './secrets.js';

const readText = (path: string) => readFile(path, 'utf8').catch(() => null);

/** The bundle folder of NAME@VERSION in a workspace. */
export const bundleDirOf = (ws: WorkspaceSession, name: string, version: number) => join(ws.paths.bundles, bundleFolderName(name, version));

/** The code cells' sources of a notebook file (nbformat 4), for the privacy scan. */
async function notebookSources(path: string): Promise<string | null> {
  const raw = await readText(path);
  if (raw === null) return null;
  try {
    const nb = JSON.parse(raw) as { cells?: { source?: string | string[] }[] };
    return (nb.cells ?? []).map((c) => (Array.isArray(c.source) ? c.source.join('') : (c.source ?? ''))).join('\n');
  } catch {
    return raw;
  }
}

/** Everything the checklist is evaluated from, for one bundle of the workspace. */
export async function gatherReadiness(ws: WorkspaceSession, name: string, version: number): Promise<{ inputs: ReadinessInputs; subject: ReadinessSubject; dir: string; manifest: BundleManifest | null }> {
  const bundle = ws.bundles.get(name, version);
  const target = ws.bundles.target(name, version);
  const dir = bundleDirOf(ws, name, version);
  const manifestRaw = await readFile(join(dir, BUNDLE_FILES.manifest)).catch(() => null);
  let manifest: BundleManifest | null = null;
  try {
    manifest = manifestRaw ? parseManifest(manifestRaw) : null;
  } catch {
    manifest = null;
  }
  const model = ws.models.get(name, version, (path, sha) => ws.lineage.modelWrittenBy(path, sha));
  const ids = ws.models.versionIds(name, version);
  const envRow = ids.environment === null ? null : (ws.environments.versionById(ids.environment) ?? null);
  const env = envRow ? toEnvironmentVersion(envRow) : null;
  const firstTraining = model.lineage.training[0] ?? null;
  const training = firstTraining ? ws.datasets.profile(firstTraining.name, firstTraining.version) : null;
  let notebook: ReadinessInputs['notebook'] = null;
  let notebookFindings: ReadinessInputs['notebookFindings'] = [];
  if (model.lineage.notebook) {
    const nb = ws.notebooks.get(model.lineage.notebook.name, model.lineage.notebook.version);
    notebook = { name: nb.name, version: nb.version.version, runs: nb.runs };
    const file = ws.notebooks.versionFile(nb.name, nb.version.version);
    const sources = await notebookSources(ws.objects.pathOf(file.sha256));
    if (sources !== null) notebookFindings = scanText(sources, `${nb.name}@${nb.version.version} (notebook)`);
  }
  // The previous bundled version of the same model, for dependency changes.
  const earlier = ws.bundles.list(name).filter((b) => b.version < version).sort((a, b) => b.version - a.version)[0] ?? null;
  const previousRequirements = earlier ? await readText(join(bundleDirOf(ws, name, earlier.version), BUNDLE_FILES.requirements)) : null;
  const subject: ReadinessSubject = { bundleId: target.id, subject: target.subject, manifestSha256: bundle.manifestSha256 };
  const inputs: ReadinessInputs = {
    bundle,
    manifest,
    model,
    environment: envRow && env ? { name: envRow.name, version: envRow.version, python: env.python?.version ?? env.pythonRequires, packages: env.packages } : null,
    training: training ? { name: firstTraining!.name, version: training.version.version, createdAt: training.version.createdAt, columns: training.columns } : null,
    notebook,
    requirements: await readText(join(dir, BUNDLE_FILES.requirements)),
    deployment: await readText(join(dir, BUNDLE_FILES.k8sDeployment)),
    bundleSecrets: await scanBundleFiles(
      dir,
      bundle.files.map((f) => f.path),
      [BUNDLE_FILES.publicKey],
    ),
    notebookFindings,
    previous: earlier && previousRequirements !== null ? { version: earlier.version, requirements: previousRequirements } : null,
    attestations: ws.readiness.attestations(target.id),
    overrides: ws.readiness.overrides(target.id, bundle.manifestSha256),
    reviews: ws.readiness.reviews(target.id),
    settings: DEFAULT_READINESS_SETTINGS,
    drift: ws.drift.latest(ids.id),
  };
  return { inputs, subject, dir, manifest };
}

/** Evaluate the readiness of NAME@VERSION now. */
export async function readinessOf(ws: WorkspaceSession, name: string, version: number): Promise<ReadinessReport> {
  const { inputs } = await gatherReadiness(ws, name, version);
  return evaluateReadiness(inputs);
}

/** What the HTML report shows beside the checklist. */
export async function reportDataOf(ws: WorkspaceSession, name: string, version: number, gathered?: Awaited<ReturnType<typeof gatherReadiness>>): Promise<ReportData> {
  const { inputs, dir } = gathered ?? (await gatherReadiness(ws, name, version));
  const readiness = evaluateReadiness(inputs);
  const m = inputs.model;
  const reference = JSON.parse((await readText(join(dir, BUNDLE_FILES.reference))) ?? 'null') as ReportData['reference'] | null;
  const sbomDoc = JSON.parse((await readText(join(dir, BUNDLE_FILES.sbom))) ?? '{"components":[]}') as { components?: { type: string; name: string; version?: string; purl?: string; licenses?: { license?: { id?: string; name?: string } }[] }[] };
  const training = inputs.training;
  return {
    readiness,
    card: m.card,
    signature: m.signature,
    metrics: m.metrics,
    training: training ? { name: training.name, version: training.version, rows: ws.datasets.profile(training.name, training.version).version.rows, columns: training.columns } : { name: '', version: 0, rows: 0, columns: [] },
    lineage: ws.lineage.graph(`model:${name}@${version}`),
    environment: inputs.environment ?? { name: '', version: 0, python: null, packages: [] },
    sbom: {
      components: (sbomDoc.components ?? [])
        .filter((c) => c.type === 'library')
        .map((c) => ({ name: c.name, version: c.version ?? '', purl: c.purl ?? null, license: c.licenses?.[0]?.license?.id ?? c.licenses?.[0]?.license?.name ?? null })),
    },
    smoke: inputs.bundle.lastSmokeTest,
    scan: m.scan,
    reference: reference ?? { dataset: { name: '', version: 0, sha256: '', rows: 0 }, columns: [] as ColumnProfile[] },
    drift: inputs.drift ? { at: inputs.drift.checkedAt, drift: inputs.drift.drift, features: inputs.drift.features } : null,
  };
}

/** readiness.json's exact bytes (validated against its schema first). */
export const readinessJson = (report: ReadinessReport) => stableJson(readinessReport.parse(report));

/** reviews.json and its signature, rewritten whole from the catalog after each review. */
export async function writeReviewsFile(ws: WorkspaceSession, dir: string, subject: ReadinessSubject, reviews: Review[]): Promise<void> {
  const doc = { schema: 'greenhouse.reviews/1', bundle: subject.subject, reviews };
  const bytes = Buffer.from(stableJson(doc), 'utf8');
  const key = await loadSigningKey(ws.paths.root);
  try {
    await writeFileAtomic(join(dir, BUNDLE_FILES.reviews), bytes);
    await writeFileAtomic(join(dir, BUNDLE_FILES.reviewsSignature), `${key.sign(bytes)}\n`);
  } catch (e) {
    throw new AppError('IO_ERROR', `The review was recorded, but ${BUNDLE_FILES.reviews} could not be written into ${dir}: ${(e as Error).message}`, {
      remedy: 'Check that the bundle folder is writable; the next review or report rewrites the file.',
      cause: e,
    });
  }
}

