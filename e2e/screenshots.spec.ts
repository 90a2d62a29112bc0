// Screenshots of the main screens in both themes, for looking at the UI (not a visual diff).
// Run: GREENHOUSE_SHOTS_DIR=/tmp/shots npx playwright test screenshots
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

const dir = process.env.GREENHOUSE_SHOTS_DIR;

test('screenshots of the shell in both themes', async ({ page, host, tempDir }) => {
  test.skip(!dir, 'Set GREENHOUSE_SHOTS_DIR to take screenshots.');
  const out = dir!;
  await mkdir(out, { recursive: true });

  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.goto(host.url);
    await expect(page.getByRole('heading', { level: 1, name: 'Greenhouse' })).toBeVisible();
    await page.screenshot({ path: join(out, `${theme}-picker.png`) });

    await page.getByLabel('Workspace folder', { exact: true }).fill(join(tempDir, 'nope'));
    await page.getByRole('button', { name: 'Open workspace' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await page.screenshot({ path: join(out, `${theme}-picker-error.png`) });

    await page.getByLabel('Folder', { exact: true }).fill(join(tempDir, `churn-${theme}`));
    await page.getByLabel('Name', { exact: true }).fill('Churn model');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Datasets' })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Container engine:/ })).not.toHaveAttribute('data-state', 'checking', { timeout: 15_000 });
    await page.screenshot({ path: join(out, `${theme}-datasets.png`) });

    await page.getByRole('button', { name: /^Container engine:/ }).click();
    await page.screenshot({ path: join(out, `${theme}-docker.png`) });
    await page.keyboard.press('Escape');

    // Keyboard focus must be visible: tab from the skip link into the navigation.
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.getByRole('link', { name: 'Skip to content' }).focus();
    await page.screenshot({ path: join(out, `${theme}-focus-skip-link.png`) });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.screenshot({ path: join(out, `${theme}-focus-header.png`) });

    await page.getByRole('link', { name: 'Models' }).click();
    await page.screenshot({ path: join(out, `${theme}-models.png`) });

    await page.getByRole('link', { name: 'Activity' }).click();
    await page.getByRole('button', { name: 'Verify snapshots' }).click();
    await expect(page.getByRole('listitem').filter({ hasText: 'Verify snapshots' }).first()).toHaveAttribute('data-state', 'succeeded');
    await page.screenshot({ path: join(out, `${theme}-activity.png`) });

    await page.getByRole('button', { name: 'Close workspace' }).click();
    await expect(page.getByRole('list', { name: 'Recent workspaces' })).toBeVisible();
    await page.screenshot({ path: join(out, `${theme}-picker-recent.png`) });
  }
});

/** Call the backend's RPC with the page's session cookie; a job is waited for (setup, not under test). */
async function rpc(page: Page, origin: string, method: string, input: unknown): Promise<unknown> {
  const answer = (await (await page.request.post(`${origin}/api/rpc/${method}`, { data: input })).json()) as { ok: boolean; value: { id?: string; kind?: string } };
  expect(answer.ok, method).toBe(true);
  if (!answer.value?.kind || !answer.value.id) return answer.value;
  const done = await page.request.post(`${origin}/api/rpc/jobs.wait`, { data: { id: answer.value.id, timeoutMs: 120_000 } });
  expect(await done.json()).toMatchObject({ ok: true, value: { state: 'succeeded' } });
  return null;
}

/** A small churn project: a CSV, the notebook that trains on it, the model (Debian's Python with scikit-learn), an unsafe pickle. */
async function churnProject(dir: string) {
  await mkdir(join(dir, 'data'), { recursive: true });
  const lines = ['id,plan,region,monthly_spend,age,churned'];
  for (let i = 1; i <= 300; i++) {
    const plan = ['basic', 'pro', 'enterprise'][i % 3]!;
    const spend = 20 + ((i * 37) % 80);
    lines.push([i, plan, ['north', 'south', 'east', 'west'][(i * 7) % 4], spend.toFixed(2), 18 + ((i * 13) % 60), plan === 'basic' && spend < 60 ? 1 : i % 9 === 0 ? 1 : 0].join(','));
  }
  await writeFile(join(dir, 'data', 'customers.csv'), `${lines.join('\n')}\n`);
  const code = [
    'import pandas as pd\nimport joblib\nfrom sklearn.compose import ColumnTransformer\nfrom sklearn.ensemble import RandomForestClassifier\nfrom sklearn.pipeline import Pipeline\nfrom sklearn.preprocessing import OneHotEncoder',
    "df = pd.read_csv('data/customers.csv')\nX = df[['plan', 'region', 'monthly_spend', 'age']]\nmodel = Pipeline([('prep', ColumnTransformer([('cat', OneHotEncoder(handle_unknown='ignore'), ['plan', 'region'])], remainder='passthrough')), ('forest', RandomForestClassifier(n_estimators=30, max_depth=5, random_state=0))])\nmodel.fit(X, df['churned'])\njoblib.dump(model, 'model.joblib')",
  ];
  await writeFile(
    join(dir, 'train.ipynb'),
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
      // The notebook also imports a package the environment lacks: the model page shows the mismatch.
      cells: [`${code[0]}\nimport lightgbm`, code[1]].map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: i + 1, outputs: [], source })),
    }),
  );
  await writeFile(join(dir, 'train.py'), code.join('\n'));
  execFileSync('/usr/bin/python3', ['train.py'], { cwd: dir, stdio: 'pipe' });
  await writeFile(join(dir, 'requirements.txt'), 'pandas==1.5.3\nscikit-learn==1.3.0\nnumpy>=1.24\nfastapi==0.110.0\n');
  execFileSync('/usr/bin/python3', ['-c', "import os, pickle, sys\nclass E:\n    def __reduce__(self):\n        return (os.system, ('true',))\npickle.dump(E(), open(sys.argv[1], 'wb'))", join(dir, 'evil.pkl')]);
  return { csv: join(dir, 'data', 'customers.csv'), notebook: join(dir, 'train.ipynb'), model: join(dir, 'model.joblib'), requirements: join(dir, 'requirements.txt'), evil: join(dir, 'evil.pkl') };
}

test('screenshots of the model, lineage and environment screens in both themes', async ({ page, host, tempDir }) => {
  test.skip(!dir, 'Set GREENHOUSE_SHOTS_DIR to take screenshots.');
  test.setTimeout(300_000);
  const out = dir!;
  await mkdir(out, { recursive: true });
  const p = await churnProject(join(tempDir, 'project'));
  const nav = page.getByRole('navigation', { name: 'Workspace sections' });

  for (const theme of ['light', 'dark'] as const) {
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    await page.goto(host.url);
    await page.getByLabel('Folder', { exact: true }).fill(join(tempDir, `models-${theme}`));
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Datasets' })).toBeVisible();
    await rpc(page, host.origin, 'datasets.register', { path: p.csv });
    await rpc(page, host.origin, 'notebooks.register', { path: p.notebook });

    // Environments: the capture dialog with the interpreters found, then two captured environments.
    await nav.getByRole('link', { name: /^Environments/ }).click();
    await page.screenshot({ path: join(out, `${theme}-environments-empty.png`) });
    await page.getByRole('button', { name: 'Capture environment' }).first().click();
    const capture = page.getByRole('dialog', { name: 'Capture an environment' });
    await expect(capture.getByRole('group', { name: 'Interpreters found on this computer' })).not.toContainText('Looking for');
    await page.screenshot({ path: join(out, `${theme}-environment-capture.png`) });
    await capture.getByRole('button', { name: 'Cancel' }).click();
    await rpc(page, host.origin, 'environments.capture', { python: '/usr/bin/python3', name: 'debian-python' });
    await rpc(page, host.origin, 'environments.capture', { file: p.requirements, name: 'serving' });

    // Models: the register form, filled and scanned.
    await nav.getByRole('link', { name: /^Models/ }).click();
    await page.getByRole('button', { name: 'Register model' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Register a model' });
    await dialog.getByLabel('Model file').fill(p.model);
    await dialog.getByLabel('Name', { exact: true }).fill('churn');
    await expect(dialog.getByLabel('Target column').locator('option', { hasText: 'churned' })).toHaveCount(1);
    await dialog.getByLabel('Target column').selectOption('churned');
    await dialog.getByLabel('Notebook', { exact: true }).selectOption('train');
    await dialog.getByLabel('Environment', { exact: true }).selectOption('env:debian-python');
    await dialog.getByLabel('Evaluation dataset', { exact: true }).selectOption('customers');
    await dialog.getByRole('button', { name: 'Scan the file' }).click();
    await expect(dialog.locator('[data-verdict="safe"]')).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: join(out, `${theme}-model-register-form.png`) });
    await dialog.getByRole('button', { name: 'Register', exact: true }).click();
    await expect(dialog.locator('.registration')).toHaveAttribute('data-state', 'succeeded', { timeout: 120_000 });
    await page.screenshot({ path: join(out, `${theme}-model-registered.png`) });
    // And an unsafe pickle, blocked.
    await dialog.getByRole('button', { name: 'Register another' }).click();
    await dialog.getByLabel('Model file').fill(p.evil);
    await dialog.getByRole('button', { name: 'Scan the file' }).click();
    await expect(dialog.locator('[data-verdict="unsafe"]')).toBeVisible({ timeout: 30_000 });
    await dialog.getByLabel('Load anyway').check();
    await dialog.getByLabel('Why is it safe to load?').fill('trust me');
    await page.screenshot({ path: join(out, `${theme}-model-register-unsafe.png`) });
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();

    await rpc(page, host.origin, 'models.updateCard', {
      name: 'churn',
      version: 1,
      card: {
        details: 'A **random forest** in a scikit-learn pipeline that predicts which customers will cancel next month.\n\n- Owner: analytics team\n- Licence: internal',
        intendedUse: 'Rank customers for retention calls. Not for pricing decisions.',
      },
    });
    await expect(page.getByRole('list', { name: 'Models' }).getByRole('listitem')).toHaveCount(1);
    await page.screenshot({ path: join(out, `${theme}-models-list.png`) });

    // The model page, tab by tab.
    await page.getByRole('list', { name: 'Models' }).getByRole('link', { name: /churn/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'churn' })).toBeVisible();
    // The shell scrolls inside: a tall window shows a whole tab.
    await page.setViewportSize({ width: 1280, height: 1500 });
    for (const tab of ['Overview', 'Scan', 'Parameters', 'Signature', 'Examples', 'Metrics', 'Card', 'Versions', 'Lineage']) {
      await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
      if (tab === 'Lineage') await expect(page.locator('.lineage__canvas .react-flow__node')).not.toHaveCount(0, { timeout: 20_000 });
      await page.screenshot({ path: join(out, `${theme}-model-${tab.toLowerCase()}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 860 });
    // The workspace's lineage.
    await nav.getByRole('link', { name: /^Models/ }).click();
    await page.getByRole('tab', { name: /Lineage/ }).click();
    await expect(page.locator('.lineage__canvas .react-flow__node')).not.toHaveCount(0, { timeout: 20_000 });
    await page.screenshot({ path: join(out, `${theme}-lineage-workspace.png`), fullPage: true });

    // The environment page: packages, the models that use it, a comparison with the requirement file.
    await page.goto(`${host.origin}/#/environments/debian-python`);
    await expect(page.getByRole('heading', { level: 1, name: 'debian-python' })).toBeVisible();
    await page.screenshot({ path: join(out, `${theme}-environment-packages.png`) });
    await page.getByRole('tab', { name: /Used by/ }).click();
    await page.screenshot({ path: join(out, `${theme}-environment-used-by.png`), fullPage: true });
    await page.goto(`${host.origin}/#/environments/debian-python/compare/serving@1`);
    await expect(page.getByText(/added/).first()).toBeVisible();
    await page.screenshot({ path: join(out, `${theme}-environment-compare.png`), fullPage: true });
    await nav.getByRole('link', { name: /^Environments/ }).click();
    await page.screenshot({ path: join(out, `${theme}-environments-list.png`) });
    await page.getByRole('button', { name: 'Close workspace' }).click();
    await expect(page.getByRole('list', { name: 'Recent workspaces' })).toBeVisible();
  }
});

test('screenshots of the bundles screens in both themes: the wizard’s steps, the build log, the smoke results, the bundle page', async ({ page, host, tempDir }) => {
  test.skip(!dir, 'Set GREENHOUSE_SHOTS_DIR to take screenshots.');
  test.setTimeout(300_000);
  const out = dir!;
  await mkdir(out, { recursive: true });
  const p = await churnProject(join(tempDir, 'project'));
  const ws = join(tempDir, 'bundles-ws');
  const bin = new URL('../bin/greenhouse.js', import.meta.url).pathname;
  const cli = (...args: string[]) => execFileSync(process.execPath, [bin, '--quiet', ...args], { stdio: 'pipe' });
  cli('init', ws, '--name', 'Churn model');
  cli('--workspace', ws, 'dataset', 'add', p.csv);
  cli('--workspace', ws, 'model', 'add', p.model, '--name', 'churn', '--dataset', 'customers', '--target', 'churned', '--python', '/usr/bin/python3');
  cli('--workspace', ws, 'settings', 'set', 'smokeNetwork', 'host');
  const shot = (name: string, theme: string, fullPage = false) => page.screenshot({ path: join(out, `${theme}-bundles-${name}.png`), fullPage });
  const steps = page.getByRole('navigation', { name: 'Package steps' });

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await page.goto(host.url);
  await page.getByLabel('Workspace folder', { exact: true }).fill(ws);
  await page.getByRole('button', { name: 'Open workspace' }).click();
  await page.goto(`${host.origin}/#/bundles`);
  await expect(page.getByRole('heading', { name: 'No bundles yet' })).toBeVisible();
  await shot('empty', 'light');

  // The wizard, once, in the light theme; each step is shot again in the dark one below.
  await page.goto(`${host.origin}/#/models/churn`);
  await expect(page.getByRole('tabpanel')).toBeVisible();
  await shot('model-package-button', 'light');
  await page.getByRole('link', { name: 'Package', exact: true }).click();
  await expect(page.getByRole('group', { name: 'What the bundle is made from' })).toContainText('3.11');
  await shot('wizard-model', 'light');
  await page.getByRole('button', { name: 'Next: base image' }).click();
  await page.getByRole('group', { name: 'Images on this machine' }).getByRole('button', { name: 'greenhouse/python-base:bookworm' }).click();
  await page.getByRole('radio', { name: /^Base image/ }).check();
  await shot('wizard-options', 'light');
  await page.getByRole('button', { name: 'Next: write the bundle' }).click();
  await page.getByRole('button', { name: 'Write the bundle' }).click();
  await expect(page.getByLabel('Dockerfile, read only')).toContainText('FROM', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Next: build' }).click();
  await page.getByRole('button', { name: 'Build the image' }).click();
  await expect(page.getByRole('button', { name: 'Next: smoke test' })).toBeEnabled({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Next: smoke test' }).click();
  await page.getByRole('button', { name: 'Run the smoke test' }).click();
  await expect(page.getByRole('heading', { name: 'Smoke test passed' })).toBeVisible({ timeout: 90_000 });
  await page.getByRole('button', { name: 'Next: export' }).click();
  await page.getByLabel('Include the image').check();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('group', { name: 'The archive' })).toBeVisible({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByRole('heading', { name: /^(Verified|Did not verify)$/ })).toBeVisible({ timeout: 120_000 });

  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${host.origin}/#/bundles/~package/churn@1`);
    await steps.getByRole('button', { name: /Step 1/ }).click();
    await expect(page.getByRole('group', { name: 'What the bundle is made from' })).toBeVisible();
    if (theme === 'dark') await shot('wizard-model', theme);
    await steps.getByRole('button', { name: /Step 2/ }).click();
    if (theme === 'dark') await shot('wizard-options', theme);
    await page.setViewportSize({ width: 1280, height: 1300 });
    await steps.getByRole('button', { name: /Step 3/ }).click();
    await expect(page.getByLabel('Dockerfile, read only')).toContainText('FROM');
    await shot('wizard-review', theme);
    await steps.getByRole('button', { name: /Step 4/ }).click();
    await expect(page.getByRole('log', { name: 'Build log' })).toContainText('Step');
    await shot('wizard-build-log', theme);
    await steps.getByRole('button', { name: /Step 5/ }).click();
    await expect(page.getByRole('heading', { name: 'Smoke test passed' })).toBeVisible();
    await shot('wizard-smoke', theme, true);
    await steps.getByRole('button', { name: /Step 6/ }).click();
    await shot('wizard-export', theme, true);

    // The bundle page, tab by tab, and the list.
    await page.goto(`${host.origin}/#/bundles/churn@1`);
    await expect(page.getByRole('region', { name: 'Where it stands' })).toBeVisible();
    for (const tab of ['Overview', 'Files', 'Build', 'Smoke test', 'Export & verify']) {
      await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
      await expect(page.getByRole('tabpanel')).toBeVisible();
      if (tab === 'Files') await expect(page.getByLabel('Dockerfile, read only')).toContainText('FROM');
      await shot(`page-${tab.toLowerCase().replace(/[^a-z]+/g, '-')}`, theme, true);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${host.origin}/#/bundles`);
    await expect(page.getByRole('table', { name: 'Bundles, newest first' })).toBeVisible();
    await shot('list', theme);
  }

  // A failed build: a base image this machine does not have (and no registry to pull it from).
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await page.setViewportSize({ width: 1280, height: 1300 });
  await page.goto(`${host.origin}/#/bundles/~package/churn@1`);
  await steps.getByRole('button', { name: /Step 2/ }).click();
  await page.getByLabel('Base image', { exact: true }).fill('python:3.11-slim');
  await page.getByRole('radio', { name: /^pip/ }).check();
  await steps.getByRole('button', { name: /Step 3/ }).click();
  await page.getByRole('button', { name: 'Write again' }).click();
  await expect(page.getByLabel('Dockerfile, read only')).toContainText('python:3.11-slim', { timeout: 30_000 });
  // Written again: the steps after writing start over.
  await expect(steps.getByRole('button', { name: /Step 4/ })).toBeDisabled();
  await page.getByRole('button', { name: 'Next: build' }).click();
  await page.getByRole('button', { name: /Build the image|Rebuild/ }).click();
  await expect(page.getByRole('alert')).toContainText('build', { timeout: 120_000 });
  await shot('wizard-build-failed', 'light', true);
});

test('screenshots of the readiness view in both themes: verdict, score, gates, checklist, dialogs, review, report, export refused by the gates', async ({ page, host, tempDir }) => {
  test.skip(!dir, 'Set GREENHOUSE_SHOTS_DIR to take screenshots.');
  test.setTimeout(300_000);
  const out = dir!;
  await mkdir(out, { recursive: true });
  const p = await churnProject(join(tempDir, 'project'));
  const ws = join(tempDir, 'readiness-ws');
  const bin = new URL('../bin/greenhouse.js', import.meta.url).pathname;
  const cli = (...args: string[]) => execFileSync(process.execPath, [bin, '--quiet', ...args], { stdio: 'pipe' });
  cli('init', ws, '--name', 'Churn model');
  cli('--workspace', ws, 'dataset', 'add', p.csv);
  cli('--workspace', ws, 'model', 'add', p.model, '--name', 'churn', '--dataset', 'customers', '--target', 'churned', '--python', '/usr/bin/python3');
  cli('--workspace', ws, 'settings', 'set', 'smokeNetwork', 'host');
  cli('--workspace', ws, 'package', 'churn', '--strategy', 'base', '--base', 'greenhouse/python-base:bookworm', '--network', 'host');
  // A second model, written but not built: its gates fail and its export is refused.
  cli('--workspace', ws, 'model', 'add', p.model, '--name', 'churn-draft', '--dataset', 'customers', '--target', 'churned', '--python', '/usr/bin/python3');
  try {
    cli('--workspace', ws, 'package', 'churn-draft', '--strategy', 'base', '--base', 'greenhouse/python-base:bookworm', '--no-build');
  } catch {
    // Exits 1: the gates that need the image fail, so it is not exported.
  }
  const shot = (name: string, theme: string, fullPage = false) => page.screenshot({ path: join(out, `${theme}-readiness-${name}.png`), fullPage });

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await page.goto(host.url);
  await page.getByLabel('Workspace folder', { exact: true }).fill(ws);
  await page.getByRole('button', { name: 'Open workspace' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Datasets' })).toBeVisible();
  // Some history to show: an attestation and a review requesting changes, recorded through the API.
  await rpc(page, host.origin, 'readiness.attest', { name: 'churn', version: 1, checkId: 'data.6', note: 'A new feature takes about a day: add it to the notebook, register, package.' });
  await rpc(page, host.origin, 'readiness.review', {
    name: 'churn',
    version: 1,
    decision: 'request-changes',
    summary: 'The staleness study and the inclusion review are missing.',
    comments: [
      { checkId: 'model.4', text: 'How fast does the model decay? Evaluate on last quarter’s data.' },
      { checkId: null, text: 'Otherwise well packaged.' },
    ],
  });

  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${host.origin}/#/bundles/churn@1`);
    await expect(page.getByRole('tabpanel').getByRole('region', { name: 'Readiness', exact: true })).toContainText('Final score');
    await shot('overview', theme, true);

    await page.getByRole('tab', { name: 'Readiness' }).click();
    const panel = page.getByRole('tabpanel');
    await expect(panel.getByRole('region', { name: 'Score', exact: true }).locator('.recharts-bar-rectangle')).toHaveCount(4);
    await shot('top', theme);

    const section = (name: string) => panel.getByRole('region', { name, exact: true });
    await section('Hand-off gates').screenshot({ path: join(out, `${theme}-readiness-gates.png`) });
    // A check expanded to its evidence, one with an attestation, one with a review comment.
    for (const id of ['data.1', 'data.6', 'model.4']) await panel.locator(`[data-check="${id}"]`).getByRole('button', { expanded: false }).click();
    // The shell scrolls inside: a window taller than the checklist shows it whole.
    await page.setViewportSize({ width: 1280, height: 3400 });
    await section('Checklist').screenshot({ path: join(out, `${theme}-readiness-checklist.png`) });

    await page.setViewportSize({ width: 1280, height: 900 });
    await panel.getByRole('button', { name: /^Fail/ }).click();
    await panel.locator('[data-check="model.3"]').getByRole('button', { expanded: false }).click();
    await panel.getByRole('button', { name: 'Attest model.3…' }).click();
    await page.getByRole('dialog', { name: 'Attest model.3' }).getByLabel('Note').fill('Grid search over C (0.01 to 100), 5-fold cross-validation.');
    await shot('attest-dialog', theme);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    // The review form with a comment, and the history.
    const review = panel.getByRole('region', { name: 'Review', exact: true });
    await review.getByRole('radio', { name: /Approve/ }).check();
    await review.getByLabel('Summary', { exact: true }).fill('Looked at the gates, the smoke test and the attestations.');
    await review.getByRole('button', { name: /Add a comment/ }).click();
    await review.getByLabel('On', { exact: true }).selectOption('monitoring.3');
    await review.getByLabel('Comment', { exact: true }).fill('Schedule the drift check weekly.');
    await review.scrollIntoViewIfNeeded();
    await review.screenshot({ path: join(out, `${theme}-readiness-review.png`) });
    await review.getByRole('button', { name: 'Remove comment 1' }).click();

    await panel.getByRole('button', { name: 'Write the HTML report' }).click();
    await expect(panel.locator('[data-format="html"]')).toBeVisible();
    await panel.getByRole('button', { name: 'Write the JSON report' }).click();
    await expect(panel.locator('[data-format="json"]')).toBeVisible();
    await panel.locator('[data-verdict]').scrollIntoViewIfNeeded();
    await shot('report-written', theme);

    // The draft bundle: failing gates, the override dialog, and the export refused.
    await page.goto(`${host.origin}/#/bundles/churn-draft@1/readiness`);
    await expect(panel.locator('[data-verdict="blocked"]')).toBeVisible();
    await shot('blocked', theme);
    await panel.locator('[data-gate="smoke-test"]').getByRole('button', { name: /^Override/ }).click();
    await page.getByRole('dialog', { name: 'Override a hand-off gate' }).getByLabel('Reason').fill('Operations build and smoke-test the image in their own pipeline.');
    await shot('override-dialog', theme);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('tab', { name: 'Export & verify' }).click();
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(panel.getByRole('list', { name: 'Failing hand-off gates' })).toBeVisible();
    await page.setViewportSize({ width: 1280, height: 1200 });
    await shot('export-refused', theme);
    await panel.getByRole('button', { name: 'Export anyway…' }).click();
    await page.getByRole('dialog', { name: 'Export past failing gates' }).getByLabel('Reason').fill('Operations build the image themselves.');
    await shot('export-anyway-dialog', theme);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});
