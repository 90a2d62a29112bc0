import type { VerifyObjectsResult } from '../../../../shared/contract/index.js';
import { ObjectStore, sha256File } from '../../objects/object-store.js';
import { workspacePaths } from '../../workspace/paths.js';
import type { Task } from '../task.js';

/** Re-hash every snapshot in the object store and list those whose bytes no longer match their name. */
export const verifyObjects: Task<Record<string, never>, VerifyObjectsResult> = async (_input, ctx) => {
  const store = new ObjectStore(workspacePaths(ctx.workspaceRoot).objects);
  ctx.progress(null, 'Listing snapshots…');
  const objects = await store.list();
  const total = objects.reduce((n, o) => n + o.bytes, 0);
  let done = 0;
  const corrupt: string[] = [];
  for (const [i, o] of objects.entries()) {
    ctx.signal.throwIfAborted();
    const before = done;
    const actual = await sha256File(o.path, {
      signal: ctx.signal,
      onBytes: (b) => ctx.progress(total ? (before + b) / total : null, `Checking ${i + 1} of ${objects.length}`),
    });
    done += o.bytes;
    if (actual !== o.sha256) corrupt.push(o.sha256);
  }
  ctx.progress(1, `Checked ${objects.length} snapshots`);
  return { checked: objects.length, bytes: total, corrupt };
};

