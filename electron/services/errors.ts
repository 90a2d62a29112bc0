import { AppError } from '../../shared/errors.js';
import type { AppErrorData } from '../../shared/result.js';

/** Turn anything thrown into an error the user can act on. */
export function toAppErrorData(e: unknown): AppErrorData {
  if (e instanceof AppError) return e.toData();
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'ENOENT') return new AppError('NOT_FOUND', message).toData();
  if (code === 'EACCES' || code === 'EPERM') {
    return new AppError('IO_ERROR', message, { remedy: 'Check the permissions of the file or folder, or choose another location.' }).toData();
  }
  if (code === 'ENOSPC') return new AppError('IO_ERROR', message, { remedy: 'Free some disk space and try again.' }).toData();
  if (code === 'EEXIST') return new AppError('CONFLICT', message).toData();
  if (typeof code === 'string' && code.startsWith('E')) return new AppError('IO_ERROR', message).toData();
  if ((e as Error | undefined)?.name === 'AbortError') return new AppError('CANCELLED', 'The operation was cancelled.').toData();
  return new AppError('INTERNAL', message).toData();
}

/** A file-system failure on `path`, named and with a remedy; anything else passes through. */
export function fsErrorToAppError(e: unknown, path: string): unknown {
  if (e instanceof AppError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new AppError('NOT_FOUND', `${path} does not exist.`, { remedy: 'Check the path; it may have been moved or renamed.' });
  if (code === 'ENOTDIR') return new AppError('NOT_FOUND', `A part of ${path} is a file, not a folder.`, { remedy: 'Check the path.' });
  if (code === 'EACCES' || code === 'EPERM') {
    return new AppError('IO_ERROR', `Permission denied: ${path}.`, { remedy: 'Give your user read access to it, or copy it somewhere you can read.' });
  }
  return e;
}
