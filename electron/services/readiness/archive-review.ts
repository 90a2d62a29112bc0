// Reviewing an exported archive (archives.*): the jobs that open an archive for review and write a
// workspace's reviews into it.
//
// Opening verifies the archive (every hash, the signature, the documents; the image rerun when
// asked) and reads the readiness the author exported with it. Writing brings the archive's
// documents up to date, and nothing else: the archive is verified and extracted again, its
// reviews.json gets this workspace's reviews after its own (signed with this workspace's key,
// whose public key goes beside it when it is not the bundle's), readiness.json gets the reviews
// and the verdict, and readiness-report.html is rendered again from the data it embeds. The
// archive is then exported again (deterministically, archive.ts), verified, and renamed over the
// original: the manifest and every signed file are untouched, and a failure leaves the original
// as it was.

import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readinessReport, type BundleVerifyResult, type ReadinessReport, type Review } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { archiveLevel, exportBundle, IMAGE_TAR } from '../bundles/archive.js';
import { BUNDLE_FILES } from '../bundles/layout.js';
import { stableJson } from '../bundles/manifest.js';
import { loadSigningKey } from '../bundles/signing.js';
import { verifyAndRerun, type VerifyTaskInput } from '../bundles/verify-task.js';
import { removeExtracted, verifyBundle } from '../bundles/verify.js';
import type { Task } from '../jobs/task.js';
import { sha256File } from '../objects/object-store.js';
import type { ArchiveState } from './archive-repo.js';
import { readinessVerdict } from './evaluate.js';
import { readinessJson } from './readiness-service.js';
import { renderReportHtml, reportDataOfHtml } from './report-html.js';

export const REVIEWS_SCHEMA = 'greenhouse.reviews/1';

/** The same review, wherever it was read from (ids are each catalog's own). */
const reviewKey = (r: Review) => `${r.manifestSha256}|${r.reviewer}|${r.at}|${r.decision}`;

/**
 * The archive's reviews, then this workspace's that it does not hold yet, oldest first; the added
 * ones numbered after the archive's.
 */
export function mergeReviews(archived: Review[], local: Review[]): Review[] {
  const seen = new Set(archived.map(reviewKey));
  let next = Math.max(0, ...archived.map((r) => r.id)) + 1;
  const added = local.filter((r) => !seen.has(reviewKey(r))).map((r) => ({ ...r, id: next++ }));
  return [...archived, ...added];
}

/** The exported readiness with these reviews: the verdict and evaluation time follow them. */
export function withReviews(report: ReadinessReport, reviews: Review[]): ReadinessReport {
  const latest = [report.evaluatedAt, ...reviews.map((r) => r.at)].sort().at(-1)!;
  return { ...report, reviews, evaluatedAt: latest, verdict: readinessVerdict(report.gates, report.score, reviews, report.bundle.manifestSha256) };
}

/** reviews.json's exact bytes. */
export const reviewsJson = (subject: string, reviews: Review[]) => Buffer.from(stableJson({ schema: REVIEWS_SCHEMA, bundle: subject, reviews }), 'utf8');

// ---------------------------------------------------------------------------------------------
// archives.open

export interface OpenArchiveInput extends VerifyTaskInput {
  path: string;
}

export interface OpenArchiveOutput {
  verify: BundleVerifyResult;
  sha256: string;
  bytes: number;
}

/** Verify the archive (and rerun its image when asked), and hash it: what opening records. */
export const openArchiveTask: Task<OpenArchiveInput, OpenArchiveOutput> = async (input, ctx) => {
  const st = await stat(input.path).catch(() => null);
  if (!st?.isFile()) {
    throw new AppError('NOT_FOUND', `${input.path} is not a file.`, { remedy: 'Give the exported archive, NAME-VERSION.tar.gz (a bundle folder is reviewed in the workspace that made it).' });
  }
  const verify = await verifyAndRerun(input, ctx);
  const sha256 = await sha256File(input.path, { signal: ctx.signal });
  return { verify, sha256, bytes: st.size };
};

/** Why an opened archive cannot be reviewed (null when it can). */
export function unreviewable(verify: BundleVerifyResult): string | null {
  if (verify.source.kind !== 'archive') return `${verify.source.path} is a folder: open the exported archive (NAME-VERSION.tar.gz).`;
  if (!verify.ok) return `The archive did not verify: ${verify.problems.join(' ')}`;
  if (!verify.readiness) return `The archive holds no ${BUNDLE_FILES.readiness} about its manifest: it was exported before readiness was written (or by an older Greenhouse).`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// archives.write

export interface WriteArchiveInput {
  path: string;
  /** The bundle the reviews are about: the archive must still hold it. */
  name: string;
  version: number;
  manifestSha256: string;
  /** This workspace's reviews of the archive, oldest first. */
  reviews: Review[];
  /** Where the archive is extracted while it is rewritten. */
  tmpDir: string;
}

/** What the archive holds once written (the readiness as written, verifying the written archive, documents left as exported). */
export type WriteArchiveOutput = ArchiveState;

const changed = (path: string, detail: string) =>
  new AppError('CONFLICT', `${path} is no longer the archive you opened: ${detail}`, {
    remedy: 'Your reviews are kept in this workspace. Open the archive again (it may be a new export), review it, and write again.',
  });

export const writeArchiveTask: Task<WriteArchiveInput, WriteArchiveOutput> = async (input, ctx) => {
  const subject = `${input.name}@${input.version}`;
  ctx.progress(0, `Verifying ${basename(input.path)}…`);
  const source = await verifyBundle(input.path, {
    keepExtracted: true,
    tmpDir: input.tmpDir,
    signal: ctx.signal,
    onProgress: (p) => ctx.progress(p.bytesTotal > 0 ? 0.3 * (p.bytesDone / p.bytesTotal) : null, 'Verifying the archive…'),
  });
  // Beside the archive, so the finished file is renamed into place on the same file system.
  let outDir: string | null = null;
  try {
    if (source.source.kind !== 'archive') throw changed(input.path, 'it is a folder now.');
    if (!source.ok || !source.bundleDir || !source.manifest) {
      throw changed(input.path, `it does not verify any more (${source.checks.filter((c) => !c.ok).map((c) => c.message).join(' ')})`);
    }
    const dir = source.bundleDir;
    const manifestSha = createHash('sha256').update(await readFile(join(dir, BUNDLE_FILES.manifest))).digest('hex');
    if (manifestSha !== input.manifestSha256) throw changed(input.path, `it holds another bundle (manifest ${manifestSha.slice(0, 12)}…, reviewed ${input.manifestSha256.slice(0, 12)}…).`);
    const parsed = readinessReport.safeParse(JSON.parse(await readFile(join(dir, BUNDLE_FILES.readiness), 'utf8').catch(() => 'null')));
    if (!parsed.success) throw changed(input.path, `its ${BUNDLE_FILES.readiness} is missing or unreadable.`);

    ctx.progress(0.3, 'Writing the reviews…');
    const reviews = mergeReviews(parsed.data.reviews, input.reviews);
    const readiness = withReviews(parsed.data, reviews);
    const key = await loadSigningKey(ctx.workspaceRoot);
    const reviewsBytes = reviewsJson(subject, reviews);
    await writeFile(join(dir, BUNDLE_FILES.readiness), readinessJson(readiness));
    await writeFile(join(dir, BUNDLE_FILES.reviews), reviewsBytes);
    await writeFile(join(dir, BUNDLE_FILES.reviewsSignature), `${key.sign(reviewsBytes)}\n`);
    if (key.fingerprint === source.signature.fingerprint) await rm(join(dir, BUNDLE_FILES.reviewsKey), { force: true });
    else await writeFile(join(dir, BUNDLE_FILES.reviewsKey), key.publicKeyPem);
    const staleDocuments: string[] = [];
    const reportPath = join(dir, BUNDLE_FILES.report);
    const page = await readFile(reportPath, 'utf8').catch(() => null);
    if (page !== null) {
      const data = reportDataOfHtml(page);
      if (data) await writeFile(reportPath, renderReportHtml({ ...data, readiness }));
      else staleDocuments.push(BUNDLE_FILES.report);
    }
    if (await stat(join(dir, BUNDLE_FILES.reportPdf)).catch(() => null)) staleDocuments.push(BUNDLE_FILES.reportPdf);

    // The image goes back in as the exporter put it: beside the files, not among them.
    let imageTar: { size: number; stream: () => NodeJS.ReadableStream } | undefined;
    if (source.image.present) {
      const aside = join(source.extractedTo!, IMAGE_TAR);
      await rename(join(dir, IMAGE_TAR), aside);
      imageTar = { size: (await stat(aside)).size, stream: () => createReadStream(aside, { highWaterMark: 1 << 20 }) };
    }
    outDir = await mkdtemp(join(dirname(input.path), '.greenhouse-review-')).catch((e: unknown) => {
      throw new AppError('IO_ERROR', `The folder of ${input.path} is not writable (${(e as Error).message}), so the reviews cannot be written into the archive.`, {
        remedy: 'Your reviews are kept in this workspace. Copy the archive to a folder you can write, open it there, and write the reviews.',
        cause: e,
      });
    });
    const out = await exportBundle(dir, {
      outDir,
      imageTar,
      level: archiveLevel(Boolean(imageTar)),
      signal: ctx.signal,
      onProgress: (p) => ctx.progress(0.3 + 0.4 * (p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : 1), `Writing ${p.entry || 'the archive'}…`),
    });
    await removeExtracted(source);

    // Never put an archive in place that does not verify.
    ctx.progress(0.7, 'Verifying the written archive…');
    const check = await verifyAndRerun(
      { path: out.path, rerun: null, noRerun: 'The image was not run again: its files are unchanged.', tmpDir: input.tmpDir },
      { ...ctx, progress: (p, m) => ctx.progress(0.7 + 0.3 * (p ?? 0), m) },
    );
    if (!check.ok) throw new AppError('INTERNAL', `The rewritten archive did not verify (${check.problems.join(' ')}); the original was left as it was.`, { remedy: 'Report this as a bug, with the archive.' });
    await rename(out.path, input.path);
    ctx.progress(1, `Reviews written into ${basename(input.path)}`);
    return {
      sha256: out.sha256,
      bytes: out.bytes,
      includesImage: out.includesImage,
      readiness,
      verify: { ...check, source: { path: input.path, kind: 'archive' } },
      staleDocuments,
    };
  } finally {
    await removeExtracted(source);
    if (outDir) await rm(outDir, { recursive: true, force: true });
  }
};
