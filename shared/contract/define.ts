// Helpers that declare methods and events once; every adapter and the renderer derive their
// types from these declarations.
import type { z } from 'zod';

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** One line for --help and docs. */
  summary: string;
}

export const method = <I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>) => spec;

export interface EventSpec<P extends z.ZodType = z.ZodType> {
  payload: P;
  summary: string;
}

export const event = <P extends z.ZodType>(spec: EventSpec<P>) => spec;
