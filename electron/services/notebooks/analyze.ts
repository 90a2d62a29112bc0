// The analysis of a parsed notebook (pure: no file system, no network): kernel, cell counts,
// execution counts, imports and the packages behind them, pip installs, the files it reads and
// writes, seeds, estimator hyperparameters, and the hygiene findings. Python is parsed with a
// real parser (python-analysis.ts); other kernels get what can be read without one.

import { homedir } from 'node:os';
import { isAbsolute, normalize, resolve, win32 } from 'node:path';
import type { FileRef, Finding, Hyperparameters, NotebookAnalysis, NotebookImport, PipInstall } from '../../../shared/contract/index.js';
import importPackages from '../../../resources/python/import-packages.json' with { type: 'json' };
import stdlibModules from '../../../resources/python/stdlib-modules.json' with { type: 'json' };
import { findInstalls, prepareSource } from './magics.js';
import type { Cell, ParsedNotebook } from './nbformat.js';
import { analyzePython, type CallArg, type CallInfo, type PathExpr, type PythonCellAnalysis } from './python-analysis.js';
import {
  DEFAULT_MAX_OUTPUT_BYTES,
  absolutePaths,
  errorOutputs,
  finding,
  isTrivialSource,
  largeOutputs,
  notExecuted,
  outOfOrder,
  quotedStrings,
  secrets,
  seedOf,
  sortFindings,
  unpinnedInstalls,
  unseededRandomness,
  usedBeforeDefined,
  type InstallFact,
  type NameFacts,
  type OrderedCall,
  type PathLiteral,
} from './rules.js';

export interface AnalyzeOptions {
  /** The notebook's folder: relative paths in the code resolve against it. */
  notebookDir: string;
  /** A cell whose outputs exceed this is a large-output finding (default 1 MB). */
  maxOutputBytes?: number;
}

const PACKAGES = importPackages as Record<string, string>;
const STDLIB = new Set(stdlibModules as string[]);

/** Is the kernel's language Python (or unknown: most notebooks without metadata are Python)? */
export function isPythonKernel(nb: ParsedNotebook): boolean {
  const lang = nb.kernel.language?.toLowerCase() ?? null;
  if (lang === null) return nb.kernel.name === null || /python|ipykernel|pyspark/i.test(nb.kernel.name);
  return /^(i?python[\d.]*|pyspark|python)$/.test(lang) || lang.startsWith('python');
}

/**
 * The package that provides an import: a dotted key (google.protobuf → protobuf) wins over the
 * top-level one; the standard library has none; an unmapped module is its own package name.
 */
export function packageFor(fullModule: string): { module: string; package: string | null; stdlib: boolean } {
  const top = fullModule.split('.')[0]!;
  if (STDLIB.has(top)) return { module: top, package: null, stdlib: true };
  const parts = fullModule.split('.');
  for (let n = parts.length; n >= 1; n--) {
    const key = parts.slice(0, n).join('.');
    if (Object.hasOwn(PACKAGES, key)) return { module: top, package: PACKAGES[key]!, stdlib: false };
  }
  return { module: top, package: top, stdlib: false };
}

/** Common import aliases, used only when the notebook never binds the name itself. */
const CONVENTIONAL: Record<string, string> = { np: 'numpy', pd: 'pandas', tf: 'tensorflow', plt: 'matplotlib.pyplot', sns: 'seaborn', sk: 'sklearn' };

function canonicalOf(call: CallInfo, aliases: Map<string, string>): string {
  if (!call.segments) return call.callee;
  const [head, ...rest] = call.segments;
  const target = aliases.get(head!) ?? CONVENTIONAL[head!] ?? head!;
  return [target, ...rest].join('.');
}

// ── paths ──

function evalPath(e: PathExpr | null, env: Map<string, string | null>, depth = 0): string | null {
  if (!e || depth > 20) return null;
  switch (e.kind) {
    case 'str':
      return e.value;
    case 'name':
      return env.get(e.name) ?? null;
    case 'concat': {
      let s = '';
      for (const p of e.parts) {
        const v = evalPath(p, env, depth + 1);
        if (v === null) return null;
        s += v;
      }
      return s;
    }
    case 'join': {
      let s: string | null = null;
      for (const p of e.parts) {
        const v = evalPath(p, env, depth + 1);
        if (v === null) return null;
        if (s === null || v.startsWith('/') || win32.isAbsolute(v) || v.startsWith('~')) s = v;
        else s = s === '' || s.endsWith('/') || s.endsWith('\\') ? s + v : `${s}/${v}`;
      }
      return s;
    }
  }
}

/** Resolve a literal path against the notebook's folder; null for what is not a local path (URLs, empty). */
export function resolveLiteralPath(literal: string, notebookDir: string): string | null {
  if (literal === '' || literal.length > 4096 || /[\0\n\r]/.test(literal)) return null;
  let p = literal;
  if (/^file:\/\//i.test(p)) p = decodeURIComponent(p.replace(/^file:\/\/(localhost)?/i, ''));
  else if (/^[a-z][a-z0-9+.-]+:/i.test(p)) return null; // https://, s3://, gs://, runs:/ … are not files here
  if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) return normalize(`${homedir()}${p.slice(1)}`);
  if (/^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\')) return p; // a Windows path stays as written
  if (isAbsolute(p)) return normalize(p);
  return resolve(notebookDir, p);
}

// ── reads and writes ──

const READ_METHOD = /^(?:read_(?!sql|clipboard|gbq|database|sql_query|sql_table)\w+|scan_(?:csv|parquet|ipc|ndjson|delta|iceberg|pyarrow_dataset))$/;
const READ_NAMES = new Set(['load', 'loadtxt', 'genfromtxt', 'fromfile', 'load_model', 'load_weights', 'loadmat', 'load_npz', 'imread', 'load_from_disk', 'load_workbook', 'load_learner', 'read_image', 'InferenceSession']);
const WRITE_METHOD = /^(?:to_(?:csv|parquet|json|excel|feather|pickle|hdf|orc|stata|xml|netcdf)|write_(?:csv|parquet|ipc|json|ndjson|excel|delta|avro|table|feather)|sink_(?:csv|parquet|ipc|ndjson))$/;
const WRITE_NAMES = new Set(['save', 'save_model', 'save_weights', 'save_pretrained', 'savez', 'savez_compressed', 'savetxt', 'dump', 'imwrite', 'imsave']);
const OPENERS = new Set(['open', 'File']);
/** Keywords that carry the path in read/write calls. */
const PATH_KEYWORDS = ['path', 'filepath', 'filepath_or_buffer', 'path_or_buf', 'path_or_buffer', 'fname', 'filename', 'file', 'f', 'fp', 'io', 'source', 'model_file', 'save_directory', 'filepath_or_path', 'uri', 'name'];
/** load() calls that take a name, not a file. */
const NOT_FILE_LOADS = /^(torch\.hub|spacy|datasets|tensorflow_datasets|gensim\.downloader|nltk|en_core_web_\w+)\./;

type RefKind = 'read' | 'write';

interface RefHit {
  kind: RefKind;
  expr: PathExpr | null;
  call: string;
  line: number;
}

function modeOf(a: CallArg | undefined): string | null {
  return a?.literal?.kind === 'string' ? a.literal.value : a ? null : 'r';
}

const kwArg = (c: CallInfo, names: string[]) => c.kwargs.find((a) => a.keyword !== null && names.includes(a.keyword));

/** open(path, mode) / gzip.open / h5py.File: the path and whether it reads, writes or both. */
function openerRefs(c: CallInfo, label: string): RefHit[] {
  if (c.receiverPath && c.name === 'open' && c.receiverPath.kind !== 'name') {
    // Path("x").open("w")
    const mode = modeOf(c.args[0] ?? kwArg(c, ['mode']));
    return refsForMode(mode, c.receiverPath, label, c.line);
  }
  const pathArg = c.args[0] ?? kwArg(c, ['file', 'filename', 'name', 'fp', 'fname', 'path']);
  if (!pathArg?.path) return [];
  const mode = modeOf(c.args[1] ?? kwArg(c, ['mode']));
  return refsForMode(mode, pathArg.path, label, c.line);
}

function refsForMode(mode: string | null, expr: PathExpr, label: string, line: number): RefHit[] {
  if (mode === null) return [{ kind: 'read', expr, call: label, line }]; // mode from a variable: at least a read
  const writes = /[wax]/.test(mode);
  const reads = !writes || mode.includes('+');
  const out: RefHit[] = [];
  if (reads) out.push({ kind: 'read', expr, call: label, line });
  if (writes || mode.includes('+')) out.push({ kind: 'write', expr, call: label, line });
  return out;
}

/** Which argument is the file: a keyword we know, else the first positional that is a path (or an open() call). */
function fileArg(c: CallInfo, env: Map<string, string | null>, prefer: number | null = null): CallArg | null {
  const k = kwArg(c, PATH_KEYWORDS);
  if (k) return k;
  if (prefer !== null && c.args[prefer]) return c.args[prefer]!;
  for (const a of c.args) {
    if (a.call && OPENERS.has(a.call.name)) return a;
    if (a.path && evalPath(a.path, env) !== null) return a;
  }
  return null;
}

function callRefs(oc: OrderedCall, env: Map<string, string | null>, consumed: Set<CallInfo>): RefHit[] {
  const c = oc.call;
  if (consumed.has(c)) return [];
  const name = c.name;
  const label = c.callee;
  const canonical = oc.canonical;
  if (OPENERS.has(name) && (name === 'open' || canonical.startsWith('h5py.'))) return openerRefs(c, label);
  // Path("x").read_text() / .write_bytes(...)
  if (c.receiverPath && c.receiverPath.kind !== 'name' && /^(read|write)_(text|bytes)$/.test(name)) {
    return [{ kind: name.startsWith('read') ? 'read' : 'write', expr: c.receiverPath, call: label, line: c.line }];
  }
  if (c.receiverPath?.kind === 'name' && /^(read|write)_(text|bytes)$/.test(name) && evalPath(c.receiverPath, env) !== null) {
    return [{ kind: name.startsWith('read') ? 'read' : 'write', expr: c.receiverPath, call: label, line: c.line }];
  }
  let kind: RefKind | null = null;
  let prefer: number | null = null;
  if (READ_METHOD.test(name)) {
    kind = 'read';
    prefer = 0;
  } else if (READ_NAMES.has(name) || (name === 'Booster' && kwArg(c, ['model_file']))) {
    if (NOT_FILE_LOADS.test(canonical) || canonical === 'load') return [];
    kind = 'read';
    prefer = name === 'InferenceSession' ? 0 : null;
  } else if (WRITE_METHOD.test(name)) {
    kind = 'write';
    prefer = 0;
  } else if (WRITE_NAMES.has(name) || (name === 'export' && /(^|\.)onnx\./.test(canonical))) {
    kind = 'write';
    if (name === 'dump') prefer = 1;
  } else if (/(^|\.)read(\(\))?(\.\w+\(\))*\.(csv|parquet|json|text|orc|table)$/.test(label)) {
    kind = 'read'; // spark.read.csv(p), spark.read.option(...).parquet(p)
  } else if (/\.write(\(\))?(\.\w+\(\))*\.(csv|parquet|json|text|orc|save|saveAsTable)$/.test(label)) {
    kind = 'write';
  }
  if (!kind) return [];
  const arg = fileArg(c, env, prefer);
  if (!arg) return [];
  if (arg.call && OPENERS.has(arg.call.name)) {
    // pickle.dump(obj, open(p, "wb")): the open() is this call's file.
    consumed.add(arg.call);
    return openerRefs(arg.call, label).map((r) => ({ ...r, kind }));
  }
  if (!arg.path) return [];
  return [{ kind, expr: arg.path, call: label, line: c.line }];
}

// ── hyperparameters ──

const ESTIMATOR_MODULES = /^(sklearn|xgboost|lightgbm|catboost|torch\.nn|torch\.optim|keras|tensorflow\.keras|tf_keras|imblearn|statsmodels|skorch|ngboost|interpret|pytorch_tabnet)\./;
const ESTIMATOR_SUFFIX = /(Classifier|Regressor|Estimator|Transformer|Model|Pipeline|Regression|Classification|Clustering|KMeans|SVC|SVR|Forest|Boost|Boosting|CV|Encoder|Scaler|Imputer|Vectorizer|Selector)$/;
const NOT_ESTIMATORS = new Set(['Dataset', 'DMatrix', 'Pool', 'DataLoader', 'Tensor', 'Parameter', 'Booster', 'ModelCheckpoint', 'BaseModel', 'ParameterGrid', 'Bunch']);

export function isEstimatorCall(name: string, canonical: string): boolean {
  if (!/^[A-Z]/.test(name) || NOT_ESTIMATORS.has(name)) return false;
  if (/^sklearn\.(metrics|utils|datasets|inspection)\./.test(canonical)) return false;
  if (ESTIMATOR_MODULES.test(canonical) && !/^torch\.nn\.functional\./.test(canonical)) return true;
  return ESTIMATOR_SUFFIX.test(name);
}

function hyperparametersOf(c: CallInfo): Record<string, string> {
  const params: Record<string, string> = {};
  c.args.forEach((a, i) => {
    if (a.literal) params[`[${i}]`] = a.literal.text;
  });
  for (const a of c.kwargs) if (a.keyword && a.literal) params[a.keyword] = a.literal.text;
  return params;
}

// ── the analysis ──

interface CodeCellFacts {
  cell: Cell;
  py: PythonCellAnalysis | null;
  installs: InstallFact[];
  definesUnknownNames: boolean;
}

const NO_NAMES = new Map<string, string | null>();

export function analyzeNotebook(nb: ParsedNotebook, opts: AnalyzeOptions): NotebookAnalysis {
  const maxOutputBytes = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const python = isPythonKernel(nb);
  const codeCells = nb.cells.filter((c) => c.type === 'code');
  const findings: Finding[] = [];

  // Per code cell: magics out, then the Python parse.
  const facts: CodeCellFacts[] = codeCells.map((cell) => {
    if (!python) return { cell, py: null, installs: [], definesUnknownNames: false };
    const prepared = prepareSource(cell.source);
    const installs = findInstalls(prepared).map((r) => ({ ...r, cell: cell.index }));
    const py = prepared.analysable && !isTrivialSource(prepared.code) ? analyzePython(prepared.code) : null;
    return { cell, py, installs, definesUnknownNames: prepared.definesUnknownNames };
  });

  // Imports: one entry per (module, package), at the first cell that imports it.
  const imports: NotebookImport[] = [];
  const seenImports = new Set<string>();
  for (const f of facts) {
    for (const imp of f.py?.imports ?? []) {
      if (imp.relative || !imp.module) continue;
      // `from google.cloud import storage` may name a sub-package: try module.name for the mapping.
      const candidates = imp.names.length && !imp.names.includes('*') ? imp.names.map((n) => `${imp.module}.${n}`) : [imp.module];
      for (const full of candidates) {
        const p = packageFor(full);
        const key = `${p.module}\0${p.package}`;
        if (seenImports.has(key)) continue;
        seenImports.add(key);
        imports.push({ module: p.module, package: p.package, stdlib: p.stdlib, cell: f.cell.index });
      }
    }
  }

  const installs: InstallFact[] = facts.flatMap((f) => f.installs);
  const pipInstalls: PipInstall[] = installs.map((i) => ({ requirement: i.requirement, pinned: i.pinned, cell: i.cell, line: i.line }));

  // Calls in top-to-bottom order, with import aliases and path constants as they stand at each call.
  const aliases = new Map<string, string>();
  const env = new Map<string, string | null>();
  const ordered: OrderedCall[] = [];
  const reads: FileRef[] = [];
  const writes: FileRef[] = [];
  const seeds: NotebookAnalysis['seeds'] = [];
  const hyperparameters: Hyperparameters[] = [];
  const pathLiterals: PathLiteral[] = [];
  const seenRefs = new Set<string>();
  for (const f of facts) {
    const py = f.py;
    if (!py) continue;
    const cell = f.cell.index;
    for (const b of py.bindings) aliases.set(b.local, b.target);
    const events = [
      ...py.assignments.map((a) => ({ from: a.from, assign: a, call: null as CallInfo | null })),
      ...py.calls.map((c) => ({ from: c.from, assign: null, call: c })),
    ].sort((a, b) => a.from - b.from || (a.call ? 1 : -1));
    const consumed = new Set<CallInfo>();
    // An assignment takes effect after its value is evaluated: apply it once the calls inside it are done.
    const pending: { at: number; name: string; value: string | null }[] = [];
    for (const e of events) {
      while (pending.length && pending[0]!.at <= e.from) {
        const p = pending.shift()!;
        env.set(p.name, p.value);
      }
      if (e.assign) {
        pending.push({ at: e.assign.end, name: e.assign.name, value: evalPath(e.assign.value, env) });
        pending.sort((a, b) => a.at - b.at);
        continue;
      }
      const call = e.call!;
      const oc: OrderedCall = { cell, call, canonical: canonicalOf(call, aliases) };
      ordered.push(oc);
      const seed = seedOf(oc);
      if (seed) seeds.push({ call: call.callee, value: seed.value, cell, line: call.line });
      const realName = call.segments ? oc.canonical.slice(oc.canonical.lastIndexOf('.') + 1) : call.name;
      if (isEstimatorCall(realName, oc.canonical)) {
        // An alias (RFC) is shown by the name it stands for.
        const estimator = call.segments?.length === 1 && realName !== call.name ? realName : call.callee;
        hyperparameters.push({ estimator, params: hyperparametersOf(call), cell, line: call.line });
      }
      // Inside a def, a name may be a parameter: only literal paths count there.
      const scopeEnv = call.inFunction ? NO_NAMES : env;
      for (const r of callRefs(oc, scopeEnv, consumed)) {
        const literal = evalPath(r.expr, scopeEnv);
        if (literal === null) continue;
        const path = resolveLiteralPath(literal, opts.notebookDir);
        if (path === null) continue;
        const key = `${r.kind}\0${path}\0${r.call}\0${cell}\0${r.line}`;
        if (seenRefs.has(key)) continue;
        seenRefs.add(key);
        const ref: FileRef = { literal, path, call: r.call, cell, line: r.line, exists: false, sha256: null };
        (r.kind === 'read' ? reads : writes).push(ref);
        pathLiterals.push({ cell, line: r.line, literal, call: r.call });
      }
    }
    for (const p of pending) env.set(p.name, p.value);
    for (const s of py.strings) pathLiterals.push({ cell, line: s.line, literal: s.value, call: null });
  }

  // Findings: language-independent first.
  findings.push(...outOfOrder(nb.cells), ...notExecuted(nb.cells), ...errorOutputs(nb.cells), ...largeOutputs(nb.cells, maxOutputBytes), ...secrets(nb.cells));
  if (python) {
    findings.push(...absolutePaths(pathLiterals), ...unseededRandomness(ordered), ...unpinnedInstalls(installs));
    const names: NameFacts[] = facts
      .filter((f) => f.py || f.definesUnknownNames)
      .map((f) => ({
        cell: f.cell.index,
        defined: f.py?.defined ?? new Set<string>(),
        used: f.py?.used ?? [],
        deferred: f.py?.deferred ?? new Map(),
        unknownDefinitions: f.definesUnknownNames || (f.py?.starImport ?? false),
      }));
    findings.push(...usedBeforeDefined(names));
  } else {
    const literals: PathLiteral[] = codeCells.flatMap((c) => quotedStrings(c.source).map((s) => ({ cell: c.index, line: s.line, literal: s.value, call: null })));
    findings.push(...absolutePaths(literals));
    const lang = nb.kernel.language ?? nb.kernel.name ?? 'unknown';
    findings.push(
      finding(
        'code-not-analysed',
        null,
        null,
        `The notebook's language is ${lang}: only Python code is analysed, so its imports, packages, files read and written, seeds and names used before definition are not checked.`,
        'Nothing to fix; review those by hand, or describe the environment in the model card.',
      ),
    );
  }

  return {
    kernel: nb.kernel,
    nbformat: nb.nbformat,
    cells: {
      code: codeCells.length,
      markdown: nb.cells.filter((c) => c.type === 'markdown').length,
      raw: nb.cells.filter((c) => c.type === 'raw').length,
    },
    executionCounts: codeCells.map((c) => c.executionCount),
    codeAnalysed: python,
    imports,
    pipInstalls,
    reads,
    writes,
    seeds,
    hyperparameters,
    findings: sortFindings(findings),
  };
}
