import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../../shared/errors.js';
import { tempPathFor } from '../fs/atomic-write.js';

/** A file name as the browser sent it, made safe to use as one path segment. */
export function safeUploadName(name: string | null): string {
  const base = [...((name ?? '').split(/[\\/]/).pop() ?? '')]
    .map((ch) => (ch.charCodeAt(0) < 0x20 || '<>:"|?*'.includes(ch) ? '_' : ch))
    .join('')
    .trim();
  const cleaned = base.replace(/^\.+/, '').slice(-200);
  if (!cleaned) throw new AppError('INVALID_INPUT', 'The upload has no file name.', { remedy: 'Drop a file from your file manager.' });
  return cleaned;
}

/**
 * Stream a dropped file's bytes into `<uploadsDir>/<stamp>-<random>/<name>` (temp name, then
 * rename), so a browser-mode drop becomes a path the backend can register. A body shorter than
 * its declared length (a cancelled upload) leaves nothing behind.
 */
export async function receiveUpload(body: Readable, uploadsDir: string, name: string | null, declaredBytes?: number): Promise<string> {
  const fileName = safeUploadName(name);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const dir = join(uploadsDir, `${stamp}-${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  const target = join(dir, fileName);
  const tmp = tempPathFor(target);
  let received = 0;
  body.on('data', (chunk: Buffer) => {
    received += chunk.length;
  });
  try {
    await pipeline(body, createWriteStream(tmp, { flags: 'wx' }));
    if (declaredBytes !== undefined && received !== declaredBytes) {
      throw new AppError('INVALID_INPUT', `The upload of ${fileName} stopped after ${received} of ${declaredBytes} bytes.`, { remedy: 'Drop the file again.' });
    }
    await rename(tmp, target);
    return target;
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
