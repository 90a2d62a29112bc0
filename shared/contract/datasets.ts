import { z } from 'zod';
import { method } from './define.js';
import { entityName, fsPath, isoTime } from './common.js';
import { job } from './jobs.js';
import { lineageLink } from './lineage.js';

export const DATASET_FORMATS = ['csv', 'tsv', 'jsonl', 'parquet'] as const;
export const datasetFormat = z.enum(DATASET_FORMATS);
export type DatasetFormat = z.infer<typeof datasetFormat>;

export const COLUMN_KINDS = ['integer', 'number', 'text', 'boolean', 'date', 'timestamp', 'other'] as const;
export const columnKind = z.enum(COLUMN_KINDS);
export type ColumnKind = z.infer<typeof columnKind>;

/** A scalar as it appears in a profile: numbers stay numbers; dates and timestamps are ISO strings. */
export const scalar = z.union([z.number(), z.string(), z.boolean()]);
export type Scalar = z.infer<typeof scalar>;

export const QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;

export const histogramBin = z.object({ lower: scalar, upper: scalar, count: z.number().int() });
export type HistogramBin = z.infer<typeof histogramBin>;

export const columnProfile = z.object({
  name: z.string(),
  /** The engine's type, e.g. BIGINT, DOUBLE, VARCHAR, DATE. */
  type: z.string(),
  kind: columnKind,
  nulls: z.number().int(),
  /** Approximate: linear counting over hashed values (within about 1%; over a sample of them past ~8 million). */
  distinct: z.number().int(),
  min: scalar.nullable(),
  max: scalar.nullable(),
  mean: z.number().nullable(),
  /** The sample standard deviation (divides by n − 1, as pandas' std() does). */
  std: z.number().nullable(),
  /** Quantiles keyed "0.01" … "0.99" (exact up to 262 144 values, else from a uniform sample of that size). */
  quantiles: z.record(z.string(), scalar).nullable(),
  histogram: z.array(histogramBin).nullable(),
  /** The most frequent values with exact counts (text, booleans, categories). */
  top: z.array(z.object({ value: scalar, count: z.number().int() })).nullable(),
  textLength: z.object({ min: z.number().int(), max: z.number().int() }).nullable(),
});
export type ColumnProfile = z.infer<typeof columnProfile>;

export const csvDialect = z.object({
  delimiter: z.string(),
  quote: z.string(),
  escape: z.string(),
  header: z.boolean(),
  encoding: z.string(),
  compression: z.string(),
});
export type CsvDialect = z.infer<typeof csvDialect>;

export const datasetFile = z.object({ path: z.string(), sha256: z.string(), bytes: z.number().int() });

export const datasheet = z.object({
  description: z.string().max(20_000).default(''),
  source: z.string().max(2000).default(''),
  owner: z.string().max(200).default(''),
  licence: z.string().max(200).default(''),
  collectionProcess: z.string().max(20_000).default(''),
  personalData: z.enum(['yes', 'no', 'unknown']).default('unknown'),
});
export type Datasheet = z.infer<typeof datasheet>;

export const datasetVersion = z.object({
  version: z.number().int().positive(),
  sha256: z.string(),
  bytes: z.number().int(),
  format: datasetFormat,
  sourcePath: z.string(),
  files: z.array(datasetFile),
  /** 'copy': the bytes are in the workspace's object store; 'reference': only the path is kept. */
  snapshot: z.enum(['copy', 'reference']),
  snapshotNote: z.string().nullable(),
  dialect: csvDialect.nullable(),
  rows: z.number().int(),
  columnCount: z.number().int(),
  createdAt: isoTime,
  createdBy: z.string(),
});
export type DatasetVersion = z.infer<typeof datasetVersion>;

export const datasetSummary = z.object({
  name: z.string(),
  latestVersion: z.number().int(),
  versions: z.number().int(),
  format: datasetFormat,
  rows: z.number().int(),
  columnCount: z.number().int(),
  bytes: z.number().int(),
  sourcePath: z.string(),
  updatedAt: isoTime,
});
export type DatasetSummary = z.infer<typeof datasetSummary>;

export const datasetSample = z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.unknown())) });

export const datasetDetail = z.object({
  name: z.string(),
  createdAt: isoTime,
  datasheet,
  versions: z.array(datasetVersion),
  /** The version shown: the requested one, else the latest. */
  version: datasetVersion,
  columns: z.array(columnProfile),
  sample: datasetSample,
  /** Notebooks that read any version of it (lineage, matched by path or hash). */
  links: z.array(lineageLink),
});
export type DatasetDetail = z.infer<typeof datasetDetail>;

export const registerResult = z.object({
  outcome: z.enum(['created', 'new-version', 'unchanged']),
  name: z.string(),
  version: z.number().int(),
  sha256: z.string(),
  warnings: z.array(z.string()),
});
export type RegisterResult = z.infer<typeof registerResult>;

export const columnShift = z.object({
  name: z.string(),
  kind: columnKind,
  nullRate: z.object({ from: z.number(), to: z.number() }),
  mean: z.object({ from: z.number().nullable(), to: z.number().nullable() }),
  std: z.object({ from: z.number().nullable(), to: z.number().nullable() }),
  /** Population stability index over the from-version's bins or categories; null when not comparable. */
  psi: z.number().nullable(),
});
export type ColumnShift = z.infer<typeof columnShift>;

export const datasetDiff = z.object({
  name: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  rows: z.object({ from: z.number().int(), to: z.number().int() }),
  added: z.array(z.object({ name: z.string(), type: z.string() })),
  removed: z.array(z.object({ name: z.string(), type: z.string() })),
  retyped: z.array(z.object({ name: z.string(), from: z.string(), to: z.string() })),
  shifts: z.array(columnShift),
});
export type DatasetDiff = z.infer<typeof datasetDiff>;

const datasetName = entityName;

export const datasetsMethods = {
  'datasets.list': method({
    input: z.object({ query: z.string().max(200).optional() }),
    output: z.array(datasetSummary),
    summary: 'Registered datasets, newest change first, optionally filtered by name or path.',
  }),
  'datasets.get': method({
    input: z.object({ name: z.string().min(1), version: z.number().int().positive().optional() }),
    output: datasetDetail,
    summary: 'One dataset with its versions and the profile of one version (the latest by default).',
  }),
  'datasets.register': method({
    input: z.object({
      path: fsPath,
      name: datasetName.optional(),
      /** Copy the bytes into the workspace (default), unless larger than the workspace's limit. */
      snapshot: z.boolean().default(true),
    }),
    output: job,
    summary: 'Start a job that hashes and profiles a file or folder and records it as a dataset version.',
  }),
  'datasets.diff': method({
    input: z.object({ name: z.string().min(1), from: z.number().int().positive(), to: z.number().int().positive() }),
    output: datasetDiff,
    summary: 'Compare two versions: schema changes, row counts and per-column shifts with PSI.',
  }),
  'datasets.updateDatasheet': method({
    input: z.object({ name: z.string().min(1), datasheet }),
    output: datasheet,
    summary: 'Edit the datasheet of a dataset (description, source, owner, licence, collection, personal data).',
  }),
};
