import { execFile } from 'node:child_process';
import { access, constants, readdir, readFile, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { PythonCandidate } from '../../../shared/contract/index.js';
import { toEntityName } from '../catalog/entity-name.js';

export interface DetectOptions {
  /** The open workspace's folder, searched for .venv and venv. */
  workspaceRoot: string | null;
  home?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

const isExecutable = (path: string) => access(path, constants.X_OK).then(() => true, () => false);
const listDirs = (dir: string) => readdir(dir, { withFileTypes: true }).then((es) => es.filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => join(dir, e.name)), () => [] as string[]);

/** The interpreter inside an environment prefix (bin/python on Unix, python.exe on Windows). */
const interpreterIn = (prefix: string, platform: NodeJS.Platform) =>
  platform === 'win32' ? [join(prefix, 'python.exe'), join(prefix, 'Scripts', 'python.exe')] : [join(prefix, 'bin', 'python3'), join(prefix, 'bin', 'python')];

/** "version = 3.11.2" (venv) or "version_info = 3.11.2.final.0" (virtualenv) from pyvenv.cfg. */
async function venvVersion(prefix: string): Promise<string | null> {
  const cfg = await readFile(join(prefix, 'pyvenv.cfg'), 'utf8').catch(() => null);
  const m = cfg ? /^\s*(?:version|version_info)\s*=\s*(\d+\.\d+(?:\.\d+)?)/m.exec(cfg) : null;
  return m ? m[1]! : null;
}

/** A conda prefix records its python package as conda-meta/python-3.11.2-….json. */
async function condaVersion(prefix: string): Promise<string | null> {
  const files = await readdir(join(prefix, 'conda-meta')).catch(() => [] as string[]);
  const m = files.map((f) => /^python-(\d+\.\d+\.\d+)-/.exec(f)).find(Boolean);
  return m ? m[1]! : null;
}

/** Ask an interpreter for its version, briefly; null when it does not answer. */
function askVersion(path: string): Promise<string | null> {
  return new Promise((resolveVersion) => {
    execFile(path, ['-c', 'import platform; print(platform.python_version())'], { timeout: 5000 }, (err, stdout) => {
      resolveVersion(err ? null : stdout.trim() || null);
    });
  });
}

async function firstExecutable(paths: string[]): Promise<string | null> {
  for (const p of paths) if (await isExecutable(p)) return p;
  return null;
}

/**
 * Python interpreters an analyst may have trained with: the workspace's .venv or venv, conda
 * environments, pyenv versions and the system python3. Read from the file system (pyvenv.cfg,
 * conda-meta); only system interpreters are asked for their version. Duplicates (the same real
 * file) are listed once, the most specific kind first.
 */
export async function detectInterpreters(options: DetectOptions): Promise<PythonCandidate[]> {
  const home = options.home ?? homedir();
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const found: PythonCandidate[] = [];

  if (options.workspaceRoot) {
    for (const dir of ['.venv', 'venv', 'env']) {
      const prefix = join(options.workspaceRoot, dir);
      const path = await firstExecutable(interpreterIn(prefix, platform));
      if (path) found.push({ path, kind: 'venv', label: `${dir} (workspace)`, version: await venvVersion(prefix) });
    }
  }
  if (env.VIRTUAL_ENV) {
    const path = await firstExecutable(interpreterIn(env.VIRTUAL_ENV, platform));
    if (path) found.push({ path, kind: 'venv', label: `${basename(env.VIRTUAL_ENV)} (active)`, version: await venvVersion(env.VIRTUAL_ENV) });
  }

  const condaPrefixes = new Set<string>();
  if (env.CONDA_PREFIX) condaPrefixes.add(env.CONDA_PREFIX);
  const listed = await readFile(join(home, '.conda', 'environments.txt'), 'utf8').catch(() => '');
  for (const line of listed.split(/\r?\n/)) if (line.trim()) condaPrefixes.add(line.trim());
  for (const base of ['miniconda3', 'anaconda3', 'miniforge3', 'mambaforge', 'micromamba', '.conda']) {
    const root = join(home, base);
    if (await firstExecutable(interpreterIn(root, platform))) condaPrefixes.add(root);
    for (const e of await listDirs(join(root, 'envs'))) condaPrefixes.add(e);
  }
  for (const prefix of condaPrefixes) {
    const path = await firstExecutable(interpreterIn(prefix, platform));
    if (!path) continue;
    const name = basename(dirname(prefix)) === 'envs' ? basename(prefix) : 'base';
    found.push({ path, kind: 'conda', label: `conda: ${name}`, version: await condaVersion(prefix) });
  }

  const pyenvRoot = env.PYENV_ROOT ?? join(home, '.pyenv');
  for (const prefix of (await listDirs(join(pyenvRoot, 'versions'))).sort()) {
    const path = await firstExecutable(interpreterIn(prefix, platform));
    if (path) found.push({ path, kind: 'pyenv', label: `pyenv: ${basename(prefix)}`, version: /^\d+\.\d+/.test(basename(prefix)) ? basename(prefix).replace(/^(\d+\.\d+(?:\.\d+)?).*$/, '$1') : null });
  }

  const system = platform === 'win32' ? [] : ['/usr/bin/python3', '/usr/local/bin/python3', '/opt/homebrew/bin/python3'];
  for (const path of system) {
    if (await isExecutable(path)) found.push({ path, kind: 'system', label: `system (${path})`, version: await askVersion(path) });
  }

  const seen = new Set<string>();
  const unique: PythonCandidate[] = [];
  for (const c of found) {
    const real = await realpath(c.path).catch(() => c.path);
    // A venv's python is a symlink to its base interpreter: key on the prefix for those.
    const key = c.kind === 'venv' || c.kind === 'conda' ? dirname(dirname(c.path)) : real;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(c);
  }
  return unique;
}

/** A default environment name for an interpreter path: the project of a venv, the conda or pyenv name, else python-X.Y. */
export function defaultEnvironmentName(pythonPath: string, pythonVersion: string | null): string {
  const bin = dirname(pythonPath);
  const prefix = ['bin', 'Scripts'].includes(basename(bin)) ? dirname(bin) : bin;
  const parent = basename(dirname(prefix));
  if (['.venv', 'venv', 'env', '.env'].includes(basename(prefix))) return toEntityName(`${parent}-${basename(prefix).replace(/^\./, '')}`, 'venv');
  if (parent === 'envs' || parent === 'versions') return toEntityName(basename(prefix), 'python');
  const minor = pythonVersion ? /^(\d+\.\d+)/.exec(pythonVersion)?.[1] : null;
  return minor ? `python-${minor}` : 'python';
}

/** A default environment name for a requirement file: its folder and file name, e.g. "churn-requirements". */
export function defaultRequirementsName(filePath: string): string {
  const stem = basename(filePath).replace(/\.(txt|in|pip|toml|ya?ml)$/i, '');
  const folder = basename(dirname(filePath));
  return toEntityName(`${folder}-${stem}`, 'requirements');
}
