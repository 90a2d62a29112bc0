// Contract-shaped readiness reports for renderer tests: the 28 checks of the ML Test Score as a
// freshly built and smoke-tested bundle has them (automated checks mostly pass, manual ones wait
// for an attestation), the seven gates, and the score computed the rubric's way.
import type { GateId, ReadinessCheck, ReadinessGate, ReadinessReport, ReadinessScore, ReadinessSection, Review } from '../../../shared/contract/index.js';
import { GATE_IDS, READINESS_SCHEMA, READINESS_SECTIONS } from '../../../shared/contract/index.js';

const SHA = '3f1c9d0a7b2e4c6d8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f';
const OLD_SHA = '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';
const IMAGE = 'sha256:9c1e2d3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9012a3b4c5d6e';

type Def = [id: string, title: string, mode: ReadinessCheck['mode'], status: 'pass' | 'fail' | 'warn'];

/** Each check as a built, smoke-tested bundle without a notebook or evaluation data has it. */
const DEFS: Def[] = [
  ['data.1', 'Feature expectations are captured in a schema', 'auto', 'pass'],
  ['data.2', 'All features are beneficial', 'auto-or-attest', 'fail'],
  ['data.3', "No feature's cost is too much", 'attest', 'fail'],
  ['data.4', 'Features adhere to meta-level requirements', 'auto-or-attest', 'pass'],
  ['data.5', 'The data pipeline has appropriate privacy controls', 'auto-or-attest', 'pass'],
  ['data.6', 'New features can be added quickly', 'attest', 'fail'],
  ['data.7', 'All input feature code is tested', 'auto-or-attest', 'pass'],
  ['model.1', 'Model specs are reviewed and submitted', 'auto', 'warn'],
  ['model.2', 'Offline and online metrics correlate', 'attest', 'fail'],
  ['model.3', 'All hyperparameters have been tuned', 'attest', 'fail'],
  ['model.4', 'The impact of model staleness is known', 'attest', 'fail'],
  ['model.5', 'A simpler model is not better', 'auto', 'pass'],
  ['model.6', 'Model quality is sufficient on important data slices', 'auto-or-attest', 'fail'],
  ['model.7', 'The model is tested for considerations of inclusion', 'attest', 'fail'],
  ['infrastructure.1', 'Training is reproducible', 'auto-or-attest', 'fail'],
  ['infrastructure.2', 'Model specs are unit tested', 'auto', 'pass'],
  ['infrastructure.3', 'The ML pipeline is integration tested', 'auto', 'pass'],
  ['infrastructure.4', 'Model quality is validated before serving', 'auto', 'pass'],
  ['infrastructure.5', 'The model is debuggable', 'auto', 'pass'],
  ['infrastructure.6', 'Models are canaried before serving', 'auto-or-attest', 'pass'],
  ['infrastructure.7', 'Serving models can be rolled back', 'auto', 'pass'],
  ['monitoring.1', 'Dependency changes result in notification', 'auto', 'pass'],
  ['monitoring.2', 'Data invariants hold in training and serving inputs', 'auto', 'pass'],
  ['monitoring.3', 'Training and serving features are not skewed', 'auto-or-attest', 'fail'],
  ['monitoring.4', 'Models are not too stale', 'auto', 'pass'],
  ['monitoring.5', 'Models are numerically stable', 'auto', 'pass'],
  ['monitoring.6', 'Computing performance has not regressed', 'auto', 'pass'],
  ['monitoring.7', 'Prediction quality has not regressed', 'auto-or-attest', 'pass'],
];

/** Evidence pointing at bundle files, for the checks whose tests look at them. */
const EVIDENCE: Record<string, ReadinessCheck['evidence']> = {
  'data.1': [
    { label: 'Signature inputs', value: 'plan (string), region (string), monthly_spend (float64), age (int64)', file: 'model/metadata.json' },
    { label: 'Training profile', value: '5 columns profiled', file: 'monitoring/reference-profile.json' },
  ],
  'infrastructure.4': [
    { label: 'Golden examples', value: '100', file: 'model/golden.json' },
    { label: 'Matched', value: '/predict 100, V2 100' },
  ],
  'model.1': [
    { label: 'Model card', value: 'complete', file: 'model-card.md' },
    { label: 'Approved review', value: 'none for this bundle' },
  ],
};

export const readinessCheck = (over: Partial<ReadinessCheck> & { id: string }): ReadinessCheck => {
  const def = DEFS.find(([id]) => id === over.id);
  const [id, title, mode, status] = def ?? [over.id, over.id, 'auto', 'pass'];
  const section = id.split('.')[0] as ReadinessSection;
  const passed = status === 'pass';
  return {
    section,
    title,
    mode,
    evaluation: `How Greenhouse evaluates ${id}.`,
    status,
    points: passed ? 1 : 0,
    basis: passed ? 'automated' : 'none',
    evidence: EVIDENCE[id] ?? (mode === 'attest' ? [] : [{ label: 'Found', value: passed ? 'what was expected' : 'nothing yet' }]),
    remedy: passed ? null : mode === 'attest' ? `Attest ${id} (greenhouse attest churn@1 ${id} --note "…")` : `Do what ${id} needs.`,
    attestation: null,
    ...over,
  };
};

/** The rubric: a section's score is the sum of its points, the final score their minimum. */
export function scoreOf(checks: readonly Pick<ReadinessCheck, 'section' | 'points'>[]): ReadinessScore {
  const sums = Object.fromEntries(READINESS_SECTIONS.map((s) => [s, checks.filter((c) => c.section === s).reduce((n, c) => n + c.points, 0)])) as Record<ReadinessSection, number>;
  const final = Math.min(...READINESS_SECTIONS.map((s) => sums[s]));
  const band =
    final <= 0 ? { label: 'Research project', range: '0' }
    : final <= 1 ? { label: 'Not totally untested', range: '(0, 1]' }
    : final <= 2 ? { label: 'First pass at basic productionization', range: '(1, 2]' }
    : final <= 3 ? { label: 'Reasonably tested', range: '(2, 3]' }
    : final <= 5 ? { label: 'Strong automated testing and monitoring', range: '(3, 5]' }
    : { label: 'Exceptional levels of automated testing and monitoring', range: '> 5' };
  return { ...sums, final, band };
}

const GATE_TITLES: Record<GateId, string> = {
  'image-builds': 'The image builds',
  'smoke-test': 'The container smoke test passes',
  'golden-parity': 'Golden parity holds',
  'pickle-safe': 'No unsafe pickle globals',
  'no-secrets': 'No secrets in the bundle',
  'dependencies-pinned': 'Dependencies are pinned',
  'provenance-complete': 'Provenance is complete',
};

export const readinessGate = (over: Partial<ReadinessGate> & { id: GateId }): ReadinessGate => ({
  title: GATE_TITLES[over.id],
  passed: true,
  evidence: [{ label: 'Checked', value: `${over.id} holds` }],
  remedy: null,
  override: null,
  ...over,
});

/** A gate that fails, as an unbuilt bundle's do. */
export const failingGate = (id: GateId, over: Partial<ReadinessGate> = {}): ReadinessGate =>
  readinessGate({ id, passed: false, evidence: [{ label: 'Smoke test', value: 'no image built' }], remedy: `Build the image and run the smoke test (for ${id}).`, ...over });

export const review = (over: Partial<Review> = {}): Review => ({
  id: 1,
  reviewer: 'olu',
  at: '2026-01-10T10:00:00.000Z',
  decision: 'request-changes',
  summary: 'The hyperparameter search is not documented.',
  comments: [{ checkId: 'model.3', text: 'Which search space?' }],
  manifestSha256: SHA,
  ...over,
});

/** A review of the bundle as it was before it was written again. */
export const earlierReview = (over: Partial<Review> = {}): Review => review({ id: 0, at: '2026-01-09T10:00:00.000Z', decision: 'approve', summary: 'Fine as it was.', comments: [], manifestSha256: OLD_SHA, ...over });

export interface ReadinessOptions {
  checks?: ReadinessCheck[];
  gates?: ReadinessGate[];
  reviews?: Review[];
  /** Checks to change by id, on top of the defaults. */
  change?: Record<string, Partial<ReadinessCheck>>;
}

/** A report whose score, gates summary and verdict follow from its checks, gates and reviews. */
export function readinessReport({ checks, gates, reviews = [], change = {} }: ReadinessOptions = {}): ReadinessReport {
  const all = (checks ?? DEFS.map(([id]) => readinessCheck({ id }))).map((c) => (change[c.id] ? { ...c, ...change[c.id] } : c));
  const gateList = gates ?? GATE_IDS.map((id) => readinessGate({ id }));
  const score = scoreOf(all);
  const gatesPassed = gateList.every((g) => g.passed || g.override !== null);
  const failing = gateList.filter((g) => !g.passed && !g.override);
  const current = reviews.filter((r) => r.manifestSha256 === SHA).at(-1);
  const reviewed = current ? (current.decision === 'approve' ? `approved by ${current.reviewer}` : `changes requested by ${current.reviewer}`) : 'not reviewed yet';
  // As the backend has it: ready once every gate passes (or was overridden) and a reviewer approved this bundle.
  const approved = current?.decision === 'approve';
  const scoreText = `Score ${score.final} (${score.band.label.toLowerCase()})`;
  const summary =
    failing.length > 0 ? `Not ready: ${failing.length} hand-off gates fail. ${scoreText}; ${reviewed}.`
    : approved ? `Ready: gates pass and ${reviewed}. ${scoreText}.`
    : `Not ready yet: gates pass, ${current ? reviewed : "waiting for a reviewer's approval"}. ${scoreText}.`;
  return {
    schema: READINESS_SCHEMA,
    evaluatedAt: '2026-01-10T09:06:00.000Z',
    bundle: {
      name: 'churn',
      version: 1,
      manifestSha256: SHA,
      createdAt: '2026-01-10T09:00:00.000Z',
      createdBy: 'ana',
      imageTag: 'greenhouse/churn:1',
      imageId: IMAGE,
      strategy: 'base',
      baseImage: 'greenhouse/python-base:bookworm',
    },
    model: { name: 'churn', version: 1, sha256: SHA, className: 'Pipeline', framework: 'scikit-learn', task: 'classification' },
    score,
    gates: gateList,
    gatesPassed,
    checks: all,
    reviews,
    verdict: { ready: gatesPassed && approved, summary },
  };
}

/** The change an attestation makes to a manual check: half a point, a person's note. */
export const attested = (by = 'ana', note = 'Weighed each feature against its cost.', at = '2026-01-10T09:30:00.000Z'): Partial<ReadinessCheck> => ({
  status: 'pass',
  points: 0.5,
  basis: 'attested',
  remedy: null,
  attestation: { by, at, note },
});

/** A bundle with no image: the gates that need it fail. */
export const unbuiltReport = (): ReadinessReport =>
  readinessReport({
    gates: GATE_IDS.map((id) => (id === 'image-builds' || id === 'smoke-test' || id === 'golden-parity' ? failingGate(id) : readinessGate({ id }))),
  });

export const READINESS_MANIFEST = SHA;
