import type { BUNDLE_STRATEGIES, EnvPackage } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { normalizePackageName } from '../environments/packages.js';
import { BUNDLE_FILES, IMAGE_APP_DIR } from './layout.js';

/**
 * How the image gets its Python libraries:
 * - 'pip': `pip install` of exact `==` pins from the captured environment (needs an index);
 * - 'wheelhouse': only from wheels vendored in the bundle's wheels/ folder, no index (air-gapped);
 * - 'base': the base image already has them; the build checks the versions and fails if they differ.
 */
export type InstallStrategy = (typeof BUNDLE_STRATEGIES)[number];

/** The numeric user the service runs as (no name: the base image may have no /etc/passwd entry for it). */
export const SERVICE_UID = 10001;
export const SERVICE_PORT = 8080;

export interface DockerfileInput {
  /** e.g. "python:3.11-slim"; pinned as "image@sha256:…" when `baseDigest` is known. */
  baseImage: string;
  baseDigest: string | null;
  strategy: InstallStrategy;
  /** The exact pins the image must have (see requiredPackages). */
  packages: EnvPackage[];
  /** The model file inside the bundle, e.g. "model/model.joblib". */
  modelFile: string;
  /** OCI labels: org.opencontainers.image.* and io.greenhouse.* provenance (they change with every model, so they go last). */
  labels: Record<string, string>;
  /** The bundle's name: the one label set first, the same for every version, so a build's intermediate containers can be found. */
  bundleName: string;
}

/** Set on the first layer of every bundle image (value: the bundle's name). */
export const BUNDLE_LABEL = 'io.greenhouse.bundle';

/** Docker Hub's implicit prefixes: "python" is docker.io/library/python. */
const canonicalRepo = (repo: string) => repo.replace(/^(docker\.io|index\.docker\.io)\//, '').replace(/^library\//, '');

/**
 * The registry digest of `image` (repo[:tag]) among the engine's RepoDigests ("repo@sha256:…"):
 * the one of the same repository, else null (a locally built image has none).
 */
export function registryDigest(image: string, repoDigests: string[]): string | null {
  const repo = canonicalRepo(image.replace(/@.*$/, '').replace(/:[^/:]+$/, ''));
  const match = repoDigests.find((d) => canonicalRepo(d.slice(0, d.indexOf('@'))) === repo && /@sha256:[0-9a-f]{64}$/.test(d));
  return match ? match.slice(match.indexOf('@') + 1) : null;
}

/** The default base image for an interpreter version: python:X.Y-slim. */
export function defaultBaseImage(pythonVersion: string | null): string {
  const minor = pythonVersion ? /^(\d+\.\d+)/.exec(pythonVersion)?.[1] : null;
  return `python:${minor ?? '3.11'}-slim`;
}

/**
 * The distributions a model's image needs, pinned to the captured environment's versions: the
 * libraries the model's file imports (from the scan's globals, mapped to distributions) and the
 * ones they depend on that the environment has.
 */
export function requiredPackages(env: EnvPackage[], needed: string[]): EnvPackage[] {
  const have = new Map(env.map((p) => [normalizePackageName(p.name), p]));
  const out = new Map<string, EnvPackage>();
  const missing: string[] = [];
  const add = (name: string) => {
    const key = normalizePackageName(name);
    if (out.has(key)) return;
    const p = have.get(key);
    if (!p) {
      missing.push(key);
      return;
    }
    out.set(key, p);
    // What the environment recorded it needs; else what these libraries are known to need.
    // What the environment recorded it needs (Debian's python3-* packages record nothing), and
    // what these libraries are known to need.
    // Only what the environment has: it is the one the model was shown to work in (a requirement
    // it lacks is evidently not needed there, e.g. a backport behind a Python-version marker).
    for (const dep of [...(p.requires ?? []), ...(RUNTIME_DEPENDENCIES[key] ?? [])]) if (have.has(normalizePackageName(dep))) add(dep);
  };
  for (const n of needed) add(n);
  if (missing.length > 0) {
    throw new AppError('INVALID_INPUT', `The environment has no ${missing.join(', ')}, which the model needs to load.`, {
      remedy: 'Capture the environment the model was trained in (greenhouse env capture --python PATH) and register the model with it.',
    });
  }
  const unpinned = [...out.values()].filter((p) => !p.version);
  if (unpinned.length > 0) {
    throw new AppError('INVALID_INPUT', `The environment does not pin ${unpinned.map((p) => p.name).join(', ')} to an exact version.`, {
      remedy: 'Pin them (name==version) in the requirement file, or capture the interpreter itself.',
    });
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * What the common ML libraries need at run time, for environments read from requirement files
 * (captured interpreters record each distribution's own requirements).
 */
const RUNTIME_DEPENDENCIES: Record<string, readonly string[]> = {
  'scikit-learn': ['numpy', 'scipy', 'joblib', 'threadpoolctl'],
  scipy: ['numpy'],
  pandas: ['numpy', 'python-dateutil', 'pytz', 'tzdata'],
  'python-dateutil': ['six'],
  xgboost: ['numpy', 'scipy'],
  lightgbm: ['numpy', 'scipy'],
  onnxruntime: ['numpy', 'protobuf', 'flatbuffers', 'packaging', 'coloredlogs', 'sympy'],
  onnx: ['numpy', 'protobuf'],
};

/** requirements.txt: one exact pin per line, sorted. */
export function renderRequirements(packages: EnvPackage[]): string {
  return packages.map((p) => `${p.name}==${p.version}`).join('\n') + '\n';
}

const json = (v: unknown) => JSON.stringify(v);

/** A label value on one Dockerfile line (quotes, backslashes and newlines escaped). */
const labelValue = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, ' ')}"`;

/** The bundle's script that checks the base image's libraries against the pins (strategy 'base'). */
export const VERSION_CHECK_FILE = 'build/check_versions.py';
export const VERSION_CHECK_SCRIPT = [
  '# Generated by Greenhouse: fail the image build when the base image has other library versions.',
  'import sys',
  'from importlib import metadata',
  'bad = []',
  'for line in open("requirements.txt"):',
  '    name, _, want = line.strip().partition("==")',
  '    if not name or name.startswith("#"): continue',
  '    try: have = metadata.version(name)',
  '    except metadata.PackageNotFoundError: have = None',
  '    if have != want: bad.append("%s: the model needs %s, the base image has %s" % (name, want, have or "nothing"))',
  'if bad:',
  '    print("Greenhouse: the base image does not match the environment the model was trained in:\\n  " + "\\n  ".join(bad), file=sys.stderr)',
  '    sys.exit(1)',
  'print("Greenhouse: base image libraries match the model environment")',
  '',
].join('\n');

/**
 * The bundle's Dockerfile. Layers go from what changes least to what changes most: base,
 * libraries (requirements.txt only), the serving app, tests and the reference profile, the
 * runtime settings, then the model, and last the labels (creation time, hashes), which change
 * with every model: a new model version reuses every layer before its COPY. The first layer
 * carries only the bundle's name, so the build's intermediate containers can be found to clean
 * up after a cancel.
 */
export function renderDockerfile(input: DockerfileInput): string {
  const from = input.baseDigest ? `${input.baseImage.replace(/:[^/:@]+$/, '')}@${input.baseDigest}` : input.baseImage;
  const logDir = `mkdir -p /var/log/greenhouse && chown ${SERVICE_UID}:${SERVICE_UID} /var/log/greenhouse`;
  const install: string[] = [];
  switch (input.strategy) {
    case 'pip':
      install.push(
        `COPY ${BUNDLE_FILES.requirements} ./`,
        'RUN python3 -m pip install --no-cache-dir --no-deps --disable-pip-version-check -r requirements.txt \\',
        `    && python3 -m pip check && ${logDir}`,
      );
      break;
    case 'wheelhouse':
      install.push(
        `COPY ${BUNDLE_FILES.requirements} ./`,
        'COPY wheels/ wheels/',
        'RUN python3 -m pip install --no-cache-dir --no-index --find-links wheels --no-deps --disable-pip-version-check -r requirements.txt \\',
        `    && python3 -m pip check && rm -rf wheels && ${logDir}`,
      );
      break;
    case 'base':
      install.push(`COPY ${BUNDLE_FILES.requirements} ${VERSION_CHECK_FILE} ./`, `RUN python3 check_versions.py && rm check_versions.py && ${logDir}`);
      break;
  }
  const labels = Object.entries(input.labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `      ${k}=${labelValue(v)}`);
  return [
    '# syntax=docker/dockerfile:1',
    '# Generated by Greenhouse. Rebuild with: docker build -t IMAGE .',
    `FROM ${from}`,
    `LABEL ${BUNDLE_LABEL}=${labelValue(input.bundleName)}`,
    '',
    'ENV PYTHONDONTWRITEBYTECODE=1 \\',
    '    PYTHONUNBUFFERED=1 \\',
    `    PORT=${SERVICE_PORT} \\`,
    `    GREENHOUSE_BUNDLE_DIR=${IMAGE_APP_DIR} \\`,
    '    GREENHOUSE_PREDICTION_LOG=/var/log/greenhouse/predictions.jsonl',
    `WORKDIR ${IMAGE_APP_DIR}`,
    '',
    '# Libraries first: they change least.',
    ...install,
    '',
    '# The serving app, its tests and the training reference for the drift check.',
    'COPY app/ app/',
    'COPY tests/ tests/',
    `COPY ${BUNDLE_FILES.reference} monitoring/`,
    '',
    `USER ${SERVICE_UID}:${SERVICE_UID}`,
    `EXPOSE ${SERVICE_PORT}`,
    `HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \\`,
    `  CMD ["python3", "-c", ${json(`import os, urllib.request; urllib.request.urlopen("http://127.0.0.1:%s/v2/health/ready" % os.environ.get("PORT", "${SERVICE_PORT}"), timeout=2)`)}]`,
    `CMD ["python3", "app/server.py"]`,
    '',
    '# The model last: a new model version rebuilds only these layers.',
    `COPY ${BUNDLE_FILES.metadata} ${BUNDLE_FILES.golden} model/`,
    `COPY ${input.modelFile} model/`,
    labels.length > 0 ? `LABEL \\\n${labels.join(' \\\n')}` : null,
    '',
  ]
    .filter((l) => l !== null)
    .join('\n');
}

/** Nothing but what the Dockerfile copies goes to the engine. */
export function renderDockerignore(): string {
  return ['# Generated by Greenhouse: send the engine only what the image needs.', '*', '!requirements.txt', '!app/', '!tests/', '!monitoring/', '!model/', '!wheels/', '!build/', '**/__pycache__', '**/*.pyc', ''].join('\n');
}
