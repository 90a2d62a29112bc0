import { describe, expect, it } from 'vitest';
import { findInstalls, isPinnedConda, isPinnedPip, prepareSource, shellCommands } from './magics.js';

const lines = (s: string) => s.split('\n');
const installs = (src: string) => findInstalls(prepareSource(src)).map((r) => [r.requirement, r.pinned, r.line, r.installer, r.unknown]);

describe('prepareSource', () => {
  it('replaces line magics and shell lines with pass, keeping the line count and indentation', () => {
    const src = '%matplotlib inline\nimport os\n!ls -la\nif True:\n    !echo hi\n    x = 1';
    const p = prepareSource(src);
    expect(p.analysable).toBe(true);
    expect(lines(p.code)).toEqual(['pass', 'import os', 'pass', 'if True:', '    pass', '    x = 1']);
    expect(p.magics.map((m) => [m.line, m.kind, m.command])).toEqual([
      [1, 'line-magic', 'matplotlib inline'],
      [3, 'shell', 'ls -la'],
      [5, 'shell', 'echo hi'],
    ]);
  });

  it('turns `x = !cmd` and `x = %magic` into `x = None`', () => {
    expect(lines(prepareSource('files = !ls *.csv\nt = %timeit -o f()').code)).toEqual(['files = None', 't = None']);
  });

  it('keeps the statement of %time / %timeit', () => {
    expect(prepareSource('%time model.fit(X, y)').code).toBe('model.fit(X, y)');
    expect(prepareSource('%timeit -n 3 f()').code).toBe('pass');
  });

  it('joins backslash-continued magic lines and blanks the continuation', () => {
    const p = prepareSource('!pip install a \\\n    b==1.0\nx = 1');
    expect(lines(p.code)).toEqual(['pass', '', 'x = 1']);
    expect(p.magics[0]!.command).toBe('pip install a b==1.0');
  });

  it('treats help syntax (obj?, ??obj) as non-Python', () => {
    expect(lines(prepareSource('df.head?\n??np.mean\nx = 1').code)).toEqual(['pass', 'pass', 'x = 1']);
  });

  it('does not touch % and ! inside strings, brackets or continued lines', () => {
    const src = 's = """\n%not a magic\n!nor this\n"""\nv = (a\n     % b)\nw = 1 + \\\n!x if False else 2';
    expect(prepareSource(src).code).toBe(src);
    expect(prepareSource('x = a != b').code).toBe('x = a != b');
  });

  it('blanks a whole cell whose cell magic is not Python', () => {
    for (const magic of ['%%bash', '%%sh', '%%html', '%%javascript', '%%writefile out.py', '%%latex', '%%sql']) {
      const p = prepareSource(`${magic}\nimport os\necho <b>hi</b>`);
      expect(p.analysable, magic).toBe(false);
      expect(p.code, magic).toBe('\n\n');
      expect(p.cellMagic).toBe(magic.slice(2).split(' ')[0]);
    }
  });

  it('analyses the body of %%time, %%timeit and %%capture cells', () => {
    for (const magic of ['%%time', '%%timeit', '%%capture out']) {
      const p = prepareSource(`${magic}\nimport numpy as np\n%pip install x`);
      expect(p.analysable).toBe(true);
      expect(lines(p.code)).toEqual(['', 'import numpy as np', 'pass']);
    }
  });

  it('allows blank lines before a cell magic', () => {
    expect(prepareSource('\n%%bash\nls').analysable).toBe(false);
  });

  it('notes magics that may define names (%run, %store -r)', () => {
    expect(prepareSource('%run helpers.ipynb').definesUnknownNames).toBe(true);
    expect(prepareSource('%store -r df').definesUnknownNames).toBe(true);
    expect(prepareSource('%store df').definesUnknownNames).toBe(false);
    expect(prepareSource('%matplotlib inline').definesUnknownNames).toBe(false);
  });
});

describe('shellCommands', () => {
  it('splits commands and honours quotes', () => {
    expect(shellCommands(`pip install "pandas>=2" 'a b' && echo x; ls | wc # comment`)).toEqual([['pip', 'install', 'pandas>=2', 'a b'], ['echo', 'x'], ['ls'], ['wc']]);
  });
});

describe('pinning', () => {
  it('pip: == and === are pinned; ranges, bare names and wildcards are not', () => {
    expect(isPinnedPip('pandas==2.0.3')).toBe(true);
    expect(isPinnedPip('pandas[excel]==2.0.3')).toBe(true);
    expect(isPinnedPip('pandas===2.0.3')).toBe(true);
    expect(isPinnedPip('pandas == 2.0.3')).toBe(true);
    expect(isPinnedPip('torch==2.1.0; python_version>"3.8"')).toBe(true);
    expect(isPinnedPip('pandas')).toBe(false);
    expect(isPinnedPip('pandas>=2.0')).toBe(false);
    expect(isPinnedPip('pandas~=2.0')).toBe(false);
    expect(isPinnedPip('pandas==2.*')).toBe(false);
    expect(isPinnedPip('pandas==2.0,<3')).toBe(false);
    expect(isPinnedPip('pandas=={version}')).toBe(false);
  });

  it('pip: URLs are pinned at a commit, an archive with a version, or a hash', () => {
    expect(isPinnedPip('mylib @ git+https://github.com/o/mylib.git@1a2b3c4d5e6f')).toBe(true);
    expect(isPinnedPip('git+https://github.com/o/mylib.git@0123456789abcdef0123456789abcdef01234567')).toBe(true);
    expect(isPinnedPip('mylib @ git+https://github.com/o/mylib.git@main')).toBe(false);
    expect(isPinnedPip('git+https://github.com/o/mylib.git')).toBe(false);
    expect(isPinnedPip('https://example.org/pkgs/mylib-1.2.0-py3-none-any.whl')).toBe(true);
    expect(isPinnedPip('https://example.org/archive.zip#sha256=' + 'a'.repeat(64))).toBe(true);
  });

  it('conda: name=version (with or without build) is pinned', () => {
    expect(isPinnedConda('numpy=1.26.4')).toBe(true);
    expect(isPinnedConda('numpy==1.26.4')).toBe(true);
    expect(isPinnedConda('conda-forge::numpy=1.26.4=py311h_0')).toBe(true);
    expect(isPinnedConda('numpy')).toBe(false);
    expect(isPinnedConda('numpy>=1.26')).toBe(false);
    expect(isPinnedConda('numpy=1.*')).toBe(false);
  });
});

describe('findInstalls', () => {
  it('reads %pip, !pip, !pip3, !python -m pip and uv pip, skipping flags and their values', () => {
    expect(installs('%pip install -q -U pandas==2.0.3 "scikit-learn>=1.3"')).toEqual([
      ['pandas==2.0.3', true, 1, 'pip', false],
      ['scikit-learn>=1.3', false, 1, 'pip', false],
    ]);
    expect(installs('x = 1\n!pip3 install --upgrade --index-url https://pypi.example/simple xgboost')).toEqual([['xgboost', false, 2, 'pip', false]]);
    expect(installs('!python -m pip install lightgbm==4.1.0')).toEqual([['lightgbm==4.1.0', true, 1, 'pip', false]]);
    expect(installs('!{sys.executable} -m pip install shap')).toEqual([['shap', false, 1, 'pip', false]]);
    expect(installs('!uv pip install polars==0.20.0')).toEqual([['polars==0.20.0', true, 1, 'pip', false]]);
    expect(installs('!pip -q install catboost')).toEqual([['catboost', false, 1, 'pip', false]]);
  });

  it('notes -r files as unknown, and reads -e targets', () => {
    expect(installs('!pip install -r requirements.txt')).toEqual([['-r requirements.txt', false, 1, 'pip', true]]);
    expect(installs('%pip install --requirement=req.txt')).toEqual([['-r req.txt', false, 1, 'pip', true]]);
    expect(installs('!pip install -e .')).toEqual([['.', false, 1, 'pip', false]]);
  });

  it('marks requirements built from variables as unknown', () => {
    expect(installs('!pip install {pkg}')).toEqual([['{pkg}', false, 1, 'pip', true]]);
  });

  it('reads %conda / !mamba installs with conda pinning', () => {
    expect(installs('%conda install -y -c conda-forge numpy=1.26.4 scipy')).toEqual([
      ['numpy=1.26.4', true, 1, 'conda', false],
      ['scipy', false, 1, 'conda', false],
    ]);
    expect(installs('!mamba install -n base pyarrow')).toEqual([['pyarrow', false, 1, 'conda', false]]);
  });

  it('reads pip lines in %%bash cells, with continuations', () => {
    expect(installs('%%bash\nset -e\npip install a==1 \\\n  b\necho done')).toEqual([
      ['a==1', true, 3, 'pip', false],
      ['b', false, 3, 'pip', false],
    ]);
  });

  it('ignores everything that is not an install', () => {
    expect(installs('!pip list\n!pip freeze > req.txt\n%pip show pandas\n!echo pip install x\n# pip install y\ns = "pip install z"\n%%timeit\n')).toEqual([]);
    expect(installs('%%html\n<pre>pip install x</pre>')).toEqual([]);
  });

  it('reads several commands on one line', () => {
    expect(installs('!pip install a==1 && pip install b; conda install c=2')).toEqual([
      ['a==1', true, 1, 'pip', false],
      ['b', false, 1, 'pip', false],
      ['c=2', true, 1, 'conda', false],
    ]);
  });
});
