import type { Task } from '../jobs/task.js';
import { verifyBundle, type BundleVerifyReport } from './verify.js';

/** bundles.verify: every hash and the signature of a bundle folder or archive; nothing recorded. */
export const verifyBundleTask: Task<{ path: string }, BundleVerifyReport> = async (input, ctx) => {
  ctx.progress(0, 'Verifying…');
  const report = await verifyBundle(input.path, {
    signal: ctx.signal,
    onProgress: (p) => ctx.progress(p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : null, p.phase === 'extract' ? 'Extracting…' : p.phase === 'image' ? 'Checking the image…' : 'Checking the files…'),
  });
  ctx.progress(1, report.ok ? 'Bundle verified' : 'Bundle did not verify');
  return report;
};
