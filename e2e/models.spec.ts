// Environments and models end to end: the test makes its own data (a CSV, a notebook that reads
// it and writes model.joblib, and the model, trained by Debian's Python with scikit-learn), then
// in the UI captures that Python, registers the model against the dataset, target, notebook and
// environment, reads the scan verdict, signature and golden predictions, and follows the lineage
// graph to the dataset. An unsafe pickle (a __reduce__ that calls os.system) is blocked.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { PLANS, random, REGIONS } from './test-data.js';

/** Debian's Python, with scikit-learn 1.2.1 (python3 on PATH may be a pyenv shim without it). */
const PYTHON = '/usr/bin/python3';



/** Customers with integers, decimals, categories, dates and a yes/no target that depends on them. */
function customersCsv(rows: number): string {
  const r = random(42);
  const lines = ['id,signup_date,plan,region,monthly_spend,age,churned'];
  const start = Date.UTC(2024, 0, 1);
  for (let i = 1; i <= rows; i++) {
    const plan = PLANS[Math.floor(r() * 3)]!;
    const spend = 20 + r() * 80;
    const age = 18 + Math.floor(r() * 60);
    const risk = (plan === 'basic' ? 0.5 : 0.1) + (spend < 45 ? 0.3 : 0) + (r() - 0.5) * 0.4;
    const date = new Date(start + Math.floor(r() * 365) * 86_400_000).toISOString().slice(0, 10);
    lines.push([i, date, plan, REGIONS[Math.floor(r() * 4)], spend.toFixed(2), age, risk > 0.5 ? 'yes' : 'no'].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** The training code: shared by the notebook (for its lineage) and the script that really trains. */
const TRAIN_CODE = [
  'import pandas as pd',
  'import joblib',
  'from sklearn.compose import ColumnTransformer',
  'from sklearn.linear_model import LogisticRegression',
  'from sklearn.pipeline import Pipeline',
  'from sklearn.preprocessing import OneHotEncoder, StandardScaler',
  '',
  "df = pd.read_csv('data/customers.csv')",
  "X = df[['plan', 'region', 'monthly_spend', 'age']]",
  "y = df['churned']",
  'model = Pipeline([',
  "    ('prep', ColumnTransformer([",
  "        ('cat', OneHotEncoder(handle_unknown='ignore'), ['plan', 'region']),",
  "        ('num', StandardScaler(), ['monthly_spend', 'age']),",
  '    ])),',
  "    ('clf', LogisticRegression(max_iter=500, random_state=0)),",
  '])',
  'model.fit(X, y)',
  "joblib.dump(model, 'model.joblib')",
].join('\n');

/** An nbformat 4.5 notebook whose code cells were executed in order. */
function notebookJson(sources: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python', version: '3.11.2' } },
    cells: sources.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: i + 1, outputs: [], source })),
  });
}

/** The CSV, the notebook and the trained model in a project folder. */
async function makeProject(dir: string) {
  await mkdir(join(dir, 'data'), { recursive: true });
  const csv = join(dir, 'data', 'customers.csv');
  await writeFile(csv, customersCsv(240));
  const [imports, rest] = [TRAIN_CODE.split('\n\n')[0]!, TRAIN_CODE.split('\n\n')[1]!];
  const notebook = join(dir, 'train.ipynb');
  await writeFile(notebook, notebookJson([imports, rest]));
  await writeFile(join(dir, 'train.py'), TRAIN_CODE);
  execFileSync(PYTHON, ['train.py'], { cwd: dir, stdio: 'pipe' });
  return { csv, notebook, model: join(dir, 'model.joblib') };
}

async function createWorkspace(page: Page, url: string, path: string) {
  await page.goto(url);
  await page.getByLabel('Folder', { exact: true }).fill(path);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Datasets' })).toBeVisible();
}

/** Start a job through the backend's RPC with the page's session cookie and wait for it (setup, not under test). */
async function runJob(page: Page, origin: string, method: string, input: unknown) {
  const start = await page.request.post(`${origin}/api/rpc/${method}`, { data: input });
  const job = (await start.json()) as { ok: boolean; value: { id: string } };
  expect(job.ok, `${method} started`).toBe(true);
  const done = await page.request.post(`${origin}/api/rpc/jobs.wait`, { data: { id: job.value.id, timeoutMs: 60_000 } });
  expect(await done.json()).toMatchObject({ ok: true, value: { state: 'succeeded' } });
}

/** Open the register dialog from the Models section. */
async function openRegisterModel(page: Page) {
  await page.getByRole('link', { name: /^Models/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Models' })).toBeVisible();
  await page.getByRole('button', { name: 'Register model' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Register a model' });
  await expect(dialog.getByLabel('Training dataset')).toContainText('customers');
  return dialog;
}

test('capture Debian’s Python, register a model against its data, notebook and environment, and follow its lineage', async ({ page, host, tempDir }) => {
  test.setTimeout(240_000);
  const project = join(tempDir, 'project');
  const { csv, notebook, model } = await makeProject(project);

  await createWorkspace(page, host.url, join(tempDir, 'ws'));
  await runJob(page, host.origin, 'datasets.register', { path: csv });
  await runJob(page, host.origin, 'notebooks.register', { path: notebook });

  // Capture the interpreter the model was trained with.
  await page.getByRole('link', { name: /^Environments/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Environments' })).toBeVisible();
  await page.getByRole('button', { name: 'Capture environment' }).first().click();
  const capture = page.getByRole('dialog', { name: 'Capture an environment' });
  await capture.getByLabel('Interpreter or requirement file').fill(PYTHON);
  await capture.getByLabel('Name', { exact: true }).fill('debian-python');
  await capture.getByRole('button', { name: 'Capture', exact: true }).click();
  await expect(capture.locator('.registration')).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  await expect(capture).toContainText('Captured debian-python as a new environment (version 1');
  await capture.getByRole('link', { name: 'Open debian-python' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'debian-python' })).toBeVisible();
  await expect(page.locator('.env-facts')).toContainText('Python');
  await page.getByLabel('Filter packages').fill('scikit');
  await expect(page.getByRole('rowheader', { name: 'scikit-learn' })).toBeVisible();
  await expect(page.getByRole('table', { name: /Packages of debian-python/ })).toContainText('1.2.1');
  await expect(page.getByRole('link', { name: /^Environments/ }).locator('.side-nav__count')).toHaveText('1');

  // Register the model: dataset, target, notebook, that environment.
  const dialog = await openRegisterModel(page);
  await dialog.getByLabel('Model file').fill(model);
  await dialog.getByLabel('Name', { exact: true }).fill('churn');
  await dialog.getByLabel('Training dataset').selectOption('customers');
  await expect(dialog.getByLabel('Target column').locator('option', { hasText: 'churned' })).toHaveCount(1);
  await dialog.getByLabel('Target column').selectOption('churned');
  await dialog.getByLabel('Notebook', { exact: true }).selectOption('train');
  await expect(dialog.getByLabel('Environment', { exact: true })).toHaveValue('env:debian-python');
  await dialog.getByRole('button', { name: 'Register', exact: true }).click();

  // It scans first and says the file is safe, then registers with progress.
  await expect(dialog.locator('[data-verdict="safe"]')).toContainText('Safe', { timeout: 30_000 });
  const job = dialog.getByRole('region', { name: /Register model churn/ });
  await expect(job).toHaveAttribute('data-state', 'succeeded', { timeout: 120_000 });
  await expect(dialog).toContainText('Registered churn as a new model (version 1)');
  await dialog.getByRole('link', { name: 'Open churn' }).click();

  // The model page.
  await expect(page.getByRole('heading', { level: 1, name: 'churn' })).toBeVisible();
  await expect(page).toHaveURL(/#\/models\/churn$/);
  const facts = page.locator('.model-facts');
  await expect(facts).toContainText('Pipeline');
  await expect(facts).toContainText(model);
  await expect(facts.getByRole('link', { name: 'debian-python v1' })).toBeVisible();
  await expect(page.locator('.detail-header__titles').getByText('safe', { exact: true })).toBeVisible();
  await expect(page.getByRole('tabpanel').getByRole('link', { name: /customers/ }).first()).toHaveAttribute('href', '#/datasets/customers@1');

  await page.getByRole('tab', { name: /Scan/ }).click();
  await expect(page).toHaveURL(/#\/models\/churn\/scan$/);
  await expect(page.locator('[data-verdict="safe"]')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Globals the file imports when it loads' })).toContainText('Pipeline');

  await page.getByRole('tab', { name: /Signature/ }).click();
  const inputs = page.getByRole('table', { name: 'Signature inputs' });
  for (const column of ['plan', 'region', 'monthly_spend', 'age']) await expect(inputs.getByRole('rowheader', { name: column, exact: true })).toBeVisible();
  await expect(inputs).not.toContainText('churned');

  await page.getByRole('tab', { name: /Examples/ }).click();
  const golden = page.getByRole('table', { name: 'Golden examples and predictions' });
  await expect(golden.getByRole('columnheader', { name: 'Prediction' })).toBeVisible();
  await expect(golden).toHaveAttribute('aria-rowcount', '101');
  await expect(golden.getByRole('columnheader', { name: 'P(yes)' })).toBeVisible();
  const firstPrediction = golden.locator('tbody tr:not(.virtual-table__spacer)').first().locator('.golden__prediction');
  await expect(firstPrediction).toHaveText(/^(yes|no)$/);

  await page.getByRole('tab', { name: /Parameters/ }).click();
  const tree = page.getByRole('list', { name: 'Pipeline steps' });
  await expect(tree).toContainText('OneHotEncoder');
  await expect(tree).toContainText('LogisticRegression');

  // The lineage graph, focused on this model: dataset, notebook and model nodes; the dataset's node opens its page.
  await page.getByRole('tab', { name: 'Lineage' }).click();
  await expect(page).toHaveURL(/#\/models\/churn\/lineage$/);
  const graph = page.locator('.lineage__canvas');
  await expect(graph.locator('.react-flow__node')).not.toHaveCount(0, { timeout: 20_000 });
  const datasetNode = graph.getByRole('link', { name: /^Dataset customers, version 1/ });
  await expect(datasetNode).toBeVisible();
  await expect(graph.getByRole('link', { name: /^Notebook train, version 1/ })).toBeVisible();
  await expect(graph.getByRole('link', { name: /^Model churn, version 1.*\(this one\)$/ })).toBeVisible();
  await expect(graph.getByRole('link', { name: /^Environment debian-python, version 1/ })).toBeVisible();
  await expect(graph.locator('.react-flow__edge')).not.toHaveCount(0);
  await datasetNode.click();
  await expect(page.getByRole('heading', { level: 1, name: 'customers' })).toBeVisible();
  await expect(page).toHaveURL(/#\/datasets\/customers@1$/);

  // The whole workspace's lineage, from the Models section; a node is reached with the keyboard.
  await page.getByRole('link', { name: /^Models/ }).click();
  await page.getByRole('tab', { name: /Lineage/ }).click();
  await expect(page).toHaveURL(/#\/models\/~lineage$/);
  const workspaceGraph = page.locator('.lineage__canvas');
  const notebookNode = workspaceGraph.getByRole('link', { name: /^Notebook train, version 1/ });
  await expect(notebookNode).toBeVisible({ timeout: 20_000 });
  await notebookNode.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'train' })).toBeVisible();

  // The environment lists the model that uses it.
  await page.goto(`${host.origin}/#/environments/debian-python/used-by`);
  await expect(page.getByRole('list', { name: 'Models that use this environment' }).getByRole('link', { name: 'churn v1' })).toBeVisible();
  await expect(page.getByRole('link', { name: /^Models/ }).locator('.side-nav__count')).toHaveText('1');
});

test('an unsafe pickle: the scan names os.system as critical and registration is blocked without a reason', async ({ page, host, tempDir }) => {
  test.setTimeout(120_000);
  const project = join(tempDir, 'project');
  await mkdir(join(project, 'data'), { recursive: true });
  const csv = join(project, 'data', 'customers.csv');
  await writeFile(csv, customersCsv(60));
  const evil = join(project, 'evil.pkl');
  const marker = join(tempDir, 'pwned');
  execFileSync(PYTHON, [
    '-c',
    [
      'import os, pickle, sys',
      'class Evil:',
      '    def __reduce__(self):',
      "        return (os.system, ('touch ' + sys.argv[2],))",
      "pickle.dump(Evil(), open(sys.argv[1], 'wb'))",
    ].join('\n'),
    evil,
    marker,
  ]);

  await createWorkspace(page, host.url, join(tempDir, 'ws'));
  await runJob(page, host.origin, 'datasets.register', { path: csv });
  const dialog = await openRegisterModel(page);
  await dialog.getByLabel('Model file').fill(evil);
  await expect(dialog.getByLabel('Target column').locator('option', { hasText: 'churned' })).toHaveCount(1);
  await dialog.getByLabel('Target column').selectOption('churned');
  await dialog.getByRole('button', { name: 'Register', exact: true }).click();

  // The verdict, the critical finding naming the call, and the block.
  await expect(dialog.locator('[data-verdict="unsafe"]')).toContainText('Unsafe', { timeout: 30_000 });
  const findings = dialog.getByRole('table', { name: 'Scan findings' });
  const critical = findings.getByRole('row').filter({ hasText: /critical/i }).filter({ hasText: /(os|posix)\.system/ });
  await expect(critical).toHaveCount(1);
  await expect(dialog.getByRole('alert')).toContainText('Registration is blocked');
  await expect(dialog.getByRole('group', { name: 'Override the scan' })).toContainText('Tick “Load anyway” and say why');
  await expect(dialog.locator('.registration')).toHaveCount(0);

  // A reason shorter than 10 characters is not enough.
  await dialog.getByLabel('Load anyway').check();
  await dialog.getByLabel('Why is it safe to load?').fill('trust me');
  await dialog.getByRole('button', { name: 'Register', exact: true }).click();
  await expect(dialog.getByText('Say why in at least 10 characters.', { exact: true })).toBeVisible();
  await expect(dialog.locator('.registration')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'No models yet' })).toBeVisible();
  // Nothing was loaded: the pickle's command never ran.
  expect(existsSync(marker)).toBe(false);
});
