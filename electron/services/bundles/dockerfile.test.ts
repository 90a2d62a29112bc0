// The bundle's Dockerfile: its text, the pins it installs, and real builds on the local base image.
import { describe, expect, it } from 'vitest';
import { DockerService } from '../docker/docker-service.js';
import { buildImage, contextTar } from '../docker/image-build.js';
import { captureInterpreter } from '../models/python-helper.js';
import { DEBIAN_PYTHON } from '../../test-support/models.js';
import { defaultBaseImage, registryDigest, renderDockerfile, renderDockerignore, renderRequirements, requiredPackages, SERVICE_UID, VERSION_CHECK_FILE, VERSION_CHECK_SCRIPT, type DockerfileInput } from './dockerfile.js';

const pkg = (name: string, version: string | null, requires?: string[]) => ({ name, version, specifier: version ? null : '>=1', ...(requires ? { requires } : {}) });

const input = (over: Partial<DockerfileInput> = {}): DockerfileInput => ({
  baseImage: 'python:3.11-slim',
  baseDigest: null,
  strategy: 'pip',
  packages: [pkg('numpy', '1.24.2'), pkg('scikit-learn', '1.2.1')],
  modelFile: 'model/model.joblib',
  labels: { 'org.opencontainers.image.title': 'churn', 'org.opencontainers.image.version': '3', 'io.greenhouse.model.sha256': 'ab"c' },
  bundleName: 'churn',
  ...over,
});

describe('Dockerfile', () => {
  it('orders layers from libraries to the model, runs as a numeric user, checks health and labels provenance', () => {
    const text = renderDockerfile(input());
    const at = (s: string) => text.indexOf(s);
    expect(text).toMatch(/^FROM python:3\.11-slim$/m);
    expect(at('pip install')).toBeGreaterThan(0);
    expect(at('pip install')).toBeLessThan(at('COPY app/ app/'));
    expect(at('COPY app/ app/')).toBeLessThan(at('COPY model/model.joblib model/'));
    // Only the bundle's name before the libraries; the labels that change with every model after the model.
    expect(text).toMatch(/^FROM python:3\.11-slim\nLABEL io\.greenhouse\.bundle="churn"\n/m);
    expect(at('io.greenhouse.model.sha256')).toBeGreaterThan(at('COPY model/model.joblib model/'));
    expect(at('USER ')).toBeLessThan(at('COPY model/model.joblib model/'));
    expect(text).toContain(`USER ${SERVICE_UID}:${SERVICE_UID}`);
    expect(text).toMatch(/^HEALTHCHECK .*\n\s+CMD \["python3", "-c", ".*\/v2\/health\/ready/m);
    expect(text).toContain('org.opencontainers.image.title="churn"');
    expect(text).toContain('io.greenhouse.model.sha256="ab\\"c"');
    expect(text).toMatch(/^CMD \["python3", "app\/server.py"\]$/m);
    expect(text).toMatch(/org\.opencontainers\.image\.version="3"\n$/);
  });

  it('pins the base image to the digest the engine pulled it by, for the same repository only', () => {
    const d = `sha256:${'ab'.repeat(32)}`;
    expect(registryDigest('python:3.11-slim', [`python@${d}`])).toBe(d);
    expect(registryDigest('python:3.11-slim', [`docker.io/library/python@${d}`])).toBe(d);
    expect(registryDigest('docker.io/library/python:3.11-slim', [`python@${d}`])).toBe(d);
    expect(registryDigest('registry.example.com:5000/ml/python:3.11', [`registry.example.com:5000/ml/python@${d}`])).toBe(d);
    expect(registryDigest('python:3.11-slim', [`pypy@${d}`])).toBeNull();
    expect(registryDigest('greenhouse/python-base:bookworm', [])).toBeNull();
    expect(registryDigest('python:3.11-slim', ['python@sha256:short'])).toBeNull();
  });

  it('installs by strategy: pinned pip, vendored wheels only, or a version check of the base image', () => {
    expect(renderDockerfile(input({ strategy: 'pip' }))).toMatch(/pip install --no-cache-dir --no-deps .* -r requirements.txt/);
    const wheels = renderDockerfile(input({ strategy: 'wheelhouse' }));
    expect(wheels).toContain('COPY wheels/ wheels/');
    expect(wheels).toMatch(/--no-index --find-links wheels/);
    const base = renderDockerfile(input({ strategy: 'base' }));
    expect(base).not.toContain('pip install');
    expect(base).toContain('RUN python3 check_versions.py');
    expect(VERSION_CHECK_SCRIPT).toContain('does not match the environment the model was trained in');
    expect(renderDockerfile(input({ baseDigest: 'sha256:0123' }))).toMatch(/^FROM python@sha256:0123$/m);
    expect(defaultBaseImage('3.10.13')).toBe('python:3.10-slim');
    expect(renderDockerignore()).toMatch(/^\*$/m);
  });

  it('pins what the model imports and what those need, from the environment, and refuses gaps', () => {
    const env = [pkg('scikit-learn', '1.2.1', ['numpy', 'scipy', 'joblib', 'threadpoolctl']), pkg('numpy', '1.24.2'), pkg('scipy', '1.10.1', ['numpy']), pkg('joblib', '1.2.0'), pkg('threadpoolctl', '3.1.0'), pkg('jupyter', '1.0.0')];
    const pins = requiredPackages(env, ['scikit-learn', 'numpy']);
    expect(renderRequirements(pins)).toBe('joblib==1.2.0\nnumpy==1.24.2\nscikit-learn==1.2.1\nscipy==1.10.1\nthreadpoolctl==3.1.0\n');
    expect(() => requiredPackages(env, ['xgboost'])).toThrow(/has no xgboost/);
    expect(() => requiredPackages([pkg('joblib', null)], ['joblib'])).toThrow(/does not pin joblib/);
    // Without recorded requirements (a requirement file), the known needs of the ML libraries apply.
    expect(requiredPackages([pkg('pandas', '1.5.3'), pkg('numpy', '1.24.2'), pkg('python-dateutil', '2.8.2'), pkg('six', '1.16.0'), pkg('pytz', '2022.7')], ['pandas']).map((p) => p.name)).toEqual([
      'numpy',
      'pandas',
      'python-dateutil',
      'pytz',
      'six',
    ]);
  });

  it("pins scikit-learn's real dependency closure from Debian's Python", async () => {
    const { packages } = await captureInterpreter(DEBIAN_PYTHON, {});
    const names = requiredPackages(packages, ['scikit-learn']).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['scikit-learn', 'numpy', 'scipy', 'joblib', 'threadpoolctl']));
    expect(names).not.toContain('pandas');
  });
});

const BASE_IMAGE = process.env.GREENHOUSE_BASE_IMAGE ?? 'greenhouse/python-base:bookworm';
const engine = new DockerService();
const runIt = await engine
  .client()
  .then(({ docker }) => docker.getImage(BASE_IMAGE).inspect())
  .then(() => true, () => false);
if (!runIt && process.env.CI) throw new Error(`CI needs a running Docker engine and ${BASE_IMAGE} (scripts/base-image.sh).`);

describe.skipIf(!runIt)(`bundle images on ${BASE_IMAGE}`, () => {
  const context = (requirements: string, model: string) => {
    return {
      // As for real bundles, the labels change with the model (its hash, the time it was bundled).
      Dockerfile: renderDockerfile({ ...input({ strategy: 'base', baseImage: BASE_IMAGE, labels: { 'org.opencontainers.image.title': 'test', 'io.greenhouse.model.sha256': model, 'org.opencontainers.image.created': new Date().toISOString() } }) }),
      '.dockerignore': renderDockerignore(),
      'requirements.txt': requirements,
      [VERSION_CHECK_FILE]: VERSION_CHECK_SCRIPT,
      'app/server.py': 'print("serving")\n',
      'tests/test_model.py': 'def test_ok():\n    assert True\n',
      'monitoring/reference-profile.json': '{}',
      'model/metadata.json': '{}',
      'model/golden.json': '{}',
      'model/model.joblib': model,
      'notes/ignored.txt': 'not sent to the engine',
    };
  };

  it('builds with the base strategy when the versions match, and a new model rebuilds only the last layers', async () => {
    const { docker } = await engine.client();
    const { packages } = await captureInterpreter(DEBIAN_PYTHON, {});
    // A comment unique to this run, so the version check runs instead of coming from the cache.
    const pins = `# test run ${Date.now()}\n${renderRequirements(requiredPackages(packages, ['scikit-learn', 'pandas']))}`;
    const tag = `greenhouse-test/bundle:${Date.now()}`;
    try {
      const first: string[] = [];
      await buildImage(docker, contextTar(context(pins, 'model one')), { tag, onLog: (l) => first.push(l) });
      expect(first.join('\n')).toContain('base image libraries match the model environment');
      const second: string[] = [];
      await buildImage(docker, contextTar(context(pins, 'model two')), { tag, onLog: (l) => second.push(l) });
      const log = second.join('\n');
      // Everything up to the model's COPY comes from the cache; the model layer does not.
      const steps = log.split(/\n(?=Step \d+\/\d+ :)/);
      const modelStep = steps.findIndex((s) => s.includes('COPY model/model.joblib'));
      expect(modelStep).toBeGreaterThan(0);
      expect(steps.slice(1, modelStep).every((s) => s.includes('Using cache'))).toBe(true);
      expect(steps.slice(1, modelStep).length).toBeGreaterThan(10);
      expect(steps[modelStep]).not.toContain('Using cache');
      const inspected = await docker.getImage(tag).inspect();
      expect(inspected.Config.User).toBe(`${SERVICE_UID}:${SERVICE_UID}`);
      expect(inspected.Config.Labels['org.opencontainers.image.title']).toBe('test');
      expect(inspected.Config.Healthcheck?.Test?.join(' ')).toContain('/v2/health/ready');
    } finally {
      await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
    }
  }, 240_000);

  it('fails the build with the mismatching library named when the base image has other versions', async () => {
    const { docker } = await engine.client();
    const tag = `greenhouse-test/bundle-bad:${Date.now()}`;
    await expect(buildImage(docker, contextTar(context('scikit-learn==9.9.9\n', 'm')), { tag })).rejects.toMatchObject({
      message: expect.stringMatching(/scikit-learn: the model needs 9\.9\.9, the base image has 1\.2\.1/),
    });
  }, 240_000);
});
