// Helpers shared by the transports: every answer reaches the store as a Result envelope,
// including the failures of the transport itself.
import { z } from 'zod';
import type { ErrorCode } from '../../../shared/errors.js';
import { resultSchema, type Result } from '../../../shared/result.js';

const envelope = resultSchema(z.unknown());

export const failure = (code: ErrorCode, message: string, remedy: string): Result<never> => ({
  ok: false,
  error: { code, message, remedy },
});

/** Accept a value as an envelope only if it has the envelope's shape. */
export function asEnvelope<T>(body: unknown, method: string): Result<T> {
  const parsed = envelope.safeParse(body);
  if (parsed.success) return parsed.data as Result<T>;
  return failure(
    'INTERNAL',
    `The Greenhouse backend answered ${method} with something that is not a result.`,
    'The app and its backend may be different versions. Restart Greenhouse; if it persists, report it.',
  );
}
