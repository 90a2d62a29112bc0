import type { StateCreator } from 'zustand';
import type { Transport } from '../../../shared/transport.js';
import type { ArchivesSlice } from './archives-slice.js';
import type { AuditSlice } from './audit-slice.js';
import type { BundlesSlice } from './bundles-slice.js';
import type { DatasetsSlice } from './datasets-slice.js';
import type { DockerSlice } from './docker-slice.js';
import type { EnvironmentsSlice } from './environments-slice.js';
import type { JobsSlice } from './jobs-slice.js';
import type { LineageSlice } from './lineage-slice.js';
import type { ModelsSlice } from './models-slice.js';
import type { MonitoringSlice } from './monitoring-slice.js';
import type { NotebooksSlice } from './notebooks-slice.js';
import type { ReadinessSlice } from './readiness-slice.js';
import type { UiSlice } from './ui-slice.js';
import type { WorkspaceSlice } from './workspace-slice.js';

export type AppState = WorkspaceSlice &
  JobsSlice &
  DockerSlice &
  AuditSlice &
  DatasetsSlice &
  NotebooksSlice &
  EnvironmentsSlice &
  ModelsSlice &
  LineageSlice &
  BundlesSlice &
  ReadinessSlice &
  ArchivesSlice &
  MonitoringSlice &
  UiSlice;

/** A slice creator in the zustand slices pattern, given the transport it talks through. */
export type SliceCreator<T> = (transport: Transport) => StateCreator<AppState, [], [], T>;

/** How an asynchronous load is going. */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'failed';
