import type Docker from 'dockerode';
import { pack } from 'tar-stream';
import { AppError } from '../../../shared/errors.js';

export interface BuildLogLine {
  stream?: string;
  status?: string;
  error?: string;
  aux?: { ID?: string };
}

/** A Docker build context as a tar stream, from an in-memory map of path → content. */
export function contextTar(files: Record<string, string | Buffer | { content: string | Buffer; mode: number }>) {
  const tar = pack();
  for (const [name, value] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const entry = typeof value === 'string' || Buffer.isBuffer(value) ? { content: value, mode: 0o644 } : value;
    // Fixed mtime so an unchanged context hashes (and caches) the same.
    tar.entry({ name, mode: entry.mode, mtime: new Date(0) }, entry.content);
  }
  tar.finalize();
  // tar-stream's streamx Readable pipes into the Engine API request like a Node stream.
  return tar as unknown as NodeJS.ReadableStream;
}

/**
 * Build an image through the Engine API, streaming each log line to `onLog`. Resolves with the
 * image id; a failing step rejects with the engine's message and the tail of the log.
 */
export async function buildImage(
  docker: Docker,
  context: NodeJS.ReadableStream,
  options: { tag: string; labels?: Record<string, string>; onLog?: (line: string) => void; signal?: AbortSignal },
): Promise<string> {
  const stream = await docker.buildImage(context, {
    t: options.tag,
    labels: options.labels,
    rm: true,
    forcerm: true,
    abortSignal: options.signal,
  } as Docker.ImageBuildOptions);
  const tail: string[] = [];
  let imageId: string | undefined;
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : resolve()),
      (event: BuildLogLine) => {
        const text = (event.stream ?? event.status ?? event.error ?? '').replace(/\n$/, '');
        if (text) {
          tail.push(text);
          if (tail.length > 30) tail.shift();
          options.onLog?.(text);
        }
        if (event.aux?.ID) imageId = event.aux.ID;
        if (event.error) {
          // What the failing step printed says why; the engine's own line only says it failed.
          const said = tail.filter((l) => l !== text && !/^Step \d+\/\d+ :/.test(l) && !/^ ---> /.test(l)).slice(-8);
          reject(new AppError('INTERNAL', `The image build failed: ${event.error.trim()}${said.length > 0 ? `\n${said.join('\n')}` : ''}`, {
            remedy: 'Read the build log above the error; fix the Dockerfile step or the package it names, then build again.',
            details: { log: tail.join('\n') },
          }));
        }
      },
    );
  });
  if (!imageId) {
    const inspected = await docker.getImage(options.tag).inspect();
    imageId = inspected.Id;
  }
  return imageId;
}
