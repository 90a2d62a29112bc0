import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/temp.js';
import { defaultEnvironmentName, defaultRequirementsName, detectInterpreters } from './detect.js';
import { compareEnvironments } from './environment-repo.js';
import { environmentHash, normalizePackageName } from './packages.js';
import { parseRequirement, readRequirementFile } from './requirement-files.js';

const write = (path: string, text: string) => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
};

describe('requirement files', () => {
  it('reads PEP 508 requirements: exact pins, ranges, extras, markers and URLs', () => {
    expect(parseRequirement('scikit-learn==1.2.1')).toEqual({ name: 'scikit-learn', version: '1.2.1', specifier: null });
    expect(parseRequirement('Pandas[excel] >= 2.0, <3 ; python_version > "3.8"')).toEqual({ name: 'pandas', version: null, specifier: '>=2.0,<3' });
    expect(parseRequirement('numpy')).toEqual({ name: 'numpy', version: null, specifier: null });
    expect(parseRequirement('My_Pkg.Name~=1.4')).toEqual({ name: 'my-pkg-name', version: null, specifier: '~=1.4' });
    expect(parseRequirement('torch @ https://example.invalid/torch.whl')).toMatchObject({ name: 'torch', version: null, specifier: '@ https://example.invalid/torch.whl' });
    expect(parseRequirement('https://example.invalid/x.whl')).toBeNull();
  });

  it('reads requirements.txt with comments, continuations, hashes, options and -r includes', async () => {
    const dir = tempDir();
    write(join(dir, 'base.txt'), 'numpy==1.24.2  # pinned\n');
    const path = write(
      join(dir, 'requirements.txt'),
      ['# training env', '-r base.txt', '--index-url https://example.invalid/simple', 'scikit-learn==1.2.1 \\', '    --hash=sha256:abc', 'pandas>=1.5', '', '-e git+https://example.invalid/x.git#egg=my_lib', '-c constraints.txt'].join('\n'),
    );
    const r = await readRequirementFile(path);
    expect(r.source).toBe('requirements');
    expect(r.packages).toEqual([
      { name: 'my-lib', version: null, specifier: '(editable)' },
      { name: 'numpy', version: '1.24.2', specifier: null },
      { name: 'pandas', version: null, specifier: '>=1.5' },
      { name: 'scikit-learn', version: '1.2.1', specifier: null },
    ]);
  });

  it('reads pyproject.toml (PEP 621 and Poetry) with the Python requirement', async () => {
    const dir = tempDir();
    const pep621 = write(join(dir, 'a', 'pyproject.toml'), '[project]\nname = "churn"\nrequires-python = ">=3.10"\ndependencies = ["scikit-learn==1.2.1", "pandas>=1.5"]\n');
    expect(await readRequirementFile(pep621)).toMatchObject({
      source: 'pyproject',
      pythonRequires: '>=3.10',
      packages: [
        { name: 'pandas', version: null, specifier: '>=1.5' },
        { name: 'scikit-learn', version: '1.2.1', specifier: null },
      ],
    });
    const poetry = write(join(dir, 'b', 'pyproject.toml'), '[tool.poetry.dependencies]\npython = "^3.11"\nxgboost = "1.7.4"\nnumpy = { version = "^1.24" }\n');
    expect(await readRequirementFile(poetry)).toMatchObject({
      pythonRequires: '^3.11',
      packages: [
        { name: 'numpy', version: null, specifier: '^1.24' },
        { name: 'xgboost', version: '1.7.4', specifier: null },
      ],
    });
  });

  it('reads environment.yml: conda specs, the pip list, and python as the Python requirement', async () => {
    const path = write(
      join(tempDir(), 'environment.yml'),
      'name: ml\nchannels: [conda-forge]\ndependencies:\n  - python=3.11.2\n  - conda-forge::numpy=1.24.2=py311h_0\n  - scikit-learn>=1.2\n  - pip\n  - pip:\n      - xgboost==1.7.4\n',
    );
    expect(await readRequirementFile(path)).toMatchObject({
      source: 'conda-yml',
      pythonRequires: '3.11.2',
      packages: [
        { name: 'numpy', version: '1.24.2', specifier: null },
        { name: 'scikit-learn', version: null, specifier: '>=1.2' },
        { name: 'xgboost', version: '1.7.4', specifier: null },
      ],
    });
  });

  it('gives clear errors for broken, binary, unknown and missing files', async () => {
    const dir = tempDir();
    await expect(readRequirementFile(write(join(dir, 'x', 'pyproject.toml'), '[project\nname = 1'))).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/not valid TOML \(line 1/) });
    await expect(readRequirementFile(write(join(dir, 'environment.yml'), 'dependencies: [a, b\n'))).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/not valid YAML/) });
    await expect(readRequirementFile(write(join(dir, 'y', 'environment.yml'), 'name: x\n'))).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/no "dependencies:"/) });
    const bin = join(dir, 'requirements.txt');
    writeFileSync(bin, Buffer.from([0x80, 0x04, 0x00, 0x95]));
    await expect(readRequirementFile(bin)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/binary file/) });
    await expect(readRequirementFile(write(join(dir, 'model.joblib'), 'x'))).rejects.toMatchObject({ code: 'INVALID_INPUT', remedy: expect.stringMatching(/requirements\.txt/) });
    await expect(readRequirementFile(join(dir, 'missing', 'requirements.txt'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(readRequirementFile(write(join(dir, 'z', 'requirements.txt'), 'https://example.invalid/a.whl\n'))).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/No requirement/) });
  });
});

describe('environment identity and comparison', () => {
  it('hashes the sorted package list, so order and name spelling do not matter but versions and Python do', () => {
    const a = [
      { name: 'numpy', version: '1.24.2', specifier: null },
      { name: 'scikit_learn', version: '1.2.1', specifier: null },
    ];
    const b = [
      { name: 'Scikit-Learn', version: '1.2.1', specifier: null },
      { name: 'numpy', version: '1.24.2', specifier: null },
    ];
    expect(environmentHash(a, '3.11.2')).toBe(environmentHash(b, '3.11.2'));
    expect(environmentHash(a, '3.11.2')).not.toBe(environmentHash(a, '3.12.0'));
    expect(environmentHash(a, null)).not.toBe(environmentHash([{ ...a[0]!, version: '1.26.0' }, a[1]!], null));
    expect(normalizePackageName('Zope.Interface__x')).toBe('zope-interface-x');
  });

  it('compares two versions: added, removed, changed, unchanged and the Python change', () => {
    const py = (version: string) => ({ version, implementation: 'CPython', executable: '/usr/bin/python3', platform: 'Linux', machine: 'x86_64' });
    const c = compareEnvironments(
      { name: 'a', version: 1, python: py('3.11.2'), pythonRequires: null, packages: [{ name: 'numpy', version: '1.24.2', specifier: null }, { name: 'pandas', version: '1.5.3', specifier: null }, { name: 'scipy', version: '1.10.1', specifier: null }] },
      { name: 'a', version: 2, python: py('3.12.1'), pythonRequires: null, packages: [{ name: 'numpy', version: '1.26.0', specifier: null }, { name: 'pandas', version: '1.5.3', specifier: null }, { name: 'xgboost', version: '1.7.4', specifier: null }] },
    );
    expect(c.added.map((p) => p.name)).toEqual(['xgboost']);
    expect(c.removed.map((p) => p.name)).toEqual(['scipy']);
    expect(c.changed).toEqual([{ name: 'numpy', from: '1.24.2', to: '1.26.0' }]);
    expect(c.unchanged).toBe(1);
    expect(c.pythonChanged).toEqual({ from: '3.11.2', to: '3.12.1' });
  });
});

describe('interpreter detection', () => {
  const fakePython = (prefix: string, name = 'python3') => {
    const p = write(join(prefix, 'bin', name), '#!/bin/sh\necho 3.0.0\n');
    chmodSync(p, 0o755);
    return p;
  };

  it('finds the workspace venv, conda environments and pyenv versions, with versions read from their files', async () => {
    const home = tempDir();
    const root = tempDir();
    const venv = fakePython(join(root, '.venv'));
    write(join(root, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n');
    const conda = fakePython(join(home, 'miniconda3', 'envs', 'ml'));
    write(join(home, 'miniconda3', 'envs', 'ml', 'conda-meta', 'python-3.10.13-h955ad1f_0.json'), '{}');
    const pyenv = fakePython(join(home, '.pyenv', 'versions', '3.9.18'));
    const found = await detectInterpreters({ workspaceRoot: root, home, env: {}, platform: 'linux' });
    expect(found).toEqual(
      expect.arrayContaining([
        { path: venv, kind: 'venv', label: '.venv (workspace)', version: '3.11.2' },
        { path: conda, kind: 'conda', label: 'conda: ml', version: '3.10.13' },
        { path: pyenv, kind: 'pyenv', label: 'pyenv: 3.9.18', version: '3.9.18' },
      ]),
    );
    // The real system interpreter is asked for its version.
    const system = found.find((c) => c.path === '/usr/bin/python3');
    expect(system?.kind).toBe('system');
    expect(system?.version).toMatch(/^3\.\d+\.\d+$/);
    expect(new Set(found.map((c) => c.path)).size).toBe(found.length);
  });

  it('names environments after their venv project, conda or pyenv name, or the Python version', () => {
    expect(defaultEnvironmentName('/work/churn/.venv/bin/python', '3.11.2')).toBe('churn-venv');
    expect(defaultEnvironmentName('/home/a/miniconda3/envs/ml/bin/python', null)).toBe('ml');
    expect(defaultEnvironmentName('/home/a/.pyenv/versions/3.9.18/bin/python', '3.9.18')).toBe('3.9.18');
    expect(defaultEnvironmentName('/usr/bin/python3', '3.11.2')).toBe('python-3.11');
    expect(defaultRequirementsName('/work/churn/requirements.txt')).toBe('churn-requirements');
  });
});
