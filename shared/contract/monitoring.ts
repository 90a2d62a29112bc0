// Monitoring: the drift check of a batch of production inputs (CSV, TSV, JSON Lines, Parquet or the
// serving container's prediction log) against a model version's training reference, its history
// per model, the hand-back of a drifted batch as candidate retraining data, and the thresholds per
// model.
import { z } from 'zod';
import { method } from './define.js';
import { entityName, fsPath, isoTime } from './common.js';
import { columnKind, scalar } from './datasets.js';
import { job } from './jobs.js';

/**
 * When a feature and a batch count as drifted. The PSI bands and the Jensen-Shannon threshold are
 * the conventions of the established drift tools (and of the bundle's app/drift.py); a feature
 * drifts when its PSI is significant, or moderate with JS at or above `js`, and, where a
 * statistical test could run, its p-value is below `pValue` (so a difference that sampling alone
 * explains is not called drift). The batch drifts when at least `datasetShare` of the features
 * checked drift.
 */
const thresholdFields = {
  psiModerate: z.number().min(0).max(10),
  psiSignificant: z.number().min(0).max(10),
  js: z.number().min(0).max(1),
  pValue: z.number().gt(0).max(1),
  datasetShare: z.number().gt(0).max(1),
};
export const driftThresholds = z.object({
  psiModerate: thresholdFields.psiModerate.default(0.1),
  psiSignificant: thresholdFields.psiSignificant.default(0.25),
  js: thresholdFields.js.default(0.1),
  pValue: thresholdFields.pValue.default(0.05),
  datasetShare: thresholdFields.datasetShare.default(0.5),
});
export type DriftThresholds = z.infer<typeof driftThresholds>;
export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = driftThresholds.parse({});
/** Some thresholds; the others keep the model's (or the default) values. */
export const driftThresholdsPatch = z.object(thresholdFields).partial();
export type DriftThresholdsPatch = z.infer<typeof driftThresholdsPatch>;

export const PSI_BANDS = ['stable', 'moderate', 'significant'] as const;
export const STATISTICAL_TESTS = ['ks', 'chi2'] as const;

/** One bucket both distributions are counted in: a histogram bin, a category, "other/new" or nulls. */
export const driftBucket = z.object({
  /** "[0, 60]", "(60, 120]", "basic", "other/new", "null". */
  label: z.string(),
  kind: z.enum(['bin', 'value', 'other', 'null']),
  /** Bins: (lower, upper], the first one closed; values below the first bin count in it, above the last in the last. */
  lower: scalar.nullable(),
  upper: scalar.nullable(),
  /** Categories: the value. */
  value: scalar.nullable(),
  /** Counts in the training reference and in the batch. */
  reference: z.number(),
  current: z.number(),
  referenceShare: z.number(),
  currentShare: z.number(),
});
export type DriftBucket = z.infer<typeof driftBucket>;

export const driftFeature = z.object({
  name: z.string(),
  kind: columnKind,
  /** Population stability index over the buckets (shares clamped at 1e-4); null when not comparable. */
  psi: z.number().nullable(),
  psiBand: z.enum(PSI_BANDS).nullable(),
  /** Jensen-Shannon distance over the same buckets (base 2, 0..1). */
  js: z.number().nullable(),
  /** Kolmogorov-Smirnov (numbers, dates) or chi-square (categories); null where the sample sizes do not suit a test. */
  test: z.enum(STATISTICAL_TESTS).nullable(),
  statistic: z.number().nullable(),
  pValue: z.number().nullable(),
  /** 'exact': over both samples' values (KS: the training snapshot); 'approximate': KS against the reference profile's CDF. */
  testBasis: z.enum(['exact', 'approximate']).nullable(),
  /** How the test was done, or why none ran. */
  testNote: z.string().nullable(),
  drifted: z.boolean(),
  /** Why it drifted or not, in a sentence. */
  reason: z.string(),
  /** Values in the batch that were compared (not null, of the right type). */
  values: z.number().int(),
  nulls: z.number().int(),
  /** Values of the wrong type (not a number, not a date, not true/false). */
  invalid: z.number().int(),
  /** Numbers and dates below the training minimum, above the training maximum. */
  belowRange: z.number().int(),
  aboveRange: z.number().int(),
  /** The batch's range and mean (numbers and dates; dates as ISO text). */
  current: z.object({ min: scalar.nullable(), max: scalar.nullable(), mean: z.number().nullable() }),
  /**
   * Values the reference does not list, most frequent first (at most 20), with exact counts: for
   * categories whose reference lists every value it saw (so these are new), and for booleans (not
   * true or false). Empty otherwise: the "other/new" bucket counts them.
   */
  unlisted: z.array(z.object({ value: z.string(), count: z.number().int() })),
  /** True when the reference lists every value it saw, so unlisted values are new categories. */
  unlistedAreNew: z.boolean(),
  buckets: z.array(driftBucket),
  /** What sampling alone gives for PSI on an unchanged distribution (about (k − 1)(1/n + 1/N)). */
  psiNoise: z.number().nullable(),
  /** Why the feature was not compared (no reference histogram, no values in the batch), else null. */
  skipped: z.string().nullable(),
});
export type DriftFeature = z.infer<typeof driftFeature>;

export const SCHEMA_VIOLATION_KINDS = ['missing-column', 'unknown-column', 'wrong-type', 'unexpected-null', 'out-of-range', 'new-category'] as const;
export const schemaViolationKind = z.enum(SCHEMA_VIOLATION_KINDS);
export type SchemaViolationKind = z.infer<typeof schemaViolationKind>;

export const schemaViolation = z.object({
  kind: schemaViolationKind,
  column: z.string(),
  /** Rows (or values) affected. */
  count: z.number().int(),
  message: z.string(),
  /** A few of the offending values. */
  examples: z.array(z.string()),
});
export type SchemaViolation = z.infer<typeof schemaViolation>;

/** Drift of the model's own outputs, when the batch holds them, against the golden predictions. */
export const predictionDrift = driftFeature.extend({
  /** The batch column (or prediction log field) read. */
  column: z.string(),
  /** The golden set: the model's predictions on a seeded sample of its training data. */
  reference: z.object({ source: z.literal('golden'), rows: z.number().int() }),
});
export type PredictionDrift = z.infer<typeof predictionDrift>;

export const BATCH_FORMATS = ['csv', 'tsv', 'jsonl', 'parquet', 'prediction-log'] as const;

export const driftResult = z.object({
  /** The dataset-level verdict: at least thresholds.datasetShare of the features checked drifted. */
  drift: z.boolean(),
  /** Features compared (not skipped). */
  checked: z.number().int(),
  /** Names of the drifted features. */
  drifted: z.array(z.string()),
  /** drifted / checked; null when nothing could be compared. */
  share: z.number().nullable(),
  /** Per input feature, most severe first (drifted, then by PSI). */
  features: z.array(driftFeature),
  schemaViolations: z.array(schemaViolation),
  predictionDrift: predictionDrift.nullable(),
  /** Records read. */
  rows: z.number().int(),
  /** Malformed lines counted and skipped (JSON Lines and prediction logs). */
  skipped: z.number().int(),
  batch: z.object({
    path: z.string(),
    sha256: z.string(),
    bytes: z.number().int(),
    format: z.enum(BATCH_FORMATS),
    files: z.number().int(),
    /** The model's training target is a column of the batch (labels for retraining). */
    hasTarget: z.boolean(),
  }),
  reference: z.object({
    /** 'model': the catalog's training profile; 'bundle': the bundle's monitoring/reference-profile.json. */
    source: z.enum(['model', 'bundle']),
    model: z.object({ name: z.string(), version: z.number().int() }),
    bundle: z.object({ name: z.string(), version: z.number().int(), path: z.string() }).nullable(),
    dataset: z.object({ name: z.string(), version: z.number().int(), sha256: z.string(), rows: z.number().int() }),
    target: z.string().nullable(),
    /** Whether the training data's snapshot was there for exact two-sample tests. */
    snapshot: z.boolean(),
  }),
  thresholds: driftThresholds,
  warnings: z.array(z.string()),
  checkedAt: isoTime,
  durationMs: z.number().int(),
});
export type DriftResult = z.infer<typeof driftResult>;

export const driftHandBack = z.object({
  dataset: z.object({ name: z.string(), version: z.number().int() }),
  /** The batch held the target column, so the new version carries labels. */
  labelled: z.boolean(),
  at: isoTime,
  by: z.string(),
});
export type DriftHandBack = z.infer<typeof driftHandBack>;

/** A stored check. */
export const driftCheck = driftResult.extend({
  id: z.number().int(),
  checkedBy: z.string(),
  handBacks: z.array(driftHandBack),
});
export type DriftCheck = z.infer<typeof driftCheck>;

/** One row of a model's drift history (a point of its time series). */
export const driftCheckSummary = z.object({
  id: z.number().int(),
  checkedAt: isoTime,
  checkedBy: z.string(),
  model: z.object({ name: z.string(), version: z.number().int() }),
  bundle: z.boolean(),
  batch: z.object({ path: z.string(), sha256: z.string(), format: z.enum(BATCH_FORMATS) }),
  rows: z.number().int(),
  drift: z.boolean(),
  checked: z.number().int(),
  drifted: z.array(z.string()),
  share: z.number().nullable(),
  features: z.array(z.object({ name: z.string(), psi: z.number().nullable(), js: z.number().nullable(), drifted: z.boolean() })),
  schemaViolations: z.number().int(),
  predictionDrifted: z.boolean().nullable(),
  handBacks: z.array(driftHandBack),
});
export type DriftCheckSummary = z.infer<typeof driftCheckSummary>;

export const driftSettings = z.object({
  model: z.string(),
  thresholds: driftThresholds,
  /** False while the model uses the defaults. */
  custom: z.boolean(),
  updatedAt: isoTime.nullable(),
  updatedBy: z.string().nullable(),
});
export type DriftSettings = z.infer<typeof driftSettings>;

/** What a hand-back job produces: the dataset version registered, linked to the model. */
export const driftHandBackResult = z.object({
  outcome: z.enum(['created', 'new-version', 'unchanged']),
  name: z.string(),
  version: z.number().int(),
  sha256: z.string(),
  warnings: z.array(z.string()),
  checkId: z.number().int(),
  model: z.object({ name: z.string(), version: z.number().int() }),
  labelled: z.boolean(),
  target: z.string().nullable(),
});
export type DriftHandBackResult = z.infer<typeof driftHandBackResult>;

export const monitoringMethods = {
  'drift.check': method({
    input: z.object({
      model: z.string().min(1),
      /** Default: the latest version. */
      version: z.number().int().positive().optional(),
      /** Check against the workspace's bundle of that version (its monitoring/reference-profile.json). */
      bundle: z.boolean().default(false),
      /** The batch: a file or a folder of same-format files, or the serving container's prediction log. */
      data: fsPath,
      /** Override some of the model's thresholds for this check. */
      thresholds: driftThresholdsPatch.optional(),
    }),
    output: job,
    summary: 'Start a job that compares a batch of production inputs with a model version\'s training reference and stores the result.',
  }),
  'drift.history': method({
    input: z.object({ model: z.string().min(1), version: z.number().int().positive().optional(), limit: z.number().int().min(1).max(1000).default(200) }),
    output: z.array(driftCheckSummary),
    summary: 'The stored drift checks of a model (or one version), newest first.',
  }),
  'drift.latest': method({
    input: z.object({}).default({}),
    output: z.array(driftCheckSummary),
    summary: 'The newest drift check of every model that has one (the monitoring overview), by model name.',
  }),
  'drift.get': method({
    input: z.object({ id: z.number().int().positive() }),
    output: driftCheck,
    summary: 'One stored drift check with every feature, the schema violations and its hand-backs.',
  }),
  'drift.handBack': method({
    input: z.object({ id: z.number().int().positive(), name: entityName, snapshot: z.boolean().default(true) }),
    output: job,
    summary: 'Start a job that registers a checked batch as a new dataset version, linked to the model as candidate retraining data; audited.',
  }),
  'drift.settings': method({
    input: z.object({ model: z.string().min(1) }),
    output: driftSettings,
    summary: 'The drift thresholds of a model (the defaults until changed).',
  }),
  'drift.updateSettings': method({
    input: z.object({ model: z.string().min(1), thresholds: driftThresholdsPatch.default({}), reset: z.boolean().default(false) }),
    output: driftSettings,
    summary: 'Change some drift thresholds of a model, or reset them to the defaults; audited.',
  }),
};
