// The one contract: every method and event the backend serves, on every transport.
import type { z } from 'zod';
import { appMethods } from './app.js';
import { archivesMethods } from './archives.js';
import { bundlesMethods } from './bundles.js';
import { auditEvents, auditMethods } from './audit.js';
import { datasetsMethods } from './datasets.js';
import { dockerMethods } from './docker.js';
import { environmentsMethods } from './environments.js';
import { jobsEvents, jobsMethods } from './jobs.js';
import { lineageMethods } from './lineage.js';
import { modelsMethods } from './models.js';
import { monitoringMethods } from './monitoring.js';
import { notebooksMethods } from './notebooks.js';
import { readinessMethods } from './readiness.js';
import { workspaceEvents, workspaceMethods } from './workspace.js';

export const methods = {
  ...appMethods,
  ...workspaceMethods,
  ...auditMethods,
  ...jobsMethods,
  ...dockerMethods,
  ...datasetsMethods,
  ...notebooksMethods,
  ...environmentsMethods,
  ...modelsMethods,
  ...lineageMethods,
  ...bundlesMethods,
  ...readinessMethods,
  ...archivesMethods,
  ...monitoringMethods,
} as const;

export const events = {
  ...workspaceEvents,
  ...auditEvents,
  ...jobsEvents,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
/** What a caller passes (defaults optional). */
export type MethodInput<N extends MethodName> = z.input<Methods[N]['input']>;
/** What a handler receives (defaults applied). */
export type MethodParsedInput<N extends MethodName> = z.output<Methods[N]['input']>;
export type MethodOutput<N extends MethodName> = z.output<Methods[N]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]['payload']>;

export const METHOD_NAMES = Object.keys(methods) as MethodName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export const isMethodName = (name: unknown): name is MethodName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);

export * from './app.js';
export * from './archives.js';
export * from './audit.js';
export * from './bundles.js';
export * from './common.js';
export * from './datasets.js';
export * from './docker.js';
export * from './environments.js';
export * from './jobs.js';
export * from './lineage.js';
export * from './models.js';
export * from './monitoring.js';
export * from './notebooks.js';
export * from './readiness.js';
export * from './workspace.js';
