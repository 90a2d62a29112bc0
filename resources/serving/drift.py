#!/usr/bin/env python3
"""Greenhouse drift check: compare a batch of production inputs with the training data's profile.

    python3 app/drift.py BATCH [--reference monitoring/reference-profile.json] [--json]
                               [--features a,b,...] [--fail-on-drift]

BATCH is a CSV (.csv, .tsv, optionally .gz), JSON Lines (.jsonl/.ndjson: one record per line, or the
serving app's prediction log, whose lines carry the record under "inputs") or a JSON list of
records (.json). The reference is the bundle's monitoring/reference-profile.json:
{"dataset": {...}, "columns": [ColumnProfile, ...]} as Greenhouse profiles a dataset (per column:
kind, nulls, histogram [{lower, upper, count}] for numbers and dates, top [{value, count}] for
text and booleans).

Per feature, the batch is counted in the reference's buckets, and two numbers compare the shares:
- numbers and dates: the reference histogram's bins, (lower, upper] with the first one closed
  [lower, upper] (as the profile counts them); values below the first bin count in the first,
  above the last in the last (reported separately as below/above range);
- text and booleans: one bucket per value of the reference's "top", plus "other/new" (values the
  reference does not list; counted as new when the reference lists every value it saw);
- and, for every feature, one bucket of nulls.
population stability index  PSI = sum (a - e) * ln(a / e), shares clamped at 1e-4 (as Greenhouse's
                            dataset diff does); < 0.1 stable, < 0.25 moderate, else significant;
Jensen-Shannon distance     JS = sqrt(JSD) with base-2 logarithms, between 0 and 1; >= 0.1 drift.
A feature drifts when its PSI is significant (>= 0.25), or moderate and JS >= 0.1. The dataset
drifts when at least half of the features checked drift.

The features checked: --features, else the model's signature inputs (model/metadata.json beside the
reference) found in the reference, else every reference column in the batch. Exit 0 when the
check ran (whatever the verdict; 3 with --fail-on-drift and drift), 1 when it could not run (the
reason on stderr), 2 on a usage error. Standard library plus numpy and pandas.
"""

import argparse
import gzip
import io
import json
import math
import os
import sys

PSI_EPSILON = 1e-4
PSI_MODERATE = 0.1
PSI_SIGNIFICANT = 0.25
JS_THRESHOLD = 0.1
REFERENCE_FILE = os.path.join("monitoring", "reference-profile.json")
METADATA_FILE = os.path.join("model", "metadata.json")
NUMERIC_KINDS = ("integer", "number")
DATE_KINDS = ("date", "timestamp")
CATEGORY_KINDS = ("text", "boolean")


class DriftError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# the two measures


def shares(counts):
    total = float(sum(counts))
    return [c / total for c in counts] if total > 0 else None


def psi(expected_counts, actual_counts, epsilon=PSI_EPSILON):
    """Population stability index of `actual` against `expected` (counts over the same buckets)."""
    if len(expected_counts) != len(actual_counts) or not expected_counts:
        return None
    e, a = shares(expected_counts), shares(actual_counts)
    if e is None or a is None:
        return None
    total = 0.0
    for pe, pa in zip(e, a):
        pe, pa = max(pe, epsilon), max(pa, epsilon)
        total += (pa - pe) * math.log(pa / pe)
    return total


def js_distance(expected_counts, actual_counts):
    """Jensen-Shannon distance (base 2, in [0, 1]) between two count vectors over the same buckets."""
    if len(expected_counts) != len(actual_counts) or not expected_counts:
        return None
    p, q = shares(expected_counts), shares(actual_counts)
    if p is None or q is None:
        return None
    div = 0.0
    for pi, qi in zip(p, q):
        m = (pi + qi) / 2
        if pi > 0:
            div += 0.5 * pi * math.log2(pi / m)
        if qi > 0:
            div += 0.5 * qi * math.log2(qi / m)
    return math.sqrt(max(div, 0.0))


def psi_band(value):
    if value is None:
        return None
    return "stable" if value < PSI_MODERATE else "moderate" if value < PSI_SIGNIFICANT else "significant"


def drifted(psi_value, js_value):
    if psi_value is None:
        return False
    return psi_value >= PSI_SIGNIFICANT or (psi_value >= PSI_MODERATE and js_value is not None and js_value >= JS_THRESHOLD)


# ---------------------------------------------------------------------------------------------
# reading


def open_text(path):
    if path.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig")
    return open(path, "r", encoding="utf-8-sig")


def read_batch(path):
    """The batch as a list-of-values per column: {column: [value, ...]}, and its row count.
    CSV fields stay text (converted per the reference's kinds later), as pandas would read them
    with dtype=str; JSON values keep their types."""
    import pandas as pd

    base = path[:-3] if path.endswith(".gz") else path
    ext = os.path.splitext(base)[1].lower()
    if not os.path.isfile(path):
        raise DriftError("The batch %s does not exist." % path)
    if ext in (".csv", ".tsv", ".txt"):
        try:
            df = pd.read_csv(path, sep="\t" if ext == ".tsv" else ",", dtype=str, keep_default_na=False, na_values=[""])
        except Exception as e:
            raise DriftError("The batch %s is not a readable CSV: %s" % (path, e))
        columns = dict((str(c), [None if (isinstance(v, float) and math.isnan(v)) else v for v in df[c].tolist()]) for c in df.columns)
        return columns, len(df), "csv"
    records = []
    with open_text(path) as f:
        if ext == ".json":
            try:
                doc = json.load(f)
            except ValueError as e:
                raise DriftError("The batch %s is not valid JSON: %s" % (path, e))
            if isinstance(doc, dict) and isinstance(doc.get("records"), list):
                doc = doc["records"]
            if not isinstance(doc, list):
                raise DriftError("The batch %s must hold a JSON list of records." % path)
            items = enumerate(doc, 1)
            fmt = "json"
        else:
            items = ((n, line) for n, line in enumerate(f, 1))
            fmt = "jsonl"
        lines = fmt == "jsonl"
        for n, item in items:
            if lines:
                if not item.strip():
                    continue
                try:
                    item = json.loads(item)
                except ValueError as e:
                    raise DriftError("%s line %d is not valid JSON: %s" % (path, n, e))
            if isinstance(item, dict) and isinstance(item.get("inputs"), dict):
                item = item["inputs"]  # a prediction log line
                fmt = "prediction-log" if fmt == "jsonl" else fmt
            if not isinstance(item, dict):
                raise DriftError("%s %s %d is not a record (an object of column: value)." % (path, "line" if lines else "item", n))
            records.append(item)
    names = []
    seen = set()
    for r in records:
        for k in r:
            if k not in seen:
                seen.add(k)
                names.append(k)
    columns = dict((k, [r.get(k) for r in records]) for k in names)
    return columns, len(records), fmt


def load_json(path, what):
    try:
        with open(path, "r", encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise DriftError("The %s %s does not exist." % (what, path))
    except (OSError, ValueError) as e:
        raise DriftError("The %s %s cannot be read: %s" % (what, path, e))


def bundle_dir():
    env = os.environ.get("GREENHOUSE_BUNDLE_DIR")
    if env:
        return env
    if os.path.isfile(REFERENCE_FILE):
        return "."
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# ---------------------------------------------------------------------------------------------
# per feature


def reference_rows(reference):
    """The reference's row count: dataset.rows when recorded, else what a histogram or a complete
    top list adds up to with the nulls."""
    ds = reference.get("dataset") or {}
    for v in (reference.get("rows"), ds.get("rows") if isinstance(ds, dict) else None):
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0:
            return int(v)
    best = None
    for c in reference.get("columns") or []:
        if c.get("histogram"):
            n = sum(b["count"] for b in c["histogram"]) + (c.get("nulls") or 0)
        elif c.get("top") and c.get("distinct") is not None and c["distinct"] <= len(c["top"]):
            n = sum(t["count"] for t in c["top"]) + (c.get("nulls") or 0)
        else:
            continue
        best = n if best is None else max(best, n)
    return best


def is_null(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def numeric_values(values, kind):
    """Finite floats of the non-null values (dates as epoch nanoseconds), and how many were invalid."""
    import numpy as np
    import pandas as pd

    present = [v for v in values if not is_null(v)]
    if kind in DATE_KINDS:
        parsed = pd.to_datetime(pd.Series(present, dtype=object), errors="coerce", utc=True)
        ok = parsed.notna()
        arr = parsed[ok].astype("int64").to_numpy(dtype=float)
        return arr, int((~ok).sum())
    out = []
    invalid = 0
    for v in present:
        if isinstance(v, bool):
            invalid += 1
            continue
        try:
            x = float(v)
        except (TypeError, ValueError):
            invalid += 1
            continue
        if math.isfinite(x):
            out.append(x)
        else:
            invalid += 1
    return np.asarray(out, dtype=float), invalid


def edges_of(column):
    import pandas as pd

    hist = column["histogram"]
    raw = [hist[0]["lower"]] + [b["upper"] for b in hist]
    if column["kind"] in DATE_KINDS:
        return [float(t) for t in pd.to_datetime(pd.Series(raw, dtype=object), utc=True).astype("int64")]
    return [float(x) for x in raw]


def bin_counts(values, edges):
    """Counts of values in the bins between edges: (lower, upper], the first bin [lower, upper];
    values outside go to the first or last bin. Also how many were below and above the range."""
    import numpy as np

    k = len(edges) - 1
    inner = np.asarray(edges[1:-1], dtype=float)
    idx = np.searchsorted(inner, values, side="left")
    counts = np.bincount(idx, minlength=k)[:k] if k > 0 else np.zeros(0, dtype=int)
    below = int((values < edges[0]).sum()) if len(values) else 0
    above = int((values > edges[-1]).sum()) if len(values) else 0
    return [int(c) for c in counts], below, above


def category_key(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def batch_category_key(v, kind):
    if kind == "boolean" and isinstance(v, str):
        s = v.strip().lower()
        if s in ("true", "false"):
            return s
    return category_key(v)


def compare_feature(column, values, ref_rows):
    """One feature's report: buckets, PSI, JS, drift, and what the batch holds that the reference does not."""
    name, kind = column["name"], column.get("kind")
    nulls = sum(1 for v in values if is_null(v))
    ref_nulls = int(column.get("nulls") or 0)
    result = {"name": name, "kind": kind, "batch": {"rows": len(values), "nulls": nulls}, "reference": {"nulls": ref_nulls}}
    if (kind in NUMERIC_KINDS or kind in DATE_KINDS) and column.get("histogram"):
        edges = edges_of(column)
        arr, invalid = numeric_values(values, kind)
        counts, below, above = bin_counts(arr, edges)
        expected = [int(b["count"]) for b in column["histogram"]]
        labels = ["(%s, %s]" % (b["lower"], b["upper"]) if i else "[%s, %s]" % (b["lower"], b["upper"]) for i, b in enumerate(column["histogram"])]
        result["method"] = "histogram"
        result["batch"].update({"invalid": invalid, "belowRange": below, "aboveRange": above})
    elif kind in CATEGORY_KINDS and column.get("top"):
        top = column["top"]
        keys = [category_key(t["value"]) for t in top]
        index = dict((k, i) for i, k in enumerate(keys))
        listed = sum(int(t["count"]) for t in top)
        complete = column.get("distinct") is not None and column["distinct"] <= len(top)
        other = 0 if complete or ref_rows is None else max(0, ref_rows - ref_nulls - listed)
        expected = [int(t["count"]) for t in top] + [other]
        counts = [0] * (len(top) + 1)
        unlisted = {}
        for v in values:
            if is_null(v):
                continue
            key = batch_category_key(v, kind)
            i = index.get(key)
            if i is None:
                counts[-1] += 1
                unlisted[key] = unlisted.get(key, 0) + 1
            else:
                counts[i] += 1
        labels = [json.dumps(t["value"], ensure_ascii=False) for t in top] + ["other/new"]
        ranked = sorted(unlisted.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
        result["method"] = "categories"
        # When the reference lists every value it saw, an unlisted value is new; else it may be rare.
        result["batch"]["newValues" if complete else "unlistedValues"] = [{"value": k, "count": c} for k, c in ranked]
    else:
        result["skipped"] = "no histogram or frequent values in the reference for a %s column" % kind
        return result
    # Nulls are a bucket of their own; invalid numbers are neither binned nor null (reported apart).
    expected = expected + [ref_nulls]
    counts = counts + [nulls]
    labels = labels + ["null"]
    p = psi(expected, counts)
    j = js_distance(expected, counts)
    result.update(
        {
            "psi": p,
            "psiBand": psi_band(p),
            "js": j,
            "drift": drifted(p, j),
            "buckets": [{"bucket": l, "expected": e, "actual": a} for l, e, a in zip(labels, expected, counts)],
        }
    )
    if p is None:
        result["skipped"] = "the batch has no values for this column" if sum(counts) == 0 else "the reference has no counts for this column"
        result["drift"] = False
    used = sum(1 for e, a in zip(expected, counts) if e or a)
    n, big_n = sum(counts), sum(expected)
    if n and big_n:
        # What sampling alone gives for an unchanged distribution (about (k - 1) (1/n + 1/N)).
        result["psiNoise"] = max(used - 1, 0) * (1.0 / n + 1.0 / big_n)
    return result


# ---------------------------------------------------------------------------------------------
# the whole batch


def check_drift(reference, columns, rows, features=None):
    """The drift report of a batch ({column: [values]}) against a reference profile."""
    ref_columns = dict((c["name"], c) for c in reference.get("columns") or [])
    if not ref_columns:
        raise DriftError("The reference profile has no columns.")
    if features is None:
        features = [name for name in ref_columns if name in columns]
        if not features:
            raise DriftError(
                "The batch shares no column with the reference. Batch: %s. Reference: %s." % (", ".join(list(columns)[:20]) or "(none)", ", ".join(ref_columns))
            )
    unknown = [f for f in features if f not in ref_columns]
    if unknown:
        raise DriftError("The reference profile has no column %s (its columns: %s)." % (", ".join(repr(f) for f in unknown), ", ".join(ref_columns)))
    ref_rows = reference_rows(reference)
    report_features = []
    missing = []
    for name in features:
        if name not in columns:
            missing.append(name)
            continue
        report_features.append(compare_feature(ref_columns[name], columns[name], ref_rows))
    checked = [f for f in report_features if "skipped" not in f]
    drifting = [f["name"] for f in checked if f["drift"]]
    warnings = []
    if missing:
        warnings.append("The batch lacks %s: not checked." % ", ".join(missing))
    if 0 < rows < 100:
        warnings.append("Only %d rows: PSI and JS vary by chance at this size (see psiNoise per feature)." % rows)
    return {
        "rows": rows,
        "reference": {"dataset": reference.get("dataset"), "rows": ref_rows},
        "thresholds": {"psiModerate": PSI_MODERATE, "psiSignificant": PSI_SIGNIFICANT, "js": JS_THRESHOLD, "datasetShare": 0.5},
        "features": report_features,
        "missing": missing,
        "extra": [c for c in columns if c not in ref_columns],
        "checked": len(checked),
        "drifted": drifting,
        "drift": len(checked) > 0 and 2 * len(drifting) >= len(checked),
        "share": (len(drifting) / float(len(checked))) if checked else None,
        "warnings": warnings,
    }


def signature_features(reference_path, reference):
    """The model's inputs, when model/metadata.json sits in the same bundle as the reference."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(reference_path)))
    path = os.path.join(root, METADATA_FILE)
    if not os.path.isfile(path):
        return None
    meta = load_json(path, "model metadata")
    names = [i.get("name") for i in ((meta.get("signature") or {}).get("inputs") or [])]
    ref = set(c["name"] for c in reference.get("columns") or [])
    names = [n for n in names if n in ref]
    return names or None


def format_number(v, digits=4):
    return "-" if v is None else ("%.*f" % (digits, v))


def format_report(report):
    lines = []
    ds = report["reference"].get("dataset") or {}
    ref_name = "%s@%s" % (ds.get("name"), ds.get("version")) if isinstance(ds, dict) and ds.get("name") else "the reference"
    lines.append("Drift of %d rows against %s (%s rows)" % (report["rows"], ref_name, report["reference"].get("rows") or "?"))
    width = max([len(f["name"]) for f in report["features"]] + [7])
    lines.append("%-*s  %-10s  %8s  %-11s  %8s  %s" % (width, "feature", "method", "PSI", "band", "JS", "drift"))
    for f in report["features"]:
        if "skipped" in f:
            lines.append("%-*s  skipped: %s" % (width, f["name"], f["skipped"]))
            continue
        note = []
        b = f["batch"]
        if b.get("belowRange") or b.get("aboveRange"):
            note.append("%d below, %d above the training range" % (b.get("belowRange", 0), b.get("aboveRange", 0)))
        if b.get("invalid"):
            note.append("%d invalid" % b["invalid"])
        if b.get("newValues"):
            note.append("new: " + ", ".join("%s (%d)" % (v["value"], v["count"]) for v in b["newValues"][:5]))
        if b.get("unlistedValues"):
            note.append("unlisted: " + ", ".join("%s (%d)" % (v["value"], v["count"]) for v in b["unlistedValues"][:5]))
        lines.append(
            "%-*s  %-10s  %8s  %-11s  %8s  %s%s"
            % (width, f["name"], f["method"], format_number(f["psi"]), f["psiBand"], format_number(f["js"]), "DRIFT" if f["drift"] else "no", ("  " + "; ".join(note)) if note else "")
        )
    for w in report["warnings"]:
        lines.append("warning: " + w)
    verdict = "DRIFT" if report["drift"] else "no drift"
    lines.append("Dataset: %s (%d of %d features drifted%s)" % (verdict, len(report["drifted"]), report["checked"], ": " + ", ".join(report["drifted"]) if report["drifted"] else ""))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="drift.py", description="Compare a batch of inputs (CSV, JSON Lines, the prediction log) with the training data's reference profile.")
    parser.add_argument("batch", help="a .csv/.tsv, .jsonl (records or prediction log lines) or .json file (.gz accepted)")
    parser.add_argument("--reference", help="the reference profile (default: monitoring/reference-profile.json of the bundle)")
    parser.add_argument("--features", help="comma-separated columns to check (default: the model's inputs)")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON document")
    parser.add_argument("--fail-on-drift", action="store_true", help="exit 3 when the dataset drifts")
    args = parser.parse_args(argv)
    reference_path = args.reference or os.path.join(bundle_dir(), REFERENCE_FILE)
    try:
        reference = load_json(reference_path, "reference profile")
        if not isinstance(reference, dict) or not isinstance(reference.get("columns"), list):
            raise DriftError("The reference profile %s must be {\"dataset\": ..., \"columns\": [...]}." % reference_path)
        columns, rows, fmt = read_batch(args.batch)
        if rows == 0:
            raise DriftError("The batch %s has no rows." % args.batch)
        if args.features:
            features = [f.strip() for f in args.features.split(",") if f.strip()]
        else:
            features = signature_features(reference_path, reference)
        report = check_drift(reference, columns, rows, features)
        report["batch"] = {"path": args.batch, "format": fmt}
    except DriftError as e:
        sys.stderr.write("drift.py: %s\n" % e)
        return 1
    if args.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, allow_nan=False) + "\n")
    else:
        sys.stdout.write(format_report(report) + "\n")
    return 3 if (args.fail_on_drift and report["drift"]) else 0


if __name__ == "__main__":
    sys.exit(main())
