import { describe, expect, it } from 'vitest';
import { analyzePython, decodeStringLiteral, type CallInfo } from './python-analysis.js';

const names = (src: string) => {
  const a = analyzePython(src);
  return { defined: [...a.defined].sort(), used: [...new Set(a.used.map((u) => u.name))].sort(), deferred: Object.fromEntries([...a.deferred].map(([k, v]) => [k, [...new Set(v.map((u) => u.name))].sort()])) };
};
const call = (src: string, callee: string): CallInfo => {
  const c = analyzePython(src).calls.find((x) => x.callee === callee);
  if (!c) throw new Error(`no call ${callee} in ${JSON.stringify(analyzePython(src).calls.map((x) => x.callee))}`);
  return c;
};

describe('imports', () => {
  it('reads import and from-import, with aliases, and ignores relative imports for bindings', () => {
    const a = analyzePython('import numpy as np, os.path\nfrom sklearn.ensemble import (RandomForestClassifier as RFC,\n    ExtraTreesClassifier)\nfrom . import local\nfrom ..pkg.mod import thing\nfrom x import *');
    expect(a.imports).toEqual([
      { module: 'numpy', names: [], relative: false, line: 1 },
      { module: 'os.path', names: [], relative: false, line: 1 },
      { module: 'sklearn.ensemble', names: ['RandomForestClassifier', 'ExtraTreesClassifier'], relative: false, line: 2 },
      { module: '', names: ['local'], relative: true, line: 4 },
      { module: 'pkg.mod', names: ['thing'], relative: true, line: 5 },
      { module: 'x', names: ['*'], relative: false, line: 6 },
    ]);
    expect(a.bindings.map((b) => [b.local, b.target])).toEqual([
      ['np', 'numpy'],
      ['os', 'os'],
      ['RFC', 'sklearn.ensemble.RandomForestClassifier'],
      ['ExtraTreesClassifier', 'sklearn.ensemble.ExtraTreesClassifier'],
    ]);
    expect(a.starImport).toBe(true);
    expect([...a.defined].sort()).toEqual(['ExtraTreesClassifier', 'RFC', 'local', 'np', 'os', 'thing']);
  });

  it('finds imports inside functions and try blocks', () => {
    const a = analyzePython('try:\n    import xgboost\nexcept ImportError:\n    xgboost = None\ndef f():\n    import torch\n    return torch');
    expect(a.imports.map((i) => i.module)).toEqual(['xgboost', 'torch']);
  });
});

describe('defined and used names', () => {
  it('collects every kind of top-level binding', () => {
    const src = [
      'a, (b, *c) = 1, (2, 3)',
      'd += 1',
      'e: int = 5',
      'for f, g in pairs: pass',
      'with open("x") as h: pass',
      'try:\n    pass\nexcept ValueError as err:\n    pass',
      'if (w := 3): pass',
      'def fn(p): return p',
      'class K: pass',
      'import json',
      'p1 = p2 = 0',
    ].join('\n');
    const n = names(src);
    expect(n.defined).toEqual(['K', 'a', 'b', 'c', 'd', 'e', 'err', 'f', 'fn', 'g', 'h', 'json', 'p1', 'p2', 'w'].sort());
    // d is read by d += 1; the annotation int, pairs, open and ValueError are read.
    expect(n.used).toEqual(['ValueError', 'd', 'int', 'open', 'pairs']);
  });

  it('an annotation alone binds nothing', () => {
    expect(names('x: int').defined).toEqual([]);
  });

  it('subscript and attribute targets read the object', () => {
    expect(names('df["a"] = 1\nobj.attr = 2').used).toEqual(['df', 'obj']);
  });

  it('keyword argument names are not uses, their values are', () => {
    expect(names('model = Model(alpha=a, beta=2)').used).toEqual(['Model', 'a']);
  });

  it('function parameters and locals are not uses; free names are deferred to the def', () => {
    const n = names('def f(x, y=default, *args, z: Z = 1, **kw) -> R:\n    t = x + y + free1\n    for i in range(3):\n        t += i\n    return helper(t, glob)');
    expect(n.defined).toEqual(['f']);
    // Defaults and annotations run when the def runs.
    expect(n.used).toEqual(['R', 'Z', 'default']);
    expect(n.deferred).toEqual({ f: ['free1', 'glob', 'helper', 'range'] });
  });

  it('methods defer their free names to the class; the class body is run at once', () => {
    const n = names('class Model(Base):\n    size = SIZE\n    def fit(self, X):\n        return train(X, size)\n');
    expect(n.used).toEqual(['Base', 'SIZE']);
    // `size` in the method is not the class attribute: it is looked up globally.
    expect(n.deferred).toEqual({ Model: ['size', 'train'] });
  });

  it('global declarations inside a function define module names', () => {
    const n = names('def setup():\n    global CONFIG\n    CONFIG = load()\n');
    expect(n.defined).toEqual(['CONFIG', 'setup']);
    expect(n.deferred).toEqual({ setup: ['load'] });
  });

  it('nested functions pass their free names to the outer function', () => {
    const n = names('def outer(a):\n    def inner(b):\n        return a + b + g\n    return inner\n');
    expect(n.deferred).toEqual({ outer: ['g'] });
  });

  it('lambdas and comprehensions bind their own names and use the rest at once', () => {
    const n = names('sq = [x * k for x in xs if x > lim]\nd = {a: b for a, b in pairs}\nf = lambda v, w=dflt: v + off\ng = sum(i for i in items)');
    expect(n.defined).toEqual(['d', 'f', 'g', 'sq']);
    expect(n.used).toEqual(['dflt', 'items', 'k', 'lim', 'off', 'pairs', 'sum', 'xs']);
  });

  it('decorators use only their first name', () => {
    const n = names('@app.route("/x")\ndef view(): pass\n@functools.lru_cache(maxsize=size)\ndef g(): pass');
    expect(n.used).toEqual(['app', 'functools', 'size']);
  });

  it('f-string placeholders are uses', () => {
    expect(names('print(f"{name!r:>10} and {other}")').used).toEqual(['name', 'other', 'print']);
  });

  it('match statements bind capture patterns', () => {
    const n = names('match cmd:\n    case Point(x=0, y=yy) as pt:\n        pass\n    case [first, *rest]:\n        pass\n');
    expect(n.defined).toEqual(['first', 'pt', 'rest', 'yy']);
    expect(n.used).toEqual(['Point', 'cmd']);
  });

  it('records line numbers of uses', () => {
    expect(analyzePython('a = 1\n\nprint(b)').used.find((u) => u.name === 'b')!.line).toBe(3);
  });

  it('survives pathologically deep nesting, keeping the other statements', () => {
    const a = analyzePython(`y = ${'('.repeat(5000)}1${')'.repeat(5000)}\nz = q\n`);
    expect(a.defined.has('z')).toBe(true);
    expect(a.used.map((u) => u.name)).toContain('q');
  });

  it('survives syntax errors and still reads the rest', () => {
    const a = analyzePython('x = (1,\ny = 2\nimport pandas as pd\ndef broken(:\n    pass\nz = 3');
    expect(a.syntaxErrors).toBeGreaterThan(0);
    expect(a.firstErrorLine).not.toBeNull();
    expect(a.imports.map((i) => i.module)).toContain('pandas');
    expect(a.defined.has('z')).toBe(true);
  });
});

describe('calls', () => {
  it('gives the dotted callee, positional and keyword literal arguments', () => {
    const c = call('m = RandomForestClassifier(10, n_estimators=100, max_depth=None, criterion="gini", lr=-0.1, sizes=(64, 32), flag=True, name=f"plain", other=x)', 'RandomForestClassifier');
    expect(c.segments).toEqual(['RandomForestClassifier']);
    expect(c.args.map((a) => a.literal?.text)).toEqual(['10']);
    expect(Object.fromEntries(c.kwargs.map((a) => [a.keyword, a.literal?.text ?? null]))).toEqual({
      n_estimators: '100',
      max_depth: 'None',
      criterion: '"gini"',
      lr: '-0.1',
      sizes: '(64, 32)',
      flag: 'True',
      name: 'f"plain"',
      other: null,
    });
    expect(c.kwargs.find((a) => a.keyword === 'name')!.literal).toEqual({ kind: 'string', value: 'plain', text: 'f"plain"' });
  });

  it('an f-string with placeholders is not a literal', () => {
    expect(call('f(f"{x}")', 'f').args[0]!.literal).toBeNull();
  });

  it('names chained and non-name callees', () => {
    const a = analyzePython('pd.DataFrame(x).to_csv("o.csv")\nmodels[0].save("m.h5")\nnp.random.seed(1)');
    expect(a.calls.map((c) => [c.callee, c.name, c.segments])).toEqual([
      ['pd.DataFrame().to_csv', 'to_csv', null],
      ['pd.DataFrame', 'DataFrame', ['pd', 'DataFrame']],
      ['models[…].save', 'save', null],
      ['np.random.seed', 'seed', ['np', 'random', 'seed']],
    ]);
  });

  it('notes *args and **kwargs, and calls nested in arguments', () => {
    const c = call('pickle.dump(obj, open("m.pkl", "wb"), *rest, **opts)', 'pickle.dump');
    expect(c.hasStarArgs).toBe(true);
    expect(c.hasStarKwargs).toBe(true);
    expect(c.args[1]!.call?.callee).toBe('open');
    expect(c.args[1]!.call?.args.map((a) => a.literal?.text)).toEqual(['"m.pkl"', '"wb"']);
  });

  it('marks calls inside function bodies', () => {
    const a = analyzePython('def f():\n    g()\nh()');
    expect(a.calls.map((c) => [c.callee, c.inFunction])).toEqual([
      ['g', true],
      ['h', false],
    ]);
  });

  it('builds path expressions from literals, names, Path, os.path.join, / and f-strings', () => {
    const p = (src: string) => analyzePython(src).calls[0]!.args[0]!.path;
    expect(p('f("data/x.csv")')).toEqual({ kind: 'str', value: 'data/x.csv' });
    expect(p('f(DATA)')).toEqual({ kind: 'name', name: 'DATA' });
    expect(p('f(Path("data") / "x.csv")')).toEqual({ kind: 'join', parts: [{ kind: 'str', value: 'data' }, { kind: 'str', value: 'x.csv' }] });
    expect(p('f(os.path.join(D, "x.csv"))')).toEqual({ kind: 'join', parts: [{ kind: 'name', name: 'D' }, { kind: 'str', value: 'x.csv' }] });
    expect(p('f(f"{D}/x_{n}.csv")')).toEqual({ kind: 'concat', parts: [{ kind: 'name', name: 'D' }, { kind: 'str', value: '/x_' }, { kind: 'name', name: 'n' }, { kind: 'str', value: '.csv' }] });
    expect(p('f(D + "/x.csv")')).toEqual({ kind: 'concat', parts: [{ kind: 'name', name: 'D' }, { kind: 'str', value: '/x.csv' }] });
    expect(p('f(Path.home() / "x")')).toEqual({ kind: 'join', parts: [{ kind: 'str', value: '~' }, { kind: 'str', value: 'x' }] });
    expect(p('f(Path("a").joinpath("b", "c"))')).toEqual({ kind: 'join', parts: [{ kind: 'str', value: 'a' }, { kind: 'str', value: 'b' }, { kind: 'str', value: 'c' }] });
    expect(p('f(get_path())')).toBeNull();
    expect(p('f(f"{cfg.path}/x")')).toBeNull();
  });

  it('gives the receiver path of Path(...).method()', () => {
    expect(call('Path("notes.txt").read_text()', 'Path().read_text').receiverPath).toEqual({ kind: 'str', value: 'notes.txt' });
  });
});

describe('assignments and strings', () => {
  it('records top-level NAME = <path expression> assignments in order', () => {
    const a = analyzePython('DATA = "data"\nTRAIN = DATA + "/train.csv"\nx, y = 1, 2\nn = compute()\ndef f():\n    LOCAL = "no"');
    expect(a.assignments.map((s) => [s.name, s.value])).toEqual([
      ['DATA', { kind: 'str', value: 'data' }],
      ['TRAIN', { kind: 'concat', parts: [{ kind: 'name', name: 'DATA' }, { kind: 'str', value: '/train.csv' }] }],
      ['x', null],
      ['y', null],
      ['n', null],
    ]);
  });

  it('collects decoded string literals with their lines', () => {
    const a = analyzePython('a = "x\\ty"\nb = r"C:\\data\\f.csv"\nc = """multi\nline"""\nd = b"bytes"');
    expect(a.strings).toEqual([
      { value: 'x\ty', line: 1 },
      { value: 'C:\\data\\f.csv', line: 2 },
      { value: 'multi\nline', line: 3 },
      { value: 'bytes', line: 5 },
    ]);
  });
});

describe('decodeStringLiteral', () => {
  it('handles prefixes, quotes and escapes', () => {
    expect(decodeStringLiteral(`'it\\'s'`)).toBe("it's");
    expect(decodeStringLiteral('"\\x41\\u00e9\\n"')).toBe('Aé\n');
    expect(decodeStringLiteral("r'\\d+'")).toBe('\\d+');
    expect(decodeStringLiteral('"""a\\\nb"""')).toBe('ab');
    expect(decodeStringLiteral("f'{{x}}'")).toBe('{x}');
    expect(decodeStringLiteral('"\\q"')).toBe('\\q');
    expect(decodeStringLiteral('nope')).toBeNull();
  });
});
