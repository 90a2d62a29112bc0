import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnKind } from '../../../shared/contract/index.js';
import { failure } from '../../test-support/failure.js';
import { tempDir } from '../../test-support/temp.js';
import { spawnPython } from '../python/spawn-python.js';
import { resourcePath } from '../resources.js';
import { captureInterpreter, introspectModel, type IntrospectRequest, type IntrospectResult } from './python-helper.js';

// Debian's Python with scikit-learn 1.2.1, pandas, xgboost and onnx (scripts/setup.sh installs
// them); `python3` on PATH may be another interpreter without them.
const PYTHON = '/usr/bin/python3';

// Trains the models the tests load, the way an analyst would: data written to CSV, read back with
// pandas, fitted, saved. fixtures.json has each dataset's columns (with the kinds the profile
// would give), its rows as JSON (in CSV order: rows 0-299 train, 300-399 evaluate) and the
// training target's majority class or mean.
const TRAIN = String.raw`
import json, os, pickle, sys
import numpy as np, pandas as pd, joblib
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from xgboost import XGBClassifier

out = sys.argv[1]
rng = np.random.default_rng(7)
N, TRAIN = 400, 300
fixtures = {}

def save(name, df, kinds):
    path = os.path.join(out, name + ".csv")
    df.to_csv(path, index=False)
    back = pd.read_csv(path)  # what the analyst trained on
    rows = [[None if pd.isna(v) else (v.item() if isinstance(v, np.generic) else v) for v in r] for r in back.itertuples(index=False)]
    fixtures[name] = {"csv": path, "columns": [{"name": c, "kind": kinds[c]} for c in back.columns], "rows": rows}
    return back, back.iloc[:TRAIN]

# Numeric features, a text label and a 0/1 label: LogisticRegression and XGBClassifier.
x1, x2 = rng.normal(0, 1, N), rng.normal(5, 2, N)
x3 = rng.integers(0, 10, N)
score = 1.5 * x1 - 0.8 * (x2 - 5) + 0.3 * (x3 - 5) + rng.normal(0, 1, N)
df = pd.DataFrame({"x1": x1, "x2": x2, "x3": x3, "label": np.where(score > 0, "yes", "no"), "churned": (score > 0.5).astype(int)})
_, train = save("numeric", df, {"x1": "number", "x2": "number", "x3": "integer", "label": "text", "churned": "integer"})
joblib.dump(LogisticRegression().fit(train[["x1", "x2", "x3"]], train["label"]), os.path.join(out, "logreg.joblib"))
joblib.dump(XGBClassifier(n_estimators=15, max_depth=3, n_jobs=1, random_state=0).fit(train[["x1", "x2", "x3"]], train["churned"]), os.path.join(out, "xgb.joblib"))
binary = Pipeline([
    ("prep", ColumnTransformer([("num", StandardScaler(), ["x1", "x2"]), ("bins", OneHotEncoder(), ["x3"])])),
    ("model", LogisticRegression()),
])
joblib.dump(binary.fit(train[["x1", "x2", "x3"]], train["churned"]), os.path.join(out, "binary-pipeline.joblib"))
fixtures["numeric"]["majority"] = {"label": train["label"].mode()[0], "churned": int(train["churned"].mode()[0])}

# A regressor, saved with plain pickle.
rooms = rng.integers(1, 7, N)
area = rng.normal(80, 25, N)
age = rng.uniform(0, 60, N)
price = 50 * rooms + 2.5 * area - 1.2 * age + rng.normal(0, 20, N)
_, train = save("house", pd.DataFrame({"rooms": rooms, "area": area, "age": age, "price": price}), {"rooms": "integer", "area": "number", "age": "number", "price": "number"})
with open(os.path.join(out, "forest.pkl"), "wb") as f:
    pickle.dump(RandomForestRegressor(n_estimators=20, max_depth=5, random_state=0).fit(train[["rooms", "area", "age"]], train["price"]), f)
fixtures["house"]["mean"] = float(train["price"].mean())

# Mixed types (ints with nulls, floats with nulls, text, booleans), three classes: a Pipeline.
visits = rng.integers(0, 30, N).astype(float)
visits[rng.random(N) < 0.1] = np.nan
spend = rng.gamma(2, 50, N)
spend[rng.random(N) < 0.1] = np.nan
city = rng.choice(["Lyon", "Oslo", "Porto", "Graz"], N)
member = rng.random(N) < 0.4
tenure = rng.integers(1, 120, N)
raw = np.nan_to_num(visits, nan=15) / 10 + member * 1.5 + (city == "Oslo") * 1.0 + tenure / 60 + rng.normal(0, 0.7, N)
segment = np.digitize(raw, [2.0, 3.5])
df = pd.DataFrame({"visits": visits, "spend": spend, "city": city, "member": member, "tenure": tenure, "segment": segment})
df["visits"] = df["visits"].astype("Int64")  # written as integers with blanks
_, train = save("customers", df, {"visits": "integer", "spend": "number", "city": "text", "member": "boolean", "tenure": "integer", "segment": "integer"})
pipe = Pipeline([
    ("preprocess", ColumnTransformer([
        ("num", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), ["visits", "spend", "tenure"]),
        ("cat", OneHotEncoder(handle_unknown="ignore"), ["city", "member"]),
    ])),
    ("model", LogisticRegression(max_iter=1000, C=0.5)),
])
joblib.dump(pipe.fit(train.drop(columns="segment"), train["segment"]), os.path.join(out, "pipeline.joblib"))
fixtures["customers"]["majority"] = {"segment": int(train["segment"].mode()[0])}

# Trained on a numpy array: no feature names.
a, b, c = rng.normal(0, 1, N), rng.normal(0, 1, N), rng.normal(0, 1, N)
_, train = save("arrays", pd.DataFrame({"a": a, "b": b, "c": c, "y": 2 * a - b + 0.5 * c + rng.normal(0, 0.1, N)}), {"a": "number", "b": "number", "c": "number", "y": "number"})
joblib.dump(Ridge(alpha=0.5).fit(train[["a", "b", "c"]].to_numpy(), train["y"].to_numpy()), os.path.join(out, "arrays.joblib"))
fixtures["arrays"]["mean"] = float(train["y"].mean())

# ONNX graphs built by hand (no skl2onnx here): a linear regressor and a linear classifier.
import onnx
from onnx import TensorProto, helper
graph = helper.make_graph(
    [helper.make_node("MatMul", ["float_input", "W"], ["xw"]), helper.make_node("Add", ["xw", "B"], ["variable"])],
    "linear",
    [helper.make_tensor_value_info("float_input", TensorProto.FLOAT, [None, 3])],
    [helper.make_tensor_value_info("variable", TensorProto.FLOAT, [None, 1])],
    [helper.make_tensor("W", TensorProto.FLOAT, [3, 1], [2.0, -1.0, 0.5]), helper.make_tensor("B", TensorProto.FLOAT, [1], [0.1])],
)
onnx.save(helper.make_model(graph, producer_name="greenhouse-test", producer_version="1.0", opset_imports=[helper.make_opsetid("", 13)]), os.path.join(out, "linear.onnx"))
clf = helper.make_node("LinearClassifier", ["X"], ["label", "probabilities"], domain="ai.onnx.ml", classlabels_ints=[0, 1],
                       coefficients=[1.0, -1.0, -1.0, 1.0], intercepts=[0.0, 0.0], post_transform="SOFTMAX")
graph = helper.make_graph([clf], "classifier",
    [helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, 2])],
    [helper.make_tensor_value_info("label", TensorProto.INT64, [None]), helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 2])])
onnx.save(helper.make_model(graph, producer_name="greenhouse-test", opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("ai.onnx.ml", 1)]), os.path.join(out, "classifier.onnx"))

with open(os.path.join(out, "fixtures.json"), "w") as f:
    json.dump(fixtures, f)
`;

// Computes the same things as the helper, independently: the rows read from the CSV with pandas,
// predictions straight from the model, metrics straight from sklearn.metrics.
const CHECK = String.raw`
import json, math, pickle, sys
import numpy as np, pandas as pd, joblib
from sklearn import metrics as M
spec = json.loads(sys.argv[1])
model = joblib.load(spec["model"]) if spec["format"] == "joblib" else pickle.load(open(spec["model"], "rb"))
df = pd.read_csv(spec["csv"])
def X(part):
    x = part[spec["features"]]
    return x.to_numpy() if spec["numpy"] else x
golden, ev = df.iloc[:spec["golden"]], df.iloc[300:]
out = {"predictions": model.predict(X(golden)).tolist()}
out["probabilities"] = model.predict_proba(X(golden)).tolist() if spec["task"] == "classification" else None
y, pred = ev[spec["target"]].to_numpy(), model.predict(X(ev))
if spec["task"] == "classification":
    classes = list(model.classes_)
    proba = model.predict_proba(X(ev))
    binary = len(classes) == 2
    def scores(pred, proba):
        f1 = M.f1_score(y, pred, pos_label=classes[1]) if binary else M.f1_score(y, pred, average="macro")
        auc = M.roc_auc_score(y, proba[:, 1]) if binary else M.roc_auc_score(y, proba, multi_class="ovr")
        return {"accuracy": M.accuracy_score(y, pred), "f1": f1, "roc_auc": auc}
    out["metrics"] = scores(pred, proba)
    const = np.full(len(y), spec["majority"], dtype=y.dtype)
    onehot = np.zeros_like(proba)
    onehot[:, classes.index(spec["majority"])] = 1
    out["baseline"] = scores(const, onehot)
else:
    def scores(pred):
        return {"rmse": math.sqrt(M.mean_squared_error(y, pred)), "mae": M.mean_absolute_error(y, pred), "r2": M.r2_score(y, pred)}
    out["metrics"] = scores(pred)
    out["baseline"] = scores(np.full(len(y), spec["mean"]))
with open(spec["out"], "w") as f:
    json.dump(out, f)
`;

interface Dataset {
  csv: string;
  columns: { name: string; kind: ColumnKind }[];
  rows: unknown[][];
  majority?: Record<string, string | number>;
  mean?: number;
}
type Fixtures = Record<'numeric' | 'house' | 'customers' | 'arrays', Dataset>;

const GOLDEN = 25;
let dir: string;
let fx: Fixtures;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gh-models-'));
  writeFileSync(join(dir, 'train.py'), TRAIN);
  writeFileSync(join(dir, 'check.py'), CHECK);
  execFileSync(PYTHON, [join(dir, 'train.py'), dir], { timeout: 180_000, stdio: ['ignore', 'ignore', 'pipe'] });
  fx = JSON.parse(readFileSync(join(dir, 'fixtures.json'), 'utf8')) as Fixtures;
}, 200_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function request(d: Dataset, target: string, model: string, format: IntrospectRequest['format'], over: Partial<IntrospectRequest> = {}): IntrospectRequest {
  return {
    modelPath: join(dir, model),
    format,
    columns: d.columns,
    target,
    rows: d.rows.slice(0, GOLDEN),
    eval: { rows: d.rows.slice(300) },
    baseline: { majority: d.majority?.[target] ?? null, mean: d.mean ?? null },
    ...over,
  };
}

interface Independent {
  predictions: (string | number)[];
  probabilities: number[][] | null;
  metrics: Record<string, number>;
  baseline: Record<string, number>;
}

function independent(d: Dataset, spec: { model: string; format: string; features: string[]; target: string; task: string; numpy?: boolean }): Independent {
  const out = join(tempDir(), 'check.json');
  const full = { ...spec, model: join(dir, spec.model), csv: d.csv, golden: GOLDEN, numpy: spec.numpy ?? false, majority: d.majority?.[spec.target] ?? null, mean: d.mean ?? null, out };
  execFileSync(PYTHON, [join(dir, 'check.py'), JSON.stringify(full)], { timeout: 120_000, stdio: ['ignore', 'ignore', 'pipe'] });
  return JSON.parse(readFileSync(out, 'utf8')) as Independent;
}

function expectCloseRecord(actual: Record<string, number>, expected: Record<string, number>) {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [k, v] of Object.entries(expected)) expect(actual[k], k).toBeCloseTo(v, 10);
}

function expectCloseMatrix(actual: number[][] | null, expected: number[][]) {
  expect(actual).not.toBeNull();
  expect(actual!.length).toBe(expected.length);
  actual!.forEach((row, i) => row.forEach((p, j) => expect(p).toBeCloseTo(expected[i]![j]!, 10)));
}

const introspect = (req: IntrospectRequest, opts: { signal?: AbortSignal; timeoutMs?: number } = {}) => introspectModel(PYTHON, req, { workDir: tempDir(), ...opts });

/** Processes still alive (not zombies) in a process group, from /proc. */
function livingInGroup(pgid: number): number[] {
  const alive: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') alive.push(Number(entry));
  }
  return alive;
}

describe('captureInterpreter', () => {
  it('reports the interpreter and its distributions, PEP 503 names, sorted, once each', async () => {
    const captured = await captureInterpreter(PYTHON, {});
    const version = execFileSync(PYTHON, ['--version'], { encoding: 'utf8' }).trim().replace(/^Python /, '');
    expect(captured.python).toMatchObject({ version, implementation: 'CPython', executable: PYTHON, machine: expect.any(String) });
    expect(captured.python.platform).toMatch(/^Linux-/);
    const numpy = execFileSync(PYTHON, ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' }).trim();
    const byName = new Map(captured.packages.map((p) => [p.name, p]));
    expect(byName.get('scikit-learn')).toMatchObject({ name: 'scikit-learn', version: '1.2.1', specifier: null });
    // Each distribution's run-time requirements (Debian's egg-info records none; pip-installed ones do).
    expect(captured.packages.every((p) => Array.isArray(p.requires))).toBe(true);
    expect(byName.get('numpy')).toMatchObject({ name: 'numpy', version: numpy, specifier: null });
    // Debian ships typing_extensions, jupyter_client, PyYAML and lazr.uri under those spellings.
    for (const name of ['typing-extensions', 'jupyter-client', 'pyyaml', 'lazr-uri']) expect(byName.has(name), name).toBe(true);
    const names = captured.packages.map((p) => p.name);
    for (const n of names) expect(n).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
  }, 60_000);

  it('runs on Python 3.8', async () => {
    // The helper must parse as 3.8 code; and where a 3.8 interpreter is at hand, run there.
    execFileSync(PYTHON, ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read(), feature_version=(3, 8))', resourcePath('python', 'greenhouse_model.py')]);
    const py38 = join(process.env.HOME ?? '/root', '.pyenv', 'versions', '3.8.18', 'bin', 'python3');
    if (!existsSync(py38)) return;
    const captured = await captureInterpreter(py38, {});
    expect(captured.python.version).toBe('3.8.18');
    expect(captured.packages.some((p) => p.name === 'pip')).toBe(true);
  }, 60_000);

  it('names a missing or non-executable interpreter', async () => {
    const missing = join(tempDir(), 'bin', 'python3');
    let e = await failure(captureInterpreter(missing, {}));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain(missing);
    expect(e.remedy).toMatch(/pick an interpreter that exists \(greenhouse env capture --python PATH\)/i);
    const notExecutable = join(tempDir(), 'python3');
    writeFileSync(notExecutable, '#!/bin/sh\n');
    chmodSync(notExecutable, 0o644);
    e = await failure(captureInterpreter(notExecutable, {}));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain(notExecutable);
  });

  it('reports what a broken interpreter printed', async () => {
    const broken = join(tempDir(), 'python3');
    writeFileSync(broken, '#!/bin/sh\necho "Fatal Python error: init_fs_encoding" >&2\nexit 1\n');
    chmodSync(broken, 0o755);
    const e = await failure(captureInterpreter(broken, {}));
    expect(e.code).toBe('PYTHON_ERROR');
    expect(e.message).toMatch(/exit code 1:\nFatal Python error: init_fs_encoding/);
  });
});

describe('introspectModel: scikit-learn and xgboost', () => {
  it('a LogisticRegression on a numeric DataFrame: fields, signature, golden set, metrics, baseline', async () => {
    const d = fx.numeric;
    const r = await introspect(request(d, 'label', 'logreg.joblib', 'joblib'));
    expect(r.introspection).toMatchObject({
      className: 'LogisticRegression',
      module: 'sklearn.linear_model._logistic',
      framework: 'scikit-learn',
      task: 'classification',
      nFeatures: 3,
      featureNames: ['x1', 'x2', 'x3'],
      classes: ['no', 'yes'],
      steps: [],
      warnings: [],
    });
    expect(r.introspection.libraryVersions).toMatchObject({ 'scikit-learn': '1.2.1', python: expect.stringMatching(/^3\.11\./), numpy: expect.any(String), pandas: '1.5.3', joblib: '1.2.0' });
    expect(r.introspection.libraryVersions).not.toHaveProperty('onnxruntime');
    expect(r.introspection.params).toMatchObject({ C: 1, penalty: 'l2', solver: 'lbfgs', max_iter: 100, class_weight: null, random_state: null });
    expect(r.introspection.featureImportances!.map((f) => f.feature)).toEqual(['x1', 'x2', 'x3']);
    expect(r.signature).toEqual({
      inputsFrom: 'model',
      inputs: [
        { name: 'x1', dtype: 'float64', nullable: false },
        { name: 'x2', dtype: 'float64', nullable: false },
        { name: 'x3', dtype: 'int64', nullable: false },
      ],
      outputs: [
        { name: 'label', kind: 'label', dtype: 'string', class: null },
        { name: 'proba_no', kind: 'probability', dtype: 'float64', class: 'no' },
        { name: 'proba_yes', kind: 'probability', dtype: 'float64', class: 'yes' },
      ],
    });
    const want = independent(d, { model: 'logreg.joblib', format: 'joblib', features: ['x1', 'x2', 'x3'], target: 'label', task: 'classification' });
    expect(r.golden.predictions).toEqual(want.predictions);
    expectCloseMatrix(r.golden.probabilities, want.probabilities!);
    expect(r.golden.classes).toEqual(['no', 'yes']);
    expect(r.golden.libraryVersions).toEqual(r.introspection.libraryVersions);
    expect(r.metrics!.rows).toBe(100);
    expectCloseRecord(r.metrics!.values, want.metrics);
    expect(r.metrics!.baseline!.strategy).toBe('majority');
    expectCloseRecord(r.metrics!.baseline!.values, want.baseline);
    expect(r.metrics!.baseline!.values.roc_auc).toBe(0.5);
    expect(r.notes).toEqual([]);
  }, 60_000);

  it('a RandomForestRegressor saved with pickle: regression outputs, importances, rmse/mae/r2 and the mean baseline', async () => {
    const d = fx.house;
    const r = await introspect(request(d, 'price', 'forest.pkl', 'pickle'));
    expect(r.introspection).toMatchObject({ className: 'RandomForestRegressor', framework: 'scikit-learn', task: 'regression', classes: null, nFeatures: 3, featureNames: ['rooms', 'area', 'age'] });
    expect(r.introspection.params).toMatchObject({ n_estimators: 20, max_depth: 5, random_state: 0, criterion: 'squared_error' });
    const importances = r.introspection.featureImportances!;
    expect(importances.map((f) => f.feature)).toEqual(['rooms', 'area', 'age']);
    expect(importances.reduce((s, f) => s + f.importance, 0)).toBeCloseTo(1, 6);
    expect(r.signature).toEqual({
      inputsFrom: 'model',
      inputs: [
        { name: 'rooms', dtype: 'int64', nullable: false },
        { name: 'area', dtype: 'float64', nullable: false },
        { name: 'age', dtype: 'float64', nullable: false },
      ],
      outputs: [{ name: 'value', kind: 'value', dtype: 'float64', class: null }],
    });
    const want = independent(d, { model: 'forest.pkl', format: 'pickle', features: ['rooms', 'area', 'age'], target: 'price', task: 'regression' });
    (r.golden.predictions as number[]).forEach((p, i) => expect(p).toBeCloseTo(want.predictions[i] as number, 9));
    expect(r.golden.probabilities).toBeNull();
    expect(r.golden.classes).toBeNull();
    expectCloseRecord(r.metrics!.values, want.metrics);
    expect(r.metrics!.baseline!.strategy).toBe('mean');
    expectCloseRecord(r.metrics!.baseline!.values, want.baseline);
    expect(r.metrics!.baseline!.values.r2!).toBeLessThanOrEqual(0);
  }, 60_000);

  it('a Pipeline with a ColumnTransformer over ints with nulls, floats, text and booleans (three classes)', async () => {
    const d = fx.customers;
    const r = await introspect(request(d, 'segment', 'pipeline.joblib', 'joblib'));
    const features = ['visits', 'spend', 'city', 'member', 'tenure'];
    expect(r.introspection).toMatchObject({ className: 'Pipeline', module: 'sklearn.pipeline', framework: 'scikit-learn', task: 'classification', nFeatures: 5, featureNames: features, classes: [0, 1, 2] });
    expect(r.introspection.steps).toEqual([
      { path: 'preprocess', className: 'ColumnTransformer', columns: null },
      { path: 'preprocess/num', className: 'Pipeline', columns: ['visits', 'spend', 'tenure'] },
      { path: 'preprocess/num/impute', className: 'SimpleImputer', columns: null },
      { path: 'preprocess/num/scale', className: 'StandardScaler', columns: null },
      { path: 'preprocess/cat', className: 'OneHotEncoder', columns: ['city', 'member'] },
      { path: 'model', className: 'LogisticRegression', columns: null },
    ]);
    expect(r.introspection.params).toMatchObject({
      steps: "[('preprocess', ColumnTransformer), ('model', LogisticRegression)]",
      preprocess: 'ColumnTransformer',
      preprocess__cat__handle_unknown: 'ignore',
      preprocess__num__impute__strategy: 'median',
      preprocess__num__impute__missing_values: 'nan',
      model__C: 0.5,
      model__max_iter: 1000,
    });
    // A multiclass coef_ has no single importance per feature.
    expect(r.introspection.featureImportances).toBeNull();
    expect(r.signature.inputsFrom).toBe('model');
    expect(r.signature.inputs).toEqual([
      { name: 'visits', dtype: 'int64', nullable: true },
      { name: 'spend', dtype: 'float64', nullable: true },
      { name: 'city', dtype: 'string', nullable: false },
      { name: 'member', dtype: 'bool', nullable: false },
      { name: 'tenure', dtype: 'int64', nullable: false },
    ]);
    expect(r.signature.outputs.map((o) => [o.name, o.kind, o.dtype, o.class])).toEqual([
      ['label', 'label', 'int64', null],
      ['proba_0', 'probability', 'float64', 0],
      ['proba_1', 'probability', 'float64', 1],
      ['proba_2', 'probability', 'float64', 2],
    ]);
    const want = independent(d, { model: 'pipeline.joblib', format: 'joblib', features, target: 'segment', task: 'classification' });
    expect(r.golden.predictions).toEqual(want.predictions);
    expectCloseMatrix(r.golden.probabilities, want.probabilities!);
    expectCloseRecord(r.metrics!.values, want.metrics);
    expectCloseRecord(r.metrics!.baseline!.values, want.baseline);
    expect(r.metrics!.baseline!.values.roc_auc).toBe(0.5);
  }, 60_000);

  it('a Pipeline\'s importances are named after its preprocessing\'s output', async () => {
    // A binary target gives a single-row coef_: |coef_| per scaled or one-hot column.
    const d = fx.numeric;
    const r = await introspect(request(d, 'churned', 'binary-pipeline.joblib', 'joblib', { rows: d.rows.slice(0, 3), eval: null }));
    const names = r.introspection.featureImportances!.map((f) => f.feature);
    expect(names).toEqual(['num__x1', 'num__x2', ...Array.from({ length: 10 }, (_, i) => `bins__x3_${i}`)]);
    expect(r.introspection.featureImportances!.every((f) => f.importance >= 0)).toBe(true);
    expect(r.golden.predictions).toHaveLength(3);
    expect(r.metrics).toBeNull();
  }, 60_000);

  it('an XGBClassifier', async () => {
    const d = fx.numeric;
    const r = await introspect(request(d, 'churned', 'xgb.joblib', 'joblib'));
    expect(r.introspection).toMatchObject({ className: 'XGBClassifier', module: 'xgboost.sklearn', framework: 'xgboost', task: 'classification', nFeatures: 3, featureNames: ['x1', 'x2', 'x3'], classes: [0, 1] });
    expect(r.introspection.libraryVersions.xgboost).toBe('1.7.4');
    expect(r.introspection.params).toMatchObject({ n_estimators: 15, max_depth: 3, n_jobs: 1, random_state: 0, missing: 'nan' });
    expect(r.introspection.featureImportances).toHaveLength(3);
    expect(r.signature.outputs.map((o) => o.name)).toEqual(['label', 'proba_0', 'proba_1']);
    expect(r.signature.outputs[0]!.dtype).toBe('int64');
    const want = independent(d, { model: 'xgb.joblib', format: 'joblib', features: ['x1', 'x2', 'x3'], target: 'churned', task: 'classification' });
    expect(r.golden.predictions).toEqual(want.predictions);
    expectCloseMatrix(r.golden.probabilities, want.probabilities!);
    expectCloseRecord(r.metrics!.values, want.metrics);
    expectCloseRecord(r.metrics!.baseline!.values, want.baseline);
  }, 60_000);

  it('a model trained on a numpy array takes the dataset\'s columns; a different count is INVALID_INPUT', async () => {
    const d = fx.arrays;
    const r = await introspect(request(d, 'y', 'arrays.joblib', 'joblib'));
    expect(r.introspection).toMatchObject({ className: 'Ridge', task: 'regression', nFeatures: 3, featureNames: null });
    expect(r.introspection.featureImportances!.map((f) => f.feature)).toEqual(['x0', 'x1', 'x2']);
    expect(r.signature.inputsFrom).toBe('dataset');
    expect(r.signature.inputs.map((i) => i.name)).toEqual(['a', 'b', 'c']);
    const want = independent(d, { model: 'arrays.joblib', format: 'joblib', features: ['a', 'b', 'c'], target: 'y', task: 'regression', numpy: true });
    (r.golden.predictions as number[]).forEach((p, i) => expect(p).toBeCloseTo(want.predictions[i] as number, 10));
    expectCloseRecord(r.metrics!.values, want.metrics);
    expectCloseRecord(r.metrics!.baseline!.values, want.baseline);

    // One column more besides the target.
    const wider = request(d, 'y', 'arrays.joblib', 'joblib', {
      columns: [...d.columns, { name: 'extra', kind: 'number' }],
      rows: d.rows.slice(0, 5).map((row) => [...row, 1.5]),
      eval: null,
    });
    const e = await failure(introspect(wider));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/expects 3 features and the dataset has 4 besides the target y: a, b, c, extra/);
    expect(e.details).toMatchObject({ expected: 3, actual: 4 });
  }, 60_000);

  it('features the dataset lacks are INVALID_INPUT with both lists', async () => {
    const d = fx.customers;
    const columns = d.columns.map((c) => (c.name === 'city' ? { ...c, name: 'town' } : c));
    const e = await failure(introspect(request({ ...d, columns }, 'segment', 'pipeline.joblib', 'joblib')));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/does not have: city\. The dataset's columns are: visits, spend, town, member, tenure, segment/);
    expect(e.details).toMatchObject({ missing: ['city'], columns: ['visits', 'spend', 'town', 'member', 'tenure', 'segment'] });
  }, 60_000);

  it('a column the profile says has nulls is a nullable input even when the sample has none', async () => {
    const d = fx.numeric;
    const columns = d.columns.map((c) => (c.name === 'x3' ? { ...c, nullable: true } : c));
    const plain = await introspect(request(d, 'label', 'logreg.joblib', 'joblib', { eval: null }));
    const r = await introspect(request({ ...d, columns }, 'label', 'logreg.joblib', 'joblib', { eval: null }));
    expect(r.signature.inputs.find((i) => i.name === 'x3')).toEqual({ name: 'x3', dtype: 'int64', nullable: true });
    expect(r.golden.predictions).toEqual(plain.golden.predictions);
    expectCloseMatrix(r.golden.probabilities, plain.golden.probabilities!);
  }, 60_000);

  it('a prediction that fails (a column of the wrong type) is PYTHON_ERROR with Python\'s message', async () => {
    const d = fx.numeric;
    const columns = d.columns.map((c) => (c.name === 'x1' ? { ...c, kind: 'text' as const } : c));
    const rows = d.rows.slice(0, 5).map((row) => ['abc', ...row.slice(1)]);
    const e = await failure(introspect(request({ ...d, columns }, 'label', 'logreg.joblib', 'joblib', { rows, eval: null })));
    expect(e.code).toBe('PYTHON_ERROR');
    expect(e.message).toMatch(/predict failed on the golden sample: ValueError: could not convert string to float: 'abc'/);
    // What was learnt before the failure travels along.
    expect(e.details).toMatchObject({ introspection: { className: 'LogisticRegression' }, signature: { inputsFrom: 'model' } });
  }, 60_000);
});

describe('introspectModel: loading', () => {
  it('records the version-mismatch warning of an estimator saved by another scikit-learn', async () => {
    const bytes = readFileSync(join(dir, 'forest.pkl'));
    const from = Buffer.from('1.2.1');
    let count = 0;
    for (let i = bytes.indexOf(from); i >= 0; i = bytes.indexOf(from, i + 1)) {
      bytes.write('0.9.9', i, 'latin1');
      count++;
    }
    expect(count).toBeGreaterThan(0);
    const older = join(tempDir(), 'older.pkl');
    writeFileSync(older, bytes);
    const r = await introspect(request(fx.house, 'price', 'forest.pkl', 'pickle', { modelPath: older, eval: null }));
    expect(r.introspection.className).toBe('RandomForestRegressor');
    expect(r.introspection.warnings.some((w) => /Trying to unpickle estimator RandomForestRegressor from version 0\.9\.9 when using version 1\.2\.1/.test(w))).toBe(true);
    expect(new Set(r.introspection.warnings).size).toBe(r.introspection.warnings.length);
  }, 60_000);

  it('a pickle of a class whose module is gone names the module and how to install it', async () => {
    const work = tempDir();
    const model = join(work, 'custom.pkl');
    execFileSync(PYTHON, ['-c', [
      'import os, pickle, sys',
      `sys.path.insert(0, ${JSON.stringify(work)})`,
      `open(os.path.join(${JSON.stringify(work)}, "gh_vanishing_module.py"), "w").write("class Model:\\n    pass\\n")`,
      'import gh_vanishing_module',
      `pickle.dump(gh_vanishing_module.Model(), open(${JSON.stringify(model)}, "wb"))`,
      `os.remove(os.path.join(${JSON.stringify(work)}, "gh_vanishing_module.py"))`,
    ].join('\n')]);
    const e = await failure(introspect(request(fx.numeric, 'label', 'logreg.joblib', 'pickle', { modelPath: model })));
    expect(e.code).toBe('PYTHON_ERROR');
    expect(e.message).toBe(`${PYTHON} cannot load the model: it lacks the package gh_vanishing_module (module gh_vanishing_module).`);
    expect(e.remedy).toBe(`${PYTHON} -m pip install gh_vanishing_module`);
  }, 60_000);

  it('maps the missing module to its package (cv2 → opencv-python), and a missing submodule to a version problem', async () => {
    const work = tempDir();
    const cv2 = join(work, 'cv2.pkl');
    writeFileSync(cv2, Buffer.from('ccv2\nimread\n.', 'latin1')); // GLOBAL cv2.imread, STOP
    let e = await failure(introspect(request(fx.numeric, 'label', 'logreg.joblib', 'pickle', { modelPath: cv2 })));
    expect(e.code).toBe('PYTHON_ERROR');
    expect(e.message).toContain('opencv-python');
    expect(e.message).toContain(PYTHON);
    expect(e.remedy).toBe(`${PYTHON} -m pip install opencv-python`);
    expect(e.details).toMatchObject({ code: 'missing-module', module: 'cv2' });

    const moved = join(work, 'moved.pkl');
    writeFileSync(moved, Buffer.from('csklearn.ensemble._gh_removed_module\nLoss\n.', 'latin1'));
    e = await failure(introspect(request(fx.numeric, 'label', 'logreg.joblib', 'pickle', { modelPath: moved })));
    expect(e.code).toBe('PYTHON_ERROR');
    expect(e.message).toMatch(/needs sklearn\.ensemble\._gh_removed_module, which the scikit-learn installed in .* does not have/);
    expect(e.remedy).toMatch(/pip install "scikit-learn==VERSION"/);
  }, 60_000);

  it('a file that is not what its format says is a load failure with the exception', async () => {
    const junk = join(tempDir(), 'junk.joblib');
    writeFileSync(junk, 'definitely not a joblib file');
    const e = await failure(introspect(request(fx.numeric, 'label', 'logreg.joblib', 'joblib', { modelPath: junk })));
    expect(e.code).toBe('PYTHON_ERROR');
    expect(e.message).toMatch(/^\/usr\/bin\/python3 could not load the model \/.*\/junk\.joblib: \w+Error: /);
    expect(e.details).toMatchObject({ code: 'load-failed', type: expect.any(String) });
  }, 60_000);

  it('a class defined in the notebook that saved the model (__main__) says so', async () => {
    const model = join(tempDir(), 'main.pkl');
    execFileSync(PYTHON, ['-c', `import pickle\nclass Featurizer:\n    pass\npickle.dump(Featurizer(), open(${JSON.stringify(model)}, "wb"))`]);
    const e = await failure(introspect(request(fx.numeric, 'label', 'logreg.joblib', 'pickle', { modelPath: model })));
    expect(e.code).toBe('PYTHON_ERROR');
    expect(e.message).toMatch(/AttributeError: Can't get attribute 'Featurizer' on <module '__main__'/);
    expect(e.remedy).toMatch(/defined in the notebook or script that saved it/);
  }, 60_000);

  it('an interpreter that does not exist is NOT_FOUND', async () => {
    const python = join(tempDir(), 'venv', 'bin', 'python');
    const e = await failure(introspectModel(python, request(fx.numeric, 'label', 'logreg.joblib', 'joblib'), { workDir: tempDir() }));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toBe(`The Python interpreter ${python} does not exist.`);
  });
});

describe('introspectModel: ONNX (only onnx-level introspection here: no onnxruntime, onnx 1.12 has no onnx.reference)', () => {
  const columns = [
    { name: 'a', kind: 'number' as const },
    { name: 'b', kind: 'number' as const },
    { name: 'c', kind: 'number' as const },
    { name: 'y', kind: 'number' as const },
  ];

  it('predicting needs onnxruntime: PYTHON_ERROR naming it, with what the graph says in the details', async () => {
    const req: IntrospectRequest = { modelPath: join(dir, 'linear.onnx'), format: 'onnx', columns, target: 'y', rows: [[1, 2, 3, 4]], eval: null, baseline: null };
    const e = await failure(introspect(req));
    expect(e.code).toBe('PYTHON_ERROR');
    expect(e.message).toContain('onnxruntime');
    expect(e.remedy).toBe(`${PYTHON} -m pip install onnxruntime`);
    expect(e.details).toMatchObject({ module: 'onnxruntime', introspection: { framework: 'onnx', task: 'regression', nFeatures: 3 } });
  }, 60_000);

  it('reads the graph: inputs, outputs, producer, opset; signature from the dataset', async () => {
    const req: IntrospectRequest = { modelPath: join(dir, 'linear.onnx'), format: 'onnx', columns, target: 'y', rows: [], eval: null, baseline: null };
    const r: IntrospectResult = await introspect(req);
    expect(r.onnx).toMatchObject({
      producer: 'greenhouse-test',
      producerVersion: '1.0',
      opset: { 'ai.onnx': 13 },
      graphName: 'linear',
      nodes: 2,
      inputs: [{ name: 'float_input', elemType: 'float', shape: [null, 3], type: 'tensor(float)[?,3]' }],
      outputs: [{ name: 'variable', elemType: 'float', shape: [null, 1] }],
    });
    expect(r.introspection).toMatchObject({ className: 'ModelProto', module: 'onnx', framework: 'onnx', task: 'regression', nFeatures: 3, featureNames: null, classes: null, warnings: [] });
    expect(r.introspection.params).toMatchObject({ producer: 'greenhouse-test 1.0', 'opset.ai.onnx': 13, inputs: 'float_input: tensor(float)[?,3]' });
    expect(r.introspection.libraryVersions.onnx).toBe('1.12.0');
    expect(r.signature).toEqual({
      inputsFrom: 'dataset',
      inputs: columns.slice(0, 3).map((c) => ({ name: c.name, dtype: 'float64', nullable: false })),
      outputs: [{ name: 'value', kind: 'value', dtype: 'float64', class: null }],
    });
    expect(r.golden).toMatchObject({ predictions: [], probabilities: null, classes: null });
  }, 60_000);

  it('an ONNX classifier: classes from the graph, label and probability outputs', async () => {
    const cols = [
      { name: 'p', kind: 'number' as const },
      { name: 'q', kind: 'number' as const },
      { name: 'label', kind: 'integer' as const },
    ];
    const r = await introspect({ modelPath: join(dir, 'classifier.onnx'), format: 'onnx', columns: cols, target: 'label', rows: [], eval: null, baseline: null });
    expect(r.introspection).toMatchObject({ className: 'LinearClassifier', task: 'classification', classes: [0, 1], nFeatures: 2 });
    expect(r.onnx!.opset).toEqual({ 'ai.onnx': 13, 'ai.onnx.ml': 1 });
    expect(r.signature.outputs.map((o) => o.name)).toEqual(['label', 'proba_0', 'proba_1']);
  }, 60_000);
});

describe('cancel and timeout', () => {
  /** A pickle whose loading starts a child and then sleeps, writing "pid pgid childPid" first. */
  function slowPickle(): { model: string; pidFile: string } {
    const work = tempDir();
    const model = join(work, 'slow.pkl');
    const pidFile = join(work, 'pids');
    const code = [
      'import os, subprocess, time',
      "c = subprocess.Popen(['sleep', '60'])",
      `open(${JSON.stringify(pidFile + '.part')}, 'w').write('%d %d %d' % (os.getpid(), os.getpgrp(), c.pid))`,
      `os.rename(${JSON.stringify(pidFile + '.part')}, ${JSON.stringify(pidFile)})`,
      'time.sleep(60)',
    ].join('\n');
    execFileSync(PYTHON, ['-c', `import pickle, sys\nclass Slow:\n    def __reduce__(self):\n        return (exec, (sys.argv[1],))\npickle.dump(Slow(), open(sys.argv[2], "wb"))`, code, model]);
    return { model, pidFile };
  }

  it('cancel kills the helper and everything it started: CANCELLED, the process group is gone', async () => {
    const { model, pidFile } = slowPickle();
    const abort = new AbortController();
    const running = introspect(request(fx.numeric, 'label', 'logreg.joblib', 'pickle', { modelPath: model }), { signal: abort.signal });
    await expect.poll(() => existsSync(pidFile), { timeout: 20_000 }).toBe(true);
    const [pid, pgid, childPid] = readFileSync(pidFile, 'utf8').split(' ').map(Number) as [number, number, number];
    expect(pgid).toBe(pid); // its own group
    expect(pgid).not.toBe(process.pid);
    expect(livingInGroup(pgid).sort()).toEqual([pid, childPid].sort());
    abort.abort();
    const e = await failure(running);
    expect(e.code).toBe('CANCELLED');
    await expect.poll(() => livingInGroup(pgid), { timeout: 5000 }).toEqual([]);
  }, 60_000);

  it('an already-aborted signal starts nothing', async () => {
    const abort = new AbortController();
    abort.abort();
    const e = await failure(introspect(request(fx.numeric, 'label', 'logreg.joblib', 'joblib'), { signal: abort.signal }));
    expect(e.code).toBe('CANCELLED');
  });

  it('a helper that runs too long is stopped: PYTHON_ERROR saying how long it may take', async () => {
    const { model, pidFile } = slowPickle();
    const e = await failure(introspect(request(fx.numeric, 'label', 'logreg.joblib', 'pickle', { modelPath: model }), { timeoutMs: 3000 }));
    expect(e.code).toBe('PYTHON_ERROR');
    expect(e.message).toMatch(/took longer than 3 s/);
    const [pgid] = readFileSync(pidFile, 'utf8').split(' ').map(Number) as [number];
    await expect.poll(() => livingInGroup(pgid), { timeout: 5000 }).toEqual([]);
  }, 60_000);

  it('spawnPython: leftovers of a finished process group are killed so that its pipes close', async () => {
    // The script leaves a sleeping child behind holding stderr; exited must still settle promptly.
    const started = Date.now();
    const proc = spawnPython(PYTHON, ['-c', "import subprocess, sys; subprocess.Popen(['sleep', '30']); sys.stderr.write('bye\\n')"], {});
    const exit = await proc.exited;
    expect(exit).toMatchObject({ code: 0, timedOut: false, aborted: false, spawnError: null });
    expect(exit.stderr).toBe('bye\n');
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect.poll(() => livingInGroup(proc.child.pid!), { timeout: 5000 }).toEqual([]);
  }, 30_000);
});
