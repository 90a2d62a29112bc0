// The envelope every call answers with, on every transport: errors arrive as data.
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './errors.js';

export interface AppErrorData {
  code: ErrorCode;
  /** What happened, in words the user understands. */
  message: string;
  /** What to do about it. */
  remedy: string;
  /** Optional machine-readable detail (for example zod issues). */
  details?: unknown;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = (error: AppErrorData): Result<never> => ({ ok: false, error });

export const appErrorDataSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  remedy: z.string(),
  details: z.unknown().optional(),
});

export const resultSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: appErrorDataSchema }),
  ]);
