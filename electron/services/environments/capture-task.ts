import { resolve } from 'node:path';
import type { EnvPackage, EnvironmentSource, PythonInfo } from '../../../shared/contract/index.js';
import type { Task, TaskContext } from '../jobs/task.js';
import { captureInterpreter } from '../models/python-helper.js';
import { environmentHash, sortPackages } from './packages.js';
import { readRequirementFile } from './requirement-files.js';

export interface CaptureTaskInput {
  python?: string;
  file?: string;
}

export interface CapturedEnvironment {
  source: EnvironmentSource;
  /** The interpreter (as it reports itself) or the requirement file. */
  path: string;
  python: PythonInfo | null;
  pythonRequires: string | null;
  packages: EnvPackage[];
  sha256: string;
  /** Requirement lines that could not be read. */
  skipped: string[];
}

/** Ask an interpreter what it is and what it has installed, or read a requirement file. */
export async function captureEnvironment(input: CaptureTaskInput, ctx: Pick<TaskContext, 'signal' | 'progress'>): Promise<CapturedEnvironment> {
  if (input.file) {
    ctx.progress(0.2, 'Reading the requirement file…');
    const path = resolve(input.file);
    const content = await readRequirementFile(path);
    return { ...content, path, python: null, sha256: environmentHash(content.packages, null) };
  }
  const python = input.python ?? 'python3';
  ctx.progress(0.2, `Asking ${python} for its packages…`);
  const captured = await captureInterpreter(python, { signal: ctx.signal, timeoutMs: 60_000 });
  const packages = sortPackages(captured.packages);
  return {
    source: 'interpreter',
    path: captured.python.executable || python,
    python: captured.python,
    pythonRequires: null,
    packages,
    sha256: environmentHash(packages, captured.python.version),
    skipped: [],
  };
}

/** environments.capture */
export const captureEnvironmentTask: Task<CaptureTaskInput, CapturedEnvironment> = async (input, ctx) => {
  ctx.progress(0, 'Capturing the environment…');
  const out = await captureEnvironment(input, ctx);
  ctx.progress(1, `${out.packages.length} packages`);
  return out;
};
