import { z } from 'zod';
import { method } from './define.js';
import { entityName, fsPath, isoTime } from './common.js';
import { job } from './jobs.js';

/** Where an interpreter was found. */
export const PYTHON_KINDS = ['venv', 'conda', 'pyenv', 'system'] as const;
export const pythonKind = z.enum(PYTHON_KINDS);

export const pythonCandidate = z.object({
  /** The interpreter's path, e.g. /work/project/.venv/bin/python. */
  path: z.string(),
  kind: pythonKind,
  /** A short label, e.g. ".venv (workspace)" or "conda: ml". */
  label: z.string(),
  /** "3.11.2", read from the interpreter or its pyvenv.cfg; null when unknown. */
  version: z.string().nullable(),
});
export type PythonCandidate = z.infer<typeof pythonCandidate>;

/** Where a captured environment came from. */
export const ENVIRONMENT_SOURCES = ['interpreter', 'requirements', 'pyproject', 'conda-yml'] as const;
export const environmentSource = z.enum(ENVIRONMENT_SOURCES);
export type EnvironmentSource = z.infer<typeof environmentSource>;

export const envPackage = z.object({
  /** Normalised as PEP 503 does: lower case, runs of "-_." become "-". */
  name: z.string(),
  /** The exact installed or pinned version; null when a requirement file leaves it open. */
  version: z.string().nullable(),
  /** The requirement as written when it is not an exact pin, e.g. ">=1.2,<2"; null for exact versions. */
  specifier: z.string().nullable(),
  /** For captured interpreters: the distributions it needs at run time (normalised names, no extras). */
  requires: z.array(z.string()).optional(),
});
export type EnvPackage = z.infer<typeof envPackage>;

export const pythonInfo = z.object({
  /** "3.11.2" */
  version: z.string(),
  implementation: z.string(),
  executable: z.string(),
  /** e.g. "Linux-6.1.0-x86_64-with-glibc2.36" */
  platform: z.string(),
  machine: z.string(),
});
export type PythonInfo = z.infer<typeof pythonInfo>;

export const environmentVersion = z.object({
  version: z.number().int().positive(),
  /** SHA-256 of the sorted package list ("name==version" or "name<specifier>", one per line): the identity. */
  sha256: z.string(),
  source: environmentSource,
  /** The interpreter or the requirement file captured. */
  path: z.string(),
  /** The interpreter's facts; null for requirement files (pythonRequires may say what they want). */
  python: pythonInfo.nullable(),
  /** From pyproject's requires-python or environment.yml's python pin, when given. */
  pythonRequires: z.string().nullable(),
  packages: z.array(envPackage),
  createdAt: isoTime,
  createdBy: z.string(),
});
export type EnvironmentVersion = z.infer<typeof environmentVersion>;

export const environmentSummary = z.object({
  name: z.string(),
  source: environmentSource,
  path: z.string(),
  latestVersion: z.number().int(),
  versions: z.number().int(),
  pythonVersion: z.string().nullable(),
  packages: z.number().int(),
  updatedAt: isoTime,
});
export type EnvironmentSummary = z.infer<typeof environmentSummary>;

/** Something a model needs that its environment does not give it. */
export const environmentMismatch = z.object({
  kind: z.enum(['missing-package', 'version-differs']),
  package: z.string(),
  /** What is needed: the version recorded in the model, or null when any version would do. */
  expected: z.string().nullable(),
  /** What the environment has; null when missing. */
  actual: z.string().nullable(),
  /** Who needs it: a notebook's import ("notebook churn@2 imports xgboost") or the model's pickle. */
  source: z.string(),
  message: z.string(),
});
export type EnvironmentMismatch = z.infer<typeof environmentMismatch>;

export const environmentUser = z.object({ model: z.string(), version: z.number().int(), mismatches: z.array(environmentMismatch) });

export const environmentDetail = z.object({
  name: z.string(),
  createdAt: isoTime,
  versions: z.array(environmentVersion.omit({ packages: true })),
  version: environmentVersion,
  /** Model versions that were registered with this environment version, and what each lacks. */
  usedBy: z.array(environmentUser),
});
export type EnvironmentDetail = z.infer<typeof environmentDetail>;

export const environmentRef = z.object({ name: z.string().min(1), version: z.number().int().positive().optional() });
export type EnvironmentRef = z.infer<typeof environmentRef>;

export const environmentComparison = z.object({
  from: z.object({ name: z.string(), version: z.number().int() }),
  to: z.object({ name: z.string(), version: z.number().int() }),
  added: z.array(envPackage),
  removed: z.array(envPackage),
  changed: z.array(z.object({ name: z.string(), from: z.string(), to: z.string() })),
  unchanged: z.number().int(),
  pythonChanged: z.object({ from: z.string().nullable(), to: z.string().nullable() }).nullable(),
});
export type EnvironmentComparison = z.infer<typeof environmentComparison>;

export const environmentCaptureResult = z.object({
  outcome: z.enum(['created', 'new-version', 'unchanged']),
  name: z.string(),
  version: z.number().int(),
  sha256: z.string(),
  packages: z.number().int(),
});
export type EnvironmentCaptureResult = z.infer<typeof environmentCaptureResult>;

export const environmentName = entityName;

export const environmentsMethods = {
  'environments.detect': method({
    input: z.object({}).strict(),
    output: z.array(pythonCandidate),
    summary: 'Python interpreters on this machine: the workspace\'s .venv/venv, conda environments, pyenv versions, the system python3.',
  }),
  'environments.capture': method({
    input: z
      .object({
        /** An interpreter to ask for its version, platform and installed distributions. */
        python: fsPath.optional(),
        /** requirements.txt, pyproject.toml or environment.yml. */
        file: fsPath.optional(),
        name: environmentName.optional(),
      })
      .refine((v) => Boolean(v.python) !== Boolean(v.file), 'Give either a Python interpreter or a requirement file'),
    output: job,
    summary: 'Start a job that captures an environment (an interpreter, or a requirement file) as an environment version.',
  }),
  'environments.list': method({
    input: z.object({ query: z.string().max(200).optional() }),
    output: z.array(environmentSummary),
    summary: 'Captured environments, newest change first.',
  }),
  'environments.get': method({
    input: environmentRef,
    output: environmentDetail,
    summary: 'One environment version: its interpreter, packages and the models that use it.',
  }),
  'environments.compare': method({
    input: z.object({ from: environmentRef, to: environmentRef }),
    output: environmentComparison,
    summary: 'What changed between two environment versions.',
  }),
};
