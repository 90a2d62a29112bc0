import { z } from 'zod';
import { method } from './define.js';
import { entityName, fsPath, isoTime } from './common.js';
import { environmentMismatch, environmentRef } from './environments.js';
import { job } from './jobs.js';
import { lineageLink } from './lineage.js';

export const ARTIFACT_FORMATS = ['pickle', 'joblib', 'onnx'] as const;
export const artifactFormat = z.enum(ARTIFACT_FORMATS);
export type ArtifactFormat = z.infer<typeof artifactFormat>;

export const MODEL_FRAMEWORKS = ['scikit-learn', 'xgboost', 'onnx', 'other'] as const;
export const modelFramework = z.enum(MODEL_FRAMEWORKS);
export type ModelFramework = z.infer<typeof modelFramework>;

export const SCAN_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const scanSeverity = z.enum(SCAN_SEVERITIES);
export type ScanSeverity = z.infer<typeof scanSeverity>;

export const scanFinding = z.object({
  severity: scanSeverity,
  /** 'global': an import or call outside the allowlist; 'opcode': a construct used to hide one;
   *  'embedded': a pickle inside the pickle; 'format': the stream is damaged or cannot be followed. */
  kind: z.enum(['global', 'opcode', 'embedded', 'format']),
  module: z.string().nullable(),
  name: z.string().nullable(),
  /** Byte offset in the (decompressed) pickle stream, when known. */
  offset: z.number().int().nullable(),
  message: z.string(),
});
export type ScanFinding = z.infer<typeof scanFinding>;

export const scanGlobal = z.object({
  module: z.string(),
  name: z.string(),
  allowed: z.boolean(),
  count: z.number().int(),
});
export type ScanGlobal = z.infer<typeof scanGlobal>;

/** The static scan of an artifact: nothing in it was loaded or run. */
export const scanResult = z.object({
  /** True when no finding is critical, high or medium. */
  safe: z.boolean(),
  format: artifactFormat,
  /** joblib's compressor ("zlib", "gzip", "bz2", "lzma", "xz", "lz4"), null when not compressed. */
  compression: z.string().nullable(),
  /** Highest pickle protocol seen; null for ONNX. */
  protocol: z.number().int().nullable(),
  /** Every global the pickle would import, in first-seen order. */
  globals: z.array(scanGlobal),
  findings: z.array(scanFinding),
  /** Library versions written into the artifact, e.g. {"scikit-learn": "1.2.1"} from _sklearn_version. */
  recordedVersions: z.record(z.string(), z.string()),
  bytes: z.number().int(),
  sha256: z.string(),
});
export type ScanResult = z.infer<typeof scanResult>;

/** A parameter value as shown: JSON scalars kept, anything else as its repr. */
export const paramValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const pipelineStep = z.object({
  /** Slash-joined path of step names, e.g. "preprocess/num". */
  path: z.string(),
  className: z.string(),
  /** Columns a ColumnTransformer routes to this step, when known. */
  columns: z.array(z.string()).nullable(),
});
export type PipelineStep = z.infer<typeof pipelineStep>;

export const MODEL_TASKS = ['classification', 'regression', 'other'] as const;
export const modelTask = z.enum(MODEL_TASKS);
export type ModelTask = z.infer<typeof modelTask>;

export const introspection = z.object({
  className: z.string(),
  module: z.string(),
  framework: modelFramework,
  task: modelTask,
  /** Versions in the environment that loaded it: python, scikit-learn, numpy, xgboost, onnx… */
  libraryVersions: z.record(z.string(), z.string()),
  params: z.record(z.string(), paramValue),
  nFeatures: z.number().int().nullable(),
  featureNames: z.array(z.string()).nullable(),
  classes: z.array(z.union([z.string(), z.number(), z.boolean()])).nullable(),
  steps: z.array(pipelineStep),
  featureImportances: z.array(z.object({ feature: z.string(), importance: z.number() })).nullable(),
  /** Warnings the library printed while loading, e.g. an InconsistentVersionWarning. */
  warnings: z.array(z.string()),
});
export type Introspection = z.infer<typeof introspection>;

export const SIGNATURE_DTYPES = ['int64', 'float64', 'bool', 'string', 'datetime', 'object'] as const;
export const signatureDtype = z.enum(SIGNATURE_DTYPES);
export type SignatureDtype = z.infer<typeof signatureDtype>;

export const signatureInput = z.object({ name: z.string(), dtype: signatureDtype, nullable: z.boolean() });
export type SignatureInput = z.infer<typeof signatureInput>;
export const signatureOutput = z.object({
  name: z.string(),
  kind: z.enum(['label', 'probability', 'value']),
  dtype: signatureDtype,
  /** For probabilities: the class it is the probability of. */
  class: z.union([z.string(), z.number(), z.boolean()]).nullable(),
});
export type SignatureOutput = z.infer<typeof signatureOutput>;

export const signature = z.object({
  inputs: z.array(signatureInput),
  outputs: z.array(signatureOutput),
  /** 'model': names from feature_names_in_ (dtypes from the data); 'dataset': the training columns minus the target. */
  inputsFrom: z.enum(['model', 'dataset']),
});
export type Signature = z.infer<typeof signature>;

export const goldenSet = z.object({
  count: z.number().int(),
  seed: z.number().int(),
  /** The training dataset version the rows were sampled from. */
  dataset: z.object({ name: z.string(), version: z.number().int() }),
  /** The environment that computed them: python and library versions. */
  libraryVersions: z.record(z.string(), z.string()),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.unknown())),
  predictions: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  /** Per row, per class in `classes` order; null for regressors and models without predict_proba. */
  probabilities: z.array(z.array(z.number())).nullable(),
  classes: z.array(z.union([z.string(), z.number(), z.boolean()])).nullable(),
});
export type GoldenSet = z.infer<typeof goldenSet>;

export const metricValues = z.record(z.string(), z.number());
export const modelMetrics = z.object({
  source: z.enum(['computed', 'file', 'form']),
  /** The evaluation dataset version, when computed. */
  dataset: z.object({ name: z.string(), version: z.number().int() }).nullable(),
  rows: z.number().int().nullable(),
  values: metricValues,
  /** The trivial model (majority class, or the training mean) on the same data. */
  baseline: z.object({ strategy: z.enum(['majority', 'mean']), values: metricValues }).nullable(),
  recordedAt: isoTime,
});
export type ModelMetrics = z.infer<typeof modelMetrics>;

/** The nine sections of a model card (Mitchell et al., 2019), each markdown. */
export const MODEL_CARD_SECTIONS = {
  details: 'Model details',
  intendedUse: 'Intended use',
  factors: 'Factors',
  metrics: 'Metrics',
  evaluationData: 'Evaluation data',
  trainingData: 'Training data',
  quantitativeAnalyses: 'Quantitative analyses',
  ethicalConsiderations: 'Ethical considerations',
  caveats: 'Caveats and recommendations',
} as const;
export type ModelCardSection = keyof typeof MODEL_CARD_SECTIONS;
export const modelCard = z.object(
  Object.fromEntries(Object.keys(MODEL_CARD_SECTIONS).map((k) => [k, z.string().max(50_000)])) as Record<ModelCardSection, z.ZodString>,
);
export type ModelCard = z.infer<typeof modelCard>;

export const datasetRef = z.object({ name: z.string().min(1), version: z.number().int().positive().optional() });

export const modelLinks = z.object({
  training: z.array(z.object({ name: z.string(), version: z.number().int(), target: z.string() })),
  evaluation: z.object({ name: z.string(), version: z.number().int() }).nullable(),
  notebook: z.object({ name: z.string(), version: z.number().int() }).nullable(),
  environment: z.object({ name: z.string(), version: z.number().int() }).nullable(),
});
export type ModelLinks = z.infer<typeof modelLinks>;

export const modelVersion = z.object({
  version: z.number().int().positive(),
  sha256: z.string(),
  bytes: z.number().int(),
  format: artifactFormat,
  framework: modelFramework,
  className: z.string(),
  task: modelTask,
  sourcePath: z.string(),
  /** The scan found something and a person chose to load it anyway (the reason is in the audit log). */
  scanOverride: z.object({ by: z.string(), reason: z.string(), at: isoTime }).nullable(),
  /** A version that went into a bundle can no longer change. */
  bundled: z.boolean(),
  createdAt: isoTime,
  createdBy: z.string(),
});
export type ModelVersion = z.infer<typeof modelVersion>;

export const modelSummary = z.object({
  name: z.string(),
  latestVersion: z.number().int(),
  versions: z.number().int(),
  framework: modelFramework,
  className: z.string(),
  task: modelTask,
  safe: z.boolean(),
  updatedAt: isoTime,
});
export type ModelSummary = z.infer<typeof modelSummary>;

export const modelDetail = z.object({
  name: z.string(),
  createdAt: isoTime,
  versions: z.array(modelVersion),
  version: modelVersion,
  scan: scanResult,
  introspection,
  signature,
  golden: goldenSet,
  metrics: modelMetrics.nullable(),
  card: modelCard,
  lineage: modelLinks,
  /** Notebooks that wrote this file (matched by path or hash), and the links above as lineage edges. */
  links: z.array(lineageLink),
  mismatches: z.array(environmentMismatch),
});
export type ModelDetail = z.infer<typeof modelDetail>;

export const modelRegisterResult = z.object({
  outcome: z.enum(['created', 'new-version']),
  name: z.string(),
  version: z.number().int(),
  sha256: z.string(),
  environment: z.object({ name: z.string(), version: z.number().int() }),
  warnings: z.array(z.string()),
});
export type ModelRegisterResult = z.infer<typeof modelRegisterResult>;

export const metricsInput = z.discriminatedUnion('source', [
  /** Computed by the helper on this dataset version (it must contain the target column). */
  z.object({ source: z.literal('computed'), dataset: datasetRef }),
  /** A JSON object of metric name to number. */
  z.object({ source: z.literal('file'), path: fsPath }),
  z.object({ source: z.literal('form'), values: metricValues }),
]);
export type MetricsInput = z.infer<typeof metricsInput>;

export const modelRef = z.object({ name: z.string().min(1), version: z.number().int().positive().optional() });

export const modelsMethods = {
  'models.scan': method({
    input: z.object({ path: fsPath }),
    output: job,
    summary: 'Start a job that statically scans a model file (pickle, joblib, ONNX) without loading it.',
  }),
  'models.register': method({
    input: z
      .object({
        path: fsPath,
        name: entityName.optional(),
        training: z.object({ dataset: datasetRef, target: z.string().min(1) }),
        metrics: metricsInput.optional(),
        notebook: z.object({ name: z.string().min(1), version: z.number().int().positive().optional() }).optional(),
        /** A captured environment to load the model in… */
        environment: environmentRef.optional(),
        /** …or an interpreter, captured on the way. Default: python3 on PATH. */
        python: fsPath.optional(),
        /** Golden examples sampled from the training data. */
        sampleSize: z.number().int().min(1).max(10_000).default(100),
        seed: z.number().int().min(0).default(42),
        /** Load the model although the scan found something; the reason goes to the audit log. */
        overrideScan: z.object({ reason: z.string().trim().min(10, 'Say why in at least 10 characters') }).optional(),
      })
      .refine((v) => !(v.environment && v.python), 'Give an environment or a Python interpreter, not both'),
    output: job,
    summary: 'Start a job that scans, introspects and records a model version with its signature, golden predictions and metrics.',
  }),
  'models.list': method({
    input: z.object({ query: z.string().max(200).optional() }),
    output: z.array(modelSummary),
    summary: 'Registered models, newest change first.',
  }),
  'models.get': method({
    input: modelRef,
    output: modelDetail,
    summary: 'One model version: scan, parameters, signature, golden predictions, metrics, card, lineage.',
  }),
  'models.updateCard': method({
    input: z.object({ name: z.string().min(1), version: z.number().int().positive(), card: modelCard.partial() }),
    output: modelCard,
    summary: 'Edit sections of a model version\'s card (refused once the version is bundled).',
  }),
  'models.recordMetrics': method({
    input: z.object({ name: z.string().min(1), version: z.number().int().positive(), values: metricValues }),
    output: modelMetrics,
    summary: 'Record metrics for a model version from a form (refused once the version is bundled).',
  }),
};
