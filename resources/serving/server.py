#!/usr/bin/env python3
"""Greenhouse's serving app: one model behind the Open Inference Protocol (KServe / MLServer "V2").

Started from the bundle root as ``python3 app/server.py``. It reads ``model/metadata.json``
(ServingMetadata: name, version, format, modelFile, task, classes, signature, createdAt, sha256),
loads the model once, in a thread after the port is open (live at once, ready once loaded; a model
that cannot load is logged and the process exits 1), and serves it over HTTP/1.1 with keep-alive
and pipelining from one thread and one selector: each connection's bytes are gathered until a
whole request is in, then it is answered (http.server's request parsing, then App.handle), so
requests are answered one at a time, in the order they became complete, and a slow client holds
only its own buffer. Standard library plus numpy/pandas (and joblib, or onnxruntime for ONNX).

Input path: a request's validated columns become the DataFrame to_frame builds, typed as pandas read
the training file. When every input is numeric, the same values can go to the model as the array
np.asarray of that DataFrame would be (to_array: same dtype and memory layout), which skips pandas
and scikit-learn's checks of a DataFrame (about 0.5 ms a call): for models fitted on an array, and
for scikit-learn's own estimators and numeric transformers (alone or in a Pipeline) fitted on a
DataFrame. At start the app compares both paths on the golden rows, as a batch and row by row, and
uses the array only when labels and probabilities are the same bit for bit (log event "input_path";
GREENHOUSE_ARRAY_INPUT=off keeps the DataFrame).

Endpoints
---------
GET  /v2                              {"name": "greenhouse-serving", "version": "...", "extensions": []}
GET  /v2/health/live                  200 {"live": true}
GET  /v2/health/ready                 200 {"ready": true} | 503 {"ready": false, "reason": "..."}
GET  /v2/models/{name}[/versions/{v}]/ready   same as /v2/health/ready for this model
GET  /v2/models/{name}[/versions/{v}] model metadata:
     {"name", "versions": ["3"], "platform": <framework>,
      "inputs":  [{"name": <column>, "datatype": "INT64"|"FP64"|"BOOL"|"BYTES", "shape": [-1],
                   "parameters": {"dtype": <signature dtype>, "nullable": bool}}, ...],
      "outputs": [{"name": "label"|"value", "datatype", "shape": [-1]},
                  {"name": "probabilities", "datatype": "FP64", "shape": [-1, k],
                   "parameters": {"classes": [...]}}            (classifiers with predict_proba),
      "parameters": {"content_type": "pd", "task", "framework", "class_name", "format", "sha256",
                     "created_at", "classes", "max_rows"}}
POST /v2/models/{name}[/versions/{v}]/infer     (Content-Type: application/json)
     request:  {"id"?: str, "inputs": [tensor, ...], "outputs"?: [{"name": ...}], "parameters"?: {}}
       either one tensor per signature column, named as the column (MLServer's pandas codec):
         {"name": "age", "datatype": "INT64", "shape": [n] or [n, 1], "data": [...]}
       or one two-dimensional tensor, any name, columns in signature order:
         {"name": "input", "datatype": "BYTES"|"FP64"|..., "shape": [n, n_features], "data": row-major
          flat (nested rows are accepted too)}
       a tensor's data are JSON values: numbers, true/false, text; null where the column is nullable.
     response: {"model_name", "model_version": "3", "id": <request "id", else the request id>,
                "parameters": {"request_id"},
                "outputs": [
                  {"name": "label", "datatype": INT64|BYTES|BOOL|FP64 (from the classes), "shape": [n],
                   "data": [label per row]}                          (classifiers), or
                  {"name": "value", "datatype": "FP64", "shape": [n], "data": [value per row]} (regressors),
                  {"name": "probabilities", "datatype": "FP64", "shape": [n, k],
                   "data": row-major flat, row i's class j at i*k + j (classes in "parameters.classes"
                   and in metadata order), "parameters": {"classes": [...]}}  (classifiers with
                   predict_proba)]}
       a non-finite output is sent as null (and counted in greenhouse_nonfinite_outputs_total).
       "outputs" in the request selects among label|value|probabilities.
POST /predict                         (Content-Type: application/json)
     request:  {"records": [{column: value, ...}, ...], "id"?: str}  or a bare [{...}, ...]
     response: {"predictions": [...], "probabilities": [[...] per row] | null,
                "classes": [...] | null, "id": <request id>, "model_name", "model_version"}
GET  /metrics                         Prometheus text exposition format 0.0.4 (see Metrics.render)

Errors are JSON: {"error": "<message naming the column, row or limit>", "kind": <kind>,
"violations": [{"kind", "column", "row", "message"}, ...] (up to 50), "violationCount": n,
"id": <request id>}. Bad input is never a 5xx:
  400 malformed_json | bad_request (not the expected structure, a tensor whose shape and data disagree)
  404 unknown path, model or version; 405 wrong method (with Allow); 411 no Content-Length
  413 body_too_large (GREENHOUSE_MAX_BODY_BYTES) | too_many_rows (GREENHOUSE_MAX_ROWS)
  415 unsupported_media_type (not application/json)
  422 missing_column | unknown_column | wrong_type | null_value | empty_batch | bad_shape
      | rejected_by_model (the model raised ValueError on values that passed the signature,
      e.g. a category it never saw)
  500 model_failure (the model raised anything else), internal; 503 the model is not ready.

Every response carries X-Request-Id: the request's X-Request-Id header when it is sane (printable,
at most 128 characters), else the body's "id", else a new uuid4 hex.

Environment: PORT (8080), HOST (0.0.0.0), GREENHOUSE_BUNDLE_DIR (else the working directory when it
holds model/metadata.json, else this file's parent folder), GREENHOUSE_MAX_ROWS (10000),
GREENHOUSE_MAX_BODY_BYTES (33554432), GREENHOUSE_PREDICTION_LOG
(/var/log/greenhouse/predictions.jsonl; "" or "off" disables it; an unwritable path disables it with
one warning), GREENHOUSE_LOG_SAMPLE (0..1, default 1: the share of records logged),
GREENHOUSE_LOG_LEVEL (debug|info|warning|error, default info; health checks and scrapes are logged
at debug), GREENHOUSE_REQUEST_TIMEOUT (seconds a connection may idle or stall, 30),
GREENHOUSE_SHUTDOWN_TIMEOUT (seconds in-flight requests get after SIGTERM, 25),
GREENHOUSE_ARRAY_INPUT (auto|off, default auto: see "Input path").

Logs: one JSON object per line on stdout ({"time", "level", "event", ...}; "event": "request" for
the access log). The prediction log is JSON Lines, one line per (sampled) record:
{"time", "request_id", "model", "version", "endpoint", "row", "inputs": {column: value},
 "prediction", "probabilities": [...] | null}; app/drift.py reads it as a batch. The lines of the
requests answered in one round of the loop are written together (one write per log), before their
answers are sent.

SIGTERM/SIGINT: readiness turns 503, the listener closes, idle keep-alive connections are closed,
requests already on their way (partly received) are answered, with Connection: close, then the
process exits 0 (a second signal exits at once, code 1).

Importable without side effects: tests use load_metadata, ServingModel, parse_records, parse_v2,
to_frame, App (App.handle serves one request without a socket) and RequestError.
"""

import datetime
import email.utils
import io
import json
import math
import os
import random
import re
import selectors
import signal
import socket
import sys
import threading
import time
import traceback
import uuid
import warnings
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote, urlsplit

SERVER_NAME = "greenhouse-serving"
SERVER_VERSION = "1.0.0"

METADATA_FILE = os.path.join("model", "metadata.json")
GOLDEN_FILE = os.path.join("model", "golden.json")

DEFAULTS = {
    "PORT": 8080,
    "HOST": "0.0.0.0",
    "GREENHOUSE_MAX_ROWS": 10000,
    "GREENHOUSE_MAX_BODY_BYTES": 32 * 1024 * 1024,
    "GREENHOUSE_PREDICTION_LOG": "/var/log/greenhouse/predictions.jsonl",
    "GREENHOUSE_LOG_SAMPLE": 1.0,
    "GREENHOUSE_LOG_LEVEL": "info",
    "GREENHOUSE_REQUEST_TIMEOUT": 30.0,
    "GREENHOUSE_SHUTDOWN_TIMEOUT": 25.0,
}

# Signature dtype -> V2 datatype of its tensor.
DTYPE_V2 = {"int64": "INT64", "float64": "FP64", "bool": "BOOL", "string": "BYTES", "datetime": "BYTES", "object": "BYTES"}
V2_INTEGER = ("INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64")
V2_FLOAT = ("FP16", "FP32", "FP64")
V2_DATATYPES = ("BOOL",) + V2_INTEGER + V2_FLOAT + ("BYTES",)
# Which declared tensor datatypes a column of each dtype accepts (the values are checked anyway).
DTYPE_ACCEPTS = {
    "int64": V2_INTEGER + V2_FLOAT,
    "float64": V2_INTEGER + V2_FLOAT,
    "bool": ("BOOL",),
    "string": ("BYTES",),
    "datetime": ("BYTES",),
    "object": V2_DATATYPES,
}
EXPECTED = {
    "int64": "an integer (int64)",
    "float64": "a number (float64)",
    "bool": "true or false (bool)",
    "string": "a text value (string)",
    "datetime": "an ISO 8601 date or date-time text (datetime)",
    "object": "a text, number or boolean value",
}

# Violation kinds: the "kind" of an error response and the label of the schema-violation metric.
SCHEMA_KINDS = ("missing_column", "unknown_column", "wrong_type", "null_value", "empty_batch", "too_many_rows", "bad_shape")
MAX_VIOLATIONS = 50
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
REQUEST_ID = re.compile(r"^[\x21-\x7e]{1,128}$")
MISSING = object()  # a column a record lacks (reported once, not also as a wrong value)


# ---------------------------------------------------------------------------------------------
# settings and logging


class ConfigError(Exception):
    pass


class Settings(object):
    """What the environment configures; tests build one with keyword overrides."""

    def __init__(self, **kw):
        self.port = kw.get("port", DEFAULTS["PORT"])
        self.host = kw.get("host", DEFAULTS["HOST"])
        self.bundle_dir = kw.get("bundle_dir") or find_bundle_dir()
        self.max_rows = kw.get("max_rows", DEFAULTS["GREENHOUSE_MAX_ROWS"])
        self.max_body_bytes = kw.get("max_body_bytes", DEFAULTS["GREENHOUSE_MAX_BODY_BYTES"])
        self.prediction_log = kw.get("prediction_log", "")
        self.log_sample = kw.get("log_sample", DEFAULTS["GREENHOUSE_LOG_SAMPLE"])
        self.log_level = kw.get("log_level", DEFAULTS["GREENHOUSE_LOG_LEVEL"])
        self.request_timeout = kw.get("request_timeout", DEFAULTS["GREENHOUSE_REQUEST_TIMEOUT"])
        self.shutdown_timeout = kw.get("shutdown_timeout", DEFAULTS["GREENHOUSE_SHUTDOWN_TIMEOUT"])
        self.array_input = kw.get("array_input", True)

    @classmethod
    def from_env(cls, env=None):
        env = os.environ if env is None else env

        def number(name, kind, low, high):
            raw = env.get(name, "").strip()
            if raw == "":
                return DEFAULTS[name]
            try:
                value = kind(raw)
            except ValueError:
                raise ConfigError("%s=%r is not %s." % (name, raw, "an integer" if kind is int else "a number"))
            if not (low <= value <= high) or (kind is float and not math.isfinite(value)):
                raise ConfigError("%s=%s is out of range: it must be between %s and %s." % (name, raw, low, high))
            return value

        level = (env.get("GREENHOUSE_LOG_LEVEL") or DEFAULTS["GREENHOUSE_LOG_LEVEL"]).strip().lower()
        if level not in LEVELS:
            raise ConfigError("GREENHOUSE_LOG_LEVEL=%r is not one of %s." % (level, ", ".join(LEVELS)))
        log_path = env.get("GREENHOUSE_PREDICTION_LOG")
        if log_path is None:
            log_path = DEFAULTS["GREENHOUSE_PREDICTION_LOG"]
        if log_path.strip().lower() in ("", "off", "none", "false", "0"):
            log_path = ""
        bundle_dir = env.get("GREENHOUSE_BUNDLE_DIR") or None
        array_input = (env.get("GREENHOUSE_ARRAY_INPUT") or "auto").strip().lower()
        if array_input not in ("auto", "off"):
            raise ConfigError("GREENHOUSE_ARRAY_INPUT=%r is not auto or off." % array_input)
        return cls(
            port=number("PORT", int, 0, 65535),
            host=(env.get("HOST") or DEFAULTS["HOST"]).strip(),
            bundle_dir=bundle_dir and os.path.abspath(bundle_dir),
            max_rows=number("GREENHOUSE_MAX_ROWS", int, 1, 10**9),
            max_body_bytes=number("GREENHOUSE_MAX_BODY_BYTES", int, 1024, 2**40),
            prediction_log=log_path,
            log_sample=number("GREENHOUSE_LOG_SAMPLE", float, 0.0, 1.0),
            log_level=level,
            request_timeout=number("GREENHOUSE_REQUEST_TIMEOUT", float, 0.1, 3600.0),
            shutdown_timeout=number("GREENHOUSE_SHUTDOWN_TIMEOUT", float, 0.0, 3600.0),
            array_input=array_input == "auto",
        )


def find_bundle_dir():
    """GREENHOUSE_BUNDLE_DIR, else the working directory when it holds the model, else app/.."""
    env = os.environ.get("GREENHOUSE_BUNDLE_DIR")
    if env:
        return os.path.abspath(env)
    if os.path.isfile(METADATA_FILE):
        return os.path.abspath(".")
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40}


def utc_now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonLogger(object):
    """One JSON object per line: {"time", "level", "event", ...fields}."""

    def __init__(self, level="info", stream=None):
        self.level = LEVELS.get(level, 20)
        self.stream = stream if stream is not None else sys.stdout
        self.lock = threading.Lock()
        self.holder = None  # the thread whose lines wait for flush() (the serving loop)
        self.held = []

    def enabled(self, level):
        return LEVELS[level] >= self.level

    def log(self, level, event, **fields):
        if LEVELS[level] < self.level:
            return
        doc = {"time": utc_now_iso(), "level": level, "event": event}
        doc.update(fields)
        line = json.dumps(doc, default=str, ensure_ascii=False) + "\n"
        if self.holder is not None and threading.get_ident() == self.holder:
            self.held.append(line)
            return
        self.emit(line)

    def hold(self):
        """From now on this thread's lines are written together at its flush() (the serving loop
        flushes before it sends the answers of each round)."""
        self.holder = threading.get_ident()

    def flush(self):
        if self.held:
            lines = self.held
            self.held = []  # a line a signal handler adds meanwhile lands in one list or the other
            self.emit("".join(lines))

    def release(self):
        self.flush()
        self.holder = None

    def emit(self, text):
        with self.lock:
            try:
                self.stream.write(text)
                self.stream.flush()
            except (OSError, ValueError):
                pass  # stdout gone: serving goes on


# ---------------------------------------------------------------------------------------------
# metadata and the model


class RequestError(Exception):
    """Bad input (a 4xx), or a 5xx the model caused. `violations` lists each problem found."""

    def __init__(self, status, kind, message, violations=None, headers=None):
        Exception.__init__(self, message)
        self.status = status
        self.kind = kind
        self.message = message
        self.violations = violations or []
        self.headers = headers or {}

    def body(self):
        doc = {"error": self.message, "kind": self.kind}
        if self.violations:
            doc["violations"] = [v for v in self.violations[:MAX_VIOLATIONS]]
            doc["violationCount"] = len(self.violations)
        return doc


class LoadError(Exception):
    pass


def load_metadata(bundle_dir):
    path = os.path.join(bundle_dir, METADATA_FILE)
    try:
        with open(path, "r", encoding="utf-8") as f:
            meta = json.load(f)
    except FileNotFoundError:
        raise LoadError("%s is missing: the bundle has no model metadata." % path)
    except (OSError, ValueError) as e:
        raise LoadError("%s cannot be read: %s" % (path, e))
    problems = []
    for key in ("name", "version", "format", "modelFile", "task", "signature"):
        if key not in meta:
            problems.append(key)
    sig = meta.get("signature") or {}
    inputs = sig.get("inputs") if isinstance(sig, dict) else None
    if not isinstance(inputs, list) or not inputs or not all(isinstance(i, dict) and isinstance(i.get("name"), str) for i in inputs):
        problems.append("signature.inputs")
    else:
        for i in inputs:
            if i.get("dtype") not in DTYPE_V2:
                raise LoadError("%s: input %r has the dtype %r, which is not one of %s." % (path, i["name"], i.get("dtype"), ", ".join(DTYPE_V2)))
            i.setdefault("nullable", False)
        names = [i["name"] for i in inputs]
        if len(set(names)) != len(names):
            raise LoadError("%s: the signature names a column twice." % path)
    if problems:
        raise LoadError("%s lacks %s." % (path, ", ".join(problems)))
    return meta


def load_golden(bundle_dir):
    path = os.path.join(bundle_dir, GOLDEN_FILE)
    if not os.path.isfile(path):
        return None
    with open(path, "r", encoding="utf-8") as f:
        return json.load(f)


def json_scalar(v):
    """A JSON-ready scalar for a Python or numpy value; non-finite floats become None."""
    np = sys.modules.get("numpy")
    if np is not None and isinstance(v, np.generic):
        v = v.item()
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def is_nonfinite(v):
    return isinstance(v, float) and not math.isfinite(v)


class Prediction(object):
    def __init__(self, labels, proba, nonfinite_labels=0, nonfinite_proba=0):
        self.labels = labels  # list of JSON scalars (None where non-finite)
        self.proba = proba  # list of lists of floats (None where non-finite), or None
        self.nonfinite_labels = nonfinite_labels
        self.nonfinite_proba = nonfinite_proba


class ServingModel(object):
    """The model and what the serving app needs to know to call it."""

    def __init__(self, metadata, model, bundle_dir, load_seconds=0.0):
        self.metadata = metadata
        self.model = model
        self.bundle_dir = bundle_dir
        self.load_seconds = load_seconds
        self.name = str(metadata["name"])
        self.version = str(metadata["version"])
        self.task = metadata.get("task") or "other"
        self.inputs = metadata["signature"]["inputs"]
        self.columns = [i["name"] for i in self.inputs]
        self.onnx = metadata["format"] == "onnx"
        classes = metadata.get("classes")
        if classes is None and not self.onnx and getattr(model, "classes_", None) is not None:
            classes = [json_scalar(c) for c in list(model.classes_)]
        self.classes = classes if self.task == "classification" else None
        if self.onnx:
            self.onnx_inputs = [(i.name, i.type) for i in model.get_inputs()]
            self.with_proba = self.task == "classification" and bool(self.classes) and len(model.get_outputs()) > 1
        else:
            self.with_proba = self.task == "classification" and bool(self.classes) and has_predict_proba(model)
        inputs_from = metadata["signature"].get("inputsFrom")
        if inputs_from not in ("model", "dataset"):
            # Estimators fitted on a DataFrame know its columns and want one; others want an array.
            inputs_from = "model" if getattr(model, "feature_names_in_", None) is not None else "dataset"
        self.inputs_from = inputs_from
        self.array_dtype = None  # set by enable_array_input: requests skip pandas
        self.skip_finite_check = False  # set by enable_array_input: the signature's checks suffice

    @classmethod
    def load(cls, bundle_dir):
        metadata = load_metadata(bundle_dir)
        path = os.path.join(bundle_dir, metadata["modelFile"])
        if not os.path.isfile(path):
            raise LoadError("The model file %s is missing." % path)
        fmt = metadata["format"]
        started = time.perf_counter()
        try:
            if fmt == "joblib":
                import joblib

                model = joblib.load(path)
            elif fmt == "pickle":
                import pickle

                with open(path, "rb") as f:
                    model = pickle.load(f)
            elif fmt == "onnx":
                try:
                    import onnxruntime
                except ImportError:
                    raise LoadError("Serving an ONNX model needs onnxruntime, which this image does not have: add it to requirements.txt.")
                model = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
            else:
                raise LoadError("Unknown model format %r in metadata.json (expected joblib, pickle or onnx)." % fmt)
        except LoadError:
            raise
        except ModuleNotFoundError as e:
            raise LoadError("Loading %s needs the Python module %r, which this image does not have." % (path, e.name))
        except Exception as e:
            raise LoadError("Loading %s failed: %s: %s" % (path, type(e).__name__, e))
        return cls(metadata, model, bundle_dir, time.perf_counter() - started)

    def model_input(self, frame):
        return frame if self.inputs_from == "model" else frame.to_numpy()

    def predict(self, frame):
        """Labels (or values) and probabilities for a DataFrame from to_frame. Raises what the model raises."""
        if self.onnx:
            return self._prediction(*self._predict_onnx(frame))
        return self._prediction(*self._call(self.model_input(frame)))

    def predict_batch(self, batch):
        """predict(to_frame(batch, inputs)), through the array path when enable_array_input found
        that it answers exactly the same."""
        if self.array_dtype is not None:
            return self._prediction(*self._call(to_array(batch, self.inputs, self.array_dtype)))
        return self.predict(to_frame(batch, self.inputs))

    def _call(self, X):
        if self.skip_finite_check:
            import sklearn

            with sklearn.config_context(assume_finite=True):
                return self._call_model(X)
        return self._call_model(X)

    def _call_model(self, X):
        import numpy as np

        labels = np.asarray(self.model.predict(X))
        if labels.ndim > 1 and labels.shape[1] == 1:
            labels = labels.ravel()
        proba = np.asarray(self.model.predict_proba(X), dtype=float) if self.with_proba else None
        return labels, proba

    def _prediction(self, labels, proba):
        import numpy as np

        values = labels.tolist()
        out_labels = [json_scalar(v) for v in values]
        bad_labels = sum(1 for v in values if is_nonfinite(v))
        out_proba = None
        bad_proba = 0
        if proba is not None:
            finite = np.isfinite(proba)
            bad_proba = int(proba.size - finite.sum())
            out_proba = proba.tolist()
            if bad_proba:
                out_proba = [[p if math.isfinite(p) else None for p in row] for row in out_proba]
        return Prediction(out_labels, out_proba, bad_labels, bad_proba)

    def array_input_obstacle(self):
        """Why requests must go through a DataFrame for this model, or None when an array may do.

        The array is exactly np.asarray(to_frame(...)) (to_array), which is what a model fitted on an
        array gets anyway (model_input). A model fitted on a DataFrame may take it instead only when
        all it does with a DataFrame is that conversion: scikit-learn's own estimators and numeric
        transformers (check_array), alone or in a Pipeline, not ones that pick columns by name or
        hand X to other estimators."""
        if self.onnx:
            return "ONNX models take their own tensors"
        if numeric_dtype(self.inputs) is None:
            return "not every input is numeric"
        if self.inputs_from == "model" and not array_safe(self.model):
            return "%s reads its input as a DataFrame" % type(self.model).__name__
        return None

    def enable_array_input(self, batch, singles=10):
        """Serve requests through to_array instead of to_frame when it gives exactly the same
        answers (labels and probabilities bit for bit) on `batch` (the golden rows) as a whole and
        row by row. Returns None when enabled, else the reason it is not."""
        import numpy as np

        reason = self.array_input_obstacle()
        if reason is not None:
            return reason
        dtype = numeric_dtype(self.inputs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for part in [batch] + [batch.slice(i, i + 1) for i in range(min(singles, batch.n))]:
                want = self._call(self.model_input(to_frame(part, self.inputs)))
                got = self._call(to_array(part, self.inputs, dtype))
                same = np.array_equal(want[0], got[0]) and (want[1] is None) == (got[1] is None)
                if same and want[1] is not None:
                    same = want[1].shape == got[1].shape and np.array_equal(want[1], got[1], equal_nan=True)
                if not same:
                    return "the array path answered differently from the DataFrame path on the golden rows"
        if self.inputs_from == "model":
            # The array has no column names; the model's own check of them is what the frame path is for.
            warnings.filterwarnings("ignore", message="X does not have valid feature names", category=UserWarning)
        self.array_dtype = dtype
        # Every value of a column that is not nullable passed the signature's checks (finite numbers),
        # so scikit-learn's own scan for NaN and infinity can only pass: skip it (assume_finite).
        self.skip_finite_check = type(self.model).__module__.startswith("sklearn.") and not any(i.get("nullable") for i in self.inputs)
        return None

    def _predict_onnx(self, frame):
        import numpy as np

        numpy_of = {"tensor(float)": "float32", "tensor(double)": "float64", "tensor(int64)": "int64", "tensor(int32)": "int32", "tensor(bool)": "bool", "tensor(string)": "object"}
        feeds = {}
        if len(self.onnx_inputs) == 1 and self.inputs_from == "dataset":
            name, kind = self.onnx_inputs[0]
            dtype = numpy_of.get(kind, "float32")
            arr = frame[self.columns].to_numpy()
            feeds[name] = arr.astype(str).astype(object) if dtype == "object" else arr.astype(dtype)
        else:
            for name, kind in self.onnx_inputs:
                dtype = numpy_of.get(kind, "float32")
                col = frame[name].to_numpy().reshape(-1, 1)
                feeds[name] = col.astype(str).astype(object) if dtype == "object" else col.astype(dtype)
        outs = self.model.run(None, feeds)
        labels = np.asarray(outs[0]).ravel()
        proba = None
        if self.with_proba and len(outs) > 1:
            second = outs[1]
            if isinstance(second, list) and second and isinstance(second[0], dict):
                proba = np.asarray([[float(d.get(c, 0.0)) for c in self.classes] for d in second], dtype=float)
            else:
                arr = np.asarray(second, dtype=float)
                if arr.ndim == 2 and arr.shape[1] == len(self.classes):
                    proba = arr
        return labels, proba

    def label_datatype(self):
        if self.task != "classification":
            return "FP64"
        values = [c for c in (self.classes or []) if c is not None]
        if values and all(isinstance(c, bool) for c in values):
            return "BOOL"
        if values and all(isinstance(c, int) and not isinstance(c, bool) for c in values):
            return "INT64"
        if values and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in values):
            return "FP64"
        return "BYTES"


# Where an array may stand in for the DataFrame (ServingModel.array_input_obstacle): scikit-learn
# estimators whose predict and predict_proba only turn a DataFrame into np.asarray(frame).
ARRAY_SAFE_MODULES = (
    "sklearn.linear_model.",
    "sklearn.svm.",
    "sklearn.tree.",
    "sklearn.ensemble.",
    "sklearn.neighbors.",
    "sklearn.naive_bayes.",
    "sklearn.discriminant_analysis.",
    "sklearn.neural_network.",
    "sklearn.kernel_ridge.",
    "sklearn.preprocessing.",
)
ARRAY_UNSAFE_CLASSES = (
    "FunctionTransformer",
    "OneHotEncoder",
    "OrdinalEncoder",
    "TargetEncoder",
    "VotingClassifier",
    "VotingRegressor",
    "StackingClassifier",
    "StackingRegressor",
)


def array_safe(est):
    cls = type(est)
    if cls.__module__ == "sklearn.pipeline" and cls.__name__ == "Pipeline":
        steps = getattr(est, "steps", None) or []
        return bool(steps) and all(step is None or step == "passthrough" or array_safe(step) for _, step in steps)
    return (cls.__module__ or "").startswith(ARRAY_SAFE_MODULES) and cls.__name__ not in ARRAY_UNSAFE_CLASSES


def has_predict_proba(model):
    try:
        return callable(getattr(model, "predict_proba", None))
    except Exception:
        return False


# ---------------------------------------------------------------------------------------------
# validation: requests -> a Batch of columns, checked against the signature


class Batch(object):
    """Validated input: one list of JSON values per signature column, all of length n."""

    def __init__(self, columns, n, names, request_id=None):
        self.columns = columns
        self.n = n
        self.names = names
        self.request_id = request_id

    def record(self, i):
        return dict((name, self.columns[name][i]) for name in self.names)

    def slice(self, start, stop):
        columns = dict((name, values[start:stop]) for name, values in self.columns.items())
        return Batch(columns, len(range(start, min(stop, self.n))), self.names, self.request_id)


def describe_value(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "the boolean %s" % ("true" if v else "false")
    if isinstance(v, (int, float)):
        return "the number %s" % json.dumps(v)
    if isinstance(v, str):
        text = v if len(v) <= 40 else v[:37] + "..."
        return "the text %s" % json.dumps(text, ensure_ascii=False)
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "an object"
    return type(v).__name__


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _check_int64(v):
    if isinstance(v, int) and not isinstance(v, bool):
        return None if INT64_MIN <= v <= INT64_MAX else "out of the int64 range"
    if isinstance(v, float) and math.isfinite(v) and v.is_integer():
        return None if INT64_MIN <= v <= INT64_MAX else "out of the int64 range"
    return ""


def _check_float64(v):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return ""
    try:
        return None if math.isfinite(float(v)) else "not finite"
    except OverflowError:
        return "out of the float64 range"


def _check_bool(v):
    return None if isinstance(v, bool) else ""


def _check_string(v):
    return None if isinstance(v, str) else ""


def _check_datetime(v):
    if not isinstance(v, str):
        return ""
    try:
        datetime.datetime.fromisoformat(v.strip())
        return None
    except ValueError:
        return "not an ISO 8601 date or date-time"


def _check_object(v):
    return None if isinstance(v, (str, int, float, bool)) else ""


CHECKS = {"int64": _check_int64, "float64": _check_float64, "bool": _check_bool, "string": _check_string, "datetime": _check_datetime, "object": _check_object}


def violation(kind, message, column=None, row=None):
    return {"kind": kind, "column": column, "row": row, "message": message}


def fail(violations, status=422):
    first = violations[0]
    message = first["message"]
    if len(violations) > 1:
        message += " (and %d more problem%s: see \"violations\")" % (len(violations) - 1, "" if len(violations) == 2 else "s")
    raise RequestError(status, first["kind"], message, violations)


def check_values(columns, inputs, where, violations):
    """Type and null checks, column by column; `where(name, row)` says where a value is."""
    for spec in inputs:
        name, dtype, nullable = spec["name"], spec["dtype"], bool(spec.get("nullable"))
        check = CHECKS[dtype]
        for row, v in enumerate(columns[name]):
            if v is MISSING:
                continue
            if v is None:
                if not nullable:
                    violations.append(violation("null_value", "%s is null, and the column %r does not accept nulls" % (where(name, row), name), name, row))
            else:
                reason = check(v)
                if reason is not None:
                    detail = " (%s)" % reason if reason else ""
                    violations.append(
                        violation("wrong_type", "%s must be %s, got %s%s" % (where(name, row), EXPECTED[dtype], describe_value(v), detail), name, row)
                    )
            if len(violations) >= MAX_VIOLATIONS:
                return


def check_rows(n, max_rows, what):
    if n == 0:
        fail([violation("empty_batch", "The batch is empty: send at least one %s." % what)])
    if n > max_rows:
        raise RequestError(
            413,
            "too_many_rows",
            "The batch has %d rows; at most %d are accepted per request (GREENHOUSE_MAX_ROWS): split it." % (n, max_rows),
            [violation("too_many_rows", "%d rows > %d" % (n, max_rows))],
        )


def column_list(inputs):
    return ", ".join(i["name"] for i in inputs)


def parse_records(records, inputs, max_rows):
    """/predict: a list of {column: value} objects -> Batch, or RequestError naming each problem."""
    if not isinstance(records, list):
        raise RequestError(400, "bad_request", 'The body must be {"records": [{column: value, ...}, ...]} or a JSON list of such records.')
    check_rows(len(records), max_rows, "record")
    names = [i["name"] for i in inputs]
    known = set(names)
    columns = dict((name, [None] * len(records)) for name in names)
    violations = []
    for r, rec in enumerate(records):
        if not isinstance(rec, dict):
            raise RequestError(400, "bad_request", "records[%d] is %s, not an object of column: value." % (r, describe_value(rec)))
        for key in rec:
            if key not in known:
                violations.append(
                    violation("unknown_column", "records[%d] has the column %r, which the model does not know (its columns: %s)" % (r, key, column_list(inputs)), key, r)
                )
        for name in names:
            if name in rec:
                columns[name][r] = rec[name]
            else:
                columns[name][r] = MISSING
                violations.append(violation("missing_column", "records[%d] lacks the column %r (the model needs: %s)" % (r, name, column_list(inputs)), name, r))
        if len(violations) >= MAX_VIOLATIONS:
            break
    if len(violations) < MAX_VIOLATIONS:
        check_values(columns, inputs, lambda name, row: "records[%d].%s" % (row, name), violations)
    if violations:
        fail(violations)
    return Batch(columns, len(records), names)


def flatten(data):
    out = []
    stack = [iter(data)]
    while stack:
        for v in stack[-1]:
            if isinstance(v, list):
                stack.append(iter(v))
                break
            out.append(v)
        else:
            stack.pop()
    return out


def parse_tensor(t, index):
    if not isinstance(t, dict):
        raise RequestError(400, "bad_request", "inputs[%d] is %s, not a tensor object {name, datatype, shape, data}." % (index, describe_value(t)))
    name = t.get("name")
    if not isinstance(name, str) or not name:
        raise RequestError(400, "bad_request", "inputs[%d] has no name." % index)
    datatype = t.get("datatype")
    if datatype not in V2_DATATYPES:
        raise RequestError(400, "bad_request", "Input %r: datatype %s is not a V2 datatype (%s)." % (name, json.dumps(datatype), ", ".join(V2_DATATYPES)))
    shape = t.get("shape")
    if not isinstance(shape, list) or not shape or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
        raise RequestError(400, "bad_request", "Input %r: shape must be a list of non-negative integers, got %s." % (name, json.dumps(shape)))
    data = t.get("data")
    if not isinstance(data, list):
        raise RequestError(400, "bad_request", "Input %r: data must be a list, got %s." % (name, describe_value(data)))
    flat = flatten(data)
    size = 1
    for d in shape:
        size *= d
    if size != len(flat):
        raise RequestError(400, "bad_request", "Input %r: shape %s holds %d values, but data has %d." % (name, json.dumps(shape), size, len(flat)))
    return name, datatype, shape, flat


def parse_v2(body, inputs, max_rows):
    """An infer request -> Batch: one tensor per column (by name) or one [rows, columns] tensor."""
    if not isinstance(body, dict):
        raise RequestError(400, "bad_request", 'The body must be a JSON object {"inputs": [tensor, ...]}, got %s.' % describe_value(body))
    tensors = body.get("inputs")
    if not isinstance(tensors, list) or not tensors:
        raise RequestError(400, "bad_request", '"inputs" must be a non-empty list of tensors {name, datatype, shape, data}.')
    parsed = [parse_tensor(t, i) for i, t in enumerate(tensors)]
    seen = set()
    for p in parsed:
        if p[0] in seen:
            raise RequestError(400, "bad_request", "The input %r is sent twice." % p[0])
        seen.add(p[0])
    names = [i["name"] for i in inputs]
    known = set(names)
    by_name = dict((i["name"], i) for i in inputs)
    both = "one tensor per column (%s) or a single [rows, %d] tensor" % (column_list(inputs), len(inputs))
    columns = {}
    violations = []
    if all(p[0] in known for p in parsed) and not (len(parsed) == 1 and len(parsed[0][2]) == 2 and parsed[0][2][1] != 1):
        n = None
        for name, datatype, shape, flat in parsed:
            if len(shape) > 2 or (len(shape) == 2 and shape[1] != 1):
                raise RequestError(400, "bad_request", "Input %r has the shape %s; a column tensor is [rows] or [rows, 1]." % (name, json.dumps(shape)))
            if n is None:
                n = shape[0]
            elif shape[0] != n:
                raise RequestError(400, "bad_request", "Input %r has %d rows, but %r has %d: every column tensor needs the same rows." % (name, shape[0], parsed[0][0], n))
            dtype = by_name[name]["dtype"]
            if datatype not in DTYPE_ACCEPTS[dtype]:
                violations.append(
                    violation("wrong_type", "Input %r is declared %s; the model expects %s for it (%s)" % (name, datatype, DTYPE_V2[dtype], EXPECTED[dtype]), name)
                )
            columns[name] = flat
        for name in names:
            if name not in columns:
                violations.append(violation("missing_column", "The input tensor %r is missing: send %s" % (name, both), name))
        if violations:
            fail(violations)
        check_rows(n, max_rows, "row")
        where = lambda name, row: "input %r[%d]" % (name, row)  # noqa: E731
    elif len(parsed) == 1 and len(parsed[0][2]) == 2:
        tname, datatype, shape, flat = parsed[0]
        n, k = shape
        if k != len(names):
            kind = "missing_column" if k < len(names) else "unknown_column"
            fail([violation(kind, "Input %r has %d columns; the model needs %d, in this order: %s" % (tname, k, len(names), column_list(inputs)), tname)])
        check_rows(n, max_rows, "row")
        for c, name in enumerate(names):
            columns[name] = flat[c::k]
        where = lambda name, row: "input %r[row %d, column %r]" % (tname, row, name)  # noqa: E731
    else:
        for p in parsed:
            if p[0] not in known:
                violations.append(violation("unknown_column", "The input %r is not a column of the model: send %s" % (p[0], both), p[0]))
        if len(parsed) == 1 and len(parsed[0][2]) != 2:
            violations.append(violation("bad_shape", "A single tensor of all columns must be two-dimensional [rows, %d], got shape %s" % (len(names), json.dumps(parsed[0][2]))))
        fail(violations)
    check_values(columns, inputs, where, violations)
    if violations:
        fail(violations)
    rid = body.get("id")
    return Batch(columns, n, names, rid if isinstance(rid, str) else None)


def to_frame(batch, inputs):
    """The DataFrame the model gets, typed as pandas read the training file (as the golden set was):
    integers int64 (float64 with NaN when the column is nullable), numbers float64, booleans bool
    (object with NaN when nullable), text object with NaN for nulls, dates datetime64."""
    import pandas as pd

    data = {}
    for spec in inputs:
        data[spec["name"]] = column_array(spec, batch.columns[spec["name"]])
    # Arrays, not Series: building the frame is several times faster for the one-row requests.
    return pd.DataFrame(data, copy=False)  # dict order is the signature order


def column_array(spec, values):
    """One column of to_frame's DataFrame, as a numpy array (datetime: a Series)."""
    import numpy as np

    dtype = spec["dtype"]
    has_null = bool(spec.get("nullable")) or any(v is None for v in values)
    try:
        if dtype == "int64" and not has_null:
            return np.array([int(v) for v in values], dtype="int64")
        if dtype in ("int64", "float64"):
            return np.array([np.nan if v is None else float(v) for v in values], dtype="float64")
        if dtype == "bool" and not has_null:
            return np.array(values, dtype="bool")
        if dtype == "datetime":
            import pandas as pd

            return pd.to_datetime(pd.Series(values, dtype=object))
        return object_array([np.nan if v is None else v for v in values] if dtype in ("string", "bool") else values)
    except (TypeError, ValueError, OverflowError):
        return object_array(values)


def numeric_dtype(inputs):
    """The dtype np.asarray(to_frame(...)) has when every column is numeric (else None): int64 when
    every column is a non-nullable int64 (to_frame keeps those int64), else float64."""
    if not inputs or any(i["dtype"] not in ("int64", "float64") for i in inputs):
        return None
    if all(i["dtype"] == "int64" and not i.get("nullable") for i in inputs):
        return "int64"
    return "float64"


def to_array(batch, inputs, dtype):
    """np.asarray(to_frame(batch, inputs)) for an all-numeric signature (numeric_dtype), without
    pandas: the same values, dtype and memory layout (pandas stacks its columns as the rows of a
    [columns, rows] array and hands out the transpose), so a model computes exactly the same on it."""
    import numpy as np

    out = np.empty((len(inputs), batch.n), dtype=dtype)
    for j, spec in enumerate(inputs):
        out[j] = column_array(spec, batch.columns[spec["name"]])
    return out.T


def object_array(values):
    import numpy as np

    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


# ---------------------------------------------------------------------------------------------
# metrics: Prometheus text exposition format 0.0.4, written by hand

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
ROWS_BUCKETS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
CONFIDENCE_BUCKETS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0)


def fmt_value(v):
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    return repr(float(v))


def escape_label(v):
    return str(v).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def escape_help(v):
    return v.replace("\\", "\\\\").replace("\n", "\\n")


def labels_text(pairs):
    if not pairs:
        return ""
    return "{" + ",".join('%s="%s"' % (k, escape_label(v)) for k, v in pairs) + "}"


class Histogram(object):
    def __init__(self, buckets):
        self.buckets = tuple(buckets)
        self.counts = [0] * len(self.buckets)
        self.sum = 0.0
        self.count = 0

    def observe(self, v):
        self.sum += v
        self.count += 1
        for i, b in enumerate(self.buckets):
            if v <= b:
                self.counts[i] += 1
                break

    def lines(self, name, pairs):
        out = []
        running = 0
        for b, c in zip(self.buckets, self.counts):
            running += c
            out.append("%s_bucket%s %d" % (name, labels_text(list(pairs) + [("le", fmt_value(float(b)))]), running))
        out.append("%s_bucket%s %d" % (name, labels_text(list(pairs) + [("le", "+Inf")]), self.count))
        out.append("%s_sum%s %s" % (name, labels_text(pairs), fmt_value(self.sum)))
        out.append("%s_count%s %d" % (name, labels_text(pairs), self.count))
        return out


def nice_buckets(low, high, n=10):
    """About n round-width bucket bounds covering [low, high] (regression outputs)."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        centre = low if math.isfinite(low) else 0.0
        span = abs(centre) or 1.0
        low, high = centre - span, centre + span
    raw = (high - low) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    start = math.floor(low / step) * step
    out = []
    v = start
    while len(out) == 0 or out[-1] < high:
        v += step
        out.append(float("%.12g" % v))
    return tuple([float("%.12g" % start)] + out)


class Metrics(object):
    """Everything /metrics shows; one lock, updated by request threads."""

    def __init__(self, started=None):
        self.lock = threading.Lock()
        self.started = started if started is not None else time.time()
        self.requests = {}  # (endpoint, method, code) -> n
        self.latency = {}  # endpoint -> Histogram
        self.errors = {}  # (endpoint, kind) -> n
        self.violations = dict((k, 0) for k in SCHEMA_KINDS)
        self.by_class = {}  # label text -> n
        self.values = None  # Histogram of regression outputs
        self.confidence = Histogram(CONFIDENCE_BUCKETS)
        self.rows = Histogram(ROWS_BUCKETS)
        self.predicted_rows = 0
        self.nonfinite = {"label": 0, "value": 0, "probabilities": 0}
        self.feature_values = {}  # name -> [count, nulls, sum]
        self.log_lines = 0
        self.log_errors = 0
        self.in_flight = 0
        self.model = None

    def attach(self, model, golden=None):
        with self.lock:
            self.model = model
            if model.task == "classification":
                for c in model.classes or []:
                    self.by_class.setdefault(class_label(c), 0)
            elif model.task == "regression":
                values = [v for v in (golden or {}).get("predictions") or [] if _is_number(v)]
                self.values = Histogram(nice_buckets(min(values), max(values)) if values else (-1000, -100, -10, -1, 0, 1, 10, 100, 1000, 10000))
            for spec in model.inputs:
                self.feature_values[spec["name"]] = [0, 0, 0.0]

    def request(self, endpoint, method, code, seconds):
        with self.lock:
            key = (endpoint, method, str(code))
            self.requests[key] = self.requests.get(key, 0) + 1
            h = self.latency.get(endpoint)
            if h is None:
                h = self.latency[endpoint] = Histogram(LATENCY_BUCKETS)
            h.observe(seconds)

    def error(self, endpoint, err):
        with self.lock:
            key = (endpoint, err.kind)
            self.errors[key] = self.errors.get(key, 0) + 1
            kinds = set(v["kind"] for v in err.violations) | set([err.kind])
            for kind in kinds:
                if kind in self.violations:
                    self.violations[kind] += 1

    def observe_batch(self, model, batch, prediction):
        with self.lock:
            self.rows.observe(batch.n)
            self.predicted_rows += batch.n
            for spec in model.inputs:
                stat = self.feature_values[spec["name"]]
                numeric = spec["dtype"] in ("int64", "float64")
                for v in batch.columns[spec["name"]]:
                    if v is None:
                        stat[1] += 1
                    else:
                        stat[0] += 1
                        if numeric:
                            stat[2] += v
            if model.task == "classification":
                for label in prediction.labels:
                    key = class_label(label)
                    self.by_class[key] = self.by_class.get(key, 0) + 1
                self.nonfinite["label"] += prediction.nonfinite_labels
            else:
                for v in prediction.labels:
                    if v is not None and self.values is not None and _is_number(v):
                        self.values.observe(float(v))
                self.nonfinite["value"] += prediction.nonfinite_labels
            if prediction.proba is not None:
                for row in prediction.proba:
                    finite = [p for p in row if p is not None]
                    if finite:
                        self.confidence.observe(max(finite))
                self.nonfinite["probabilities"] += prediction.nonfinite_proba

    def render(self, ready=False):
        with self.lock:
            return self._render(ready)

    def _render(self, ready):
        out = []

        def family(name, kind, help_text, samples):
            out.append("# HELP %s %s" % (name, escape_help(help_text)))
            out.append("# TYPE %s %s" % (name, kind))
            for pairs, value in samples:
                out.append("%s%s %s" % (name, labels_text(pairs), fmt_value(value)))

        def histogram_family(name, help_text, series):
            out.append("# HELP %s %s" % (name, escape_help(help_text)))
            out.append("# TYPE %s histogram" % name)
            for pairs, h in series:
                out.extend(h.lines(name, pairs))

        m = self.model
        family(
            "greenhouse_requests_total",
            "counter",
            "HTTP requests answered, by endpoint (route), method and status code.",
            [([("endpoint", e), ("method", meth), ("code", c)], n) for (e, meth, c), n in sorted(self.requests.items())],
        )
        histogram_family(
            "greenhouse_request_duration_seconds",
            "Time from the request's arrival to its answer, by endpoint.",
            [([("endpoint", e)], h) for e, h in sorted(self.latency.items())],
        )
        family(
            "greenhouse_request_errors_total",
            "counter",
            "Requests answered with an error (4xx or 5xx), by endpoint and kind (see the serving app's docstring).",
            [([("endpoint", e), ("kind", k)], n) for (e, k), n in sorted(self.errors.items())],
        )
        family(
            "greenhouse_input_schema_violations_total",
            "counter",
            "Requests whose input broke the model's signature, by kind of violation (a request counts once per kind).",
            [([("kind", k)], n) for k, n in sorted(self.violations.items())],
        )
        family("greenhouse_in_flight_requests", "gauge", "Requests being answered now.", [([], self.in_flight)])
        histogram_family("greenhouse_batch_rows", "Rows per prediction request.", [([], self.rows)])
        family("greenhouse_predicted_rows_total", "counter", "Rows the model predicted.", [([], self.predicted_rows)])
        if m is not None and m.task == "classification":
            family(
                "greenhouse_predictions_total",
                "counter",
                "Predicted labels, by class.",
                [([("class", c)], n) for c, n in sorted(self.by_class.items())],
            )
        if m is not None and m.with_proba:
            histogram_family("greenhouse_prediction_confidence", "The highest class probability of each prediction.", [([], self.confidence)])
        if self.values is not None:
            histogram_family("greenhouse_prediction_value", "Predicted values (regression).", [([], self.values)])
        family(
            "greenhouse_nonfinite_outputs_total",
            "counter",
            "NaN or infinite model outputs (sent as null), by output.",
            [([("output", k)], n) for k, n in sorted(self.nonfinite.items())],
        )
        family(
            "greenhouse_input_values_total",
            "counter",
            "Non-null input values received, by feature.",
            [([("feature", f)], s[0]) for f, s in sorted(self.feature_values.items())],
        )
        family(
            "greenhouse_input_nulls_total",
            "counter",
            "Null input values received, by feature.",
            [([("feature", f)], s[1]) for f, s in sorted(self.feature_values.items())],
        )
        numeric = set(i["name"] for i in (m.inputs if m else []) if i["dtype"] in ("int64", "float64"))
        family(
            "greenhouse_input_value_sum",
            "gauge",
            "Sum of the numeric input values received, by feature (divide by greenhouse_input_values_total for the mean).",
            [([("feature", f)], float(s[2])) for f, s in sorted(self.feature_values.items()) if f in numeric],
        )
        family("greenhouse_prediction_log_lines_total", "counter", "Lines written to the prediction log.", [([], self.log_lines)])
        family("greenhouse_prediction_log_errors_total", "counter", "Prediction log writes that failed.", [([], self.log_errors)])
        family("greenhouse_model_ready", "gauge", "1 when the model is loaded and the server is not shutting down.", [([], 1 if ready else 0)])
        if m is not None:
            meta = m.metadata
            family(
                "greenhouse_model_info",
                "gauge",
                "The model served (always 1), with its name, version and provenance as labels.",
                [
                    (
                        [
                            ("name", m.name),
                            ("version", m.version),
                            ("framework", meta.get("framework") or ""),
                            ("class_name", meta.get("className") or ""),
                            ("format", meta.get("format") or ""),
                            ("task", m.task),
                            ("sha256", meta.get("sha256") or ""),
                        ],
                        1,
                    )
                ],
            )
            created = parse_time(meta.get("createdAt"))
            if created is not None:
                family("greenhouse_model_age_seconds", "gauge", "Seconds since the model version was registered (metadata createdAt).", [([], max(0.0, time.time() - created))])
            family("greenhouse_model_load_seconds", "gauge", "Seconds the model took to load.", [([], m.load_seconds)])
        family("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch in seconds.", [([], self.started)])
        return "\n".join(out) + "\n"


def class_label(c):
    if isinstance(c, bool):
        return "true" if c else "false"
    if c is None:
        return "null"
    return str(c)


def parse_time(text):
    if not isinstance(text, str) or not text:
        return None
    try:
        t = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    return t.timestamp()


# ---------------------------------------------------------------------------------------------
# prediction log


class PredictionLog(object):
    """JSON Lines, one line per sampled record. An unwritable path disables it (one warning)."""

    def __init__(self, path, sample, logger, metrics):
        self.path = path
        self.sample = sample
        self.logger = logger
        self.metrics = metrics
        self.lock = threading.Lock()
        self.file = None
        self.random = random.Random()
        self.deferred = False  # write() leaves the flush to flush()
        self.unflushed = False
        if not path or sample <= 0:
            return
        try:
            parent = os.path.dirname(os.path.abspath(path))
            os.makedirs(parent, exist_ok=True)
            self.file = open(path, "a", encoding="utf-8")
        except OSError as e:
            logger.log("warning", "prediction_log_disabled", path=path, reason="%s: %s" % (type(e).__name__, e))

    @property
    def enabled(self):
        return self.file is not None

    def write(self, model, request_id, endpoint, batch, prediction):
        if self.file is None:
            return
        now = utc_now_iso()
        lines = []
        for i in range(batch.n):
            if self.sample < 1 and self.random.random() >= self.sample:
                continue
            doc = {
                "time": now,
                "request_id": request_id,
                "model": model.name,
                "version": model.version,
                "endpoint": endpoint,
                "row": i,
                "inputs": batch.record(i),
                "prediction": prediction.labels[i],
                "probabilities": prediction.proba[i] if prediction.proba is not None else None,
            }
            lines.append(json.dumps(doc, ensure_ascii=False, allow_nan=False, default=str))
        if not lines:
            return
        text = "\n".join(lines) + "\n"
        with self.lock:
            if self.file is None:
                return
            try:
                self.file.write(text)
                if self.deferred:
                    self.unflushed = True
                else:
                    self.file.flush()
                with self.metrics.lock:
                    self.metrics.log_lines += len(lines)
            except (OSError, ValueError) as e:
                self.failed(e)

    def flush(self):
        """Write what deferred writes left in the buffer (the serving loop calls it before it sends
        the answers of each round, so a line is on disk before its answer leaves)."""
        if not self.unflushed:
            return
        with self.lock:
            self.unflushed = False
            if self.file is None:
                return
            try:
                self.file.flush()
            except (OSError, ValueError) as e:
                self.failed(e)

    def failed(self, e):
        with self.metrics.lock:
            self.metrics.log_errors += 1
        self.logger.log("warning", "prediction_log_write_failed", path=self.path, reason="%s: %s" % (type(e).__name__, e))

    def close(self):
        self.flush()
        with self.lock:
            if self.file is not None:
                try:
                    self.file.close()
                except OSError:
                    pass
                self.file = None


# ---------------------------------------------------------------------------------------------
# the application: routing and answers, independent of the socket


class Response(object):
    def __init__(self, status, body=b"", content_type="application/json", headers=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = headers or {}

    def json(self):
        return json.loads(self.body.decode("utf-8"))


def json_bytes(doc):
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def reject_constant(name):
    raise ValueError("%s is not valid JSON (send null, or a finite number)" % name)


QUIET_ENDPOINTS = ("/v2/health/live", "/v2/health/ready", "/v2/models/{name}/ready", "/metrics")


class App(object):
    """Routing, validation, prediction, metrics and logs for one model. `handle` answers one request."""

    def __init__(self, settings, logger=None, model=None):
        self.settings = settings
        self.logger = logger or JsonLogger(settings.log_level)
        self.metrics = Metrics()
        self.model = None
        self.state = "loading"
        self.state_reason = "the model is loading"
        self.log = PredictionLog(settings.prediction_log, settings.log_sample, self.logger, self.metrics)
        if model is not None:
            self.set_model(model)

    # -- lifecycle

    def set_model(self, model, golden=None):
        self.model = model
        self.metrics.attach(model, golden)
        self.state = "ready"
        self.state_reason = None

    def load(self):
        """Load the model, then check it on the golden rows (a warm-up that also proves the signature)."""
        model = ServingModel.load(self.settings.bundle_dir)
        golden = None
        try:
            golden = load_golden(self.settings.bundle_dir)
        except (OSError, ValueError) as e:
            self.logger.log("warning", "golden_unreadable", reason=str(e))
        if golden and golden.get("rows"):
            self.warm_up(model, golden)
        self.set_model(model, golden)
        self.logger.log(
            "info",
            "model_loaded",
            model=model.name,
            version=model.version,
            format=model.metadata["format"],
            task=model.task,
            seconds=round(model.load_seconds, 4),
            prediction_log=self.log.path if self.log.enabled else None,
        )

    def warm_up(self, model, golden):
        cols = golden.get("columns") or model.columns
        records = [dict(zip(cols, row)) for row in golden["rows"]]
        try:
            batch = parse_records(records, model.inputs, max(len(records), 1))
            pred = model.predict(to_frame(batch, model.inputs))
        except RequestError as e:
            raise LoadError("The golden rows do not fit the signature: %s" % e.message)
        except Exception as e:
            raise LoadError("The model fails on its golden rows: %s: %s" % (type(e).__name__, e))
        mismatches = compare_golden(model, golden, pred)
        if mismatches:
            self.logger.log("warning", "golden_mismatch", count=len(mismatches), first=mismatches[0])
        else:
            self.logger.log("info", "golden_parity", rows=len(records))
        if self.settings.array_input:
            try:
                reason = model.enable_array_input(batch)
            except Exception as e:
                reason = "the array path failed on the golden rows: %s: %s" % (type(e).__name__, e)
            self.logger.log("info", "input_path", path="array" if reason is None else "dataframe", reason=reason)

    def stopping(self):
        self.state = "stopping"
        self.state_reason = "the server is shutting down"

    def failed(self, reason):
        self.state = "failed"
        self.state_reason = reason

    @property
    def ready(self):
        return self.state == "ready"

    @property
    def answering(self):
        """Whether predictions are answered: when ready, and while stopping (readiness already says
        503 then, and the server only answers the requests that were on their way at the signal)."""
        return self.model is not None and self.state in ("ready", "stopping")

    # -- requests

    def route(self, method, path):
        """(endpoint template, handler, allowed methods) for a path; (None, None, None) when unknown."""
        parts = [unquote(p) for p in path.strip("/").split("/")] if path.strip("/") else []
        if parts == ["v2"]:
            return "/v2", self.server_metadata, ("GET",)
        if parts == ["v2", "health", "live"]:
            return "/v2/health/live", self.live, ("GET",)
        if parts == ["v2", "health", "ready"]:
            return "/v2/health/ready", self.readiness, ("GET",)
        if len(parts) >= 3 and parts[:2] == ["v2", "models"]:
            name, rest = parts[2], parts[3:]
            version = None
            if len(rest) >= 2 and rest[0] == "versions":
                version, rest = rest[1], rest[2:]
            suffix = "/versions/{version}" if version is not None else ""
            if rest == []:
                return "/v2/models/{name}" + suffix, lambda req: self.model_metadata(req, name, version), ("GET",)
            if rest == ["ready"]:
                return "/v2/models/{name}" + suffix + "/ready", lambda req: self.model_ready(req, name, version), ("GET",)
            if rest == ["infer"]:
                return "/v2/models/{name}" + suffix + "/infer", lambda req: self.infer(req, name, version), ("POST",)
            return None, None, None
        if parts == ["predict"]:
            return "/predict", self.predict, ("POST",)
        if parts == ["metrics"]:
            return "/metrics", self.metrics_text, ("GET",)
        if parts == []:
            return "/", self.index, ("GET",)
        return None, None, None

    def handle(self, method, target, headers, body=b"", client=None):
        """Answer one request. `headers` is a mapping (case-insensitive get, or lower-case keys);
        `body` is bytes or a callable(limit) that reads and returns them (raising RequestError)."""
        started = time.perf_counter()
        path = urlsplit(target).path or "/"
        request_id = header(headers, "x-request-id")
        request_id = request_id.strip() if request_id else None
        if not request_id or not REQUEST_ID.match(request_id):
            request_id = None
        req = {"method": method, "path": path, "headers": headers, "body": body, "request_id": request_id, "rows": None}
        endpoint, handler, allowed = self.route(method, path)
        failure = None
        with self.metrics.lock:
            self.metrics.in_flight += 1
        try:
            if handler is None:
                raise RequestError(404, "not_found", "No endpoint %s %s. Endpoints: GET /v2, /v2/health/live, /v2/health/ready, /v2/models/%s, POST /v2/models/%s/infer, POST /predict, GET /metrics." % (method, path, self.model_name(), self.model_name()))
            if method == "HEAD" and "GET" in allowed:
                pass
            elif method not in allowed:
                raise RequestError(405, "method_not_allowed", "%s takes %s, not %s." % (endpoint, " or ".join(allowed), method), headers={"Allow": ", ".join(allowed)})
            response = handler(req)
        except ClientGone:
            raise
        except RequestError as e:
            doc = e.body()
            doc["id"] = req["request_id"] or new_request_id(req)
            response = Response(e.status, json_bytes(doc), headers=dict(e.headers))
            self.metrics.error(endpoint or "other", e)
            failure = (e.kind, e.message, None)
        except Exception as e:
            rid = new_request_id(req)
            message = "Internal error: %s: %s" % (type(e).__name__, e)
            response = Response(500, json_bytes({"error": message, "kind": "internal", "id": rid}))
            self.metrics.error(endpoint or "other", RequestError(500, "internal", message))
            failure = ("internal", message, traceback.format_exc())
        finally:
            with self.metrics.lock:
                self.metrics.in_flight -= 1
        seconds = time.perf_counter() - started
        rid = new_request_id(req)
        response.headers["X-Request-Id"] = rid
        self.metrics.request(endpoint or "other", method, response.status, seconds)
        if endpoint in QUIET_ENDPOINTS and response.status in (200, 503):
            level = "debug"  # probes and scrapes
        elif response.status == 503:
            level = "warning"  # not ready yet, or stopping
        elif response.status >= 500:
            level = "error"
        else:
            level = "info"
        if self.logger.enabled(level):
            fields = dict(method=method, path=path, endpoint=endpoint or "other", status=response.status, duration_ms=round(seconds * 1000, 3), request_id=rid, rows=req["rows"], client=client)
            if failure is not None:
                fields["error_kind"], fields["error"] = failure[0], failure[1]
                if failure[2]:
                    fields["traceback"] = failure[2]
            self.logger.log(level, "request", **fields)
        return response

    def model_name(self):
        return self.model.name if self.model is not None else "{name}"

    def read_json(self, req):
        ctype = header(req["headers"], "content-type") or ""
        media = ctype.split(";")[0].strip().lower()
        if media != "application/json" and not media.endswith("+json"):
            raise RequestError(
                415,
                "unsupported_media_type",
                "The body must be JSON sent with Content-Type: application/json (got %s)." % (json.dumps(ctype) if ctype else "no Content-Type"),
            )
        body = req["body"]
        raw = body(self.settings.max_body_bytes) if callable(body) else body
        if len(raw) > self.settings.max_body_bytes:
            raise RequestError(413, "body_too_large", "The body has %d bytes; at most %d are accepted (GREENHOUSE_MAX_BODY_BYTES)." % (len(raw), self.settings.max_body_bytes))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise RequestError(400, "malformed_json", "The body is not UTF-8: byte %d is invalid." % e.start)
        if not text.strip():
            raise RequestError(400, "malformed_json", "The body is empty; send a JSON document.")
        try:
            return json.loads(text, parse_constant=reject_constant)
        except ValueError as e:
            raise RequestError(400, "malformed_json", "The body is not valid JSON: %s." % e)
        except RecursionError:
            raise RequestError(400, "malformed_json", "The body's JSON is nested too deeply.")

    def require_model(self, name, version):
        if not self.answering:
            raise RequestError(503, "not_ready", "The model is not ready: %s." % (self.state_reason or self.state), headers={"Retry-After": "1"})
        if name != self.model.name:
            raise RequestError(404, "unknown_model", "No model named %r here; this server serves %r." % (name, self.model.name))
        if version is not None and version != self.model.version:
            raise RequestError(404, "unknown_version", "Model %r has no version %r here; this server serves version %s." % (name, version, self.model.version))

    def run_model(self, batch, endpoint, req):
        model = self.model
        try:
            prediction = model.predict_batch(batch)
        except (ValueError, TypeError) as e:
            # Values that passed the signature but not the model (e.g. an unseen category).
            raise RequestError(422, "rejected_by_model", "The model rejected the input: %s: %s" % (type(e).__name__, e))
        except Exception as e:
            raise RequestError(500, "model_failure", "The model failed to predict: %s: %s" % (type(e).__name__, e))
        self.metrics.observe_batch(model, batch, prediction)
        self.log.write(model, new_request_id(req), endpoint, batch, prediction)
        return prediction

    # -- endpoints

    def index(self, req):
        return Response(200, json_bytes({"name": SERVER_NAME, "version": SERVER_VERSION, "model": self.model.name if self.model else None, "endpoints": ["/v2", "/v2/health/live", "/v2/health/ready", "/v2/models/%s" % self.model_name(), "/v2/models/%s/infer" % self.model_name(), "/predict", "/metrics"]}))

    def server_metadata(self, req):
        return Response(200, json_bytes({"name": SERVER_NAME, "version": SERVER_VERSION, "extensions": []}))

    def live(self, req):
        return Response(200, json_bytes({"live": True}))

    def readiness(self, req):
        if self.ready:
            return Response(200, json_bytes({"ready": True}))
        return Response(503, json_bytes({"ready": False, "reason": self.state_reason or self.state}), headers={"Retry-After": "1"})

    def model_ready(self, req, name, version):
        if self.model is not None and (name != self.model.name or (version is not None and version != self.model.version)):
            raise RequestError(404, "unknown_model", "No model %r%s here; this server serves %r version %s." % (name, "" if version is None else " version %s" % version, self.model.name, self.model.version))
        return self.readiness(req)

    def model_metadata(self, req, name, version):
        self.require_model(name, version)
        m = self.model
        inputs = [{"name": i["name"], "datatype": DTYPE_V2[i["dtype"]], "shape": [-1], "parameters": {"dtype": i["dtype"], "nullable": bool(i.get("nullable"))}} for i in m.inputs]
        outputs = [{"name": "label" if m.task == "classification" else "value", "datatype": m.label_datatype(), "shape": [-1]}]
        if m.with_proba:
            outputs.append({"name": "probabilities", "datatype": "FP64", "shape": [-1, len(m.classes)], "parameters": {"classes": m.classes}})
        meta = m.metadata
        doc = {
            "name": m.name,
            "versions": [m.version],
            "platform": meta.get("framework") or meta.get("format"),
            "inputs": inputs,
            "outputs": outputs,
            "parameters": {
                "content_type": "pd",
                "task": m.task,
                "framework": meta.get("framework"),
                "class_name": meta.get("className"),
                "format": meta.get("format"),
                "sha256": meta.get("sha256"),
                "created_at": meta.get("createdAt"),
                "classes": m.classes,
                "max_rows": self.settings.max_rows,
            },
        }
        return Response(200, json_bytes(doc))

    def infer(self, req, name, version):
        self.require_model(name, version)
        m = self.model
        body = self.read_json(req)
        batch = parse_v2(body, m.inputs, self.settings.max_rows)
        req["rows"] = batch.n
        if req["request_id"] is None and batch.request_id and REQUEST_ID.match(batch.request_id):
            req["request_id"] = batch.request_id
        wanted = None
        if isinstance(body.get("outputs"), list):
            available = ["label" if m.task == "classification" else "value"] + (["probabilities"] if m.with_proba else [])
            wanted = []
            for o in body["outputs"]:
                oname = o.get("name") if isinstance(o, dict) else None
                if oname not in available:
                    raise RequestError(400, "bad_request", "The requested output %s does not exist; this model has %s." % (json.dumps(oname), ", ".join(available)))
                wanted.append(oname)
        prediction = self.run_model(batch, "/v2/models/{name}/infer", req)
        label_type = m.label_datatype()
        labels = prediction.labels
        if label_type == "BYTES":
            labels = [None if v is None else (v if isinstance(v, str) else class_label(v)) for v in labels]
        outputs = [{"name": "label" if m.task == "classification" else "value", "datatype": label_type, "shape": [batch.n], "data": labels}]
        if prediction.proba is not None:
            k = len(m.classes)
            flat = [p for row in prediction.proba for p in row]
            outputs.append({"name": "probabilities", "datatype": "FP64", "shape": [batch.n, k], "data": flat, "parameters": {"classes": m.classes}})
        if wanted is not None:
            outputs = [o for o in outputs if o["name"] in wanted]
        rid = new_request_id(req)
        body_id = batch.request_id if batch.request_id is not None else rid
        doc = {"model_name": m.name, "model_version": m.version, "id": body_id, "parameters": {"request_id": rid}, "outputs": outputs}
        return Response(200, json_bytes(doc))

    def predict(self, req):
        if not self.answering:
            raise RequestError(503, "not_ready", "The model is not ready: %s." % (self.state_reason or self.state), headers={"Retry-After": "1"})
        m = self.model
        body = self.read_json(req)
        if isinstance(body, dict):
            if "records" not in body:
                raise RequestError(400, "bad_request", 'The body must be {"records": [{column: value, ...}, ...]} or a JSON list of records; it has no "records".')
            extra = [k for k in body if k not in ("records", "id")]
            if extra:
                raise RequestError(400, "bad_request", 'Unexpected field%s %s beside "records" (only "records" and "id" are read).' % ("s" if len(extra) > 1 else "", ", ".join(json.dumps(k) for k in extra)))
            records = body["records"]
            body_id = body.get("id")
            if req["request_id"] is None and isinstance(body_id, str) and REQUEST_ID.match(body_id):
                req["request_id"] = body_id
        else:
            records = body
        batch = parse_records(records, m.inputs, self.settings.max_rows)
        req["rows"] = batch.n
        prediction = self.run_model(batch, "/predict", req)
        doc = {
            "predictions": prediction.labels,
            "probabilities": prediction.proba,
            "classes": m.classes if m.task == "classification" else None,
            "id": new_request_id(req),
            "model_name": m.name,
            "model_version": m.version,
        }
        return Response(200, json_bytes(doc))

    def metrics_text(self, req):
        return Response(200, self.metrics.render(self.ready).encode("utf-8"), content_type="text/plain; version=0.0.4; charset=utf-8")


def new_request_id(req):
    if not req["request_id"]:
        req["request_id"] = uuid.uuid4().hex
    return req["request_id"]


def header(headers, name):
    if headers is None:
        return None
    get = getattr(headers, "get", None)
    if get is None:
        return None
    v = get(name)
    if v is None and not hasattr(headers, "get_all"):
        for k, value in headers.items():
            if k.lower() == name:
                return value
    return v


def compare_golden(model, golden, prediction, tolerance=None):
    """Rows where the model's answer differs from golden.json: labels exactly (regression values and
    probabilities within the tolerance, absolute; golden "tolerance" or 1e-6)."""
    tol = golden_tolerance(golden) if tolerance is None else tolerance
    out = []
    expected = golden.get("predictions") or []
    for i, (want, got) in enumerate(zip(expected, prediction.labels)):
        if model.task == "regression" and _is_number(want) and _is_number(got):
            if not abs(float(want) - float(got)) <= tol:
                out.append({"row": i, "output": "value", "expected": want, "actual": got})
        elif not same_label(want, got):
            out.append({"row": i, "output": "label", "expected": want, "actual": got})
    if len(expected) != len(prediction.labels):
        out.append({"row": None, "output": "count", "expected": len(expected), "actual": len(prediction.labels)})
    probs = golden.get("probabilities")
    if probs is not None and prediction.proba is not None:
        for i, (want, got) in enumerate(zip(probs, prediction.proba)):
            if len(want) != len(got) or any(g is None or not abs(float(w) - float(g)) <= tol for w, g in zip(want, got)):
                out.append({"row": i, "output": "probabilities", "expected": want, "actual": got})
    elif probs is not None and prediction.proba is None:
        out.append({"row": None, "output": "probabilities", "expected": "probabilities", "actual": None})
    return out


def same_label(want, got):
    if isinstance(want, bool) or isinstance(got, bool):
        return type(want) is type(got) and want == got
    if _is_number(want) and _is_number(got):
        return float(want) == float(got)
    return want == got


def golden_tolerance(golden):
    tol = (golden or {}).get("tolerance")
    if isinstance(tol, dict):
        tol = tol.get("absolute")
    return float(tol) if _is_number(tol) else 1e-6


# ---------------------------------------------------------------------------------------------
# HTTP: one thread, one selector. Each connection's bytes are gathered until a whole request is in
# (head, and the body its Content-Length or chunked framing says), which http.server's request
# handler then parses and answers from memory, its answer queued on the connection and sent as the
# socket takes it. A slow or stalled client therefore holds nothing but its own buffer, and the
# requests of every connection are answered one at a time by the one thread, so no two threads
# fight over the interpreter lock (several threads answering keep-alive connections spent more time
# handing that lock over than answering).

REASONS = {
    100: "Continue",
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    411: "Length Required",
    413: "Content Too Large",
    414: "URI Too Long",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
    503: "Service Unavailable",
    505: "HTTP Version Not Supported",
}


class ClientGone(Exception):
    pass


DRAIN_LIMIT = 8 * 1024 * 1024  # bodies up to this size (beyond the limit) are read and dropped when refused
MAX_LINE = 65536  # a request line or header line longer than this is refused (as http.server does)
MAX_HEAD = 1024 * 1024  # a request head that has not ended within this many bytes is refused (431)
RECV_SIZE = 256 * 1024
HEAD_TOO_LARGE = -1  # Connection.request_end: answer 431 and close
OUTBOX_LIMIT = 4 * 1024 * 1024  # pipelined requests wait while this much of their answers is unsent


class Handler(BaseHTTPRequestHandler):
    """http.server's request parsing and checks for one request already in memory (rfile), its
    answer written to the connection's queue (wfile). Made by Connection.answer, not by socketserver."""

    protocol_version = "HTTP/1.1"
    server_version = "%s/%s" % (SERVER_NAME, SERVER_VERSION)
    sys_version = ""

    def __init__(self, server, conn, raw):
        # No BaseRequestHandler.__init__: it would serve the connection to its end.
        self.server = server
        self.conn = conn
        self.client_address = conn.address
        self.request = self.connection = conn.sock
        self.rfile = io.BytesIO(raw)
        self.wfile = conn
        self.close_connection = True
        self.discard = 0  # body bytes still on their way that the connection must drop

    def __getattr__(self, name):
        # Every method (GET, POST, PUT, BREW...) goes to serve(): unknown ones get a JSON 405, not a 501.
        if name.startswith("do_"):
            return self.serve
        raise AttributeError(name)

    def handle_expect_100(self):
        return True  # the connection sent "100 Continue" when the body was awaited

    def parse_request(self):
        """http.server's parse_request (Python 3.11) with a plain header reader (read_headers) in
        place of the email parser, which cost more than the rest of the request's handling."""
        self.command = None
        self.request_version = version = self.default_request_version
        self.close_connection = True
        requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        self.requestline = requestline
        words = requestline.split()
        if len(words) == 0:
            return False
        if len(words) >= 3:
            version = words[-1]
            try:
                if not version.startswith("HTTP/"):
                    raise ValueError
                numbers = version.split("/", 1)[1].split(".")
                if len(numbers) != 2 or any(not n.isdigit() or len(n) > 10 for n in numbers):
                    raise ValueError
                number = int(numbers[0]), int(numbers[1])
            except (ValueError, IndexError):
                self.send_error(400, "Bad request version (%r)" % version)
                return False
            if number >= (1, 1):
                self.close_connection = False
            if number >= (2, 0):
                self.send_error(505, "Invalid HTTP version (%s)" % version.split("/", 1)[1])
                return False
            self.request_version = version
        if not 2 <= len(words) <= 3:
            self.send_error(400, "Bad request syntax (%r)" % requestline)
            return False
        command, path = words[:2]
        if len(words) == 2:
            self.close_connection = True
            if command != "GET":
                self.send_error(400, "Bad HTTP/0.9 request type (%r)" % command)
                return False
        self.command, self.path = command, path
        if self.path.startswith("//"):
            self.path = "/" + self.path.lstrip("/")
        try:
            self.headers = read_headers(self.rfile)
        except HeaderError as e:
            self.send_error(431, e.args[0], e.args[1])
            return False
        conntype = (self.headers.get("Connection") or "").lower()
        if conntype == "close":
            self.close_connection = True
        elif conntype == "keep-alive":
            self.close_connection = False
        return True

    def read_body(self, limit):
        self.body_read = True
        encoding = (self.headers.get("Transfer-Encoding") or "").lower()
        if encoding and encoding != "identity":
            if encoding.split(",")[-1].strip() != "chunked":
                self.close_connection = True
                raise RequestError(400, "bad_request", "Transfer-Encoding %r is not supported (send Content-Length, or chunked)." % encoding)
            return self.read_chunked(limit)
        length = self.headers.get("Content-Length")
        if length is None:
            self.close_connection = True
            raise RequestError(411, "bad_request", "Content-Length is required for a request body.")
        try:
            n = int(length)
            if n < 0:
                raise ValueError
        except ValueError:
            self.close_connection = True
            raise RequestError(400, "bad_request", "Content-Length %r is not a byte count." % length)
        if n > limit:
            if n - limit <= DRAIN_LIMIT:
                self.drain()  # drop it, so the client gets the answer rather than a reset
            else:
                self.close_connection = True
            raise RequestError(413, "body_too_large", "The body has %d bytes; at most %d are accepted (GREENHOUSE_MAX_BODY_BYTES)." % (n, limit))
        data = self.rfile.read(n)
        if len(data) < n:
            self.close_connection = True
            raise ClientGone()
        return data

    def read_chunked(self, limit):
        parts = []
        total = 0
        while True:
            line = self.rfile.readline(1026)
            if not line:
                self.close_connection = True
                raise ClientGone()
            try:
                size = int(line.split(b";")[0].strip(), 16)
                if size < 0:
                    raise ValueError
            except ValueError:
                self.close_connection = True
                raise RequestError(400, "bad_request", "A chunk size line is malformed.")
            if size == 0:
                while True:  # trailers
                    t = self.rfile.readline(65537)
                    if t in (b"\r\n", b"\n", b""):
                        break
                return b"".join(parts)
            total += size
            if total > limit:
                self.close_connection = True
                raise RequestError(413, "body_too_large", "The body has more than %d bytes (GREENHOUSE_MAX_BODY_BYTES)." % limit)
            chunk = self.rfile.read(size)
            if len(chunk) < size:
                self.close_connection = True
                raise ClientGone()
            parts.append(chunk)
            self.rfile.readline(3)

    def serve(self):
        app = self.server.app
        self.body_read = False
        method = self.command
        try:
            response = app.handle(method, self.path, self.headers, self.read_body, client=self.client_address[0] if self.client_address else None)
        except ClientGone:
            self.close_connection = True
            return
        if not self.body_read and not self.close_connection:
            self.drain()
        self.write_response(response, head=method == "HEAD")

    def drain(self):
        """Drop a body the answer did not need (a 404, 405, 415, 413...), so the client reads the
        answer and the connection can be reused: what is in memory now, and what is still on its way
        (the connection drops it as it comes). A very large or chunked one closes the connection."""
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            return
        try:
            left = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            return
        if left > DRAIN_LIMIT or left < 0:
            self.close_connection = True
            return
        left -= len(self.rfile.read(left))
        self.discard = left

    def write_response(self, response, head=False):
        if self.server.stopping:
            self.close_connection = True
        lines = [
            "HTTP/1.1 %d %s" % (response.status, REASONS.get(response.status, "")),
            "Server: %s" % self.server_version,
            "Date: %s" % http_date(),
            "Content-Type: %s" % response.content_type,
            "Content-Length: %d" % len(response.body),
        ]
        for k, v in response.headers.items():
            lines.append("%s: %s" % (k, v))
        if self.close_connection:
            lines.append("Connection: close")
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        if not head:
            data += response.body
        self.wfile.write(data)

    def send_error(self, code, message=None, explain=None):
        # http.server's own errors (a malformed request line, headers too long...), as JSON.
        self.close_connection = True
        text = message or REASONS.get(code, "Error")
        self.write_response(Response(code, json_bytes({"error": "%s%s" % (text, ": " + explain if explain else ""), "kind": "bad_request" if code < 500 else "protocol"})))
        try:
            self.server.app.metrics.request("other", getattr(self, "command", None) or "-", code, 0.0)
        except Exception:
            pass

    def log_message(self, format, *args):
        self.server.app.logger.log("debug", "http", message=format % args, client=self.client_address[0] if self.client_address else None)


class HeaderError(Exception):
    pass


class Headers(object):
    """Request headers: get() (the first value, any case of the name), get_all(), items()."""

    def __init__(self):
        self.pairs = []
        self.first = {}

    def add(self, name, value):
        self.pairs.append((name, value))
        self.first.setdefault(name.lower(), value)

    def get(self, name, default=None):
        return self.first.get(name.lower(), default)

    def get_all(self, name, failobj=None):
        key = name.lower()
        values = [v for k, v in self.pairs if k.lower() == key]
        return values or failobj

    def items(self):
        return list(self.pairs)

    def keys(self):
        return [k for k, _ in self.pairs]

    def __getitem__(self, name):
        return self.get(name)

    def __contains__(self, name):
        return name.lower() in self.first

    def __iter__(self):
        return iter(self.keys())

    def __len__(self):
        return len(self.pairs)

    def __str__(self):
        return "".join("%s: %s\r\n" % kv for kv in self.pairs) + "\r\n"


def read_headers(rfile, max_headers=100):
    """Header lines up to the empty line, with http.client's limits (a line of at most 65536 bytes,
    at most 100 headers). Values keep what follows the colon, leading blanks and the line end
    removed; a folded line continues the value before it; a line without a colon is skipped."""
    headers = Headers()
    last = None
    while True:
        line = rfile.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise HeaderError("Line too long", "header line")
        if line in (b"\r\n", b"\n", b""):
            return headers
        if len(headers.pairs) >= max_headers:
            raise HeaderError("Too many headers", "got more than %d headers" % max_headers)
        text = line.decode("iso-8859-1").rstrip("\r\n")
        if text[:1] in (" ", "\t") and last is not None:
            name, value = headers.pairs[-1]
            headers.pairs[-1] = (name, value + " " + text.strip())
            if headers.first.get(name.lower()) is value:
                headers.first[name.lower()] = headers.pairs[-1][1]
            continue
        name, colon, value = text.partition(":")
        if not colon:
            continue
        last = name
        headers.add(name, value.lstrip(" \t"))


_date_cache = [0, ""]


def http_date():
    now = int(time.time())
    if now != _date_cache[0]:
        _date_cache[1] = email.utils.formatdate(now, usegmt=True)
        _date_cache[0] = now
    return _date_cache[1]


def header_value(head, name):
    """The first value of a header in a raw request head (bytes, lower-case name), or None."""
    at = 0
    key = b"\n" + name + b":"
    low = head.lower()
    at = low.find(key)
    if at < 0:
        return None
    start = at + len(key)
    end = head.find(b"\n", start)
    return head[start : end if end >= 0 else len(head)].strip()


def chunked_end(buf, start, limit):
    """Where a chunked body that starts at `start` ends (after its trailers); None while more is
    needed; -1 when it is malformed or larger than `limit` (the handler then says so)."""
    at = start
    total = 0
    while True:
        nl = buf.find(b"\n", at, at + 1026)
        if nl < 0:
            return -1 if len(buf) - at >= 1026 else None
        try:
            size = int(bytes(buf[at:nl]).split(b";")[0].strip(), 16)
        except ValueError:
            return -1
        if size < 0:
            return -1
        at = nl + 1
        if size == 0:
            while True:  # trailers, up to an empty line
                nl = buf.find(b"\n", at)
                if nl < 0:
                    return -1 if len(buf) - at > MAX_LINE else None
                line = buf[at : nl + 1]
                at = nl + 1
                if line in (b"\r\n", b"\n"):
                    return at
        total += size
        if total > limit:
            return -1
        if len(buf) < at + size + 1:
            return None
        at += size
        # The chunk's CRLF (http.server's reader takes up to 3 bytes up to a newline).
        nl = buf.find(b"\n", at, at + 3)
        if nl < 0:
            if len(buf) - at < 3:
                return None
            at += 3
        else:
            at = nl + 1


class Connection(object):
    """One client connection: the bytes received and not yet answered, the answers not yet sent."""

    def __init__(self, server, sock, address):
        self.server = server
        self.sock = sock
        self.address = address
        self.fd = sock.fileno()
        self.inbox = bytearray()
        self.outbox = bytearray()
        self.discard = 0  # bytes of a refused body still to drop
        self.continued = False  # "100 Continue" sent for the request being gathered
        self.closing = False  # close once the outbox is sent
        self.closed = False
        self.last = time.monotonic()
        self.events = selectors.EVENT_READ

    # the handler's wfile
    def write(self, data):
        self.outbox += data

    def flush(self):
        pass

    @property
    def busy(self):
        """A request partly received, or an answer not fully sent."""
        return bool(self.inbox) or bool(self.outbox) or self.discard > 0

    def readable(self):
        try:
            data = self.sock.recv(RECV_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self.close()
            return
        if not data:
            self.close()  # the client is gone (a request it had not finished is dropped)
            return
        self.last = time.monotonic()
        if self.discard:
            dropped = min(self.discard, len(data))
            self.discard -= dropped
            data = data[dropped:]
        if self.closing:
            return  # answered with Connection: close; anything more is ignored
        self.inbox += data
        self.answer_all()

    def answer_all(self):
        """Answer every whole request in the inbox, in order (pipelining)."""
        server = self.server
        while self.inbox and not self.closing and not self.discard and not self.closed and len(self.outbox) < OUTBOX_LIMIT:
            end = self.request_end()
            if end is None:
                break
            if end == HEAD_TOO_LARGE:
                handler = Handler(server, self, b"")
                handler.send_error(431, "Request header fields too large", "the head has more than %d bytes" % MAX_HEAD)
                self.closing = True
                self.inbox.clear()
                break
            raw = bytes(self.inbox[:end])
            del self.inbox[:end]
            self.continued = False
            handler = Handler(server, self, raw)
            try:
                handler.handle_one_request()
            except Exception:
                server.app.logger.log("error", "connection_error", client=self.address[0] if self.address else None, traceback=traceback.format_exc())
                handler.close_connection = True
            if handler.close_connection or server.stopping:
                self.closing = True
                self.inbox.clear()
            elif handler.discard:
                dropped = min(handler.discard, len(self.inbox))
                del self.inbox[:dropped]
                self.discard = handler.discard - dropped
        if self.outbox or self.closing:
            self.server.pending.add(self)  # sent once this round's log lines are written

    def request_end(self):
        """Where the first request in the inbox ends: None while more of it is needed (a "100
        Continue" is sent when its head asks for one); the whole inbox, or the head alone, when the
        handler is to answer it now (a line or head too long, a body too large, a malformed framing)."""
        buf = self.inbox
        head_end = buf.find(b"\r\n\r\n")
        if head_end >= 0:
            head_end += 4
        lf = buf.find(b"\n\n", 0, head_end if head_end >= 0 else len(buf))
        if lf >= 0 and (head_end < 0 or lf + 2 < head_end):
            head_end = lf + 2
        if head_end < 0:
            first = buf.find(b"\n")
            if first < 0 and len(buf) > MAX_LINE + 1:
                return len(buf)  # the handler answers 414
            if len(buf) > MAX_HEAD:
                return HEAD_TOO_LARGE
            return None
        if head_end > MAX_HEAD:
            return HEAD_TOO_LARGE
        head = bytes(buf[:head_end])
        encoding = header_value(head, b"transfer-encoding")
        if encoding and encoding.lower() != b"identity":
            if encoding.lower().split(b",")[-1].strip() != b"chunked":
                return head_end  # refused with a 400 and closed
            end = chunked_end(buf, head_end, self.server.app.settings.max_body_bytes)
            if end is None:
                self.continue_if_asked(head)
                return None
            return len(buf) if end < 0 else end
        length = header_value(head, b"content-length")
        if length is None:
            return head_end
        try:
            n = int(length)
            if n < 0:
                raise ValueError
        except ValueError:
            return head_end  # refused with a 400 and closed
        if n > self.server.app.settings.max_body_bytes:
            return head_end  # refused with a 413; the body is dropped as it comes, or the connection closed
        if len(buf) < head_end + n:
            self.continue_if_asked(head)
            return None
        return head_end + n

    def continue_if_asked(self, head):
        if self.continued:
            return
        expect = header_value(head, b"expect")
        first = head.split(b"\n", 1)[0].rstrip()
        if expect and expect.lower() == b"100-continue" and first.endswith(b"HTTP/1.1"):
            self.continued = True
            self.outbox += b"HTTP/1.1 100 Continue\r\n\r\n"
            self.server.pending.add(self)

    def send(self):
        while self.outbox:
            try:
                n = self.sock.send(self.outbox)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                self.close()
                return
            del self.outbox[:n]
            self.last = time.monotonic()
        if self.outbox:
            self.watch(selectors.EVENT_WRITE)
        elif self.closing:
            self.close()
        else:
            self.watch(selectors.EVENT_READ)

    def watch(self, events):
        if events != self.events and not self.closed:
            self.events = events
            self.server.selector.modify(self.sock, events, self)

    def close(self):
        if self.closed:
            return
        self.closed = True
        self.server.forget(self)
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class Server(object):
    """The listening socket and its connections, served by one selector loop in one thread."""

    def __init__(self, address, app, family=socket.AF_INET, backlog=128):
        self.app = app
        self.stopping = False
        self.connections = {}  # fd -> Connection
        self.pending = set()  # connections with answers to send at the end of the round
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.socket.bind(address)
            self.socket.listen(backlog)
        except OSError:
            self.socket.close()
            raise
        self.socket.setblocking(False)
        self.server_address = self.socket.getsockname()
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.socket, selectors.EVENT_READ, None)
        self.wake_r, self.wake_w = socket.socketpair()
        self.wake_r.setblocking(False)
        self.wake_w.setblocking(False)
        self.selector.register(self.wake_r, selectors.EVENT_READ, "wake")

    def wake(self):
        try:
            self.wake_w.send(b"x")
        except OSError:
            pass

    def stop(self):
        """Stop taking connections; close the idle ones; busy ones get their answer (with
        Connection: close), then close. Safe from any thread and from a signal handler."""
        self.stopping = True
        self.wake()

    def forget(self, conn):
        if self.connections.pop(conn.fd, None) is not None:
            try:
                self.selector.unregister(conn.sock)
            except (KeyError, ValueError, OSError):
                pass

    def busy_count(self):
        return sum(1 for c in list(self.connections.values()) if c.busy)

    def accept(self):
        for _ in range(64):
            try:
                sock, address = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as e:
                self.app.logger.log("warning", "accept_failed", reason="%s: %s" % (type(e).__name__, e))
                return
            sock.setblocking(False)
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
            conn = Connection(self, sock, address)
            self.connections[conn.fd] = conn
            self.selector.register(sock, selectors.EVENT_READ, conn)

    def serve(self, timeout, shutdown_timeout):
        """Serve until stop(); then answer what is in flight for up to shutdown_timeout seconds.
        Returns the number of connections still busy when it gave up."""
        self.app.logger.hold()
        self.app.log.deferred = True
        try:
            return self._serve(timeout, shutdown_timeout)
        finally:
            self.app.log.deferred = False
            self.app.log.flush()
            self.app.logger.release()

    def _serve(self, timeout, shutdown_timeout):
        listening = True
        deadline = None
        next_sweep = 0.0
        while True:
            if self.stopping and listening:
                listening = False
                self.selector.unregister(self.socket)
                self.socket.close()
                deadline = time.monotonic() + shutdown_timeout
            if not listening:
                for conn in list(self.connections.values()):
                    if not conn.busy:
                        conn.close()
                if not self.connections:
                    return 0
                if time.monotonic() >= deadline:
                    left = self.busy_count()
                    for conn in list(self.connections.values()):
                        conn.close()
                    return left
            for key, events in self.selector.select(0.25):
                conn = key.data
                if conn is None:
                    self.accept()
                elif conn == "wake":
                    try:
                        while self.wake_r.recv(512):
                            pass
                    except OSError:
                        pass
                else:
                    try:
                        if events & selectors.EVENT_WRITE:
                            conn.send()
                            if not conn.outbox and not conn.closed:
                                conn.answer_all()  # requests that came while the answer was going out
                        else:
                            conn.readable()
                    except Exception:
                        # A fault of this server's: this connection goes, the others are served on.
                        self.app.logger.log("error", "connection_error", client=conn.address[0] if conn.address else None, traceback=traceback.format_exc())
                        conn.close()
            if self.pending:
                # The round's log lines first (one write each, however many requests), then the answers.
                self.app.logger.flush()
                self.app.log.flush()
                pending, self.pending = self.pending, set()
                for conn in pending:
                    if not conn.closed:
                        conn.send()
            now = time.monotonic()
            if now >= next_sweep:
                next_sweep = now + min(1.0, timeout / 4)
                for conn in list(self.connections.values()):
                    if now - conn.last > timeout:
                        self.app.logger.log("debug", "connection_timeout", client=conn.address[0] if conn.address else None, busy=conn.busy)
                        conn.close()

    def close(self):
        for conn in list(self.connections.values()):
            conn.close()
        try:
            self.socket.close()
        except OSError:
            pass
        self.selector.close()
        self.wake_r.close()
        self.wake_w.close()


# ---------------------------------------------------------------------------------------------
# main


def main(argv=None):
    try:
        settings = Settings.from_env()
    except ConfigError as e:
        JsonLogger("info").log("error", "bad_configuration", message=str(e))
        return 2
    logger = JsonLogger(settings.log_level)
    app = App(settings, logger)
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    try:
        server = Server((settings.host, settings.port), app, family)
    except OSError as e:
        logger.log("error", "listen_failed", host=settings.host, port=settings.port, message="Cannot listen on %s:%s: %s" % (settings.host, settings.port, e))
        return 1
    port = server.server_address[1]
    outcome = {"code": 0}
    stop_once = threading.Event()

    def stop(code, reason):
        if stop_once.is_set():
            return
        stop_once.set()
        outcome["code"] = code
        if code == 0:
            app.stopping()
        else:
            app.failed(reason)
        logger.log("info" if code == 0 else "error", "shutting_down", reason=reason, in_flight=server.busy_count())
        server.stop()

    def on_signal(signum, _frame):
        if stop_once.is_set():
            logger.log("warning", "forced_exit", signal=signal.Signals(signum).name)
            os._exit(1)
        stop(0, signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def load():
        try:
            app.load()
        except Exception as e:
            message = str(e) if isinstance(e, LoadError) else "%s: %s" % (type(e).__name__, e)
            logger.log("error", "model_load_failed", message=message)
            stop(1, "the model could not be loaded: %s" % message)

    logger.log("info", "listening", host=settings.host, port=port, bundle=settings.bundle_dir, max_rows=settings.max_rows, pid=os.getpid())
    threading.Thread(target=load, name="load-model", daemon=True).start()
    left = server.serve(settings.request_timeout, settings.shutdown_timeout)
    if left:
        logger.log("warning", "shutdown_timeout", unfinished=left, seconds=settings.shutdown_timeout)
    server.close()
    app.log.close()
    logger.log("info", "stopped", code=outcome["code"])
    return outcome["code"]


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.exit(code)
