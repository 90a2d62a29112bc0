// Readiness: the ML Test Score checklist (Breck et al., 2017) evaluated for one bundle, with
// attestations, hand-off gates, reviews and the score. `readinessReport` is also the documented,
// versioned form of readiness.json (its JSON Schema is generated from this definition).
import { z } from 'zod';
import { method } from './define.js';
import { isoTime } from './common.js';

export const READINESS_SCHEMA = 'greenhouse.readiness/1';

export const READINESS_SECTIONS = ['data', 'model', 'infrastructure', 'monitoring'] as const;
export const readinessSection = z.enum(READINESS_SECTIONS);
export type ReadinessSection = z.infer<typeof readinessSection>;

export const CHECK_STATUSES = ['pass', 'warn', 'fail', 'na'] as const;
/** pass: earned; warn: partly there (or earned by attestation only where automation was expected); fail: not earned; na: does not apply to this model. */
export const checkStatus = z.enum(CHECK_STATUSES);
export type CheckStatus = z.infer<typeof checkStatus>;

/** One piece of evidence: a value, optionally a file in the bundle it comes from. */
export const checkEvidence = z.object({
  label: z.string(),
  value: z.string(),
  /** A path inside the bundle folder, e.g. "model/golden.json". */
  file: z.string().optional(),
});
export type CheckEvidence = z.infer<typeof checkEvidence>;

/** A named person's statement that a manual check was done (half a point). */
export const attestation = z.object({
  by: z.string(),
  at: isoTime,
  note: z.string(),
});
export type Attestation = z.infer<typeof attestation>;

export const readinessCheck = z.object({
  /** "data.1" … "monitoring.7": the rubric's numbering. */
  id: z.string(),
  section: readinessSection,
  title: z.string(),
  /** How the check can be earned: computed by Greenhouse, attested by a person, or either. */
  mode: z.enum(['auto', 'attest', 'auto-or-attest']),
  /** How Greenhouse evaluates it, in a sentence. */
  evaluation: z.string(),
  status: checkStatus,
  /** 1 when passed automatically, 0.5 when attested, else 0. */
  points: z.number(),
  /** What earned the points. */
  basis: z.enum(['automated', 'attested', 'none']),
  evidence: z.array(checkEvidence),
  /** What to do when it does not pass; null when it passes. */
  remedy: z.string().nullable(),
  attestation: attestation.nullable(),
});
export type ReadinessCheck = z.infer<typeof readinessCheck>;

export const GATE_IDS = ['image-builds', 'smoke-test', 'golden-parity', 'pickle-safe', 'no-secrets', 'dependencies-pinned', 'provenance-complete'] as const;
export const gateId = z.enum(GATE_IDS);
export type GateId = z.infer<typeof gateId>;

export const gateOverride = z.object({ by: z.string(), at: isoTime, reason: z.string() });

/** A hand-off gate: export is blocked while one fails, unless overridden with a recorded reason. */
export const readinessGate = z.object({
  id: gateId,
  title: z.string(),
  passed: z.boolean(),
  evidence: z.array(checkEvidence),
  remedy: z.string().nullable(),
  override: gateOverride.nullable(),
});
export type ReadinessGate = z.infer<typeof readinessGate>;

/** The rubric's reading of the final score. */
export const scoreBand = z.object({
  label: z.string(),
  /** e.g. "(1, 2]" */
  range: z.string(),
});

export const readinessScore = z.object({
  data: z.number(),
  model: z.number(),
  infrastructure: z.number(),
  monitoring: z.number(),
  /** The minimum of the four sections. */
  final: z.number(),
  band: scoreBand,
});
export type ReadinessScore = z.infer<typeof readinessScore>;

export const reviewComment = z.object({
  /** A check or gate id; null for a general comment. */
  checkId: z.string().nullable(),
  text: z.string(),
});

export const review = z.object({
  id: z.number().int(),
  reviewer: z.string(),
  at: isoTime,
  decision: z.enum(['approve', 'request-changes']),
  summary: z.string(),
  comments: z.array(reviewComment),
  /** The bundle as it was reviewed. */
  manifestSha256: z.string(),
});
export type Review = z.infer<typeof review>;

export const readinessReport = z.object({
  schema: z.literal(READINESS_SCHEMA),
  /** The latest time any of the evidence changed (so the same evidence gives the same document). */
  evaluatedAt: isoTime,
  bundle: z.object({
    name: z.string(),
    version: z.number().int(),
    manifestSha256: z.string(),
    createdAt: isoTime,
    createdBy: z.string(),
    imageTag: z.string(),
    imageId: z.string().nullable(),
    strategy: z.string(),
    baseImage: z.string(),
  }),
  model: z.object({ name: z.string(), version: z.number().int(), sha256: z.string(), className: z.string(), framework: z.string(), task: z.string() }),
  score: readinessScore,
  gates: z.array(readinessGate),
  /** Every gate passed or was overridden. */
  gatesPassed: z.boolean(),
  checks: z.array(readinessCheck),
  reviews: z.array(review),
  /** One sentence for the top of the report. */
  verdict: z.object({
    /** Every gate passes (or was overridden) and a reviewer approved this bundle as it is. */
    ready: z.boolean(),
    summary: z.string(),
  }),
});
export type ReadinessReport = z.infer<typeof readinessReport>;

/** What a reviewer records: the decision, a summary, comments per check (or general, checkId null). */
export const reviewDecisionInput = {
  decision: z.enum(['approve', 'request-changes']),
  summary: z.string().trim().max(4000).default(''),
  comments: z.array(z.object({ checkId: z.string().nullable(), text: z.string().trim().min(1).max(4000) })).max(200).default([]),
};

const bundleRef = { name: z.string().min(1), version: z.number().int().positive() };

export const REPORT_FORMATS = ['html', 'pdf', 'json'] as const;

export const readinessMethods = {
  'readiness.get': method({
    input: z.object(bundleRef),
    output: readinessReport,
    summary: 'Evaluate the readiness checklist of a bundle now: every check with its evidence, the gates, the score, the reviews.',
  }),
  'readiness.attest': method({
    input: z.object({ ...bundleRef, checkId: z.string().min(1), note: z.string().trim().min(3).max(4000) }),
    output: readinessReport,
    summary: 'Record that the current user did a manual check (half a point), with a note; audited.',
  }),
  'readiness.withdrawAttestation': method({
    input: z.object({ ...bundleRef, checkId: z.string().min(1) }),
    output: readinessReport,
    summary: 'Withdraw the attestation of a check; audited.',
  }),
  'readiness.overrideGate': method({
    input: z.object({ ...bundleRef, gateId, reason: z.string().trim().min(10).max(4000) }),
    output: readinessReport,
    summary: 'Let export pass a failing hand-off gate, with a recorded reason; audited.',
  }),
  'readiness.review': method({
    input: z.object({
      ...bundleRef,
      ...reviewDecisionInput,
    }),
    output: readinessReport,
    summary: 'Record a reviewer\'s decision with comments per check; kept in the catalog and in the bundle\'s signed reviews file.',
  }),
  'readiness.writeReport': method({
    input: z.object({ ...bundleRef, format: z.enum(REPORT_FORMATS), out: z.string().min(1).max(4096).optional() }),
    output: z.object({ path: z.string(), bytes: z.number().int(), format: z.enum(REPORT_FORMATS) }),
    summary: 'Write the readiness report (html, pdf or json) into the bundle folder, or to `out`.',
  }),
};
