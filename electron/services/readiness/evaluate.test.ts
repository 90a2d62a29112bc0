// The checklist's rules on hand-made facts: the rubric's scoring (automated 1, attested 0.5, the
// final score the minimum of the sections), each gate, overrides, the verdict and determinism.
import { describe, expect, it } from 'vitest';
import type { ReadinessCheck, Review } from '../../../shared/contract/index.js';
import { MODEL_CARD_SECTIONS } from '../../../shared/contract/index.js';
import { readyBundle, smokeResult } from '../../../renderer/src/testing/bundle-fixtures.js';
import { modelDetail } from '../../../renderer/src/testing/model-fixtures.js';
import type { BundleManifest } from '../bundles/manifest.js';
import { DEFAULT_READINESS_SETTINGS, evaluateReadiness, parsePins, scoreBand, scoreChecks, type ReadinessInputs } from './evaluate.js';

const SHA = (c: string) => c.repeat(64);

const manifest = (over: Partial<BundleManifest> = {}): BundleManifest => ({
  schema: 'greenhouse.bundle/1',
  bundle: { name: 'churn', version: 1, createdAt: '2026-01-10T09:05:00.000Z', createdBy: 'ana' },
  model: { name: 'churn', version: 1, sha256: SHA('a'), framework: 'scikit-learn', class: 'Pipeline' },
  provenance: {
    datasets: [{ name: 'customers', version: 1, sha256: SHA('b'), role: 'training' }],
    notebook: { name: 'train', version: 1, sha256: SHA('c') },
    environment: { name: 'python3', version: 1, sha256: SHA('d'), python: '3.11.2' },
    git: null,
    greenhouse: { version: '0.1.0' },
  },
  image: { tag: 'greenhouse/churn:1', id: `sha256:${SHA('e')}`, base: 'greenhouse/python-base:bookworm' },
  files: [],
  ...over,
});

const COMPLETE_CARD = Object.fromEntries(Object.keys(MODEL_CARD_SECTIONS).map((k) => [k, `Written: ${k}.`])) as ReturnType<typeof modelDetail>['card'];

/** A bundle that passed its smoke test, of a model with a complete card and no attestations. */
function facts(over: Partial<ReadinessInputs> = {}): ReadinessInputs {
  const bundle = readyBundle({ files: [...readyBundle().files, { path: 'monitoring/reference-profile.json', sha256: SHA('f'), bytes: 10 }, { path: 'sbom.cdx.json', sha256: SHA('1'), bytes: 10 }] });
  return {
    bundle,
    manifest: manifest(),
    model: modelDetail({ card: COMPLETE_CARD }),
    environment: { name: 'python3', version: 1, python: '3.11.2', packages: [] },
    training: { name: 'customers', version: 1, createdAt: '2026-01-01T00:00:00.000Z', columns: [] },
    notebook: { name: 'train', version: 1, runs: [] },
    requirements: 'joblib==1.2.0\nnumpy==1.24.2\nscikit-learn==1.2.1\n',
    deployment: 'spec:\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n',
    bundleSecrets: [],
    notebookFindings: [],
    previous: null,
    attestations: new Map(),
    overrides: new Map(),
    reviews: [],
    settings: DEFAULT_READINESS_SETTINGS,
    ...over,
  };
}

const check = (checks: ReadinessCheck[], id: string) => checks.find((c) => c.id === id)!;

describe('readiness scoring (ML Test Score)', () => {
  it('sums points per section and takes the minimum as the final score, with the rubric bands', () => {
    const points = (section: ReadinessCheck['section'], ...p: number[]) => p.map((n) => ({ section, points: n }));
    const s = scoreChecks([...points('data', 1, 1, 0.5), ...points('model', 1, 0.5), ...points('infrastructure', 1, 1, 1, 1), ...points('monitoring', 1, 1, 1)]);
    expect(s).toMatchObject({ data: 2.5, model: 1.5, infrastructure: 4, monitoring: 3, final: 1.5, band: { label: 'First pass at basic productionization', range: '(1, 2]' } });
    expect(scoreBand(0).label).toBe('Research project');
    expect(scoreBand(1).range).toBe('(0, 1]');
    expect(scoreBand(3).label).toBe('Reasonably tested');
    expect(scoreBand(5).range).toBe('(3, 5]');
    expect(scoreBand(5.5).range).toBe('> 5');
  });

  it('earns automated checks from the bundle\'s evidence, one point each, and leaves manual ones at zero', () => {
    const r = evaluateReadiness(facts());
    expect(r.checks).toHaveLength(28);
    expect(new Set(r.checks.map((c) => c.section))).toEqual(new Set(['data', 'model', 'infrastructure', 'monitoring']));
    for (const id of ['data.1', 'data.2', 'data.4', 'data.5', 'data.7', 'infrastructure.2', 'infrastructure.3', 'infrastructure.4', 'infrastructure.6', 'infrastructure.7', 'monitoring.1', 'monitoring.2', 'monitoring.5', 'monitoring.6', 'monitoring.7']) {
      expect(check(r.checks, id), id).toMatchObject({ status: 'pass', points: 1, basis: 'automated', remedy: null });
    }
    expect(check(r.checks, 'data.3')).toMatchObject({ status: 'fail', points: 0, basis: 'none', remedy: expect.stringMatching(/^Attest that each feature's cost/) });
    // Complete card but nobody approved it yet: a warning, no point.
    expect(check(r.checks, 'model.1')).toMatchObject({ status: 'warn', points: 0 });
    // The fixture's model loses to the baseline on f1 and log_loss (lower is better): a warning naming them.
    expect(check(r.checks, 'model.5')).toMatchObject({ status: 'warn', remedy: expect.stringContaining('f1, log_loss') });
    expect(r.score.final).toBe(Math.min(r.score.data, r.score.model, r.score.infrastructure, r.score.monitoring));
  });

  it('gives half a point for an attestation, and keeps an automated finding visible as a warning', () => {
    const attestation = { by: 'ana', at: '2026-01-11T10:00:00.000Z', note: 'Weighed each feature\'s cost.' };
    const base = evaluateReadiness(facts());
    const r = evaluateReadiness(facts({ model: modelDetail({ card: COMPLETE_CARD, introspection: { ...modelDetail().introspection, featureImportances: null } }), attestations: new Map([['data.3', attestation], ['data.2', attestation]]) }));
    expect(check(r.checks, 'data.3')).toMatchObject({ status: 'pass', points: 0.5, basis: 'attested', attestation });
    // data.2 has no importances to compute from: attested, but shown as a warning with the automated evidence.
    expect(check(r.checks, 'data.2')).toMatchObject({ status: 'warn', points: 0.5, basis: 'attested' });
    expect(r.score.data).toBe(base.score.data - 1 + 0.5 + 0.5);
    expect(r.evaluatedAt).toBe('2026-01-11T10:00:00.000Z');
  });

  it('never lets an automated check be attested', () => {
    const r = evaluateReadiness(facts({ bundle: readyBundle({ lastSmokeTest: null, smoke: null, image: null }), attestations: new Map([['infrastructure.3', { by: 'x', at: '2026-01-11T00:00:00.000Z', note: 'trust me' }]]) }));
    expect(check(r.checks, 'infrastructure.3')).toMatchObject({ status: 'fail', points: 0, attestation: null });
  });

  it('model specs: a card with prompts left fails; an approval of this manifest passes; one of an older manifest does not count', () => {
    const review = (manifestSha256: string): Review => ({ id: 1, reviewer: 'olga', at: '2026-01-12T00:00:00.000Z', decision: 'approve', summary: '', comments: [], manifestSha256 });
    expect(check(evaluateReadiness(facts({ model: modelDetail() })).checks, 'model.1')).toMatchObject({ status: 'fail', remedy: expect.stringContaining('Intended use') });
    const current = readyBundle().manifestSha256;
    expect(check(evaluateReadiness(facts({ reviews: [review(current)] })).checks, 'model.1')).toMatchObject({ status: 'pass', points: 1 });
    expect(check(evaluateReadiness(facts({ reviews: [review('old')] })).checks, 'model.1')).toMatchObject({ status: 'warn', points: 0 });
  });

  it('flags protected attributes, secrets and personal data, unpinned or changed dependencies', () => {
    const m = modelDetail({ card: COMPLETE_CARD });
    const withGender = { ...m, signature: { ...m.signature, inputs: [...m.signature.inputs, { name: 'Gender', dtype: 'string' as const, nullable: false }] } };
    expect(check(evaluateReadiness(facts({ model: withGender })).checks, 'data.4')).toMatchObject({ status: 'fail', evidence: [expect.objectContaining({ value: 'Gender' })] });
    const secret = { file: 'app/server.py', line: 3, rule: 'aws-access-key', title: 'an AWS access key id', kind: 'secret' as const, excerpt: 'key = "AKIA…' };
    const leaky = evaluateReadiness(facts({ bundleSecrets: [secret] }));
    expect(check(leaky.checks, 'data.5')).toMatchObject({ status: 'fail', evidence: [expect.objectContaining({ file: 'app/server.py' })] });
    expect(leaky.gates.find((g) => g.id === 'no-secrets')).toMatchObject({ passed: false, evidence: [expect.objectContaining({ value: expect.stringContaining('line 3') })] });

    const loose = evaluateReadiness(facts({ requirements: 'scikit-learn>=1.2\nnumpy==1.24.2\n' }));
    expect(loose.gates.find((g) => g.id === 'dependencies-pinned')).toMatchObject({ passed: false, evidence: [expect.objectContaining({ value: 'scikit-learn>=1.2' })] });
    const changed = evaluateReadiness(facts({ previous: { version: 0, requirements: 'joblib==1.2.0\nnumpy==1.23.5\npandas==1.5.3\n' } }));
    expect(check(changed.checks, 'monitoring.1')).toMatchObject({ status: 'warn', evidence: expect.arrayContaining([expect.objectContaining({ value: 'numpy 1.23.5 → 1.24.2, scikit-learn 1.2.1 added, pandas removed' })]) });
  });

  it('training/serving skew and data invariants take the latest drift check of the model version as evidence', () => {
    const latest = (over: Partial<NonNullable<ReadinessInputs['drift']>> = {}): NonNullable<ReadinessInputs['drift']> => ({
      id: 7,
      checkedAt: '2026-01-14T08:00:00.000Z',
      drift: false,
      checked: 4,
      drifted: [],
      rows: 5000,
      batch: { path: '/srv/logs/predictions.jsonl', sha256: SHA('9'), format: 'prediction-log' },
      features: [
        { name: 'age', psi: 0.012, js: 0.03, drifted: false },
        { name: 'income', psi: 0.041, js: 0.05, drifted: false },
      ],
      schemaViolations: [],
      ...over,
    });
    // None recorded: the rubric's failure, pointing at the command.
    const none = evaluateReadiness(facts());
    expect(check(none.checks, 'monitoring.3')).toMatchObject({ status: 'fail', points: 0, remedy: expect.stringContaining('greenhouse drift churn@1 --data FILE'), evidence: expect.arrayContaining([expect.objectContaining({ label: 'Drift checks', value: 'none recorded' })]) });

    // A check on a batch that found no dataset-level drift earns the point, with the batch and the PSIs as evidence.
    const calm = evaluateReadiness(facts({ drift: latest() }));
    expect(check(calm.checks, 'monitoring.3')).toMatchObject({ status: 'pass', points: 1, basis: 'automated', remedy: null });
    expect(check(calm.checks, 'monitoring.3').evidence).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ label: 'Latest drift check', value: expect.stringContaining('5000 rows of /srv/logs/predictions.jsonl (prediction-log') }),
        expect.objectContaining({ label: 'Features drifted', value: 'none of 4' }),
        expect.objectContaining({ label: 'Highest PSI', value: 'income 0.041, age 0.012' }),
      ]),
    );
    expect(calm.score.monitoring).toBe(none.score.monitoring + 1);
    expect(calm.evaluatedAt).toBe('2026-01-14T08:00:00.000Z');

    // Drift found: it fails naming the drifted features, and the remedy is the hand-back of that check.
    const drifted = evaluateReadiness(facts({ drift: latest({ drift: true, drifted: ['income', 'age'], features: [{ name: 'income', psi: 0.61, js: 0.3, drifted: true }, { name: 'age', psi: 0.3, js: 0.2, drifted: true }] }) }));
    expect(check(drifted.checks, 'monitoring.3')).toMatchObject({
      status: 'fail',
      points: 0,
      remedy: expect.stringMatching(/^Serving inputs have drifted from the training data \(income, age\): hand the batch back for retraining \(greenhouse drift handback 7 --name DATASET\)/),
      evidence: expect.arrayContaining([expect.objectContaining({ label: 'Features drifted', value: '2 of 4: income, age' })]),
    });
    // An attestation still earns half a point, with the drift kept visible.
    const attested = evaluateReadiness(facts({ drift: latest({ drift: true, drifted: ['income'] }), attestations: new Map([['monitoring.3', { by: 'ana', at: '2026-01-15T00:00:00.000Z', note: 'Known price change, retraining scheduled.' }]]) }));
    expect(check(attested.checks, 'monitoring.3')).toMatchObject({ status: 'warn', points: 0.5, basis: 'attested' });

    // Data invariants: the serving inputs' schema is evidence; what the serving app would refuse makes it a warning.
    expect(check(calm.checks, 'monitoring.2')).toMatchObject({ status: 'pass', evidence: expect.arrayContaining([expect.objectContaining({ label: 'Serving inputs (drift check 7, 2026-01-14T08:00:00.000Z)', value: '5000 rows of /srv/logs/predictions.jsonl keep the training schema' })]) });
    const ranged = evaluateReadiness(facts({ drift: latest({ schemaViolations: [{ kind: 'out-of-range', column: 'income', count: 12 }, { kind: 'unknown-column', column: 'session', count: 5000 }] }) }));
    expect(check(ranged.checks, 'monitoring.2')).toMatchObject({ status: 'pass', evidence: expect.arrayContaining([expect.objectContaining({ value: 'out-of-range income (12)' })]) });
    const broken = evaluateReadiness(facts({ drift: latest({ schemaViolations: [{ kind: 'missing-column', column: 'plan', count: 5000 }, { kind: 'wrong-type', column: 'age', count: 3 }] }) }));
    expect(check(broken.checks, 'monitoring.2')).toMatchObject({ status: 'warn', points: 0, remedy: expect.stringContaining('missing-column in plan, wrong-type in age') });
  });

  it('parses exact pins only', () => {
    expect(parsePins('# comment\nScikit_Learn==1.2.1 ; python_version >= "3.8"\nnumpy == 1.24.2\nfoo==1.*\nbar\n-r other.txt\n')).toEqual({
      pinned: new Map([['scikit-learn', '1.2.1'], ['numpy', '1.24.2']]),
      loose: ['foo==1.*', 'bar'],
    });
  });
});

describe('hand-off gates', () => {
  it('all pass for a built, smoke-tested, safe, pinned and fully traced bundle', () => {
    const r = evaluateReadiness(facts());
    expect(r.gates.map((g) => [g.id, g.passed])).toEqual([
      ['image-builds', true],
      ['smoke-test', true],
      ['golden-parity', true],
      ['pickle-safe', true],
      ['no-secrets', true],
      ['dependencies-pinned', true],
      ['provenance-complete', true],
    ]);
    expect(r.gatesPassed).toBe(true);
    expect(r.verdict).toMatchObject({ ready: false, summary: expect.stringMatching(/^Not ready yet: gates pass, waiting for a reviewer's approval\. Score \d/) });
    const approved = evaluateReadiness(facts({ reviews: [{ id: 1, reviewer: 'olga', at: '2026-01-12T00:00:00.000Z', decision: 'approve', summary: '', comments: [], manifestSha256: readyBundle().manifestSha256 }] }));
    expect(approved.verdict).toMatchObject({ ready: true, summary: expect.stringMatching(/^Ready: gates pass and approved by olga\. Score/) });
  });

  it('fail without an image or with a failed parity, and a recorded override lets them pass, named in the verdict', () => {
    const mismatch = smokeResult({ passed: false, checks: [...smokeResult().checks.filter((c) => c.id !== 'parity.v2'), { id: 'parity.v2', ok: false, message: '3 rows differ' }] });
    const r = evaluateReadiness(facts({ bundle: readyBundle({ lastSmokeTest: mismatch }) }));
    expect(r.gates.filter((g) => !g.passed).map((g) => g.id)).toEqual(['smoke-test', 'golden-parity']);
    expect(r.verdict).toMatchObject({ ready: false, summary: expect.stringMatching(/^Not ready: 2 hand-off gates fail \(the container smoke test passes; golden parity holds\)/) });

    const noImage = evaluateReadiness(facts({ bundle: readyBundle({ image: null, lastSmokeTest: null }), manifest: manifest({ image: { tag: 'greenhouse/churn:1', id: null, base: 'x' } }) }));
    expect(noImage.gates.find((g) => g.id === 'image-builds')).toMatchObject({ passed: false, remedy: 'Build the image: greenhouse bundle build churn@1.' });
    expect(check(noImage.checks, 'infrastructure.7')).toMatchObject({ status: 'fail' });

    const override = { by: 'olga', at: '2026-01-13T00:00:00.000Z', reason: 'Operations build it in their CI.' };
    const overridden = evaluateReadiness(facts({ bundle: readyBundle({ lastSmokeTest: mismatch }), overrides: new Map([['smoke-test', override], ['golden-parity', override]]) }));
    expect(overridden.gatesPassed).toBe(true);
    expect(overridden.gates.find((g) => g.id === 'golden-parity')).toMatchObject({ passed: false, override });
    expect(overridden.verdict.summary).toMatch(/^Not ready yet: gates pass \(some overridden\)/);
  });

  it('fail for an unsafe or overridden pickle scan and for missing provenance', () => {
    const m = modelDetail({ card: COMPLETE_CARD });
    const unsafe = evaluateReadiness(facts({ model: { ...m, version: { ...m.version, scanOverride: { by: 'ana', reason: 'trusted', at: '2026-01-10T00:00:00.000Z' } } } }));
    expect(unsafe.gates.find((g) => g.id === 'pickle-safe')).toMatchObject({ passed: false, evidence: expect.arrayContaining([expect.objectContaining({ label: 'Loaded anyway by' })]) });
    const untraced = evaluateReadiness(facts({ manifest: manifest({ provenance: { ...manifest().provenance, notebook: null, datasets: [] } }) }));
    expect(untraced.gates.find((g) => g.id === 'provenance-complete')).toMatchObject({ passed: false, remedy: expect.stringContaining('training dataset, notebook') });
  });

  it('is deterministic: the same facts give the same report', () => {
    expect(JSON.stringify(evaluateReadiness(facts()))).toBe(JSON.stringify(evaluateReadiness(facts())));
  });
});
