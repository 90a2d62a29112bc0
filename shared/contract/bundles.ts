import { z } from 'zod';
import { method } from './define.js';
import { fsPath, isoTime } from './common.js';
import { job } from './jobs.js';

export const BUNDLE_STRATEGIES = ['pip', 'wheelhouse', 'base'] as const;
export const installStrategy = z.enum(BUNDLE_STRATEGIES);
export type InstallStrategyName = z.infer<typeof installStrategy>;

/** How a bundle is made: the image's base and how it gets its libraries. */
export const bundleOptions = z.object({
  /** Default: python:X.Y-slim with the environment's Python minor version. */
  baseImage: z.string().trim().min(1).max(300).optional(),
  strategy: installStrategy.default('pip'),
  /** Absolute tolerance for golden probabilities and values in the generated tests. */
  tolerance: z.number().positive().max(1).default(1e-6),
  /** Kubernetes resources for the Deployment. */
  resources: z
    .object({ cpuRequest: z.string().default('250m'), memoryRequest: z.string().default('512Mi'), cpuLimit: z.string().default('1'), memoryLimit: z.string().default('1Gi') })
    .default({ cpuRequest: '250m', memoryRequest: '512Mi', cpuLimit: '1', memoryLimit: '1Gi' }),
});
export type BundleOptions = z.infer<typeof bundleOptions>;

export const bundleFile = z.object({ path: z.string(), sha256: z.string(), bytes: z.number().int() });

export const bundleSummary = z.object({
  name: z.string(),
  version: z.number().int(),
  model: z.object({ name: z.string(), version: z.number().int() }),
  path: z.string(),
  strategy: installStrategy,
  baseImage: z.string(),
  imageTag: z.string(),
  createdAt: isoTime,
  createdBy: z.string(),
});
export type BundleSummary = z.infer<typeof bundleSummary>;

export const bundleDetail = bundleSummary.extend({
  files: z.array(bundleFile),
  manifestSha256: z.string(),
  signatureFingerprint: z.string(),
});
export type BundleDetail = z.infer<typeof bundleDetail>;

export const bundlesMethods = {
  'bundles.create': method({
    input: z.object({ model: z.string().min(1), version: z.number().int().positive().optional(), options: bundleOptions.prefault({}) }),
    output: job,
    summary: 'Start a job that writes the hand-off bundle of a model version (Dockerfile, serving app, tests, monitoring, documents, signed manifest).',
  }),
  'bundles.list': method({
    input: z.object({ model: z.string().optional() }),
    output: z.array(bundleSummary),
    summary: 'Bundles of the open workspace, newest first.',
  }),
  'bundles.get': method({
    input: z.object({ name: z.string().min(1), version: z.number().int().positive() }),
    output: bundleDetail,
    summary: 'One bundle: its files with their hashes and its signature.',
  }),
  'bundles.verify': method({
    input: z.object({ path: fsPath }),
    output: job,
    summary: 'Start a job that checks a bundle folder or archive: every hash, the manifest signature.',
  }),
};
