// bundles.build: the bundle folder's image, built by the container engine from a tar stream of the
// folder (what its .dockerignore lets through), with the build log as the job's progress.

import Docker from 'dockerode';
import { AppError } from '../../../shared/errors.js';
import { folderContextTar } from '../docker/build-context.js';
import { buildImage, parseStep } from '../docker/image-build.js';
import type { Task } from '../jobs/task.js';
import { BUNDLE_LABEL, type InstallStrategy } from './dockerfile.js';
import { resignWithImage } from './manifest.js';
import { verifyBundle } from './verify.js';

export interface BuildTaskInput {
  /** The engine the backend found (DockerService), as dockerode options. */
  engine: Docker.DockerOptions;
  engineLabel: string;
  bundleDir: string;
  /** NAME@VERSION, for messages. */
  subject: string;
  tag: string;
  baseImage: string;
  strategy: InstallStrategy;
  /** The model's hash (io.greenhouse.model.sha256 on the image). */
  modelSha256: string;
  /** The bundle's name: every layer after FROM carries it (io.greenhouse.bundle), intermediate containers too. */
  bundleName: string;
}

export interface BuildTaskOutput {
  imageId: string;
  tag: string;
  bytes: number | null;
  /** The image's USER and OCI labels, as the engine reports them. */
  user: string;
  labels: Record<string, string>;
  steps: number;
  startedAt: string;
  builtAt: string;
  durationMs: number;
  /** The last lines of the build log. */
  logTail: string[];
  /** Whether the files built matched the bundle's signed manifest (a changed bundle is built, with this warning). */
  manifest: { ok: boolean; problems: string[] };
  context: { files: number; bytes: number };
  /**
   * The manifest signed again with the image id (when the bundle matched its manifest and this
   * workspace's key signed it); null when it was left as it was (see `manifest.problems`).
   */
  resigned: { manifestSha256: string } | null;
}

const LOG_TAIL = 40;
/** Set on smoke-test containers, so the build's clean-up never touches them. */
export const ROLE_LABEL = 'io.greenhouse.role';

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN']);

/** Whether an error says the engine went away (rather than the build failing). */
export function isConnectionError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return (typeof code === 'string' && CONNECTION_ERRORS.has(code)) || /socket hang up|connect ECONNREFUSED|EPIPE/.test((e as Error | undefined)?.message ?? '');
}

export const engineGone = (label: string, e: unknown) =>
  new AppError('DOCKER_UNAVAILABLE', `The container engine at ${label} stopped answering: ${(e as Error).message}`, { cause: e });

/** Connect to the engine the backend found; DOCKER_UNAVAILABLE when it no longer answers. */
export async function connectEngine(options: Docker.DockerOptions, label: string): Promise<Docker> {
  const docker = new Docker(options);
  try {
    await docker.ping();
  } catch (e) {
    throw engineGone(label, e);
  }
  return docker;
}

/** The build's failure, named: the base image, the version check, the failing step, or the engine. */
function explainFailure(e: unknown, input: BuildTaskInput, manifestNote: string): unknown {
  if (!(e instanceof AppError)) return isConnectionError(e) ? engineGone(input.engineLabel, e) : e;
  const details = (e.details ?? {}) as { log?: string; step?: string | null };
  const step = parseStep(details.step ?? '');
  const log = details.log ?? '';
  const engineSaid = e.message.replace(/^The image build failed: /, '');
  if (/does not match the environment the model was trained in/.test(log) || /does not match the environment the model was trained in/.test(e.message)) {
    const lines = `${log}\n${e.message}`.split('\n').filter((l) => /^\s*[\w.-]+: the model needs .+, the base image has .+$/.test(l)).map((l) => l.trim());
    const unique = [...new Set(lines)];
    return new AppError(
      'INVALID_INPUT',
      `The base image ${input.baseImage} does not have the library versions ${input.subject} was trained with:\n  ${unique.join('\n  ')}${manifestNote}`,
      {
        remedy: `Use a base image that has exactly these versions (greenhouse bundle create ${input.subject} --strategy base --base-image IMAGE), or let the image install them (--strategy pip, or wheelhouse for air-gapped targets).`,
        details,
      },
    );
  }
  if (step && /^FROM\s/i.test(step.instruction)) {
    // The image the Dockerfile names (the bundle's base image, unless someone edited it).
    const base = step.instruction.replace(/^FROM\s+(--platform=\S+\s+)?/i, '').split(/\s+/)[0] || input.baseImage;
    return new AppError('NOT_FOUND', `The base image ${base} is not on this machine and the engine could not pull it: ${engineSaid.split('\n')[0]}${manifestNote}`, {
      remedy: `Pull or build it first (docker pull ${base}; greenhouse/python-base:bookworm is made by scripts/base-image.sh), or write the bundle again with another base image (--base-image IMAGE).`,
      details,
    });
  }
  return new AppError('INVALID_INPUT', `The image of ${input.subject} did not build${step ? ` at step ${step.n}/${step.of} (${step.instruction})` : ''}: ${engineSaid}${manifestNote}`, {
    remedy: 'Read what the step printed (quoted above); fix the package, base image or file it names, write the bundle again if needed, then build again.',
    details,
  });
}

/**
 * Remove what a cancelled build left behind. The engine stops a build whose client hung up and,
 * with forcerm, removes its intermediate containers itself; this waits briefly for that and
 * removes any container of this build the engine did not (they carry the model's label from the
 * Dockerfile's LABEL step; smoke-test containers are told apart by their role label).
 */
async function removeBuildContainers(docker: Docker, bundleName: string, since: number, tag: string): Promise<void> {
  const mine = async () =>
    (await docker.listContainers({ all: true, filters: { label: [`${BUNDLE_LABEL}=${bundleName}`] } })).filter(
      (c) => !c.Labels?.[ROLE_LABEL] && c.Image !== tag && c.Created >= Math.floor(since / 1000) - 1,
    );
  const deadline = Date.now() + 2500;
  let left = await mine();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    left = await mine();
  }
  await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

export const buildBundleImage: Task<BuildTaskInput, BuildTaskOutput> = async (input, ctx) => {
  const started = Date.now();
  ctx.progress(0, `Connecting to the container engine (${input.engineLabel})…`);
  const docker = await connectEngine(input.engine, input.engineLabel);

  ctx.progress(0, 'Checking the bundle against its manifest…');
  const report = await verifyBundle(input.bundleDir, { signal: ctx.signal });
  const problems = [
    ...report.files.mismatched.map((m) => `${m.path} changed`),
    ...report.files.missing.map((p) => `${p} is missing`),
    ...report.files.extra.map((p) => `${p} is not in the manifest`),
    ...report.checks.filter((c) => !c.ok && !c.id.startsWith('files')).map((c) => c.message),
  ];
  const manifestNote = report.ok ? '' : `\n(Note: the bundle no longer matches its signed manifest: ${problems.slice(0, 5).join('; ')}.)`;
  if (!report.ok) ctx.progress(0, `Warning: the bundle no longer matches its signed manifest (${problems.slice(0, 3).join('; ')}); building it as it is.`);
  ctx.signal.throwIfAborted();

  const hasBase = await docker
    .getImage(input.baseImage)
    .inspect()
    .then(() => true, () => false);
  if (!hasBase) ctx.progress(0, `The base image ${input.baseImage} is not on this machine; the engine will try to pull it.`);

  const context = await folderContextTar(input.bundleDir, { signal: ctx.signal });
  ctx.progress(0.01, `Sending ${context.files.length} files (${(context.bytes / 1e6).toFixed(1)} MB) to the engine…`);
  const tail: string[] = [];
  let steps = 0;
  let fraction = 0.01;
  let imageId: string;
  // Progress is throttled (one message per 100 ms), so lines are sent in batches joined by
  // newlines, at most every 110 ms and at the latest 110 ms after they arrive: the live log gets
  // every line, however fast or slow the engine prints them.
  let pending: string[] = [];
  let lastSent = Date.now();
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    ctx.progress(fraction, pending.join('\n'));
    pending = [];
    lastSent = Date.now();
  };
  try {
    imageId = await buildImage(docker, context.stream, {
      tag: input.tag,
      signal: ctx.signal,
      onLog: (line) => {
        tail.push(line);
        if (tail.length > LOG_TAIL) tail.shift();
        const step = parseStep(line);
        if (step) {
          steps = step.of;
          fraction = Math.min(0.99, step.n / step.of);
        }
        pending.push(line);
        const wait = 110 - (Date.now() - lastSent);
        if (wait <= 0) flush();
        else timer ??= setTimeout(flush, wait);
      },
    });
    // The last lines too, once the throttle lets them through.
    if (timer) clearTimeout(timer);
    await new Promise((r) => setTimeout(r, Math.max(0, 110 - (Date.now() - lastSent))));
    flush();
  } catch (e) {
    if (timer) clearTimeout(timer);
    if (ctx.signal.aborted) {
      ctx.progress(null, 'Cancelling: removing the build\'s containers…');
      await removeBuildContainers(docker, input.bundleName, started, input.tag).catch(() => undefined);
      throw new AppError('CANCELLED', 'The build was cancelled.');
    }
    throw explainFailure(e, input, manifestNote);
  }

  const image = await docker.getImage(imageId).inspect();
  const builtAt = new Date().toISOString();
  // Never sign a bundle that no longer matches its manifest: that would bless the changes.
  let resigned: BuildTaskOutput['resigned'] = null;
  if (report.ok) {
    const r = await resignWithImage(input.bundleDir, imageId, ctx.workspaceRoot);
    if (r.manifest) resigned = { manifestSha256: r.manifestSha256 };
    else problems.push(`the manifest was not signed again with the image id: ${r.reason}`);
  }
  ctx.progress(1, `Built ${input.tag} (${imageId.slice(0, 19)})`);
  return {
    imageId,
    tag: input.tag,
    bytes: typeof image.Size === 'number' ? image.Size : null,
    user: image.Config.User ?? '',
    labels: image.Config.Labels ?? {},
    steps,
    startedAt: new Date(started).toISOString(),
    builtAt,
    durationMs: Date.now() - started,
    logTail: tail,
    manifest: { ok: report.ok, problems },
    context: { files: context.files.length, bytes: context.bytes },
    resigned,
  };
};
