import { describe, expect, it } from 'vitest';
import { NOTEBOOK_RULES } from '../../../shared/contract/index.js';
import { analyzePython, type CallInfo } from './python-analysis.js';
import {
  RULE_SEVERITY,
  finding,
  isMachinePath,
  isTrivialSource,
  outputBytes,
  quotedStrings,
  randomUseOf,
  seedOf,
  sortFindings,
  usedBeforeDefined,
  type NameFacts,
} from './rules.js';

const callOf = (src: string): CallInfo => analyzePython(src).calls[0]!;
const oc = (src: string, canonical?: string) => {
  const call = callOf(src);
  return { cell: 0, call, canonical: canonical ?? call.callee };
};

describe('severities', () => {
  it('has one for every rule of the contract', () => {
    expect(Object.keys(RULE_SEVERITY).sort()).toEqual(Object.keys(NOTEBOOK_RULES).sort());
    expect(RULE_SEVERITY).toMatchObject({ secret: 'error', 'error-output': 'error', 'used-before-defined': 'error', 'out-of-order': 'warning' });
  });

  it('sortFindings orders by rule, then cell (notebook-level first), then line', () => {
    const f = (rule: keyof typeof NOTEBOOK_RULES, cell: number | null, line: number | null) => finding(rule, cell, line, 'm', 'r');
    const sorted = sortFindings([f('secret', 2, 1), f('out-of-order', 3, null), f('secret', 1, 5), f('secret', null, null), f('secret', 1, 2)]);
    expect(sorted.map((x) => [x.rule, x.cell, x.line])).toEqual([
      ['out-of-order', 3, null],
      ['secret', null, null],
      ['secret', 1, 2],
      ['secret', 1, 5],
      ['secret', 2, 1],
    ]);
  });
});

describe('isMachinePath', () => {
  it('flags well-known machine roots, drives and UNC paths', () => {
    for (const p of ['/home/ana/x.csv', '/Users/ana/data', '/mnt/data/x', '/content/drive/MyDrive/x.csv', '/kaggle/input/titanic/train.csv', 'C:\\Users\\ana\\x.csv', 'D:/data/x.csv', '\\\\server\\share\\x.csv']) {
      expect(isMachinePath(p), p).toBe(true);
    }
  });

  it('does not flag routes, regexes, relative paths or /tmp in plain strings', () => {
    for (const p of ['/api/v1/predict', '/', '/\\d+/', 'data/x.csv', './x', '/tmp/scratch', 'C:', 'https://x.org/home/a']) expect(isMachinePath(p), p).toBe(false);
  });

  it('for a file a call reads or writes, any absolute or ~ path counts (not /dev)', () => {
    expect(isMachinePath('/tmp/model.pkl', true)).toBe(true);
    expect(isMachinePath('~/x.csv', true)).toBe(true);
    expect(isMachinePath('/dev/null', true)).toBe(false);
    expect(isMachinePath('data/x.csv', true)).toBe(false);
  });
});

describe('helpers', () => {
  it('outputBytes counts the strings of an output', () => {
    expect(outputBytes({ output_type: 'stream', name: 'stdout', text: ['ab', 'é'] })).toBe('output_type'.length + 6 + 4 + 6 + 4 + 4);
  });

  it('quotedStrings finds one-line string literals in any language', () => {
    expect(quotedStrings('x <- read.csv("/home/a/x.csv")\ny = \'it\\\'s\'')).toEqual([
      { value: '/home/a/x.csv', line: 1 },
      { value: "it's", line: 2 },
    ]);
  });

  it('isTrivialSource: blank and comment-only cells', () => {
    expect(isTrivialSource('\n  # note\n')).toBe(true);
    expect(isTrivialSource('# note\nx = 1')).toBe(false);
  });
});

describe('seedOf', () => {
  it('global seeds by family', () => {
    expect(seedOf(oc('np.random.seed(42)', 'numpy.random.seed'))).toEqual({ scope: 'numpy', value: '42' });
    expect(seedOf(oc('random.seed(a=1)', 'random.seed'))).toEqual({ scope: 'random', value: '1' });
    expect(seedOf(oc('torch.cuda.manual_seed_all(3)', 'torch.cuda.manual_seed_all'))).toEqual({ scope: 'torch', value: '3' });
    expect(seedOf(oc('tf.random.set_seed(SEED)', 'tensorflow.random.set_seed'))).toEqual({ scope: 'tensorflow', value: 'SEED' });
    expect(seedOf(oc('keras.utils.set_random_seed(5)', 'keras.utils.set_random_seed'))).toEqual({ scope: 'all', value: '5' });
    expect(seedOf(oc('pl.seed_everything(7)'))).toEqual({ scope: 'all', value: '7' });
  });

  it('local seeds: generators and random_state', () => {
    expect(seedOf(oc('np.random.default_rng(seed=1)', 'numpy.random.default_rng'))).toEqual({ scope: 'local', value: '1' });
    expect(seedOf(oc('torch.Generator().manual_seed(9)'))).toEqual({ scope: 'local', value: '9' });
    expect(seedOf(oc('KMeans(3, random_state=0)'))).toEqual({ scope: 'local', value: '0' });
    expect(seedOf(oc('CatBoostClassifier(random_seed=4)'))).toEqual({ scope: 'local', value: '4' });
  });

  it('no seed: no argument or None', () => {
    expect(seedOf(oc('np.random.seed()', 'numpy.random.seed'))).toBeNull();
    expect(seedOf(oc('np.random.seed(None)', 'numpy.random.seed'))).toBeNull();
    expect(seedOf(oc('KMeans(random_state=None)'))).toBeNull();
    expect(seedOf(oc('print(1)'))).toBeNull();
  });
});

describe('randomUseOf', () => {
  it('numpy draws but not numpy helpers', () => {
    expect(randomUseOf(oc('np.random.choice(xs)', 'numpy.random.choice'))?.family).toBe('numpy');
    expect(randomUseOf(oc('np.random.get_state()', 'numpy.random.get_state'))).toBeNull();
  });

  it('python random only for the random module', () => {
    expect(randomUseOf(oc('random.choice(xs)', 'random.choice'))?.family).toBe('random');
    expect(randomUseOf(oc('rng.choice(xs)', 'rng.choice'))).toBeNull();
  });

  it('torch: draws, shuffled DataLoader and random_split, unless a generator is passed', () => {
    expect(randomUseOf(oc('torch.rand(2)', 'torch.rand'))?.family).toBe('torch');
    expect(randomUseOf(oc('torch.rand(2, generator=g)', 'torch.rand'))).toBeNull();
    expect(randomUseOf(oc('DataLoader(ds, shuffle=True)', 'torch.utils.data.DataLoader'))?.family).toBe('torch');
    expect(randomUseOf(oc('DataLoader(ds, batch_size=2)', 'torch.utils.data.DataLoader'))).toBeNull();
    expect(randomUseOf(oc('random_split(ds, [8, 2])', 'torch.utils.data.random_split'))?.family).toBe('torch');
  });

  it('tensorflow draws without seed=', () => {
    expect(randomUseOf(oc('tf.random.normal((2,))', 'tensorflow.random.normal'))?.family).toBe('tensorflow');
    expect(randomUseOf(oc('tf.random.normal((2,), seed=1)', 'tensorflow.random.normal'))).toBeNull();
    expect(randomUseOf(oc('tf.random.set_seed(1)', 'tensorflow.random.set_seed'))).toBeNull();
  });

  it('estimators from other libraries with the same name are not scikit-learn', () => {
    expect(randomUseOf(oc('KMeans(3)', 'sklearn.cluster.KMeans'))?.family).toBe('numpy');
    expect(randomUseOf(oc('KMeans(3)', 'faiss.KMeans'))).toBeNull();
    expect(randomUseOf(oc('shuffle(xs)', 'sklearn.utils.shuffle'))?.family).toBe('numpy');
    expect(randomUseOf(oc('shuffle(xs)', 'shuffle'))).toBeNull();
  });
});

describe('usedBeforeDefined', () => {
  const facts = (cell: number, defined: string[], used: string[], deferred: Record<string, string[]> = {}, unknownDefinitions = false): NameFacts => ({
    cell,
    defined: new Set(defined),
    used: used.map((name) => ({ name, line: 1 })),
    deferred: new Map(Object.entries(deferred).map(([k, v]) => [k, v.map((name) => ({ name, line: 1 }))])),
    unknownDefinitions,
  });

  it('follows calls through functions transitively', () => {
    const out = usedBeforeDefined([facts(0, ['a'], [], { a: ['b'] }), facts(1, ['b'], [], { b: ['cfg'] }), facts(3, [], ['a']), facts(5, ['cfg'], [])]);
    expect(out.map((f) => [f.cell, f.message])).toEqual([[3, 'b() (defined in cell 2) uses "cfg", which is defined only further down, in cell 6: running top to bottom fails here with NameError.']]);
  });

  it('uses the latest definition of a function at or above the call', () => {
    const out = usedBeforeDefined([facts(0, ['f'], [], { f: ['late'] }), facts(1, ['f'], [], { f: [] }), facts(2, [], ['f']), facts(3, ['late'], [])]);
    expect(out).toEqual([]);
  });

  it('reports each name once per cell', () => {
    const out = usedBeforeDefined([facts(0, [], ['x', 'x']), facts(1, ['x'], [])]);
    expect(out).toHaveLength(1);
  });
});
