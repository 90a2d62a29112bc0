// Reviewing an exported archive in another workspace (the operations team's): the real job worker,
// catalogs, signing keys and archives; Debian's Python trains and checks the model.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReadinessReport, ReviewArchive } from '../../../shared/contract/index.js';
import { startTestBackend, type TestBackend } from '../../test-support/backend.js';
import { runCliCaptured } from '../../test-support/cli.js';
import { DEBIAN_PYTHON, trainModel, writeCustomersCsv } from '../../test-support/models.js';
import { tempDir } from '../../test-support/temp.js';
import { BUNDLE_FILES } from '../bundles/layout.js';
import { loadSigningKey } from '../bundles/signing.js';
import { removeExtracted, verifyBundle } from '../bundles/verify.js';
import { reportDataOfHtml } from './report-html.js';

let author: TestBackend;
let reviewer: TestBackend;
/** The archive as exported; each test hands over a copy. */
let exported: string;
let exportedSha: string;

/** What an archive holds (the bundle folder, extracted and verified): file → text, for the documents. */
async function opened(path: string) {
  const report = await verifyBundle(path, { keepExtracted: true });
  try {
    const read = (f: string) => {
      try {
        return readFileSync(join(report.bundleDir!, f), 'utf8');
      } catch {
        return null;
      }
    };
    return { report, readiness: JSON.parse(read(BUNDLE_FILES.readiness)!) as ReadinessReport, reviews: read(BUNDLE_FILES.reviews), reviewsKey: read(BUNDLE_FILES.reviewsKey), page: read(BUNDLE_FILES.report)!, manifest: read(BUNDLE_FILES.manifest)! };
  } finally {
    await removeExtracted(report);
  }
}

/** A copy of the exported archive in a folder of the reviewer's. */
function handOver(): string {
  const dir = tempDir();
  const path = join(dir, 'churn-1.tar.gz');
  copyFileSync(exported, path);
  return path;
}

// Test folders are removed after each test, so each test has its own author and reviewer.
beforeEach(async () => {
  author = await startTestBackend();
  reviewer = await startTestBackend();
  mkdirSync(join(author.ws, 'data'));
  const csv = writeCustomersCsv(join(author.ws, 'data', 'customers.csv'), 300);
  expect((await author.finish(await author.call('datasets.register', { path: csv, name: 'customers' }))).state).toBe('succeeded');
  const model = trainModel(csv, join(author.ws, 'model.joblib'), 'pipeline');
  expect((await author.finish(await author.call('models.register', { path: model, name: 'churn', training: { dataset: { name: 'customers' }, target: 'churned' }, python: DEBIAN_PYTHON, sampleSize: 40 }))).error).toBeNull();
  expect((await author.finish(await author.call('bundles.create', { model: 'churn', options: { strategy: 'base', baseImage: 'greenhouse/python-base:bookworm' } }))).error).toBeNull();
  // The author's own review travels with the archive.
  await author.call('readiness.review', { name: 'churn', version: 1, decision: 'request-changes', summary: 'Operations: please build it in your CI.' });
  const job = await author.finish(await author.call('bundles.export', { name: 'churn', overrideGates: 'Operations build and smoke-test it in their own CI.' }));
  expect(job.error).toBeNull();
  exported = (job.result as { archive: string }).archive;
  exportedSha = (job.result as { sha256: string }).sha256;
}, 240_000);

afterEach(async () => {
  await author?.close();
  await reviewer?.close();
});

describe('reviewing an exported archive', () => {
  it('opens it in another workspace, records the review there and writes it into the archive, signed by the reviewer', async () => {
    const path = handOver();
    const before = await opened(path);
    const open = await reviewer.finish(await reviewer.call('archives.open', { path }));
    expect(open.error).toBeNull();
    const archive = open.result as ReviewArchive;
    expect(archive).toMatchObject({ name: 'churn', version: 1, path, sha256: exportedSha, includesImage: false, ready: false, pendingReviews: 0, writtenAt: null, verify: { ok: true }, lastReview: { decision: 'request-changes', reviewer: 'tester' } });
    expect(archive.readiness.reviews).toHaveLength(1);
    expect(archive.readiness.gates.find((g) => g.id === 'image-builds')).toMatchObject({ passed: false, override: { reason: 'Operations build and smoke-test it in their own CI.' } });

    // A comment on a check the report does not have is refused, and nothing is recorded.
    await expect(reviewer.call('archives.review', { id: archive.id, decision: 'approve', comments: [{ checkId: 'data.99', text: 'x' }] })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const review = await reviewer.finish(await reviewer.call('archives.review', { id: archive.id, decision: 'approve', summary: 'Built and smoke-tested in our CI.', comments: [{ checkId: 'infrastructure.1', text: 'Reproduced the training run <script>alert(1)</script>.' }] }));
    expect(review.error).toBeNull();
    const after = review.result as ReviewArchive;
    expect(after).toMatchObject({ ready: true, pendingReviews: 0, writtenAt: expect.any(String), lastReview: { decision: 'approve' }, staleDocuments: [] });
    expect(after.summary).toMatch(/^Ready: gates pass \(some overridden\) and approved by tester/);
    expect(after.sha256).not.toBe(exportedSha);

    // The archive: still verifies, same manifest, reviews signed by the reviewer's key beside them.
    const now = await opened(path);
    expect(now.report.ok, JSON.stringify(now.report.checks)).toBe(true);
    expect(now.manifest).toBe(before.manifest);
    expect(now.report.files.checked).toBe(before.report.files.checked);
    const reviewerKey = await loadSigningKey(reviewer.ws);
    const authorKey = await loadSigningKey(author.ws);
    expect(reviewerKey.fingerprint).not.toBe(authorKey.fingerprint);
    expect(now.reviewsKey).toBe(reviewerKey.publicKeyPem);
    expect(now.report.checks.find((c) => c.id === 'reviews')?.message).toContain(reviewerKey.fingerprint);
    const reviews = JSON.parse(now.reviews!) as { bundle: string; reviews: { decision: string; comments: { text: string }[] }[] };
    expect(reviews.bundle).toBe('churn@1');
    expect(reviews.reviews.map((r) => r.decision)).toEqual(['request-changes', 'approve']);
    expect(now.readiness.verdict).toEqual({ ready: true, summary: after.summary });
    expect(now.readiness.reviews.map((r) => r.id)).toEqual([1, 2]);
    // The report was rendered again from the data it carries: the review is in it, escaped.
    expect(now.page).toContain('Built and smoke-tested in our CI.');
    expect(now.page).toContain('Reproduced the training run &lt;script&gt;');
    expect(now.page).not.toContain('<script>alert(1)');
    expect(reportDataOfHtml(now.page)?.readiness.reviews).toHaveLength(2);
    expect(reportDataOfHtml(before.page)?.readiness.reviews).toHaveLength(1);

    // The catalog: the review and the writes are audited; the author's catalog knows nothing of it.
    expect((await reviewer.call('audit.list', { limit: 20 })).map((a) => a.action)).toEqual(expect.arrayContaining(['archive.opened', 'archive.reviewed', 'archive.reviews_written']));
    expect(await reviewer.call('archives.list', {})).toMatchObject([{ id: archive.id, ready: true, pendingReviews: 0 }]);
    expect((await author.call('readiness.get', { name: 'churn', version: 1 })).reviews).toHaveLength(1);

    // Opened again (the archive now holds the review): the same row, no review twice.
    const again = (await reviewer.finish(await reviewer.call('archives.open', { path }))).result as ReviewArchive;
    expect(again).toMatchObject({ id: archive.id, sha256: after.sha256, ready: true });
    expect(again.readiness.reviews).toHaveLength(2);

    // CI reads the verdict offline from the archive.
    const cli = await runCliCaptured(['check', path, '--json']);
    expect(cli.code, cli.err).toBe(0);
    expect(JSON.parse(cli.out)).toMatchObject({ verdict: { ready: true }, passed: true });
  }, 240_000);

  it('keeps a review when the archive cannot take it, and writes it once the archive is back', async () => {
    const path = handOver();
    const archive = (await reviewer.finish(await reviewer.call('archives.open', { path }))).result as ReviewArchive;
    // Someone replaced the archive with something else meanwhile.
    const original = readFileSync(path);
    writeFileSync(path, Buffer.from('not an archive'));
    const failed = await reviewer.finish(await reviewer.call('archives.review', { id: archive.id, decision: 'request-changes', comments: [{ checkId: 'monitoring.1', text: 'Add an alert on the error rate.' }] }));
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('no longer the archive you opened'), remedy: expect.stringContaining('kept in this workspace') });
    expect(readFileSync(path, 'utf8')).toBe('not an archive');
    expect(await reviewer.call('archives.get', { id: archive.id })).toMatchObject({ pendingReviews: 1, writtenAt: null, lastReview: { decision: 'request-changes' } });

    writeFileSync(path, original);
    const retried = await reviewer.finish(await reviewer.call('archives.write', { id: archive.id }));
    expect(retried.error).toBeNull();
    expect(retried.result).toMatchObject({ pendingReviews: 0, ready: false });
    const now = await opened(path);
    expect(now.readiness.reviews.at(-1)).toMatchObject({ decision: 'request-changes', comments: [{ checkId: 'monitoring.1', text: 'Add an alert on the error rate.' }] });
  }, 240_000);

  it('records nothing of an archive that does not verify, and says so', async () => {
    const path = handOver();
    const bytes = readFileSync(path);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
    writeFileSync(path, bytes);
    const job = await reviewer.finish(await reviewer.call('archives.open', { path }));
    expect(job.state).toBe('failed');
    expect(job.error?.message).toMatch(/did not verify.*Nothing was recorded/s);
    expect((await reviewer.call('archives.list', {})).map((a) => a.path)).not.toContain(path);
  }, 120_000);

  it('greenhouse review ARCHIVE opens, records and writes in one go', async () => {
    const path = handOver();
    // The operations team's own workspace, used from the command line (as in their CI).
    const ops = tempDir();
    expect((await runCliCaptured(['init', ops, '--json'])).code).toBe(0);
    const out = await runCliCaptured(['review', path, '--approve', '--comment', 'model.1=Looked at the baseline.', '--json', '--workspace', ops]);
    expect(out.code, out.err).toBe(0);
    expect(JSON.parse(out.out)).toMatchObject({ path, ready: true, pendingReviews: 0 });
    expect((await opened(path)).readiness.reviews.at(-1)).toMatchObject({ decision: 'approve', comments: [{ checkId: 'model.1' }] });
  }, 120_000);
});
