import { z } from 'zod';
import { method } from './define.js';
import { fsPath, isoTime } from './common.js';
import { job } from './jobs.js';
import { readinessReport } from './readiness.js';

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

/** The image built from a bundle (bundles.build). */
export const bundleImage = z.object({
  /** The engine's image id, "sha256:…". */
  id: z.string(),
  tag: z.string(),
  bytes: z.number().int().nullable(),
  builtAt: isoTime,
});
export type BundleImage = z.infer<typeof bundleImage>;

/** The last build of the bundle as it is now (its current manifest). */
export const bundleBuildState = z.object({
  state: z.enum(['succeeded', 'failed']),
  at: isoTime,
  imageId: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  /** Why it failed: the error's message (it quotes what the failing step printed). */
  error: z.string().nullable(),
  /** The last lines of the build log. */
  logTail: z.array(z.string()),
  /** Whether the bundle's files matched its signed manifest when it was built. */
  manifestOk: z.boolean().nullable(),
});
export type BundleBuildState = z.infer<typeof bundleBuildState>;

export const SMOKE_NETWORKS = ['host', 'publish'] as const;
/** 'publish': the container's port published on 127.0.0.1 (laptops); 'host': host networking on a free loopback port (CI, tests). */
export const smokeNetwork = z.enum(SMOKE_NETWORKS);

export const smokeCheck = z.object({
  /** ready | metadata | parity.predict | parity.v2 | malformed | metrics | pytest | shutdown */
  id: z.string(),
  ok: z.boolean(),
  message: z.string(),
});
export type SmokeCheck = z.infer<typeof smokeCheck>;

export const smokeMismatch = z.object({
  endpoint: z.enum(['predict', 'v2']),
  /** The golden row; null for a whole-response problem (a count or a missing output). */
  row: z.number().int().nullable(),
  output: z.string(),
  expected: z.unknown(),
  actual: z.unknown(),
});

/** What a smoke test of a bundle's image found (bundles.smokeTest). */
export const smokeTestResult = z.object({
  passed: z.boolean(),
  bundle: z.object({ name: z.string(), version: z.number().int() }),
  image: z.object({ id: z.string(), tag: z.string() }),
  network: smokeNetwork,
  port: z.number().int().nullable(),
  startedAt: isoTime,
  durationMs: z.number().int(),
  /** From the container's start until /v2/health/ready answered 200; null when it never did. */
  readyMs: z.number().int().nullable(),
  checks: z.array(smokeCheck),
  parity: z.object({
    examples: z.number().int(),
    tolerance: z.number(),
    predict: z.object({ matched: z.number().int(), mismatched: z.number().int() }),
    v2: z.object({ matched: z.number().int(), mismatched: z.number().int() }),
    /** The largest absolute difference of a probability or regression value from the golden set. */
    maxDifference: z.number().nullable(),
    /** The first differences found (at most 20). */
    mismatches: z.array(smokeMismatch),
  }),
  malformed: z.array(z.object({ case: z.string(), endpoint: z.string(), status: z.number().int().nullable(), ok: z.boolean(), kind: z.string().nullable() })),
  malformedRejected: z.boolean(),
  latencyMs: z.object({ requests: z.number().int(), p50: z.number().nullable(), p95: z.number().nullable(), max: z.number().nullable() }),
  metrics: z.object({ ok: z.boolean(), families: z.number().int(), predictRequests: z.number().nullable(), clientErrors: z.number().nullable() }),
  pytest: z.object({
    ran: z.boolean(),
    exitCode: z.number().int().nullable(),
    passed: z.number().int(),
    failed: z.number().int(),
    errors: z.number().int(),
    skipped: z.number().int(),
    /** pytest's last line, e.g. "6 passed in 2.31s". */
    summary: z.string(),
    /** The end of its output. */
    output: z.string(),
  }),
  /** The end of the container's log when something failed, else null. */
  containerLogs: z.string().nullable(),
});
export type SmokeTestResult = z.infer<typeof smokeTestResult>;

/** The last export of the bundle as it is now (bundles.export). */
export const bundleExport = z.object({
  /** bundles/NAME-VERSION.tar.gz (or where --out put it). */
  archive: z.string(),
  /** SHA-256 of the .tar.gz: the same bundle gives the same hash. */
  sha256: z.string(),
  bytes: z.number().int(),
  /** SHA-256 of the uncompressed tar. */
  tarSha256: z.string(),
  includesImage: z.boolean(),
  /** The image saved into it (image.tar), else null. */
  imageId: z.string().nullable(),
  at: isoTime,
});
export type BundleExport = z.infer<typeof bundleExport>;

/**
 * Where a bundle stands: written (no image yet), build-failed, built (not smoke-tested),
 * smoke-failed, or tested (its image passed the smoke test; whether it may go to production is
 * the readiness verdict's call).
 */
export const BUNDLE_STATUSES = ['written', 'build-failed', 'built', 'smoke-failed', 'tested'] as const;
export const bundleStatus = z.enum(BUNDLE_STATUSES);
export type BundleStatus = z.infer<typeof bundleStatus>;

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
  /** The image built from the bundle as it is now; null until a build succeeds. */
  image: bundleImage.nullable(),
  /** The last smoke test of that image; null when there is none. */
  smoke: z.object({ passed: z.boolean(), at: isoTime, imageId: z.string() }).nullable(),
  status: bundleStatus,
  /** The last export of the bundle as it is now; null when it was not exported. */
  lastExport: bundleExport.nullable(),
});
export type BundleSummary = z.infer<typeof bundleSummary>;

export const bundleDetail = bundleSummary.extend({
  files: z.array(bundleFile),
  manifestSha256: z.string(),
  signatureFingerprint: z.string(),
  lastBuild: bundleBuildState.nullable(),
  lastSmokeTest: smokeTestResult.nullable(),
});
export type BundleDetail = z.infer<typeof bundleDetail>;

/** One check of a bundle's verification. */
export const verifyCheck = z.object({
  /** archive | manifest | signature | signature.trusted | files | files.unlisted | image | rerun */
  id: z.string(),
  ok: z.boolean(),
  message: z.string(),
  /** What to do, for a failure that has one beyond "get the original bundle". */
  remedy: z.string().optional(),
});
export type VerifyCheck = z.infer<typeof verifyCheck>;

export const fileMismatch = z.object({
  path: z.string(),
  expected: z.object({ sha256: z.string(), bytes: z.number().int() }),
  actual: z.object({ sha256: z.string().nullable(), bytes: z.number().int() }),
  reason: z.string(),
});
export type FileMismatch = z.infer<typeof fileMismatch>;

/** What verifying a bundle folder or archive found (bundles.verify, greenhouse verify PATH). */
export const bundleVerifyResult = z.object({
  /** Every check passed (the rerun too, when it ran). */
  ok: z.boolean(),
  /** The same as ok, under the name CI scripts look for. */
  valid: z.boolean(),
  /** What failed, one sentence each (empty when valid). */
  problems: z.array(z.string()),
  source: z.object({ path: z.string(), kind: z.enum(['folder', 'archive']) }),
  bundle: z.object({ name: z.string(), version: z.number().int(), createdAt: z.string(), createdBy: z.string() }).nullable(),
  checks: z.array(verifyCheck),
  files: z.object({ checked: z.number().int(), mismatched: z.array(fileMismatch), missing: z.array(z.string()), extra: z.array(z.string()) }),
  signature: z.object({ ok: z.boolean(), fingerprint: z.string().nullable(), trusted: z.boolean().nullable() }),
  image: z.object({ present: z.boolean(), ok: z.boolean().nullable(), message: z.string() }),
  /**
   * The bundle's readiness.json, when it holds one that is about this manifest (and the bundle
   * verified): what a reviewer reads of an exported archive without its workspace.
   */
  readiness: readinessReport.nullable(),
  /** The Docker rerun: the included image loaded and smoke-tested again. */
  rerun: z.object({
    state: z.enum(['passed', 'failed', 'skipped']),
    /** Why it was skipped or failed. */
    reason: z.string(),
    smoke: smokeTestResult.nullable(),
  }),
});
export type BundleVerifyResult = z.infer<typeof bundleVerifyResult>;

/** What the package wizard offers for a model version before anything is written. */
export const bundlePlan = z.object({
  model: z.object({ name: z.string(), version: z.number().int() }),
  environment: z.object({ name: z.string(), version: z.number().int(), python: z.string().nullable(), packages: z.number().int() }).nullable(),
  /** python:X.Y-slim for the environment's Python. */
  defaultBaseImage: z.string(),
  /** Images on this machine's engine that can serve as a base (repo:tag), python-looking ones first; [] when no engine answers. */
  localImages: z.array(z.string()),
  dockerAvailable: z.boolean(),
  /** The bundle already written for this version, if any (writing again replaces it). */
  existing: bundleSummary.nullable(),
});
export type BundlePlan = z.infer<typeof bundlePlan>;

/** A text file of a bundle, for the review step (Dockerfile preview and the rest). */
export const bundleFileContent = z.object({
  path: z.string(),
  bytes: z.number().int(),
  /** Null for a binary file (the model, the public key is text). */
  text: z.string().nullable(),
  /** Only the first 256 KiB are returned. */
  truncated: z.boolean(),
});
export type BundleFileContent = z.infer<typeof bundleFileContent>;

const bundleRef = { name: z.string().min(1), version: z.number().int().positive().optional() };

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
  'bundles.build': method({
    input: z.object(bundleRef),
    output: job,
    summary: 'Start a job that builds the bundle\'s image (greenhouse/NAME:VERSION) through the container engine, with the build log as progress; the latest bundle of the model when no version is given.',
  }),
  'bundles.smokeTest': method({
    input: z.object({
      ...bundleRef,
      /** How long the container may take to become ready. */
      timeoutSeconds: z.number().int().min(5).max(600).default(60),
      /** Default: the workspace's smokeNetwork setting. */
      network: smokeNetwork.optional(),
    }),
    output: job,
    summary: 'Start a job that runs the built image and checks it: readiness, metadata, golden parity on both endpoints, malformed input, latency, metrics and the generated tests; the container is always removed.',
  }),
  'bundles.verify': method({
    input: z.object({
      path: fsPath,
      /** When Docker is available and the archive includes the image: load it and rerun the smoke test. */
      rerun: z.boolean().default(true),
      /** Default: the workspace's smokeNetwork setting. */
      network: smokeNetwork.optional(),
    }),
    output: job,
    summary: 'Start a job that checks a bundle folder or archive: every hash, the manifest signature, and (with the image included and Docker available) a rerun of the smoke test.',
  }),
  'bundles.export': method({
    input: z.object({
      ...bundleRef,
      includeImage: z.boolean().default(false),
      /** Export although hand-off gates fail: each failing gate is overridden with this reason (recorded, audited). */
      overrideGates: z.string().trim().min(10, 'Give a reason of at least 10 characters').max(4000).optional(),
    }),
    output: job,
    summary: 'Start a job that writes bundles/NAME-VERSION.tar.gz with the readiness report, deterministic, optionally with the built image (docker save) for air-gapped hand-off. Refused with GATE_FAILED while a hand-off gate fails, unless overridden.',
  }),
  'bundles.plan': method({
    input: z.object({ model: z.string().min(1), version: z.number().int().positive().optional() }),
    output: bundlePlan,
    summary: 'What the package wizard offers for a model version: its environment, the default base image, the images on this machine.',
  }),
  'bundles.readFile': method({
    input: z.object({ name: z.string().min(1), version: z.number().int().positive(), path: z.string().min(1).max(500) }),
    output: bundleFileContent,
    summary: 'One file of a written bundle, as text (the first 256 KiB), for review.',
  }),
};
