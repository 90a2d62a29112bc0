// Models made by tests: a mixed-type CSV and scikit-learn models trained on it by Debian's Python.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/** Debian's interpreter with python3-sklearn: the analyst's Python in tests (python3 on PATH may be another). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** A deterministic pseudo-random sequence (mulberry32), so test data is the same on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * customers.csv: age (integer), income (number), plan (text), active (boolean), spend (number,
 * the regression target) and churned (0/1, the classification target), which depend on the others.
 */
export function writeCustomersCsv(path: string, rows = 400, seed = 7): string {
  const r = random(seed);
  const plans = ['basic', 'pro', 'max'];
  const lines = ['age,income,plan,active,spend,churned'];
  for (let i = 0; i < rows; i++) {
    const age = 18 + Math.floor(r() * 60);
    const income = Math.round((20000 + r() * 80000) * 100) / 100;
    const plan = plans[Math.floor(r() * 3)]!;
    const active = r() < 0.7;
    const spend = Math.round((income / 1000 + (plan === 'max' ? 40 : plan === 'pro' ? 20 : 0) + r() * 10) * 100) / 100;
    const z = -2 + (plan === 'basic' ? 1.5 : 0) + (active ? -1.5 : 1) + (age < 30 ? 1 : 0) + (r() - 0.5) * 2;
    lines.push(`${age},${income},${plan},${active},${spend},${z > 0 ? 1 : 0}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

export type TestModelKind = 'pipeline' | 'classifier' | 'regressor';

const TRAIN = String.raw`
import sys, joblib, pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
csv, out, kind = sys.argv[1], sys.argv[2], sys.argv[3]
df = pd.read_csv(csv)
if kind == 'pipeline':
    X = df[['age', 'income', 'plan', 'active']]
    pre = ColumnTransformer([('num', StandardScaler(), ['age', 'income']), ('cat', OneHotEncoder(handle_unknown='ignore'), ['plan', 'active'])])
    model = Pipeline([('preprocess', pre), ('clf', LogisticRegression(C=0.5, max_iter=500))]).fit(X, df['churned'])
elif kind == 'classifier':
    model = LogisticRegression(max_iter=500).fit(df[['age', 'income']], df['churned'])
else:
    model = Ridge(alpha=1.0).fit(df[['age', 'income']], df['spend'])
joblib.dump(model, out)
`;

/** Train a model on the customers CSV with Debian's scikit-learn and joblib.dump it to `out`. */
export function trainModel(csv: string, out: string, kind: TestModelKind): string {
  execFileSync(DEBIAN_PYTHON, ['-c', TRAIN, csv, out, kind], { stdio: ['ignore', 'ignore', 'pipe'] });
  return out;
}

/** Run Python code with Debian's interpreter and parse what it prints as JSON. */
export function pythonJson<T>(code: string, args: string[] = []): T {
  return JSON.parse(execFileSync(DEBIAN_PYTHON, ['-c', code, ...args], { encoding: 'utf8' })) as T;
}
