import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BundleOptions, ColumnProfile, EnvPackage, ModelDetail } from '../../../shared/contract/index.js';
import type { Task } from '../jobs/task.js';
import { resourcePath } from '../resources.js';
import { defaultBaseImage, renderDockerfile, renderDockerignore, renderRequirements, requiredPackages, SERVICE_UID, VERSION_CHECK_FILE, VERSION_CHECK_SCRIPT } from './dockerfile.js';
import { deployFiles, dnsLabel } from './deploy-files.js';
import { BUNDLE_FILES } from './layout.js';
import { readGitProvenance, stableJson, writeSignedManifest, type ManifestFile } from './manifest.js';
import { goldenFile, modelFileName, neededPackages, referenceProfile, servingMetadata } from './model-files.js';
import { sbomJson } from './sbom.js';

type VersionedRef = { name: string; version: number; sha256: string };

/** Everything the bundle job needs, resolved from the catalog before it starts. */
export interface BundleTaskInput {
  /** <workspace>/bundles */
  bundlesDir: string;
  createdAt: string;
  createdBy: string;
  model: ModelDetail;
  /** The model's bytes in the object store. */
  storedModelPath: string;
  environment: VersionedRef & { python: string | null; packages: EnvPackage[] };
  datasets: (VersionedRef & { role: 'training' | 'evaluation' })[];
  notebook: VersionedRef | null;
  reference: { dataset: VersionedRef & { rows: number }; columns: ColumnProfile[] };
  /** model-card.md */
  card: string;
  options: BundleOptions;
  /** The base image's registry digest ("sha256:…") when the engine knows it: FROM is pinned to it. */
  baseDigest: string | null;
}

export interface BundleTaskOutput {
  path: string;
  imageTag: string;
  baseImage: string;
  files: ManifestFile[];
  manifestSha256: string;
  fingerprint: string;
}

/** The bundle's folder name: NAME-VERSION. */
export const bundleFolderName = (name: string, version: number) => `${name.replace(/[^\w.-]+/g, '_')}-${version}`;

/** The image tag: greenhouse/<dns-safe name>:<version>. */
export const bundleImageTag = (name: string, version: number) => `greenhouse/${dnsLabel(name)}:${version}`;

/**
 * bundles.create: write every file of the hand-off bundle into a temporary folder beside the
 * target, sign its manifest, then rename it into bundles/NAME-VERSION (replacing an older
 * bundle of the same version whole). A failure or cancel leaves the previous bundle as it was.
 */
export const writeBundle: Task<BundleTaskInput, BundleTaskOutput> = async (input, ctx) => {
  const d = input.model;
  const name = d.name;
  const version = d.version.version;
  const target = join(input.bundlesDir, bundleFolderName(name, version));
  const tmp = join(input.bundlesDir, `.${bundleFolderName(name, version)}.${process.pid}.${Date.now()}.tmp`);
  const imageTag = bundleImageTag(name, version);
  const baseImage = input.options.baseImage ?? defaultBaseImage(input.environment.python);
  await mkdir(tmp, { recursive: true });
  try {
    ctx.progress(0.05, 'Choosing the libraries to pin…');
    const packages = requiredPackages(input.environment.packages, neededPackages(d.scan));
    const git = await readGitProvenance(dirname(input.bundlesDir));
    const put = async (rel: string, content: string) => {
      await mkdir(dirname(join(tmp, rel)), { recursive: true });
      await writeFile(join(tmp, rel), content);
    };
    const labels: Record<string, string> = {
      'org.opencontainers.image.title': name,
      'org.opencontainers.image.version': String(version),
      'org.opencontainers.image.created': input.createdAt,
      'org.opencontainers.image.description': `${d.introspection.className} (${d.introspection.framework}) served by Greenhouse`,
      'org.opencontainers.image.base.name': baseImage,
      ...(input.baseDigest ? { 'org.opencontainers.image.base.digest': input.baseDigest } : {}),
      'io.greenhouse.model.sha256': d.version.sha256,
      'io.greenhouse.environment.sha256': input.environment.sha256,
      'io.greenhouse.datasets': input.datasets.map((x) => `${x.role}:${x.name}@${x.version}:${x.sha256}`).join(' '),
      ...(input.notebook ? { 'io.greenhouse.notebook.sha256': input.notebook.sha256 } : {}),
      ...(git ? { 'org.opencontainers.image.revision': git.commit } : {}),
    };
    ctx.progress(0.1, 'Writing the Dockerfile and the serving app…');
    await put(BUNDLE_FILES.dockerfile, renderDockerfile({ baseImage, baseDigest: input.baseDigest, strategy: input.options.strategy, packages, modelFile: modelFileName(d.version.format), labels, bundleName: name }));
    await put(BUNDLE_FILES.dockerignore, renderDockerignore());
    await put(BUNDLE_FILES.requirements, renderRequirements(packages));
    if (input.options.strategy === 'base') await put(VERSION_CHECK_FILE, VERSION_CHECK_SCRIPT);
    for (const [from, to] of [
      ['server.py', BUNDLE_FILES.server],
      ['drift.py', BUNDLE_FILES.drift],
      ['test_model.py', BUNDLE_FILES.tests],
    ] as const) {
      await mkdir(dirname(join(tmp, to)), { recursive: true });
      await copyFile(resourcePath('serving', from), join(tmp, to));
    }
    ctx.signal.throwIfAborted();

    ctx.progress(0.2, 'Copying the model…');
    await mkdir(join(tmp, BUNDLE_FILES.modelDir), { recursive: true });
    await copyFile(input.storedModelPath, join(tmp, modelFileName(d.version.format)));
    await put(BUNDLE_FILES.metadata, stableJson(servingMetadata(d)));
    await put(BUNDLE_FILES.golden, stableJson(goldenFile(d.golden, input.options.tolerance)));
    await put(BUNDLE_FILES.reference, stableJson(referenceProfile(input.reference.dataset, input.reference.columns, d.signature.inputs.map((i) => i.name))));

    ctx.progress(0.4, 'Writing the documents…');
    await put(BUNDLE_FILES.card, input.card);
    await put(BUNDLE_FILES.sbom, sbomJson({ bundle: { name, version, createdAt: input.createdAt }, packages, python: input.environment.python, model: { name, version, sha256: d.version.sha256 } }));
    const r = input.options.resources;
    for (const [rel, text] of Object.entries(
      deployFiles({
        name,
        version,
        imageTag,
        imageUid: SERVICE_UID,
        resources: { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits: { cpu: r.cpuLimit, memory: r.memoryLimit } },
      }),
    )) {
      await put(rel, text);
    }
    ctx.signal.throwIfAborted();

    ctx.progress(0.6, 'Hashing and signing the manifest…');
    const signed = await writeSignedManifest(
      tmp,
      {
        bundle: { name, version, createdAt: input.createdAt, createdBy: input.createdBy },
        model: { name, version, sha256: d.version.sha256, framework: d.version.framework, class: d.introspection.className },
        provenance: { datasets: input.datasets, notebook: input.notebook, environment: { name: input.environment.name, version: input.environment.version, sha256: input.environment.sha256, python: input.environment.python } },
        image: { tag: imageTag, id: null, base: baseImage },
        git,
      },
      { keyWorkspace: dirname(input.bundlesDir), signal: ctx.signal },
    );

    ctx.progress(0.95, 'Putting the bundle in place…');
    const old = `${target}.old-${Date.now()}`;
    const hadOld = await rename(target, old).then(() => true, () => false);
    await rename(tmp, target);
    if (hadOld) await rm(old, { recursive: true, force: true });
    ctx.progress(1, `Bundle written to ${target}`);
    const { createHash } = await import('node:crypto');
    return {
      path: target,
      imageTag,
      baseImage,
      files: signed.manifest.files,
      manifestSha256: createHash('sha256').update(signed.bytes).digest('hex'),
      fingerprint: signed.fingerprint,
    };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
};
