// Contract-shaped bundle values for renderer tests.
import type {
  BundleBuildState,
  BundleDetail,
  BundleExport,
  BundleFileContent,
  BundlePlan,
  BundleSummary,
  BundleVerifyResult,
  Job,
  SmokeTestResult,
} from '../../../shared/contract/index.js';
import { job } from './fixtures.js';

const SHA = '3f1c9d0a7b2e4c6d8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f';
const IMAGE = 'sha256:9c1e2d3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9012a3b4c5d6e';

export const bundleSummary = (over: Partial<BundleSummary> = {}): BundleSummary => ({
  name: 'churn',
  version: 1,
  model: { name: 'churn', version: 1 },
  path: '/home/ana/churn/bundles/churn-1',
  strategy: 'base',
  baseImage: 'greenhouse/python-base:bookworm',
  imageTag: 'greenhouse/churn:1',
  createdAt: '2026-01-10T09:00:00.000Z',
  createdBy: 'ana',
  image: null,
  smoke: null,
  status: 'written',
  lastExport: null,
  ...over,
});

export const bundleFiles = (): BundleDetail['files'] => [
  { path: '.dockerignore', sha256: SHA, bytes: 40 },
  { path: 'app/server.py', sha256: SHA, bytes: 24_310 },
  { path: 'Dockerfile', sha256: SHA, bytes: 1_480 },
  { path: 'model/model.joblib', sha256: SHA, bytes: 18_432 },
  { path: 'requirements.txt', sha256: SHA, bytes: 64 },
];

export const buildState = (over: Partial<BundleBuildState> = {}): BundleBuildState => ({
  state: 'succeeded',
  at: '2026-01-10T09:05:00.000Z',
  imageId: IMAGE,
  durationMs: 21_400,
  error: null,
  logTail: ['Step 11/12 : COPY model/ /srv/model/', ' ---> 1a2b3c4d5e6f', 'Step 12/12 : USER 10001', 'Successfully built 9c1e2d3f4a5b'],
  manifestOk: true,
  ...over,
});

export const bundleImage = (over: Partial<NonNullable<BundleSummary['image']>> = {}): NonNullable<BundleSummary['image']> => ({
  id: IMAGE,
  tag: 'greenhouse/churn:1',
  bytes: 812_000_000,
  builtAt: '2026-01-10T09:05:00.000Z',
  ...over,
});

export const smokeResult = (over: Partial<SmokeTestResult> = {}): SmokeTestResult => ({
  passed: true,
  bundle: { name: 'churn', version: 1 },
  image: { id: IMAGE, tag: 'greenhouse/churn:1' },
  network: 'host',
  port: 41_877,
  startedAt: '2026-01-10T09:06:00.000Z',
  durationMs: 9_800,
  readyMs: 1_240,
  checks: [
    { id: 'ready', ok: true, message: '/v2/health/ready answered 200 after 1.2 s.' },
    { id: 'metadata', ok: true, message: "The metadata lists the signature's 4 inputs with their types." },
    { id: 'parity.predict', ok: true, message: '/predict: all 100 golden examples match (labels exactly, numbers within 0.000001).' },
    { id: 'parity.v2', ok: true, message: '/v2/models/churn/infer: all 100 golden examples match.' },
    { id: 'malformed', ok: true, message: 'All 9 malformed requests were refused with a 4xx (400, 415, 422).' },
    { id: 'metrics', ok: true, message: '/metrics answered 12 metric families.' },
    { id: 'pytest', ok: true, message: '6 passed in 2.31s' },
    { id: 'shutdown', ok: true, message: 'The container stopped cleanly on SIGTERM.' },
  ],
  parity: {
    examples: 100,
    tolerance: 1e-6,
    predict: { matched: 100, mismatched: 0 },
    v2: { matched: 100, mismatched: 0 },
    maxDifference: 2.2e-16,
    mismatches: [],
  },
  malformed: [
    { case: 'malformed JSON', endpoint: '/predict', status: 400, ok: true, kind: 'bad-json' },
    { case: 'empty batch', endpoint: '/predict', status: 422, ok: true, kind: 'empty' },
  ],
  malformedRejected: true,
  latencyMs: { requests: 50, p50: 2.4, p95: 4.1, max: 7.9 },
  metrics: { ok: true, families: 12, predictRequests: 63, clientErrors: 9 },
  pytest: { ran: true, exitCode: 0, passed: 6, failed: 0, errors: 0, skipped: 0, summary: '6 passed in 2.31s', output: '......\n6 passed in 2.31s' },
  containerLogs: null,
  ...over,
});

/** A smoke test that found differences on /predict and a 500 for a malformed request. */
export const failedSmokeResult = (): SmokeTestResult =>
  smokeResult({
    passed: false,
    checks: smokeResult().checks.map((c) =>
      c.id === 'parity.predict' ? { ...c, ok: false, message: '/predict: 2 of 100 golden examples differ: row 3 probabilities[1]: expected 0.8, got 0.7.' }
      : c.id === 'malformed' ? { ...c, ok: false, message: 'Malformed requests not refused with a 4xx: empty batch on /predict → 500.' }
      : c,
    ),
    parity: {
      ...smokeResult().parity,
      predict: { matched: 98, mismatched: 2 },
      maxDifference: 0.1,
      mismatches: [
        { endpoint: 'predict', row: 3, output: 'probabilities[1]', expected: 0.8, actual: 0.7 },
        { endpoint: 'predict', row: 17, output: 'label', expected: 'yes', actual: 'no' },
      ],
    },
    malformed: [
      { case: 'malformed JSON', endpoint: '/predict', status: 400, ok: true, kind: 'bad-json' },
      { case: 'empty batch', endpoint: '/predict', status: 500, ok: false, kind: null },
    ],
    malformedRejected: false,
    containerLogs: 'Traceback (most recent call last):\n  File "/srv/app/server.py", line 210\nValueError: empty batch',
  });

export const bundleExport = (over: Partial<BundleExport> = {}): BundleExport => ({
  archive: '/home/ana/churn/bundles/churn-1.tar.gz',
  sha256: SHA,
  bytes: 48_213,
  tarSha256: SHA,
  includesImage: false,
  imageId: null,
  at: '2026-01-10T09:08:00.000Z',
  ...over,
});

export const bundleDetail = (over: Partial<BundleDetail> = {}): BundleDetail => ({
  ...bundleSummary(),
  files: bundleFiles(),
  manifestSha256: SHA,
  signatureFingerprint: 'SHA256:q2Wf0x1lM9c7XnQpZb4r8sT6uVwYz3aB5cD7eF9gH1i',
  lastBuild: null,
  lastSmokeTest: null,
  ...over,
});

/** A bundle whose image is built and passed its smoke test. */
export const readyBundle = (over: Partial<BundleDetail> = {}): BundleDetail =>
  bundleDetail({ status: 'tested', image: bundleImage(), lastBuild: buildState(), smoke: { passed: true, at: '2026-01-10T09:06:00.000Z', imageId: IMAGE }, lastSmokeTest: smokeResult(), ...over });

export const bundlePlan = (over: Partial<BundlePlan> = {}): BundlePlan => ({
  model: { name: 'churn', version: 1 },
  environment: { name: 'debian-python', version: 1, python: '3.11.2', packages: 84 },
  defaultBaseImage: 'python:3.11-slim',
  localImages: ['greenhouse/python-base:bookworm', 'python:3.11-slim'],
  dockerAvailable: true,
  existing: null,
  ...over,
});

export const fileContent = (over: Partial<BundleFileContent> = {}): BundleFileContent => ({
  path: 'Dockerfile',
  bytes: 120,
  text: 'FROM greenhouse/python-base:bookworm\nUSER 10001\nHEALTHCHECK CMD python -c "print(1)"\n',
  truncated: false,
  ...over,
});

export const verifyResult = (over: Partial<BundleVerifyResult> = {}): BundleVerifyResult => ({
  ok: true,
  valid: true,
  problems: [],
  source: { path: '/home/ana/churn/bundles/churn-1.tar.gz', kind: 'archive' },
  bundle: { name: 'churn', version: 1, createdAt: '2026-01-10T09:00:00.000Z', createdBy: 'ana' },
  checks: [
    { id: 'archive', ok: true, message: 'The archive has only regular files and folders under one root.' },
    { id: 'manifest', ok: true, message: 'manifest.json lists 31 files.' },
    { id: 'signature', ok: true, message: 'The manifest’s signature is valid.' },
    { id: 'files', ok: true, message: 'All 31 files match their SHA-256 and size.' },
  ],
  files: { checked: 31, mismatched: [], missing: [], extra: [] },
  readiness: null,
  signature: { ok: true, fingerprint: 'SHA256:q2Wf0x1lM9c7XnQpZb4r8sT6uVwYz3aB5cD7eF9gH1i', trusted: true },
  image: { present: false, ok: null, message: 'The archive does not include the image.' },
  rerun: { state: 'skipped', reason: 'The bundle does not include its image: export it with the image to rerun the smoke test here.', smoke: null },
  ...over,
});

const bundleJob = (kind: Job['kind'], id: string, title: string) => (over: Partial<Job> = {}): Job =>
  job({ id, kind, title, state: 'queued', progress: null, message: '', ...over });

export const createJob = bundleJob('bundles.create', 'bcreate-1', 'Bundle churn@1');
export const buildJob = bundleJob('bundles.build', 'bbuild-1', 'Build greenhouse/churn:1');
export const smokeJob = bundleJob('bundles.smoke', 'bsmoke-1', 'Smoke test greenhouse/churn:1');
export const exportJob = bundleJob('bundles.export', 'bexport-1', 'Export churn@1');
export const verifyJob = bundleJob('bundles.verify', 'bverify-1', 'Verify churn-1.tar.gz');
