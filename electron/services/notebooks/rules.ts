// The hygiene rules (NOTEBOOK_RULES): each takes facts gathered by analyze.ts and returns
// findings with a rule id, a severity, the cell (index among all cells), the 1-based line where
// known, a message naming the thing, and a remedy. Messages number cells from 1, as people count.

import { stripVTControlCharacters } from 'node:util';
import { NOTEBOOK_RULES, type Finding, type FindingSeverity, type NotebookRule } from '../../../shared/contract/index.js';
import type { Cell } from './nbformat.js';
import type { NameRef, CallInfo, CallArg } from './python-analysis.js';
import { scanSecrets } from './secrets.js';

export const RULE_SEVERITY: Record<NotebookRule, FindingSeverity> = {
  'out-of-order': 'warning',
  'not-executed': 'warning',
  'error-output': 'error',
  'absolute-path': 'warning',
  secret: 'error',
  'large-output': 'warning',
  'unseeded-randomness': 'warning',
  'unpinned-pip': 'warning',
  'used-before-defined': 'error',
  'code-not-analysed': 'info',
};

export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

export function finding(rule: NotebookRule, cell: number | null, line: number | null, message: string, remedy: string, severity: FindingSeverity = RULE_SEVERITY[rule]): Finding {
  return { rule, severity, cell, line, message, remedy };
}

const RULE_ORDER = Object.keys(NOTEBOOK_RULES) as NotebookRule[];

/** Rules in the order of NOTEBOOK_RULES, then by cell (notebook-level first), then by line. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule) || (a.cell ?? -1) - (b.cell ?? -1) || (a.line ?? 0) - (b.line ?? 0),
  );
}

const cellName = (index: number) => `cell ${index + 1}`;
const MB = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`);

/** A code cell whose source is only blank lines and comments does nothing worth running. */
export const isTrivialSource = (source: string) => source.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('#'));

// ── out-of-order, not-executed ──────────────────────────────────────────────────────────────

/** Execution counts of executed code cells must increase top to bottom; report where it breaks. */
export function outOfOrder(cells: Cell[]): Finding[] {
  const out: Finding[] = [];
  let prev: Cell | null = null;
  for (const c of cells) {
    if (c.type !== 'code' || c.executionCount === null) continue;
    if (prev && c.executionCount! <= prev.executionCount!) {
      out.push(
        finding(
          'out-of-order',
          c.index,
          null,
          `This cell ran as [${c.executionCount}], before ${cellName(prev.index)} above it ([${prev.executionCount}]): the saved outputs are not from a top-to-bottom run.`,
          'Restart the kernel and run all cells from the top (Kernel → Restart & Run All), then save.',
        ),
      );
    }
    prev = c;
  }
  return out;
}

export function notExecuted(cells: Cell[]): Finding[] {
  const code = cells.filter((c) => c.type === 'code' && !isTrivialSource(c.source));
  if (code.length === 0) return [];
  const never = code.filter((c) => c.executionCount === null);
  if (never.length === code.length) {
    return [
      finding(
        'not-executed',
        null,
        null,
        `No code cell has been run (${code.length} code cells without an execution count); the notebook has no saved results to check.`,
        'If that is on purpose (outputs cleared before committing), ignore this; otherwise run all cells and save.',
        'info',
      ),
    ];
  }
  return never.map((c) =>
    finding('not-executed', c.index, null, 'This code cell was never run, though other cells were: the saved results do not include it.', 'Run all cells from the top and save, or delete the cell if it is not needed.'),
  );
}

// ── error-output, large-output ─────────────────────────────────────────────────────────────

const asText = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? v.filter((x) => typeof x === 'string').join('') : '');

export function errorOutputs(cells: Cell[]): Finding[] {
  const out: Finding[] = [];
  for (const c of cells) {
    for (const o of c.outputs) {
      if (o.output_type !== 'error') continue;
      const ename = stripVTControlCharacters(String(o.ename ?? 'Error'));
      let evalue = stripVTControlCharacters(String(o.evalue ?? '')).replace(/\s+/g, ' ').trim();
      if (evalue.length > 200) evalue = `${evalue.slice(0, 200)}…`;
      const tb = stripVTControlCharacters(Array.isArray(o.traceback) ? o.traceback.filter((x) => typeof x === 'string').join('\n') : '');
      // IPython 8: "Cell In[3], line 5"; older: "----> 5 " arrows.
      const m = /Cell In\s*\[\s*\d*\s*\],\s*line (\d+)/.exec(tb) ?? /^-+> ?(\d+)/m.exec(tb);
      out.push(
        finding(
          'error-output',
          c.index,
          m ? Number(m[1]) : null,
          `The saved output is an error: ${ename}${evalue ? `: ${evalue}` : ''}.`,
          'Fix the cause and re-run the notebook from the top, so the saved notebook shows a clean run.',
        ),
      );
    }
  }
  return out;
}

/** The bytes an output takes in the file (its strings, UTF-8). */
export function outputBytes(o: unknown, depth = 0): number {
  if (typeof o === 'string') return Buffer.byteLength(o, 'utf8');
  if (depth > 50 || o === null || typeof o !== 'object') return typeof o === 'number' || typeof o === 'boolean' ? 8 : 0;
  let n = 0;
  if (Array.isArray(o)) for (const x of o) n += outputBytes(x, depth + 1);
  else for (const [k, v] of Object.entries(o)) n += k.length + outputBytes(v, depth + 1);
  return n;
}

export function largeOutputs(cells: Cell[], maxBytes: number): Finding[] {
  const out: Finding[] = [];
  for (const c of cells) {
    if (c.outputs.length === 0) continue;
    const bytes = c.outputs.reduce((n, o) => n + outputBytes(o), 0);
    if (bytes > maxBytes) {
      out.push(
        finding(
          'large-output',
          c.index,
          null,
          `This cell's outputs take ${MB(bytes)} (over ${MB(maxBytes)}), which bloats the notebook and its history.`,
          'Print a summary (df.head(), len(...)) instead of whole data, write large results to a file, or clear this output before saving.',
        ),
      );
    }
  }
  return out;
}

// ── secrets ────────────────────────────────────────────────────────────────────────────────

/** The text parts of an output: stream text, text/* and JSON data, error name/value/traceback. */
export function outputTexts(o: Record<string, unknown>): string[] {
  switch (o.output_type) {
    case 'stream':
      return [asText(o.text)];
    case 'error':
      return [String(o.ename ?? ''), String(o.evalue ?? ''), asText(o.traceback)];
    default: {
      const data = o.data && typeof o.data === 'object' ? (o.data as Record<string, unknown>) : {};
      const out: string[] = [];
      for (const [mime, v] of Object.entries(data)) {
        if (mime.startsWith('text/') || mime === 'application/javascript') out.push(asText(v));
        else if (mime.endsWith('json') && v && typeof v === 'object') out.push(JSON.stringify(v));
      }
      return out;
    }
  }
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Secrets in every cell's source (code, markdown, raw) and in text outputs. */
export function secrets(cells: Cell[]): Finding[] {
  const out: Finding[] = [];
  for (const c of cells) {
    const seen = new Set<string>();
    for (const hit of scanSecrets(c.source)) {
      if (seen.has(hit.value)) continue;
      seen.add(hit.value);
      out.push(
        finding(
          'secret',
          c.index,
          lineAt(c.source, hit.index),
          `The ${c.type === 'code' ? 'code' : c.type} holds ${hit.kind} (${hit.masked}).`,
          'Revoke and rotate this credential now (it is in the file and its history), then read it from an environment variable or a secrets manager (os.environ["…"], getpass) instead of writing it in the notebook.',
        ),
      );
    }
    for (const o of c.outputs) {
      for (const t of outputTexts(o)) {
        for (const hit of scanSecrets(t)) {
          if (seen.has(hit.value)) continue;
          seen.add(hit.value);
          out.push(
            finding(
              'secret',
              c.index,
              null,
              `An output of this cell shows ${hit.kind} (${hit.masked}).`,
              'Clear this output, stop printing the credential, and revoke and rotate it (it is in the file and its history).',
            ),
          );
        }
      }
    }
  }
  return out;
}

// ── absolute-path ──────────────────────────────────────────────────────────────────────────

const MACHINE_ROOTS =
  /^\/(?:home|Users|mnt|media|data|datasets|opt|var|srv|root|workspace|workspaces|content|kaggle|dbfs|Volumes|gpfs|scratch|storage|nfs|net|project|projects|shared|work|lustre|export|space|usr\/local\/data)\/[^\s]/;
const WINDOWS_ABS = /^(?:[A-Za-z]:[\\/][^\s\\/]|\\\\[\w.$-]+\\)/;

/**
 * Does a string literal look like a path on one particular machine? Ordinary strings that merely
 * start with "/" (URL routes, regexes) are not flagged: only well-known machine roots, Windows
 * drive and UNC paths. `isFileRef` (a literal a read or write call uses): any absolute or ~ path.
 */
export function isMachinePath(literal: string, isFileRef = false): boolean {
  if (literal.length < 3 || literal.length > 1024 || /[\n\r]/.test(literal)) return false;
  if (WINDOWS_ABS.test(literal)) return true;
  if (isFileRef) return (literal.startsWith('/') && !/^\/(?:dev|proc|sys)\//.test(literal)) || literal.startsWith('~/') || literal === '~';
  return MACHINE_ROOTS.test(literal);
}

export interface PathLiteral {
  cell: number;
  line: number | null;
  literal: string;
  /** Used by a read or write call (e.g. pd.read_csv). */
  call: string | null;
}

export function absolutePaths(literals: PathLiteral[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const p of literals) {
    if (!isMachinePath(p.literal, p.call !== null)) continue;
    const key = `${p.cell}\0${p.literal}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const shown = p.literal.length > 120 ? `${p.literal.slice(0, 120)}…` : p.literal;
    out.push(
      finding(
        'absolute-path',
        p.cell,
        p.line,
        `${p.literal.startsWith('~') ? 'A home-folder path' : 'An absolute path'} "${shown}"${p.call ? ` (in ${p.call})` : ''} ties the notebook to one machine.`,
        'Use a path relative to the notebook (e.g. "data/train.csv"), or read the location from a parameter or environment variable.',
      ),
    );
  }
  return out;
}

/** Quoted string literals in code of a language we do not parse (R, Julia …): "…" and '…' on one line. */
export function quotedStrings(source: string): { value: string; line: number }[] {
  const out: { value: string; line: number }[] = [];
  const lines = source.split('\n');
  const re = /"((?:[^"\\\n]|\\.){1,1024})"|'((?:[^'\\\n]|\\.){1,1024})'/g;
  lines.forEach((l, i) => {
    re.lastIndex = 0;
    for (let m = re.exec(l); m; m = re.exec(l)) out.push({ value: (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1'), line: i + 1 });
  });
  return out;
}

// ── unpinned-pip ───────────────────────────────────────────────────────────────────────────

export interface InstallFact {
  requirement: string;
  pinned: boolean;
  unknown: boolean;
  installer: 'pip' | 'conda';
  cell: number;
  line: number;
}

/** Installer tooling whose version does not change the model's results. */
const TOOLING = new Set(['pip', 'setuptools', 'wheel', 'uv']);

export function unpinnedInstalls(installs: InstallFact[]): Finding[] {
  const out: Finding[] = [];
  for (const i of installs) {
    if (i.pinned) continue;
    if (i.requirement.startsWith('-r ')) {
      out.push(
        finding(
          'unpinned-pip',
          i.cell,
          i.line,
          `Installs from ${i.requirement.slice(3) || 'a requirements file'}; whether its versions are pinned is not checked here.`,
          'Make sure every line of that file pins an exact version (name==1.2.3), e.g. from pip freeze or pip-compile.',
          'info',
        ),
      );
      continue;
    }
    const name = i.requirement.replace(/[[<>=!~;@\s].*$/, '').toLowerCase();
    if (TOOLING.has(name)) continue;
    const how = i.installer === 'conda' ? `${name}=<version>` : `${name}==<version>`;
    out.push(
      finding(
        'unpinned-pip',
        i.cell,
        i.line,
        i.unknown
          ? `${i.installer === 'conda' ? 'conda' : 'pip'} installs "${i.requirement}", built from a variable: the version cannot be checked.`
          : `${i.installer === 'conda' ? 'conda' : 'pip'} installs "${i.requirement}" without an exact version: a later run may get a different release.`,
        `Pin the version that produced the results, e.g. ${how} (pip show ${name} prints the installed one).`,
      ),
    );
  }
  return out;
}

// ── unseeded-randomness ────────────────────────────────────────────────────────────────────

export type RngFamily = 'numpy' | 'random' | 'torch' | 'tensorflow';

/** A call as analyze.ts sees it: the cell, and the callee with its import aliases resolved. */
export interface OrderedCall {
  cell: number;
  call: CallInfo;
  /** E.g. "numpy.random.seed" for np.random.seed, "sklearn.ensemble.RandomForestClassifier" for RandomForestClassifier. */
  canonical: string;
}

export interface SeedFact {
  /** Which global generators this seeds; 'local' = only the generator or call it belongs to. */
  scope: RngFamily | 'all' | 'local';
  value: string;
}

const kw = (c: CallInfo, ...names: string[]): CallArg | undefined => c.kwargs.find((a) => a.keyword !== null && names.includes(a.keyword));
const isNone = (a: CallArg | undefined) => a?.literal?.kind === 'none';
const firstArg = (c: CallInfo, ...names: string[]) => c.args[0] ?? kw(c, ...names);

const ALL_SEEDERS = new Set(['seed_everything', 'set_seed', 'set_seeds', 'seed_all', 'fix_seed', 'fix_seeds', 'set_all_seeds', 'set_global_seed', 'fix_random_seed', 'set_random_seeds', 'seed_torch']);
const LOCAL_GENERATORS = new Set(['numpy.random.default_rng', 'numpy.random.RandomState', 'numpy.random.SeedSequence', 'numpy.random.PCG64', 'numpy.random.MT19937', 'numpy.random.Philox', 'numpy.random.SFC64', 'random.Random', 'jax.random.PRNGKey', 'jax.random.key', 'torch.Generator']);

/** Does this call set a seed, and for what? */
export function seedOf(c: OrderedCall): SeedFact | null {
  const { call, canonical } = c;
  const value = (a: CallArg | undefined) => (a && !isNone(a) ? a.text : null);
  const global = (scope: RngFamily | 'all'): SeedFact | null => {
    const v = value(firstArg(call, 'seed', 'a'));
    return v === null ? null : { scope, value: v };
  };
  switch (canonical) {
    case 'numpy.random.seed':
      return global('numpy');
    case 'random.seed':
      return global('random');
    case 'torch.manual_seed':
    case 'torch.random.manual_seed':
    case 'torch.cuda.manual_seed':
    case 'torch.cuda.manual_seed_all':
      return global('torch');
    case 'tensorflow.random.set_seed':
    case 'tensorflow.set_random_seed':
    case 'tensorflow.compat.v1.set_random_seed':
    case 'tensorflow.random.set_random_seed':
      return global('tensorflow');
  }
  if (call.name === 'set_random_seed' && /(^|\.)keras\./.test(canonical)) return global('all');
  if (ALL_SEEDERS.has(call.name)) return global('all');
  if (LOCAL_GENERATORS.has(canonical)) {
    const v = value(firstArg(call, 'seed', 'x', 'entropy'));
    return v === null ? null : { scope: 'local', value: v };
  }
  if (call.name === 'manual_seed' && call.callee.includes('Generator()')) {
    const v = value(call.args[0] ?? kw(call, 'seed'));
    return v === null ? null : { scope: 'local', value: v };
  }
  const rs = kw(call, 'random_state', 'seed', 'random_seed');
  if (rs && !isNone(rs)) return { scope: 'local', value: rs.text };
  return null;
}

/** numpy.random functions that do not draw numbers. */
const NP_NON_DRAW = new Set(['seed', 'default_rng', 'RandomState', 'Generator', 'SeedSequence', 'get_state', 'set_state', 'PCG64', 'MT19937', 'Philox', 'SFC64', 'BitGenerator', 'bit_generator', 'mtrand']);
const PY_RANDOM = new Set(['random', 'randint', 'randrange', 'choice', 'choices', 'shuffle', 'sample', 'uniform', 'gauss', 'normalvariate', 'triangular', 'betavariate', 'expovariate', 'gammavariate', 'lognormvariate', 'vonmisesvariate', 'paretovariate', 'weibullvariate', 'getrandbits', 'randbytes', 'binomialvariate']);
const TORCH_RANDOM = new Set(['rand', 'randn', 'randint', 'randperm', 'rand_like', 'randn_like', 'randint_like', 'normal', 'bernoulli', 'multinomial', 'poisson']);
/** Estimators and helpers that take random_state and are random without it (they use numpy's global generator). */
const RANDOM_STATE_USERS = new Set([
  'RandomForestClassifier', 'RandomForestRegressor', 'ExtraTreesClassifier', 'ExtraTreesRegressor', 'GradientBoostingClassifier', 'GradientBoostingRegressor',
  'HistGradientBoostingClassifier', 'HistGradientBoostingRegressor', 'DecisionTreeClassifier', 'DecisionTreeRegressor', 'ExtraTreeClassifier', 'ExtraTreeRegressor',
  'BaggingClassifier', 'BaggingRegressor', 'AdaBoostClassifier', 'AdaBoostRegressor', 'IsolationForest', 'RandomTreesEmbedding', 'KMeans', 'MiniBatchKMeans',
  'BisectingKMeans', 'SpectralClustering', 'GaussianMixture', 'BayesianGaussianMixture', 'MLPClassifier', 'MLPRegressor', 'SGDClassifier', 'SGDRegressor',
  'Perceptron', 'PassiveAggressiveClassifier', 'PassiveAggressiveRegressor', 'TSNE', 'LatentDirichletAllocation', 'NMF', 'TruncatedSVD', 'RandomizedSearchCV',
  'HalvingRandomSearchCV', 'ShuffleSplit', 'StratifiedShuffleSplit', 'GroupShuffleSplit', 'RepeatedKFold', 'RepeatedStratifiedKFold', 'make_classification',
  'make_regression', 'make_blobs', 'make_moons', 'make_circles', 'permutation_importance', 'SMOTE', 'ADASYN', 'RandomOverSampler', 'RandomUnderSampler', 'UMAP',
  'train_test_split',
]);
/** Splitters that are random only with shuffle=True. */
const SHUFFLE_SPLITTERS = new Set(['KFold', 'StratifiedKFold', 'StratifiedGroupKFold']);
/** Names too generic to trust unless they come from scikit-learn. */
const GENERIC_SKLEARN = new Set(['shuffle', 'resample']);

export interface RandomUse {
  family: RngFamily | 'unseeded-generator';
  /** A draw from a generator, or an estimator/splitter called without random_state. */
  kind: 'draw' | 'random_state';
  /** How to fix it. */
  remedy: string;
}

const FAMILY_LABEL: Record<RngFamily, string> = { numpy: "numpy's", random: "Python's", torch: "PyTorch's", tensorflow: "TensorFlow's" };

const SEED_REMEDY: Record<RngFamily, string> = {
  numpy: 'Call np.random.seed(<int>) in an early cell, or draw from np.random.default_rng(<int>).',
  random: 'Call random.seed(<int>) in an early cell, or use random.Random(<int>).',
  torch: 'Call torch.manual_seed(<int>) in an early cell (or pass generator=torch.Generator().manual_seed(<int>)).',
  tensorflow: 'Call tf.random.set_seed(<int>) in an early cell (or pass seed=<int>).',
};

const isTrue = (a: CallArg | undefined) => a?.literal?.kind === 'bool' && a.literal.text === 'True';
const isFalse = (a: CallArg | undefined) => a?.literal?.kind === 'bool' && a.literal.text === 'False';

/** Is this call random, and which global generator does it draw from? */
export function randomUseOf(c: OrderedCall): RandomUse | null {
  const { call, canonical } = c;
  if (call.hasStarKwargs) return null; // **params may carry the seed
  if (LOCAL_GENERATORS.has(canonical) && canonical !== 'torch.Generator') {
    const seed = firstArg(call, 'seed', 'x', 'entropy');
    if (!seed || isNone(seed)) {
      if (canonical.startsWith('jax.')) return null;
      return { family: 'unseeded-generator', kind: 'draw', remedy: `Pass a seed: ${call.callee}(<int>).` };
    }
    return null;
  }
  if (canonical.startsWith('numpy.random.')) {
    const rest = canonical.slice('numpy.random.'.length);
    if (rest.includes('.') || NP_NON_DRAW.has(rest)) return null;
    return { family: 'numpy', kind: 'draw', remedy: SEED_REMEDY.numpy };
  }
  if (canonical.startsWith('random.') && PY_RANDOM.has(canonical.slice(7))) return { family: 'random', kind: 'draw', remedy: SEED_REMEDY.random };
  if (canonical.startsWith('torch.') && TORCH_RANDOM.has(canonical.slice(6)) && !kw(call, 'generator')) return { family: 'torch', kind: 'draw', remedy: SEED_REMEDY.torch };
  if ((canonical === 'torch.utils.data.DataLoader' || call.name === 'DataLoader') && isTrue(kw(call, 'shuffle')) && !kw(call, 'generator', 'sampler')) {
    return { family: 'torch', kind: 'draw', remedy: SEED_REMEDY.torch };
  }
  if ((canonical === 'torch.utils.data.random_split' || call.name === 'random_split') && !kw(call, 'generator')) return { family: 'torch', kind: 'draw', remedy: SEED_REMEDY.torch };
  if (canonical.startsWith('tensorflow.random.') && !/\.(set_seed|set_random_seed|Generator|experimental|get_global_generator|stateless_\w+|create_rng_state)$/.test(canonical) && !kw(call, 'seed')) {
    return { family: 'tensorflow', kind: 'draw', remedy: SEED_REMEDY.tensorflow };
  }
  // scikit-learn-style: random_state absent or None.
  const rs = kw(call, 'random_state');
  if (rs && !isNone(rs)) return null;
  const fromOther = canonical.includes('.') && !/^(sklearn|imblearn|umap)\./.test(canonical);
  // The real name behind an import alias (RFC → RandomForestClassifier).
  const name = call.segments ? canonical.slice(canonical.lastIndexOf('.') + 1) : call.name;
  const estimatorRemedy = `Pass random_state=<int> to ${name} (or call np.random.seed(<int>) in an early cell).`;
  if (RANDOM_STATE_USERS.has(name) && !fromOther) {
    if (name === 'train_test_split' && isFalse(kw(call, 'shuffle'))) return null;
    return { family: 'numpy', kind: 'random_state', remedy: estimatorRemedy };
  }
  if (SHUFFLE_SPLITTERS.has(name) && !fromOther && isTrue(kw(call, 'shuffle'))) return { family: 'numpy', kind: 'random_state', remedy: estimatorRemedy };
  if (GENERIC_SKLEARN.has(name) && canonical.startsWith('sklearn.')) return { family: 'numpy', kind: 'random_state', remedy: estimatorRemedy };
  // pandas: df.sample(frac=1) / df.sample(n=100)
  if (name === 'sample' && !canonical.startsWith('random.') && (kw(call, 'frac') || kw(call, 'n'))) {
    return { family: 'numpy', kind: 'random_state', remedy: 'Pass random_state=<int> to sample (or call np.random.seed(<int>) in an early cell).' };
  }
  return null;
}

/** Walk the calls top to bottom: a random call with no seed set before it for its generator is a finding. */
export function unseededRandomness(calls: OrderedCall[]): Finding[] {
  const seeded = new Set<string>();
  const out: Finding[] = [];
  const reported = new Set<string>();
  for (const c of calls) {
    const seed = seedOf(c);
    if (seed && seed.scope !== 'local') seeded.add(seed.scope);
    const use = randomUseOf(c);
    if (!use) continue;
    if (use.family !== 'unseeded-generator' && (seeded.has(use.family) || seeded.has('all'))) continue;
    const key = `${c.cell}\0${c.call.callee}`;
    if (reported.has(key)) continue;
    reported.add(key);
    out.push(
      finding(
        'unseeded-randomness',
        c.cell,
        c.call.line,
        use.family === 'unseeded-generator'
          ? `${c.call.callee}() makes a random generator without a seed, so results can differ on every run.`
          : use.kind === 'random_state'
            ? `${c.call.callee} is called without random_state and numpy is not seeded before it, so results can differ on every run.`
            : `${c.call.callee} draws from ${FAMILY_LABEL[use.family]} random generator and no seed is set before it, so results can differ on every run.`,
        use.remedy,
      ),
    );
  }
  return out;
}

// ── used-before-defined ────────────────────────────────────────────────────────────────────

export const PYTHON_BUILTINS = new Set([
  'abs', 'aiter', 'all', 'anext', 'any', 'ascii', 'bin', 'bool', 'breakpoint', 'bytearray', 'bytes', 'callable', 'chr', 'classmethod', 'compile', 'complex',
  'copyright', 'credits', 'delattr', 'dict', 'dir', 'divmod', 'enumerate', 'eval', 'exec', 'exit', 'filter', 'float', 'format', 'frozenset', 'getattr',
  'globals', 'hasattr', 'hash', 'help', 'hex', 'id', 'input', 'int', 'isinstance', 'issubclass', 'iter', 'len', 'license', 'list', 'locals', 'map', 'max',
  'memoryview', 'min', 'next', 'object', 'oct', 'open', 'ord', 'pow', 'print', 'property', 'quit', 'range', 'repr', 'reversed', 'round', 'set', 'setattr',
  'slice', 'sorted', 'staticmethod', 'str', 'sum', 'super', 'tuple', 'type', 'vars', 'zip', '__import__', '__name__', '__doc__', '__builtins__', '__spec__',
  '__loader__', '__package__', '__file__', '__debug__', 'Ellipsis', 'NotImplemented', 'self', 'cls',
  'BaseException', 'BaseExceptionGroup', 'Exception', 'ExceptionGroup', 'ArithmeticError', 'AssertionError', 'AttributeError', 'BlockingIOError',
  'BrokenPipeError', 'BufferError', 'BytesWarning', 'ChildProcessError', 'ConnectionAbortedError', 'ConnectionError', 'ConnectionRefusedError',
  'ConnectionResetError', 'DeprecationWarning', 'EOFError', 'EncodingWarning', 'EnvironmentError', 'FileExistsError', 'FileNotFoundError',
  'FloatingPointError', 'FutureWarning', 'GeneratorExit', 'IOError', 'ImportError', 'ImportWarning', 'IndentationError', 'IndexError', 'InterruptedError',
  'IsADirectoryError', 'KeyError', 'KeyboardInterrupt', 'LookupError', 'MemoryError', 'ModuleNotFoundError', 'NameError', 'NotADirectoryError',
  'NotImplementedError', 'OSError', 'OverflowError', 'PendingDeprecationWarning', 'PermissionError', 'ProcessLookupError', 'RecursionError',
  'ReferenceError', 'ResourceWarning', 'RuntimeError', 'RuntimeWarning', 'StopAsyncIteration', 'StopIteration', 'SyntaxError', 'SyntaxWarning',
  'SystemError', 'SystemExit', 'TabError', 'TimeoutError', 'TypeError', 'UnboundLocalError', 'UnicodeDecodeError', 'UnicodeEncodeError', 'UnicodeError',
  'UnicodeTranslateError', 'UnicodeWarning', 'UserWarning', 'ValueError', 'Warning', 'ZeroDivisionError',
  // IPython's namespace
  'display', 'get_ipython', 'In', 'Out', '_', '__', '___', '_i', '_ii', '_iii', '_oh', '_ih', '_dh', 'exit', 'quit',
]);

export interface NameFacts {
  /** Index among all cells. */
  cell: number;
  defined: Set<string>;
  used: NameRef[];
  /** Free names of the cell's top-level defs and classes, by def name. */
  deferred: Map<string, NameRef[]>;
  /** A star import or a magic such as %run: names may come from where the analysis cannot see. */
  unknownDefinitions: boolean;
}

/**
 * A name used in cell i, defined in no cell up to i but in a later cell j: running top to bottom
 * fails with NameError. A call to a function defined above also checks the free names of its body.
 */
export function usedBeforeDefined(cells: NameFacts[]): Finding[] {
  const definedIn = new Map<string, number[]>();
  for (const c of cells) for (const n of c.defined) definedIn.set(n, [...(definedIn.get(n) ?? []), c.cell]);
  const definedUpTo = (name: string, cell: number) => (definedIn.get(name) ?? []).some((i) => i <= cell);
  const definedLater = (name: string, cell: number) => (definedIn.get(name) ?? []).find((i) => i > cell);
  /** The latest def (at or above `cell`) of a function or class with deferred free names. */
  const deferredOf = (name: string, cell: number): { cell: number; names: NameRef[] } | null => {
    for (let k = cells.length - 1; k >= 0; k--) {
      const c = cells[k]!;
      if (c.cell > cell) continue;
      if (c.defined.has(name)) {
        const names = c.deferred.get(name);
        return names ? { cell: c.cell, names } : null;
      }
    }
    return null;
  };
  const out: Finding[] = [];
  let unknown = false;
  for (const c of cells) {
    unknown ||= c.unknownDefinitions;
    if (unknown) continue;
    const reported = new Set<string>();
    const check = (ref: NameRef, via: { fn: string; cell: number } | null) => {
      const { name } = ref;
      if (PYTHON_BUILTINS.has(name) || reported.has(name) || definedUpTo(name, c.cell)) return;
      const later = definedLater(name, c.cell);
      if (later === undefined) return;
      reported.add(name);
      out.push(
        finding(
          'used-before-defined',
          c.cell,
          ref.line,
          via
            ? `${via.fn}() (defined in ${cellName(via.cell)}) uses "${name}", which is defined only further down, in ${cellName(later)}: running top to bottom fails here with NameError.`
            : `"${name}" is used here but defined only further down, in ${cellName(later)}: running top to bottom fails with NameError.`,
          `Move the cell that defines "${name}" (${cellName(later)}) above this one, or define it earlier, then re-run from the top.`,
        ),
      );
    };
    const expanded = new Set<string>();
    const expand = (name: string, line: number) => {
      if (expanded.has(name)) return;
      expanded.add(name);
      const d = deferredOf(name, c.cell);
      if (!d) return;
      for (const ref of d.names) {
        check({ name: ref.name, line }, { fn: name, cell: d.cell });
        expand(ref.name, line);
      }
    };
    for (const ref of c.used) {
      check(ref, null);
      expand(ref.name, ref.line);
    }
  }
  return out;
}
