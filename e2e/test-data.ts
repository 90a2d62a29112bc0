// Data the end-to-end specs write (deterministic, so runs and screenshots compare), and the
// setup they share: Debian's Python, the local base image, the CLI.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PLANS = ['basic', 'pro', 'enterprise'];
export const REGIONS = ['north', 'south', 'east', 'west'];

/** A deterministic pseudo-random sequence (a linear congruential generator). */
export function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** Debian's Python, with scikit-learn 1.2.1 like the base image (python3 on PATH may be another). */
export const PYTHON = '/usr/bin/python3';
/** Built by scripts/base-image.sh from Debian's packages: the same Python and scikit-learn. */
export const BASE_IMAGE = 'greenhouse/python-base:bookworm';
export const BIN = fileURLToPath(new URL('../bin/greenhouse.js', import.meta.url));

/** Customers with a yes/no target that depends on the plan and the spend. */
export function churnCsv(rows: number, seed: number): string {
  const r = random(seed);
  const lines = ['plan,region,monthly_spend,age,churned'];
  for (let i = 0; i < rows; i++) {
    const plan = PLANS[Math.floor(r() * 3)]!;
    const spend = 20 + r() * 80;
    const risk = (plan === 'basic' ? 0.5 : 0.1) + (spend < 45 ? 0.3 : 0) + (r() - 0.5) * 0.4;
    lines.push([plan, REGIONS[Math.floor(r() * 4)], spend.toFixed(2), 18 + Math.floor(r() * 60), risk > 0.5 ? 'yes' : 'no'].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Customers as churnCsv makes them, with monthly_spend multiplied by `factor`: a batch whose spend drifted. */
export function shiftedChurnCsv(rows: number, seed: number, factor: number): string {
  const [header, ...lines] = churnCsv(rows, seed).trim().split('\n');
  const shifted = lines.map((line) => {
    const f = line.split(',');
    f[2] = (Number(f[2]) * factor).toFixed(2);
    return f.join(',');
  });
  return `${[header, ...shifted].join('\n')}\n`;
}

/** Trains a churn Pipeline on argv[1] and joblib.dumps it to argv[2]. */
export const TRAIN_CHURN = [
  'import sys, joblib, pandas as pd',
  'from sklearn.compose import ColumnTransformer',
  'from sklearn.linear_model import LogisticRegression',
  'from sklearn.pipeline import Pipeline',
  'from sklearn.preprocessing import OneHotEncoder, StandardScaler',
  'df = pd.read_csv(sys.argv[1])',
  "X = df[['plan', 'region', 'monthly_spend', 'age']]",
  "pre = ColumnTransformer([('cat', OneHotEncoder(handle_unknown='ignore'), ['plan', 'region']), ('num', StandardScaler(), ['monthly_spend', 'age'])])",
  "model = Pipeline([('prep', pre), ('clf', LogisticRegression(max_iter=500, random_state=0))]).fit(X, df['churned'])",
  'joblib.dump(model, sys.argv[2])',
].join('\n');

/** The greenhouse CLI on a workspace (setup, not under test). */
/** The greenhouse CLI on a workspace (setup, not under test). */
export const cli = (workspace: string, ...args: string[]) => execFileSync(process.execPath, [BIN, '--quiet', '--workspace', workspace, ...args], { stdio: 'pipe', encoding: 'utf8' });

/**
 * A workspace (tempDir/ws) holding the dataset customers and the model churn trained on it by
 * Debian's Python, with smoke tests on host networking (this machine's engine has no bridge
 * network: the container is reached on loopback).
 */
export async function churnWorkspace(tempDir: string, rows: number, seed: number): Promise<string> {
  const project = join(tempDir, 'project');
  await mkdir(project, { recursive: true });
  const csv = join(project, 'customers.csv');
  const model = join(project, 'model.joblib');
  await writeFile(csv, churnCsv(rows, seed));
  execFileSync(PYTHON, ['-c', TRAIN_CHURN, csv, model], { stdio: 'pipe' });
  const ws = join(tempDir, 'ws');
  execFileSync(process.execPath, [BIN, '--quiet', 'init', ws, '--name', 'Churn model'], { stdio: 'pipe' });
  cli(ws, 'dataset', 'add', csv);
  cli(ws, 'model', 'add', model, '--name', 'churn', '--dataset', 'customers', '--target', 'churned', '--python', PYTHON);
  cli(ws, 'settings', 'set', 'smokeNetwork', 'host');
  return ws;
}
