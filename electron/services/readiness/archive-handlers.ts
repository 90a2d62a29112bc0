// The archives.* methods: open an exported archive for review, review it, write the reviews into it.
// What the catalog knows is resolved here; reading and rewriting the archive are jobs.

import { basename } from 'node:path';
import type { Job, MethodParsedInput, ReviewArchive } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { verifyTaskInput, type BundleHost } from '../bundles/bundle-handlers.js';
import type { Handlers } from '../rpc/dispatch.js';
import type { WorkspaceSession } from '../workspace/workspace-session.js';
import { checkReviewInput } from './readiness-handlers.js';
import { unreviewable, type OpenArchiveInput, type OpenArchiveOutput, type WriteArchiveInput, type WriteArchiveOutput } from './archive-review.js';

type ArchiveMethods = 'archives.open' | 'archives.list' | 'archives.get' | 'archives.review' | 'archives.write';

export function archiveHandlers(host: Pick<BundleHost, 'docker' | 'requireWorkspace' | 'actor'>): Pick<Handlers, ArchiveMethods> {
  /** path → the job reading or writing that archive. */
  const busy = new Map<string, Job>();
  const requireIdle = (path: string) => {
    const running = busy.get(path);
    if (running) {
      throw new AppError('CONFLICT', `${basename(path)} is busy: "${running.title}" is running (job ${running.id.slice(0, 8)}).`, { remedy: 'Wait for it to finish, or cancel it, then try again.' });
    }
  };
  const exclusive = (ws: WorkspaceSession, path: string, start: () => Job): Job => {
    requireIdle(path);
    const job = start();
    busy.set(path, job);
    const free = () => busy.delete(path);
    void ws.jobs.wait(job.id, 24 * 3_600_000).then(free, free);
    return job;
  };

  const open = async ({ path, rerun }: MethodParsedInput<'archives.open'>) => {
    const ws = host.requireWorkspace();
    const task: OpenArchiveInput = await verifyTaskInput(host, ws, path, rerun);
    return exclusive(ws, task.path, () =>
      ws.jobs.start<OpenArchiveOutput>('archives.open', task, {
        title: `Open ${basename(task.path)} for review`,
        commit: (tx, out): ReviewArchive => {
          const why = unreviewable(out.verify);
          // Nothing is recorded of an archive that cannot be reviewed; the job fails with why.
          if (why) throw new AppError('INVALID_INPUT', `${why} Nothing was recorded.`, { remedy: 'Ask its author for the archive again (greenhouse package … exports it), then open it.' });
          const id = ws.archives.open(tx, task.path, { sha256: out.sha256, bytes: out.bytes, includesImage: out.verify.image.present, readiness: out.verify.readiness!, verify: out.verify, staleDocuments: [] }, host.actor);
          return ws.archives.get(id);
        },
      }),
    );
  };

  /** The job that writes this workspace's reviews of an archive into it. */
  const write = (ws: WorkspaceSession, id: number): Job => {
    const archive = ws.archives.get(id);
    const reviews = ws.archives.reviews(id).map(({ written: _w, ...r }) => r);
    const input: WriteArchiveInput = { path: archive.path, name: archive.name, version: archive.version, manifestSha256: archive.manifestSha256, reviews, tmpDir: ws.paths.tmp };
    return exclusive(ws, archive.path, () =>
      ws.jobs.start<WriteArchiveOutput>('archives.write', input, {
        title: `Write reviews into ${basename(archive.path)}`,
        commit: (tx, out): ReviewArchive => {
          ws.archives.written(tx, id, out, reviews.map((r) => r.id));
          return ws.archives.get(id);
        },
      }),
    );
  };

  const review = ({ id, decision, summary, comments }: MethodParsedInput<'archives.review'>) => {
    const ws = host.requireWorkspace();
    const { readiness, path } = ws.archives.get(id);
    requireIdle(path);
    // Comments name the archive's checks and gates; a request for changes says what.
    checkReviewInput(readiness, decision, summary, comments);
    // Kept in the catalog first: a failed write into the archive loses nothing (archives.write again).
    ws.catalog.write((tx) => ws.archives.review(tx, id, { decision, summary, comments }, host.actor));
    return write(ws, id);
  };

  return {
    'archives.open': open,
    'archives.list': () => host.requireWorkspace().archives.list(),
    'archives.get': ({ id }) => host.requireWorkspace().archives.get(id),
    'archives.review': review,
    'archives.write': ({ id }) => write(host.requireWorkspace(), id),
  };
}
