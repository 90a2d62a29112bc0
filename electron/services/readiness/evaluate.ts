// The readiness checklist as code: the 28 tests of the ML Test Score (Breck et al., 2017) and the
// seven hand-off gates, each evaluated from facts gathered beforehand (ReadinessInputs), so this
// module is pure: the same facts give the same report. Scoring follows the rubric: 1 point for a
// test Greenhouse runs itself, half a point for one a named person attests, the section score the
// sum, the final score the minimum of the four sections.

import type {
  Attestation,
  BundleDetail,
  CheckEvidence,
  CheckStatus,
  ColumnProfile,
  EnvPackage,
  GateId,
  ModelDetail,
  NotebookRun,
  ReadinessCheck,
  ReadinessGate,
  ReadinessReport,
  ReadinessScore,
  ReadinessSection,
  Review,
} from '../../../shared/contract/index.js';
import { READINESS_SCHEMA, READINESS_SECTIONS } from '../../../shared/contract/index.js';
import type { BundleManifest } from '../bundles/manifest.js';
import type { LatestDrift } from '../monitoring/drift-repo.js';
import { cardGaps, lowerIsBetter } from '../models/model-card.js';
import type { SecretFinding } from './secrets.js';

/** Facts about one bundle, gathered from the catalog and its folder. */
export interface ReadinessInputs {
  bundle: BundleDetail;
  /** The bundle folder's manifest.json; null when it is missing or unreadable. */
  manifest: BundleManifest | null;
  model: ModelDetail;
  environment: { name: string; version: number; python: string | null; packages: EnvPackage[] } | null;
  training: { name: string; version: number; createdAt: string; columns: ColumnProfile[] } | null;
  notebook: { name: string; version: number; runs: NotebookRun[] } | null;
  /** requirements.txt of the bundle. */
  requirements: string | null;
  /** k8s/deployment.yaml of the bundle. */
  deployment: string | null;
  /** Secrets found in the bundle's files. */
  bundleSecrets: SecretFinding[];
  /** Secrets and personal data found in the linked notebook's sources. */
  notebookFindings: SecretFinding[];
  /** The previous version's bundle, when there is one: its pinned packages. */
  previous: { version: number; requirements: string } | null;
  attestations: Map<string, Attestation>;
  overrides: Map<GateId, { by: string; at: string; reason: string }>;
  reviews: Review[];
  settings: ReadinessSettings;
  /** The latest drift check of the bundle's model version (greenhouse drift), when one ran. */
  drift?: LatestDrift | null;
}

export interface ReadinessSettings {
  /** Column names (case-insensitive substrings) treated as protected attributes. */
  protectedAttributes: string[];
  /** Training data older than this at bundle time makes the model stale. */
  maxTrainingAgeDays: number;
  /** p95 single-request latency budget of the smoke test. */
  latencyBudgetMs: number;
}

export const DEFAULT_READINESS_SETTINGS: ReadinessSettings = {
  protectedAttributes: ['gender', 'sex', 'race', 'ethnic', 'religion', 'disabilit', 'pregnan', 'marital', 'nationality', 'sexual_orientation', 'date_of_birth', 'dob'],
  maxTrainingAgeDays: 365,
  latencyBudgetMs: 250,
};

/** What an automated evaluation found. */
interface Outcome {
  status: CheckStatus;
  evidence: CheckEvidence[];
  remedy: string | null;
}

interface CheckDef {
  id: string;
  section: ReadinessSection;
  title: string;
  mode: ReadinessCheck['mode'];
  evaluation: string;
  /** What to do to earn it by attestation (shown as the remedy when nothing else is). */
  attest?: string;
  /** The automated part; absent for attest-only checks. */
  auto?: (f: ReadinessInputs) => Outcome;
}

const ev = (label: string, value: string | number | boolean, file?: string): CheckEvidence => ({ label, value: String(value), ...(file ? { file } : {}) });
const pass = (...evidence: CheckEvidence[]): Outcome => ({ status: 'pass', evidence, remedy: null });
const fail = (remedy: string, ...evidence: CheckEvidence[]): Outcome => ({ status: 'fail', evidence, remedy });
const warn = (remedy: string, ...evidence: CheckEvidence[]): Outcome => ({ status: 'warn', evidence, remedy });

const smoke = (f: ReadinessInputs) => (f.bundle.lastSmokeTest && f.bundle.image && f.bundle.lastSmokeTest.image.id === f.bundle.image.id ? f.bundle.lastSmokeTest : null);
const smokeCheck = (f: ReadinessInputs, id: string) => smoke(f)?.checks.find((c) => c.id === id) ?? null;
const noSmoke = (f: ReadinessInputs) =>
  fail(`Build the image and run the smoke test (greenhouse bundle build ${f.bundle.name}@${f.bundle.version}, then bundle smoke).`, ev('Smoke test', f.bundle.image ? 'not run on the current image' : 'no image built'));
const ref = (f: ReadinessInputs) => `${f.bundle.name}@${f.bundle.version}`;

/** `name==version` lines of a requirements file; other requirement lines are returned as loose. */
export function parsePins(requirements: string): { pinned: Map<string, string>; loose: string[] } {
  const pinned = new Map<string, string>();
  const loose: string[] = [];
  for (const raw of requirements.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (!line || line.startsWith('#') || line.startsWith('-')) continue;
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([^\s;,]+)\s*(;.*)?$/.exec(line);
    if (m && !m[3]!.includes('*')) pinned.set(m[1]!.toLowerCase().replace(/[-_.]+/g, '-'), m[3]!);
    else loose.push(line);
  }
  return { pinned, loose };
}

const isSliceMetric = (name: string) => /\[[^\]]+\]$/.test(name) || /@[^@]+$/.test(name);

const CHECKS: CheckDef[] = [
  // ------------------------------------------------------------------------------------- Data
  {
    id: 'data.1',
    section: 'data',
    title: 'Feature expectations are captured in a schema',
    mode: 'auto',
    evaluation: 'The signature (columns and types) and the training profile (ranges, categories, null rates) are in the bundle, and the serving app validates every request against the signature.',
    auto: (f) => {
      const inputs = f.model.signature.inputs;
      const hasRef = f.bundle.files.some((x) => x.path === 'monitoring/reference-profile.json');
      if (inputs.length === 0) return fail('Register the model with its training dataset so its input columns are known.', ev('Signature inputs', 0));
      if (!hasRef) return fail('Package the model again: the bundle lacks the training reference profile.', ev('Reference profile', 'missing'));
      return pass(ev('Signature inputs', inputs.map((i) => `${i.name} (${i.dtype}${i.nullable ? ', nullable' : ''})`).join(', '), 'model/metadata.json'), ev('Training profile', `${f.training?.columns.length ?? '?'} columns profiled`, 'monitoring/reference-profile.json'));
    },
  },
  {
    id: 'data.2',
    section: 'data',
    title: 'All features are beneficial',
    mode: 'auto-or-attest',
    evaluation: 'From the model\'s feature importances when it exposes them: every feature carries at least 0.5 % of the total importance.',
    attest: 'Attest that each feature was checked to help (an ablation or importance study), naming how.',
    auto: (f) => {
      const imp = f.model.introspection.featureImportances;
      if (!imp || imp.length === 0) return fail('The model exposes no feature importances: attest the feature study instead.', ev('Feature importances', 'not exposed by the model'));
      const total = imp.reduce((s, x) => s + Math.abs(x.importance), 0) || 1;
      const weak = imp.filter((x) => Math.abs(x.importance) / total < 0.005);
      const top = [...imp].sort((a, b) => Math.abs(b.importance) - Math.abs(a.importance)).slice(0, 5).map((x) => `${x.feature} ${((Math.abs(x.importance) / total) * 100).toFixed(1)} %`);
      if (weak.length > 0) return warn(`Drop or justify the features that contribute almost nothing: ${weak.map((w) => w.feature).join(', ')}.`, ev('Weak features', weak.map((w) => w.feature).join(', ')), ev('Top features', top.join(', ')));
      return pass(ev('Features', imp.length), ev('Top features', top.join(', ')));
    },
  },
  {
    id: 'data.3',
    section: 'data',
    title: 'No feature\'s cost is too much',
    mode: 'attest',
    evaluation: 'The cost of computing and maintaining each feature (latency, data dependencies, upkeep) was weighed against its benefit.',
    attest: 'Attest that each feature\'s cost (data source, latency, upkeep) was weighed against its benefit.',
  },
  {
    id: 'data.4',
    section: 'data',
    title: 'Features adhere to meta-level requirements',
    mode: 'auto-or-attest',
    evaluation: 'The input columns are checked against a deny-list of protected attributes (gender, race, religion, date of birth…).',
    attest: 'If a protected attribute is used on purpose, attest why it is allowed (legal basis, fairness review).',
    auto: (f) => {
      const deny = f.settings.protectedAttributes.map((d) => d.toLowerCase());
      const hits = f.model.signature.inputs.map((i) => i.name).filter((n) => deny.some((d) => n.toLowerCase().includes(d)));
      if (hits.length > 0) return fail(`Remove the protected attributes from the model's inputs (${hits.join(', ')}), or attest why they are allowed.`, ev('Protected attributes among the inputs', hits.join(', ')));
      return pass(ev('Inputs checked', f.model.signature.inputs.length), ev('Deny-list', deny.join(', ')));
    },
  },
  {
    id: 'data.5',
    section: 'data',
    title: 'The data pipeline has appropriate privacy controls',
    mode: 'auto-or-attest',
    evaluation: 'The bundle\'s files and the training notebook are scanned for secrets and personal data (e-mail addresses, social security numbers, IBANs).',
    attest: 'Attest the privacy controls of the data pipeline (access, retention, anonymisation).',
    auto: (f) => {
      const found = [...f.bundleSecrets, ...f.notebookFindings];
      if (found.length > 0) {
        return fail('Remove the secrets and personal data found (see the evidence), then register the notebook and package again.', ...found.slice(0, 10).map((x) => ev(`${x.title} (${x.rule})`, `line ${x.line}: ${x.excerpt}`, x.file)));
      }
      return pass(ev('Bundle files scanned', f.bundle.files.length), ev('Notebook scanned', f.notebook ? `${f.notebook.name}@${f.notebook.version}` : 'no notebook linked'));
    },
  },
  {
    id: 'data.6',
    section: 'data',
    title: 'New features can be added quickly',
    mode: 'attest',
    evaluation: 'A new feature can go from idea to production in a short time (the pipeline is scripted, not manual).',
    attest: 'Attest how long adding a feature takes and what the steps are.',
  },
  {
    id: 'data.7',
    section: 'data',
    title: 'All input feature code is tested',
    mode: 'auto-or-attest',
    evaluation: 'The generated tests check the signature and the serving app\'s input validation inside the image; feature code in the notebook needs its own tests (attest).',
    attest: 'Attest that the notebook\'s feature code has tests.',
    auto: (f) => {
      const s = smoke(f);
      if (!s) return noSmoke(f);
      return s.pytest.exitCode === 0 && s.malformedRejected
        ? pass(ev('In-image tests', s.pytest.summary, 'tests/test_model.py'), ev('Malformed requests refused', `${s.malformed.filter((m) => m.ok).length}/${s.malformed.length}`))
        : fail('Fix what the generated tests report (see the smoke test), build again and rerun it.', ev('In-image tests', s.pytest.summary, 'tests/test_model.py'));
    },
  },
  // ------------------------------------------------------------------------------------ Model
  {
    id: 'model.1',
    section: 'model',
    title: 'Model specs are reviewed and submitted',
    mode: 'auto',
    evaluation: 'The model card has all nine sections written, and a reviewer approved this bundle.',
    auto: (f) => {
      const gaps = cardGaps(f.model.card);
      const approved = f.reviews.find((r) => r.decision === 'approve' && r.manifestSha256 === f.bundle.manifestSha256) ?? null;
      const evidence = [ev('Model card', gaps.length === 0 ? 'complete' : `to write: ${gaps.join(', ')}`, 'model-card.md'), ev('Approved review', approved ? `${approved.reviewer}, ${approved.at}` : 'none for this bundle')];
      if (gaps.length > 0) return fail(`Write the model card's remaining sections (${gaps.join(', ')}) before bundling, then have it reviewed.`, ...evidence);
      if (!approved) return warn('Have a reviewer approve this bundle (readiness review).', ...evidence);
      return pass(...evidence);
    },
  },
  {
    id: 'model.2',
    section: 'model',
    title: 'Offline and online metrics correlate',
    mode: 'attest',
    evaluation: 'Needs production labels: the offline metric was shown to track the online (business) metric.',
    attest: 'Attest how offline metrics were compared with online results.',
  },
  {
    id: 'model.3',
    section: 'model',
    title: 'All hyperparameters have been tuned',
    mode: 'attest',
    evaluation: 'The parameters are recorded with the model; that they were tuned (search space, method) is attested.',
    attest: 'Attest how the hyperparameters were tuned (search method and space).',
  },
  {
    id: 'model.4',
    section: 'model',
    title: 'The impact of model staleness is known',
    mode: 'attest',
    evaluation: 'How quickly quality decays as the data ages, from the training data\'s date.',
    attest: 'Attest how fast the model decays (e.g. by evaluating on later data) and when to retrain.',
  },
  {
    id: 'model.5',
    section: 'model',
    title: 'A simpler model is not better',
    mode: 'auto',
    evaluation: 'The recorded metrics beat the trivial baseline (majority class or training mean) on the same evaluation data.',
    auto: (f) => {
      const m = f.model.metrics;
      if (!m || !m.baseline) return fail('Register the model with an evaluation dataset (--eval-dataset) so its metrics are computed beside the baseline.', ev('Baseline', 'not recorded'));
      const shared = Object.keys(m.values).filter((k) => m.baseline!.values[k] !== undefined);
      if (shared.length === 0) return fail('Record metrics the baseline also has.', ev('Metrics', Object.keys(m.values).join(', ')));
      const rows = shared.map((k) => ({ k, v: m.values[k]!, b: m.baseline!.values[k]!, better: lowerIsBetter(k) ? m.values[k]! < m.baseline!.values[k]! : m.values[k]! > m.baseline!.values[k]! }));
      const evidence = rows.map((r) => ev(r.k, `${r.v.toFixed(4)} vs baseline ${r.b.toFixed(4)} (${m.baseline!.strategy})`));
      const worse = rows.filter((r) => !r.better);
      if (worse.length === rows.length) return fail('The model does not beat the trivial baseline on any metric: revisit the model before handing it off.', ...evidence);
      if (worse.length > 0) return warn(`The model does not beat the baseline on ${worse.map((r) => r.k).join(', ')}: say why in the model card.`, ...evidence);
      return pass(...evidence);
    },
  },
  {
    id: 'model.6',
    section: 'model',
    title: 'Model quality is sufficient on important data slices',
    mode: 'auto-or-attest',
    evaluation: 'Slice metrics are recorded (metric names like "accuracy[plan=basic]") and none is far below the overall value.',
    attest: 'Attest which slices were evaluated and what was found.',
    auto: (f) => {
      const values = f.model.metrics?.values ?? {};
      const slices = Object.entries(values).filter(([k]) => isSliceMetric(k));
      if (slices.length === 0) return fail('Record metrics per important slice (names like "accuracy[plan=basic]"), or attest the slice analysis.', ev('Slice metrics', 'none recorded'));
      const low = slices.filter(([k, v]) => {
        const overall = values[k.replace(/\[[^\]]+\]$|@[^@]+$/, '')];
        if (overall === undefined) return false;
        return lowerIsBetter(k) ? v > overall * 1.25 : v < overall * 0.8;
      });
      const evidence = slices.slice(0, 12).map(([k, v]) => ev(k, v.toFixed(4)));
      if (low.length > 0) return warn(`Quality is much lower on ${low.map(([k]) => k).join(', ')}: address it or explain it in the model card.`, ...evidence);
      return pass(...evidence);
    },
  },
  {
    id: 'model.7',
    section: 'model',
    title: 'The model is tested for considerations of inclusion',
    mode: 'attest',
    evaluation: 'The model was examined for fairness and inclusion issues across the groups it affects.',
    attest: 'Attest the inclusion review: which groups, which measures, what was found.',
  },
  // --------------------------------------------------------------------------- Infrastructure
  {
    id: 'infrastructure.1',
    section: 'infrastructure',
    title: 'Training is reproducible',
    mode: 'auto-or-attest',
    evaluation: 'The linked notebook was executed top to bottom by Greenhouse (greenhouse notebook run) without errors.',
    attest: 'Attest how the model is retrained from scratch (the command or pipeline) and that it was done.',
    auto: (f) => {
      if (!f.notebook) return fail('Link the notebook that trains the model (model add --notebook) and run it (greenhouse notebook run), or attest how training is reproduced.', ev('Notebook', 'none linked'));
      const runs = f.notebook.runs.filter((r) => r.version === f.notebook!.version);
      const passed = runs.find((r) => r.state === 'passed');
      if (!passed) return fail(`Run the notebook top to bottom: greenhouse notebook run ${f.notebook.name}@${f.notebook.version}.`, ev('Notebook', `${f.notebook.name}@${f.notebook.version}`), ev('Runs', runs.length === 0 ? 'none' : `${runs.length}, none passed`));
      return pass(ev('Notebook', `${f.notebook.name}@${f.notebook.version}`), ev('Reproduced', `${passed.startedAt} with ${passed.python}, ${(passed.durationMs / 1000).toFixed(1)} s`));
    },
  },
  {
    id: 'infrastructure.2',
    section: 'infrastructure',
    title: 'Model specs are unit tested',
    mode: 'auto',
    evaluation: 'The generated tests (model loads, signature, golden predictions, bad input, latency) pass inside the image.',
    auto: (f) => {
      const s = smoke(f);
      if (!s) return noSmoke(f);
      return s.pytest.exitCode === 0 ? pass(ev('In-image tests', s.pytest.summary, 'tests/test_model.py')) : fail('Fix the failing generated tests (see the smoke test output), build again and rerun.', ev('In-image tests', s.pytest.summary, 'tests/test_model.py'));
    },
  },
  {
    id: 'infrastructure.3',
    section: 'infrastructure',
    title: 'The ML pipeline is integration tested',
    mode: 'auto',
    evaluation: 'The image builds and its container passes the smoke test end to end (ready, metadata, both endpoints, metrics, clean shutdown).',
    auto: (f) => {
      const s = smoke(f);
      if (!s) return noSmoke(f);
      const failed = s.checks.filter((c) => !c.ok).map((c) => c.id);
      return s.passed ? pass(ev('Smoke test', `passed in ${(s.durationMs / 1000).toFixed(1)} s (${s.checks.length} checks)`), ev('Image', s.image.id)) : fail(`Fix what the smoke test found (${failed.join(', ')}), build again and rerun.`, ev('Failed checks', failed.join(', ')));
    },
  },
  {
    id: 'infrastructure.4',
    section: 'infrastructure',
    title: 'Model quality is validated before serving',
    mode: 'auto',
    evaluation: 'Every golden example is answered in the image as the analyst\'s model answered it, on /predict and on the V2 endpoint.',
    auto: (f) => {
      const s = smoke(f);
      if (!s) return noSmoke(f);
      const p = s.parity;
      const evidence = [ev('Golden examples', p.examples, 'model/golden.json'), ev('Matched', `/predict ${p.predict.matched}, V2 ${p.v2.matched}`), ev('Max difference', `${p.maxDifference ?? 'n/a'} (tolerance ${p.tolerance})`)];
      return p.predict.mismatched === 0 && p.v2.mismatched === 0 && p.examples > 0 ? pass(...evidence) : fail('The image answers differently from the analyst\'s model: align the library versions (the base strategy checks them) and package again.', ...evidence);
    },
  },
  {
    id: 'infrastructure.5',
    section: 'infrastructure',
    title: 'The model is debuggable',
    mode: 'auto',
    evaluation: 'Each prediction can be traced: request ids on every answer and in the sampled JSON Lines prediction log.',
    auto: (f) => {
      const s = smoke(f);
      if (!s) return noSmoke(f);
      return s.metrics.ok ? pass(ev('Request ids', 'X-Request-Id on every answer'), ev('Prediction log', 'JSON Lines, sampled (GREENHOUSE_LOG_SAMPLE)', 'app/server.py')) : fail('The container did not expose its metrics and logs: see the smoke test.', ev('Metrics', 'not scraped'));
    },
  },
  {
    id: 'infrastructure.6',
    section: 'infrastructure',
    title: 'Models are canaried before serving',
    mode: 'auto-or-attest',
    evaluation: 'The Kubernetes Deployment rolls out one ready pod at a time (RollingUpdate, maxUnavailable 0); attest a staged rollout where it is done otherwise.',
    attest: 'Attest how new versions are rolled out gradually (canary, blue/green).',
    auto: (f) => {
      const d = f.deployment ?? '';
      return /type:\s*RollingUpdate/.test(d) && /maxUnavailable:\s*0\b/.test(d)
        ? pass(ev('Rollout', 'RollingUpdate, maxSurge 1, maxUnavailable 0', 'k8s/deployment.yaml'))
        : fail('Package again: the Deployment lacks a gradual rollout strategy.', ev('Rollout', 'no strategy', 'k8s/deployment.yaml'));
    },
  },
  {
    id: 'infrastructure.7',
    section: 'infrastructure',
    title: 'Serving models can be rolled back',
    mode: 'auto',
    evaluation: 'The image is tagged by the model version and recorded by id in the signed manifest, and earlier versions\' bundles are kept.',
    auto: (f) => {
      const id = f.manifest?.image.id ?? null;
      const evidence = [ev('Image tag', f.bundle.imageTag), ev('Image id in the manifest', id ?? 'not recorded', 'manifest.json'), ev('Previous bundle', f.previous ? `version ${f.previous.version} kept` : 'this is the first bundled version')];
      return id ? pass(...evidence) : fail('Build the image: the build signs its id into the manifest.', ...evidence);
    },
  },
  // ------------------------------------------------------------------------------- Monitoring
  {
    id: 'monitoring.1',
    section: 'monitoring',
    title: 'Dependency changes result in notification',
    mode: 'auto',
    evaluation: 'Every dependency is pinned, the SBOM is in the bundle, and changes from the previous bundled version are listed.',
    auto: (f) => {
      const { pinned, loose } = parsePins(f.requirements ?? '');
      const sbom = f.bundle.files.some((x) => x.path === 'sbom.cdx.json');
      const changes: string[] = [];
      if (f.previous) {
        const before = parsePins(f.previous.requirements).pinned;
        for (const [n, v] of pinned) if (before.get(n) !== v) changes.push(before.has(n) ? `${n} ${before.get(n)} → ${v}` : `${n} ${v} added`);
        for (const n of before.keys()) if (!pinned.has(n)) changes.push(`${n} removed`);
      }
      const evidence = [ev('Pinned', `${pinned.size} packages`, 'requirements.txt'), ev('SBOM', sbom ? 'CycloneDX 1.5' : 'missing', 'sbom.cdx.json'), ev(`Changes since version ${f.previous?.version ?? '-'}`, f.previous ? (changes.length ? changes.join(', ') : 'none') : 'first bundled version')];
      if (loose.length > 0 || !sbom) return fail(`Pin every dependency exactly${loose.length ? ` (${loose.join(', ')})` : ''} and package again.`, ...evidence);
      return changes.length > 0 ? warn('Review the dependency changes listed in the evidence before rolling out.', ...evidence) : pass(...evidence);
    },
  },
  {
    id: 'monitoring.2',
    section: 'monitoring',
    title: 'Data invariants hold in training and serving inputs',
    mode: 'auto',
    evaluation: 'The serving app validates every input against the schema, refuses violations with a 4xx, and counts them in /metrics (greenhouse_input_schema_violations_total); the latest drift check shows whether a real batch of serving inputs keeps the schema.',
    auto: (f) => {
      const s = smoke(f);
      if (!s) return noSmoke(f);
      if (!(s.malformedRejected && s.metrics.ok)) return fail('The image accepted malformed input or exposed no metrics: see the smoke test.', ev('Malformed refused', String(s.malformedRejected)));
      const evidence = [ev('Malformed requests refused', `${s.malformed.filter((m) => m.ok).length}/${s.malformed.length}`), ev('Counted in /metrics', `${s.metrics.clientErrors ?? 0} client errors`)];
      const d = f.drift;
      if (!d) return pass(...evidence);
      // What the serving app would refuse: a missing column, a value of the wrong type, a null where training had none.
      const broken = d.schemaViolations.filter((v) => v.kind === 'missing-column' || v.kind === 'wrong-type' || v.kind === 'unexpected-null');
      const seen = d.schemaViolations.filter((v) => v.kind !== 'unknown-column');
      evidence.push(ev(`Serving inputs (drift check ${d.id}, ${d.checkedAt})`, seen.length === 0 ? `${d.rows} rows of ${d.batch.path} keep the training schema` : seen.map((v) => `${v.kind} ${v.column} (${v.count})`).join(', ')));
      if (broken.length > 0) return warn(`The latest batch of serving inputs breaks the schema (${broken.map((v) => `${v.kind} in ${v.column}`).join(', ')}): fix the data feeding the model, then check a new batch (greenhouse drift ${ref(f)} --data FILE).`, ...evidence);
      return pass(...evidence);
    },
  },
  {
    id: 'monitoring.3',
    section: 'monitoring',
    title: 'Training and serving features are not skewed',
    mode: 'auto-or-attest',
    evaluation: 'The latest drift check of the model version (greenhouse drift, or the monitoring page): a batch of serving inputs or the prediction log compared with the training profile per feature (PSI, Jensen-Shannon, KS or chi-square); passes when it found no dataset-level drift.',
    attest: 'Attest how serving inputs are compared with the training data (until a drift check is recorded).',
    auto: (f) => {
      const reference = ev('Reference', 'training profile in the bundle', 'monitoring/reference-profile.json');
      const d = f.drift;
      if (!d) return fail(`Run a drift check of logged serving inputs against the training profile (greenhouse drift ${ref(f)} --data FILE, or app/drift.py in the container), or attest the comparison.`, ev('Drift checks', 'none recorded'), reference);
      const worst = [...d.features].filter((x) => x.psi !== null).sort((a, b) => b.psi! - a.psi!).slice(0, 5);
      const evidence = [
        ev('Latest drift check', `${d.id}, ${d.checkedAt}: ${d.rows} rows of ${d.batch.path} (${d.batch.format}, sha256 ${d.batch.sha256.slice(0, 12)}…)`),
        ev('Features drifted', d.drifted.length ? `${d.drifted.length} of ${d.checked}: ${d.drifted.join(', ')}` : `none of ${d.checked}`),
        ev('Highest PSI', worst.map((x) => `${x.name} ${x.psi!.toFixed(3)}`).join(', ') || 'n/a'),
        reference,
      ];
      if (d.drift) {
        return fail(`Serving inputs have drifted from the training data (${d.drifted.join(', ')}): hand the batch back for retraining (greenhouse drift handback ${d.id} --name DATASET), retrain, and register the new model version.`, ...evidence);
      }
      return pass(...evidence);
    },
  },
  {
    id: 'monitoring.4',
    section: 'monitoring',
    title: 'Models are not too stale',
    mode: 'auto',
    evaluation: 'The model\'s age is exposed as a metric (greenhouse_model_age_seconds), and its training data was at most the allowed age when bundled.',
    auto: (f) => {
      if (!f.training) return fail('Link the training dataset.', ev('Training data', 'unknown'));
      const days = Math.floor((Date.parse(f.bundle.createdAt) - Date.parse(f.training.createdAt)) / 86_400_000);
      const evidence = [ev('Training data registered', f.training.createdAt), ev('Age when bundled', `${days} days (limit ${f.settings.maxTrainingAgeDays})`), ev('Age metric', 'greenhouse_model_age_seconds', 'app/server.py')];
      return days <= f.settings.maxTrainingAgeDays ? pass(...evidence) : fail('Retrain on recent data and register the new model version.', ...evidence);
    },
  },
  {
    id: 'monitoring.5',
    section: 'monitoring',
    title: 'Models are numerically stable',
    mode: 'auto',
    evaluation: 'NaN and infinite outputs are counted in /metrics (greenhouse_nonfinite_outputs_total) and none occurred on the golden examples.',
    auto: (f) => {
      const s = smoke(f);
      if (!s) return noSmoke(f);
      const finite = f.model.golden.predictions.every((p) => typeof p !== 'number' || Number.isFinite(p)) && (f.model.golden.probabilities ?? []).every((row) => row.every(Number.isFinite));
      return finite && s.metrics.ok ? pass(ev('Golden outputs', 'all finite'), ev('Counted in /metrics', 'greenhouse_nonfinite_outputs_total')) : fail('The model produced non-finite outputs on the golden examples: fix the model.', ev('Golden outputs', finite ? 'finite' : 'NaN or infinite values'));
    },
  },
  {
    id: 'monitoring.6',
    section: 'monitoring',
    title: 'Computing performance has not regressed',
    mode: 'auto',
    evaluation: 'Latency is a histogram in /metrics, and the smoke test\'s p95 single-request latency is within the budget.',
    auto: (f) => {
      const s = smoke(f);
      if (!s) return noSmoke(f);
      const p95 = s.latencyMs.p95;
      const evidence = [ev('p50 / p95', `${s.latencyMs.p50 ?? '?'} / ${p95 ?? '?'} ms over ${s.latencyMs.requests} requests`), ev('Budget (p95)', `${f.settings.latencyBudgetMs} ms`)];
      return p95 !== null && p95 <= f.settings.latencyBudgetMs ? pass(...evidence) : fail('Single requests are too slow: profile the model\'s predict, or raise the budget with a reason.', ...evidence);
    },
  },
  {
    id: 'monitoring.7',
    section: 'monitoring',
    title: 'Prediction quality has not regressed',
    mode: 'auto-or-attest',
    evaluation: 'The prediction distribution is tracked in /metrics against the golden set; label-based quality needs production labels (attest).',
    attest: 'Attest how prediction quality is measured once labels arrive.',
    auto: (f) => {
      const s = smoke(f);
      if (!s) return noSmoke(f);
      const ok = s.metrics.ok && s.parity.predict.mismatched === 0;
      return ok ? pass(ev('Prediction distribution', f.model.version.task === 'regression' ? 'greenhouse_prediction_value histogram' : 'greenhouse_predictions_total by class'), ev('Golden set', `${s.parity.examples} examples matched`, 'model/golden.json')) : fail('See the smoke test: the predictions or metrics are off.', ev('Smoke test', 'parity or metrics failed'));
    },
  },
];

export const CHECK_IDS = CHECKS.map((c) => c.id);
export const isCheckId = (id: string) => CHECK_IDS.includes(id);
export const isAttestable = (id: string) => CHECKS.some((c) => c.id === id && c.mode !== 'auto');

function evaluateCheck(def: CheckDef, f: ReadinessInputs): ReadinessCheck {
  const attestation = def.mode === 'auto' ? null : (f.attestations.get(def.id) ?? null);
  const auto = def.auto ? def.auto(f) : null;
  const base = { id: def.id, section: def.section, title: def.title, mode: def.mode, evaluation: def.evaluation, attestation };
  if (auto?.status === 'pass') return { ...base, status: 'pass', points: 1, basis: 'automated', evidence: auto.evidence, remedy: null };
  if (attestation) {
    // A person vouched for it: half a point. Where an automated check found a problem, it stays visible as a warning.
    return { ...base, status: auto ? 'warn' : 'pass', points: 0.5, basis: 'attested', evidence: auto?.evidence ?? [], remedy: auto ? auto.remedy : null };
  }
  if (auto) return { ...base, status: auto.status, points: 0, basis: 'none', evidence: auto.evidence, remedy: auto.remedy ?? def.attest ?? null };
  return { ...base, status: 'fail', points: 0, basis: 'none', evidence: [], remedy: def.attest ?? 'Attest it.' };
}

interface GateDef {
  id: GateId;
  title: string;
  evaluate: (f: ReadinessInputs) => Outcome;
}

const GATES: GateDef[] = [
  {
    id: 'image-builds',
    title: 'The image builds',
    evaluate: (f) => {
      if (f.bundle.image) return pass(ev('Image', `${f.bundle.image.tag} ${f.bundle.image.id}`));
      const last = f.bundle.lastBuild;
      return fail(`Build the image: greenhouse bundle build ${ref(f)}.`, ev('Last build', last ? `${last.state} at ${last.at}${last.error ? `: ${last.error.split('\n')[0]}` : ''}` : 'none'));
    },
  },
  {
    id: 'smoke-test',
    title: 'The container smoke test passes',
    evaluate: (f) => {
      const s = smoke(f);
      if (!s) return noSmoke(f);
      return s.passed ? pass(ev('Smoke test', `passed ${s.startedAt}`)) : fail('Fix what the smoke test found, build again and rerun it.', ev('Failed checks', s.checks.filter((c) => !c.ok).map((c) => c.id).join(', ')));
    },
  },
  {
    id: 'golden-parity',
    title: 'Golden parity holds',
    evaluate: (f) => {
      const c1 = smokeCheck(f, 'parity.predict');
      const c2 = smokeCheck(f, 'parity.v2');
      if (!c1 || !c2) return noSmoke(f);
      const s = smoke(f)!;
      const evidence = [ev('/predict', c1.message), ev('V2 infer', c2.message), ev('Max difference', `${s.parity.maxDifference ?? 'n/a'} (tolerance ${s.parity.tolerance})`)];
      return c1.ok && c2.ok ? pass(...evidence) : fail('The image answers differently from the analyst\'s model: align the library versions and package again.', ...evidence);
    },
  },
  {
    id: 'pickle-safe',
    title: 'No unsafe pickle globals',
    evaluate: (f) => {
      const scan = f.model.scan;
      const critical = scan.findings.filter((x) => x.severity === 'critical');
      if (scan.safe && !f.model.version.scanOverride) return pass(ev('Scan', `safe (${scan.format})`));
      return fail(
        'Export the model without the flagged globals (or as ONNX) and register it again.',
        ev('Scan', scan.safe ? 'safe' : `${critical.length} critical finding(s)`),
        ...critical.slice(0, 5).map((x) => ev(x.severity, x.message)),
        ...(f.model.version.scanOverride ? [ev('Loaded anyway by', `${f.model.version.scanOverride.by}: ${f.model.version.scanOverride.reason}`)] : []),
      );
    },
  },
  {
    id: 'no-secrets',
    title: 'No secrets in the bundle',
    evaluate: (f) =>
      f.bundleSecrets.length === 0
        ? pass(ev('Files scanned', f.bundle.files.length))
        : fail('Remove the secrets from the files named (or from the notebook and data they came from) and package again; rotate any real credential.', ...f.bundleSecrets.slice(0, 10).map((x) => ev(x.title, `line ${x.line}: ${x.excerpt}`, x.file))),
  },
  {
    id: 'dependencies-pinned',
    title: 'Dependencies are pinned',
    evaluate: (f) => {
      const { pinned, loose } = parsePins(f.requirements ?? '');
      if (f.requirements === null) return fail('Package again: the bundle has no requirements.txt.', ev('requirements.txt', 'missing'));
      return loose.length === 0 ? pass(ev('Pinned exactly', `${pinned.size} packages`, 'requirements.txt')) : fail('Pin every requirement with == and package again.', ev('Not pinned', loose.join(', '), 'requirements.txt'));
    },
  },
  {
    id: 'provenance-complete',
    title: 'Provenance is complete',
    evaluate: (f) => {
      const m = f.manifest;
      if (!m) return fail('Package again: the bundle has no readable manifest.', ev('manifest.json', 'missing or unreadable'));
      const missing: string[] = [];
      if (!/^[0-9a-f]{64}$/.test(m.model.sha256)) missing.push('model hash');
      if (!m.provenance.datasets.some((d) => d.role === 'training')) missing.push('training dataset');
      if (m.provenance.datasets.some((d) => !/^[0-9a-f]{64}$/.test(d.sha256))) missing.push('a dataset hash');
      if (!/^[0-9a-f]{64}$/.test(m.provenance.environment.sha256)) missing.push('environment hash');
      if (f.model.lineage.notebook && !m.provenance.notebook) missing.push('notebook');
      const evidence = [
        ev('Model', `${m.model.name}@${m.model.version} ${m.model.sha256.slice(0, 16)}…`, 'manifest.json'),
        ev('Datasets', m.provenance.datasets.map((d) => `${d.role} ${d.name}@${d.version} ${d.sha256.slice(0, 12)}…`).join(', ')),
        ev('Environment', `${m.provenance.environment.name}@${m.provenance.environment.version}`),
        ev('Notebook', m.provenance.notebook ? `${m.provenance.notebook.name}@${m.provenance.notebook.version}` : 'none linked'),
        ev('Git', m.provenance.git ? `${m.provenance.git.commit.slice(0, 12)}${m.provenance.git.dirty ? ' (uncommitted changes)' : ''}` : 'not a git repository'),
      ];
      return missing.length === 0 ? pass(...evidence) : fail(`Register the missing inputs (${missing.join(', ')}) and package again.`, ...evidence);
    },
  },
];

/** The rubric's reading of a final score. */
export function scoreBand(final: number): ReadinessScore['band'] {
  if (final <= 0) return { label: 'Research project', range: '0' };
  if (final <= 1) return { label: 'Not totally untested', range: '(0, 1]' };
  if (final <= 2) return { label: 'First pass at basic productionization', range: '(1, 2]' };
  if (final <= 3) return { label: 'Reasonably tested', range: '(2, 3]' };
  if (final <= 5) return { label: 'Strong automated testing and monitoring', range: '(3, 5]' };
  return { label: 'Exceptional levels of automated testing and monitoring', range: '> 5' };
}

/** Section sums and the final score (their minimum). */
export function scoreChecks(checks: Pick<ReadinessCheck, 'section' | 'points'>[]): ReadinessScore {
  const sums = Object.fromEntries(READINESS_SECTIONS.map((s) => [s, checks.filter((c) => c.section === s).reduce((n, c) => n + c.points, 0)])) as Record<ReadinessSection, number>;
  const final = Math.min(...READINESS_SECTIONS.map((s) => sums[s]));
  return { ...sums, final, band: scoreBand(final) };
}

const latest = (...times: (string | null | undefined)[]) => times.filter((t): t is string => Boolean(t)).sort().at(-1)!;

/**
 * The verdict: ready when every gate passes (or was overridden) and the latest review of this very
 * manifest approves it; with one sentence for the top of the report.
 */
export function readinessVerdict(gates: ReadinessGate[], score: ReadinessReport['score'], reviews: Review[], manifestSha256: string): ReadinessReport['verdict'] {
  const gatesPassed = gates.every((g) => g.passed || g.override !== null);
  const failing = gates.filter((g) => !g.passed && !g.override);
  const lastReview = reviews.filter((r) => r.manifestSha256 === manifestSha256).at(-1) ?? null;
  const reviewText = lastReview ? (lastReview.decision === 'approve' ? `approved by ${lastReview.reviewer}` : `changes requested by ${lastReview.reviewer}`) : 'not reviewed yet';
  const approved = lastReview?.decision === 'approve';
  const overridden = gates.some((g) => g.override) ? ' (some overridden)' : '';
  const scoreText = `Score ${score.final} (${score.band.label.toLowerCase()})`;
  const summary = failing.length > 0
    ? `Not ready: ${failing.length} hand-off gate${failing.length > 1 ? 's' : ''} fail${failing.length > 1 ? '' : 's'} (${failing.map((g) => g.title.toLowerCase()).join('; ')}). ${scoreText}; ${reviewText}.`
    : approved
      ? `Ready: gates pass${overridden} and ${reviewText}. ${scoreText}.`
      : `Not ready yet: gates pass${overridden}, ${lastReview ? reviewText : 'waiting for a reviewer\'s approval'}. ${scoreText}.`;
  return { ready: gatesPassed && approved, summary };
}

/** Evaluate every check and gate of a bundle from its facts. */
export function evaluateReadiness(f: ReadinessInputs): ReadinessReport {
  const checks = CHECKS.map((d) => evaluateCheck(d, f));
  const gates: ReadinessGate[] = GATES.map((g) => {
    const o = g.evaluate(f);
    const passed = o.status === 'pass';
    return { id: g.id, title: g.title, passed, evidence: o.evidence, remedy: passed ? null : o.remedy, override: passed ? null : (f.overrides.get(g.id) ?? null) };
  });
  const gatesPassed = gates.every((g) => g.passed || g.override !== null);
  const score = scoreChecks(checks);
  const verdict = readinessVerdict(gates, score, f.reviews, f.bundle.manifestSha256);
  const attestedAt = [...f.attestations.values()].map((a) => a.at);
  const overriddenAt = [...f.overrides.values()].map((o) => o.at);
  return {
    schema: READINESS_SCHEMA,
    evaluatedAt: latest(f.bundle.createdAt, f.bundle.lastBuild?.at, f.bundle.lastSmokeTest?.startedAt, f.drift?.checkedAt, ...attestedAt, ...overriddenAt, ...f.reviews.map((r) => r.at), ...(f.notebook?.runs.map((r) => r.startedAt) ?? [])),
    bundle: {
      name: f.bundle.name,
      version: f.bundle.version,
      manifestSha256: f.bundle.manifestSha256,
      createdAt: f.bundle.createdAt,
      createdBy: f.bundle.createdBy,
      imageTag: f.bundle.imageTag,
      imageId: f.bundle.image?.id ?? null,
      strategy: f.bundle.strategy,
      baseImage: f.bundle.baseImage,
    },
    model: { name: f.model.name, version: f.model.version.version, sha256: f.model.version.sha256, className: f.model.introspection.className, framework: f.model.introspection.framework, task: f.model.introspection.task },
    score,
    gates,
    gatesPassed,
    checks,
    reviews: f.reviews,
    verdict,
  };
}
