import { z } from 'zod';
import { isMethodName, methods, type MethodName, type MethodOutput, type MethodParsedInput } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { Result } from '../../../shared/result.js';
import { toAppErrorData } from '../errors.js';

export type Handler<N extends MethodName> = (input: MethodParsedInput<N>) => Promise<MethodOutput<N>> | MethodOutput<N>;
/** One handler per contract method; both transports and the CLI serve this one map. */
export type Handlers = { [N in MethodName]: Handler<N> };

/**
 * Validate the method name and input against the contract, run the handler, check its output
 * and answer with the Result envelope. Nothing thrown escapes.
 */
export async function dispatch(handlers: Handlers, method: unknown, rawInput: unknown): Promise<Result<unknown>> {
  if (!isMethodName(method)) {
    return { ok: false, error: new AppError('NOT_FOUND', `Unknown method: ${String(method).slice(0, 100)}`, { remedy: 'Update Greenhouse: the app and its backend disagree.' }).toData() };
  }
  const spec = methods[method];
  const parsed = spec.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: new AppError('INVALID_INPUT', `Invalid input for ${method}: ${z.prettifyError(parsed.error)}`, {
        details: parsed.error.issues,
      }).toData(),
    };
  }
  try {
    const handler = handlers[method] as (input: unknown) => unknown;
    const value = await handler(parsed.data);
    const out = spec.output.safeParse(value);
    if (!out.success) {
      return { ok: false, error: new AppError('INTERNAL', `${method} produced an invalid answer: ${z.prettifyError(out.error)}`).toData() };
    }
    return { ok: true, value: out.data };
  } catch (e) {
    return { ok: false, error: toAppErrorData(e) };
  }
}
