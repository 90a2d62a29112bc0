// The one store, made of feature slices. It is created per app (and per test) around a Transport.
import { createStore } from 'zustand/vanilla';
import type { Transport } from '../../../shared/transport.js';
import { createArchivesSlice } from './archives-slice.js';
import { createAuditSlice } from './audit-slice.js';
import { createBundlesSlice } from './bundles-slice.js';
import { createDatasetsSlice } from './datasets-slice.js';
import { createDockerSlice } from './docker-slice.js';
import { createEnvironmentsSlice } from './environments-slice.js';
import { createJobsSlice } from './jobs-slice.js';
import { createLineageSlice } from './lineage-slice.js';
import { createModelsSlice } from './models-slice.js';
import { createMonitoringSlice } from './monitoring-slice.js';
import { createNotebooksSlice } from './notebooks-slice.js';
import { createReadinessSlice } from './readiness-slice.js';
import type { AppState } from './types.js';
import { createUiSlice, type PreferenceStorage } from './ui-slice.js';
import { createWorkspaceSlice } from './workspace-slice.js';

export interface AppStoreOptions {
  /** Where the theme is kept; defaults to localStorage. */
  storage?: PreferenceStorage | null;
}

export const createAppStore = (transport: Transport, options: AppStoreOptions = {}) =>
  createStore<AppState>()((...a) => ({
    ...createWorkspaceSlice(transport)(...a),
    ...createJobsSlice(transport)(...a),
    ...createDockerSlice(transport)(...a),
    ...createAuditSlice(transport)(...a),
    ...createDatasetsSlice(transport)(...a),
    ...createNotebooksSlice(transport)(...a),
    ...createEnvironmentsSlice(transport)(...a),
    ...createModelsSlice(transport)(...a),
    ...createLineageSlice(transport)(...a),
    ...createBundlesSlice(transport)(...a),
    ...createReadinessSlice(transport)(...a),
    ...createArchivesSlice(transport)(...a),
    ...createMonitoringSlice(transport)(...a),
    ...createUiSlice(options.storage)(...a),
  }));

export type AppStore = ReturnType<typeof createAppStore>;
export type { AppState } from './types.js';
export {
  archiveOutcome,
  archiveRoute,
  createArchivesSlice,
  isArchiveTab,
  selectArchiveOpenJob,
  selectArchiveWrite,
  selectArchiveWriteJob,
  selectShownArchive,
  ARCHIVE_TABS,
  type ArchiveJobStart,
  type ArchiveOpenStart,
  type ArchiveRoute,
  type ArchivesSlice,
  type ArchiveTab,
} from './archives-slice.js';
export { createAuditSlice } from './audit-slice.js';
export {
  appendToLog,
  bundleKey,
  bundleRoute,
  createBundlesSlice,
  exportOutcome,
  isBundleTab,
  newBundleWizard,
  selectBundle,
  selectOpJob,
  selectOpStart,
  selectShownBundle,
  selectWizardPlan,
  smokeOutcome,
  stepIndex,
  verifyOutcome,
  BUNDLE_TABS,
  DEFAULT_TOLERANCE,
  JOB_LOG_LINES,
  WIZARD_STEPS,
  type BundleCreateOptions,
  type BundleOp,
  type BundleOpStart,
  type BundleRoute,
  type BundlesView,
  type BundleTab,
  type BundleWizard,
  type JobLog,
  type WizardStep,
} from './bundles-slice.js';
export {
  createDatasetsSlice,
  datasetKey,
  datasetRoute,
  diffKey,
  isDatasetTab,
  registrationOutcome,
  selectShownDataset,
  DATASET_TABS,
  type DatasetRoute,
  type DatasetTab,
  type Registration,
  type RegisterRequest,
} from './datasets-slice.js';
export { createDockerSlice } from './docker-slice.js';
export {
  captureFrom,
  captureOutcome,
  comparisonKey,
  createEnvironmentsSlice,
  environmentKey,
  environmentRoute,
  isEnvironmentTab,
  selectShownEnvironment,
  ENVIRONMENT_TABS,
  type CaptureRequest,
  type EnvironmentRoute,
  type EnvironmentTab,
} from './environments-slice.js';
export { createLineageSlice, lineageKey, lineageNodeId, selectLineage } from './lineage-slice.js';
export {
  createModelsSlice,
  isModelTab,
  modelKey,
  modelRegistrationOutcome,
  modelRoute,
  scanOutcome,
  selectShownModel,
  MODEL_TABS,
  type ModelFormOptions,
  type ModelRegisterRequest,
  type ModelRoute,
  type ModelsView,
  type ModelTab,
} from './models-slice.js';
export {
  createMonitoringSlice,
  driftOutcome,
  handBackOutcome,
  monitoringRoute,
  selectDriftCheck,
  selectDriftHistory,
  selectDriftRunJob,
  selectDriftSettings,
  selectHandBackJob,
  selectMonitoringModel,
  BATCH_FILE_EXTENSIONS,
  type DriftCheckRequest,
  type DriftRun,
  type HandBackStart,
  type MonitoredModel,
  type MonitoringRoute,
} from './monitoring-slice.js';
export { createJobsSlice, selectJobs, selectRunningJobCount, isFinished } from './jobs-slice.js';
export {
  createNotebooksSlice,
  isNotebookTab,
  notebookKey,
  notebookRegistrationOutcome,
  notebookRoute,
  notebookRunOutcome,
  selectShownNotebook,
  NOTEBOOK_TABS,
  type NotebookRoute,
  type NotebookRunStart,
  type NotebookTab,
  type RunNotebookRequest,
} from './notebooks-slice.js';
export {
  createReadinessSlice,
  selectReadiness,
  selectReportWrite,
  type ReadinessSlice,
  type ReportFormat,
  type ReportWrite,
  type ReviewRequest,
  type WrittenReport,
} from './readiness-slice.js';
export { createUiSlice, SECTIONS, isSectionId, resolveTheme, type SectionId, type ThemePreference } from './ui-slice.js';
export { createWorkspaceSlice } from './workspace-slice.js';
