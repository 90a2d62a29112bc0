#!/usr/bin/env python3
"""Greenhouse's serving app: one model behind the Open Inference Protocol (KServe / MLServer "V2").

Started from the bundle root as ``python3 app/server.py``. It reads ``model/metadata.json``
(ServingMetadata: name, version, format, modelFile, task, classes, signature, createdAt, sha256),
loads the model once, in a thread after the port is open (live at once, ready once loaded; a model
that cannot load is logged and the process exits 1), and serves it on http.server's
ThreadingHTTPServer. Standard library plus numpy/pandas (and joblib, or onnxruntime for ONNX).

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
GREENHOUSE_SHUTDOWN_TIMEOUT (seconds in-flight requests get after SIGTERM, 25).

Logs: one JSON object per line on stdout ({"time", "level", "event", ...}; "event": "request" for
the access log). The prediction log is JSON Lines, one line per (sampled) record:
{"time", "request_id", "model", "version", "endpoint", "row", "inputs": {column: value},
 "prediction", "probabilities": [...] | null}; app/drift.py reads it as a batch.

SIGTERM/SIGINT: readiness turns 503, the listener closes, idle keep-alive connections are closed,
in-flight requests finish, then the process exits 0 (a second signal exits at once, code 1).

Importable without side effects: tests use load_metadata, ServingModel, parse_records, parse_v2,
to_frame, App (App.handle serves one request without a socket) and RequestError.
"""

import datetime
import email.utils
import json
import math
import os
import random
import re
import signal
import socket
import sys
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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

    def enabled(self, level):
        return LEVELS[level] >= self.level

    def log(self, level, event, **fields):
        if LEVELS[level] < self.level:
            return
        doc = {"time": utc_now_iso(), "level": level, "event": event}
        doc.update(fields)
        line = json.dumps(doc, default=str, ensure_ascii=False) + "\n"
        with self.lock:
            try:
                self.stream.write(line)
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
        import numpy as np

        if self.onnx:
            labels, proba = self._predict_onnx(frame)
        else:
            X = self.model_input(frame)
            labels = np.asarray(self.model.predict(X))
            if labels.ndim > 1 and labels.shape[1] == 1:
                labels = labels.ravel()
            proba = np.asarray(self.model.predict_proba(X), dtype=float) if self.with_proba else None
        out_labels = [json_scalar(v) for v in labels.tolist()]
        bad_labels = sum(1 for v in labels.tolist() if is_nonfinite(v))
        out_proba = None
        bad_proba = 0
        if proba is not None:
            finite = np.isfinite(proba)
            bad_proba = int(proba.size - finite.sum())
            out_proba = proba.tolist()
            if bad_proba:
                out_proba = [[p if math.isfinite(p) else None for p in row] for row in out_proba]
        return Prediction(out_labels, out_proba, bad_labels, bad_proba)

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
    import numpy as np
    import pandas as pd

    data = {}
    for spec in inputs:
        name, dtype = spec["name"], spec["dtype"]
        values = batch.columns[name]
        has_null = bool(spec.get("nullable")) or any(v is None for v in values)
        try:
            if dtype == "int64" and not has_null:
                arr = np.array([int(v) for v in values], dtype="int64")
            elif dtype in ("int64", "float64"):
                arr = np.array([np.nan if v is None else float(v) for v in values], dtype="float64")
            elif dtype == "bool" and not has_null:
                arr = np.array(values, dtype="bool")
            elif dtype == "datetime":
                arr = pd.to_datetime(pd.Series(values, dtype=object))
            else:
                arr = object_array([np.nan if v is None else v for v in values] if dtype in ("string", "bool") else values)
        except (TypeError, ValueError, OverflowError):
            arr = object_array(values)
        data[name] = arr
    # Arrays, not Series: building the frame is several times faster for the one-row requests.
    return pd.DataFrame(data, copy=False)  # dict order is the signature order


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
                self.file.flush()
                with self.metrics.lock:
                    self.metrics.log_lines += len(lines)
            except (OSError, ValueError) as e:
                with self.metrics.lock:
                    self.metrics.log_errors += 1
                self.logger.log("warning", "prediction_log_write_failed", path=self.path, reason="%s: %s" % (type(e).__name__, e))

    def close(self):
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

    def stopping(self):
        self.state = "stopping"
        self.state_reason = "the server is shutting down"

    def failed(self, reason):
        self.state = "failed"
        self.state_reason = reason

    @property
    def ready(self):
        return self.state == "ready"

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
        if self.model is None or not self.ready:
            raise RequestError(503, "not_ready", "The model is not ready: %s." % (self.state_reason or self.state), headers={"Retry-After": "1"})
        if name != self.model.name:
            raise RequestError(404, "unknown_model", "No model named %r here; this server serves %r." % (name, self.model.name))
        if version is not None and version != self.model.version:
            raise RequestError(404, "unknown_version", "Model %r has no version %r here; this server serves version %s." % (name, version, self.model.version))

    def run_model(self, batch, endpoint, req):
        model = self.model
        frame = to_frame(batch, model.inputs)
        try:
            prediction = model.predict(frame)
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
        if self.model is None or not self.ready:
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
# HTTP: http.server's ThreadingHTTPServer with keep-alive, tracked connections, graceful stop

REASONS = {
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


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "%s/%s" % (SERVER_NAME, SERVER_VERSION)
    sys_version = ""
    disable_nagle_algorithm = True
    timeout = DEFAULTS["GREENHOUSE_REQUEST_TIMEOUT"]

    def __getattr__(self, name):
        # Every method (GET, POST, PUT, BREW...) goes to serve(): unknown ones get a JSON 405, not a 501.
        if name.startswith("do_"):
            return self.serve
        raise AttributeError(name)

    def setup(self):
        BaseHTTPRequestHandler.setup(self)
        self.server.track(self, busy=False)

    def finish(self):
        try:
            BaseHTTPRequestHandler.finish(self)
        finally:
            self.server.untrack(self)

    def parse_request(self):
        self.server.track(self, busy=True)
        return BaseHTTPRequestHandler.parse_request(self)

    def handle_one_request(self):
        try:
            BaseHTTPRequestHandler.handle_one_request(self)
        except (ConnectionError, socket.timeout, OSError):
            self.close_connection = True
        finally:
            self.server.track(self, busy=False)
            if self.server.stopping:
                self.close_connection = True

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
                self.drain()  # read and drop it, so the client gets the answer rather than a reset
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
                raise ClientGone()
            try:
                size = int(line.split(b";")[0].strip(), 16)
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
        """Read and drop a body the answer did not need (a 404, 405, 415...), so the client reads the
        answer and the connection can be reused; a very large or chunked one closes the connection."""
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            return
        try:
            left = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            return
        if left > DRAIN_LIMIT:
            self.close_connection = True
            return
        while left > 0:
            chunk = self.rfile.read(min(left, 65536))
            if not chunk:
                self.close_connection = True
                return
            left -= len(chunk)

    def write_response(self, response, head=False):
        if self.server.stopping:
            self.close_connection = True
        lines = [
            "HTTP/1.1 %d %s" % (response.status, REASONS.get(response.status, "")),
            "Server: %s" % self.server_version,
            "Date: %s" % email.utils.formatdate(usegmt=True),
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
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except (ConnectionError, socket.timeout, OSError):
            self.close_connection = True

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


class Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, app, family=socket.AF_INET):
        self.address_family = family
        self.app = app
        self.stopping = False
        self.conn_lock = threading.Lock()
        self.connections = {}  # handler -> busy
        handler = type("BoundHandler", (Handler,), {"timeout": app.settings.request_timeout})
        ThreadingHTTPServer.__init__(self, address, handler)

    def track(self, handler, busy):
        with self.conn_lock:
            self.connections[handler] = busy
            if not busy and self.stopping:
                shut(handler)

    def untrack(self, handler):
        with self.conn_lock:
            self.connections.pop(handler, None)

    def busy_count(self):
        with self.conn_lock:
            return sum(1 for b in self.connections.values() if b)

    def close_idle(self):
        with self.conn_lock:
            self.stopping = True
            for h, busy in list(self.connections.items()):
                if not busy:
                    shut(h)

    def handle_error(self, request, client_address):
        self.app.logger.log("error", "connection_error", client=client_address[0] if client_address else None, traceback=traceback.format_exc())


def shut(handler):
    try:
        handler.connection.shutdown(socket.SHUT_RD)
    except OSError:
        pass


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
        threading.Thread(target=server.shutdown, name="shutdown", daemon=True).start()

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
    server.serve_forever(poll_interval=0.2)
    # No new connections from here; close the idle keep-alive ones, let busy ones finish.
    server.close_idle()
    deadline = time.monotonic() + settings.shutdown_timeout
    while server.busy_count() > 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    left = server.busy_count()
    if left:
        # Stop waiting: close the listener without joining the stuck request threads.
        logger.log("warning", "shutdown_timeout", unfinished=left, seconds=settings.shutdown_timeout)
        server.socket.close()
    else:
        server.close_idle()
        server.server_close()
    app.log.close()
    logger.log("info", "stopped", code=outcome["code"])
    return outcome["code"]


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    if threading.active_count() > 1:
        os._exit(code)  # a request thread that did not finish in time must not hold the exit
    sys.exit(code)
