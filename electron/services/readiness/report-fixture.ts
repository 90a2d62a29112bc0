// A hand-made ReportData for the report's tests and screenshots: a scikit-learn pipeline that
// predicts churn, with failing checks, attestations, a failed and an overridden gate, two reviews
// and hostile strings (markup in a note, a comment, a column name, evidence and the model card)
// that must come out as text. Nothing here reads the clock or a random source.
import type { ColumnProfile, HistogramBin, ReadinessCheck, ReadinessReport } from '../../../shared/contract/index.js';
import type { ReportData } from './report-data.js';

/** Strings a careless report would run as markup. The tests look for them as literal text. */
export const HOSTILE = {
  note: 'Permutation importance (notebook cell 14): every feature costs ≥ 0.004 ROC AUC when shuffled. <script>alert(1)</script>',
  comment: 'Looks fine to me <img src=x onerror=alert(2)> & "quoted" \'too\'',
  column: 'note "<svg onload=alert(3)>"',
  evidence: '<b>threadpoolctl</b> >=3.1 & "not exact"',
} as const;

const sha = (seed: string) => seed.repeat(64).slice(0, 64);

/** A smooth, deterministic histogram: `counts` shaped by `weight` over equal-width bins. */
function bins(lower: number, upper: number, weights: number[], total: number, round = (x: number) => Math.round(x * 100) / 100): HistogramBin[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const width = (upper - lower) / weights.length;
  let left = total;
  return weights.map((w, i) => {
    const count = i === weights.length - 1 ? left : Math.round((w / sum) * total);
    left -= count;
    return { lower: round(lower + i * width), upper: round(lower + (i + 1) * width), count };
  });
}

const ROWS = 7043;

const numeric = (name: string, type: string, kind: 'integer' | 'number', lower: number, upper: number, mean: number, std: number, weights: number[], nulls = 0): ColumnProfile => ({
  name,
  type,
  kind,
  nulls,
  distinct: kind === 'integer' ? Math.round(upper - lower) + 1 : 1585,
  min: lower,
  max: upper,
  mean,
  std,
  quantiles: { '0.01': lower, '0.05': lower + (upper - lower) * 0.03, '0.25': lower + (upper - lower) * 0.2, '0.5': mean, '0.75': lower + (upper - lower) * 0.76, '0.95': lower + (upper - lower) * 0.96, '0.99': upper },
  histogram: bins(lower, upper, weights, ROWS - nulls),
  top: null,
  textLength: null,
});

const category = (name: string, kind: 'text' | 'boolean', values: [string | boolean, number][], nulls = 0): ColumnProfile => ({
  name,
  type: kind === 'boolean' ? 'BOOLEAN' : 'VARCHAR',
  kind,
  nulls,
  distinct: values.length,
  min: null,
  max: null,
  mean: null,
  std: null,
  quantiles: null,
  histogram: null,
  top: values.map(([value, count]) => ({ value, count })),
  textLength: kind === 'text' ? { min: Math.min(...values.map(([v]) => String(v).length)), max: Math.max(...values.map(([v]) => String(v).length)) } : null,
});

const signupDates: HistogramBin[] = [
  ['2019-01-01', '2019-07-01', 402],
  ['2019-07-01', '2020-01-01', 455],
  ['2020-01-01', '2020-07-01', 520],
  ['2020-07-01', '2021-01-01', 611],
  ['2021-01-01', '2021-07-01', 668],
  ['2021-07-01', '2022-01-01', 702],
  ['2022-01-01', '2022-07-01', 741],
  ['2022-07-01', '2023-01-01', 760],
  ['2023-01-01', '2023-07-01', 722],
  ['2023-07-01', '2024-01-01', 690],
  ['2024-01-01', '2024-07-01', 420],
  ['2024-07-01', '2025-01-01', 352],
].map(([lower, upper, count]) => ({ lower: lower as string, upper: upper as string, count: count as number }));

export const TRAINING_COLUMNS: ColumnProfile[] = [
  numeric('tenure_months', 'BIGINT', 'integer', 0, 72, 32.37, 24.56, [11, 7, 6, 5, 5, 4, 4, 4, 4, 5, 6, 12]),
  numeric('monthly_charges', 'DOUBLE', 'number', 18.25, 118.75, 64.76, 30.09, [16, 3, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 11, 10, 9, 7, 5, 4, 3, 2], 11),
  category('contract', 'text', [['month-to-month', 3875], ['two-year', 1695], ['one-year', 1473]]),
  category('payment_method', 'text', [['electronic check', 2365], ['mailed check', 1612], ['bank transfer (automatic)', 1544], ['credit card (automatic)', 1522]]),
  category('senior', 'boolean', [[false, 5901], [true, 1142]]),
  {
    name: 'signup_date',
    type: 'DATE',
    kind: 'date',
    nulls: 0,
    distinct: 2049,
    min: '2019-01-03',
    max: '2024-12-28',
    mean: null,
    std: null,
    quantiles: { '0.01': '2019-01-20', '0.05': '2019-04-02', '0.25': '2020-09-14', '0.5': '2022-01-30', '0.75': '2023-04-11', '0.95': '2024-06-02', '0.99': '2024-11-20' },
    histogram: signupDates,
    top: null,
    textLength: null,
  },
  category(HOSTILE.column, 'text', [['</text><script>alert(4)</script>', 12], ['prefers e-mail', 9], ['moved abroad', 4]], 7018),
  category('churned', 'boolean', [[false, 5174], [true, 1869]]),
];

const check = (c: Omit<ReadinessCheck, 'attestation' | 'remedy' | 'evidence'> & Partial<Pick<ReadinessCheck, 'attestation' | 'remedy' | 'evidence'>>): ReadinessCheck => ({
  evidence: [],
  remedy: null,
  attestation: null,
  ...c,
});

export const CHECKS: ReadinessCheck[] = [
  // Data
  check({
    id: 'data.1', section: 'data', title: 'Feature expectations are captured in a schema', mode: 'auto',
    evaluation: 'The signature and the training profile (types, ranges, categories, null rates) are recorded and the serving app validates every request against them.',
    status: 'pass', points: 1, basis: 'automated',
    evidence: [
      { label: 'Signature', value: '7 inputs (int64, float64, string ×3, bool, datetime), 3 outputs', file: 'model/metadata.json' },
      { label: 'Training profile', value: '8 columns with ranges, categories and null rates', file: 'monitoring/reference-profile.json' },
      { label: 'Serving validation', value: 'wrong types and missing columns answered 400/422 in the smoke test' },
    ],
  }),
  check({
    id: 'data.2', section: 'data', title: 'All features are beneficial', mode: 'auto-or-attest',
    evaluation: 'Automated when the model exposes feature importances; otherwise a named person attests an ablation or importance study.',
    status: 'warn', points: 0.5, basis: 'attested',
    evidence: [{ label: 'Feature importances', value: 'not exposed by Pipeline(ColumnTransformer, LogisticRegression)' }],
    remedy: 'Record per-feature importances with the model (for example permutation importance in the training notebook) to earn the full point automatically.',
    attestation: { by: 'Maria Keller', at: '2025-11-28T15:20:00.000Z', note: HOSTILE.note },
  }),
  check({
    id: 'data.3', section: 'data', title: "No feature's cost is too much", mode: 'attest',
    evaluation: 'A named person attests that the cost of each feature (latency, upstream dependencies, storage) was weighed against its value.',
    status: 'fail', points: 0, basis: 'none',
    remedy: 'Attest the check with a note naming the costly features (payment_method comes from the billing system) and why they stay.',
  }),
  check({
    id: 'data.4', section: 'data', title: 'Features adhere to meta-level requirements', mode: 'auto-or-attest',
    evaluation: "Column names are scanned against the workspace's deny-list of protected attributes.",
    status: 'pass', points: 1, basis: 'automated',
    evidence: [{ label: 'Deny-list matches', value: 'none (8 columns against 14 terms)' }],
  }),
  check({
    id: 'data.5', section: 'data', title: 'The data pipeline has appropriate privacy controls', mode: 'auto-or-attest',
    evaluation: 'Notebooks and bundle files are scanned for secrets and personal-data patterns.',
    status: 'pass', points: 1, basis: 'automated',
    evidence: [
      { label: 'Secret scan', value: '0 findings in 24 bundle files and 1 notebook' },
      { label: 'Personal-data patterns', value: '0 findings' },
    ],
  }),
  check({
    id: 'data.6', section: 'data', title: 'New features can be added quickly', mode: 'attest',
    evaluation: 'A named person attests how long adding a feature takes end to end.',
    status: 'fail', points: 0, basis: 'none',
    remedy: 'Attest the check with a note on how a new feature reaches production (notebook, registration, bundle) and how long it took last time.',
  }),
  check({
    id: 'data.7', section: 'data', title: 'All input feature code is tested', mode: 'auto-or-attest',
    evaluation: 'The generated tests cover the signature; feature code inside the notebook needs an attestation.',
    status: 'pass', points: 1, basis: 'automated',
    evidence: [{ label: 'Generated tests', value: 'test_signature, test_rejects_wrong_type, test_rejects_missing_column', file: 'tests/test_model.py' }],
  }),
  // Model
  check({
    id: 'model.1', section: 'model', title: 'Model specs are reviewed and submitted', mode: 'auto',
    evaluation: 'The model card has every section written and a review is recorded.',
    status: 'pass', points: 1, basis: 'automated',
    evidence: [
      { label: 'Model card', value: '9 of 9 sections written', file: 'model-card.md' },
      { label: 'Reviews', value: '2 recorded' },
    ],
  }),
  check({
    id: 'model.2', section: 'model', title: 'Offline and online metrics correlate', mode: 'attest',
    evaluation: 'Needs production labels: a named person attests how offline metrics were compared with online outcomes.',
    status: 'fail', points: 0, basis: 'none',
    remedy: 'Once churn labels come back from production (30 days), compare them with the holdout metrics and attest the result.',
  }),
  check({
    id: 'model.3', section: 'model', title: 'All hyperparameters have been tuned', mode: 'auto-or-attest',
    evaluation: 'Parameters are recorded automatically; the tuning itself is attested.',
    status: 'warn', points: 0.5, basis: 'attested',
    evidence: [{ label: 'Parameters', value: '34 recorded', file: 'model/metadata.json' }],
    remedy: 'Record the search (GridSearchCV results) with the model to earn the point automatically.',
    attestation: { by: 'Jonas Brandt', at: '2025-11-28T15:41:00.000Z', note: 'GridSearchCV over C in {0.01, 0.1, 1, 10} and class_weight in {None, balanced}, 5-fold; chose C=1, balanced.' },
  }),
  check({
    id: 'model.4', section: 'model', title: 'The impact of model staleness is known', mode: 'attest',
    evaluation: 'A named person attests how quality decays with age; the training-data date is recorded.',
    status: 'pass', points: 0.5, basis: 'attested',
    evidence: [{ label: 'Training data up to', value: '2024-12-28 (signup_date maximum)' }],
    attestation: { by: 'Maria Keller', at: '2025-11-28T15:25:00.000Z', note: 'Back-tests on 2023–2024 data: ROC AUC drops about 0.01 per quarter. Retrain monthly.' },
  }),
  check({
    id: 'model.5', section: 'model', title: 'A simpler model is not better', mode: 'auto',
    evaluation: "The model's metrics are compared with a trivial baseline on the same data.",
    status: 'pass', points: 1, basis: 'automated',
    evidence: [
      { label: 'ROC AUC', value: '0.842 vs 0.500 (majority baseline)' },
      { label: 'Accuracy', value: '0.803 vs 0.735 (majority baseline)' },
    ],
  }),
  check({
    id: 'model.6', section: 'model', title: 'Model quality is sufficient on important data slices', mode: 'auto',
    evaluation: 'Slice metrics recorded with the model are compared with the overall metrics.',
    status: 'fail', points: 0, basis: 'none',
    evidence: [{ label: 'Slice metrics', value: 'none recorded' }],
    remedy: 'Record metrics per slice (for example per contract type and for senior customers) with the model, then evaluate again.',
  }),
  check({
    id: 'model.7', section: 'model', title: 'The model is tested for considerations of inclusion', mode: 'attest',
    evaluation: 'A named person attests which groups were checked for disparate performance.',
    status: 'fail', points: 0, basis: 'none',
    remedy: 'Attest the check with the groups examined (senior customers at least) and what was found.',
  }),
  // Infrastructure
  check({
    id: 'infrastructure.1', section: 'infrastructure', title: 'Training is reproducible', mode: 'auto-or-attest',
    evaluation: "The notebook is run top to bottom in the captured environment and must reproduce the artifact's predictions.",
    status: 'pass', points: 1, basis: 'automated',
    evidence: [{ label: 'Reproduce run', value: 'train v3 ran in churn-env v2 in 212 s; golden predictions identical (max |Δ| 0)' }],
  }),
  check({
    id: 'infrastructure.2', section: 'infrastructure', title: 'Model specs are unit tested', mode: 'auto',
    evaluation: 'The generated tests run inside the image.',
    status: 'pass', points: 1, basis: 'automated',
    evidence: [{ label: 'pytest in the image', value: '9 passed, 1 skipped in 3.12s', file: 'tests/test_model.py' }],
  }),
  check({
    id: 'infrastructure.3', section: 'infrastructure', title: 'The ML pipeline is integration tested', mode: 'auto',
    evaluation: 'The image is built, started and smoke-tested on loopback.',
    status: 'pass', points: 1, basis: 'automated',
    evidence: [{ label: 'Smoke test', value: 'passed: 8 of 8 checks' }],
  }),
  check({
    id: 'infrastructure.4', section: 'infrastructure', title: 'Model quality is validated before serving', mode: 'auto',
    evaluation: 'Golden predictions must match inside the image within the tolerance.',
    status: 'pass', points: 1, basis: 'automated',
    evidence: [{ label: 'Golden parity', value: '64/64 on /predict and V2, max |Δ| 2.2e-16 ≤ 1e-6', file: 'model/golden.json' }],
  }),
  check({
    id: 'infrastructure.5', section: 'infrastructure', title: 'The model is debuggable', mode: 'auto',
    evaluation: 'Each prediction carries a request id that appears in the prediction log.',
    status: 'pass', points: 1, basis: 'automated',
    evidence: [{ label: 'Request ids', value: 'X-Request-Id echoed and logged', file: 'app/server.py' }],
  }),
  check({
    id: 'infrastructure.6', section: 'infrastructure', title: 'Models are canaried before serving', mode: 'auto-or-attest',
    evaluation: 'The manifests support a gradual rollout; the rollout itself is attested.',
    status: 'fail', points: 0, basis: 'none',
    evidence: [{ label: 'Rollout strategy', value: 'RollingUpdate (maxSurge 1, maxUnavailable 0)', file: 'k8s/deployment.yaml' }],
    remedy: 'Attest the rollout: which share of traffic the canary took, for how long, and who watched it.',
  }),
  check({
    id: 'infrastructure.7', section: 'infrastructure', title: 'Serving models can be rolled back', mode: 'auto-or-attest',
    evaluation: 'The image is tagged by an immutable version and the previous bundle is kept.',
    status: 'pass', points: 1, basis: 'automated',
    evidence: [
      { label: 'Image tag', value: 'greenhouse/churn-classifier:3' },
      { label: 'Previous bundle', value: 'churn-classifier v2 (kept)' },
    ],
  }),
  // Monitoring
  check({
    id: 'monitoring.1', section: 'monitoring', title: 'Dependency changes result in notification', mode: 'auto',
    evaluation: 'Dependencies are pinned, the SBOM is recorded and changes since the previous bundle are flagged.',
    status: 'pass', points: 1, basis: 'automated',
    evidence: [
      { label: 'Pins', value: HOSTILE.evidence, file: 'requirements.txt' },
      { label: 'SBOM', value: '16 components', file: 'sbom.cdx.json' },
      { label: 'Changed since v2', value: 'numpy 1.24.2 → 1.24.4' },
    ],
  }),
  check({
    id: 'monitoring.2', section: 'monitoring', title: 'Data invariants hold in training and serving inputs', mode: 'auto',
    evaluation: 'The serving app validates inputs against the schema and counts violations in /metrics.',
    status: 'pass', points: 1, basis: 'automated',
    evidence: [{ label: 'Metric', value: 'greenhouse_input_violations_total' }],
  }),
  check({
    id: 'monitoring.3', section: 'monitoring', title: 'Training and serving features are not skewed', mode: 'auto',
    evaluation: 'The drift check compares logged inputs with the training profile (PSI above 0.2 is drift).',
    status: 'warn', points: 1, basis: 'automated',
    evidence: [{ label: 'Latest drift check', value: 'monthly_charges PSI 0.27 (drifted); 5 other columns within bounds', file: 'app/drift.py' }],
    remedy: 'monthly_charges has drifted since training: check the November price change before promoting, and retrain on recent data if it persists.',
  }),
  check({
    id: 'monitoring.4', section: 'monitoring', title: 'Models are not too stale', mode: 'auto',
    evaluation: 'The model age is exposed as a metric with a threshold.',
    status: 'pass', points: 1, basis: 'automated',
    evidence: [{ label: 'Metric', value: 'greenhouse_model_age_seconds (alert after 90 days)' }],
  }),
  check({
    id: 'monitoring.5', section: 'monitoring', title: 'Models are numerically stable', mode: 'auto',
    evaluation: 'NaN and infinite predictions are counted in /metrics.',
    status: 'pass', points: 1, basis: 'automated',
    evidence: [{ label: 'Metric', value: 'greenhouse_prediction_nonfinite_total' }],
  }),
  check({
    id: 'monitoring.6', section: 'monitoring', title: 'Computing performance has not regressed', mode: 'auto',
    evaluation: 'The smoke test measures latency against a budget, and /metrics carries a latency histogram.',
    status: 'pass', points: 1, basis: 'automated',
    evidence: [{ label: 'Latency', value: 'p95 14.2 ms ≤ budget 100 ms' }],
  }),
  check({
    id: 'monitoring.7', section: 'monitoring', title: 'Prediction quality has not regressed', mode: 'auto-or-attest',
    evaluation: 'The prediction distribution is tracked against the golden set; label-based quality is attested.',
    status: 'fail', points: 0, basis: 'none',
    evidence: [{ label: 'Prediction distribution', value: 'greenhouse_predictions_total{class}' }],
    remedy: 'Attest how labels come back from production and who checks the quality, or record label-based metrics per release.',
  }),
];

const sectionScore = (section: string) => CHECKS.filter((c) => c.section === section).reduce((sum, c) => sum + c.points, 0);

const MANIFEST = sha('3f9a1c');
const OLD_MANIFEST = sha('b71e04');

export const READINESS: ReadinessReport = {
  schema: 'greenhouse.readiness/1',
  evaluatedAt: '2025-11-29T09:12:00.000Z',
  bundle: {
    name: 'churn-classifier',
    version: 3,
    manifestSha256: MANIFEST,
    createdAt: '2025-11-28T16:01:12.000Z',
    createdBy: 'maria',
    imageTag: 'greenhouse/churn-classifier:3',
    imageId: `sha256:${sha('4f1c9e')}`,
    strategy: 'pip',
    baseImage: 'greenhouse-base:3.11',
  },
  model: { name: 'churn-classifier', version: 3, sha256: sha('c0ffee'), className: 'Pipeline', framework: 'scikit-learn', task: 'classification' },
  score: {
    data: sectionScore('data'),
    model: sectionScore('model'),
    infrastructure: sectionScore('infrastructure'),
    monitoring: sectionScore('monitoring'),
    final: Math.min(sectionScore('data'), sectionScore('model'), sectionScore('infrastructure'), sectionScore('monitoring')),
    band: { label: 'reasonably tested', range: '(2, 3]' },
  },
  gates: [
    { id: 'image-builds', title: 'Image builds', passed: true, evidence: [{ label: 'Image', value: `sha256:${sha('4f1c9e')}, built in 41 s`, file: 'Dockerfile' }], remedy: null, override: null },
    { id: 'smoke-test', title: 'Container smoke test passes', passed: true, evidence: [{ label: 'Smoke test', value: '8 of 8 checks passed' }], remedy: null, override: null },
    { id: 'golden-parity', title: 'Golden parity holds', passed: true, evidence: [{ label: 'Parity', value: '64/64 rows on both endpoints, max |Δ| 2.2e-16', file: 'model/golden.json' }], remedy: null, override: null },
    { id: 'pickle-safe', title: 'No unsafe pickle globals', passed: true, evidence: [{ label: 'Scan', value: '9 globals, all allowed', file: 'model/model.joblib' }], remedy: null, override: null },
    { id: 'no-secrets', title: 'No secrets in the bundle', passed: true, evidence: [{ label: 'Secret scan', value: '0 findings in 24 files' }], remedy: null, override: null },
    {
      id: 'dependencies-pinned',
      title: 'Dependencies pinned',
      passed: false,
      evidence: [{ label: 'Not pinned', value: HOSTILE.evidence, file: 'requirements.txt' }],
      remedy: 'Pin threadpoolctl to an exact version in the environment (threadpoolctl==3.1.0) and write the bundle again.',
      override: {
        by: 'Oskar Lind',
        at: '2025-11-28T17:05:00.000Z',
        reason: 'threadpoolctl comes from the base image (Debian python3-threadpoolctl 3.1.0-1), which pins it; accepted for this release, see OPS-2231 & the <follow-up>.',
      },
    },
    {
      id: 'provenance-complete',
      title: 'Provenance complete',
      passed: false,
      evidence: [
        { label: 'Git commit', value: 'none: notebooks/train.ipynb has uncommitted changes', file: 'manifest.json' },
        { label: 'Inputs hashed', value: '4 of 4 (datasets, notebook, environment, model)' },
      ],
      remedy: 'Commit the workspace (git add notebooks/train.ipynb && git commit), then write the bundle again.',
      override: null,
    },
  ],
  gatesPassed: false,
  checks: CHECKS,
  reviews: [
    {
      id: 1,
      reviewer: 'Priya Natarajan',
      at: '2025-11-27T14:02:00.000Z',
      decision: 'approve',
      summary: 'Model side looks good; slice metrics can follow in v4.',
      comments: [{ checkId: 'model.6', text: 'Please add slice metrics for contract type in v4.' }],
      manifestSha256: OLD_MANIFEST,
    },
    {
      id: 2,
      reviewer: 'Oskar Lind',
      at: '2025-11-29T09:12:00.000Z',
      decision: 'request-changes',
      summary: 'The drift on monthly_charges needs an explanation, and provenance must be complete before we go live.',
      comments: [
        { checkId: 'monitoring.3', text: 'PSI 0.27 on monthly_charges: is this the November price change?' },
        { checkId: 'dependencies-pinned', text: 'Override accepted, see OPS-2231.' },
        { checkId: null, text: HOSTILE.comment },
      ],
      manifestSha256: MANIFEST,
    },
  ],
  verdict: {
    ready: false,
    summary: 'Not ready: the provenance-complete gate fails and the latest review requests changes.',
  },
};

const PACKAGES: [string, string | null, string | null, string | null][] = [
  // name, version, specifier, license
  ['joblib', '1.2.0', null, 'BSD-3-Clause'],
  ['numpy', '1.24.4', null, 'BSD-3-Clause'],
  ['pandas', '1.5.3', null, 'BSD-3-Clause'],
  ['python-dateutil', '2.8.2', null, 'Apache-2.0 OR BSD-3-Clause'],
  ['pytz', '2024.1', null, 'MIT'],
  ['scikit-learn', '1.2.1', null, 'BSD-3-Clause'],
  ['scipy', '1.10.1', null, 'BSD-3-Clause'],
  ['six', '1.16.0', null, 'MIT'],
  ['threadpoolctl', null, '>=3.1', 'BSD-3-Clause'],
  ['tzdata', '2024.1', null, 'Apache-2.0'],
  ['pyarrow', '14.0.2', null, 'Apache-2.0'],
  ['packaging', '23.2', null, 'Apache-2.0 OR BSD-2-Clause'],
  ['cloudpickle', '3.0.0', null, 'BSD-3-Clause'],
  ['fsspec', '2023.12.2', null, 'BSD-3-Clause'],
  ['markupsafe', '2.1.3', null, 'BSD-3-Clause'],
  ['typing-extensions', '4.9.0', null, null],
];

export function reportFixture(): ReportData {
  const reference = TRAINING_COLUMNS.filter((c) => c.name !== 'churned');
  return {
    readiness: structuredClone(READINESS),
    card: {
      details:
        '**churn-classifier v3** predicts whether a customer cancels within 30 days.\n\n' +
        'A scikit-learn `Pipeline`: a `ColumnTransformer` (scaling, one-hot encoding) and a `LogisticRegression` (C=1, balanced classes).\n\n' +
        'Owner: Maria Keller, customer analytics. See the [method notes](https://wiki.example.org/churn/v3).',
      intendedUse:
        '- Rank active customers by churn risk for the retention team, weekly.\n- **Not** for pricing decisions or for individual credit decisions.',
      factors: 'Contract type and tenure dominate. Senior customers are 16 % of the data.',
      metrics: '| metric | model | majority baseline |\n| --- | --- | --- |\n| ROC AUC | 0.842 | 0.500 |\n| accuracy | 0.803 | 0.735 |\n| F1 | 0.601 | 0.000 |',
      evaluationData: 'churn-holdout v1: 1,409 customers held out by signup date (the most recent 20 %).',
      trainingData: 'churn-train v2: 7,043 customers who signed up from 2019 to 2024. See `monitoring/reference-profile.json`.',
      quantitativeAnalyses:
        'Per-slice metrics are not recorded yet. <script>alert("card")</script>\n\n' +
        '![tracking pixel](http://tracker.example/pixel.png) [a javascript link](javascript:alert(5)) [a file link](file:///etc/passwd)',
      ethicalConsiderations: 'The model does not see age directly; `senior` is a proxy and is monitored.',
      caveats: 'Retrain monthly. Drift on `monthly_charges` after a price change is expected.',
    },
    signature: {
      inputs: [
        { name: 'tenure_months', dtype: 'int64', nullable: false },
        { name: 'monthly_charges', dtype: 'float64', nullable: true },
        { name: 'contract', dtype: 'string', nullable: false },
        { name: 'payment_method', dtype: 'string', nullable: false },
        { name: 'senior', dtype: 'bool', nullable: false },
        { name: 'signup_date', dtype: 'datetime', nullable: false },
        { name: HOSTILE.column, dtype: 'string', nullable: true },
      ],
      outputs: [
        { name: 'churned', kind: 'label', dtype: 'bool', class: null },
        { name: 'probability_false', kind: 'probability', dtype: 'float64', class: false },
        { name: 'probability_true', kind: 'probability', dtype: 'float64', class: true },
      ],
      inputsFrom: 'model',
    },
    metrics: {
      source: 'computed',
      dataset: { name: 'churn-holdout', version: 1 },
      rows: 1409,
      values: { accuracy: 0.8034, f1: 0.6012, log_loss: 0.4213, roc_auc: 0.8421 },
      baseline: { strategy: 'majority', values: { accuracy: 0.7346, f1: 0, log_loss: 0.5784, roc_auc: 0.5 } },
      recordedAt: '2025-11-28T15:02:00.000Z',
    },
    training: { name: 'churn-train', version: 2, rows: ROWS, columns: structuredClone(TRAINING_COLUMNS) },
    lineage: {
      nodes: [
        { id: 'dataset:churn-train@2', kind: 'dataset', name: 'churn-train', version: 2, detail: '7,043 rows' },
        { id: 'dataset:plans & prices@1', kind: 'dataset', name: 'plans & prices', version: 1, detail: '48 rows' },
        { id: 'dataset:churn-holdout@1', kind: 'dataset', name: 'churn-holdout', version: 1, detail: '1,409 rows' },
        { id: 'notebook:train@3', kind: 'notebook', name: 'train', version: 3, detail: 'python3 · 21 cells' },
        { id: 'environment:churn-env@2', kind: 'environment', name: 'churn-env', version: 2, detail: 'Python 3.11.2 · 16 packages' },
        { id: 'model:churn-classifier@3', kind: 'model', name: 'churn-classifier', version: 3, detail: 'Pipeline (scikit-learn)' },
        { id: 'bundle:churn-classifier@3', kind: 'bundle', name: 'churn-classifier', version: 3, detail: 'greenhouse/churn-classifier:3' },
      ],
      edges: [
        { source: 'dataset:churn-train@2', target: 'notebook:train@3', relation: 'read-by' },
        { source: 'dataset:plans & prices@1', target: 'notebook:train@3', relation: 'read-by' },
        { source: 'notebook:train@3', target: 'model:churn-classifier@3', relation: 'wrote' },
        { source: 'dataset:churn-train@2', target: 'model:churn-classifier@3', relation: 'trained' },
        { source: 'dataset:churn-holdout@1', target: 'model:churn-classifier@3', relation: 'evaluated' },
        { source: 'environment:churn-env@2', target: 'notebook:train@3', relation: 'environment-of' },
        { source: 'environment:churn-env@2', target: 'model:churn-classifier@3', relation: 'environment-of' },
        { source: 'model:churn-classifier@3', target: 'bundle:churn-classifier@3', relation: 'packaged-in' },
      ],
    },
    environment: {
      name: 'churn-env',
      version: 2,
      python: '3.11.2',
      packages: PACKAGES.map(([name, version, specifier]) => ({ name, version, specifier })),
    },
    sbom: {
      components: PACKAGES.filter(([, version]) => version).map(([name, version, , license]) => ({ name, version: version!, purl: `pkg:pypi/${name}@${version}`, license })),
    },
    smoke: {
      passed: true,
      bundle: { name: 'churn-classifier', version: 3 },
      image: { id: `sha256:${sha('4f1c9e')}`, tag: 'greenhouse/churn-classifier:3' },
      network: 'host',
      port: 41877,
      startedAt: '2025-11-28T16:03:40.000Z',
      durationMs: 9412,
      readyMs: 1830,
      checks: [
        { id: 'ready', ok: true, message: 'Ready 1830 ms after the container started.' },
        { id: 'metadata', ok: true, message: "The metadata lists the signature's 7 inputs with their types." },
        { id: 'parity.predict', ok: true, message: '64 of 64 golden rows match on /predict.' },
        { id: 'parity.v2', ok: true, message: '64 of 64 golden rows match on /v2/models/churn-classifier/infer.' },
        { id: 'malformed', ok: true, message: 'All 8 malformed requests were refused with a 4xx.' },
        { id: 'metrics', ok: true, message: '/metrics parses (14 metric families) and counted the 264 /predict requests and 8 refusals.' },
        { id: 'pytest', ok: true, message: 'The generated tests pass in the image: 9 passed, 1 skipped in 3.12s.' },
        { id: 'shutdown', ok: true, message: 'The server stopped cleanly on SIGTERM (exit code 0).' },
      ],
      parity: {
        examples: 64,
        tolerance: 1e-6,
        predict: { matched: 64, mismatched: 0 },
        v2: { matched: 64, mismatched: 0 },
        maxDifference: 2.220446049250313e-16,
        mismatches: [],
      },
      malformed: [
        { case: 'malformed JSON', endpoint: '/predict', status: 400, ok: true, kind: 'invalid_json' },
        { case: 'malformed JSON', endpoint: '/v2/models/churn-classifier/infer', status: 400, ok: true, kind: 'invalid_json' },
        { case: 'not JSON (text/plain)', endpoint: '/predict', status: 415, ok: true, kind: 'unsupported_media_type' },
        { case: 'empty batch', endpoint: '/predict', status: 422, ok: true, kind: 'empty_batch' },
        { case: 'empty batch', endpoint: '/v2/models/churn-classifier/infer', status: 422, ok: true, kind: 'empty_batch' },
        { case: 'missing column tenure_months', endpoint: '/predict', status: 422, ok: true, kind: 'missing_input' },
        { case: 'missing input tensor tenure_months', endpoint: '/v2/models/churn-classifier/infer', status: 422, ok: true, kind: 'missing_input' },
        { case: 'wrong type for tenure_months (int64)', endpoint: '/predict', status: 422, ok: true, kind: 'wrong_type' },
      ],
      malformedRejected: true,
      latencyMs: { requests: 200, p50: 4.1, p95: 14.2, max: 31.7 },
      metrics: { ok: true, families: 14, predictRequests: 264, clientErrors: 8 },
      pytest: {
        ran: true,
        exitCode: 0,
        passed: 9,
        failed: 0,
        errors: 0,
        skipped: 1,
        summary: '9 passed, 1 skipped in 3.12s',
        output: 'tests/test_model.py .........s\n9 passed, 1 skipped in 3.12s',
      },
      containerLogs: null,
    },
    scan: {
      safe: true,
      format: 'joblib',
      compression: null,
      protocol: 4,
      globals: [
        { module: 'sklearn.pipeline', name: 'Pipeline', allowed: true, count: 1 },
        { module: 'sklearn.compose._column_transformer', name: 'ColumnTransformer', allowed: true, count: 1 },
        { module: 'sklearn.preprocessing._data', name: 'StandardScaler', allowed: true, count: 1 },
        { module: 'sklearn.preprocessing._encoders', name: 'OneHotEncoder', allowed: true, count: 1 },
        { module: 'sklearn.linear_model._logistic', name: 'LogisticRegression', allowed: true, count: 1 },
        { module: 'numpy', name: 'dtype', allowed: true, count: 6 },
        { module: 'numpy.core.multiarray', name: '_reconstruct', allowed: true, count: 9 },
        { module: 'numpy', name: 'ndarray', allowed: true, count: 9 },
        { module: 'builtins', name: 'slice', allowed: true, count: 2 },
      ],
      findings: [{ severity: 'info', kind: 'opcode', module: null, name: null, offset: 1042, message: 'NEWOBJ_EX used for sklearn objects (allowed classes only).' }],
      recordedVersions: { 'scikit-learn': '1.2.1' },
      bytes: 18_432,
      sha256: sha('c0ffee'),
    },
    reference: {
      dataset: { name: 'churn-train', version: 2, sha256: sha('d47a5e'), rows: ROWS },
      columns: structuredClone(reference),
    },
    drift: {
      at: '2025-11-29T08:30:00.000Z',
      drift: true,
      features: [
        { name: 'tenure_months', psi: 0.031, js: 0.012, drifted: false },
        { name: 'monthly_charges', psi: 0.274, js: 0.091, drifted: true },
        { name: 'contract', psi: 0.048, js: 0.017, drifted: false },
        { name: 'payment_method', psi: 0.022, js: 0.008, drifted: false },
        { name: 'senior', psi: 0.001, js: 0.0004, drifted: false },
        { name: 'signup_date', psi: null, js: null, drifted: false },
        { name: HOSTILE.column, psi: null, js: null, drifted: false },
      ],
    },
  };
}
