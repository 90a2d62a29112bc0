"""Greenhouse bundle tests, run inside the image from the bundle root:

    python3 tests/test_model.py        (pytest when the image has it, else a small built-in runner)
    python3 -m pytest -q tests/        (the same tests, through pytest)

They read everything from the bundle at run time (model/metadata.json, model/golden.json and the
serving app app/server.py, imported without starting it), so one file serves every bundle:
- the model loads;
- the signature holds: the model takes the signature's columns (feature_names_in_ and
  n_features_in_ agree when the model has them) and its classes are the metadata's;
- golden predictions match: labels exactly, probabilities and regression values within the
  golden set's "tolerance" (absolute; 1e-6 when absent);
- the serving app answers the golden rows the same through /predict and the V2 infer endpoint;
- bad input is rejected by the serving app's validation with a 4xx naming the problem (missing
  and unknown columns, wrong types, nulls, an empty or too large batch, malformed JSON, a wrong
  content type);
- single-request latency: p50 of 20 one-row /predict calls within GREENHOUSE_LATENCY_BUDGET_MS
  (default 200 ms).
GREENHOUSE_BUNDLE_DIR overrides the bundle root (default: this file's parent folder's parent).
"""

import importlib.util
import json
import os
import statistics
import sys
import time

try:
    import pytest
except ImportError:  # images made with the pip or wheelhouse strategy carry only the model's libraries
    pytest = None

sys.dont_write_bytecode = True  # the image's file system may be read-only

BUNDLE = os.path.abspath(os.environ.get("GREENHOUSE_BUNDLE_DIR") or os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
LATENCY_BUDGET_MS = float(os.environ.get("GREENHOUSE_LATENCY_BUDGET_MS") or 200)


class _Skipped(Exception):
    pass


class _Raises(object):
    """pytest.raises for the built-in runner: the block must raise `expected`; `.value` is the error."""

    def __init__(self, expected):
        self.expected = expected
        self.value = None

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        if kind is None:
            raise AssertionError("did not raise %s" % self.expected.__name__)
        if not issubclass(kind, self.expected):
            return False
        self.value = value
        return True


class _BuiltinPytest(object):
    """The part of pytest these tests use (module-scoped fixtures, skip, raises), for images without it."""

    fixtures = {}

    @staticmethod
    def fixture(scope=None):
        def register(fn):
            _BuiltinPytest.fixtures[fn.__name__] = fn
            return fn

        return register

    @staticmethod
    def skip(reason):
        raise _Skipped(reason)

    @staticmethod
    def raises(expected):
        return _Raises(expected)


if pytest is None:
    pytest = _BuiltinPytest


def import_server():
    path = os.path.join(BUNDLE, "app", "server.py")
    spec = importlib.util.spec_from_file_location("greenhouse_server", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["greenhouse_server"] = module
    spec.loader.exec_module(module)
    return module


server = import_server()


@pytest.fixture(scope="module")
def metadata():
    return server.load_metadata(BUNDLE)


@pytest.fixture(scope="module")
def golden():
    g = server.load_golden(BUNDLE)
    if not g or not g.get("rows"):
        pytest.skip("the bundle has no golden rows (model/golden.json)")
    return g


@pytest.fixture(scope="module")
def model():
    return server.ServingModel.load(BUNDLE)


@pytest.fixture(scope="module")
def app(model):
    settings = server.Settings(bundle_dir=BUNDLE, prediction_log="", log_level="error")
    return server.App(settings, server.JsonLogger("error"), model=model)


def golden_records(golden, model):
    columns = golden.get("columns") or model.columns
    return [dict(zip(columns, row)) for row in golden["rows"]]


def post(app, path, doc, content_type="application/json"):
    body = doc if isinstance(doc, bytes) else json.dumps(doc).encode("utf-8")
    return app.handle("POST", path, {"content-type": content_type}, body)


def describe(mismatches, limit=5):
    return "; ".join(
        "row %s %s: expected %s, got %s" % (m["row"], m["output"], json.dumps(m["expected"]), json.dumps(m["actual"])) for m in mismatches[:limit]
    ) + (" (and %d more)" % (len(mismatches) - limit) if len(mismatches) > limit else "")


# ---------------------------------------------------------------------------------------------


def test_model_loads(model, metadata):
    assert model.model is not None
    assert model.name == str(metadata["name"])
    assert model.task == metadata["task"]


def test_signature_holds(model, metadata, golden):
    names = [i["name"] for i in metadata["signature"]["inputs"]]
    assert names, "the signature lists no inputs"
    est = model.model
    if not model.onnx:
        feature_names = getattr(est, "feature_names_in_", None)
        if feature_names is not None:
            assert [str(f) for f in feature_names] == names, "the model was fitted on columns %s, the signature says %s" % (list(feature_names), names)
        n_features = getattr(est, "n_features_in_", None)
        if n_features is not None:
            assert n_features == len(names), "the model takes %d features, the signature lists %d" % (n_features, len(names))
        if model.task == "classification" and getattr(est, "classes_", None) is not None and metadata.get("classes") is not None:
            assert [server.json_scalar(c) for c in est.classes_] == metadata["classes"]
    # The model takes a frame of exactly the signature's columns, typed as the serving app types them.
    batch = server.parse_records(golden_records(golden, model), model.inputs, len(golden["rows"]))
    frame = server.to_frame(batch, model.inputs)
    assert list(frame.columns) == names
    prediction = model.predict(frame)
    assert len(prediction.labels) == len(golden["rows"])
    if model.with_proba:
        assert prediction.proba is not None and all(len(row) == len(model.classes) for row in prediction.proba)


def test_golden_predictions_match(model, golden):
    batch = server.parse_records(golden_records(golden, model), model.inputs, len(golden["rows"]))
    prediction = model.predict(server.to_frame(batch, model.inputs))
    mismatches = server.compare_golden(model, golden, prediction)
    tol = server.golden_tolerance(golden)
    assert not mismatches, "%d golden prediction(s) differ (tolerance %g): %s" % (len(mismatches), tol, describe(mismatches))


def test_serving_app_answers_the_golden_rows(app, model, golden):
    records = golden_records(golden, model)
    r = post(app, "/predict", {"records": records})
    assert r.status == 200, r.body
    doc = r.json()
    prediction = server.Prediction(doc["predictions"], doc["probabilities"])
    mismatches = server.compare_golden(model, golden, prediction)
    assert not mismatches, "/predict: %s" % describe(mismatches)

    tensors = []
    for spec in model.inputs:
        tensors.append({"name": spec["name"], "datatype": server.DTYPE_V2[spec["dtype"]], "shape": [len(records)], "data": [r[spec["name"]] for r in records]})
    r = post(app, "/v2/models/%s/infer" % model.name, {"inputs": tensors})
    assert r.status == 200, r.body
    outputs = dict((o["name"], o) for o in r.json()["outputs"])
    labels = outputs["label" if model.task == "classification" else "value"]["data"]
    proba = None
    if "probabilities" in outputs:
        n, k = outputs["probabilities"]["shape"]
        flat = outputs["probabilities"]["data"]
        proba = [flat[i * k : (i + 1) * k] for i in range(n)]
    if model.label_datatype() == "BYTES":
        golden = dict(golden, predictions=[None if v is None else server.class_label(v) if not isinstance(v, str) else v for v in golden["predictions"]])
    mismatches = server.compare_golden(model, golden, server.Prediction(labels, proba))
    assert not mismatches, "V2 infer: %s" % describe(mismatches)


def wrong_value(dtype):
    return {"int64": "forty-two", "float64": "not a number", "bool": "yes", "string": 42, "datetime": 42, "object": {"nested": True}}[dtype]


def bad_inputs(model, golden):
    """(name, records or raw body, expected status, expected kind, a word the message names)."""
    good = golden_records(golden, model)[0]
    first = model.inputs[0]["name"]
    cases = [
        ("missing column", [dict((k, v) for k, v in good.items() if k != first)], 422, "missing_column", first),
        ("unknown column", [dict(good, not_a_feature=1)], 422, "unknown_column", "not_a_feature"),
        ("empty batch", [], 422, "empty_batch", "empty"),
        ("too many rows", [good] * (model_max_rows() + 1), 413, "too_many_rows", str(model_max_rows())),
        ("not a list", {"records": "nope"}, 400, "bad_request", "records"),
    ]
    for spec in model.inputs:
        cases.append(("wrong type for %s" % spec["name"], [dict(good, **{spec["name"]: wrong_value(spec["dtype"])})], 422, "wrong_type", spec["name"]))
        if not spec.get("nullable"):
            cases.append(("null in %s" % spec["name"], [dict(good, **{spec["name"]: None})], 422, "null_value", spec["name"]))
    return cases


def model_max_rows():
    return 50


@pytest.fixture(scope="module")
def small_app(model):
    settings = server.Settings(bundle_dir=BUNDLE, prediction_log="", log_level="error", max_rows=model_max_rows(), max_body_bytes=64 * 1024)
    return server.App(settings, server.JsonLogger("error"), model=model)


def test_bad_input_is_rejected(small_app, model, golden):
    for name, records, status, kind, word in bad_inputs(model, golden):
        body = records if isinstance(records, dict) else {"records": records}
        r = post(small_app, "/predict", body)
        doc = r.json()
        assert r.status == status, "%s: expected %d, got %d %s" % (name, status, r.status, doc)
        assert doc["kind"] == kind, "%s: %s" % (name, doc)
        assert word in doc["error"], "%s: the message does not name %r: %s" % (name, word, doc["error"])
    # The validator itself, without HTTP.
    with pytest.raises(server.RequestError) as e:
        server.parse_records([{}], model.inputs, 10)
    assert e.value.status == 422 and e.value.kind == "missing_column"


def test_bad_requests_are_rejected(small_app, model, golden):
    good = {"records": golden_records(golden, model)[:1]}
    cases = [
        ("malformed JSON", b'{"records": [', "application/json", 400, "malformed_json"),
        ("not UTF-8", b'{"records": ["\xff"]}', "application/json", 400, "malformed_json"),
        ("NaN literal", b'{"records": [{"x": NaN}]}', "application/json", 400, "malformed_json"),
        ("wrong content type", json.dumps(good).encode(), "text/plain", 415, "unsupported_media_type"),
        ("body too large", b" " * (64 * 1024 + 1), "application/json", 413, "body_too_large"),
    ]
    for name, body, ctype, status, kind in cases:
        r = post(small_app, "/predict", body, ctype)
        assert r.status == status and r.json()["kind"] == kind, "%s: %d %s" % (name, r.status, r.body)
    r = post(small_app, "/v2/models/%s/infer" % model.name, {"inputs": [{"name": "nope", "datatype": "FP64", "shape": [1], "data": [1.0]}]})
    assert r.status == 422 and "nope" in r.json()["error"]
    r = post(small_app, "/v2/models/%s/infer" % model.name, {"inputs": [{"name": model.columns[0], "datatype": "FP64", "shape": [2], "data": [1.0]}]})
    assert r.status == 400 and "shape" in r.json()["error"]


def test_single_request_latency(app, model, golden):
    body = json.dumps({"records": golden_records(golden, model)[:1]}).encode("utf-8")
    for _ in range(3):  # warm up
        post(app, "/predict", body)
    times = []
    for _ in range(20):
        started = time.perf_counter()
        r = post(app, "/predict", body)
        times.append((time.perf_counter() - started) * 1000)
        assert r.status == 200
    p50 = statistics.median(times)
    assert p50 <= LATENCY_BUDGET_MS, "p50 latency %.1f ms exceeds the budget of %.0f ms (GREENHOUSE_LATENCY_BUDGET_MS)" % (p50, LATENCY_BUDGET_MS)


# ---------------------------------------------------------------------------------------------


def run_builtin():
    """Run every test_ function in file order, fixtures resolved by name once (module scope); print a
    pytest-like summary ("5 passed, 1 failed in 0.42s"); exit code 1 when any failed."""
    import inspect
    import traceback

    made = {}

    def resolve(name):
        if name not in made:
            fn = _BuiltinPytest.fixtures[name]
            try:
                made[name] = ("ok", fn(*[resolve(p) for p in inspect.signature(fn).parameters]))
            except Exception as e:  # kept, so every test using the fixture reports it
                made[name] = ("error", e)
        state, value = made[name]
        if state == "error":
            raise value
        return value

    counts = {"passed": 0, "failed": 0, "skipped": 0, "errors": 0}
    started = time.perf_counter()
    tests = [(n, f) for n, f in list(globals().items()) if n.startswith("test_") and callable(f)]
    for name, fn in tests:
        try:
            args = [resolve(p) for p in inspect.signature(fn).parameters]
        except _Skipped as e:
            counts["skipped"] += 1
            print("SKIPPED %s: %s" % (name, e))
            continue
        except Exception:
            counts["errors"] += 1
            print("ERROR %s (setting up)\n%s" % (name, traceback.format_exc()))
            continue
        try:
            fn(*args)
        except _Skipped as e:
            counts["skipped"] += 1
            print("SKIPPED %s: %s" % (name, e))
        except Exception as e:
            counts["failed"] += 1
            print("FAILED %s - %s: %s\n%s" % (name, type(e).__name__, e, traceback.format_exc()))
        else:
            counts["passed"] += 1
            print("PASSED %s" % name)
    words = [("failed", "failed"), ("passed", "passed"), ("skipped", "skipped"), ("errors", "error" if counts["errors"] == 1 else "errors")]
    summary = ", ".join("%d %s" % (counts[k], w) for k, w in words if counts[k]) or "no tests ran"
    print("==== %s in %.2fs (built-in runner: pytest is not installed) ====" % (summary, time.perf_counter() - started))
    return 1 if counts["failed"] or counts["errors"] or not counts["passed"] else 0


if __name__ == "__main__":
    if pytest is _BuiltinPytest:
        sys.exit(run_builtin())
    sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", os.path.abspath(__file__)]))
