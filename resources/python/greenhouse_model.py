"""Greenhouse's helper inside the analyst's Python: what the environment has, and what a model is.

Runs in THE ANALYST'S interpreter (Python 3.8+), so it imports only the standard library at the top
and whatever the environment has (numpy, pandas, scikit-learn, xgboost, onnx…) where needed.

Usage:
  python greenhouse_model.py env --out OUT.json
  python greenhouse_model.py introspect --model PATH --format pickle|joblib|onnx --input IN.json --out OUT.json

Each command writes ONE JSON document to --out (stdout is never used: libraries print).
Exit 0: the answer is in OUT. Exit 2: a known failure, {"error": {"code", "message", ...}} in OUT.
Anything else (a bug here) exits 1 with the traceback on stderr.

The introspect input: {"columns": [{"name", "kind"}], "target": "col", "rows": [[...]],
"eval": {"rows": [[...]]} | null, "baseline": {"majority": v} | {"mean": x} | null}; kinds are
the dataset profile's (integer, number, text, boolean, date, timestamp, other) and rows are in
column order, target included. Error codes: missing-module (module, fullModule, installed),
load-failed (type), metrics-failed (type), features-mismatch (missing/columns or expected/actual), predict-failed (type),
bad-input. Errors after the model was read carry the partial "introspection" (and "signature").
"""
import argparse
import json
import math
import os
import platform
import re
import sys
import warnings

KIND_DTYPES = {
    "integer": "int64",
    "number": "float64",
    "text": "string",
    "boolean": "bool",
    "date": "datetime",
    "timestamp": "datetime",
    "other": "object",
}

# (name in libraryVersions, import name, distribution name)
LIBRARIES = [
    ("numpy", "numpy", "numpy"),
    ("pandas", "pandas", "pandas"),
    ("scikit-learn", "sklearn", "scikit-learn"),
    ("xgboost", "xgboost", "xgboost"),
    ("joblib", "joblib", "joblib"),
    ("onnx", "onnx", "onnx"),
    ("onnxruntime", "onnxruntime", "onnxruntime"),
]

FRAMEWORKS = {"sklearn": "scikit-learn", "xgboost": "xgboost", "onnx": "onnx"}

# Warnings that say something about the environment's own imports, not about the model.
QUIET_WARNINGS = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)

REPR_LIMIT = 200


class HelperError(Exception):
    """A failure Greenhouse knows how to explain: written to --out, exit 2."""

    def __init__(self, code, message, **extra):
        Exception.__init__(self, message)
        self.code = code
        self.message = message
        self.extra = extra


class _NotScalar(object):
    pass


NOT_SCALAR = _NotScalar()


def write_json(path, doc):
    tmp = path + ".part"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, allow_nan=False, ensure_ascii=False)
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------
# env


def normalize_name(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def python_info():
    return {
        "version": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": sys.executable or "",
        "platform": platform.platform(),
        "machine": platform.machine(),
    }


def command_env(_args):
    from importlib import metadata

    seen = {}
    # distributions() walks sys.path in order: the first of a name is the one that imports.
    for dist in metadata.distributions():
        try:
            name = dist.metadata["Name"]
            version = dist.version
        except Exception:  # broken metadata: nothing to say about it
            continue
        if not name or not version:
            continue
        norm = normalize_name(name)
        if norm not in seen:
            seen[norm] = (version, runtime_requires(dist))
    return {
        "python": python_info(),
        "packages": [{"name": n, "version": seen[n][0], "requires": seen[n][1]} for n in sorted(seen)],
    }


def marker_holds(marker):
    """Whether an environment marker holds here; True when it cannot be evaluated (kept, to be safe)."""
    try:
        from packaging.markers import Marker
    except ImportError:
        try:
            from pip._vendor.packaging.markers import Marker
        except ImportError:
            return True
    try:
        return bool(Marker(marker.strip()).evaluate({"extra": ""}))
    except Exception:
        return True


def runtime_requires(dist):
    """The distributions a distribution needs when installed without extras (names, normalised)."""
    out = []
    for req in dist.requires or []:
        name, _, marker = req.partition(";")
        if "extra" in marker:
            continue  # only with an optional extra
        if marker.strip() and not marker_holds(marker):
            continue  # e.g. a backport for older Pythons
        m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", name)
        if m:
            norm = normalize_name(m.group(1))
            if norm not in out:
                out.append(norm)
    return sorted(out)


# ---------------------------------------------------------------------------------------------
# values


def numpy_or_none():
    try:
        import numpy

        return numpy
    except ImportError:
        return None


def to_scalar(v):
    """A JSON scalar (None, bool, int, finite float, str) for a Python/numpy value, else NOT_SCALAR."""
    np = sys.modules.get("numpy")
    if np is not None and isinstance(v, np.generic):
        v = v.item()
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if type(v).__name__ in ("NaTType", "NAType"):
        return None
    if hasattr(v, "isoformat") and callable(v.isoformat):
        return v.isoformat()
    return NOT_SCALAR


def json_scalar(v):
    s = to_scalar(v)
    return str(v) if s is NOT_SCALAR else s


def is_estimator(v):
    return not isinstance(v, type) and hasattr(v, "get_params") and hasattr(v, "fit")


def describe(v, depth=0):
    """A short, readable repr: estimators by class name, containers shallowly."""
    if is_estimator(v):
        return type(v).__name__
    if depth > 3:
        return "…"
    if isinstance(v, (list, tuple)):
        items = [describe(x, depth + 1) for x in list(v)[:20]]
        if len(v) > 20:
            items.append("…")
        if isinstance(v, tuple):
            return "(%s%s)" % (", ".join(items), "," if len(items) == 1 else "")
        return "[%s]" % ", ".join(items)
    if isinstance(v, dict):
        items = ["%s: %s" % (describe(k, depth + 1), describe(x, depth + 1)) for k, x in list(v.items())[:20]]
        return "{%s}" % ", ".join(items)
    if isinstance(v, str):
        return repr(v)
    if isinstance(v, float) or type(v).__name__.startswith("float"):
        return repr(float(v))
    if callable(v) and hasattr(v, "__name__"):
        return v.__name__
    shape = getattr(v, "shape", None)
    if shape is not None and hasattr(v, "dtype") and getattr(v, "size", 0) > 10:
        return "%s(shape=%s, dtype=%s)" % (type(v).__name__, tuple(shape), v.dtype)
    return repr(v)


def truncate(s, limit=REPR_LIMIT):
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def param_value(v):
    if is_estimator(v):
        return type(v).__name__
    s = to_scalar(v)
    if s is NOT_SCALAR or isinstance(v, (bytes, bytearray)):
        return truncate(describe(v))
    if s is None and v is not None:  # nan, inf
        return repr(float(v))
    return s


def dtype_of_values(values):
    values = [v for v in values if v is not None]
    if not values:
        return "object"
    if all(isinstance(v, bool) for v in values):
        return "bool"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int64"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "float64"
    if all(isinstance(v, str) for v in values):
        return "string"
    return "object"


# ---------------------------------------------------------------------------------------------
# loading


def module_available(name):
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def missing_module_error(e, what):
    full = getattr(e, "name", None)
    if not full:
        m = re.search(r"No module named '([^']+)'", str(e))
        full = m.group(1) if m else str(e)
    top = full.split(".")[0]
    installed = module_available(top) if top != full else False
    return HelperError(
        "missing-module",
        "%s needs the module %s, which this Python cannot import: %s" % (what, full, e),
        module=top,
        fullModule=full,
        installed=installed,
    )


def warning_text(w):
    text = str(w.message)
    category = w.category.__name__
    return text if category in ("UserWarning", "Warning") else "%s: %s" % (category, text)


def load_model(path, fmt):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if fmt == "joblib":
                import joblib

                model = joblib.load(path)
            elif fmt == "pickle":
                import pickle

                with open(path, "rb") as f:
                    model = pickle.load(f)
            elif fmt == "onnx":
                import onnx

                model = onnx.load(path)
            else:
                raise HelperError("bad-input", "Unknown model format %r (pickle, joblib or onnx)." % fmt)
        except ModuleNotFoundError as e:
            raise missing_module_error(e, "The model")
        except HelperError:
            raise
        except Exception as e:
            extra = {}
            if isinstance(e, AttributeError) and "on <module '__main__'" in str(e):
                extra["hint"] = (
                    "The model uses a class or function defined in the notebook or script that saved it (__main__). "
                    "Move it into a module that is installed or importable in this environment, and save the model again."
                )
            raise HelperError("load-failed", "%s: %s" % (type(e).__name__, e), type=type(e).__name__, path=path, **extra)
    found = []
    for w in caught:
        if issubclass(w.category, QUIET_WARNINGS):
            continue
        text = warning_text(w)
        if text not in found:
            found.append(text)
    return model, found


def library_versions():
    versions = {"python": platform.python_version()}
    try:
        from importlib import metadata
    except ImportError:  # pragma: no cover (3.8+ has it)
        metadata = None
    for key, module, dist in LIBRARIES:
        version = None
        loaded = sys.modules.get(module)
        if loaded is not None:
            version = getattr(loaded, "__version__", None)
        if version is None and module_available(module):
            if metadata is not None:
                try:
                    version = metadata.version(dist)
                except Exception:
                    version = None
            if version is None:
                try:
                    version = getattr(__import__(module), "__version__", None)
                except Exception:
                    version = None
        if version:
            versions[key] = str(version)
    return versions


# ---------------------------------------------------------------------------------------------
# introspection of Python estimators


def is_pipeline(est):
    return isinstance(getattr(est, "steps", None), list) and hasattr(est, "named_steps")


def final_estimator(est):
    while is_pipeline(est) and est.steps:
        est = est.steps[-1][1]
    return est


def class_name(step):
    if step is None:
        return "passthrough"
    if isinstance(step, str):
        return step
    return type(step).__name__


def column_names(cols, names_in):
    """A ColumnTransformer's column spec as names, when it can be read."""
    np = sys.modules.get("numpy")
    names = list(names_in) if names_in is not None else None
    if isinstance(cols, str):
        return [cols]
    if isinstance(cols, int) and not isinstance(cols, bool):
        return [str(names[cols]) if names and -len(names) <= cols < len(names) else str(cols)]
    if isinstance(cols, slice):
        if names is None:
            return None
        if all(isinstance(x, (int, type(None))) for x in (cols.start, cols.stop)):
            return [str(n) for n in names[cols]]
        try:
            start = names.index(cols.start) if cols.start is not None else 0
            stop = names.index(cols.stop) + 1 if cols.stop is not None else len(names)
            return [str(n) for n in names[start:stop]]
        except ValueError:
            return None
    if callable(cols):
        return None
    try:
        items = list(cols)
    except TypeError:
        return None
    if np is not None and getattr(cols, "dtype", None) is not None and cols.dtype == bool:
        idx = [i for i, b in enumerate(items) if b]
        return [str(names[i]) if names else str(i) for i in idx]
    if items and all(isinstance(x, bool) for x in items):
        idx = [i for i, b in enumerate(items) if b]
        return [str(names[i]) if names else str(i) for i in idx]
    out = []
    for x in items:
        s = to_scalar(x)
        if isinstance(s, int) and not isinstance(s, bool):
            out.append(str(names[s]) if names and -len(names) <= s < len(names) else str(s))
        else:
            out.append(str(x))
    return out


def walk_steps(est, prefix, out):
    def path_of(name):
        return "%s/%s" % (prefix, name) if prefix else str(name)

    if is_pipeline(est):
        for name, step in est.steps:
            path = path_of(name)
            out.append({"path": path, "className": class_name(step), "columns": None})
            walk_steps(step, path, out)
    elif isinstance(getattr(est, "transformers", None), list):  # ColumnTransformer
        fitted = getattr(est, "transformers_", None)
        items = fitted if isinstance(fitted, list) else est.transformers
        names_in = getattr(est, "feature_names_in_", None)
        for item in items:
            name, trans, cols = item[0], item[1], item[2]
            columns = column_names(cols, names_in)
            if name == "remainder" and (trans == "drop" or columns == []):
                continue
            path = path_of(name)
            out.append({"path": path, "className": class_name(trans), "columns": columns})
            walk_steps(trans, path, out)
    elif isinstance(getattr(est, "transformer_list", None), list):  # FeatureUnion
        for name, trans in est.transformer_list:
            path = path_of(name)
            out.append({"path": path, "className": class_name(trans), "columns": None})
            walk_steps(trans, path, out)


def safe_attr(obj, name):
    try:
        return getattr(obj, name, None)
    except Exception:  # properties of unfitted or partly loaded models may raise anything
        return None


def feature_importances(model, feature_names):
    np = numpy_or_none()
    if np is None:
        return None
    final = final_estimator(model)
    values = safe_attr(final, "feature_importances_")
    if values is None:
        coef = safe_attr(final, "coef_")
        if coef is None:
            return None
        try:
            arr = np.asarray(coef, dtype=float)
        except Exception:
            return None
        if arr.ndim == 1 or (arr.ndim == 2 and arr.shape[0] == 1):
            values = np.abs(arr.ravel())
        else:
            return None
    try:
        values = [float(v) for v in np.asarray(values, dtype=float).ravel()]
    except Exception:
        return None
    if not values or not all(math.isfinite(v) for v in values):
        return None
    names = None
    if is_pipeline(model) and len(model.steps) > 1:
        try:
            names = [str(n) for n in model[:-1].get_feature_names_out()]
        except Exception:
            names = None
        if names is None:
            inner = safe_attr(final, "feature_names_in_")
            names = [str(n) for n in inner] if inner is not None else None
    elif feature_names is not None:
        names = feature_names
    if names is None or len(names) != len(values):
        names = ["x%d" % i for i in range(len(values))]
    return [{"feature": n, "importance": v} for n, v in zip(names, values)]


def estimator_task(model):
    try:
        from sklearn.base import is_classifier, is_regressor

        if is_classifier(model):
            return "classification"
        if is_regressor(model):
            return "regression"
    except ImportError:
        kind = getattr(model, "_estimator_type", None)
        if kind == "classifier":
            return "classification"
        if kind == "regressor":
            return "regression"
    if safe_attr(model, "classes_") is not None or has_predict_proba(model):
        return "classification"
    return "other"


def introspect_estimator(model, warnings_found):
    cls = type(model)
    module = cls.__module__ or ""
    params = {}
    get_params = getattr(model, "get_params", None)
    if callable(get_params):
        try:
            raw = get_params(deep=True)
        except Exception as e:
            raw = {}
            warnings_found.append("get_params failed: %s: %s" % (type(e).__name__, e))
        for k in raw:
            params[str(k)] = param_value(raw[k])
    n = safe_attr(model, "n_features_in_")
    n_features = int(n) if to_scalar(n) is not NOT_SCALAR and n is not None else None
    names = safe_attr(model, "feature_names_in_")
    feature_names = [str(x) for x in names] if names is not None else None
    classes = safe_attr(model, "classes_")
    classes = [json_scalar(c) for c in classes] if classes is not None else None
    steps = []
    walk_steps(model, "", steps)
    return {
        "className": cls.__name__,
        "module": module,
        "framework": FRAMEWORKS.get(module.split(".")[0], "other"),
        "task": estimator_task(model),
        "libraryVersions": library_versions(),
        "params": params,
        "nFeatures": n_features,
        "featureNames": feature_names,
        "classes": classes,
        "steps": steps,
        "featureImportances": feature_importances(model, feature_names),
        "warnings": warnings_found,
    }


# ---------------------------------------------------------------------------------------------
# introspection of ONNX graphs


def onnx_type(t):
    """A readable ONNX type: tensor(float)[?,3], seq(map(int64,tensor(float)))…"""
    import onnx

    which = t.WhichOneof("value")
    if which == "tensor_type":
        elem = onnx.TensorProto.DataType.Name(t.tensor_type.elem_type).lower()
        dims = None
        if t.tensor_type.HasField("shape"):
            dims = []
            for d in t.tensor_type.shape.dim:
                if d.HasField("dim_value"):
                    dims.append(int(d.dim_value))
                else:
                    dims.append(d.dim_param or None)
        return elem, dims, "tensor(%s)%s" % (elem, "" if dims is None else "[%s]" % ",".join("?" if x is None else str(x) for x in dims))
    if which == "sequence_type":
        _, _, inner = onnx_type(t.sequence_type.elem_type)
        return None, None, "seq(%s)" % inner
    if which == "map_type":
        key = onnx.TensorProto.DataType.Name(t.map_type.key_type).lower()
        _, _, inner = onnx_type(t.map_type.value_type)
        return None, None, "map(%s,%s)" % (key, inner)
    return None, None, which or "unknown"


def onnx_graph_info(model):
    g = model.graph
    initializers = set(i.name for i in g.initializer)

    def value(v):
        elem, shape, text = onnx_type(v.type)
        return {"name": v.name, "elemType": elem, "shape": shape, "type": text}

    opset = {}
    for imp in model.opset_import:
        opset[imp.domain or "ai.onnx"] = int(imp.version)
    return {
        "producer": model.producer_name or None,
        "producerVersion": model.producer_version or None,
        "irVersion": int(model.ir_version),
        "opset": opset,
        "graphName": g.name or None,
        "inputs": [value(v) for v in g.input if v.name not in initializers],
        "outputs": [value(v) for v in g.output],
        "nodes": len(g.node),
        "metadata": dict((p.key, p.value) for p in model.metadata_props),
    }


def onnx_classes(model):
    from onnx import helper

    for node in model.graph.node:
        for attr in node.attribute:
            if attr.name in ("classlabels_strings", "classlabels_int64s", "classlabels_ints"):
                values = helper.get_attribute_value(attr)
                if values:
                    return [v.decode("utf-8") if isinstance(v, bytes) else int(v) for v in values]
    return None


def introspect_onnx(model, info, warnings_found):
    import onnx

    try:
        onnx.checker.check_model(model)
    except Exception as e:
        warnings_found.append("onnx.checker: %s" % truncate(str(e), 500))
    ml_ops = [n.op_type for n in model.graph.node if n.op_type.endswith("Classifier") or n.op_type.endswith("Regressor")]
    outputs = info["outputs"]
    if any(op.endswith("Classifier") for op in ml_ops) or (len(outputs) >= 2 and outputs[0]["elemType"] in ("int64", "string", "int32")):
        task = "classification"
    elif ml_ops or (len(outputs) == 1 and (outputs[0]["elemType"] or "").startswith(("float", "double"))):
        task = "regression"
    else:
        task = "other"
    inputs = info["inputs"]
    n_features = None
    feature_names = None
    if len(inputs) == 1:
        shape = inputs[0]["shape"]
        if shape and len(shape) == 2 and isinstance(shape[1], int):
            n_features = shape[1]
    elif len(inputs) > 1:
        n_features = len(inputs)
        feature_names = [v["name"] for v in inputs]
    params = {
        "producer": ("%s %s" % (info["producer"] or "", info["producerVersion"] or "")).strip() or None,
        "irVersion": info["irVersion"],
        "graph": info["graphName"],
        "nodes": info["nodes"],
        "inputs": truncate(", ".join("%s: %s" % (v["name"], v["type"]) for v in inputs)),
        "outputs": truncate(", ".join("%s: %s" % (v["name"], v["type"]) for v in outputs)),
    }
    for domain in sorted(info["opset"]):
        params["opset." + domain] = info["opset"][domain]
    for key in sorted(info["metadata"]):
        params["metadata." + key] = truncate(info["metadata"][key])
    class_name = ml_ops[0] if ml_ops else "ModelProto"
    return {
        "className": class_name,
        "module": "onnx",
        "framework": "onnx",
        "task": task,
        "libraryVersions": library_versions(),
        "params": params,
        "nFeatures": n_features,
        "featureNames": feature_names,
        "classes": onnx_classes(model) if task == "classification" else None,
        "steps": [],
        "featureImportances": None,
        "warnings": warnings_found,
    }


# ---------------------------------------------------------------------------------------------
# signature


def build_signature(intro, columns, target, all_rows, has_proba):
    names = [c["name"] for c in columns]
    kinds = dict((c["name"], c.get("kind") or "other") for c in columns)
    index = dict((n, i) for i, n in enumerate(names))
    if intro["featureNames"] is not None:
        missing = [f for f in intro["featureNames"] if f not in index]
        if missing:
            raise HelperError(
                "features-mismatch",
                "The model expects columns the dataset does not have: %s. The dataset's columns are: %s."
                % (", ".join(missing), ", ".join(names)),
                missing=missing,
                columns=names,
                expected=intro["featureNames"],
            )
        inputs = list(intro["featureNames"])
        source = "model"
    else:
        inputs = [n for n in names if n != target]
        if intro["nFeatures"] is not None and intro["nFeatures"] != len(inputs):
            raise HelperError(
                "features-mismatch",
                "The model expects %d features and the dataset has %d besides the target %s: %s."
                % (intro["nFeatures"], len(inputs), target, ", ".join(inputs)),
                expected=intro["nFeatures"],
                actual=len(inputs),
                columns=names,
            )
        source = "dataset"
    sig_inputs = []
    for name in inputs:
        i = index[name]
        nullable = columns[i].get("nullable") is True or any(i < len(r) and r[i] is None for r in all_rows)
        sig_inputs.append({"name": name, "dtype": KIND_DTYPES.get(kinds[name], "object"), "nullable": nullable})
    outputs = []
    task = intro["task"]
    classes = intro["classes"]
    if task == "classification":
        outputs.append({"name": "label", "kind": "label", "dtype": dtype_of_values(classes or []), "class": None})
        if has_proba and classes:
            for c in classes:
                outputs.append({"name": "proba_%s" % c, "kind": "probability", "dtype": "float64", "class": c})
    elif task == "regression":
        outputs.append({"name": "value", "kind": "value", "dtype": "float64", "class": None})
    return {"inputs": sig_inputs, "outputs": outputs, "inputsFrom": source}


# ---------------------------------------------------------------------------------------------
# data


def to_bool(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        s = v.strip().lower()
        if s in ("true", "t", "yes", "y", "1"):
            return True
        if s in ("false", "f", "no", "n", "0"):
            return False
        raise ValueError("not a boolean: %r" % v)
    return bool(v)


def is_integral(v):
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return True
    if isinstance(v, float):
        return v.is_integer()
    if isinstance(v, str):
        return re.match(r"^\s*[-+]?\d+\s*$", v) is not None
    return False


def column_series(values, kind, nullable):
    """One column as pandas would read it from the file: an integer column with nulls (in these
    rows, or anywhere when the profile says so) is float64, text is object with NaN for nulls…"""
    import numpy as np
    import pandas as pd

    has_null = nullable or any(v is None for v in values)
    try:
        if kind == "integer":
            if has_null or not all(is_integral(v) for v in values):
                return pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
            return pd.Series([int(v) for v in values], dtype="int64")
        if kind == "number":
            return pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
        if kind == "boolean":
            if has_null:
                return pd.Series([np.nan if v is None else to_bool(v) for v in values], dtype=object)
            return pd.Series([to_bool(v) for v in values], dtype="bool")
        if kind in ("date", "timestamp"):
            return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)))
        if kind == "text":
            return pd.Series([np.nan if v is None else v for v in values], dtype=object)
    except (TypeError, ValueError, OverflowError):
        pass
    return pd.Series(values, dtype=object)


def frame(rows, columns, wanted, nullable):
    """The rows as a DataFrame of the wanted columns; `nullable` names the columns that have nulls
    anywhere (golden or evaluation rows, or the profile), so both frames get the same dtypes."""
    import pandas as pd

    names = [c["name"] for c in columns]
    kinds = dict((c["name"], c.get("kind") or "other") for c in columns)
    index = dict((n, i) for i, n in enumerate(names))
    data = {}
    for name in wanted:
        i = index[name]
        data[name] = column_series([r[i] if i < len(r) else None for r in rows], kinds[name], name in nullable)
    return pd.DataFrame(data, columns=list(wanted))


def model_input(df, signature):
    X = df[[i["name"] for i in signature["inputs"]]]
    return X if signature["inputsFrom"] == "model" else X.to_numpy()


def has_predict_proba(model):
    try:
        return callable(getattr(model, "predict_proba", None))
    except Exception:
        return False


# ---------------------------------------------------------------------------------------------
# predictions


class Predictions(object):
    def __init__(self, labels, proba):
        self.labels = labels  # numpy array (1-d)
        self.proba = proba  # numpy 2-d array (rows x classes) or None


def predict_estimator(model, X, with_proba, where):
    import numpy as np

    try:
        labels = np.asarray(model.predict(X))
        if labels.ndim > 1 and labels.shape[1] == 1:
            labels = labels.ravel()
    except Exception as e:
        raise HelperError("predict-failed", "predict failed on %s: %s: %s" % (where, type(e).__name__, e), type=type(e).__name__)
    proba = None
    if with_proba:
        try:
            proba = np.asarray(model.predict_proba(X), dtype=float)
        except (AttributeError, NotImplementedError):
            proba = None
        except Exception as e:
            raise HelperError("predict-failed", "predict_proba failed on %s: %s: %s" % (where, type(e).__name__, e), type=type(e).__name__)
    return Predictions(labels, proba)


def onnx_runner(path, model):
    try:
        import onnxruntime

        session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
        return lambda feeds: session.run(None, feeds)
    except ModuleNotFoundError:
        pass
    try:
        from onnx.reference import ReferenceEvaluator  # onnx >= 1.13
    except ImportError:
        raise HelperError(
            "missing-module",
            "Running an ONNX model needs onnxruntime (or onnx >= 1.13 with onnx.reference), which this Python cannot import.",
            module="onnxruntime",
            fullModule="onnxruntime",
            installed=False,
        )
    evaluator = ReferenceEvaluator(model)
    return lambda feeds: evaluator.run(None, feeds)


ONNX_NUMPY = {
    "float": "float32",
    "double": "float64",
    "float16": "float16",
    "int64": "int64",
    "int32": "int32",
    "int16": "int16",
    "int8": "int8",
    "uint8": "uint8",
    "bool": "bool",
    "string": "object",
}


def predict_onnx(run, info, df, signature, classes, where):
    import numpy as np

    names = [i["name"] for i in signature["inputs"]]
    feeds = {}
    try:
        graph_inputs = info["inputs"]
        if len(graph_inputs) == 1 and signature["inputsFrom"] == "dataset":
            dtype = ONNX_NUMPY.get(graph_inputs[0]["elemType"] or "float", "float32")
            arr = df[names].to_numpy()
            feeds[graph_inputs[0]["name"]] = arr.astype(str).astype(object) if dtype == "object" else arr.astype(dtype)
        else:
            for gi in graph_inputs:
                dtype = ONNX_NUMPY.get(gi["elemType"] or "float", "float32")
                col = df[gi["name"]].to_numpy().reshape(-1, 1)
                feeds[gi["name"]] = col.astype(str).astype(object) if dtype == "object" else col.astype(dtype)
        outs = run(feeds)
    except HelperError:
        raise
    except Exception as e:
        raise HelperError("predict-failed", "The ONNX model failed on %s: %s: %s" % (where, type(e).__name__, e), type=type(e).__name__)
    labels = np.asarray(outs[0]).ravel() if outs else np.asarray([])
    proba = None
    if len(outs) > 1 and classes:
        second = outs[1]
        if isinstance(second, list) and second and isinstance(second[0], dict):
            proba = np.asarray([[float(d.get(c, 0.0)) for c in classes] for d in second], dtype=float)
        else:
            arr = np.asarray(second, dtype=float)
            if arr.ndim == 2 and arr.shape[1] == len(classes):
                proba = arr
    return Predictions(labels, proba)


# ---------------------------------------------------------------------------------------------
# metrics


def coerce_labels(values, classes):
    """Target values as the model's classes (1 → 1.0, "1" → 1 when the classes are ints…)."""
    if not classes:
        return list(values)
    exact = {}
    by_text = {}
    for c in classes:
        exact.setdefault((type(c) is bool, c), c)
        by_text.setdefault(str(c), c)
    out = []
    for v in values:
        key = (type(v) is bool, v)
        if key in exact:
            out.append(exact[key])
        else:
            out.append(by_text.get(str(v), v))
    return out


def finite_values(values):
    return dict((k, float(v)) for k, v in values.items() if v is not None and math.isfinite(float(v)))


def classification_metrics(y, pred, proba, classes, notes, label):
    import numpy as np
    from sklearn import metrics as M

    values = {}
    values["accuracy"] = M.accuracy_score(y, pred)
    try:
        if classes is not None and len(classes) == 2:
            values["f1"] = M.f1_score(y, pred, pos_label=classes[1], average="binary")
        else:
            values["f1"] = M.f1_score(y, pred, average="macro")
    except ValueError as e:
        notes.append("%s: f1 not computed: %s" % (label, e))
    if proba is not None and classes:
        present = set(np.unique(y).tolist())
        if len(present) < 2:
            notes.append("%s: roc_auc not computed: only one class in the evaluation data" % label)
        else:
            try:
                if len(classes) == 2:
                    values["roc_auc"] = M.roc_auc_score((y == classes[1]).astype(int), proba[:, 1])
                else:
                    values["roc_auc"] = M.roc_auc_score(y, proba, multi_class="ovr", average="macro", labels=np.asarray(classes))
            except ValueError as e:
                notes.append("%s: roc_auc not computed: %s" % (label, e))
    return finite_values(values)


def regression_metrics(y, pred, notes, label):
    from sklearn import metrics as M

    values = {"rmse": math.sqrt(M.mean_squared_error(y, pred)), "mae": M.mean_absolute_error(y, pred)}
    if len(y) >= 2:
        values["r2"] = M.r2_score(y, pred)
    else:
        notes.append("%s: r2 not computed: fewer than two rows" % label)
    return finite_values(values)


def compute_metrics(predictor, model_proba, intro, signature, columns, target, rows, baseline, notes):
    import numpy as np
    import pandas as pd

    names = [c["name"] for c in columns]
    if target not in names:
        raise HelperError("bad-input", "The target column %s is not among the columns %s." % (target, ", ".join(names)))
    ti = names.index(target)
    rows = [r for r in rows if ti < len(r) and r[ti] is not None]
    if not rows:
        notes.append("metrics: no evaluation row has a value in %s" % target)
        return {"rows": 0, "values": {}, "baseline": None}
    wanted = [i["name"] for i in signature["inputs"]]
    nullable = set(i["name"] for i in signature["inputs"] if i["nullable"])
    df = frame(rows, columns, wanted, nullable)
    preds = predictor(df, "the evaluation data")
    task = intro["task"]
    raw_target = [r[ti] for r in rows]
    n = len(rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if task == "classification":
            classes = intro["classes"]
            y = np.asarray(coerce_labels(raw_target, classes))
            pred = preds.labels
            proba = preds.proba if model_proba else None
            values = classification_metrics(y, pred, proba, classes, notes, "metrics")
            base = None
            if baseline and baseline.get("majority") is not None:
                majority = coerce_labels([baseline["majority"]], classes)[0]
                const = np.asarray([majority] * n)
                const_proba = None
                if proba is not None and classes and majority in classes:
                    const_proba = np.zeros((n, len(classes)), dtype=float)
                    const_proba[:, classes.index(majority)] = 1.0
                base = {"strategy": "majority", "values": classification_metrics(y, const, const_proba, classes, notes, "baseline")}
            return {"rows": n, "values": values, "baseline": base}
        if task == "regression":
            y = pd.to_numeric(pd.Series(raw_target, dtype=object), errors="coerce").to_numpy(dtype=float)
            pred = np.asarray(preds.labels, dtype=float)
            ok = np.isfinite(y) & np.isfinite(pred)
            if not ok.all():
                notes.append("metrics: %d rows without a numeric target or prediction were left out" % int((~ok).sum()))
            y, pred = y[ok], pred[ok]
            if len(y) == 0:
                return {"rows": 0, "values": {}, "baseline": None}
            values = regression_metrics(y, pred, notes, "metrics")
            base = None
            if baseline and baseline.get("mean") is not None:
                const = np.full(len(y), float(baseline["mean"]))
                base = {"strategy": "mean", "values": regression_metrics(y, const, notes, "baseline")}
            return {"rows": int(len(y)), "values": values, "baseline": base}
    notes.append("metrics: not computed for a model that is neither a classifier nor a regressor")
    return {"rows": n, "values": {}, "baseline": None}


# ---------------------------------------------------------------------------------------------
# introspect


def read_request(path):
    with open(path, "r", encoding="utf-8") as f:
        req = json.load(f)
    columns = req.get("columns")
    if not isinstance(columns, list) or not all(isinstance(c, dict) and isinstance(c.get("name"), str) for c in columns):
        raise HelperError("bad-input", "The request's columns must be a list of {name, kind}.")
    if not isinstance(req.get("target"), str):
        raise HelperError("bad-input", "The request has no target column.")
    for key in ("rows",):
        if not isinstance(req.get(key), list):
            raise HelperError("bad-input", "The request's %s must be a list of rows." % key)
    ev = req.get("eval")
    if ev is not None and not isinstance(ev.get("rows"), list):
        raise HelperError("bad-input", "The request's eval.rows must be a list of rows.")
    width = len(columns)
    for r in req["rows"] + (ev["rows"] if ev else []):
        if not isinstance(r, list) or len(r) != width:
            raise HelperError("bad-input", "Every row must have %d values, one per column." % width)
    return req


def command_introspect(args):
    req = read_request(args.input)
    columns, target, rows = req["columns"], req["target"], req["rows"]
    eval_rows = req["eval"]["rows"] if req.get("eval") else None
    baseline = req.get("baseline") or None
    model, load_warnings = load_model(args.model, args.format)

    onnx_info = None
    partial = {}
    try:
        if args.format == "onnx":
            onnx_info = onnx_graph_info(model)
            intro = introspect_onnx(model, onnx_info, load_warnings)
            with_proba = intro["task"] == "classification" and bool(intro["classes"]) and len(onnx_info["outputs"]) > 1
        else:
            intro = introspect_estimator(model, load_warnings)
            with_proba = intro["task"] == "classification" and has_predict_proba(model)
        partial["introspection"] = intro
        signature = build_signature(intro, columns, target, rows + (eval_rows or []), with_proba)
        partial["signature"] = signature
        wanted = [i["name"] for i in signature["inputs"]]

        if args.format == "onnx":
            run = onnx_runner(args.model, model) if (rows or eval_rows) else None

            def predictor(df, where):
                return predict_onnx(run, onnx_info, df, signature, intro["classes"], where)
        else:

            def predictor(df, where):
                return predict_estimator(model, model_input(df, signature), with_proba, where)

        predictions, probabilities = [], None
        if rows:
            nullable = set(i["name"] for i in signature["inputs"] if i["nullable"])
            golden = predictor(frame(rows, columns, wanted, nullable), "the golden sample")
            predictions = [json_scalar(v) for v in golden.labels.tolist()]
            if golden.proba is not None:
                probabilities = [[float(p) for p in row] for row in golden.proba.tolist()]
        elif with_proba:
            probabilities = []
        if intro["classes"] is None and intro["task"] == "classification" and predictions:
            # A classifier without classes_: the label's type from what it predicted.
            signature["outputs"][0]["dtype"] = dtype_of_values(predictions)

        notes = []
        metrics = None
        if eval_rows is not None:
            try:
                metrics = compute_metrics(predictor, with_proba, intro, signature, columns, target, eval_rows, baseline, notes)
            except HelperError:
                raise
            except Exception as e:  # scoring, not the model, failed: say so
                raise HelperError("metrics-failed", "%s: %s" % (type(e).__name__, e), type=type(e).__name__)
    except HelperError as e:
        for key, value in partial.items():
            e.extra.setdefault(key, value)
        if onnx_info is not None:
            e.extra.setdefault("onnx", onnx_info)
        raise

    return {
        "introspection": intro,
        "signature": signature,
        "golden": {
            "predictions": predictions,
            "probabilities": probabilities,
            "classes": intro["classes"],
            "libraryVersions": intro["libraryVersions"],
        },
        "metrics": metrics,
        "onnx": onnx_info,
        "notes": notes,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(prog="greenhouse_model.py", description="Greenhouse's helper in the analyst's Python.")
    sub = parser.add_subparsers(dest="command")
    env = sub.add_parser("env", help="the interpreter and its installed distributions")
    env.add_argument("--out", required=True)
    intro = sub.add_parser("introspect", help="load a model and describe it, with predictions and metrics")
    intro.add_argument("--model", required=True)
    intro.add_argument("--format", required=True, choices=["pickle", "joblib", "onnx"])
    intro.add_argument("--input", required=True)
    intro.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.error("a command is required: env or introspect")
    try:
        doc = command_env(args) if args.command == "env" else command_introspect(args)
    except HelperError as e:
        error = dict(e.extra)
        error.update({"code": e.code, "message": e.message})
        write_json(args.out, {"error": error})
        return 2
    write_json(args.out, doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
