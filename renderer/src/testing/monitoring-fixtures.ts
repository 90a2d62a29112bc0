// Contract-shaped drift checks for renderer tests, as the backend stores them for the churn model
// (inputs plan, region, monthly_spend, age): a batch whose spend and age were shifted up drifts in
// those two features, most severe first, and not in the categories.
import { DEFAULT_DRIFT_THRESHOLDS, type DriftBucket, type DriftCheck, type DriftCheckSummary, type DriftFeature, type DriftSettings, type Job } from '../../../shared/contract/index.js';
import { job } from './fixtures.js';

const bin = (lower: number, upper: number, reference: number, current: number, n = 400, m = 300, first = false): DriftBucket => ({
  label: `${first ? '[' : '('}${lower}, ${upper}]`,
  kind: 'bin',
  lower,
  upper,
  value: null,
  reference,
  current,
  referenceShare: reference / n,
  currentShare: current / m,
});

const category = (value: string, reference: number, current: number, n = 400, m = 300): DriftBucket => ({
  label: JSON.stringify(value),
  kind: 'value',
  lower: null,
  upper: null,
  value,
  reference,
  current,
  referenceShare: reference / n,
  currentShare: current / m,
});

const special = (kind: 'other' | 'null', reference = 0, current = 0, n = 400, m = 300): DriftBucket => ({
  label: kind === 'other' ? 'other/new' : 'null',
  kind,
  lower: null,
  upper: null,
  value: null,
  reference,
  current,
  referenceShare: reference / n,
  currentShare: current / m,
});

export const driftFeature = (over: Partial<DriftFeature> = {}): DriftFeature => ({
  name: 'plan',
  kind: 'text',
  psi: 0.0017,
  psiBand: 'stable',
  js: 0.0176,
  test: 'chi2',
  statistic: 0.295,
  pValue: 0.863,
  testBasis: 'exact',
  testNote: "Pearson's chi-square test of homogeneity over the same buckets as PSI, 2 degrees of freedom.",
  drifted: false,
  reason: 'PSI 0.002 is stable (< 0.1).',
  values: 300,
  nulls: 0,
  invalid: 0,
  belowRange: 0,
  aboveRange: 0,
  current: { min: null, max: null, mean: null },
  unlisted: [],
  unlistedAreNew: true,
  buckets: [category('enterprise', 146, 104), category('pro', 136, 103), category('basic', 118, 93), special('other'), special('null')],
  psiNoise: 0.0117,
  skipped: null,
  ...over,
});

/** monthly_spend doubled: the top bin takes most of the batch. */
export const spendFeature = (over: Partial<DriftFeature> = {}): DriftFeature =>
  driftFeature({
    name: 'monthly_spend',
    kind: 'number',
    psi: 3.354,
    psiBand: 'significant',
    js: 0.6303,
    test: 'ks',
    statistic: 0.62,
    pValue: 3.7e-62,
    testNote: 'Exact two-sample KS over every training value (400) and batch value (300); p-value exact.',
    drifted: true,
    reason: 'PSI 3.354 is significant; KS p = 3.7e-62 < 0.05.',
    aboveRange: 186,
    current: { min: 40.06, max: 199.98, mean: 119.83 },
    unlisted: [],
    unlistedAreNew: false,
    buckets: [bin(20, 40, 95, 0, 400, 300, true), bin(40, 60, 100, 34), bin(60, 80, 104, 40), bin(80, 100, 101, 226), special('null')],
    psiNoise: 0.1108,
    ...over,
  });

/** age up by 25 years. */
export const ageFeature = (over: Partial<DriftFeature> = {}): DriftFeature =>
  spendFeature({
    name: 'age',
    kind: 'integer',
    psi: 3.905,
    js: 0.6138,
    statistic: 0.459,
    pValue: 4.2e-33,
    reason: 'PSI 3.905 is significant; KS p = 4.2e-33 < 0.05.',
    aboveRange: 110,
    current: { min: 43, max: 102, mean: 71.13 },
    buckets: [bin(18, 38, 150, 0, 400, 300, true), bin(38, 58, 130, 80), bin(58, 78, 120, 220), special('null')],
    ...over,
  });

export const regionFeature = (over: Partial<DriftFeature> = {}): DriftFeature =>
  driftFeature({
    name: 'region',
    psi: 0.00057,
    js: 0.0102,
    pValue: 0.992,
    reason: 'PSI 5.7e-4 is stable (< 0.1).',
    buckets: [category('north', 111, 84), category('east', 106, 82), category('west', 95, 69), category('south', 88, 65), special('other'), special('null')],
    ...over,
  });

const SHA = 'c772d832eaec345f2a37e96895e0a995a065f052b6e81282e2b0960cbef99968';

export const driftCheck = (over: Partial<DriftCheck> = {}): DriftCheck => ({
  id: 3,
  drift: true,
  checked: 4,
  drifted: ['age', 'monthly_spend'],
  share: 0.5,
  features: [ageFeature(), spendFeature(), driftFeature(), regionFeature()],
  schemaViolations: [
    { kind: 'out-of-range', column: 'monthly_spend', count: 186, message: '186 values of monthly_spend are outside the training range [20.03, 99.99] (0 below, 186 above).', examples: ['199.98'] },
    { kind: 'out-of-range', column: 'age', count: 110, message: '110 values of age are outside the training range [18, 77] (0 below, 110 above).', examples: ['102'] },
  ],
  predictionDrift: null,
  rows: 300,
  skipped: 0,
  batch: { path: '/data/batches/november.csv', sha256: SHA, bytes: 7682, format: 'csv', files: 1, hasTarget: true },
  reference: {
    source: 'model',
    model: { name: 'churn', version: 1 },
    bundle: null,
    dataset: { name: 'customers', version: 1, sha256: 'a9'.repeat(32), rows: 400 },
    target: 'churned',
    snapshot: true,
  },
  thresholds: DEFAULT_DRIFT_THRESHOLDS,
  warnings: [],
  checkedAt: '2026-11-29T14:16:48.772Z',
  durationMs: 110,
  checkedBy: 'ana',
  handBacks: [],
  ...over,
});

/** A check as drift.history lists it. */
export function driftSummary(c: DriftCheck = driftCheck()): DriftCheckSummary {
  return {
    id: c.id,
    checkedAt: c.checkedAt,
    checkedBy: c.checkedBy,
    model: c.reference.model,
    bundle: c.reference.source === 'bundle',
    batch: { path: c.batch.path, sha256: c.batch.sha256, format: c.batch.format },
    rows: c.rows,
    drift: c.drift,
    checked: c.checked,
    drifted: c.drifted,
    share: c.share,
    features: c.features.map((f) => ({ name: f.name, psi: f.psi, js: f.js, drifted: f.drifted })),
    schemaViolations: c.schemaViolations.length,
    predictionDrifted: c.predictionDrift ? c.predictionDrift.drifted : null,
    handBacks: c.handBacks,
  };
}

/** An earlier check of the same model that found nothing. */
export const calmCheck = (over: Partial<DriftCheck> = {}): DriftCheck =>
  driftCheck({
    id: 1,
    drift: false,
    drifted: [],
    share: 0,
    features: [driftFeature(), regionFeature(), spendFeature({ drifted: false, psi: 0.02, psiBand: 'stable', reason: 'PSI 0.020 is stable (< 0.1).', aboveRange: 0 }), ageFeature({ drifted: false, psi: 0.03, psiBand: 'stable', reason: 'PSI 0.030 is stable (< 0.1).', aboveRange: 0 })],
    schemaViolations: [],
    batch: { path: '/data/batches/october.csv', sha256: 'b1'.repeat(32), bytes: 7000, format: 'csv', files: 1, hasTarget: true },
    checkedAt: '2026-10-29T10:00:00.000Z',
    ...over,
  });

export const driftSettings = (over: Partial<DriftSettings> = {}): DriftSettings => ({
  model: 'churn',
  thresholds: DEFAULT_DRIFT_THRESHOLDS,
  custom: false,
  updatedAt: null,
  updatedBy: null,
  ...over,
});

/** A drift.check job: queued by default; pass state/result for later updates. */
export const driftJob = (over: Partial<Job> = {}): Job => job({ id: 'drift-1', kind: 'drift.check', title: 'Drift check of churn@1', state: 'queued', progress: null, message: '', ...over });
