// Which imported names a model pickle may use.
//
// A pickle imports names (GLOBAL, STACK_GLOBAL, INST) and calls them (REDUCE, NEWOBJ, BUILD);
// that is how it runs code. This file says which (module, name) pairs the scikit-learn, XGBoost,
// numpy, scipy.sparse, pandas and joblib objects of a model legitimately need, and which names
// are known to be dangerous. It is data, read in this order by judgeGlobal():
//
//   1. DENY: known-dangerous names, even inside otherwise allowed libraries → 'critical'.
//   2. ALLOW: exact (module, name) pairs, then the sklearn/xgboost class rule → allowed.
//   3. Anything else → 'high': not necessarily malicious, but nothing Greenhouse has vetted.
//
// Keep it deliberate: add exact names, not modules. Module prefixes are accepted only for
// scikit-learn and XGBoost *classes* (CamelCase names), minus the denied submodules below.

export interface GlobalVerdict {
  allowed: boolean;
  /** null when allowed. */
  severity: 'critical' | 'high' | null;
  /** One sentence a reviewer can read: why it is allowed or not. */
  why: string;
}

/** A rule matching a module (and, unless `exact`, its submodules) and some of its names. */
interface DenyRule {
  modules: readonly string[];
  /** Names matched; omitted = every name in the module. A RegExp is tested against the whole name. */
  names?: readonly string[] | RegExp;
  /** Only the module itself, not its submodules. */
  exact?: boolean;
  why: string;
}

const CODE_EXEC = 'runs code or commands when the file is loaded';

/** Known-dangerous names: importing and calling them is how malicious pickles work. */
const DENY: readonly DenyRule[] = [
  // Processes and the operating system.
  { modules: ['os', 'posix', 'nt', 'subprocess', '_posixsubprocess', 'pty', 'commands', 'popen2', 'platform', '_winapi', 'msvcrt', 'winreg', '_winreg', 'signal'], why: 'can run commands or change the system' },
  { modules: ['sys'], why: 'reaches the interpreter itself (modules, hooks, exit)' },
  { modules: ['asyncio', 'multiprocessing', 'concurrent', '_thread', 'thread', 'threading'], why: 'can start processes or threads' },
  // Evaluating or importing code.
  {
    modules: ['builtins', '__builtin__'],
    exact: true,
    names: ['eval', 'exec', 'execfile', 'compile', '__import__', 'getattr', 'setattr', 'delattr', 'open', 'file', 'globals', 'locals', 'vars', 'breakpoint', 'input', 'raw_input', 'help', 'exit', 'quit', '__build_class__', '__loader__', 'reload', 'reduce', 'apply'],
    why: `${CODE_EXEC}, or reaches arbitrary attributes`,
  },
  { modules: ['marshal', 'types', 'importlib', 'imp', 'zipimport', 'pkgutil', 'runpy', 'code', 'codeop', 'ast', 'inspect', 'pydoc', 'pdb', 'bdb', 'timeit', 'trace', 'profile', 'cProfile', 'site', 'sysconfig', 'gc'], why: 'builds, imports or runs code objects' },
  { modules: ['operator', '_operator'], exact: true, names: ['methodcaller', 'attrgetter', 'itemgetter', 'call'], why: 'calls methods or reads attributes by name, a way to reach any function' },
  { modules: ['functools', '_functools'], exact: true, names: ['partial', 'partialmethod', 'reduce'], why: 'binds or applies arbitrary callables' },
  { modules: ['copyreg', 'copy_reg'], exact: true, names: ['add_extension', 'remove_extension', 'clear_extension_cache', 'pickle', 'constructor', '_extension_registry', '_inverted_registry', 'dispatch_table'], why: 'rewires the pickle machinery' },
  // Loading more serialized objects (a pickle inside the pickle).
  { modules: ['pickle', '_pickle', 'cPickle', 'dill', 'cloudpickle', 'shelve', 'jsonpickle', 'joblib.numpy_pickle_compat', 'torch.serialization'], why: 'unpickles more data, so anything inside it runs' },
  { modules: ['torch', 'numpy'], exact: true, names: ['load'], why: 'unpickles more data, so anything inside it runs' },
  { modules: ['joblib', 'joblib.numpy_pickle'], exact: true, names: ['load', 'loads', 'Memory', 'Parallel', 'dump'], why: 'loads or writes files, or runs work in other processes' },
  // Files, network, browsers.
  { modules: ['io', '_io', 'codecs', 'pathlib', 'shutil', 'tempfile', 'glob', 'fileinput', 'zipfile', 'tarfile', 'filecmp', 'mmap'], names: ['open', 'open_code', 'FileIO', 'Path', 'PosixPath', 'WindowsPath', 'copyfile', 'copy', 'copy2', 'copytree', 'rmtree', 'move', 'chown', 'make_archive', 'unpack_archive', 'which', 'mkstemp', 'mkdtemp', 'NamedTemporaryFile', 'TemporaryFile', 'TemporaryDirectory', 'glob', 'iglob', 'input', 'ZipFile', 'TarFile', 'mmap', 'disk_usage'], why: 'reads, writes or deletes files' },
  { modules: ['shutil'], why: 'copies, moves and deletes files' },
  { modules: ['socket', '_socket', 'ssl', 'select', 'selectors', 'http', 'httplib', 'urllib', 'urllib2', 'urllib3', 'requests', 'ftplib', 'smtplib', 'telnetlib', 'poplib', 'imaplib', 'xmlrpc', 'socketserver', 'webbrowser'], why: 'opens network connections or a browser' },
  { modules: ['ctypes', '_ctypes', 'cffi'], why: 'calls native code directly' },
  // Dangerous corners of libraries that are otherwise allowed.
  {
    modules: ['numpy', 'numpy.core', 'numpy._core', 'numpy.lib', 'numpy.lib.npyio', 'numpy.core.memmap', 'numpy._core.memmap', 'numpy.core.records', 'numpy._core.records'],
    names: ['load', 'loads', 'fromfile', 'save', 'savez', 'savez_compressed', 'savetxt', 'loadtxt', 'genfromtxt', 'fromregex', 'recfromtxt', 'recfromcsv', 'memmap', 'DataSource', 'open_memmap'],
    why: 'reads or writes files (and numpy.load can unpickle)',
  },
  { modules: ['numpy.testing', 'numpy.distutils', 'numpy.f2py', 'numpy.ctypeslib', 'numpy.lib.format', 'numpy.lib.utils', 'numpy.lib._datasource', 'numpy._pytesttester'], why: 'numpy tooling that runs code, compiles or touches files' },
  { modules: ['pandas'], names: /^(read_\w+|eval|query|to_pickle|to_csv|to_parquet|ExcelWriter|HDFStore|ExcelFile|DataFrame\.\w+|Series\.\w+)$/, why: 'reads or writes files, or evaluates expressions' },
  { modules: ['pandas.io', 'pandas.core.computation', 'pandas._testing', 'pandas.util.testing', 'pandas.testing', 'pandas.plotting'], why: 'pandas I/O, expression evaluation or test tooling' },
  { modules: ['sklearn.utils._testing', 'sklearn.utils.estimator_checks', 'sklearn.utils._joblib', 'sklearn.utils.parallel', 'sklearn.utils.fixes', 'sklearn.utils._show_versions', 'sklearn.externals', 'sklearn.datasets', 'sklearn._build_utils', 'sklearn.__check_build', 'sklearn.conftest'], why: 'scikit-learn tooling that runs scripts, downloads or starts workers' },
  { modules: ['xgboost._typing', 'xgboost.tracker', 'xgboost.rabit', 'xgboost.collective', 'xgboost.dask', 'xgboost.spark', 'xgboost.testing', 'xgboost.federated', 'xgboost.plotting', 'xgboost.libpath'], why: 'XGBoost tooling that opens sockets, starts workers or loads libraries' },
  { modules: ['scipy.io', 'scipy.weave', 'scipy._lib'], why: 'reads or writes files, or compiles code' },
];

/** Exact pairs: every module of a group with every name of that group. */
interface AllowGroup {
  modules: readonly string[];
  names: readonly string[];
  why: string;
}

/** numpy ufuncs that FunctionTransformer(func=...) commonly stores (e.g. np.log1p). */
export const NUMPY_UFUNCS: readonly string[] = [
  'log', 'log1p', 'log2', 'log10', 'exp', 'expm1', 'exp2', 'sqrt', 'cbrt', 'square', 'absolute', 'abs', 'fabs', 'negative',
  'positive', 'sign', 'reciprocal', 'sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'arcsinh',
  'arccosh', 'arctanh', 'floor', 'ceil', 'rint', 'trunc', 'add', 'subtract', 'multiply', 'divide', 'true_divide',
  'floor_divide', 'power', 'maximum', 'minimum', 'fmax', 'fmin', 'isnan', 'isfinite', 'isinf', 'logical_not', 'clip',
];

/** Modules numpy ufuncs are pickled from (numpy 1.x pickles them via _multiarray_umath; 2.x via numpy). */
export const NUMPY_UFUNC_MODULES: readonly string[] = [
  'numpy', 'numpy.core._multiarray_umath', 'numpy._core._multiarray_umath', 'numpy.core.umath', 'numpy._core.umath',
];

const SCIPY_SPARSE_MODULES = ['scipy.sparse'].concat(
  ['csr', 'csc', 'coo', 'bsr', 'dia', 'lil', 'dok', 'arrays', 'base'].flatMap((m) => [`scipy.sparse._${m}`, `scipy.sparse.${m}`]),
);
const SCIPY_SPARSE_NAMES = ['csr', 'csc', 'coo', 'bsr', 'dia', 'lil', 'dok'].flatMap((f) => [`${f}_matrix`, `${f}_array`]);

const ALLOW: readonly AllowGroup[] = [
  // numpy arrays: pickles of ndarrays call _reconstruct(ndarray, (0,), b'b') then BUILD, scalars call
  // scalar(dtype, bytes), protocol 5 buffers call _frombuffer. numpy 2 moved numpy.core to numpy._core.
  { modules: ['numpy.core.multiarray', 'numpy._core.multiarray'], names: ['_reconstruct', 'scalar'], why: 'rebuilds numpy arrays and scalars' },
  { modules: ['numpy.core.numeric', 'numpy._core.numeric'], names: ['_frombuffer'], why: 'rebuilds numpy arrays from protocol 5 buffers' },
  { modules: ['numpy'], names: ['ndarray', 'dtype', 'matrix'], why: 'numpy array and dtype types' },
  { modules: ['numpy.matrixlib.defmatrix'], names: ['matrix'], why: 'numpy matrix type' },
  { modules: ['numpy.ma.core'], names: ['MaskedArray', '_mareconstruct'], why: 'numpy masked arrays' },
  // numpy scalar types, stored e.g. as OneHotEncoder(dtype=np.float64) or make_column_selector(dtype_include=np.number).
  {
    modules: ['numpy'],
    names: [
      'bool_', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'float16', 'float32', 'float64',
      'longdouble', 'complex64', 'complex128', 'clongdouble', 'intc', 'intp', 'uintp', 'object_', 'str_', 'bytes_', 'void',
      'datetime64', 'timedelta64', 'number', 'integer', 'signedinteger', 'unsignedinteger', 'floating', 'inexact',
      'complexfloating', 'generic', 'character', 'flexible', 'bool',
    ],
    why: 'numpy scalar types',
  },
  // numpy random state stored on estimators (random_state=np.random.RandomState(0)).
  { modules: ['numpy.random._pickle'], names: ['__randomstate_ctor', '__generator_ctor', '__bit_generator_ctor'], why: 'rebuilds numpy random generators by name from a fixed table' },
  { modules: ['numpy.random.mtrand', 'numpy.random'], names: ['RandomState'], why: 'numpy random state' },
  { modules: ['numpy.random._generator', 'numpy.random'], names: ['Generator'], why: 'numpy random generator' },
  { modules: ['numpy.random._mt19937', 'numpy.random'], names: ['MT19937'], why: 'numpy bit generator' },
  { modules: ['numpy.random._pcg64', 'numpy.random'], names: ['PCG64', 'PCG64DXSM'], why: 'numpy bit generator' },
  { modules: ['numpy.random._philox', 'numpy.random'], names: ['Philox'], why: 'numpy bit generator' },
  { modules: ['numpy.random._sfc64', 'numpy.random'], names: ['SFC64'], why: 'numpy bit generator' },
  { modules: ['numpy.random.bit_generator', 'numpy.random'], names: ['SeedSequence'], why: 'numpy seed sequence' },
  // numpy ufuncs by name (FunctionTransformer(np.log1p)). Older numpy pickled them through
  // _ufunc_reconstruct(module, name), which imports by name: allowed only for these ufunc names,
  // checked on its arguments by the scanner (see pickle-vm.ts).
  { modules: NUMPY_UFUNC_MODULES, names: NUMPY_UFUNCS, why: 'a numpy ufunc such as np.log1p' },
  { modules: ['numpy.core', 'numpy._core'], names: ['_ufunc_reconstruct'], why: 'rebuilds a numpy ufunc by name (arguments checked)' },
  // scipy.sparse matrices (e.g. OneHotEncoder output kept on an estimator).
  { modules: SCIPY_SPARSE_MODULES, names: SCIPY_SPARSE_NAMES, why: 'scipy sparse matrices' },
  // pandas objects stored on estimators (feature names, a sample DataFrame).
  { modules: ['pandas.core.frame'], names: ['DataFrame'], why: 'pandas DataFrame' },
  { modules: ['pandas.core.series'], names: ['Series'], why: 'pandas Series' },
  { modules: ['pandas.core.internals.managers'], names: ['BlockManager', 'SingleBlockManager'], why: 'pandas block storage' },
  { modules: ['pandas.core.internals.blocks'], names: ['Block', 'new_block', 'NumpyBlock', 'ObjectBlock', 'DatetimeTZBlock', 'ExtensionBlock', 'CategoricalBlock'], why: 'pandas block storage' },
  { modules: ['pandas._libs.internals'], names: ['_unpickle_block'], why: 'pandas block storage' },
  { modules: ['pandas.core.indexes.base'], names: ['Index', '_new_Index'], why: 'pandas index' },
  { modules: ['pandas.core.indexes.range'], names: ['RangeIndex'], why: 'pandas index' },
  { modules: ['pandas.core.indexes.numeric'], names: ['Int64Index', 'UInt64Index', 'Float64Index', 'NumericIndex'], why: 'pandas index' },
  { modules: ['pandas.core.indexes.multi'], names: ['MultiIndex'], why: 'pandas index' },
  { modules: ['pandas.core.indexes.category'], names: ['CategoricalIndex'], why: 'pandas index' },
  { modules: ['pandas.core.indexes.datetimes'], names: ['DatetimeIndex', '_new_DatetimeIndex'], why: 'pandas index' },
  { modules: ['pandas.core.indexes.timedeltas'], names: ['TimedeltaIndex'], why: 'pandas index' },
  { modules: ['pandas.core.indexes.period'], names: ['PeriodIndex', '_new_PeriodIndex'], why: 'pandas index' },
  { modules: ['pandas.core.arrays.categorical'], names: ['Categorical'], why: 'pandas categorical data' },
  { modules: ['pandas.core.arrays.datetimes'], names: ['DatetimeArray'], why: 'pandas datetime data' },
  { modules: ['pandas.core.arrays.timedeltas'], names: ['TimedeltaArray'], why: 'pandas timedelta data' },
  { modules: ['pandas.core.arrays.string_'], names: ['StringArray'], why: 'pandas string data' },
  { modules: ['pandas.core.arrays.integer'], names: ['IntegerArray'], why: 'pandas nullable integers' },
  { modules: ['pandas.core.arrays.floating'], names: ['FloatingArray'], why: 'pandas nullable floats' },
  { modules: ['pandas.core.arrays.boolean'], names: ['BooleanArray'], why: 'pandas nullable booleans' },
  { modules: ['pandas.core.dtypes.dtypes'], names: ['CategoricalDtype', 'DatetimeTZDtype', 'PeriodDtype', 'IntervalDtype'], why: 'pandas dtypes' },
  { modules: ['pandas.core.arrays.integer', 'pandas.core.arrays.floating', 'pandas.core.arrays.boolean', 'pandas.core.arrays.string_'], names: ['Int8Dtype', 'Int16Dtype', 'Int32Dtype', 'Int64Dtype', 'UInt8Dtype', 'UInt16Dtype', 'UInt32Dtype', 'UInt64Dtype', 'Float32Dtype', 'Float64Dtype', 'BooleanDtype', 'StringDtype'], why: 'pandas nullable dtypes' },
  { modules: ['pandas._libs.tslibs.timestamps'], names: ['Timestamp', '_unpickle_timestamp'], why: 'pandas timestamps' },
  { modules: ['pandas._libs.tslibs.timedeltas'], names: ['Timedelta', '_timedelta_unpickle'], why: 'pandas timedeltas' },
  { modules: ['pandas._libs.tslibs.nattype'], names: ['__nat_unpickle', 'NaTType'], why: 'pandas missing time value' },
  { modules: ['pandas._libs.missing'], names: ['NA', 'NAType'], why: 'pandas missing value' },
  // joblib: the placeholder joblib writes in place of each numpy array (its data follows it).
  { modules: ['joblib.numpy_pickle'], names: ['NumpyArrayWrapper'], why: 'joblib array placeholder' },
  // copyreg helpers every Python pickle of a plain object uses (protocols 0-2 write copy_reg).
  { modules: ['copyreg'], names: ['_reconstructor', '__newobj__', '__newobj_ex__'], why: 'creates an instance of a class (the class itself is checked)' },
  // Plain Python values.
  {
    modules: ['builtins'],
    names: ['object', 'set', 'frozenset', 'bytearray', 'bytes', 'slice', 'complex', 'range', 'list', 'dict', 'tuple', 'int', 'float', 'bool', 'str', 'Ellipsis', 'NotImplemented'],
    why: 'a built-in value type',
  },
  { modules: ['collections'], names: ['OrderedDict', 'defaultdict', 'Counter', 'deque'], why: 'a collections container' },
  { modules: ['_codecs'], names: ['encode'], why: 'how protocols 0-2 store bytes (as latin-1 text)' },
  { modules: ['datetime'], names: ['datetime', 'date', 'time', 'timedelta', 'timezone'], why: 'a date or time value' },
  { modules: ['decimal'], names: ['Decimal'], why: 'a decimal number' },
  { modules: ['fractions'], names: ['Fraction'], why: 'a fraction' },
  // scikit-learn functions (not classes) that fitted estimators store.
  { modules: ['sklearn.neighbors._kd_tree', 'sklearn.neighbors._ball_tree', 'sklearn.neighbors._binary_tree', 'sklearn.metrics._dist_metrics'], names: ['newObj'], why: 'rebuilds KD/ball trees and distance metrics (calls cls.__new__)' },
  { modules: ['sklearn.compose._column_transformer'], names: ['make_column_selector'], why: 'a column selector class (named in lower case)' },
  { modules: ['sklearn.metrics._scorer'], names: ['_passthrough_scorer'], why: 'the default scorer of search estimators' },
  {
    modules: ['sklearn.metrics._classification', 'sklearn.metrics._ranking', 'sklearn.metrics._regression', 'sklearn.metrics'],
    names: [
      'accuracy_score', 'balanced_accuracy_score', 'f1_score', 'fbeta_score', 'precision_score', 'recall_score', 'log_loss',
      'jaccard_score', 'matthews_corrcoef', 'roc_auc_score', 'average_precision_score', 'top_k_accuracy_score',
      'mean_squared_error', 'mean_absolute_error', 'median_absolute_error', 'r2_score', 'explained_variance_score',
      'mean_absolute_percentage_error', 'mean_squared_log_error', 'max_error', 'mean_poisson_deviance', 'mean_gamma_deviance',
    ],
    why: 'a metric function referenced by a scorer',
  },
];

/** scikit-learn and XGBoost: any class (CamelCase, maybe with one leading underscore) in these packages. */
const CLASS_PACKAGES = ['sklearn', 'xgboost'];

/**
 * CamelCase names that sklearn/xgboost modules import from elsewhere and that do dangerous things
 * (found by listing every CamelCase attribute of every sklearn 1.2 / xgboost 1.7 module whose object
 * is defined outside them, plus their likely cousins). A real pickle names a class by the module
 * that defines it, so only a crafted file reaches these through sklearn or xgboost: critical.
 */
const DANGEROUS_REEXPORTS = new Set([
  '_LIB', 'LIB', 'CDLL', 'PyDLL', 'WinDLL', 'OleDLL', 'LibraryLoader', 'CFUNCTYPE', 'Popen', 'CalledProcessError',
  'MethodType', 'FunctionType', 'CodeType', 'LambdaType', 'ModuleType', 'Path', 'PosixPath', 'WindowsPath',
  'TemporaryDirectory', 'NamedTemporaryFile', 'TemporaryFile', 'SpooledTemporaryFile', 'GzipFile', 'BZ2File', 'LZMAFile',
  'ZipFile', 'TarFile', 'FileIO', 'Thread', 'Timer', 'Process', 'Pool', 'ThreadPool', 'ThreadPoolExecutor',
  'ProcessPoolExecutor', 'Parallel', 'Memory', 'Pickler', 'Unpickler', 'Request', 'TestCase', 'RabitTracker', 'Client',
  'LocalCluster', 'Listener', 'Connection',
]);
const CLASS_NAME = /^_?[A-Z][A-Za-z0-9_]*$/;
/** Cython's pickle helpers for extension types: __pyx_unpickle_<Class>(type, checksum, state). */
const CYTHON_UNPICKLE = /^__pyx_unpickle_[A-Za-z0-9_]+$/;

const allowExact = new Map<string, string>();
for (const g of ALLOW) for (const m of g.modules) for (const n of g.names) allowExact.set(`${m}\0${n}`, g.why);

function inModule(module: string, rule: string, exact: boolean | undefined): boolean {
  return module === rule || (!exact && module.startsWith(`${rule}.`));
}

function denied(module: string, name: string): DenyRule | null {
  for (const rule of DENY) {
    if (!rule.modules.some((m) => inModule(module, m, rule.exact))) continue;
    if (!rule.names) return rule;
    if (rule.names instanceof RegExp ? rule.names.test(name) : rule.names.includes(name)) return rule;
    // A dotted name (protocol 4 qualified names) is an attribute walk: deny it when any step is a denied name.
    const steps = name.split('.');
    if (steps.length > 1 && steps.some((s) => (rule.names instanceof RegExp ? rule.names.test(s) : rule.names!.includes(s)))) return rule;
  }
  return null;
}

const DUNDER = /^__\w+__$/;

/** Judge one imported name, after Python 2 names were mapped (see pyCompatName). */
export function judgeGlobal(module: string, name: string): GlobalVerdict {
  const deny = denied(module, name);
  if (deny) return { allowed: false, severity: 'critical', why: deny.why };
  const steps = name.split('.');
  // Protocol 4 resolves dotted names attribute by attribute: BaseEstimator.__init__.__globals__
  // reaches a module's globals, __class__/__subclasses__/__builtins__ reach everything.
  if (steps.some((s) => DUNDER.test(s) && !allowExact.has(`${module}\0${name}`))) {
    return { allowed: false, severity: 'critical', why: 'walks special attributes (like __globals__ or __builtins__) to reach arbitrary code' };
  }
  // A dotted name walks attributes, and an attribute can be a module the first one imported:
  // ('sklearn.utils', 'os.system') is os.system when sklearn.utils did `import os`. Judge every
  // stretch of the path as a module and the rest as a name in it.
  if (steps.length > 1) {
    const path = [...module.split('.'), ...steps];
    for (let start = 0; start < path.length - 1; start++) {
      for (let split = start + 1; split < path.length; split++) {
        const m = path.slice(start, split).join('.');
        const n = path.slice(split).join('.');
        const inner = denied(m, n);
        if (inner) return { allowed: false, severity: 'critical', why: `reaches ${m}.${n} through attributes, and that ${inner.why}` };
      }
    }
  }
  const exact = allowExact.get(`${module}\0${name}`);
  if (exact) return { allowed: true, severity: null, why: exact };
  if (steps.length === 1 && CLASS_PACKAGES.some((p) => inModule(module, p, false)) && !module.split('.').includes('tests')) {
    if (DANGEROUS_REEXPORTS.has(name)) {
      return { allowed: false, severity: 'critical', why: `is not a ${module.split('.')[0]} class but something it imports (files, processes or native code)` };
    }
    if (CLASS_NAME.test(name)) return { allowed: true, severity: null, why: `a ${module.split('.')[0]} class` };
    if (module.startsWith('sklearn') && CYTHON_UNPICKLE.test(name)) return { allowed: true, severity: null, why: 'rebuilds a scikit-learn Cython object' };
  }
  return {
    allowed: false,
    severity: 'high',
    why: 'is not on the list of names that scikit-learn, XGBoost, numpy, scipy, pandas and joblib models need',
  };
}

// Python 3 maps Python 2 names when a pickle's protocol is below 3 (Lib/_compat_pickle.py,
// applied by Unpickler.find_class with fix_imports=True, the default). The scanner must judge the
// name the loader will really import, so it applies the same mapping.

const PY2_MODULES: Record<string, string> = {
  __builtin__: 'builtins', copy_reg: 'copyreg', Queue: 'queue', SocketServer: 'socketserver', ConfigParser: 'configparser',
  repr: 'reprlib', tkFileDialog: 'tkinter.filedialog', tkSimpleDialog: 'tkinter.simpledialog', tkColorChooser: 'tkinter.colorchooser',
  tkCommonDialog: 'tkinter.commondialog', Dialog: 'tkinter.dialog', Tkdnd: 'tkinter.dnd', tkFont: 'tkinter.font',
  tkMessageBox: 'tkinter.messagebox', ScrolledText: 'tkinter.scrolledtext', Tkconstants: 'tkinter.constants', Tix: 'tkinter.tix',
  ttk: 'tkinter.ttk', Tkinter: 'tkinter', markupbase: '_markupbase', _winreg: 'winreg', thread: '_thread',
  dummy_thread: '_dummy_thread', dbhash: 'dbm.bsd', dumbdbm: 'dbm.dumb', dbm: 'dbm.ndbm', gdbm: 'dbm.gnu',
  xmlrpclib: 'xmlrpc.client', SimpleXMLRPCServer: 'xmlrpc.server', httplib: 'http.client', htmlentitydefs: 'html.entities',
  HTMLParser: 'html.parser', Cookie: 'http.cookies', cookielib: 'http.cookiejar', BaseHTTPServer: 'http.server',
  'test.test_support': 'test.support', commands: 'subprocess', urlparse: 'urllib.parse', robotparser: 'urllib.robotparser',
  urllib2: 'urllib.request', anydbm: 'dbm', _abcoll: 'collections.abc', cPickle: 'pickle', _elementtree: 'xml.etree.ElementTree',
  FileDialog: 'tkinter.filedialog', SimpleDialog: 'tkinter.simpledialog', DocXMLRPCServer: 'xmlrpc.server',
  SimpleHTTPServer: 'http.server', CGIHTTPServer: 'http.server', UserDict: 'collections', UserList: 'collections',
  UserString: 'collections', whichdb: 'dbm', StringIO: 'io', cStringIO: 'io',
};

const PY2_NAMES: Record<string, [string, string]> = {
  '__builtin__.xrange': ['builtins', 'range'], '__builtin__.reduce': ['functools', 'reduce'], '__builtin__.intern': ['sys', 'intern'],
  '__builtin__.unichr': ['builtins', 'chr'], '__builtin__.unicode': ['builtins', 'str'], '__builtin__.long': ['builtins', 'int'],
  '__builtin__.basestring': ['builtins', 'str'], 'itertools.izip': ['builtins', 'zip'], 'itertools.imap': ['builtins', 'map'],
  'itertools.ifilter': ['builtins', 'filter'], 'itertools.ifilterfalse': ['itertools', 'filterfalse'],
  'itertools.izip_longest': ['itertools', 'zip_longest'], 'UserDict.IterableUserDict': ['collections', 'UserDict'],
  'UserDict.UserDict': ['collections', 'UserDict'], 'UserList.UserList': ['collections', 'UserList'],
  'UserString.UserString': ['collections', 'UserString'], 'whichdb.whichdb': ['dbm', 'whichdb'], '_socket.fromfd': ['socket', 'fromfd'],
  'socket._socketobject': ['socket', 'SocketType'], '_multiprocessing.Connection': ['multiprocessing.connection', 'Connection'],
  'multiprocessing.process.Process': ['multiprocessing.context', 'Process'], 'multiprocessing.forking.Popen': ['multiprocessing.popen_fork', 'Popen'],
  'urllib.ContentTooShortError': ['urllib.error', 'ContentTooShortError'], 'urllib.getproxies': ['urllib.request', 'getproxies'],
  'urllib.pathname2url': ['urllib.request', 'pathname2url'], 'urllib.quote_plus': ['urllib.parse', 'quote_plus'],
  'urllib.quote': ['urllib.parse', 'quote'], 'urllib.unquote_plus': ['urllib.parse', 'unquote_plus'], 'urllib.unquote': ['urllib.parse', 'unquote'],
  'urllib.url2pathname': ['urllib.request', 'url2pathname'], 'urllib.urlcleanup': ['urllib.request', 'urlcleanup'],
  'urllib.urlencode': ['urllib.parse', 'urlencode'], 'urllib.urlopen': ['urllib.request', 'urlopen'],
  'urllib.urlretrieve': ['urllib.request', 'urlretrieve'], 'urllib2.HTTPError': ['urllib.error', 'HTTPError'],
  'urllib2.URLError': ['urllib.error', 'URLError'], 'exceptions.StandardError': ['builtins', 'Exception'],
};
const PY2_EXCEPTIONS_MODULE = 'exceptions';

/** The (module, name) find_class really imports for a pickle at `protocol` (Python 2 names mapped below 3). */
export function pyCompatName(module: string, name: string, protocol: number): [string, string] {
  if (protocol >= 3) return [module, name];
  const pair = PY2_NAMES[`${module}.${name}`];
  if (pair) return pair;
  // Python 2's exceptions module: every exception name maps to builtins.
  if (module === PY2_EXCEPTIONS_MODULE && /^[A-Z]\w*(Error|Exception|Warning|Exit|Interrupt|Iteration)$/.test(name)) return ['builtins', name];
  const renamed = PY2_MODULES[module];
  return renamed ? [renamed, name] : [module, name];
}
