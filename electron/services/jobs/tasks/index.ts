import type { JobKind } from '../../../../shared/contract/index.js';
import type { Task } from '../task.js';
import { registerDataset } from '../../datasets/register-task.js';
import { lintNotebook, registerNotebook } from '../../notebooks/notebook-tasks.js';
import { runNotebook } from '../../notebooks/run-task.js';
import { verifyObjects } from './verify-objects.js';
import { captureEnvironmentTask } from '../../environments/capture-task.js';
import { registerModel } from '../../models/register-task.js';
import { scanModelTask } from '../../models/scan-task.js';
import { verifyBundleTask } from '../../bundles/verify-task.js';
import { writeBundle } from '../../bundles/write-bundle.js';
import { buildBundleImage } from '../../bundles/build-task.js';
import { smokeTestBundle } from '../../bundles/smoke-task.js';
import { exportBundleTask } from '../../bundles/export-task.js';
import { driftCheckTask } from '../../monitoring/drift-task.js';
import { openArchiveTask, writeArchiveTask } from '../../readiness/archive-review.js';

/** The body of each kind of job; runs inside the job worker thread. */
export const TASKS: Record<JobKind, Task<never, unknown>> = {
  'objects.verify': verifyObjects,
  'datasets.register': registerDataset,
  'notebooks.register': registerNotebook,
  'notebooks.lint': lintNotebook,
  'notebooks.run': runNotebook,
  'environments.capture': captureEnvironmentTask,
  'models.scan': scanModelTask,
  'models.register': registerModel,
  'bundles.create': writeBundle,
  'bundles.verify': verifyBundleTask,
  'bundles.build': buildBundleImage,
  'bundles.smoke': smokeTestBundle,
  'bundles.export': exportBundleTask,
  'drift.check': driftCheckTask,
  'archives.open': openArchiveTask,
  'archives.write': writeArchiveTask,
};
