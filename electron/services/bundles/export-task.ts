// bundles.export: the bundle folder as NAME-VERSION.tar.gz (deterministic, see archive.ts), and
// for air-gapped hand-off the built image with it: `docker save` streamed to a temporary file
// (the tar entry needs its size up front), then into the archive as NAME-VERSION/image.tar.

import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import type { BundleExport } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { Task } from '../jobs/task.js';
import { archiveLevel, exportBundle } from './archive.js';
import { connectEngine, engineGone, isConnectionError } from './build-task.js';
import { BUNDLE_FILES } from './layout.js';
import { ioError, parseManifest } from './manifest.js';

export interface ExportTaskInput {
  bundleDir: string;
  /** Where the archive goes (bundles/). */
  outDir: string;
  /** The workspace's temporary folder, for the saved image. */
  tmpDir: string;
  subject: string;
  /** Save this image into the archive; null: the bundle alone. */
  image: { engine: Docker.DockerOptions; engineLabel: string; id: string; tag: string } | null;
}

/** Stream `docker save REF` into a file; returns its size. */
async function saveImage(docker: Docker, ref: string, path: string, signal: AbortSignal, onBytes: (n: number) => void): Promise<number> {
  const source = (await docker.getImage(ref).get()) as NodeJS.ReadableStream;
  let n = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      onBytes(n);
      cb(null, chunk);
    },
  });
  await pipeline(source, count, createWriteStream(path, { flags: 'wx', mode: 0o600 }), { signal });
  return (await stat(path)).size;
}

export const exportBundleTask: Task<ExportTaskInput, BundleExport> = async (input, ctx) => {
  let manifest;
  try {
    manifest = parseManifest(await readFile(join(input.bundleDir, BUNDLE_FILES.manifest)));
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw ioError(e, input.bundleDir, 'read the manifest of');
  }
  let imageTar: { size: number; stream: () => NodeJS.ReadableStream } | undefined;
  const tmp = join(input.tmpDir, `export-${process.pid}-${Date.now()}.image.tar`);
  try {
    if (input.image) {
      if (manifest.image.id !== input.image.id) {
        throw new AppError('CONFLICT', `The manifest of ${input.subject} does not name the image built from it (${input.image.id.slice(0, 19)}…), so the image cannot be checked against it after export.`, {
          remedy: `Build the image again (greenhouse bundle build ${input.subject}): the build records its id in the signed manifest. Then export with the image.`,
        });
      }
      ctx.progress(null, `Connecting to the container engine (${input.image.engineLabel})…`);
      const docker = await connectEngine(input.image.engine, input.image.engineLabel);
      const info = await docker
        .getImage(input.image.id)
        .inspect()
        .catch((e: unknown) => {
          if (isConnectionError(e)) throw engineGone(input.image!.engineLabel, e);
          throw new AppError('NOT_FOUND', `The image ${input.image!.tag} (${input.image!.id.slice(0, 19)}…) is no longer on this machine's engine.`, {
            remedy: `Build it again (greenhouse bundle build ${input.subject}), then export with the image.`,
          });
        });
      // Saved by its tag, so that `docker load` on the receiving machine tags it again; the tag
      // must still name the image the manifest records.
      const tagged = await docker
        .getImage(input.image.tag)
        .inspect()
        .then((i) => i.Id, () => null);
      if (tagged !== input.image.id) {
        throw new AppError('CONFLICT', `The tag ${input.image.tag} ${tagged ? `now names another image (${tagged.slice(0, 19)}…)` : 'is gone'}, not the one built from ${input.subject} (${input.image.id.slice(0, 19)}…).`, {
          remedy: `Build it again (greenhouse bundle build ${input.subject}), then export with the image.`,
        });
      }
      const expected = typeof info.Size === 'number' ? info.Size : null;
      ctx.progress(0, `Saving the image ${input.image.tag}…`);
      const size = await saveImage(docker, input.image.tag, tmp, ctx.signal, (n) =>
        ctx.progress(expected ? Math.min(0.5, (n / expected) * 0.5) : null, `Saving the image: ${(n / 1e6).toFixed(0)} MB`),
      ).catch((e: unknown) => {
        if (ctx.signal.aborted) throw new AppError('CANCELLED', 'The export was cancelled; no archive was written.');
        if (isConnectionError(e)) throw engineGone(input.image!.engineLabel, e);
        if ((e as NodeJS.ErrnoException).code === 'ENOSPC') {
          throw new AppError('IO_ERROR', `The disk is full: the image could not be saved to ${input.tmpDir}.`, { remedy: 'Free disk space (about the image size twice), then export again.', cause: e });
        }
        throw e;
      });
      imageTar = { size, stream: () => createReadStream(tmp) };
    }
    const share = imageTar ? 0.5 : 0;
    const out = await exportBundle(input.bundleDir, {
      outDir: input.outDir,
      imageTar,
      level: archiveLevel(Boolean(imageTar)),
      signal: ctx.signal,
      onProgress: (p) => ctx.progress(share + (1 - share) * (p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : 1), p.entry ? `Writing ${p.entry}` : 'Archive written'),
    });
    ctx.progress(1, `Exported ${out.path}`);
    return {
      archive: out.path,
      sha256: out.sha256,
      bytes: out.bytes,
      tarSha256: out.tarSha256,
      includesImage: out.includesImage,
      imageId: input.image && out.includesImage ? input.image.id : null,
      at: new Date().toISOString(),
    };
  } finally {
    await rm(tmp, { force: true });
  }
};
