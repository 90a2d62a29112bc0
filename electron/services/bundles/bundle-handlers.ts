// The bundles.* methods: what the catalog knows resolved on the main thread, the work done by
// jobs (write, build, smoke test, export, verify). One job at a time per bundle: writing a bundle
// again while its image builds, or two builds of one bundle, would mix their files and records.

import { open } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import type { BundleExport, BundleVerifyResult, Job, JobKind, MethodParsedInput, SmokeTestResult } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { WriteTx } from '../catalog/catalog.js';
import type { DockerService } from '../docker/docker-service.js';
import { toEnvironmentVersion } from '../environments/environment-repo.js';
import { cardMarkdown } from '../models/model-card.js';
import { prepareExport } from '../readiness/readiness-handlers.js';
import type { Handlers } from '../rpc/dispatch.js';
import type { WorkspaceSession } from '../workspace/workspace-session.js';
import type { BuildTaskInput, BuildTaskOutput } from './build-task.js';
import { defaultBaseImage, registryDigest } from './dockerfile.js';
import type { ExportTaskInput } from './export-task.js';
import type { SmokeTaskInput } from './smoke-task.js';
import type { VerifyTaskInput } from './verify-task.js';
import { bundleFolderName, type BundleTaskInput, type BundleTaskOutput } from './write-bundle.js';

/** What a verification job needs: the path, and the engine to rerun the included image on when asked and one answers. */
export async function verifyTaskInput(host: Pick<BundleHost, 'docker'>, ws: WorkspaceSession, path: string, rerun: boolean, network?: 'host' | 'publish'): Promise<VerifyTaskInput> {
  const task: VerifyTaskInput = { path: resolve(path), rerun: null, tmpDir: ws.paths.tmp };
  if (!rerun) task.noRerun = 'The smoke test was not rerun (not asked).';
  else {
    try {
      const { endpoint } = await host.docker.client();
      task.rerun = { engine: endpoint.options, engineLabel: endpoint.label, network: network ?? ws.settings().smokeNetwork, timeoutSeconds: 60 };
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'DOCKER_UNAVAILABLE') throw e;
      task.noRerun = `No container engine answers, so the included image was not run: ${e.message}${e.remedy ? ` ${e.remedy}` : ''}`;
    }
  }
  return task;
}

/** What the handlers need of the backend. */
export interface BundleHost {
  requireWorkspace(): WorkspaceSession;
  readonly docker: DockerService;
  readonly actor: string;
}

type BundleMethods = 'bundles.create' | 'bundles.list' | 'bundles.get' | 'bundles.build' | 'bundles.smokeTest' | 'bundles.verify' | 'bundles.export' | 'bundles.plan' | 'bundles.readFile';

const READ_LIMIT = 256 * 1024;
const DAY_MS = 24 * 3_600_000;

export function bundleHandlers(host: BundleHost): Pick<Handlers, BundleMethods> {
  /** subject (NAME@VERSION) → the job working on it. */
  const busy = new Map<string, Job>();

  /** Start a job on a bundle unless another one is working on it; freed when it finishes. */
  const requireIdle = (subject: string) => {
    const running = busy.get(subject);
    if (running) {
      throw new AppError('CONFLICT', `${subject} is busy: "${running.title}" is running (job ${running.id.slice(0, 8)}).`, {
        remedy: 'Wait for it to finish, or cancel it, then try again.',
      });
    }
  };
  const exclusive = (ws: WorkspaceSession, subject: string, start: () => Job, onFinished?: (done: Job) => void): Job => {
    requireIdle(subject);
    const job = start();
    busy.set(subject, job);
    void ws.jobs.wait(job.id, DAY_MS).then(
      (done) => {
        busy.delete(subject);
        onFinished?.(done);
      },
      () => busy.delete(subject),
    );
    return job;
  };

  /** Start a bundle job whose result is recorded (with the job's id) when it succeeds; one at a time per bundle. */
  const startRecorded = <R>(ws: WorkspaceSession, subject: string, kind: JobKind, task: unknown, title: string, record: (tx: WriteTx, out: R, jobId: string) => void, onFinished?: (done: Job) => void) =>
    exclusive(
      ws,
      subject,
      () =>
        ws.jobs.start<R>(kind, task, {
          title,
          commit: (tx, out, jobId) => {
            record(tx, out, jobId);
            return out;
          },
        }),
      onFinished,
    );

  /** A bundle, its folder and the engine the backend finds (DOCKER_UNAVAILABLE at once when there is none). */
  const onEngine = async (name: string, version: number | undefined) => {
    const ws = host.requireWorkspace();
    const target = ws.bundles.target(name, version);
    const { endpoint } = await host.docker.client();
    const base = {
      engine: endpoint.options,
      engineLabel: endpoint.label,
      bundleDir: join(ws.paths.bundles, bundleFolderName(target.name, target.version)),
      subject: target.subject,
    };
    return { ws, target, base };
  };

  /**
   * The base image's registry digest, when the engine has the image from a registry (its
   * RepoDigests); null for a local build, an unknown image or no engine. Never slows a create
   * down by more than the engine's answer.
   */
  const baseDigest = async (image: string): Promise<string | null> => {
    try {
      const { docker } = await host.docker.client();
      return registryDigest(image, (await docker.getImage(image).inspect()).RepoDigests ?? []);
    } catch {
      return null;
    }
  };

  /** Gather what a bundle is made of (model, environment, data, notebook, card), then start the job that writes it. */
  const create = async (input: MethodParsedInput<'bundles.create'>) => {
    const ws = host.requireWorkspace();
    const model = ws.models.get(input.model, input.version, () => []);
    const ids = ws.models.versionIds(model.name, model.version.version);
    if (ids.environment === null) {
      throw new AppError('INVALID_INPUT', `${model.name}@${model.version.version} has no environment recorded, so its libraries cannot be pinned.`, { remedy: 'Register the model again with --python or --env.' });
    }
    const env = ws.environments.versionById(ids.environment)!;
    const envVersion = toEnvironmentVersion(env);
    const datasetRef = (name: string, version: number, role: 'training' | 'evaluation') => {
      const p = ws.datasets.profile(name, version);
      return { name, version, sha256: p.version.sha256, role, rows: p.version.rows, columns: p.columns };
    };
    const training = model.lineage.training.map((t) => datasetRef(t.name, t.version, 'training'));
    const evaluation = model.lineage.evaluation ? [datasetRef(model.lineage.evaluation.name, model.lineage.evaluation.version, 'evaluation')] : [];
    const notebook = model.lineage.notebook ? ws.notebooks.versionFile(model.lineage.notebook.name, model.lineage.notebook.version) : null;
    const first = training[0]!;
    const python = envVersion.python?.version ?? envVersion.pythonRequires;
    const task: BundleTaskInput = {
      bundlesDir: ws.paths.bundles,
      createdAt: new Date().toISOString(),
      createdBy: host.actor,
      model,
      storedModelPath: ws.objects.pathOf(model.version.sha256),
      environment: { name: env.name, version: env.version, sha256: env.sha256, python, packages: envVersion.packages },
      datasets: [...training, ...evaluation].map(({ name, version, sha256, role }) => ({ name, version, sha256, role })),
      notebook: notebook && model.lineage.notebook ? { name: model.lineage.notebook.name, version: notebook.version, sha256: notebook.sha256 } : null,
      reference: { dataset: { name: first.name, version: first.version, sha256: first.sha256, rows: first.rows }, columns: first.columns },
      card: cardMarkdown(model.name, model.version.version, model.card),
      options: input.options,
      baseDigest: input.options.baseImage?.includes('@') ? null : await baseDigest(input.options.baseImage ?? defaultBaseImage(python)),
    };
    const subject = `${model.name}@${model.version.version}`;
    return startRecorded<BundleTaskOutput>(ws, subject, 'bundles.create', task, `Bundle ${subject}`, (tx, out) => ws.bundles.record(tx, ids.id, subject, input.options.strategy, out, host.actor));
  };

  /** The bundle's image, built by the engine the backend finds; a failed build is recorded too. */
  const build = async (input: MethodParsedInput<'bundles.build'>) => {
    const { ws, target, base } = await onEngine(input.name, input.version);
    const task: BuildTaskInput = { ...base, tag: target.imageTag, baseImage: target.baseImage, strategy: target.strategy, modelSha256: target.modelSha256, bundleName: target.name };
    return startRecorded<BuildTaskOutput>(
      ws,
      target.subject,
      'bundles.build',
      task,
      `Build ${target.imageTag}`,
      (tx, out, jobId) => ws.bundles.recordBuild(tx, target, out, jobId, host.actor),
      (done) => {
        // Kept so the bundle shows it failed; its error quotes the failing step's output.
        if (done.state !== 'failed' || !done.error) return;
        try {
          ws.catalog.write((tx) => ws.bundles.recordFailedBuild(tx, target, done.error!, done.id, host.actor, done.finishedAt ?? new Date().toISOString()));
        } catch {
          // The workspace closed meanwhile: the job's own row still holds the error.
        }
      },
    );
  };

  /** Run the built image and check it; the result is recorded whether it passed or not. */
  const smokeTest = async (input: MethodParsedInput<'bundles.smokeTest'>) => {
    const { ws, target, base } = await onEngine(input.name, input.version);
    if (!target.imageId) {
      throw new AppError('NOT_FOUND', `${target.subject} has no image built from the bundle as it is now.`, { remedy: `Build it first: greenhouse bundle build ${target.subject}.` });
    }
    const task: SmokeTaskInput = {
      ...base,
      name: target.name,
      version: target.version,
      image: target.imageId,
      tag: target.imageTag,
      network: input.network ?? ws.settings().smokeNetwork,
      timeoutSeconds: input.timeoutSeconds,
    };
    return startRecorded<SmokeTestResult>(ws, target.subject, 'bundles.smoke', task, `Smoke test ${target.imageTag}`, (tx, out, jobId) => ws.bundles.recordSmokeTest(tx, target, out, jobId, host.actor));
  };

  /** NAME-VERSION.tar.gz beside the bundle folder, with the built image when asked. */
  const exportArchive = async (input: MethodParsedInput<'bundles.export'>) => {
    const ws = host.requireWorkspace();
    const target = ws.bundles.target(input.name, input.version);
    requireIdle(target.subject);
    let image: ExportTaskInput['image'] = null;
    if (input.includeImage) {
      if (!target.imageId) {
        throw new AppError('NOT_FOUND', `${target.subject} has no image built from the bundle as it is now, so there is none to include.`, {
          remedy: `Build it first (greenhouse bundle build ${target.subject}), or export without the image.`,
        });
      }
      const { endpoint } = await host.docker.client();
      image = { engine: endpoint.options, engineLabel: endpoint.label, id: target.imageId, tag: target.imageTag };
    }
    // The hand-off gates decide whether it may leave; the readiness documents travel with it.
    await prepareExport(ws, target.name, target.version, input.overrideGates, host.actor);
    const task: ExportTaskInput = {
      bundleDir: join(ws.paths.bundles, bundleFolderName(target.name, target.version)),
      outDir: ws.paths.bundles,
      tmpDir: ws.paths.tmp,
      subject: target.subject,
      image,
    };
    return startRecorded<BundleExport>(ws, target.subject, 'bundles.export', task, `Export ${target.subject}${image ? ' with its image' : ''}`, (tx, out, jobId) => ws.bundles.recordExport(tx, target, out, jobId, host.actor));
  };

  /** Verify a folder or archive; rerun its smoke test when it includes the image and an engine answers. */
  const verify = async (input: MethodParsedInput<'bundles.verify'>) => {
    const ws = host.requireWorkspace();
    const task = await verifyTaskInput(host, ws, input.path, input.rerun, input.network);
    return ws.jobs.start<BundleVerifyResult>('bundles.verify', task, { title: `Verify ${basename(task.path)}`, commit: (_tx, out) => out });
  };

  /** What the wizard offers: the environment, the default base image, the images on this engine. */
  const plan = async ({ model, version }: MethodParsedInput<'bundles.plan'>) => {
    const ws = host.requireWorkspace();
    const detail = ws.models.get(model, version, () => []);
    const ids = ws.models.versionIds(detail.name, detail.version.version);
    const envRow = ids.environment === null ? null : ws.environments.versionById(ids.environment)!;
    const env = envRow ? toEnvironmentVersion(envRow) : null;
    const python = env ? (env.python?.version ?? env.pythonRequires) : null;
    let localImages: string[] = [];
    let dockerAvailable = true;
    try {
      const { docker } = await host.docker.client();
      const images = await docker.listImages();
      // Bundles' own images (greenhouse/NAME:V) are not bases; the local python-base image is.
      const tags = images.flatMap((i) => i.RepoTags ?? []).filter((t) => t !== '<none>:<none>' && (!t.startsWith('greenhouse/') || t.startsWith('greenhouse/python-base')));
      const rank = (t: string) => (/python/i.test(t) ? 0 : 1);
      localImages = [...new Set(tags)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).slice(0, 50);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'DOCKER_UNAVAILABLE') throw e;
      dockerAvailable = false;
    }
    const existing = ws.bundles.list(detail.name).find((b) => b.version === detail.version.version) ?? null;
    return {
      model: { name: detail.name, version: detail.version.version },
      environment: envRow && env ? { name: envRow.name, version: envRow.version, python, packages: env.packages.length } : null,
      defaultBaseImage: defaultBaseImage(python),
      localImages,
      dockerAvailable,
      existing,
    };
  };

  /** One file of a bundle, for review: text up to 256 KiB; null text for binary files. */
  const readFile = async ({ name, version, path }: MethodParsedInput<'bundles.readFile'>) => {
    const ws = host.requireWorkspace();
    const detail = ws.bundles.get(name, version);
    const file = detail.files.find((f) => f.path === path) ?? (['manifest.json', 'manifest.json.sig'].includes(path) ? { path, bytes: -1 } : null);
    if (!file) throw new AppError('NOT_FOUND', `${name}@${version} has no file ${path}.`, { remedy: 'Pick one of the files the bundle lists.' });
    const dir = join(ws.paths.bundles, bundleFolderName(name, version));
    const abs = resolve(dir, path);
    if (!abs.startsWith(dir + sep)) throw new AppError('INVALID_INPUT', `${path} is outside the bundle.`);
    let handle;
    try {
      handle = await open(abs, 'r');
    } catch (e) {
      throw new AppError('NOT_FOUND', `${path} is missing from ${dir}: ${(e as Error).message}`, { remedy: `Write the bundle again: greenhouse bundle create ${name}@${version}.` });
    }
    try {
      const { size } = await handle.stat();
      const buf = Buffer.alloc(Math.min(size, READ_LIMIT));
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      const bytes = buf.subarray(0, bytesRead);
      const binary = bytes.includes(0) || !isUtf8(bytes, size > READ_LIMIT);
      return { path, bytes: size, text: binary ? null : bytes.toString('utf8'), truncated: !binary && size > READ_LIMIT };
    } finally {
      await handle.close();
    }
  };

  return {
    'bundles.create': create,
    'bundles.list': ({ model }) => host.requireWorkspace().bundles.list(model),
    'bundles.get': ({ name, version }) => host.requireWorkspace().bundles.get(name, version),
    'bundles.build': build,
    'bundles.smokeTest': smokeTest,
    'bundles.export': exportArchive,
    'bundles.verify': verify,
    'bundles.plan': plan,
    'bundles.readFile': readFile,
  };
}

/** Whether bytes are UTF-8 (a cut at the end of a truncated read is allowed). */
function isUtf8(bytes: Buffer, truncated: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(truncated ? bytes.subarray(0, Math.max(0, bytes.length - 3)) : bytes);
    return true;
  } catch {
    return false;
  }
}
