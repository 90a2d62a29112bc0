// bundles.verify and `greenhouse verify PATH`: every hash and the signature of a bundle folder or
// archive (verify.ts), then, when the archive includes the image and a container engine answers,
// the image loaded and the smoke test rerun against the bundle's own golden examples. Needs only
// the bundle: no workspace, no catalog.

import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { readinessReport, type BundleVerifyResult, type ReadinessReport, type SmokeTestResult } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { Task, TaskContext } from '../jobs/task.js';
import { connectEngine, engineGone, isConnectionError } from './build-task.js';
import { BUNDLE_FILES } from './layout.js';
import { smokeTestBundle } from './smoke-task.js';
import { removeExtracted, verifyBundle, type BundleVerifyReport } from './verify.js';

export interface VerifyTaskInput {
  path: string;
  /** The engine to rerun the smoke test on; null: no rerun, for `noRerun`'s reason. */
  rerun: { engine: Docker.DockerOptions; engineLabel: string; network: 'host' | 'publish'; timeoutSeconds: number } | null;
  /** Why there is no rerun (Docker unavailable and how to fix it, or not asked). */
  noRerun?: string;
  /** Where an archive is extracted (default: the OS temp folder). */
  tmpDir?: string;
}

/** `docker load` of a saved image tar; the engine's own error when it refuses it. */
export async function loadImageTar(docker: Docker, path: string, signal: AbortSignal, onLine: (l: string) => void): Promise<void> {
  const stream = await docker.loadImage(createReadStream(path), { quiet: true } as Record<string, unknown>);
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      (stream as unknown as { destroy?: () => void }).destroy?.();
      reject(new AppError('CANCELLED', 'Verification was cancelled.'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    docker.modem.followProgress(
      stream,
      (err: Error | null) => {
        signal.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      },
      (e: { stream?: string; status?: string; error?: string }) => {
        if (e.error) reject(new AppError('INVALID_INPUT', `The engine refused the bundle's image.tar: ${e.error.trim()}`, { remedy: 'The archive is damaged: get the bundle again from its author.' }));
        const text = (e.stream ?? e.status ?? '').trim();
        if (text) onLine(text);
      },
    );
  });
}

/** The verified bundle's readiness.json, when it is valid and about this manifest (verify checked that). */
async function readinessOfFolder(report: BundleVerifyReport): Promise<ReadinessReport | null> {
  if (!report.ok || !report.bundleDir || !report.checks.some((c) => c.id === 'readiness' && c.ok)) return null;
  try {
    const parsed = readinessReport.safeParse(JSON.parse(await readFile(join(report.bundleDir, BUNDLE_FILES.readiness), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The contract's form of a report: what a reader needs, without local paths of temporary folders. */
function toResult(report: BundleVerifyReport, rerun: BundleVerifyResult['rerun'], readiness: ReadinessReport | null): BundleVerifyResult {
  const m = report.manifest;
  const checks = [...report.checks];
  if (rerun.state !== 'skipped') checks.push({ id: 'rerun', ok: rerun.state === 'passed', message: rerun.reason });
  const ok = report.ok && rerun.state !== 'failed';
  return {
    ok,
    valid: ok,
    problems: checks.filter((c) => !c.ok).map((c) => c.message),
    source: report.source,
    bundle: m ? { name: m.bundle.name, version: m.bundle.version, createdAt: m.bundle.createdAt, createdBy: m.bundle.createdBy } : null,
    checks,
    files: report.files,
    signature: report.signature,
    image: { present: report.image.present, ok: report.image.ok, message: report.image.message },
    readiness,
    rerun,
  };
}

async function rerunSmokeTest(report: BundleVerifyReport, input: VerifyTaskInput, ctx: TaskContext): Promise<BundleVerifyResult['rerun']> {
  const skipped = (reason: string) => ({ state: 'skipped' as const, reason, smoke: null });
  if (!report.ok) return skipped('The bundle did not verify, so its image was not run.');
  if (!report.image.present || !report.image.path || !report.bundleDir || !report.manifest?.image.id) {
    return skipped('The bundle does not include its image: export it with the image (greenhouse package --include-image, or bundle export --with-image) to rerun the smoke test here.');
  }
  if (!input.rerun) return skipped(input.noRerun ?? 'The smoke test was not rerun.');
  const { engine, engineLabel } = input.rerun;
  const m = report.manifest;
  const docker = await connectEngine(engine, engineLabel);
  ctx.progress(null, `Loading the image ${m.image.tag} (${m.image.id!.slice(0, 19)}…) into ${engineLabel}…`);
  try {
    await loadImageTar(docker, report.image.path, ctx.signal, (l) => ctx.progress(null, l));
  } catch (e) {
    if (isConnectionError(e)) throw engineGone(engineLabel, e);
    throw e;
  }
  const subject = `${m.bundle.name}@${m.bundle.version}`;
  const smoke: SmokeTestResult = await smokeTestBundle(
    {
      engine,
      engineLabel,
      bundleDir: report.bundleDir,
      subject,
      name: m.bundle.name,
      version: m.bundle.version,
      image: m.image.id!,
      tag: m.image.tag,
      network: input.rerun.network,
      timeoutSeconds: input.rerun.timeoutSeconds,
    },
    ctx,
  );
  const p = smoke.parity;
  const failed = smoke.checks.filter((c) => !c.ok).map((c) => c.id);
  return smoke.passed
    ? { state: 'passed', reason: `The included image was loaded and its smoke test passed again: ${Math.min(p.predict.matched, p.v2.matched)}/${p.examples} golden examples matched, p50 ${smoke.latencyMs.p50 ?? '?'} ms.`, smoke }
    : { state: 'failed', reason: `The included image was loaded but its smoke test failed: ${failed.join(', ')}.`, smoke };
}

/** Verify, then rerun the smoke test when the image is included and an engine is given. */
export async function verifyAndRerun(input: VerifyTaskInput, ctx: TaskContext): Promise<BundleVerifyResult> {
  ctx.progress(0, 'Verifying…');
  const report = await verifyBundle(input.path, {
    keepExtracted: true,
    tmpDir: input.tmpDir,
    signal: ctx.signal,
    onProgress: (p) => ctx.progress(p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : null, p.phase === 'extract' ? 'Extracting…' : p.phase === 'image' ? 'Checking the image…' : 'Checking the files…'),
  });
  try {
    const readiness = await readinessOfFolder(report);
    const rerun = await rerunSmokeTest(report, input, ctx);
    const result = toResult(report, rerun, readiness);
    ctx.progress(1, result.ok ? 'Bundle verified' : 'Bundle did not verify');
    return result;
  } finally {
    await removeExtracted(report);
  }
}

export const verifyBundleTask: Task<VerifyTaskInput, BundleVerifyResult> = verifyAndRerun;
