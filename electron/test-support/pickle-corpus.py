#!/usr/bin/env python3
"""Builds the test corpus for electron/services/models/scan/pickle-scan.test.ts.

Usage: pickle-corpus.py OUT_DIR [--big]

Writes benign models (scikit-learn, XGBoost, pandas) in every pickle protocol and every joblib
compression, malicious payloads in the same containers, a tiny ONNX model, and (with --big) large
joblib files for the cancellation tests. OUT_DIR/manifest.json lists every file with what the
scan must say about it.

Nothing here is ever unpickled: the payloads are built with stand-in objects (G, R below) and
written with the pure-Python pickler, so not even the stand-ins' callables are run.
"""
import json
import os
import pickle
import sys
import warnings

import numpy as np

warnings.filterwarnings('ignore')

OUT = sys.argv[1]
BIG = '--big' in sys.argv[2:]
manifest = []

try:
    import lz4.frame  # noqa: F401  (joblib needs it for compress='lz4')
    HAVE_LZ4 = True
except ImportError:
    HAVE_LZ4 = False

JOBLIB_COMPRESSIONS = [
    ('none', 0, None),
    ('zlib', 3, 'zlib'),
    ('gzip', ('gzip', 3), 'gzip'),
    ('bz2', ('bz2', 3), 'bz2'),
    ('xz', ('xz', 3), 'xz'),
    ('lzma', ('lzma', 3), 'lzma'),
] + ([('lz4', ('lz4', 3), 'lz4')] if HAVE_LZ4 else [])


def record(path, **info):
    manifest.append({'path': os.path.relpath(path, OUT), **info})


# --- stand-ins for malicious payloads -------------------------------------------------------

class G:
    """Pickles as a reference to module.name without importing or resolving it."""

    def __init__(self, module, name):
        self.module, self.name = module, name

    def __call__(self, *args):
        raise RuntimeError('a stand-in is never called')


class R:
    """An object whose unpickling would call fn(*args) (a classic __reduce__ payload)."""

    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return (self.fn, self.args)

    def __call__(self, *args):
        raise RuntimeError('a stand-in is never called')


_original_save_global = pickle._Pickler.save_global


def _save_global(self, obj, name=None):
    if isinstance(obj, G):
        if self.proto >= 4:
            self.save(obj.module)
            self.save(obj.name)
            self.write(pickle.STACK_GLOBAL)
        else:
            self.write(pickle.GLOBAL + obj.module.encode() + b'\n' + obj.name.encode() + b'\n')
        self.memoize(obj)
        return
    return _original_save_global(self, obj, name)


def _reducer_override(self, obj):
    return 'stand-in' if isinstance(obj, G) else NotImplemented


# joblib's NumpyPickler derives from pickle._Pickler, so this reaches joblib.dump too.
pickle._Pickler.save_global = _save_global
pickle._Pickler.reducer_override = _reducer_override


def dump_pure(obj, path, protocol):
    with open(path, 'wb') as f:
        pickle._Pickler(f, protocol=protocol).dump(obj)


# --- benign models ----------------------------------------------------------------------------

def benign_models():
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import GradientBoostingRegressor, HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeRegressor
    from xgboost import XGBClassifier

    rng = np.random.RandomState(0)
    X = rng.rand(60, 4)
    y = (X[:, 0] + X[:, 1] > 1).astype(int)
    yr = X @ np.array([1.0, 2.0, -1.0, 0.5])

    df = pd.DataFrame({
        'age': rng.randint(18, 90, 60),
        'income': rng.rand(60) * 1e5,
        'city': rng.choice(['paris', 'lyon', 'nice'], 60),
        'plan': rng.choice(['free', 'pro'], 60),
    })
    ydf = (df['income'] > 5e4).astype(int)
    pipe = Pipeline([
        ('preprocess', ColumnTransformer([
            ('num', StandardScaler(), ['age', 'income']),
            ('cat', OneHotEncoder(handle_unknown='ignore'), ['city', 'plan']),
        ])),
        ('model', LogisticRegression()),
    ]).fit(df, ydf)

    core = {
        'logreg': (LogisticRegression().fit(X, y), 'sklearn.linear_model._logistic', 'LogisticRegression'),
        'forest': (RandomForestClassifier(n_estimators=4, max_depth=3, random_state=0).fit(X, y),
                   'sklearn.ensemble._forest', 'RandomForestClassifier'),
        'gbr': (GradientBoostingRegressor(n_estimators=5, random_state=0).fit(X, yr),
                'sklearn.ensemble._gb', 'GradientBoostingRegressor'),
        'pipeline': (pipe, 'sklearn.pipeline', 'Pipeline'),
        'xgb': (XGBClassifier(n_estimators=3, max_depth=2).fit(X, y), 'xgboost.sklearn', 'XGBClassifier'),
    }
    extra = {
        'hgb': (HistGradientBoostingClassifier(max_iter=3).fit(X, y),
                'sklearn.ensemble._hist_gradient_boosting.gradient_boosting', 'HistGradientBoostingClassifier'),
        'svc': (SVC(probability=True, random_state=0).fit(X, y), 'sklearn.svm._classes', 'SVC'),
        'knn': (KNeighborsClassifier(algorithm='kd_tree').fit(X, y), 'sklearn.neighbors._classification', 'KNeighborsClassifier'),
        'tree': (DecisionTreeRegressor(max_depth=3).fit(X, yr), 'sklearn.tree._classes', 'DecisionTreeRegressor'),
        'impute': (Pipeline([('impute', SimpleImputer()), ('log', FunctionTransformer(np.log1p)),
                             ('ridge', Ridge())]).fit(X, yr), 'sklearn.pipeline', 'Pipeline'),
        'with-frame': ({'model': LogisticRegression().fit(X, y), 'sample': df.head(5)},
                       'pandas.core.frame', 'DataFrame'),
    }
    return core, extra


def write_benign():
    os.makedirs(os.path.join(OUT, 'benign'), exist_ok=True)
    import joblib
    core, extra = benign_models()
    for name, (model, module, cls) in core.items():
        for proto in range(6):
            path = os.path.join(OUT, 'benign', f'{name}-p{proto}.pkl')
            with open(path, 'wb') as f:
                pickle.dump(model, f, protocol=proto)
            record(path, group='benign', model=name, protocol=proto, compression=None, expectGlobal=[module, cls])
        for label, compress, compression in JOBLIB_COMPRESSIONS:
            path = os.path.join(OUT, 'benign', f'{name}-{label}.joblib')
            joblib.dump(model, path, compress=compress)
            record(path, group='benign', model=name, protocol=None, compression=compression, expectGlobal=[module, cls])
    for name, (model, module, cls) in extra.items():
        for proto in (2, 4, 5):
            path = os.path.join(OUT, 'benign', f'{name}-p{proto}.pkl')
            with open(path, 'wb') as f:
                pickle.dump(model, f, protocol=proto)
            record(path, group='benign', model=name, protocol=proto, compression=None, expectGlobal=[module, cls])
        for label, compress, compression in JOBLIB_COMPRESSIONS[:2]:
            path = os.path.join(OUT, 'benign', f'{name}-{label}.joblib')
            joblib.dump(model, path, compress=compress)
            record(path, group='benign', model=name, protocol=None, compression=compression, expectGlobal=[module, cls])


# --- malicious payloads -----------------------------------------------------------------------

def payloads():
    import builtins
    import codeop
    import functools
    import importlib
    import marshal
    import operator
    import os as os_module
    import posix
    import subprocess

    code = compile('import os; os.system("echo pwned")', '<payload>', 'exec')
    inner = pickle.dumps(R(os_module.system, 'echo inner payload'), protocol=4)
    # name: (object, [every (module, name) that must be reported critical])
    return {
        'os-system': (R(os_module.system, 'echo pwned'), [('posix', 'system')]),  # os.system pickles as posix.system
        'os-system-named': (R(G('os', 'system'), 'echo pwned'), [('os', 'system')]),
        'posix-system': (R(posix.system, 'echo pwned'), [('posix', 'system')]),
        'subprocess-popen': (R(subprocess.Popen, ['echo', 'pwned']), [('subprocess', 'Popen')]),
        'subprocess-check-output': (R(subprocess.check_output, ['echo', 'pwned']), [('subprocess', 'check_output')]),
        'eval': (R(builtins.eval, '__import__("os").system("echo pwned")'), [('builtins', 'eval')]),
        'exec': (R(builtins.exec, 'import os; os.system("echo pwned")'), [('builtins', 'exec')]),
        'compile': (R(builtins.compile, 'print(1)', '<x>', 'exec'), [('builtins', 'compile')]),
        'import': (R(builtins.__import__, 'os'), [('builtins', '__import__')]),
        'getattr': (R(R(builtins.getattr, R(builtins.__import__, 'os'), 'system'), 'echo pwned'),
                    [('builtins', 'getattr'), ('builtins', '__import__')]),
        'marshal-function': (R(R(G('types', 'FunctionType'), R(marshal.loads, marshal.dumps(code)), {})),
                             [('marshal', 'loads'), ('types', 'FunctionType')]),
        'code-type': (R(G('types', 'CodeType'), 0, 0), [('types', 'CodeType')]),
        'methodcaller': (operator.methodcaller('system', 'echo pwned'), [('operator', 'methodcaller')]),
        'attrgetter': (operator.attrgetter('system'), [('operator', 'attrgetter')]),
        'partial': (R(functools.partial(os_module.system, 'echo pwned')), [('functools', 'partial'), ('posix', 'system')]),
        'import-module': (R(importlib.import_module, 'os'), [('importlib', 'import_module')]),
        'compile-command': (R(codeop.compile_command, 'import os'), [('codeop', 'compile_command')]),
        'pickle-loads': (R(pickle.loads, inner), [('_pickle', 'loads')]),
    }


def write_malicious():
    os.makedirs(os.path.join(OUT, 'malicious'), exist_ok=True)
    import joblib
    from sklearn.linear_model import LogisticRegression

    all_payloads = payloads()
    few = {'os-system', 'eval', 'pickle-loads', 'marshal-function'}
    for name, (obj, expected) in all_payloads.items():
        embedded = [['posix', 'system']] if name == 'pickle-loads' else []
        for proto in range(6):
            path = os.path.join(OUT, 'malicious', f'{name}-p{proto}.pkl')
            dump_pure(obj, path, proto)
            # Below protocol 3, Python writes Python 2 names: _pickle.loads becomes pickle.loads.
            names = [('pickle', n) if (m == '_pickle' and proto < 3) else (m, n) for m, n in expected]
            record(path, group='malicious', payload=name, protocol=proto, compression=None,
                   expectCritical=[list(e) for e in names], expectEmbedded=embedded)
        for label, compress, compression in JOBLIB_COMPRESSIONS:
            if label not in ('none', 'zlib', 'gzip') and name not in few:
                continue
            path = os.path.join(OUT, 'malicious', f'{name}-{label}.joblib')
            # Wrapped with a real model, as it would be in the wild.
            joblib.dump({'model': LogisticRegression(), 'payload': obj}, path, compress=compress)
            record(path, group='malicious', payload=name, protocol=None, compression=compression,
                   expectCritical=[list(e) for e in expected], expectEmbedded=embedded)

    # A payload inside an object-dtype array: joblib writes it as a nested pickle after the
    # NumpyArrayWrapper, outside the main opcode stream.
    import os as os_module
    rng = np.random.RandomState(0)
    X = rng.rand(20, 2)
    model = LogisticRegression().fit(X, (X[:, 0] > .5).astype(int))
    hidden = np.empty(3, dtype=object)
    hidden[0], hidden[1], hidden[2] = 'a', R(os_module.system, 'echo from array'), 3
    for label, compress, compression in JOBLIB_COMPRESSIONS[:3]:
        path = os.path.join(OUT, 'malicious', f'object-array-{label}.joblib')
        joblib.dump({'model': model, 'classes': hidden}, path, compress=compress)
        record(path, group='malicious', payload='object-array', protocol=None, compression=compression,
               expectCritical=[['posix', 'system']], expectEmbedded=[])


# --- ONNX ---------------------------------------------------------------------------------------

def write_onnx():
    from onnx import TensorProto, helper
    os.makedirs(os.path.join(OUT, 'onnx'), exist_ok=True)
    node = helper.make_node('Add', ['x', 'y'], ['z'])
    graph = helper.make_graph(
        [node], 'tiny',
        [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 2]),
         helper.make_tensor_value_info('y', TensorProto.FLOAT, [1, 2])],
        [helper.make_tensor_value_info('z', TensorProto.FLOAT, [1, 2])],
    )
    model = helper.make_model(graph, producer_name='greenhouse-test', producer_version='0.1')
    for name in ('tiny.onnx', 'tiny-no-extension.bin'):
        path = os.path.join(OUT, 'onnx', name)
        with open(path, 'wb') as f:
            f.write(model.SerializeToString())
        record(path, group='onnx')


# --- large files for cancellation -----------------------------------------------------------

def write_big():
    import joblib
    os.makedirs(os.path.join(OUT, 'big'), exist_ok=True)
    path = os.path.join(OUT, 'big', 'zeros-64mb.joblib')
    joblib.dump({'weights': np.zeros((4000, 2000))}, path)
    record(path, group='big', compression=None)
    path = os.path.join(OUT, 'big', 'random-8mb-bz2.joblib')
    joblib.dump({'weights': np.random.RandomState(0).randint(0, 255, 8_000_000).astype(np.uint8)}, path, compress=('bz2', 1))
    record(path, group='big', compression='bz2')


if __name__ == '__main__':
    import sklearn
    write_benign()
    write_malicious()
    write_onnx()
    if BIG:
        write_big()
    with open(os.path.join(OUT, 'manifest.json'), 'w') as f:
        json.dump({'sklearn': sklearn.__version__, 'lz4': HAVE_LZ4, 'files': manifest}, f, indent=1)
