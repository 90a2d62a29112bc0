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
