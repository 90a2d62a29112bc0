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

/** "Step 3/17 : COPY app/ app/" → { n: 3, of: 17, instruction: "COPY app/ app/" } (the engine's classic builder log). */
export function parseStep(line: string): { n: number; of: number; instruction: string } | null {
  const m = /^Step (\d+)\/(\d+) : (.*)$/.exec(line);
  return m ? { n: Number(m[1]), of: Number(m[2]), instruction: m[3]! } : null;
}

/**
 * Build an image through the Engine API, streaming each log line to `onLog`. Resolves with the
 * image id; a failing step rejects with the engine's message and the tail of the log (details:
 * `{ log, step }`, the step that failed as the log names it). Aborting `signal` drops the
 * connection, which makes the engine stop the build and (forcerm) remove its intermediate
 * containers; the promise rejects with the signal's reason at once.
 */
export async function buildImage(
  docker: Docker,
  context: NodeJS.ReadableStream,
  options: { tag: string; labels?: Record<string, string>; onLog?: (line: string) => void; signal?: AbortSignal },
): Promise<string> {
  options.signal?.throwIfAborted();
  const stream = await docker.buildImage(context, {
    t: options.tag,
    labels: options.labels,
    rm: true,
    forcerm: true,
    abortSignal: options.signal,
  } as Docker.ImageBuildOptions);
  const tail: string[] = [];
  let imageId: string | undefined;
  let builtId: string | undefined;
  let step: string | null = null;
  let onAbort: (() => void) | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      onAbort = () => {
        (stream as unknown as { destroy?: () => void }).destroy?.();
        reject(options.signal!.reason);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      docker.modem.followProgress(
        stream,
        (err: Error | null) => (err ? reject(err) : resolve()),
        (event: BuildLogLine) => {
          const text = (event.stream ?? event.status ?? event.error ?? '').replace(/\n$/, '');
          if (text) {
            for (const l of text.split('\n')) {
              tail.push(l);
              if (tail.length > 30) tail.shift();
              if (parseStep(l)) step = l;
              const built = /^Successfully built ([0-9a-f]+)$/.exec(l);
              if (built) builtId = built[1];
              options.onLog?.(l);
            }
          }
          if (event.aux?.ID) imageId = event.aux.ID;
          if (event.error) {
            // What the failing step printed says why; the engine's own line only says it failed.
            const said = tail.filter((l) => l !== text && !parseStep(l) && !/^ ---> /.test(l)).slice(-8);
            reject(new AppError('INTERNAL', `The image build failed: ${event.error.trim()}${said.length > 0 ? `\n${said.join('\n')}` : ''}`, {
              remedy: 'Read the build log above the error; fix the Dockerfile step or the package it names, then build again.',
              details: { log: tail.join('\n'), step },
            }));
          }
        },
      );
    });
  } finally {
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
  options.signal?.throwIfAborted();
  if (!imageId && builtId) imageId = (await docker.getImage(options.tag).inspect()).Id;
  if (!imageId) {
    // The stream ended without the engine saying it built anything: never report an older image under this tag.
    throw new AppError('INTERNAL', `The image build ended without a result${step ? ` (last step: ${step})` : ''}.`, {
      remedy: 'The engine closed the build early; check that it is still running (docker info) and build again.',
      details: { log: tail.join('\n'), step },
    });
  }
  return imageId;
}
